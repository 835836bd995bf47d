#pragma once

#include "checkpoint/pyobject.h"

#include <QByteArray>
#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>

namespace statescope {

// One storage the pickle refers to, in order of first reference; its bytes become `data/<key>`.
struct PickledStorage
{
    const PyStorage* storage = nullptr;
    QString key;
    DType dtype = DType::Unknown; // the storage's element type (an untyped storage takes its tensor's)
    qint64 numel = 0;
};

// Writes an inert object tree (checkpoint/pyobject.h) back as a protocol-2 pickle the way torch.save would:
// tensors through torch._utils rebuild functions with storages as persistent ids ('storage', class, key,
// 'cpu', numel), OrderedDicts with their _metadata BUILD, opaque objects exactly as they were constructed,
// shared objects shared (memo by object). A global that would run code on load is never written: the object
// that uses it becomes None and its name is reported. Throws FormatError for what cannot be written.
class PickleWriter
{
public:
    // Elements a storage holds (from the bytes the exporter will write for it) given its element type.
    using StorageNumel = std::function<qint64(const PyStorage*, DType dtype)>;

    explicit PickleWriter(StorageNumel numel);

    // Writes `replacement` wherever `original` appears (the repaired state dict in its container).
    void replace(const PyObject* original, const PyObject* replacement);

    QByteArray write(const PyObject* root);

    const QVector<PickledStorage>& storages() const { return m_storages; }
    // Dangerous globals replaced by None, each once, in order of appearance.
    const QStringList& replacedGlobals() const { return m_replaced; }

private:
    void save(const PyObject* object, int depth);
    bool memoGet(const PyObject* object);
    void memoPut(const PyObject* object);
    void writeGlobal(const QString& module, const QString& name);
    void writeGlobal(const QString& qualified);
    void writeInt(qint64 value);
    void writeString(const QString& value);
    void writeUnicodeRaw(const QByteArray& utf8);
    void writeItems(const QVector<PyObject*>& items, int depth);
    void writePairs(const QVector<std::pair<PyObject*, PyObject*>>& pairs, int depth);
    void saveTuple(const QVector<const PyObject*>& items, int depth);
    void saveDict(const PyDict& dict, int depth);
    void saveOpaque(const PyOpaque& object, int depth);
    void saveTensor(const PyTensor& tensor, int depth);
    void saveStorage(const PyStorage& storage, DType dtype);
    bool isDangerous(const PyObject* object, int depth = 0) const;
    void reportDangerous(const PyObject* object);

    StorageNumel m_numel;
    QByteArray m_out;
    QHash<const PyObject*, quint32> m_memo;
    QHash<const PyObject*, const PyObject*> m_replacements;
    QHash<const PyStorage*, int> m_storageIndex;
    QVector<PickledStorage> m_storages;
    QStringList m_replaced;
    QSet<const PyObject*> m_tuplesInProgress;
};

} // namespace statescope
