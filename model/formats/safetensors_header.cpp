#include "safetensors_header.h"

#include "format_error.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QVariant>
#include <QtEndian>

#include <algorithm>
#include <limits>
#include <vector>

namespace statescope {

namespace {

constexpr qint64 kLengthBytes = 8;

// Names the reference reader knows but StateScope's dtype table cannot hold (sub-byte and scale-only floats):
// such files are valid, so say "unsupported" rather than "unknown".
bool isUnsupportedSafetensorsDtype(const QString& name)
{
    static const QStringList names{QStringLiteral("F4"), QStringLiteral("F6_E2M3"), QStringLiteral("F6_E3M2"),
                                   QStringLiteral("F8_E8M0")};
    return names.contains(name);
}

// "a number", "an array", ... for messages that say what was found instead.
QString jsonTypeName(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("missing");
}

// The reference deserialises shapes and offsets as usize: 3, not 3.0, -3 or 3e0. Qt keeps JSON integers
// that fit in 64 bits as integers and everything else as double, which tells them apart.
bool nonNegativeInteger(const QJsonValue& value, qint64* out)
{
    if (!value.isDouble())
        return false;
    const QVariant variant = value.toVariant();
    if (variant.typeId() != QMetaType::LongLong)
        return false;
    const qint64 n = variant.toLongLong();
    if (n < 0)
        return false;
    *out = n;
    return true;
}

QString rangeText(const SafetensorsEntry& e)
{
    return QLatin1Char('[') + QString::number(e.begin) + QLatin1String(", ") + QString::number(e.end) +
           QLatin1Char(')');
}

// Qt turns a whole JSON number like 4.0 or 4e0 into the integer 4, while the reference (serde, usize) rejects
// it in a shape or data_offsets. So look at the text: a number token with a fraction or exponent directly
// inside `"<tensor>": {"shape": [...]}` or `"data_offsets"` names the tensor at fault. The text has already
// parsed as JSON, so a flat scan with a container stack suffices (and never recurses).
QString tensorWithNonIntegerDims(QByteArrayView text)
{
    std::vector<char> containers;
    bool expectKey = false;
    QByteArrayView tensorKey;
    QByteArrayView fieldKey;
    qsizetype i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '{' || c == '[') {
            containers.push_back(c);
            expectKey = c == '{';
            ++i;
        } else if (c == '}' || c == ']') {
            if (!containers.empty())
                containers.pop_back();
            expectKey = false;
            ++i;
        } else if (c == ',') {
            expectKey = !containers.empty() && containers.back() == '{';
            ++i;
        } else if (c == '"') {
            qsizetype j = i + 1;
            while (j < text.size() && text[j] != '"')
                j += text[j] == '\\' ? 2 : 1;
            const QByteArrayView body = text.sliced(i + 1, std::min(j, text.size()) - i - 1);
            if (expectKey && containers.size() == 1)
                tensorKey = body;
            else if (expectKey && containers.size() == 2)
                fieldKey = body;
            expectKey = false;
            i = j + 1;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            qsizetype j = i;
            bool integral = true;
            while (j < text.size() && QByteArrayView("+-.0123456789eE").contains(text[j])) {
                integral = integral && text[j] != '.' && text[j] != 'e' && text[j] != 'E';
                ++j;
            }
            if (!integral && containers.size() == 3 && containers.back() == '[' &&
                (fieldKey == "shape" || fieldKey == "data_offsets"))
                return QString::fromUtf8(tensorKey) + QLatin1String("': ") + QString::fromUtf8(fieldKey) +
                       QLatin1String(" holds ") + QString::fromUtf8(text.sliced(i, j - i));
            i = j;
        } else {
            ++i; // whitespace, ':' and the letters of true/false/null
        }
    }
    return {};
}

class HeaderParser
{
public:
    explicit HeaderParser(const QString& path) : m_path(path) {}

    [[noreturn]] void fail(const QString& what) const
    {
        throw FormatError(m_path + QLatin1String(": ") + what);
    }
    [[noreturn]] void failTensor(const QString& name, const QString& what) const
    {
        fail(QLatin1String("tensor '") + name + QLatin1String("': ") + what);
    }

