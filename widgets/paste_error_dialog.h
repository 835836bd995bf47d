#pragma once

#include "diff/torch_error_text.h"

#include <QDialog>

class QLabel;
class QPlainTextEdit;

namespace statescope {

// Edit > Paste torch Error: a box for the RuntimeError a terminal printed (traceback and all). Accepts only
// text that holds torch's "Error(s) in loading state_dict for ..." message; parsed() has its keys.
class PasteErrorDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PasteErrorDialog(QWidget* parent = nullptr);

    void setText(const QString& text);
    const ParsedTorchError& parsed() const { return m_parsed; }
    QString problem() const; // why the text was not accepted (empty when it was)

public Q_SLOTS:
    void accept() override;

private:
    QPlainTextEdit* m_text = nullptr;
    QLabel* m_problem = nullptr;
    ParsedTorchError m_parsed;
};

} // namespace statescope
