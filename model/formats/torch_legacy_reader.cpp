// The legacy torch.save stream (torch < 1.6, or _use_new_zipfile_serialization=False): five pickles back to
// back (magic number, protocol version, sys_info, the object, the storage keys) followed by each storage's
// element count and raw bytes. Mirrors torch.serialization._legacy_load, but checks what torch trusts.
#include "readers.h"

#include "checkpoint/checkpoint.h"
#include "format_error.h"
#include "mapped_file.h"
#include "pickle_calls.h"
#include "pickle_reader.h"

#include <QHash>
#include <QSet>
#include <QtEndian>

#include <utility>

namespace statescope {

namespace {

// torch.serialization.MAGIC_NUMBER (0x1950a86a20f9469cfc6c) in decimal, as PyInt::toString() spells it.
const char kMagicNumber[] = "119547037146038801333356";
constexpr qint64 kProtocolVersion = 1001;

QString describe(const PyObject* value)
{
    if (const auto* i = value->as<PyInt>())
        return i->toString();
    if (const auto* s = value->as<PyString>())
        return QLatin1Char('\'') + s->value.left(40) + QLatin1Char('\'');
    return QStringLiteral("a non-integer");
}

// One storage as the main pickle references it: the root storage of a key, or a view of one.
struct Referenced
{
    PyStorage* storage = nullptr;
    QString viewKey; // empty for a root storage
};

class LegacyStreamReader
{
public:
    LegacyStreamReader(Checkpoint& checkpoint, int file)
        : m_checkpoint(checkpoint), m_file(file), m_mapped(checkpoint.file(file)), m_path(m_mapped.path())
    {
    }

    PyObject* read()
    {
        readHeader();
        PyObject* root = readMainPickle();
        const QStringList keys = readKeyList();
        readStorageBytes(keys);
        return root;
    }

private:
    [[noreturn]] void fail(const QString& what) const
    {
        throw FormatError(m_path + QLatin1String(": ") + what);
    }

    PyObject* loadPickle(const QString& what, PickleReader::PersistentLoad persistentLoad = {})
    {
        PickleReader reader(m_checkpoint.arena(), m_mapped.bytes(), m_path + QLatin1String(": ") + what);
        reader.seek(m_pos);
        if (persistentLoad)
            reader.setPersistentLoad(std::move(persistentLoad));
        PyObject* value = reader.load();
        m_pos = reader.position();
        m_checkpoint.addPickle(reader.profile(what));
        return value;
    }

    void readHeader()
    {
        const PyObject* magic = nullptr;
        try {
            magic = loadPickle(QStringLiteral("magic number"));
        } catch (const FormatError& e) {
            QString inner = e.message();
            if (inner.startsWith(m_path + QLatin1String(": ")))
                inner.remove(0, m_path.size() + 2);
            fail(QLatin1String("not a torch.save file (magic number unreadable: ") + inner +
                 QLatin1Char(')'));
        }
        const auto* magicInt = magic->as<PyInt>();
        if (!magicInt || magicInt->toString() != QLatin1String(kMagicNumber))
            fail(QLatin1String("not a torch.save file (magic number is ") + describe(magic) +
                 QLatin1String(", expected 0x1950a86a20f9469cfc6c)"));

        const PyObject* protocol = loadPickle(QStringLiteral("protocol version"));
        const auto* protocolInt = protocol->as<PyInt>();
        if (!protocolInt || protocolInt->isBig() || protocolInt->value != kProtocolVersion)
            fail(QLatin1String("unsupported legacy protocol version ") + describe(protocol) +
                 QLatin1String(" (torch writes 1001)"));

        // torch's loader reads sys_info and ignores it: legacy storages are always read as little-endian
        // (torch's readFileRaw swaps on big-endian hosts), whatever `little_endian` says. So do we.
        loadPickle(QStringLiteral("sys_info"));
    }

    PyObject* persistentLoad(const PyObject* pid)
    {
        const auto* tuple = pid->as<PySequence>();
        const auto* tag = tuple && !tuple->items.isEmpty() ? tuple->items.front()->as<PyString>() : nullptr;
        // ('module', class, source_file, source) marks a pickled nn.Module class: torch returns the class.
        if (tag && tag->value == QLatin1String("module") && tuple->items.size() >= 2)
            return tuple->items[1];

        PyStorage* parsed = storageFromPersistentId(m_checkpoint.arena(), pid);
        QString viewKey;
        if (parsed->viewSize >= 0) {
            const auto* view = tuple->items[5]->as<PySequence>();
            const auto* key = view->items.front()->as<PyString>();
            if (!key)
                throw FormatError(QLatin1String("storage ") + parsed->key +
                                  QLatin1String(" has a view without a key"));
            viewKey = key->value;
        }

        PyStorage* root = m_roots.value(parsed->key);
        if (!root) {
            // The first reference fixes the root's type and size, as torch's loader does.
            root = parsed->viewSize >= 0 ? cloneAsRoot(*parsed) : parsed;
            m_roots.insert(root->key, root);
        } else if (root->dtype != parsed->dtype || root->numel != parsed->numel) {
            throw FormatError(QLatin1String("storage ") + parsed->key + QLatin1String(" is referenced as ") +
                              parsed->storageClass + QLatin1Char('[') + QString::number(parsed->numel) +
                              QLatin1String("] after ") + root->storageClass + QLatin1Char('[') +
                              QString::number(root->numel) + QLatin1Char(']'));
        }
        if (viewKey.isEmpty()) {
            rememberReference(root, QString());
            return root;
        }
        // A view (torch 0.x): its own storage object, sharing the root's key and bytes.
        if (PyStorage* known = m_views.value(viewKey))
            return known;
        m_views.insert(viewKey, parsed);
        rememberReference(parsed, viewKey);
        return parsed;
    }