    QMap<QString, QString> parseMetadata(const QJsonValue& value) const
    {
        QMap<QString, QString> metadata;
        if (value.isNull()) // serde reads `null` as an absent Option
            return metadata;
        if (!value.isObject())
            fail(QLatin1String("__metadata__ is ") + jsonTypeName(value) +
                 QLatin1String(", not an object of strings"));
        const QJsonObject object = value.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (!it.value().isString())
                fail(QLatin1String("__metadata__ value of '") + it.key() + QLatin1String("' is ") +
                     jsonTypeName(it.value()) + QLatin1String(", not a string"));
            metadata.insert(it.key(), it.value().toString());
        }
        return metadata;
    }

    SafetensorsEntry parseTensor(const QString& name, const QJsonValue& value) const
    {
        if (!value.isObject())
            failTensor(name, QLatin1String("header entry is ") + jsonTypeName(value) +
                                 QLatin1String(", not an object"));
        const QJsonObject info = value.toObject();
        SafetensorsEntry entry;
        entry.name = name;

        const QJsonValue dtype = info.value(QLatin1String("dtype"));
        if (!dtype.isString())
            failTensor(name,
                       QLatin1String("dtype is ") + jsonTypeName(dtype) + QLatin1String(", not a string"));
        entry.dtype = dtypeFromSafetensors(dtype.toString());
        if (entry.dtype == DType::Unknown) {
            if (isUnsupportedSafetensorsDtype(dtype.toString()))
                failTensor(name, QLatin1String("dtype ") + dtype.toString() +
                                     QLatin1String(" is not supported by StateScope"));
            failTensor(name, QLatin1String("unknown dtype '") + dtype.toString() + QLatin1Char('\''));
        }

        const QJsonValue shape = info.value(QLatin1String("shape"));
        if (!shape.isArray())
            failTensor(name,
                       QLatin1String("shape is ") + jsonTypeName(shape) + QLatin1String(", not an array"));
        entry.numel = 1;
        bool overflow = false;
        const QJsonArray dims = shape.toArray();
        for (qsizetype i = 0; i < dims.size(); ++i) {
            qint64 d = 0;
            if (!nonNegativeInteger(dims.at(i), &d))
                failTensor(name, QLatin1String("shape entry ") + QString::number(i) +
                                     QLatin1String(" is not a non-negative 64-bit integer"));
            entry.shape.push_back(d);
            // Like the reference (checked_mul in order), the first overflow is fatal even if a later
            // dimension is 0.
            if (!overflow && d != 0 && entry.numel > std::numeric_limits<qint64>::max() / d)
                overflow = true;
            else if (!overflow)
                entry.numel *= d;
        }
        if (overflow)
            failTensor(name, QLatin1String("shape ") + shapeText(entry.shape) +
                                 QLatin1String(" overflows the element count"));

        const QJsonValue offsets = info.value(QLatin1String("data_offsets"));
        const QJsonArray pair = offsets.toArray();
        if (!offsets.isArray() || pair.size() != 2 || !nonNegativeInteger(pair.at(0), &entry.begin) ||
            !nonNegativeInteger(pair.at(1), &entry.end))
            failTensor(name, QLatin1String("data_offsets is not a pair of non-negative 64-bit integers"));
        return entry;
    }

    // The reference's Metadata::validate: sorted by offsets, each tensor starts where the previous ended, its
    // byte count matches shape x dtype, and the last one ends exactly at the end of the file.
    void validateLayout(const QVector<SafetensorsEntry>& tensors, qint64 bufferSize) const
    {
        qint64 start = 0;
        const SafetensorsEntry* previous = nullptr;
        for (const SafetensorsEntry& e : tensors) {
            if (e.end < e.begin)
                failTensor(e.name, QLatin1String("data_offsets ") + rangeText(e) +
                                       QLatin1String(" end before they begin"));
            if (e.begin < start)
                failTensor(e.name, QLatin1String("data_offsets ") + rangeText(e) +
                                       QLatin1String(" overlap tensor '") + previous->name +
                                       QLatin1String("' ") + rangeText(*previous));
            if (e.begin > start) {
                const QString where =
                    previous ? QLatin1String("after tensor '") + previous->name + QLatin1Char('\'')
                             : QStringLiteral("at the start of the data buffer");
                failTensor(e.name, QLatin1String("data_offsets ") + rangeText(e) +
                                       QLatin1String(" leave a gap of ") + QString::number(e.begin - start) +
                                       QLatin1String(" bytes ") + where);
            }
            const int elementSize = dtypeElementSize(e.dtype);
            if (e.numel > std::numeric_limits<qint64>::max() / elementSize)
                failTensor(e.name, QLatin1String("shape ") + shapeText(e.shape) +
                                       QLatin1String(" overflows the byte count"));
            const qint64 nbytes = e.numel * elementSize;
            if (e.end - e.begin != nbytes)
                failTensor(e.name, QLatin1String("data_offsets ") + rangeText(e) + QLatin1String(" span ") +
                                       QString::number(e.end - e.begin) + QLatin1String(" bytes but shape ") +
                                       shapeText(e.shape) + QLatin1Char(' ') + safetensorsDtypeName(e.dtype) +
                                       QLatin1String(" needs ") + QString::number(nbytes));
            if (e.end > bufferSize)
                failTensor(e.name, QLatin1String("data_offsets ") + rangeText(e) +
                                       QLatin1String(" run past the end of the data buffer (") +
                                       QString::number(bufferSize) +
                                       QLatin1String(" bytes): the file is truncated"));
            start = e.end;
            previous = &e;
        }
        if (start != bufferSize) {
            const QString after =
                previous ? QLatin1String("the last tensor '") + previous->name + QLatin1Char('\'')
                         : QStringLiteral("the header (no tensors)");
            fail(QString::number(bufferSize - start) + QLatin1String(" trailing bytes after ") + after);
        }
    }

