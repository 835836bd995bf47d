#pragma once

#include "tensor/tensor_engine.h"

#include <QObject>

namespace statescope {

// The LibTorch implementation of TensorEngine. This header stays free of LibTorch so moc and the loader
// never see its headers; everything that touches LibTorch is in torch_engine_plugin.cpp.
class TorchEnginePlugin : public QObject, public TensorEngine
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID StateScopeTensorEngine_iid)
    Q_INTERFACES(statescope::TensorEngine)

public:
    std::optional<ScriptModuleInfo> describeTorchScript(const QString& path, QString* error) const override;
    EngineStatus compare(const TensorView& a, const TensorView& b, const ValueOptions& options, ValueSums* out,
                         const std::atomic<bool>* cancel, const ByteProgress& progress, QString* error) const override;
    EngineStatus moments(const TensorView& view, const ValueOptions& options, MomentSums* out,
                         const std::atomic<bool>* cancel, const ByteProgress& progress, QString* error) const override;
    EngineStatus histogram(const TensorView& view, int bins, double lo, double hi, const ValueOptions& options,
                           QVector<qint64>* counts, const std::atomic<bool>* cancel, const ByteProgress& progress,
                           QString* error) const override;
    EngineStatus computeTensor(const TensorJob& job, QByteArray* out, QString* error) const override;
};

} // namespace statescope
