#include "readers.h"

#include "checkpoint/checkpoint.h"
#include "format_error.h"
#include "mapped_file.h"
#include "tensor/tensor_engine.h"
#include "tensor/tensor_engine_loader.h"
#include "torch_zip_reader.h"
#include "zip_archive.h"

namespace statescope {

namespace {

QString describeObject(const PyObject* object)
{
    if (const auto* opaque = object->as<PyOpaque>())
        return opaque->className().isEmpty() ? QStringLiteral("an object") : opaque->className();
    return QStringLiteral("a plain value");
}

// data.pkl holds the module as `__torch__.<Class>` objects built by NEWOBJ + BUILD of a dict of attributes,
// submodules and tensors among them: follow the dotted key through those attribute dicts.
const PyTensor* findTensor(const PyObject* module, const QString& key, const QString& path)
{
    const PyObject* current = module;
    QString reached; // the module path walked so far, for messages
    const QStringList components = key.split(QLatin1Char('.'));
    for (const QString& component : components) {
        const auto* opaque = current->as<PyOpaque>();
        const PyDict* attributes = opaque && opaque->state ? opaque->state->as<PyDict>() : nullptr;
        const QString where = reached.isEmpty() ? QStringLiteral("the root module") : QLatin1String("module ") + reached;
        if (!attributes)
            throw FormatError(path + QLatin1String(": data.pkl: ") + where + QLatin1String(" is ") + describeObject(current) +
                              QLatin1String(" without an attribute dict, so state dict key ") + key +
                              QLatin1String(" cannot be found"));
        current = attributes->value(component);
        if (!current)
            throw FormatError(path + QLatin1String(": data.pkl: ") + where + QLatin1String(" (") + opaque->className() +
                              QLatin1String(") has no attribute '") + component + QLatin1String("' for state dict key ") + key);
        reached = reached.isEmpty() ? component : reached + QLatin1Char('.') + component;
    }
    const auto* tensor = current->as<PyTensor>();
    if (!tensor)
        throw FormatError(path + QLatin1String(": data.pkl: state dict key ") + key + QLatin1String(" is ") +
                          describeObject(current) + QLatin1String(", not a tensor"));
    return tensor;
}

} // namespace

PyObject* readTorchScript(Checkpoint& checkpoint, int file)
{
    const MappedFile& mapped = checkpoint.file(file);
    const QString& path = mapped.path();
    const ZipArchive& zip = mapped.zipDirectory();
    const QString folder = zipArchiveFolder(zip, path);

    // Our own unpickler first: it needs no LibTorch, registers every storage with its bytes, and rejects a
    // malformed archive (truncated data/ records, hostile pickles) before LibTorch is asked to load it.
    const PyObject* module = readZipPickle(checkpoint, file, zip, folder, QStringLiteral("data.pkl"));

    // Only LibTorch knows which attributes are parameters and buffers (that lives in the class types of
    // code/ and the archive's type tables), so the expected keys come from the tensor engine.
    QString error;
    const TensorEngine* engine = tensorEngine(&error);
    if (!engine)
        throw FormatError(path + QLatin1String(": cannot open TorchScript without LibTorch: ") + error);
    std::optional<ScriptModuleInfo> info = engine->describeTorchScript(path, &error);
    if (!info)
        throw FormatError(error);

    // The root is the module's state_dict() as torch would return it, so state-dict discovery, the
    // load_state_dict verdict and export treat a TorchScript file like any other checkpoint.
    auto* stateDict = checkpoint.arena().make<PyDict>();
    stateDict->className = QStringLiteral("collections.OrderedDict");
    for (const ScriptModuleInfo::Tensor& entry : info->stateDict) {
        const QString indexName = QLatin1String("s:") + entry.key;
        if (stateDict->keyIndex.contains(indexName))
            throw FormatError(path + QLatin1String(": LibTorch reports state dict key ") + entry.key + QLatin1String(" twice"));
        // The object tree is immutable once read; the dict only refers to tensors it owns through the arena.
        auto* tensor = const_cast<PyTensor*>(findTensor(module, entry.key, path));
        stateDict->keyIndex.insert(indexName, int(stateDict->items.size()));
        stateDict->items.push_back({checkpoint.arena().make<PyString>(entry.key), tensor});
    }
    checkpoint.setScriptModule(std::make_unique<ScriptModuleInfo>(std::move(*info)));
    checkpoint.setPickleRoot(module);
    return stateDict;
}

} // namespace statescope
