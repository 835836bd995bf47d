#pragma once

#include <QJsonValue>
#include <QSet>

namespace statescope {

class PyObject;

// The non-tensor content of a checkpoint as JSON for `inspect --json` and the GUI's container browser.
// Opaque objects become {"__class__": "argparse.Namespace", "state": {...}}; tensors become
// {"__tensor__": {"dtype", "shape"}}; whole state dicts (listed in `stateDicts`) become
// {"__state_dict__": N}. Cycles and shared sub-trees are cut off, and the output is bounded in size, so a
// hostile "billion laughs" pickle cannot blow it up.
QJsonValue objectToJson(const PyObject* object, const QSet<const PyObject*>& stateDicts);

// A short readable form of a scalar-ish object for tables ("3", "'adam'", "argparse.Namespace(...)").
QString objectSummary(const PyObject* object);

} // namespace statescope
