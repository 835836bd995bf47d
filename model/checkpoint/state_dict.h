#pragma once

#include "checkpoint/pyobject.h"

#include <QMap>
#include <QString>
#include <QVector>

#include <functional>

namespace statescope {

class Checkpoint;

struct StateDictEntry
{
    QString key;
    const PyTensor* tensor = nullptr;
};

// A non-tensor `<module>._extra_state` value (whatever get_extra_state() returned: a dict, bytes, a number).
// torch's load_state_dict hands it to set_extra_state, so it counts as a key like any tensor.
struct StateDictExtraState
{
    QString key;
    const PyObject* value = nullptr;
    int position = 0; // how many tensor entries precede it in the dict
};

// One dict of tensors found in a checkpoint, with the path that reaches it from the root.
struct StateDict
{
    QString path; // components joined by '/', "" for the root
    const PyObject* object = nullptr;
    QVector<StateDictEntry> entries; // in the dict's order
    QVector<StateDictExtraState> extraStates; // non-tensor `_extra_state` values, in the dict's order
    // The OrderedDict's _metadata (module prefix -> {"version": N, ...}); nullptr for a plain dict.
    const PyDict* metadata = nullptr;
    // Version torch's _load_from_state_dict sees for a module prefix ("" root, "layer1.0.bn1"); -1 when the
    // metadata has no entry or no version for it. Float and bool versions count by value (floor), as torch's
    // `version < 2` test sees them; NaN compares false, so it reads as a high version.
    int moduleVersion(const QString& modulePrefix) const;
};

// Every key of a state dict in the dict's order: a tensor entry with its tensor (and a null value), a
// non-tensor `_extra_state` with a null tensor and its value.
void forEachKey(const StateDict& stateDict,
                const std::function<void(const QString& key, const PyTensor* tensor, const PyObject* extraValue)>& visit);

// Every state dict reachable from the root, best first: the root itself, then the conventional names
// (state_dict, model_state_dict, model, module, net, network, ema, model_ema, state_dict_ema), then by
// number of tensors. A state dict is a dict whose keys are all strings and whose values are tensors
// (`*_extra_state` entries may hold anything); optimizer state, keyed by integers, never qualifies.
QVector<StateDict> findStateDicts(const Checkpoint& checkpoint);

// The candidate at `path` ("" is the root); a null QString picks the best candidate. Throws FormatError when there is none,
// naming the candidates that exist.
StateDict selectStateDict(const Checkpoint& checkpoint, const QString& path);

} // namespace statescope
