// The oldest torch.save format (torch 0.1-0.3): a tar with members `sys_info`, `pickle`, `tensors` and
// `storages`. Mirrors `legacy_load` inside torch.serialization._legacy_load (torch 1.13) step by step; the
// tar headers are parsed here from the mapping so tensor bytes are never copied and every size is checked.
#include "readers.h"

#include "checkpoint/checkpoint.h"
#include "format_error.h"
#include "mapped_file.h"
#include "pickle_reader.h"

#include <QHash>
#include <QtEndian>

#include <algorithm>
#include <limits>

namespace statescope {

namespace {

constexpr qint64 kBlock = 512;

struct TarMember
{
    qint64 header = 0; // offset of the member's header block
    qint64 offset = 0; // offset of its data
    qint64 size = 0;
};

// The members of a tar held in `bytes`, by name (a later member of the same name wins, as in tarfile).
class TarDirectory
{
public:
    TarDirectory(QByteArrayView bytes, QString path) : m_bytes(bytes), m_path(std::move(path)) { parse(); }

    const TarMember* find(const QString& name) const
    {
        const auto it = m_members.constFind(name);
        return it == m_members.constEnd() ? nullptr : &*it;
    }

private:
    [[noreturn]] void fail(qint64 header, const QString& what) const
    {
        throw FormatError(m_path + QLatin1String(": tar header at offset ") + QString::number(header) +
                          QLatin1String(": ") + what);
    }

    static QByteArrayView field(QByteArrayView block, qsizetype from, qsizetype length)
    {
        QByteArrayView f = block.sliced(from, length);
        const qsizetype nul = f.indexOf('\0');
        return nul < 0 ? f : f.first(nul);
    }

    // tarfile's nti(): octal text up to the first NUL (blank = 0), or GNU base-256 when the top bit is set.
    qint64 number(QByteArrayView block, qsizetype from, qsizetype length, qint64 header,
                  const char* what) const
    {
        const QByteArrayView raw = block.sliced(from, length);
        qint64 value = 0;
        if (static_cast<quint8>(raw[0]) == 0x80) {
            for (qsizetype i = 1; i < raw.size(); ++i) {
                if (value > (std::numeric_limits<qint64>::max() >> 8))
                    fail(header, QLatin1String(what) + QLatin1String(" field is too large"));
                value = (value << 8) | static_cast<quint8>(raw[i]);
            }
            return value;
        }
        const QByteArrayView text = field(block, from, length).trimmed();
        for (char c : text) {
            if (c < '0' || c > '7')
                fail(header, QLatin1String(what) + QLatin1String(" field is not an octal number"));
            if (value > (std::numeric_limits<qint64>::max() >> 3))
                fail(header, QLatin1String(what) + QLatin1String(" field is too large"));
            value = value * 8 + (c - '0');
        }
        return value;
    }

    void checkChecksum(QByteArrayView block, qint64 header) const
    {
        const qint64 stored = number(block, 148, 8, header, "checksum");
        qint64 unsignedSum = 0;
        qint64 signedSum = 0;
        for (qsizetype i = 0; i < kBlock; ++i) {
            const bool inField = i >= 148 && i < 156; // the checksum field counts as eight spaces
            unsignedSum += inField ? ' ' : static_cast<quint8>(block[i]);
            signedSum += inField ? ' ' : static_cast<qint8>(block[i]);
        }
        // Like tarfile, accept the signed sum some old writers produced.
        if (stored != unsignedSum && stored != signedSum)
            fail(header, QLatin1String("bad checksum (stored ") + QString::number(stored) +
                             QLatin1String(", computed ") + QString::number(unsignedSum) +
                             QLatin1String("); the file is corrupt"));
    }