private:
    const QString& m_path;
};

} // namespace

SafetensorsHeader parseSafetensorsHeader(QByteArrayView file, const QString& path)
{
    const HeaderParser parser(path);
    if (file.size() < kLengthBytes)
        parser.fail(QLatin1String("file is ") + QString::number(file.size()) +
                    QLatin1String(" bytes, too short for the 8-byte header length"));
    const quint64 length = qFromLittleEndian<quint64>(file.data());
    if (length > quint64(kSafetensorsMaxHeader))
        parser.fail(QLatin1String("header length ") + QString::number(length) +
                    QLatin1String(" exceeds the limit of ") + QString::number(kSafetensorsMaxHeader) +
                    QLatin1String(" bytes"));
    const qint64 available = file.size() - kLengthBytes;
    if (qint64(length) > available)
        parser.fail(QLatin1String("header length ") + QString::number(length) +
                    QLatin1String(" runs past the end of the file (") + QString::number(available) +
                    QLatin1String(" bytes follow the length)"));

    const QByteArrayView text = file.sliced(kLengthBytes, qint64(length));
    if (!text.isValidUtf8())
        parser.fail(QStringLiteral("header is not valid UTF-8"));
    if (!text.startsWith('{'))
        parser.fail(QStringLiteral("header does not start with '{'"));
    QJsonParseError error;
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray::fromRawData(text.data(), text.size()), &error);
    if (error.error != QJsonParseError::NoError)
        parser.fail(QLatin1String("header is not valid JSON: ") + error.errorString() +
                    QLatin1String(" at header byte ") + QString::number(error.offset));
    if (!document.isObject())
        parser.fail(QStringLiteral("header is not a JSON object"));

    if (const QString bad = tensorWithNonIntegerDims(text); !bad.isEmpty())
        parser.fail(QLatin1String("tensor '") + bad + QLatin1String(", not a non-negative integer"));

    SafetensorsHeader header;
    header.dataStart = kLengthBytes + qint64(length);
    const QJsonObject object = document.object();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (it.key() == QLatin1String("__metadata__"))
            header.metadata = parser.parseMetadata(it.value());
        else
            header.tensors.push_back(parser.parseTensor(it.key(), it.value()));
    }
    // File order is offset order; the name breaks ties between empty tensors so the order is deterministic.
    std::sort(header.tensors.begin(), header.tensors.end(),
              [](const SafetensorsEntry& a, const SafetensorsEntry& b) {
                  if (a.begin != b.begin)
                      return a.begin < b.begin;
                  if (a.end != b.end)
                      return a.end < b.end;
                  return a.name < b.name;
              });
    parser.validateLayout(header.tensors, file.size() - header.dataStart);
    return header;
}

} // namespace statescope
