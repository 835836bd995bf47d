#include "torch_message.h"

namespace statescope {

QString oneLine(const char* what)
{
    constexpr int kMaxLength = 300;
    QString text = QString::fromUtf8(what).simplified();
    if (text.size() > kMaxLength)
        text = text.left(kMaxLength) + QStringLiteral("...");
    return text;
}

} // namespace statescope
