#include "rule_dialog.h"

#include "checkpoint/dtype.h"

#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStringListModel>
#include <QVBoxLayout>

namespace statescope {

using Op = RepairRule::Op;

QStringList castDtypeChoices()
{
    QStringList names;
    for (DType t : {DType::Float32, DType::Float16, DType::BFloat16, DType::Float64, DType::Int64, DType::Int32,
                    DType::Int16, DType::Int8, DType::UInt8, DType::Bool, DType::Complex64, DType::Complex128})
        names << dtypeName(t);
    names << QStringLiteral("target");
    return names;
}

namespace {

QString title(Op op)
{
    switch (op) {
    case Op::StripPrefix: return RuleDialog::tr("Strip Prefix");
    case Op::AddPrefix: return RuleDialog::tr("Add Prefix");
    case Op::Rename: return RuleDialog::tr("Rename by Regex");
    case Op::Map: return RuleDialog::tr("Map Key");
    case Op::Drop: return RuleDialog::tr("Drop Keys");
    case Op::Cast: return RuleDialog::tr("Cast");
    case Op::Transpose: return RuleDialog::tr("Transpose");
    case Op::TakeFromTarget: return RuleDialog::tr("Take from Target");
    case Op::FillNumBatchesTracked: return RuleDialog::tr("Fill num_batches_tracked");
    case Op::Resize: return RuleDialog::tr("Resize");
    }
    return QString();
}

void setKeyCompleter(QLineEdit* edit, const QStringList& keys)
{
    auto* completer = new QCompleter(keys, edit);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    edit->setCompleter(completer);
}

bool hasPattern(Op op)
{
    return op == Op::AddPrefix || op == Op::Rename || op == Op::Drop || op == Op::Cast || op == Op::Transpose ||
           op == Op::TakeFromTarget || op == Op::Resize;
}

} // namespace

RuleDialog::RuleDialog(const RepairRule& rule, QWidget* parent) : QDialog(parent), m_rule(rule)
{
    setWindowTitle(title(rule.op));
    auto* layout = new QVBoxLayout(this);
    m_form = new QFormLayout;
    layout->addLayout(m_form);

    m_prefix = new QLineEdit(rule.prefix, this);
    m_pattern = new QLineEdit(rule.pattern, this);
    m_pattern->setPlaceholderText(rule.op == Op::AddPrefix ? tr("every key (optional regex)") : tr("Python regex"));
    m_replace = new QLineEdit(rule.replace, this);
    m_replace->setPlaceholderText(tr("\\1 and \\g<name> refer to groups"));
    m_from = new QLineEdit(rule.from, this);
    m_to = new QLineEdit(rule.to, this);
    m_to->setPlaceholderText(tr("a key of the target (type to complete)"));
    m_dtype = new QComboBox(this);
    m_dtype->addItems(castDtypeChoices());
    m_dtype->setItemText(m_dtype->count() - 1, tr("the target's dtype"));
    m_dtype->setCurrentIndex(qMax(0, castDtypeChoices().indexOf(rule.dtype)));
    m_mode = new QComboBox(this);
    m_mode->addItem(tr("Slice or pad (copy the overlap, rest from the target or zeros)"));
    m_mode->addItem(tr("Interpolate (bicubic on the square grid)"));
    m_mode->setCurrentIndex(rule.mode == RepairRule::ResizeMode::SlicePad ? 0 : 1);
    m_prefixTokens = new QSpinBox(this);
    m_prefixTokens->setRange(0, 1 << 20);
    m_prefixTokens->setValue(rule.prefixTokens);
    m_prefixTokens->setToolTip(tr("Leading tokens (class token, registers) kept as they are"));

    m_form->addRow(tr("&Prefix:"), m_prefix);
    m_form->addRow(tr("&From key:"), m_from);
    m_form->addRow(tr("&To key:"), m_to);
    m_form->addRow(tr("Keys &matching:"), m_pattern);
    m_form->addRow(tr("&Replace with:"), m_replace);
    m_form->addRow(tr("&Dtype:"), m_dtype);
    m_form->addRow(tr("M&ode:"), m_mode);
    m_form->addRow(tr("Prefix &tokens:"), m_prefixTokens);
    const Op op = rule.op;
    m_form->setRowVisible(m_prefix, op == Op::StripPrefix || op == Op::AddPrefix);
    m_form->setRowVisible(m_from, op == Op::Map);
    m_form->setRowVisible(m_to, op == Op::Map);
    m_form->setRowVisible(m_pattern, hasPattern(op));
    m_form->setRowVisible(m_replace, op == Op::Rename);
    m_form->setRowVisible(m_dtype, op == Op::Cast);
    m_form->setRowVisible(m_mode, op == Op::Resize);
    m_form->setRowVisible(m_prefixTokens, op == Op::Resize);
    connect(m_mode, &QComboBox::currentIndexChanged, this,
            [this](int mode) { m_prefixTokens->setEnabled(mode == 1); });
    m_prefixTokens->setEnabled(m_mode->currentIndex() == 1);

    m_problem = new QLabel(this);
    m_problem->setStyleSheet(QStringLiteral("QLabel { color: #b71c1c; }"));
    layout->addWidget(m_problem);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit* edit : {m_prefix, m_pattern, m_replace, m_from, m_to})
        connect(edit, &QLineEdit::textChanged, this, &RuleDialog::check);
    check();
    // Focus where the user is most likely to type.
    // A map prefilled with its target key only ("Map from...") asks for the source key.
    QLineEdit* mapKey = rule.from.isEmpty() && !rule.to.isEmpty() ? m_from : m_to;
    QWidget* first = op == Op::Map ? mapKey : (op == Op::StripPrefix || op == Op::AddPrefix) ? m_prefix
                     : op == Op::Cast                                    ? static_cast<QWidget*>(m_dtype)
                                                                         : m_pattern;
    first->setFocus();
}