    PyStorage* cloneAsRoot(const PyStorage& view)
    {
        auto* root = m_checkpoint.arena().make<PyStorage>();
        root->key = view.key;
        root->location = view.location;
        root->storageClass = view.storageClass;
        root->dtype = view.dtype;
        root->numel = view.numel;
        return root;
    }

    void rememberReference(PyStorage* storage, const QString& viewKey)
    {
        if (m_referencedSet.contains(storage))
            return;
        m_referencedSet.insert(storage);
        m_referenced.push_back({storage, viewKey});
    }

    PyObject* readMainPickle()
    {
        return loadPickle(QStringLiteral("main pickle"),
                          [this](const PyObject* pid) { return persistentLoad(pid); });
    }

    QStringList readKeyList()
    {
        const PyObject* list = loadPickle(QStringLiteral("storage key list"));
        const auto* seq = list->as<PySequence>();
        if (!seq || !list->is(PyKind::List))
            fail(QStringLiteral("the pickle after the object is not a list of storage keys"));
        QStringList keys;
        QSet<QString> seen;
        for (const PyObject* item : seq->items) {
            const auto* key = item->as<PyString>();
            if (!key)
                fail(QLatin1String("storage key list holds ") + describe(item) +
                     QLatin1String(", not a string"));
            if (!m_roots.contains(key->value))
                fail(QLatin1String("storage ") + key->value +
                     QLatin1String(" is in the storage key list but never referenced by the pickle"));
            if (seen.contains(key->value))
                fail(QLatin1String("storage ") + key->value +
                     QLatin1String(" is listed twice in the storage key list"));
            seen.insert(key->value);
            keys.push_back(key->value);
        }
        for (auto it = m_roots.cbegin(); it != m_roots.cend(); ++it) {
            if (!seen.contains(it.key()))
                fail(QLatin1String("storage ") + it.key() +
                     QLatin1String(
                         " is referenced by the pickle but has no data (missing from the storage key list)"));
        }
        return keys;
    }

    void readStorageBytes(const QStringList& keys)
    {
        const qint64 fileSize = m_mapped.size();
        QHash<QString, qint64> dataOffsets;
        for (const QString& key : keys) {
            const PyStorage* root = m_roots.value(key);
            const QString where = QLatin1String("storage ") + key + QLatin1String(" (at offset ") +
                                  QString::number(m_pos) + QLatin1Char(')');
            if (fileSize - m_pos < 8)
                fail(where + QLatin1String(": element count runs past the end of the file (truncated?)"));
            const qint64 count = qFromLittleEndian<qint64>(m_mapped.bytes().data() + m_pos);
            m_pos += 8;
            if (count < 0)
                fail(where + QLatin1String(": negative element count ") + QString::number(count));
            const qint64 elementSize = root->dtype == DType::Unknown ? 1 : dtypeElementSize(root->dtype);
            const qint64 available = fileSize - m_pos;
            if (count > available / elementSize)
                fail(where + QLatin1String(": ") + QString::number(count) + QLatin1String(" elements of ") +
                     QString::number(elementSize) + QLatin1String(" bytes run past the end of the file (") +
                     QString::number(available) + QLatin1String(" bytes left; truncated?)"));
            if (count != root->numel)
                fail(where + QLatin1String(" holds ") + QString::number(count) +
                     QLatin1String(" elements but the pickle says ") + QString::number(root->numel));
            dataOffsets.insert(key, m_pos);
            m_pos += count * elementSize;
        }
        // Trailing bytes after the last storage are ignored, as torch ignores them.

        for (const Referenced& ref : std::as_const(m_referenced)) {
            const PyStorage* s = ref.storage;
            const qint64 elementSize = s->dtype == DType::Unknown ? 1 : dtypeElementSize(s->dtype);
            StorageBytes where;
            where.file = m_file;
            where.offset = dataOffsets.value(s->key);
            where.size = s->numel * elementSize;
            where.record = QLatin1String("storage ") + s->key;
            if (!ref.viewKey.isEmpty()) {
                // storageFromPersistentId has checked that the view lies inside its root.
                where.offset += s->viewOffset * elementSize;
                where.size = s->viewSize * elementSize;
                where.record += QLatin1String(" view ") + ref.viewKey;
            }
            m_checkpoint.addStorage(s, where);
        }
    }

    Checkpoint& m_checkpoint;
    const int m_file;
    const MappedFile& m_mapped;
    const QString m_path;
    qsizetype m_pos = 0;
    QHash<QString, PyStorage*> m_roots; // by storage key
    QHash<QString, PyStorage*> m_views; // by view key
    QVector<Referenced> m_referenced;   // first-reference order, which becomes Checkpoint::storages()
    QSet<const PyStorage*> m_referencedSet;
};

} // namespace

PyObject* readTorchLegacy(Checkpoint& checkpoint, int file)
{
    LegacyStreamReader reader(checkpoint, file);
    // Tensors on legacy storage views are checked against the view's size by pickle_calls.cpp.
    return reader.read();
}

} // namespace statescope
