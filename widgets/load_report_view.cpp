#include "load_report_view.h"

#include <QMimeData>
#include <QTextCursor>

namespace statescope {

namespace {

// torch joins the quoted keys of a Missing/Unexpected list with ", "; the view breaks the line there and
// indents the next key. The break only ever follows a key's closing quote and comma, so undoing it is
// exact unless a key itself holds a newline followed by two tabs (not a name any module produces).
const QString kJoin = QStringLiteral("\", \"");
const QString kBreak = QStringLiteral("\",\n\t\t\"");

bool isKeyList(const QString& line)
{
    const QString body = line.trimmed();
    return body.startsWith(QLatin1String("Missing key(s) in state_dict: ")) ||
           body.startsWith(QLatin1String("Unexpected key(s) in state_dict: "));
}

} // namespace

LoadReportView::LoadReportView(QWidget* parent) : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
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
        if (isKeyList(line))
            line.replace(kJoin, kBreak);
    }
    return lines.join(QLatin1Char('\n'));
}

QString LoadReportView::exactText(const QString& shown)
{
    return QString(shown).replace(kBreak, kJoin);
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
