#include "paste_error_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace statescope {

PasteErrorDialog::PasteErrorDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Paste torch Error"));
    auto* intro = new QLabel(tr("Paste what load_state_dict printed (the traceback may stay). The keys it names "
                                "are marked in the trees, even without a target file."),
                             this);
    intro->setWordWrap(true);
    m_text = new QPlainTextEdit(this);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setPlaceholderText(QStringLiteral("RuntimeError: Error(s) in loading state_dict for Net:\n"
                                              "\tMissing key(s) in state_dict: \"fc.weight\", ..."));
    m_problem = new QLabel(this);
    m_problem->setStyleSheet(QStringLiteral("QLabel { color: #b71c1c; }"));
    m_problem->setWordWrap(true);
    m_problem->hide();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Mark Keys"));
    connect(buttons, &QDialogButtonBox::accepted, this, &PasteErrorDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PasteErrorDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    resize(640, 360);
}

void PasteErrorDialog::setText(const QString& text)
{
    m_text->setPlainText(text);
}

QString PasteErrorDialog::problem() const
{
    return m_problem->text();
}

void PasteErrorDialog::accept()
{
    m_parsed = parseTorchError(m_text->toPlainText());
    const bool empty = m_parsed.missing.isEmpty() && m_parsed.unexpected.isEmpty() && m_parsed.sizeMismatch.isEmpty();
    QString problem;
    if (!m_parsed.recognised)
        problem = tr("No \"Error(s) in loading state_dict for ...\" message in the text.");
    else if (empty)
        problem = tr("The message names no missing, unexpected or mismatched keys.");
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    if (problem.isEmpty())
        QDialog::accept();
}

} // namespace statescope
