#pragma once

#include "checkpoint/dtype.h"

#include <QHash>
#include <QString>
#include <QVector>

namespace statescope {

class Checkpoint;
struct ScriptModuleInfo;
struct StateDict;

// One parameter or persistent buffer of the target model.
struct TargetTensor
{
    QString name; // local name ("weight")
    QString key;  // full state-dict key ("layer1.0.conv1.weight")
    DType dtype = DType::Unknown;
    QVector<qint64> shape;
    qint64 numel = 0;
};

struct TargetModule
{
    QString path;     // "" for the root
    QString prefix;   // path + "." ("" for the root): what torch's load() passes down
    QString typeName; // qualified TorchScript type; empty when rebuilt from keys
    // _NormBase with track_running_stats: its _load_from_state_dict fills a missing num_batches_tracked
    // when the source's metadata version for this module is absent or below 2.
    bool fillsNumBatchesTracked = false;
    // The module overrides set_extra_state (its state_dict() carries "<prefix>_extra_state").
    bool hasExtraState = false;
    QVector<TargetTensor> locals;   // own parameters then buffers, state_dict() order
    QVector<int> children;          // indices into TargetModel::modules(), registration order
    QHash<QString, int> childIndex; // child name -> index into modules()
    QHash<QString, int> localIndex; // local name -> index into locals
};

// The target of a load: its module tree in torch's pre-order walk (a module, then its children in
// registration order), each module with its own parameters and buffers.
class TargetModel
{
public:
    // Rebuilt from a state dict's key order, which is torch's pre-order walk. Modules without any key
    // (ReLU, Dropout, ...) cannot be seen in a state dict and are absent.
    // Throws FormatError (naming `file`) when the keys imply absurdly deep module paths (see kMaxPathChars).
    static TargetModel fromStateDict(const StateDict& stateDict, const QString& file);
    // The real module tree LibTorch reports for a TorchScript archive; tensors' shapes and dtypes come from
    // its state dict. Throws FormatError when the two disagree.
    static TargetModel fromScript(const ScriptModuleInfo& info, const StateDict& stateDict,
                                  const QString& file);
    // The best model a file describes: the real module tree of a TorchScript archive when its state dict
    // is the one used, else the tree rebuilt from the selected state dict's keys.
    static TargetModel forCheckpoint(const Checkpoint& checkpoint, const StateDict& stateDict);

    const QVector<TargetModule>& modules() const { return m_modules; } // pre-order, [0] is the root
    // type(model).__name__ when known (TorchScript), else empty.
    const QString& className() const { return m_className; }
    int tensorCount() const;

    // Whether a TorchScript type (qualified, possibly mangled) is one of torch's _NormBase classes.
    static bool isNormBaseType(const QString& qualifiedTypeName);

private:
    int moduleFor(const QString& path); // finds or creates (with its ancestors) the module at path
    void addTensor(const QString& key, DType dtype, const QVector<qint64>& shape, qint64 numel);
    void finish();

    QVector<TargetModule> m_modules;
    QHash<QString, int> m_modulesByPath;
    QString m_file;
    qint64 m_pathChars = 0; // characters of all module paths so far, against kMaxPathChars
    QString m_className;
};

} // namespace statescope
