#pragma once

#include "repair/suggestions.h"

#include <QDialog>

class QTreeWidget;

namespace statescope {

// The repairs StateScope proposes for the shown diff, in the order they apply, each with how sure it is,
// why, and whether it keeps every value. The user accepts the checked ones (lossless ones start checked)
// or all; the accepted rules are rules() in suggestion order.
class SuggestionsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SuggestionsDialog(const QVector<Suggestion>& suggestions, QWidget* parent = nullptr);

    QTreeWidget* list() const { return m_list; }
    // The rules of the accepted suggestions.
    QVector<RepairRule> rules() const { return m_rules; }
    int acceptedCount() const { return m_accepted; }

public Q_SLOTS:
    void acceptChecked();
    void acceptAll();

private:
    void acceptRows(bool all);

    QVector<Suggestion> m_suggestions;
    QTreeWidget* m_list = nullptr;
    QVector<RepairRule> m_rules;
    int m_accepted = 0;
};

} // namespace statescope