void RuleDialog::setTargetKeys(const QStringList& keys)
{
    setKeyCompleter(m_to, keys);
}

void RuleDialog::setSourceKeys(const QStringList& keys)
{
    setKeyCompleter(m_from, keys);
}

RepairRule RuleDialog::rule() const
{
    RepairRule r;
    r.op = m_rule.op;
    r.enabled = m_rule.enabled;
    switch (r.op) {
    case Op::StripPrefix: r.prefix = m_prefix->text(); break;
    case Op::AddPrefix:
        r.prefix = m_prefix->text();
        r.pattern = m_pattern->text().isEmpty() ? QString() : m_pattern->text();
        break;
    case Op::Rename:
        r.pattern = m_pattern->text();
        r.replace = m_replace->text();
        break;
    case Op::Map:
        r.from = m_from->text();
        r.to = m_to->text();
        break;
    case Op::Cast:
        r.pattern = m_pattern->text();
        r.dtype = castDtypeChoices().value(m_dtype->currentIndex());
        break;
    case Op::Resize:
        r.pattern = m_pattern->text();
        r.mode = m_mode->currentIndex() == 0 ? RepairRule::ResizeMode::SlicePad : RepairRule::ResizeMode::Interpolate;
        r.prefixTokens = r.mode == RepairRule::ResizeMode::Interpolate ? m_prefixTokens->value() : 0;
        break;
    case Op::Drop:
    case Op::Transpose:
    case Op::TakeFromTarget: r.pattern = m_pattern->text(); break;
    case Op::FillNumBatchesTracked: break;
    }
    return r;
}

QString RuleDialog::problem() const
{
    const RepairRule r = rule();
    if ((r.op == Op::StripPrefix || r.op == Op::AddPrefix) && r.prefix.isEmpty())
        return tr("Enter a prefix");
    if (r.op == Op::Map && (r.from.isEmpty() || r.to.isEmpty()))
        return tr("Enter both keys");
    if (hasPattern(r.op) && r.op != Op::AddPrefix && r.pattern.isEmpty())
        return tr("Enter a pattern (.* matches every key)");
    if (!r.pattern.isEmpty()) {
        const QRegularExpression regex(r.pattern);
        if (!regex.isValid())
            return tr("Pattern: %1 at offset %2").arg(regex.errorString()).arg(regex.patternErrorOffset());
    }
    return QString();
}

void RuleDialog::check()
{
    const QString why = problem();
    m_problem->setText(why);
    m_problem->setVisible(!why.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
}

} // namespace statescope
