#pragma once

#include "checkpoint/state_dict.h"

#include <QJsonObject>
#include <QString>

namespace statescope {

class Checkpoint;

class JsonText;

// What `statescope inspect` prints, as the JSON of CLI.md (UTF-8 text, one tensor record per line) or as
// readable text with the module tree.
QByteArray inspectJson(const Checkpoint& checkpoint, const QVector<StateDict>& candidates, const StateDict& selected);
QString inspectText(const Checkpoint& checkpoint, const QVector<StateDict>& candidates, const StateDict& selected);

// One tensor record of `inspect --json` ("key", "dtype", "shape", "stride", "offset", "storage", "location",
// "nbytes", plus "shard", "layout", "qscheme" where they apply).
void writeTensorRecord(JsonText& json, const Checkpoint& checkpoint, const StateDictEntry& entry);
// The same record as a QJsonObject, for tests and single-tensor views.
QJsonObject tensorRecordJson(const Checkpoint& checkpoint, const StateDictEntry& entry);

// "1.5 MiB", "12 B": sizes as people read them.
QString humanBytes(qint64 bytes);
// "11,689,512"
QString groupedNumber(qint64 value);

} // namespace statescope
