#include "target_model.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "formats/format_error.h"

namespace statescope {

namespace {

const QString kExtraState = QStringLiteral("_extra_state");

// Every module stores its full path, so one key of n components costs O(n^2) characters: a hostile key
// with a million dots would ask for terabytes. Real models stay far below (10k modules x 100 characters).
constexpr qint64 kMaxPathChars = 64 * 1024 * 1024;

QString parentPath(const QString& path)
{
    const int dot = path.lastIndexOf(QLatin1Char('.'));
    return dot < 0 ? QString() : path.left(dot);
}

} // namespace

bool TargetModel::isNormBaseType(const QString& qualifiedTypeName)
{
    // Mangling ("___torch_mangle_3") only touches namespace atoms, so the last atom is the class name.
    static const QStringList names{
        QStringLiteral("BatchNorm1d"),        QStringLiteral("BatchNorm2d"),
        QStringLiteral("BatchNorm3d"),        QStringLiteral("LazyBatchNorm1d"),
        QStringLiteral("LazyBatchNorm2d"),    QStringLiteral("LazyBatchNorm3d"),
        QStringLiteral("SyncBatchNorm"),      QStringLiteral("InstanceNorm1d"),
        QStringLiteral("InstanceNorm2d"),     QStringLiteral("InstanceNorm3d"),
        QStringLiteral("LazyInstanceNorm1d"), QStringLiteral("LazyInstanceNorm2d"),
        QStringLiteral("LazyInstanceNorm3d"),
    };
    return names.contains(qualifiedTypeName.section(QLatin1Char('.'), -1));
}

int TargetModel::moduleFor(const QString& path)
{
    if (const auto it = m_modulesByPath.constFind(path); it != m_modulesByPath.constEnd())
        return *it;
    // Iterative, component by component: a hostile key with a million dots must not recurse a million deep.
    int current = 0;
    qsizetype start = 0;
    while (true) {
        const qsizetype dot = path.indexOf(QLatin1Char('.'), start);
        const qsizetype end = dot < 0 ? path.size() : dot;
        const QString childPath = path.left(end);
        auto it = m_modulesByPath.constFind(childPath);
        int child = 0;
        if (it == m_modulesByPath.constEnd()) {
            m_pathChars += end;
            if (m_pathChars > kMaxPathChars)
                throw FormatError(m_file +
                                  QLatin1String(": the state dict keys imply module paths of more than ") +
                                  QString::number(kMaxPathChars) + QLatin1String(" characters in all (key ") +
                                  path.left(80) + QLatin1String("...); no real model nests that deep"));
            TargetModule module;
            module.path = childPath;
            module.prefix = childPath + QLatin1Char('.');
            child = int(m_modules.size());
            m_modules.push_back(std::move(module));
            m_modules[current].children.push_back(child);
            m_modules[current].childIndex.insert(path.mid(start, end - start), child);
            m_modulesByPath.insert(childPath, child);
        } else {
            child = *it;
        }
        current = child;
        if (dot < 0)
            return current;
        start = dot + 1;
    }
}

void TargetModel::addTensor(const QString& key, DType dtype, const QVector<qint64>& shape, qint64 numel)
{
    const int dot = key.lastIndexOf(QLatin1Char('.'));
    const QString name = dot < 0 ? key : key.mid(dot + 1);
    TargetModule& module = m_modules[moduleFor(dot < 0 ? QString() : key.left(dot))];
    if (name == kExtraState) {
        // Not a parameter or buffer: torch hands it to set_extra_state, with no shape check.
        module.hasExtraState = true;
        return;
    }
    module.localIndex.insert(name, int(module.locals.size()));
    module.locals.push_back({name, key, dtype, shape, numel});
}

void TargetModel::finish()
{
    for (TargetModule& module : m_modules) {
        const bool normKeys = module.localIndex.contains(QStringLiteral("running_mean")) &&
                              module.localIndex.contains(QStringLiteral("running_var")) &&
                              module.localIndex.contains(QStringLiteral("num_batches_tracked"));
        // track_running_stats=True is what registers num_batches_tracked, and only then does _NormBase fill
        // it.
        const bool normType = isNormBaseType(module.typeName) &&
                              module.localIndex.contains(QStringLiteral("num_batches_tracked"));
        module.fillsNumBatchesTracked = normKeys || normType;
    }
}

int TargetModel::tensorCount() const
{
    int count = 0;
    for (const TargetModule& module : m_modules)
        count += int(module.locals.size());
    return count;
}

TargetModel TargetModel::fromStateDict(const StateDict& stateDict, const QString& file)
{
    TargetModel model;
    model.m_file = file;
    model.m_modules.push_back(TargetModule{});
    model.m_modulesByPath.insert(QString(), 0);
    // Keys in the dict's order (modules are numbered as they first appear); a non-tensor `_extra_state`
    // marks its module as one that takes extra state, exactly as a tensor one does.
    forEachKey(stateDict, [&model](const QString& key, const PyTensor* tensor, const PyObject*) {
        if (tensor)
            model.addTensor(key, tensor->dtype, tensor->shape, tensor->numel());
        else
            model.addTensor(key, DType::Unknown, {}, 0);
    });
    model.finish();
    return model;
}

TargetModel TargetModel::fromScript(const ScriptModuleInfo& info, const StateDict& stateDict,
                                    const QString& file)
{
    TargetModel model;
    model.m_file = file;
    model.m_className = info.className;
    model.m_modules.push_back(TargetModule{});
    model.m_modulesByPath.insert(QString(), 0);
    // named_modules() is pre-order, so every module's parent is already known when it arrives.
    for (const ScriptModuleInfo::Module& module : info.modules) {
        if (module.path.isEmpty()) {
            model.m_modules[0].typeName = module.typeName;
            continue;
        }
        if (model.m_modulesByPath.contains(module.path))
            continue; // a module registered twice is walked once per name, but its path is unique
        if (!model.m_modulesByPath.contains(parentPath(module.path)))
            throw FormatError(file + QLatin1String(": the archive lists module ") + module.path +
                              QLatin1String(" before its parent"));
        model.m_modules[model.moduleFor(module.path)].typeName = module.typeName;
    }
    QHash<QString, const PyTensor*> tensors;
    for (const StateDictEntry& entry : stateDict.entries)
        tensors.insert(entry.key, entry.tensor);
    for (const ScriptModuleInfo::Tensor& t : info.stateDict) {
        const PyTensor* tensor = tensors.value(t.key);
        if (!tensor)
            throw FormatError(file + QLatin1String(": the archive's module reports state dict key ") + t.key +
                              QLatin1String(" but the archive's data.pkl has no such tensor"));
        const int dot = t.key.lastIndexOf(QLatin1Char('.'));
        if (!model.m_modulesByPath.contains(dot < 0 ? QString() : t.key.left(dot)))
            throw FormatError(file + QLatin1String(": the archive's module reports state dict key ") + t.key +
                              QLatin1String(" outside every module it lists"));
        model.addTensor(t.key, tensor->dtype, tensor->shape, tensor->numel());
    }
    model.finish();
    return model;
}

TargetModel TargetModel::forCheckpoint(const Checkpoint& checkpoint, const StateDict& stateDict)
{
    const ScriptModuleInfo* script = checkpoint.scriptModule();
    return script && stateDict.path.isEmpty() ? fromScript(*script, stateDict, checkpoint.path())
                                              : fromStateDict(stateDict, checkpoint.path());
}

} // namespace statescope
