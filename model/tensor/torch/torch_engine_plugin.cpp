// LibTorch first: Qt's `slots`/`signals` macros would break its headers (the target also sets QT_NO_KEYWORDS).
#include <torch/script.h>

#include "torch_engine_plugin.h"
#include "torch_export.h"
#include "torch_message.h"
#include "torch_values.h"

#include <QFile>

namespace statescope {

namespace {

QString fromStd(const std::string& text)
{
    return QString::fromStdString(text);
}

QString typeName(const torch::jit::Module& module, bool qualified)
{
    const auto& name = module.type()->name();
    if (!name)
        return QString();
    return fromStd(qualified ? name->qualifiedName() : name->name());
}

ScriptModuleInfo describe(const torch::jit::Module& root)
{
    ScriptModuleInfo info;
    // QualifiedName::name() is the last atom: "ResNet" for __torch__.torchvision.models.resnet.ResNet, which
    // is type(model).__name__ of the eager module (mangling only touches the namespace atoms).
    info.className = typeName(root, false);
    // named_modules() is pre-order; per module its own parameters, then its own buffers, is exactly the
    // order of Module.state_dict(). TorchScript keeps no "persistent" flag, so a non-persistent buffer of the
    // eager module appears here as an ordinary buffer (torch's own ScriptModule.state_dict() does the same).
    for (const torch::jit::NameModule& named : root.named_modules()) {
        const QString path = fromStd(named.name);
        info.modules.push_back({path, typeName(named.value, true)});
        const QString prefix = path.isEmpty() ? QString() : path + QLatin1Char('.');
        for (const auto& parameter : named.value.named_parameters(/*recurse=*/false))
            info.stateDict.push_back({prefix + fromStd(parameter.name), false});
        for (const auto& buffer : named.value.named_buffers(/*recurse=*/false))
            info.stateDict.push_back({prefix + fromStd(buffer.name), true});
    }
    return info;
}

} // namespace

std::optional<ScriptModuleInfo> TorchEnginePlugin::describeTorchScript(const QString& path, QString* error) const
{
    // No exception may leave the plugin: the host is built without knowledge of c10's exception types.
    QString failure;
    try {
        // kCPU: an archive saved from a GPU still loads on a machine without one.
        const torch::jit::Module module = torch::jit::load(QFile::encodeName(path).toStdString(), torch::kCPU);
        return describe(module);
    } catch (const c10::Error& e) {
        failure = oneLine(e.what_without_backtrace());
    } catch (const std::exception& e) {
        failure = oneLine(e.what());
    } catch (...) {
        failure = QStringLiteral("unknown exception");
    }
    if (error)
        *error = path + QLatin1String(": LibTorch cannot load this TorchScript archive: ") + failure;
    return std::nullopt;
}

// The value arithmetic lives in torch_values.cpp; these only forward.
EngineStatus TorchEnginePlugin::compare(const TensorView& a, const TensorView& b, const ValueOptions& options,
                                        ValueSums* out, const std::atomic<bool>* cancel, const ByteProgress& progress,
                                        QString* error) const
{
    return torchvalues::compare(a, b, options, out, cancel, progress, error);
}

EngineStatus TorchEnginePlugin::moments(const TensorView& view, const ValueOptions& options, MomentSums* out,
                                        const std::atomic<bool>* cancel, const ByteProgress& progress,
                                        QString* error) const
{
    return torchvalues::moments(view, options, out, cancel, progress, error);
}

EngineStatus TorchEnginePlugin::histogram(const TensorView& view, int bins, double lo, double hi,
                                          const ValueOptions& options, QVector<qint64>* counts,
                                          const std::atomic<bool>* cancel, const ByteProgress& progress,
                                          QString* error) const
{
    return torchvalues::histogram(view, bins, lo, hi, options, counts, cancel, progress, error);
}

// Export lives in torch_export.cpp.
EngineStatus TorchEnginePlugin::computeTensor(const TensorJob& job, QByteArray* out, QString* error) const
{
    return torchexport::computeTensor(job, out, error);
}

} // namespace statescope
