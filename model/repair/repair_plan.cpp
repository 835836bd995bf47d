#include "repair_plan.h"

#include "checkpoint/dtype.h"
#include "formats/format_error.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSaveFile>

namespace statescope {

namespace {

struct OpName
{
    RepairRule::Op op;
    const char* name;
};

constexpr OpName kOps[] = {
    {RepairRule::Op::StripPrefix, "strip_prefix"},
    {RepairRule::Op::AddPrefix, "add_prefix"},
    {RepairRule::Op::Rename, "rename"},
    {RepairRule::Op::Map, "map"},
    {RepairRule::Op::Drop, "drop"},
    {RepairRule::Op::Cast, "cast"},
    {RepairRule::Op::Transpose, "transpose"},
    {RepairRule::Op::TakeFromTarget, "take_from_target"},
    {RepairRule::Op::FillNumBatchesTracked, "fill_num_batches_tracked"},
    {RepairRule::Op::Resize, "resize"},
};

class RuleReader
{
public:
    RuleReader(const QJsonObject& object, const QString& where) : m_object(object), m_where(where) {}

    [[noreturn]] void error(const QString& field, const QString& what) const
    {
        throw FormatError(m_where + QLatin1String(" field \"") + field + QLatin1String("\": ") + what);
    }

    QString string(const char* field, bool required = true) const
    {
        const QString name = QLatin1String(field);
        const QJsonValue value = m_object.value(name);
        if (value.isUndefined() || value.isNull()) {
            if (required)
                error(name, QStringLiteral("missing (a string is required)"));
            return QString();
        }
        if (!value.isString())
            error(name, QStringLiteral("must be a string"));
        return value.toString();
    }

