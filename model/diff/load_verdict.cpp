#include "load_verdict.h"

#include "checkpoint/state_dict.h"
#include "diff/target_model.h"
#include "diff/torch_error_text.h"

#include <QHash>
#include <QSet>

namespace statescope {

namespace {

const QString kExtraState = QStringLiteral("_extra_state");
const QString kNumBatchesTracked = QStringLiteral("num_batches_tracked");

// The module whose unexpected-key check reports `key`, or -1 when no module does. torch descends while the
// next component names a child (the exact "<prefix>_extra_state" is handled before that check, whether the
// module takes it or not). Where the descent stops:
// - Torch113: quietly when the component names a local (anything below a parameter is ignored) or when the
//   key ends exactly at a child's name (it never starts with the child's prefix); reported otherwise;
// - Current and Torch24: a key with a further component reports unless that component is a child; a last
//   component reports unless it is a local.
int unexpectedAt(const TargetModel& target, const QString& key, LoadRules rules)
{
    int module = 0;
    qsizetype start = 0;
    while (true) {
        const TargetModule& m = target.modules().at(module);
        const qsizetype dot = key.indexOf(QLatin1Char('.'), start);
        const QString component = key.mid(start, dot < 0 ? -1 : dot - start);
        if (dot < 0 && component == kExtraState)
            return -1;
        if (!checksUnexpectedByPath(rules) && m.localIndex.contains(component))
            return -1;
        if (dot < 0) {
            if (checksUnexpectedByPath(rules))
                return m.localIndex.contains(component) ? -1 : module;
            return m.childIndex.contains(component) ? -1 : module;
        }
        const auto child = m.childIndex.constFind(component);
        if (child == m.childIndex.constEnd())
            return module;
        module = *child;
        start = dot + 1;
    }
}

class Verdict
{
public:
    Verdict(const StateDict& source, const TargetModel& target, const QString& modelName, LoadRules rules)
        : m_modelName(modelName), m_source(source), m_target(target), m_rules(rules)
    {
        // OrderedDict(pairs): a repeated key keeps its first position and takes the last value.
        for (int i = 0; i < source.entries.size(); ++i)
            m_index.insert(source.entries.at(i).key, i);
        for (const StateDictExtraState& extra : source.extraStates)
            m_extraStates.insert(extra.key);
        QSet<QString> seen;
        forEachKey(source, [this, &seen](const QString& key, const PyTensor*, const PyObject*) {
            if (!seen.contains(key)) {
                seen.insert(key);
                m_order.push_back(key);
            }
        });
        m_unexpectedAt.resize(target.modules().size());
        for (const QString& key : m_order) {
            const int module = unexpectedAt(target, key, rules);
            if (module >= 0)
                m_unexpectedAt[module].push_back(key);
        }
    }

    std::shared_ptr<DiffResult> run()
    {
        auto result = std::make_shared<DiffResult>();
        m_result = result.get();
        for (int i = 0; i < m_target.modules().size(); ++i)
            visit(m_target.modules().at(i), i);
        if (m_result->torchException.isNull()) {
            m_result->torchError = loadStateDictErrorText(m_modelName, m_result->missing,
                                                          m_result->unexpected, m_result->errorMessages);
            if (!m_result->torchError.isNull())
                m_result->torchException = QStringLiteral("RuntimeError");
        }
        m_result->loadable = m_result->torchException.isNull();
        return result;
    }

private:
    const PyTensor* sourceTensor(const QString& key) const
    {
        const auto it = m_index.constFind(key);
        return it == m_index.constEnd() ? nullptr : m_source.entries.at(*it).tensor;
    }

    // Any value counts for torch's key checks; only tensors are compared.
    bool hasKey(const QString& key) const { return m_index.contains(key) || m_extraStates.contains(key); }

