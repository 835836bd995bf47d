#include "json_text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <charconv>
#include <cmath>

namespace statescope {

JsonText& JsonText::raw(const char* text)
{
    m_out->append(text);
    return *this;
}

JsonText& JsonText::raw(const QByteArray& text)
{
    m_out->append(text.constData(), static_cast<std::size_t>(text.size()));
    return *this;
}

JsonText& JsonText::string(const QString& value)
{
    static const char hex[] = "0123456789abcdef";
    const QByteArray utf8 = value.toUtf8();
    m_out->push_back('"');
    // Copy runs of plain characters at once; escape the few that need it.
    qsizetype runStart = 0;
    auto flush = [&](qsizetype end) {
        if (end > runStart)
            m_out->append(utf8.constData() + runStart, static_cast<std::size_t>(end - runStart));
    };
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto u = static_cast<unsigned char>(utf8[i]);
        if (u >= 0x20 && u != '"' && u != '\\')
            continue;
        flush(i);
        runStart = i + 1;
        switch (u) {
        case '"': m_out->append("\\\""); break;
        case '\\': m_out->append("\\\\"); break;
        case '\n': m_out->append("\\n"); break;
        case '\r': m_out->append("\\r"); break;
        case '\t': m_out->append("\\t"); break;
        case '\b': m_out->append("\\b"); break;
        case '\f': m_out->append("\\f"); break;
        default: {
            const char escape[] = {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 15]};
            m_out->append(escape, sizeof escape);
        }
        }
    }
    flush(utf8.size());
    m_out->push_back('"');
    return *this;
}

JsonText& JsonText::number(qint64 value)
{
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    m_out->append(digits, static_cast<std::size_t>(end - digits));
    return *this;
}

JsonText& JsonText::number(double value)
{
    if (!std::isfinite(value))
        return null();
    raw(QByteArray::number(value, 'g', 17));
    return *this;
}

JsonText& JsonText::boolean(bool value)
{
    m_out->append(value ? "true" : "false");
    return *this;
}

JsonText& JsonText::null()
{
    m_out->append("null");
    return *this;
}

JsonText& JsonText::key(const char* name)
{
    m_out->push_back('"');
    m_out->append(name);
    m_out->append("\": ");
    return *this;
}

JsonText& JsonText::numbers(const QVector<qint64>& values)
{
    m_out->push_back('[');
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i)
            m_out->append(", ");
        number(values[i]);
    }
    m_out->push_back(']');
    return *this;
}

JsonText& JsonText::strings(const QStringList& values)
{
    m_out->push_back('[');
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i)
            m_out->append(", ");
        string(values[i]);
    }
    m_out->push_back(']');
    return *this;
}

JsonText& JsonText::value(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Object: raw(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)); break;
    case QJsonValue::Array: raw(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)); break;
    case QJsonValue::String: string(value.toString()); break;
    case QJsonValue::Double: number(value.toDouble()); break;
    case QJsonValue::Bool: boolean(value.toBool()); break;
    default: null(); break;
    }
    return *this;
}

} // namespace statescope