    QString nonEmpty(const char* field) const
    {
        const QString s = string(field);
        if (s.isEmpty())
            error(QLatin1String(field), QStringLiteral("must not be empty"));
        return s;
    }

private:
    const QJsonObject& m_object;
    QString m_where;
};

RepairRule parseRule(const QJsonValue& value, const QString& where)
{
    if (!value.isObject())
        throw FormatError(where + QLatin1String(": a rule must be a JSON object"));
    const QJsonObject object = value.toObject();
    RuleReader read(object, where);
    const QString opName = read.string("op");
    RepairRule rule;
    bool known = false;
    for (const OpName& entry : kOps) {
        if (opName == QLatin1String(entry.name)) {
            rule.op = entry.op;
            known = true;
        }
    }
    if (!known)
        read.error(QStringLiteral("op"), QLatin1String("unknown op \"") + opName +
                                             QLatin1String("\" (strip_prefix, add_prefix, rename, map, drop, cast, "
                                                           "transpose, take_from_target, fill_num_batches_tracked, resize)"));
    const QJsonValue enabled = object.value(QLatin1String("enabled"));
    if (!enabled.isUndefined()) {
        if (!enabled.isBool())
            read.error(QStringLiteral("enabled"), QStringLiteral("must be true or false"));
        rule.enabled = enabled.toBool();
    }
    using Op = RepairRule::Op;
    switch (rule.op) {
    case Op::StripPrefix:
        rule.prefix = read.nonEmpty("prefix");
        break;
    case Op::AddPrefix:
        rule.prefix = read.nonEmpty("prefix");
        rule.pattern = read.string("pattern", false);
        break;
    case Op::Rename:
        rule.pattern = read.nonEmpty("pattern");
        rule.replace = read.string("replace");
        break;
    case Op::Map:
        rule.from = read.nonEmpty("from");
        rule.to = read.nonEmpty("to");
        break;
    case Op::Cast:
        rule.pattern = read.nonEmpty("pattern");
        rule.dtype = read.nonEmpty("dtype");
        if (rule.dtype != QLatin1String("target") && dtypeFromName(rule.dtype) == DType::Unknown)
            read.error(QStringLiteral("dtype"), QLatin1String("unknown dtype \"") + rule.dtype +
                                                    QLatin1String("\" (a torch dtype name such as float32, or \"target\")"));
        break;
    case Op::Drop:
    case Op::Transpose:
    case Op::TakeFromTarget:
        rule.pattern = read.nonEmpty("pattern");
        break;
    case Op::FillNumBatchesTracked:
        break;
    case Op::Resize: {
        rule.pattern = read.nonEmpty("pattern");
        const QString mode = read.string("mode");
        if (mode == QLatin1String("slice_pad"))
            rule.mode = RepairRule::ResizeMode::SlicePad;
        else if (mode == QLatin1String("interpolate"))
            rule.mode = RepairRule::ResizeMode::Interpolate;
        else
            read.error(QStringLiteral("mode"), QLatin1String("unknown mode \"") + mode +
                                                   QLatin1String("\" (slice_pad or interpolate)"));
        const QJsonValue tokens = object.value(QLatin1String("prefix_tokens"));
        if (!tokens.isUndefined()) {
            const double n = tokens.toDouble(-1);
            if (!tokens.isDouble() || n < 0 || n > 1e6 || n != double(qint64(n)))
                read.error(QStringLiteral("prefix_tokens"), QStringLiteral("must be a non-negative integer"));
            rule.prefixTokens = int(n);
        }
        break;
    }
    }
    return rule;
}

} // namespace

QString repairOpName(RepairRule::Op op)
{
    for (const OpName& entry : kOps) {
        if (entry.op == op)
            return QLatin1String(entry.name);
    }
    return QString();
}

bool RepairRule::needsTarget() const
{
    return op == Op::TakeFromTarget || op == Op::Resize || op == Op::FillNumBatchesTracked ||
           (op == Op::Cast && dtype == QLatin1String("target"));
}

bool RepairRule::isLossless() const
{
    return changesKeys() ? op != Op::Drop : op == Op::FillNumBatchesTracked;
}

bool RepairRule::operator==(const RepairRule& o) const
{
    return op == o.op && enabled == o.enabled && prefix == o.prefix && pattern == o.pattern &&
           pattern.isNull() == o.pattern.isNull() && replace == o.replace && from == o.from && to == o.to &&
           dtype == o.dtype && mode == o.mode && prefixTokens == o.prefixTokens;
}

RepairRule RepairRule::stripPrefix(const QString& prefix)
{
    RepairRule r;
    r.op = Op::StripPrefix;
    r.prefix = prefix;
    return r;
}

RepairRule RepairRule::addPrefix(const QString& prefix, const QString& pattern)
{
    RepairRule r;
    r.op = Op::AddPrefix;
    r.prefix = prefix;
    r.pattern = pattern;
    return r;
}

RepairRule RepairRule::rename(const QString& pattern, const QString& replace)
{
    RepairRule r;
    r.op = Op::Rename;
    r.pattern = pattern;
    r.replace = replace;
    return r;
}

RepairRule RepairRule::map(const QString& from, const QString& to)
{
    RepairRule r;
    r.op = Op::Map;
    r.from = from;
    r.to = to;
    return r;
}

RepairRule RepairRule::fillNumBatchesTracked()
{
    RepairRule r;
    r.op = Op::FillNumBatchesTracked;
    return r;
}

bool RepairPlan::needsTarget() const
{
    return std::any_of(rules.cbegin(), rules.cend(), [](const RepairRule& r) { return r.enabled && r.needsTarget(); });
}

bool RepairPlan::isLossless() const
{
    return std::all_of(rules.cbegin(), rules.cend(), [](const RepairRule& r) { return !r.enabled || r.isLossless(); });
}

RepairPlan RepairPlan::withRule(const RepairRule& rule) const
{
    RepairPlan p = *this;
    p.rules.push_back(rule);
    return p;
}

RepairPlan RepairPlan::withRuleAt(int index, const RepairRule& rule) const
{
    RepairPlan p = *this;
    p.rules.insert(std::clamp<qsizetype>(index, 0, p.rules.size()), rule);
    return p;
}

RepairPlan RepairPlan::withoutRule(int index) const
{
    RepairPlan p = *this;
    if (index >= 0 && index < p.rules.size())
        p.rules.remove(index);
    return p;
}

RepairPlan RepairPlan::withRuleReplaced(int index, const RepairRule& rule) const
{
    RepairPlan p = *this;
    if (index >= 0 && index < p.rules.size())
        p.rules[index] = rule;
    return p;
}

RepairPlan RepairPlan::withRuleEnabled(int index, bool enabled) const
{
    RepairPlan p = *this;
    if (index >= 0 && index < p.rules.size())
        p.rules[index].enabled = enabled;
    return p;
}

RepairPlan RepairPlan::withRuleMoved(int from, int to) const
{
    RepairPlan p = *this;
    if (from >= 0 && from < p.rules.size() && to >= 0 && to < p.rules.size())
        p.rules.move(from, to);
    return p;
}

RepairPlan parseRepairPlan(const QByteArray& json, const QString& origin)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        throw FormatError(origin + QLatin1String(": not valid JSON at offset ") +
                          QString::number(parseError.offset) + QLatin1String(": ") + parseError.errorString());
    if (!document.isObject())
        throw FormatError(origin + QLatin1String(": a rules file is a JSON object {\"statescope_rules\": 1, ...}"));
    const QJsonObject root = document.object();
    const QJsonValue version = root.value(QLatin1String("statescope_rules"));
    if (!version.isDouble() || version.toDouble() != 1.0)
        throw FormatError(origin + QLatin1String(": field \"statescope_rules\" must be 1 (the rules format version)"));
    RepairPlan plan;
    const QJsonValue sourceDict = root.value(QLatin1String("source_dict"));
    if (!sourceDict.isUndefined() && !sourceDict.isNull()) {
        if (!sourceDict.isString())
            throw FormatError(origin + QLatin1String(": field \"source_dict\" must be a string"));
        plan.sourceDict = sourceDict.toString();
        if (plan.sourceDict.isNull())
            plan.sourceDict = QStringLiteral("");
    }
    const QJsonValue rules = root.value(QLatin1String("rules"));
    if (!rules.isArray())
        throw FormatError(origin + QLatin1String(": field \"rules\" must be an array of rules"));
    const QJsonArray array = rules.toArray();
    for (qsizetype i = 0; i < array.size(); ++i)
        plan.rules.push_back(parseRule(array.at(i), origin + QLatin1String(": rule ") + QString::number(i)));
    return plan;
}

