#pragma once

#include <QString>

#include <stdexcept>

namespace statescope {

// Thrown by every reader for input it cannot accept. The message names what and where (file, record, offset)
// and is shown to the user as is: "data.pkl: memo index 17 out of range at offset 1234".
class FormatError : public std::runtime_error
{
public:
    explicit FormatError(const QString& message)
        : std::runtime_error(message.toStdString()), m_message(message)
    {
    }
    const QString& message() const { return m_message; }

private:
    QString m_message;
};

} // namespace statescope
