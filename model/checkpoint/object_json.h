#pragma once

#include <QJsonValue>
#include <QSet>

namespace statescope {

class PyObject;

// The non-tensor content of a checkpoint as JSON for `inspect --json` and the GUI's container browser.
// Opaque objects become {"__class__": "argparse.Namespace", "state": {...}}; tensors become
// {"__tensor__": {"dtype", "shape"}}; whole state dicts (listed in `stateDicts`) become
// {"__state_dict__": N}. Cycles are cut off ({"__cycle__": true}); shared sub-trees are written wherever they
// appear, but the output is bounded in nodes and text, so a hostile "billion laughs" pickle ends in
// {"__truncated__": true} instead of gigabytes.
QJsonValue objectToJson(const PyObject* object, const QSet<const PyObject*>& stateDicts);

// A short readable form of a scalar-ish object for tables ("3", "'adam'", "argparse.Namespace(...)").
QString objectSummary(const PyObject* object);

} // namespace statescope