    void visit(const TargetModule& module, int index)
    {
        // _NormBase._load_from_state_dict runs before the generic part and inserts the buffer silently.
        QString filled;
        if (module.fillsNumBatchesTracked) {
            const QString key = module.prefix + kNumBatchesTracked;
            // moduleVersion is -1 without _metadata or without an entry/version: torch's `version is None`.
            if (!m_index.contains(key) && m_source.moduleVersion(module.path) < 2) {
                filled = key;
                m_result->filledByTorch << key;
            }
        }
        for (const TargetTensor& local : module.locals) {
            if (local.key == filled)
                continue; // torch.tensor(0, dtype=torch.long) is copied into the 0-dim buffer: fine
            const PyTensor* tensor = sourceTensor(local.key);
            if (!tensor) {
                m_result->missing << local.key;
                m_result->missingParameters += local.numel;
                continue;
            }
            compare(local, *tensor);
        }
        const QString extraKey = module.prefix + kExtraState;
        if (module.hasExtraState) {
            if (!hasKey(extraKey))
                m_result->missing << extraKey;
        } else if (hasKey(extraKey)) {
            noteUnexpected(extraKey);
        }
        for (const QString& key : m_unexpectedAt.at(index))
            noteUnexpected(key);
    }

    void noteUnexpected(const QString& key)
    {
        m_result->unexpected << key;
        if (const PyTensor* tensor = sourceTensor(key))
            m_result->unexpectedParameters += tensor->numel();
    }

    void compare(const TargetTensor& local, const PyTensor& tensor)
    {
        if (tensor.dtype != local.dtype)
            m_result->dtypeMismatch.push_back({local.key, tensor.dtype, local.dtype});
        QVector<qint64> sourceShape = tensor.shape;
        bool firstElement = false;
        // "Backward compatibility: loading 1-dim tensor from 0.3.* to version 0.4+": input_param[0]; in
        // torch 2.13 only for a one-element tensor (Current), before (1.13, 2.6) for any 1-D one.
        const bool takesFirst = local.shape.isEmpty() && sourceShape.size() == 1 &&
                                (takesFirstOfAny1D(m_rules) || sourceShape.front() == 1);
        if (takesFirst) {
            if (sourceShape.front() == 0) {
                abort(QStringLiteral("IndexError"),
                      QStringLiteral("index 0 is out of bounds for dimension 0 with size 0"));
                return;
            }
            sourceShape.clear();
            firstElement = true;
        }
        if (sourceShape != local.shape) {
            m_result->sizeMismatch.push_back({local.key, sourceShape, local.shape});
            m_result->errorMessages << sizeMismatchMessage(local.key, sourceShape, local.shape);
            m_result->mismatchSourceParameters += tensor.numel();
            m_result->mismatchTargetParameters += local.numel;
            return;
        }
        m_result->matched.push_back({local.key, m_index.value(local.key), firstElement});
        m_result->matchedParameters += local.numel;
        if (dtypeIsQuantized(tensor.dtype) && !dtypeIsQuantized(local.dtype)) {
            m_result->errorMessages << copyFailureMessage(
                local.key, local.shape, sourceShape,
                QStringLiteral(
                    "Copying from quantized Tensor to non-quantized Tensor is not allowed, please use "
                    "dequantize to get a float Tensor from a quantized Tensor"));
        }
    }

    // torch raised something other than its collected RuntimeError: the walk ends there for torch. The
    // lists keep being computed for the user, but the error text is the exception's.
    void abort(const QString& type, const QString& text)
    {
        if (!m_result->torchException.isNull())
            return;
        m_result->torchException = type;
        m_result->torchError = text;
    }

    const QString m_modelName;
    const StateDict& m_source;
    const TargetModel& m_target;
    const LoadRules m_rules;
    QHash<QString, int> m_index; // key -> entry holding its tensor
    QSet<QString> m_extraStates; // keys of non-tensor `_extra_state` values
    QStringList m_order;         // unique keys, source order
    QVector<QStringList> m_unexpectedAt;
    DiffResult* m_result = nullptr;
};

} // namespace

std::shared_ptr<const DiffResult> computeLoadVerdict(const StateDict& source, const TargetModel& target,
                                                     const QString& modelName, LoadRules rules)
{
    return Verdict(source, target, modelName, rules).run();
}

} // namespace statescope