    // pax extended header records, "<length> <key>=<value>\n": only path and size matter here.
    void readPax(QByteArrayView data, qint64 header, QString* name, qint64* size) const
    {
        qsizetype pos = 0;
        while (pos < data.size() && data[pos] != '\0') {
            const qsizetype space = data.sliced(pos).indexOf(' ');
            bool ok = false;
            const qint64 length = space > 0 ? data.sliced(pos, space).toLongLong(&ok) : -1;
            if (!ok || length <= space + 1 || length > data.size() - pos || data[pos + length - 1] != '\n')
                fail(header, QStringLiteral("malformed pax extended header"));
            const QByteArrayView record = data.sliced(pos + space + 1, length - space - 2);
            const qsizetype eq = record.indexOf('=');
            if (eq < 0)
                fail(header, QStringLiteral("malformed pax extended header record"));
            const QByteArrayView key = record.first(eq);
            const QByteArrayView value = record.sliced(eq + 1);
            if (key == "path") {
                *name = QString::fromUtf8(value);
            } else if (key == "size") {
                *size = value.toLongLong(&ok);
                if (!ok || *size < 0)
                    fail(header, QStringLiteral("pax size record is not a non-negative number"));
            }
            pos += length;
        }
    }

    void parse()
    {
        const qint64 fileSize = m_bytes.size();
        qint64 pos = 0;
        QString nextName;     // from a pax 'x' or GNU 'L' header, for the member that follows
        qint64 nextSize = -1; // from a pax 'x' header
        // A partial block at the end ends the archive, as it does for tarfile.
        while (fileSize - pos >= kBlock) {
            const QByteArrayView block = m_bytes.sliced(pos, kBlock);
            if (std::all_of(block.begin(), block.end(), [](char c) { return c == 0; }))
                break; // end-of-archive marker
            checkChecksum(block, pos);
            qint64 size = number(block, 124, 12, pos, "size");
            const char type = block[156];
            QString name = QString::fromUtf8(field(block, 0, 100));
            if (field(block, 257, 5) == "ustar") {
                const QByteArrayView prefix = field(block, 345, 155);
                if (!prefix.isEmpty())
                    name = QString::fromUtf8(prefix) + QLatin1Char('/') + name;
            }
            if (!nextName.isEmpty())
                name = nextName;
            if (nextSize >= 0 && (type == '0' || type == '\0' || type == '7'))
                size = nextSize;
            const qint64 data = pos + kBlock;
            if (size > fileSize - data)
                fail(pos, QLatin1String("member '") + name + QLatin1String("' claims ") +
                              QString::number(size) + QLatin1String(" bytes, beyond the end of the file (") +
                              QString::number(fileSize - data) + QLatin1String(" bytes left; truncated?)"));
            const QByteArrayView content = m_bytes.sliced(data, size);
            if (type == 'x') {
                nextName.clear();
                readPax(content, pos, &nextName, &nextSize);
            } else if (type == 'L') {
                nextName = QString::fromUtf8(field(content, 0, content.size()));
            } else {
                if (type == '0' || type == '\0' || type == '7')
                    m_members.insert(name, TarMember{pos, data, size});
                if (type != 'g') {
                    nextName.clear();
                    nextSize = -1;
                }
            }
            pos = data + (size + kBlock - 1) / kBlock * kBlock;
        }
    }

    QByteArrayView m_bytes;
    QString m_path;
    QHash<QString, TarMember> m_members;
};

// torch's deserialized_objects dict is keyed by Python values: 5 and "5" are different keys.
QString typedKey(const PyObject* key)
{
    if (const auto* i = key->as<PyInt>())
        return QLatin1String("i:") + i->toString();
    if (const auto* s = key->as<PyString>())
        return QLatin1String("s:") + s->value;
    return {};
}

QString shownKey(const QString& typed)
{
    return typed.mid(2);
}

// Reads the pickles and raw numbers of one tar member in sequence.
class MemberCursor
{
public:
    MemberCursor(Checkpoint& checkpoint, int file, const TarMember& member, const QString& name)
        : m_checkpoint(checkpoint), m_member(member),
          m_record(QLatin1String("member '") + name + QLatin1Char('\'')),
          m_where(checkpoint.file(file).path() + QLatin1String(": ") + m_record),
          m_bytes(checkpoint.file(file).bytes().sliced(member.offset, member.size))
    {
    }

    [[noreturn]] void fail(const QString& what) const
    {
        throw FormatError(m_where + QLatin1String(": ") + what + QLatin1String(" at offset ") +
                          QString::number(m_pos));
    }

    PyObject* pickle()
    {
        PickleReader reader(m_checkpoint.arena(), m_bytes, m_where);
        reader.seek(m_pos);
        PyObject* value = reader.load();
        m_pos = reader.position();
        m_checkpoint.addPickle(reader.profile(m_record));
        return value;
    }

