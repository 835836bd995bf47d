#pragma once

#include "checkpoint/checkpoint.h"

#include <QString>
#include <QObject>

#include <optional>

namespace statescope {

// What StateScope asks of LibTorch. The implementation lives in a plugin (model/tensor/torch/) so that a
// process opening ordinary checkpoints never pays LibTorch's start-up cost (DESIGN.md "LibTorch"). Only Qt
// and standard types cross this boundary, and nothing may throw across it: every call reports failure
// through `error` instead.
class TensorEngine
{
public:
    virtual ~TensorEngine() = default;

    // The module tree and expected state dict of a TorchScript archive, as torch::jit::load sees them.
    // Returns std::nullopt and sets *error (one line, naming the file) when LibTorch cannot load it.
    virtual std::optional<ScriptModuleInfo> describeTorchScript(const QString& path, QString* error) const = 0;
};

} // namespace statescope

// Bump the version when the interface changes: an old plugin then fails to load with a clear message
// instead of calling through a stale vtable.
#define StateScopeTensorEngine_iid "org.statescope.TensorEngine/1"
Q_DECLARE_INTERFACE(statescope::TensorEngine, StateScopeTensorEngine_iid)
