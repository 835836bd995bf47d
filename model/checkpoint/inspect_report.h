#pragma once

#include "checkpoint/state_dict.h"

#include <QJsonObject>
#include <QString>

namespace statescope {

class Checkpoint;

// What `statescope inspect` prints, as the JSON of CLI.md or as readable text with the module tree.
QJsonObject inspectJson(const Checkpoint& checkpoint, const QVector<StateDict>& candidates, const StateDict& selected);
QString inspectText(const Checkpoint& checkpoint, const QVector<StateDict>& candidates, const StateDict& selected);

// One tensor record of `inspect --json` ("key", "dtype", "shape", "stride", "offset", "storage", "location",
// "nbytes", plus "shard", "layout", "qscheme" where they apply).
QJsonObject tensorRecordJson(const Checkpoint& checkpoint, const StateDictEntry& entry);

// "1.5 MiB", "12 B": sizes as people read them.
QString humanBytes(qint64 bytes);
// "11,689,512"
QString groupedNumber(qint64 value);

} // namespace statescope