    qint64 count(const char* what)
    {
        const auto* v = pickle()->as<PyInt>();
        if (!v || v->isBig() || v->value < 0)
            fail(QLatin1String(what) + QLatin1String(" is not a non-negative integer"));
        return v->value;
    }

    template <typename T> T number(const char* what)
    {
        if (remaining() < qint64(sizeof(T)))
            fail(QLatin1String(what) + QLatin1String(" runs past the end of the member (truncated?)"));
        const T v = qFromLittleEndian<T>(m_bytes.data() + m_pos);
        m_pos += sizeof(T);
        return v;
    }

    void skip(qint64 bytes) { m_pos += bytes; } // callers have checked remaining()
    qint64 remaining() const { return m_bytes.size() - m_pos; }
    qint64 absolute() const { return m_member.offset + m_pos; }

private:
    Checkpoint& m_checkpoint;
    const TarMember& m_member;
    QString m_record;
    QString m_where;
    QByteArrayView m_bytes;
    qsizetype m_pos = 0;
};

class LegacyTarReader
{
public:
    LegacyTarReader(Checkpoint& checkpoint, int file)
        : m_checkpoint(checkpoint), m_file(file), m_path(checkpoint.file(file).path()),
          m_tar(checkpoint.file(file).bytes(), m_path)
    {
    }

    PyObject* read()
    {
        // sys_info is never read: torch ignores it, and the storages are little-endian whatever it says.
        readStorages(member("storages"));
        readTensors(member("tensors"));
        return readPickle(member("pickle"));
    }

private:
    const TarMember& member(const char* name) const
    {
        const TarMember* m = m_tar.find(QLatin1String(name));
        if (!m)
            throw FormatError(m_path + QLatin1String(": legacy torch tar has no '") + QLatin1String(name) +
                              QLatin1String("' member"));
        return *m;
    }

    static const PySequence* tupleOf(const PyObject* value, int size)
    {
        const auto* seq = value->as<PySequence>();
        return seq && (value->is(PyKind::Tuple) || value->is(PyKind::List)) && seq->items.size() == size
                   ? seq
                   : nullptr;
    }

    static qint64 intOf(const PyObject* value)
    {
        const auto* i = value->as<PyInt>();
        return i && !i->isBig() ? i->value : -1;
    }

    static qint64 elementsOf(const PyStorage& s) { return s.viewSize >= 0 ? s.viewSize : s.numel; }

    void readStorages(const TarMember& m)
    {
        MemberCursor cursor(m_checkpoint, m_file, m, QStringLiteral("storages"));
        const qint64 count = cursor.count("storage count");
        // Every storage costs at least its 8-byte element count: a larger count is a lie, not an allocation.
        if (count > cursor.remaining() / 8)
            cursor.fail(QLatin1String("storage count ") + QString::number(count) +
                        QLatin1String(" needs more than the ") + QString::number(cursor.remaining()) +
                        QLatin1String(" bytes left"));
        for (qint64 i = 0; i < count; ++i) {
            const PySequence* header = tupleOf(cursor.pickle(), 3);
            const QString key = header ? typedKey(header->items[0]) : QString();
            const auto* location = header ? header->items[1]->as<PyString>() : nullptr;
            const auto* type = header ? header->items[2]->as<PyGlobal>() : nullptr;
            if (key.isEmpty() || !location || !type)
                cursor.fail(QLatin1String("storage ") + QString::number(i) +
                            QLatin1String(" is not a (key, location, storage type) tuple"));
            // torch resolves any global whose name contains "Storage" by that name alone.
            const DType dtype = dtypeFromStorageClass(type->name);
            if (dtype == DType::Unknown)
                cursor.fail(QLatin1String("storage ") + shownKey(key) + QLatin1String(" has unknown type ") +
                            type->qualifiedName());
            const qint64 numel = cursor.number<qint64>("element count");
            const qint64 elementSize = dtypeElementSize(dtype);
            if (numel < 0 || numel > cursor.remaining() / elementSize)
                cursor.fail(QLatin1String("storage ") + shownKey(key) + QLatin1String(" claims ") +
                            QString::number(numel) + QLatin1String(" elements of ") +
                            QString::number(elementSize) + QLatin1String(" bytes but ") +
                            QString::number(cursor.remaining()) + QLatin1String(" bytes are left"));
            auto* storage = m_checkpoint.arena().make<PyStorage>();
            storage->key = shownKey(key);
            storage->location = location->value;
            storage->storageClass = type->name;
            storage->dtype = dtype;
            storage->numel = numel;
            StorageBytes where;
            where.file = m_file;
            where.offset = cursor.absolute();
            where.size = numel * elementSize;
            where.record = QLatin1String("storage ") + storage->key;
            m_checkpoint.addStorage(storage, where);
            m_objects.insert(key, storage);
            cursor.skip(where.size);
        }
        readStorageViews(cursor);
    }

