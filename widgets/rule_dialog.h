#pragma once

#include "repair/repair_plan.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace statescope {

// Edits one rule of a repair plan: the fields its op has (prefix, pattern, replacement, keys, dtype, resize
// mode), checked as the user types (a pattern must compile, a map needs both keys). The context menu opens
// it prefilled from a row; the rules panel opens it on an existing rule.
class RuleDialog : public QDialog
{
    Q_OBJECT
public:
    explicit RuleDialog(const RepairRule& rule, QWidget* parent = nullptr);

    RepairRule rule() const;
    // Completions for the "to" key of a map rule (the target's keys), matched anywhere in the key.
    void setTargetKeys(const QStringList& keys);
    // Completions for the "from" key of a map rule (the source's keys as the plan leaves them), in this order.
    void setSourceKeys(const QStringList& keys);
    // Why OK is disabled, or empty.
    QString problem() const;

    QLineEdit* prefixEdit() const { return m_prefix; }
    QLineEdit* patternEdit() const { return m_pattern; }
    QLineEdit* replaceEdit() const { return m_replace; }
    QLineEdit* fromEdit() const { return m_from; }
    QLineEdit* toEdit() const { return m_to; }
    QComboBox* dtypeBox() const { return m_dtype; }
    QComboBox* modeBox() const { return m_mode; }
    QSpinBox* prefixTokensBox() const { return m_prefixTokens; }

private:
    void check();

    RepairRule m_rule;
    QFormLayout* m_form = nullptr;
    QLineEdit* m_prefix = nullptr;
    QLineEdit* m_pattern = nullptr;
    QLineEdit* m_replace = nullptr;
    QLineEdit* m_from = nullptr;
    QLineEdit* m_to = nullptr;
    QComboBox* m_dtype = nullptr;
    QComboBox* m_mode = nullptr;
    QSpinBox* m_prefixTokens = nullptr;
    QLabel* m_problem = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

// The dtype names a cast offers, then "target".
QStringList castDtypeChoices();

} // namespace statescope
