#include "snapshot_tensors.h"

#include "session/diff_tree_model.h"

namespace statescope {

namespace {

const PyTensor* find(const StateDict& dict, const QString& key)
{
    // The last of a repeated key, as OrderedDict(pairs) keeps it.
    for (auto it = dict.entries.crbegin(); it != dict.entries.crend(); ++it) {
        if (it->key == key)
            return it->tensor;
    }
    return nullptr;
}

} // namespace

const PyTensor* sourceFileTensor(const DiffSnapshot& snapshot, const QString& key)
{
    // Snapshots made without a plan (tests, the first diff) may carry only the view, which is the file then.
    if (snapshot.originalSourceDict.entries.isEmpty())
        return find(snapshot.sourceDict, key);
    const auto renamed = snapshot.originalSourceKeys.constFind(key);
    if (renamed != snapshot.originalSourceKeys.constEnd())
        return find(snapshot.originalSourceDict, renamed.value());
    if (snapshot.repaired) {
        for (const RepairedEntry& entry : snapshot.repaired->entries) {
            if (entry.key == key)
                return entry.sourceKey.isEmpty() ? nullptr : find(snapshot.originalSourceDict, entry.sourceKey);
        }
    }
    return find(snapshot.originalSourceDict, key);
}

const PyTensor* targetTensor(const DiffSnapshot& snapshot, const QString& key)
{
    return find(snapshot.targetDict, key);
}

} // namespace statescope