    // (target key, root key, offset, numel): a slice of a storage in elements, registered under its own key.
    void readStorageViews(MemberCursor& cursor)
    {
        const PyObject* list = cursor.pickle();
        const auto* views = list->as<PySequence>();
        if (!views || !(list->is(PyKind::List) || list->is(PyKind::Tuple)))
            cursor.fail(QStringLiteral("storage views are not a list"));
        for (const PyObject* item : views->items) {
            const PySequence* view = tupleOf(item, 4);
            const QString target = view ? typedKey(view->items[0]) : QString();
            const QString rootKey = view ? typedKey(view->items[1]) : QString();
            const qint64 offset = view ? intOf(view->items[2]) : -1;
            const qint64 numel = view ? intOf(view->items[3]) : -1;
            if (target.isEmpty() || rootKey.isEmpty() || offset < 0 || numel < 0)
                cursor.fail(QStringLiteral("a storage view is not a (key, root key, offset, numel) tuple"));
            const PyObject* rootObject = m_objects.value(rootKey);
            const auto* root = rootObject ? rootObject->as<PyStorage>() : nullptr;
            if (!root)
                cursor.fail(QLatin1String("storage view ") + shownKey(target) +
                            QLatin1String(" refers to unknown storage ") + shownKey(rootKey));
            const qint64 available = elementsOf(*root);
            if (offset > available || numel > available - offset)
                cursor.fail(QLatin1String("storage view ") + shownKey(target) + QLatin1String(" spans ") +
                            QString::number(offset) + QLatin1Char('+') + QString::number(numel) +
                            QLatin1String(" elements of storage ") + shownKey(rootKey) +
                            QLatin1String(", which holds ") + QString::number(available));
            auto* storage = m_checkpoint.arena().make<PyStorage>();
            storage->key = root->key;
            storage->location = root->location;
            storage->storageClass = root->storageClass;
            storage->dtype = root->dtype;
            storage->numel = root->numel;
            storage->viewOffset = root->viewOffset + offset;
            storage->viewSize = numel;
            const qint64 elementSize = dtypeElementSize(root->dtype);
            StorageBytes where = *m_checkpoint.storageBytes(root);
            where.offset += offset * elementSize;
            where.size = numel * elementSize;
            where.record += QLatin1String(" view ") + shownKey(target);
            m_checkpoint.addStorage(storage, where);
            m_objects.insert(target, storage);
        }
    }

    void readTensors(const TarMember& m)
    {
        MemberCursor cursor(m_checkpoint, m_file, m, QStringLiteral("tensors"));
        const qint64 count = cursor.count("tensor count");
        // Every tensor costs at least ndim, padding and storage offset (16 bytes).
        if (count > cursor.remaining() / 16)
            cursor.fail(QLatin1String("tensor count ") + QString::number(count) +
                        QLatin1String(" needs more than the ") + QString::number(cursor.remaining()) +
                        QLatin1String(" bytes left"));
        for (qint64 i = 0; i < count; ++i) {
            const PySequence* header = tupleOf(cursor.pickle(), 3);
            const QString key = header ? typedKey(header->items[0]) : QString();
            const QString storageKey = header ? typedKey(header->items[1]) : QString();
            if (key.isEmpty() || storageKey.isEmpty())
                cursor.fail(QLatin1String("tensor ") + QString::number(i) +
                            QLatin1String(" is not a (key, storage key, type) tuple"));
            const PyObject* storageObject = m_objects.value(storageKey);
            const auto* storage = storageObject ? storageObject->as<PyStorage>() : nullptr;
            if (!storage)
                cursor.fail(QLatin1String("tensor ") + shownKey(key) + QLatin1String(" refers to storage ") +
                            shownKey(storageKey) +
                            QLatin1String(", which the storages member does not define"));
            const qint32 ndim = cursor.number<qint32>("ndim");
            if (ndim < 0 || qint64(ndim) * 16 + 12 > cursor.remaining())
                cursor.fail(QLatin1String("tensor ") + shownKey(key) + QLatin1String(" has ") +
                            QString::number(ndim) + QLatin1String(" dimensions, more than the member holds"));
            cursor.skip(4); // legacy writers stored ndim as 8 bytes
            auto* t = m_checkpoint.arena().make<PyTensor>();
            t->rebuildFunction = QStringLiteral("torch._utils._rebuild_tensor");
            t->dtype = storage->dtype;
            t->storage = storage;
            t->shape.reserve(ndim);
            t->stride.reserve(ndim);
            for (qint32 d = 0; d < ndim; ++d)
                t->shape.push_back(cursor.number<qint64>("size"));
            for (qint32 d = 0; d < ndim; ++d)
                t->stride.push_back(cursor.number<qint64>("stride"));
            t->storageOffset = cursor.number<qint64>("storage offset");
            checkTensor(cursor, *t, shownKey(key));
            m_objects.insert(key, t);
        }
    }

