#pragma once

#include <QPlainTextEdit>

namespace statescope {

// The load report's text view. torch names every missing or unexpected key on one line; with 1,000 keys
// that line is 35,000 characters, and a QPlainTextEdit shapes a whole line to lay it out and again to paint
// it (40 ms on the GUI thread per paint). This view shows those lists one key per line (cheap to lay out,
// readable without scrolling sideways) and keeps the exact text: text() and every copy give torch's words
// unchanged, whatever part of the shown text is selected.
class LoadReportView : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit LoadReportView(QWidget* parent = nullptr);

    // Shows `text` (a report or an error message).
    void setReport(const QString& text);
    // The exact report, as given to setReport.
    QString text() const { return m_text; }

    // The shown form of `text`: after the "Missing key(s)" / "Unexpected key(s)" prefix, each key of the
    // list on its own line, under the first. exactText() undoes it.
    static QString displayText(const QString& text);
    static QString exactText(const QString& shown);

protected:
    QMimeData* createMimeDataFromSelection() const override;

private:
    QString m_text;
};

} // namespace statescope
