#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QVector>

#include <string>

namespace statescope {

// Appends JSON text to a buffer, field by field. QJsonObject sorts and re-encodes on every insert, which made
// it 60% of `inspect --json` on a 100k-tensor checkpoint; the CLI's large outputs are written with this.
class JsonText
{
public:
    explicit JsonText(std::string* out) : m_out(out) {}

    JsonText& raw(const char* text);
    JsonText& raw(const QByteArray& text);
    // A JSON string literal with RFC 8259 escaping.
    JsonText& string(const QString& value);
    JsonText& number(qint64 value);
    JsonText& number(double value);
    JsonText& boolean(bool value);
    JsonText& null();
    // "key": (with the string escaped)
    JsonText& key(const char* name);
    JsonText& numbers(const QVector<qint64>& values);
    JsonText& strings(const QStringList& values);
    // A value built with Qt's JSON classes (small sub-trees), compact.
    JsonText& value(const QJsonValue& value);

private:
    std::string* m_out; // std::string appends are several times cheaper than QByteArray's
};

} // namespace statescope
