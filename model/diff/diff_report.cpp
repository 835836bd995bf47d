#include "diff_report.h"

#include <QJsonArray>
#include <QLocale>

namespace statescope {

namespace {

QJsonArray shapeJson(const QVector<qint64>& shape)
{
    QJsonArray array;
    for (qint64 dim : shape)
        array.append(dim);
    return array;
}

QJsonObject sideJson(const DiffSide& side)
{
    return QJsonObject{{QStringLiteral("file"), side.file},
                       {QStringLiteral("format"), side.format},
                       {QStringLiteral("selected"), side.selected}};
}

QJsonValue nullable(const QString& text)
{
    return text.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QString count(qint64 n, const char* singular, const char* plural)
{
    return QLocale::c().toString(n) + QLatin1Char(' ') + QLatin1String(n == 1 ? singular : plural);
}

QString sideLine(const char* label, const DiffSide& side)
{
    const QString dict = side.selected.isEmpty()
                             ? QStringLiteral("root state dict")
                             : QLatin1String("state dict '") + side.selected + QLatin1Char('\'');
    return QLatin1String(label) + side.file + QLatin1String(" (") + side.format + QLatin1String(", ") + dict +
           QLatin1String(", ") + count(side.tensors, "tensor", "tensors") + QLatin1String(")\n");
}

QString row(const char* kind, int keys, const QString& detail)
{
    QString label = QLatin1String(kind);
    label = label.leftJustified(12);
    QString keyText = count(keys, "key", "keys");
    keyText = keyText.leftJustified(11);
    return QLatin1String("  ") + label + keyText + detail + QLatin1Char('\n');
}

// The key a per-tensor message of torch_error_text.cpp is about: "size mismatch for KEY: ..." or
// "While copying the parameter named "KEY", ...".
QString keyOfMessage(const QString& message)
{
    const QLatin1String sizeMismatch("size mismatch for ");
    const QLatin1String copying("While copying the parameter named \"");
    if (message.startsWith(sizeMismatch)) {
        const int end = message.indexOf(QLatin1String(": "), sizeMismatch.size());
        if (end > 0)
            return message.mid(sizeMismatch.size(), end - sizeMismatch.size());
    } else if (message.startsWith(copying)) {
        const int end = message.indexOf(QLatin1Char('"'), copying.size());
        if (end > 0)
            return message.mid(copying.size(), end - copying.size());
    }
    return {};
}

QString gnuLine(const QString& file, const QString& key, const char* severity, const QString& message)
{
    // An editor jumps to FILE; one line per problem, so a message's own line breaks would split it.
    QString text = message;
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    const QString keyPart = key.isEmpty() ? QString() : key + QLatin1String(": ");
    return file + QLatin1String(": ") + keyPart + QLatin1String(severity) + QLatin1String(": ") + text +
           QLatin1Char('\n');
}

} // namespace

QJsonObject diffJson(const DiffSide& source, const DiffSide& target, const DiffResult& result)
{
    QJsonArray shapes;
    for (const ShapeMismatch& m : result.sizeMismatch)
        shapes.append(QJsonObject{{QStringLiteral("key"), m.key},
                                  {QStringLiteral("source"), shapeJson(m.sourceShape)},
                                  {QStringLiteral("target"), shapeJson(m.targetShape)}});
    QJsonArray dtypes;
    for (const DtypeMismatch& m : result.dtypeMismatch)
        dtypes.append(QJsonObject{{QStringLiteral("key"), m.key},
                                  {QStringLiteral("source"), dtypeName(m.sourceDtype)},
                                  {QStringLiteral("target"), dtypeName(m.targetDtype)}});
    return QJsonObject{
        {QStringLiteral("source"), sideJson(source)},
        {QStringLiteral("target"), sideJson(target)},
        {QStringLiteral("loadable"), result.loadable},
        {QStringLiteral("missing"), QJsonArray::fromStringList(result.missing)},
        {QStringLiteral("unexpected"), QJsonArray::fromStringList(result.unexpected)},
        {QStringLiteral("shape_mismatch"), shapes},
        {QStringLiteral("dtype_mismatch"), dtypes},
        {QStringLiteral("filled_by_torch"), QJsonArray::fromStringList(result.filledByTorch)},
        {QStringLiteral("torch_error"), nullable(result.torchError)},
        {QStringLiteral("torch_exception"), nullable(result.torchException)},
    };
}

QString diffText(const DiffSide& source, const DiffSide& target, const QString& modelName,
                 const DiffResult& result)
{
    QString text = sideLine("source: ", source) + sideLine("target: ", target);
    text += result.loadable ? QLatin1String("verdict: ") + modelName +
                                  QLatin1String(".load_state_dict(source, strict=True) succeeds\n")
                            : QLatin1String("verdict: ") + modelName +
                                  QLatin1String(".load_state_dict(source, strict=True) fails\n");
    const auto params = [](qint64 n) { return count(n, "parameter", "parameters"); };
    text += row("missing", int(result.missing.size()),
                params(result.missingParameters) + QLatin1String(" in the target"));
    text += row("unexpected", int(result.unexpected.size()),
                params(result.unexpectedParameters) + QLatin1String(" in the source"));
    text += row("shape", int(result.sizeMismatch.size()),
                params(result.mismatchSourceParameters) + QLatin1String(" in the source, ") +
                    params(result.mismatchTargetParameters) + QLatin1String(" in the target"));
    text += row("dtype", int(result.dtypeMismatch.size()), QStringLiteral("informational: copy_ casts them"));
    text += row("filled", int(result.filledByTorch.size()),
                QStringLiteral("num_batches_tracked, filled by BatchNorm"));
    text += row("matched", int(result.matched.size()), params(result.matchedParameters));
    if (!result.torchError.isNull()) {
        text += QLatin1Char('\n');
        if (result.torchException != QLatin1String("RuntimeError"))
            text += result.torchException + QLatin1String(": ");
        text += result.torchError + QLatin1Char('\n');
    }
    return text;
}

QString diffGnu(const DiffSide& source, const DiffResult& result)
{
    const QString& file = source.file;
    QString text;
    if (!result.torchException.isNull() && result.torchException != QLatin1String("RuntimeError"))
        return gnuLine(file, QString(), "error", result.torchException + QLatin1String(": ") + result.torchError);
    for (const QString& key : result.missing)
        text += gnuLine(file, key, "error", QStringLiteral("Missing key in state_dict"));
    for (const QString& key : result.unexpected)
        text += gnuLine(file, key, "error", QStringLiteral("Unexpected key in state_dict"));
    for (const QString& message : result.errorMessages)
        text += gnuLine(file, keyOfMessage(message), "error", message);
    for (const DtypeMismatch& m : result.dtypeMismatch)
        text += gnuLine(file, m.key, "warning",
                        QLatin1String("dtype ") + dtypeName(m.sourceDtype) +
                            QLatin1String(" in checkpoint, ") + dtypeName(m.targetDtype) +
                            QLatin1String(" in current model (load_state_dict casts it)"));
    return text;
}

} // namespace statescope
