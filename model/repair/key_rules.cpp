#include "key_rules.h"

#include "formats/format_error.h"

#include <QRegularExpressionMatchIterator>

namespace statescope {

namespace {

QString ruleWhere(int index)
{
    return QLatin1String("rule ") + QString::number(index);
}

[[noreturn]] void badTemplate(const QString& replace, const QString& what)
{
    throw FormatError(QLatin1String("replacement \"") + replace + QLatin1String("\": ") + what);
}

QString groupText(const QRegularExpressionMatch& match, const QRegularExpression& regex, const QString& replace,
                  const QString& group)
{
    bool isNumber = false;
    const int number = group.toInt(&isNumber);
    if (isNumber) {
        if (number < 0 || number > regex.captureCount())
            badTemplate(replace, QLatin1String("invalid group reference ") + group);
        return match.captured(number); // an unmatched group is "" in Python 3.5+
    }
    if (!regex.namedCaptureGroups().contains(group))
        badTemplate(replace, QLatin1String("unknown group name '") + group + QLatin1Char('\''));
    return match.captured(group);
}

// Expands a Python re template for one match.
QString expand(const QRegularExpressionMatch& match, const QRegularExpression& regex, const QString& replace)
{
    QString out;
    for (qsizetype i = 0; i < replace.size(); ++i) {
        const QChar c = replace.at(i);
        if (c != QLatin1Char('\\')) {
            out += c;
            continue;
        }
        if (i + 1 >= replace.size())
            badTemplate(replace, QStringLiteral("bad escape (end of pattern)"));
        const QChar n = replace.at(++i);
        if (n.isDigit()) {
            // Python reads up to two digits as a group number (three octal digits are an octal escape).
            QString digits(n);
            if (i + 1 < replace.size() && replace.at(i + 1).isDigit())
                digits += replace.at(++i);
            out += groupText(match, regex, replace, digits);
        } else if (n == QLatin1Char('g')) {
            const qsizetype close = replace.indexOf(QLatin1Char('>'), i);
            if (i + 1 >= replace.size() || replace.at(i + 1) != QLatin1Char('<') || close < 0)
                badTemplate(replace, QStringLiteral("\\g must be followed by <name> or <number>"));
            out += groupText(match, regex, replace, replace.mid(i + 2, close - i - 2));
            i = close;
        } else if (n == QLatin1Char('\\')) {
            out += QLatin1Char('\\');
        } else if (n == QLatin1Char('n')) {
            out += QLatin1Char('\n');
        } else if (n == QLatin1Char('t')) {
            out += QLatin1Char('\t');
        } else if (n == QLatin1Char('r')) {
            out += QLatin1Char('\r');
        } else if (n == QLatin1Char('a')) {
            out += QChar(7);
        } else if (n == QLatin1Char('f')) {
            out += QChar(12);
        } else if (n == QLatin1Char('v')) {
            out += QChar(11);
        } else if (n.isLetter() && n.unicode() < 128) {
            badTemplate(replace, QLatin1String("bad escape \\") + n);
        } else {
            out += QLatin1Char('\\');
            out += n; // Python keeps unknown non-letter escapes as they are
        }
    }
    return out;
}

} // namespace

QVector<CompiledRule> compileRules(const RepairPlan& plan)
{
    QVector<CompiledRule> compiled;
    for (qsizetype i = 0; i < plan.rules.size(); ++i) {
        const RepairRule& rule = plan.rules.at(i);
        if (!rule.enabled)
            continue;
        CompiledRule c;
        c.rule = &rule;
        c.index = int(i);
        if (!rule.pattern.isNull()) {
            c.regex = QRegularExpression(rule.pattern);
            if (!c.regex.isValid())
                throw FormatError(ruleWhere(c.index) + QLatin1String(" field \"pattern\": ") + c.regex.errorString() +
                                  QLatin1String(" at offset ") + QString::number(c.regex.patternErrorOffset()));
            c.regex.optimize();
        }
        if (rule.op == RepairRule::Op::Rename) {
            // Checks the template once, against an empty match, so a bad \g<...> fails before any key.
            try {
                expand(c.regex.match(QString()), c.regex, rule.replace);
            } catch (const FormatError& e) {
                throw FormatError(ruleWhere(c.index) + QLatin1String(" field \"replace\": ") + e.message());
            }
        }
        compiled.push_back(std::move(c));
    }
    return compiled;
}

bool ruleMatches(const CompiledRule& rule, const QString& key)
{
    return rule.regex.match(key).hasMatch();
}

QString pythonSub(const QRegularExpression& regex, const QString& replace, const QString& text)
{
    QString out;
    qsizetype last = 0;
    QRegularExpressionMatchIterator it = regex.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out += QStringView(text).mid(last, m.capturedStart() - last);
        out += expand(m, regex, replace);
        last = m.capturedEnd();
    }
    out += QStringView(text).mid(last);
    return out;
}

bool applyKeyRule(const CompiledRule& c, QString& k)
{
    using Op = RepairRule::Op;
    const RepairRule& r = *c.rule;
    switch (r.op) {
    case Op::StripPrefix:
        // Anchored: `backbone.submodule.weight` keeps its `module.`.
        if (k.startsWith(r.prefix))
            k = k.mid(r.prefix.size());
        break;
    case Op::AddPrefix:
        if (r.pattern.isNull() || ruleMatches(c, k))
            k = r.prefix + k;
        break;
    case Op::Rename:
        k = pythonSub(c.regex, r.replace, k);
        break;
    case Op::Map:
        if (k == r.from)
            k = r.to;
        break;
    case Op::Drop:
        return !ruleMatches(c, k);
    default:
        break;
    }
    return true;
}

std::optional<QString> applyKeyRules(const QVector<CompiledRule>& rules, const QString& key)
{
    QString k = key;
    for (const CompiledRule& c : rules) {
        if (!applyKeyRule(c, k))
            return std::nullopt;
    }
    return k;
}

} // namespace statescope