RepairPlan readRepairPlan(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw FormatError(path + QLatin1String(": cannot read the rules file: ") + file.errorString());
    // Rules files are small; a huge one is a mistake, not something to load into memory.
    if (file.size() > 64 * 1024 * 1024)
        throw FormatError(path + QLatin1String(": a rules file larger than 64 MiB is not a rules file"));
    return parseRepairPlan(file.readAll(), path);
}

QJsonObject repairRuleJson(const RepairRule& rule)
{
    using Op = RepairRule::Op;
    QJsonObject o;
    o.insert(QLatin1String("op"), repairOpName(rule.op));
    switch (rule.op) {
    case Op::StripPrefix:
        o.insert(QLatin1String("prefix"), rule.prefix);
        break;
    case Op::AddPrefix:
        o.insert(QLatin1String("prefix"), rule.prefix);
        if (!rule.pattern.isNull())
            o.insert(QLatin1String("pattern"), rule.pattern);
        break;
    case Op::Rename:
        o.insert(QLatin1String("pattern"), rule.pattern);
        o.insert(QLatin1String("replace"), rule.replace);
        break;
    case Op::Map:
        o.insert(QLatin1String("from"), rule.from);
        o.insert(QLatin1String("to"), rule.to);
        break;
    case Op::Cast:
        o.insert(QLatin1String("pattern"), rule.pattern);
        o.insert(QLatin1String("dtype"), rule.dtype);
        break;
    case Op::Drop:
    case Op::Transpose:
    case Op::TakeFromTarget:
        o.insert(QLatin1String("pattern"), rule.pattern);
        break;
    case Op::FillNumBatchesTracked:
        break;
    case Op::Resize:
        o.insert(QLatin1String("pattern"), rule.pattern);
        o.insert(QLatin1String("mode"), rule.mode == RepairRule::ResizeMode::SlicePad ? QStringLiteral("slice_pad")
                                                                                       : QStringLiteral("interpolate"));
        if (rule.mode == RepairRule::ResizeMode::Interpolate)
            o.insert(QLatin1String("prefix_tokens"), rule.prefixTokens);
        break;
    }
    if (!rule.enabled)
        o.insert(QLatin1String("enabled"), false);
    return o;
}

QJsonObject repairPlanJson(const RepairPlan& plan)
{
    QJsonObject o;
    o.insert(QLatin1String("statescope_rules"), 1);
    if (!plan.sourceDict.isNull())
        o.insert(QLatin1String("source_dict"), plan.sourceDict);
    QJsonArray rules;
    for (const RepairRule& rule : plan.rules)
        rules.append(repairRuleJson(rule));
    o.insert(QLatin1String("rules"), rules);
    return o;
}

void writeRepairPlan(const RepairPlan& plan, const QString& path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw FormatError(path + QLatin1String(": cannot write the rules file: ") + file.errorString());
    file.write(QJsonDocument(repairPlanJson(plan)).toJson(QJsonDocument::Indented));
    if (!file.commit())
        throw FormatError(path + QLatin1String(": cannot write the rules file: ") + file.errorString());
}

} // namespace statescope