    static void checkTensor(const MemberCursor& cursor, const PyTensor& t, const QString& key)
    {
        for (int d = 0; d < t.shape.size(); ++d) {
            if (t.shape[d] < 0 || t.stride[d] < 0)
                cursor.fail(QLatin1String("tensor ") + key + QLatin1String(" has a negative size or stride"));
        }
        if (t.storageOffset < 0)
            cursor.fail(QLatin1String("tensor ") + key + QLatin1String(" has a negative storage offset"));
        // torch 1.13's set_() would silently grow the storage past the file's bytes; we refuse instead.
        const qint64 extent = t.storageExtent();
        const qint64 available = elementsOf(*t.storage);
        if (extent > 0 && (t.storageOffset > available || extent > available - t.storageOffset))
            cursor.fail(QLatin1String("tensor ") + key + QLatin1String(" spans ") +
                        QString::number(t.storageOffset) + QLatin1Char('+') + QString::number(extent) +
                        QLatin1String(" elements, beyond its storage ") + t.storage->key +
                        QLatin1String(" of ") + QString::number(available));
    }

    PyObject* readPickle(const TarMember& m)
    {
        PickleReader reader(m_checkpoint.arena(), m_checkpoint.file(m_file).bytes().sliced(m.offset, m.size),
                            m_path + QLatin1String(": member 'pickle'"));
        reader.setPersistentLoad([this](const PyObject* pid) -> PyObject* {
            // A tuple is (class, source file, source) of a pickled nn.Module: torch returns the class.
            if (const auto* tuple = pid->as<PySequence>();
                tuple && pid->is(PyKind::Tuple) && !tuple->items.isEmpty())
                return tuple->items.front();
            // Otherwise torch looks up int(saved_id).
            QString key;
            if (const auto* s = pid->as<PyString>()) {
                bool ok = false;
                const qint64 n = s->value.trimmed().toLongLong(&ok);
                if (!ok)
                    throw FormatError(QLatin1String("persistent id '") + s->value.left(40) +
                                      QLatin1String("' is not a number"));
                key = QLatin1String("i:") + QString::number(n);
            } else if (pid->is(PyKind::Int)) {
                key = typedKey(pid);
            } else {
                throw FormatError(QStringLiteral("persistent id is neither a tensor key nor a module"));
            }
            PyObject* object = m_objects.value(key);
            if (!object)
                throw FormatError(QLatin1String("persistent id ") + shownKey(key) +
                                  QLatin1String(" names no tensor or storage"));
            return object;
        });
        PyObject* root = reader.load();
        m_checkpoint.addPickle(reader.profile(QStringLiteral("member 'pickle'")));
        return root;
    }

    Checkpoint& m_checkpoint;
    const int m_file;
    const QString m_path;
    const TarDirectory m_tar;
    QHash<QString, PyObject*> m_objects; // torch's deserialized_objects: storages, views and tensors
};

} // namespace

PyObject* readTorchLegacyTar(Checkpoint& checkpoint, int file)
{
    return LegacyTarReader(checkpoint, file).read();
}

} // namespace statescope
