#include "torch_error_text.h"

#include <QRegularExpression>

#include <algorithm>

namespace statescope {

namespace {

const QString kHeader = QStringLiteral("Error(s) in loading state_dict for ");
const QString kMissing = QStringLiteral("Missing key(s) in state_dict: ");
const QString kUnexpected = QStringLiteral("Unexpected key(s) in state_dict: ");
const QString kSizeMismatch = QStringLiteral("size mismatch for ");
// Heads of every message torch's load_state_dict collects (module.py, batchnorm/instancenorm.py).
const QStringList& messageHeads()
{
    static const QStringList heads{
        kMissing,
        kUnexpected,
        kSizeMismatch,
        QStringLiteral("While copying the parameter named "),
        QStringLiteral("Unexpected running stats buffer(s) "),
    };
    return heads;
}

QString quotedList(const QStringList& keys)
{
    QString text;
    for (int i = 0; i < keys.size(); ++i) {
        if (i > 0)
            text += QLatin1String(", ");
        text += QLatin1Char('"') + keys.at(i) + QLatin1Char('"');
    }
    return text;
}

// `"a", "b". ` -> [a, b]. Keys are printed unescaped, so `", "` is the only separator there is.
QStringList parseQuotedList(QString body)
{
    body = body.trimmed();
    if (body.endsWith(QLatin1Char('.')))
        body.chop(1);
    if (body.size() < 2 || !body.startsWith(QLatin1Char('"')) || !body.endsWith(QLatin1Char('"')))
        return {};
    return body.mid(1, body.size() - 2).split(QLatin1String("\", \""));
}

bool parseSize(const QString& text, QVector<qint64>* shape)
{
    static const QRegularExpression sizeRe(QStringLiteral("^torch\\.Size\\(\\[([0-9, ]*)\\]\\)$"));
    const QRegularExpressionMatch m = sizeRe.match(text.trimmed());
    if (!m.hasMatch())
        return false;
    shape->clear();
    const QString dims = m.captured(1).trimmed();
    if (dims.isEmpty())
        return true;
    for (const QString& dim : dims.split(QLatin1Char(','))) {
        bool ok = false;
        const qint64 value = dim.trimmed().toLongLong(&ok);
        if (!ok)
            return false;
        shape->push_back(value);
    }
    return true;
}

bool parseSizeMismatch(const QString& message, ShapeMismatch* out)
{
    // "size mismatch for KEY: copying a param with shape S from checkpoint, the shape in current model is T."
    static const QString middle = QStringLiteral(": copying a param with shape ");
    static const QString fromCheckpoint = QStringLiteral(" from checkpoint, the shape in current model is ");
    const int keyEnd = message.lastIndexOf(middle);
    const int sourceEnd = message.lastIndexOf(fromCheckpoint);
    if (!message.startsWith(kSizeMismatch) || keyEnd < 0 || sourceEnd < keyEnd)
        return false;
    out->key = message.mid(kSizeMismatch.size(), keyEnd - kSizeMismatch.size());
    QString target = message.mid(sourceEnd + fromCheckpoint.size()).trimmed();
    if (target.endsWith(QLatin1Char('.')))
        target.chop(1);
    const int sourceStart = keyEnd + middle.size();
    return parseSize(message.mid(sourceStart, sourceEnd - sourceStart), &out->sourceShape) &&
           parseSize(target, &out->targetShape);
}

} // namespace

QString torchSizeText(const QVector<qint64>& shape)
{
    QString text = QStringLiteral("torch.Size([");
    for (int i = 0; i < shape.size(); ++i) {
        if (i > 0)
            text += QLatin1String(", ");
        text += QString::number(shape.at(i));
    }
    return text + QLatin1String("])");
}

QString sizeMismatchMessage(const QString& key, const QVector<qint64>& sourceShape,
                            const QVector<qint64>& targetShape)
{
    return kSizeMismatch + key + QLatin1String(": copying a param with shape ") + torchSizeText(sourceShape) +
           QLatin1String(" from checkpoint, the shape in current model is ") + torchSizeText(targetShape) +
           QLatin1Char('.');
}

QString copyFailureMessage(const QString& key, const QVector<qint64>& targetShape,
                           const QVector<qint64>& sourceShape, const QString& exceptionText)
{
    // torch formats ex.args, a one-element tuple: ('text',) -- repr quoting, which for these texts is '...'.
    return QLatin1String("While copying the parameter named \"") + key +
           QLatin1String("\", whose dimensions in the model are ") + torchSizeText(targetShape) +
           QLatin1String(" and whose dimensions in the checkpoint are ") + torchSizeText(sourceShape) +
           QLatin1String(", an exception occurred : ('") + exceptionText + QLatin1String("',).");
}

QString loadStateDictErrorText(const QString& modelName, const QStringList& missing,
                               const QStringList& unexpected, const QStringList& errorMessages)
{
    QStringList messages;
    if (!missing.isEmpty())
        messages << kMissing + quotedList(missing) + QLatin1String(". ");
    if (!unexpected.isEmpty())
        messages << kUnexpected + quotedList(unexpected) + QLatin1String(". ");
    messages += errorMessages;
    if (messages.isEmpty())
        return QString();
    return kHeader + modelName + QLatin1String(":\n\t") + messages.join(QLatin1String("\n\t"));
}

ParsedTorchError parseTorchError(const QString& text)
{
    ParsedTorchError result;
    QString normalised = text;
    normalised.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    // The message's header is a line ending in ':'. A traceback quotes torch's own source line first
    // (`raise RuntimeError('Error(s) in loading state_dict for {}:\n\t{}'.format(`), which does not qualify.
    int header = -1;
    int colonLine = -1;
    QString headerLine;
    for (int at = normalised.indexOf(kHeader); at >= 0; at = normalised.indexOf(kHeader, at + 1)) {
        const int end = normalised.indexOf(QLatin1Char('\n'), at);
        const QString line = normalised.mid(at, end < 0 ? -1 : end - at).trimmed();
        if (line.endsWith(QLatin1Char(':'))) {
            header = at;
            colonLine = end;
            headerLine = line;
            break;
        }
    }
    if (header < 0)
        return result;
    result.recognised = true;
    result.modelName = headerLine.mid(kHeader.size(), headerLine.size() - kHeader.size() - 1);
    if (colonLine < 0)
        return result;

    // Messages start on a line of their own behind a tab (or the spaces a terminal made of it); any other
    // line continues the message before it (a terminal wrapped it), so it is joined back without a break.
    QStringList messages;
    for (const QString& rawLine : normalised.mid(colonLine + 1).split(QLatin1Char('\n'))) {
        // Only leading blanks go: a trailing space may be the ", " a terminal wrapped after.
        qsizetype first = 0;
        while (first < rawLine.size() && rawLine.at(first).isSpace())
            ++first;
        const QString line = rawLine.mid(first);
        const bool starts = std::any_of(messageHeads().cbegin(), messageHeads().cend(),
                                        [&](const QString& head) { return line.startsWith(head); });
        if (starts || messages.isEmpty())
            messages << line;
        else
            messages.last() += rawLine;
    }
    for (QString message : messages) {
        if (message.isEmpty())
            continue;
        if (message.startsWith(kMissing)) {
            result.missing += parseQuotedList(message.mid(kMissing.size()));
        } else if (message.startsWith(kUnexpected)) {
            result.unexpected += parseQuotedList(message.mid(kUnexpected.size()));
        } else {
            ShapeMismatch mismatch;
            if (parseSizeMismatch(message.trimmed(), &mismatch))
                result.sizeMismatch.push_back(std::move(mismatch));
            else
                result.otherMessages << message.trimmed();
        }
    }
    return result;
}

} // namespace statescope
