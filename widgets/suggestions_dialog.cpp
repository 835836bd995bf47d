#include "suggestions_dialog.h"

#include "session/plan_model.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace statescope {

SuggestionsDialog::SuggestionsDialog(const QVector<Suggestion>& suggestions, QWidget* parent)
    : QDialog(parent), m_suggestions(suggestions)
{
    setWindowTitle(tr("Suggested Repairs"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(suggestions.isEmpty()
                                 ? tr("No repair found: the remaining differences need a rule by hand.")
                                 : tr("Each suggestion applies after the ones above it. Lossless ones keep every "
                                      "value bit for bit."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_list = new QTreeWidget(this);
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Repair"), tr("Confidence"), tr("Lossless"), tr("Why")});
    for (const Suggestion& s : suggestions) {
        QStringList rules;
        for (const RepairRule& rule : s.rules)
            rules << PlanModel::describe(rule);
        auto* item = new QTreeWidgetItem(m_list);
        item->setText(0, rules.join(QLatin1String("; ")));
        item->setToolTip(0, rules.join(QLatin1Char('\n')));
        item->setText(1, QStringLiteral("%1%").arg(qRound(s.confidence * 100)));
        item->setText(2, s.lossless ? tr("yes") : tr("no (changes values)"));
        item->setText(3, s.reason);
        item->setToolTip(3, s.reason);
        item->setCheckState(0, s.lossless ? Qt::Checked : Qt::Unchecked);
    }
    m_list->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_list->header()->resizeSection(0, 320);
    layout->addWidget(m_list, 1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton* checked = buttons->addButton(tr("Accept &Checked"), QDialogButtonBox::AcceptRole);
    QPushButton* all = buttons->addButton(tr("Accept &All"), QDialogButtonBox::ActionRole);
    checked->setDefault(true);
    checked->setEnabled(!suggestions.isEmpty());
    all->setEnabled(!suggestions.isEmpty());
    connect(checked, &QPushButton::clicked, this, &SuggestionsDialog::acceptChecked);
    connect(all, &QPushButton::clicked, this, &SuggestionsDialog::acceptAll);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(760, 360);
}

void SuggestionsDialog::acceptChecked()
{
    acceptRows(false);
}

void SuggestionsDialog::acceptAll()
{
    acceptRows(true);
}

void SuggestionsDialog::acceptRows(bool all)
{
    m_rules.clear();
    m_accepted = 0;
    for (int i = 0; i < m_suggestions.size(); ++i) {
        if (!all && m_list->topLevelItem(i)->checkState(0) != Qt::Checked)
            continue;
        m_rules += m_suggestions[i].rules;
        ++m_accepted;
    }
    accept();
}

} // namespace statescope
