#pragma once

#include <QPair>
#include <QString>
#include <QVector>

#include <array>

namespace statescope {

// Where things first happen in one pickle stream of a file. torch.load(weights_only=True) stops at the first
// opcode or global its unpickler refuses; with these offsets StateScope can say which one that is without
// reading the stream again.
struct PickleProfile
{
    QString record; // "data.pkl", "main pickle", "member 'pickle'"
    std::array<qint64, 256> firstOpcode; // offset of each opcode's first occurrence, -1 when it never occurs
    QVector<QPair<QString, qint64>> globals; // "module.name" and the offset of its first GLOBAL/STACK_GLOBAL

    PickleProfile() { firstOpcode.fill(-1); }
};

} // namespace statescope
