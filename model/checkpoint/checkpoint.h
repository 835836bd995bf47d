#pragma once

#include "checkpoint/pickle_profile.h"
#include "checkpoint/pyobject.h"

#include <QHash>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>
#include <vector>

namespace statescope {

class MappedFile;

enum class CheckpointFormat { TorchZip, TorchLegacy, TorchLegacyTar, SafeTensors, TorchScript, TorchExport, Sharded };

// The names CLI.md fixes: torch-zip, torch-legacy (stream and tar alike), safetensors, torchscript,
// torch-export (torch.export.save's .pt2), sharded.
QString formatName(CheckpointFormat format);
// Whether files of the format hold a torch.save container (a dict with epoch, optimizer, ...) that an export
// can keep around the repaired state dict; a TorchScript module, a torch.export program, safetensors and a
// shard index have none.
bool formatHasContainer(CheckpointFormat format);

// Where the bytes of one storage live: a range of one of the checkpoint's mapped files.
struct StorageBytes
{
    int file = 0;          // index into Checkpoint::files()
    qint64 offset = 0;     // absolute offset in that file
    qint64 size = 0;       // bytes
    QString record;        // "data/0", "storages[3]", "model-00001.safetensors", for messages
    bool compressed = false; // a DEFLATE zip entry: not reachable through the mapping
};

// The module behind a TorchScript archive (as LibTorch reports it) or a torch.export archive (as its program
// records it): the real module tree and the expected keys.
struct ScriptModuleInfo
{
    struct Module
    {
        QString path;     // "" for the root, "layer1.0" ...
        QString typeName; // "__torch__.torchvision.models.resnet.ResNet" or "torch.nn.modules.batchnorm.BatchNorm2d"
    };
    struct Tensor
    {
        QString key;
        bool isBuffer = false;
    };
    QString className; // unqualified class name, as torch prints it in load_state_dict errors
    QVector<Module> modules;  // pre-order
    QVector<Tensor> stateDict; // model.state_dict() order
};

// An immutable snapshot of one opened checkpoint: the inert object tree of its pickle (or a synthesised one
// for safetensors), where each storage's bytes are, and the files mapped to reach them.
class Checkpoint
{
public:
    Checkpoint(QString path, CheckpointFormat format);
    ~Checkpoint();

    const QString& path() const { return m_path; }
    CheckpointFormat format() const { return m_format; }
    const PyObject* root() const { return m_root; }
    // The object tree as the file's pickle describes it. The same as root() except for TorchScript, whose
    // root() is the module's state_dict() and whose pickle is the module object with its attributes.
    const PyObject* pickleRoot() const { return m_pickleRoot ? m_pickleRoot : m_root; }
    // Every global the pickle names, in order of first appearance.
    const QStringList& globals() const { return m_globals; }
    // Every pickle stream read, in the order torch.load reads them.
    const QVector<PickleProfile>& pickles() const { return m_pickles; }
    const QVector<const PyStorage*>& storages() const { return m_storageOrder; }
    const StorageBytes* storageBytes(const PyStorage* storage) const;
    const MappedFile& file(int index) const { return *m_files.at(static_cast<std::size_t>(index)); }
    int fileCount() const { return static_cast<int>(m_files.size()); }
    // "little" or "big", from a zip's byteorder record; "little" when absent (native on every supported host).
    const QString& byteOrder() const { return m_byteOrder; }
    // safetensors' __metadata__ (string -> string), empty for other formats.
    const QMap<QString, QString>& textMetadata() const { return m_textMetadata; }
    // Filled for TorchScript archives only.
    const ScriptModuleInfo* scriptModule() const { return m_script.get(); }

    // The raw bytes of a storage in the mapped file (throws FormatError for compressed records).
    QByteArrayView bytesOf(const PyStorage* storage) const;

    // Builder interface, used by the readers while the snapshot is being made.
    PyArena& arena() { return m_arena; }
    int addFile(std::unique_ptr<MappedFile> file);
    void setRoot(PyObject* root) { m_root = root; }
    void setPickleRoot(const PyObject* root) { m_pickleRoot = root; }
    // A pickle stream that was read; its globals join globals().
    void addPickle(PickleProfile profile);
    void addStorage(const PyStorage* storage, const StorageBytes& bytes);
    void setByteOrder(const QString& order) { m_byteOrder = order; }
    void setTextMetadata(QMap<QString, QString> metadata) { m_textMetadata = std::move(metadata); }
    void setScriptModule(std::unique_ptr<ScriptModuleInfo> info) { m_script = std::move(info); }

private:
    QString m_path;
    CheckpointFormat m_format;
    PyArena m_arena;
    PyObject* m_root = nullptr;
    const PyObject* m_pickleRoot = nullptr;
    QStringList m_globals;
    QVector<PickleProfile> m_pickles;
    std::vector<std::unique_ptr<MappedFile>> m_files;
    QHash<const PyStorage*, StorageBytes> m_storageBytes;
    QVector<const PyStorage*> m_storageOrder;
    QString m_byteOrder = QStringLiteral("little");
    QMap<QString, QString> m_textMetadata;
    std::unique_ptr<ScriptModuleInfo> m_script;
};

} // namespace statescope
