#include "load_report_view.h"

#include <QFontDatabase>
#include <QMimeData>
#include <QTextCursor>

namespace statescope {

namespace {

const QString kMissing = QStringLiteral("Missing key(s) in state_dict: ");
const QString kUnexpected = QStringLiteral("Unexpected key(s) in state_dict: ");
const QString kJoin = QStringLiteral("\", \"");

// torch joins the quoted keys of a Missing/Unexpected list with ", "; the view breaks the line there and
// lines the next key up under the first (the font is fixed-width). The break only ever follows a key's
// closing quote and comma, so undoing it is exact unless a key itself holds a newline followed by a tab and
// spaces (not a name any module produces).
QString breakAfter(const QString& prefix)
{
    return QStringLiteral("\",\n\t") + QString(prefix.size(), QLatin1Char(' ')) + QLatin1Char('"');
}

} // namespace

LoadReportView::LoadReportView(QWidget* parent) : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    // torch's text as a terminal shows it: the summary's columns line up, a tab is four columns.
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setTabStopDistance(4 * fontMetrics().horizontalAdvance(QLatin1Char(' ')));
}

void LoadReportView::setReport(const QString& text)
{
    m_text = text;
    setPlainText(displayText(text));
}

QString LoadReportView::displayText(const QString& text)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString& line : lines) {
        for (const QString& prefix : {kMissing, kUnexpected}) {
            if (line.trimmed().startsWith(prefix))
                line.replace(kJoin, breakAfter(prefix));
        }
    }
    return lines.join(QLatin1Char('\n'));
}

QString LoadReportView::exactText(const QString& shown)
{
    return QString(shown).replace(breakAfter(kMissing), kJoin).replace(breakAfter(kUnexpected), kJoin);
}

QMimeData* LoadReportView::createMimeDataFromSelection() const
{
    const QTextCursor cursor = textCursor();
    auto* data = new QMimeData;
    const bool everything = cursor.selectionStart() == 0 && cursor.selectionEnd() >= document()->characterCount() - 1;
    if (everything) {
        data->setText(m_text);
        return data;
    }
    // A part: the selected shown text with the view's line breaks taken out again. QTextCursor reports
    // paragraph breaks as U+2029; plain text has '\n'.
    QString shown = cursor.selectedText();
    shown.replace(QChar::ParagraphSeparator, QLatin1Char('\n'));
    data->setText(exactText(shown));
    return data;
}

} // namespace statescope
