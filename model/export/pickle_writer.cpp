#include "pickle_writer.h"

#include "checkpoint/global_safety.h"
#include "formats/format_error.h"

#include <QtEndian>

#include <cstring>

namespace statescope {

namespace {

// Opcodes of protocols 0-2 (plus NEWOBJ_EX, written only where the source used it: Python's unpickler
// accepts every opcode whatever the PROTO header says).
constexpr char kMark = '(';
constexpr char kStop = '.';
constexpr char kNone = 'N';
constexpr char kNewTrue = '\x88';
constexpr char kNewFalse = '\x89';
constexpr char kBinInt = 'J';
constexpr char kBinInt1 = 'K';
constexpr char kBinInt2 = 'M';
constexpr char kLong1 = '\x8a';
constexpr char kLong4 = '\x8b';
constexpr char kBinFloat = 'G';
constexpr char kBinUnicode = 'X';
constexpr char kEmptyTuple = ')';
constexpr char kTuple = 't';
constexpr char kTuple1 = '\x85';
constexpr char kTuple2 = '\x86';
constexpr char kTuple3 = '\x87';
constexpr char kEmptyList = ']';
constexpr char kAppend = 'a';
constexpr char kAppends = 'e';
constexpr char kEmptyDict = '}';
constexpr char kSetItem = 's';
constexpr char kSetItems = 'u';
constexpr char kGlobal = 'c';
constexpr char kReduce = 'R';
constexpr char kBuild = 'b';
constexpr char kNewObj = '\x81';
constexpr char kNewObjEx = '\x92';
constexpr char kInst = 'i';
constexpr char kObj = 'o';
constexpr char kBinPut = 'q';
constexpr char kLongBinPut = 'r';
constexpr char kBinGet = 'h';
constexpr char kLongBinGet = 'j';
constexpr char kBinPersId = 'Q';
constexpr char kProto = '\x80';

// Python's pickler batches APPENDS/SETITEMS by 1000.
constexpr int kBatch = 1000;
// Each level costs a few stack frames; deeper trees than any real checkpoint are refused, not overflowed.
constexpr int kMaxDepth = 3000;

std::pair<QString, QString> splitQualified(const QString& qualified)
{
    const qsizetype dot = qualified.lastIndexOf(QLatin1Char('.'));
    return {qualified.left(dot), qualified.mid(dot + 1)};
}

// Minimal two's complement little-endian bytes, as Python's encode_long.
QByteArray encodeLong(qint64 value)
{
    QByteArray bytes;
    if (value == 0)
        return bytes;
    quint64 v = quint64(value);
    for (int i = 0; i < 8; ++i)
        bytes.append(char((v >> (8 * i)) & 0xff));
    // Drop redundant sign bytes.
    while (bytes.size() > 1) {
        const char last = bytes.at(bytes.size() - 1);
        const char prev = bytes.at(bytes.size() - 2);
        if ((last == '\0' && !(prev & 0x80)) || (last == '\xff' && (prev & 0x80)))
            bytes.chop(1);
        else
            break;
    }
    return bytes;
}

} // namespace

PickleWriter::PickleWriter(StorageNumel numel) : m_numel(std::move(numel)) {}

void PickleWriter::replace(const PyObject* original, const PyObject* replacement)
{
    m_replacements.insert(original, replacement);
}

QByteArray PickleWriter::write(const PyObject* root)
{
    m_out.clear();
    m_out.append(kProto);
    m_out.append('\x02');
    save(root, 0);
    m_out.append(kStop);
    return m_out;
}

bool PickleWriter::memoGet(const PyObject* object)
{
    const auto it = m_memo.constFind(object);
    if (it == m_memo.constEnd())
        return false;
    if (*it < 256) {
        m_out.append(kBinGet);
        m_out.append(char(*it));
    } else {
        m_out.append(kLongBinGet);
        char b[4];
        qToLittleEndian<quint32>(*it, b);
        m_out.append(b, 4);
    }
    return true;
}

void PickleWriter::memoPut(const PyObject* object)
{
    const quint32 index = quint32(m_memo.size());
    m_memo.insert(object, index);
    if (index < 256) {
        m_out.append(kBinPut);
        m_out.append(char(index));
    } else {
        m_out.append(kLongBinPut);
        char b[4];
        qToLittleEndian<quint32>(index, b);
        m_out.append(b, 4);
    }
}

void PickleWriter::writeGlobal(const QString& module, const QString& name)
{
    m_out.append(kGlobal);
    m_out.append(module.toUtf8());
    m_out.append('\n');
    m_out.append(name.toUtf8());
    m_out.append('\n');
}

void PickleWriter::writeGlobal(const QString& qualified)
{
    const auto [module, name] = splitQualified(qualified);
    writeGlobal(module, name);
}

void PickleWriter::writeInt(qint64 value)
{
    if (value >= 0 && value <= 0xff) {
        m_out.append(kBinInt1);
        m_out.append(char(value));
    } else if (value >= 0 && value <= 0xffff) {
        m_out.append(kBinInt2);
        char b[2];
        qToLittleEndian<quint16>(quint16(value), b);
        m_out.append(b, 2);
    } else if (value >= -0x80000000LL && value <= 0x7fffffffLL) {
        m_out.append(kBinInt);
        char b[4];
        qToLittleEndian<qint32>(qint32(value), b);
        m_out.append(b, 4);
    } else {
        const QByteArray bytes = encodeLong(value);
        m_out.append(kLong1);
        m_out.append(char(bytes.size()));
        m_out.append(bytes);
    }
}

void PickleWriter::writeUnicodeRaw(const QByteArray& utf8)
{
    m_out.append(kBinUnicode);
    char b[4];
    qToLittleEndian<quint32>(quint32(utf8.size()), b);
    m_out.append(b, 4);
    m_out.append(utf8);
}

void PickleWriter::writeString(const QString& value)
{
    writeUnicodeRaw(value.toUtf8());
}

void PickleWriter::writeItems(const QVector<PyObject*>& items, int depth)
{
    for (qsizetype begin = 0; begin < items.size(); begin += kBatch) {
        const qsizetype end = std::min<qsizetype>(items.size(), begin + kBatch);
        if (end - begin == 1) {
            save(items[begin], depth);
            m_out.append(kAppend);
            continue;
        }
        m_out.append(kMark);
        for (qsizetype i = begin; i < end; ++i)
            save(items[i], depth);
        m_out.append(kAppends);
    }
}

void PickleWriter::writePairs(const QVector<std::pair<PyObject*, PyObject*>>& pairs, int depth)
{
    for (qsizetype begin = 0; begin < pairs.size(); begin += kBatch) {
        const qsizetype end = std::min<qsizetype>(pairs.size(), begin + kBatch);
        if (end - begin == 1) {
            save(pairs[begin].first, depth);
            save(pairs[begin].second, depth);
            m_out.append(kSetItem);
            continue;
        }
        m_out.append(kMark);
        for (qsizetype i = begin; i < end; ++i) {
            save(pairs[i].first, depth);
            save(pairs[i].second, depth);
        }
        m_out.append(kSetItems);
    }
}

void PickleWriter::saveTuple(const QVector<const PyObject*>& items, int depth)
{
    switch (items.size()) {
    case 0: m_out.append(kEmptyTuple); return;
    case 1: save(items[0], depth); m_out.append(kTuple1); return;
    case 2: save(items[0], depth); save(items[1], depth); m_out.append(kTuple2); return;
    case 3: save(items[0], depth); save(items[1], depth); save(items[2], depth); m_out.append(kTuple3); return;
    default:
        m_out.append(kMark);
        for (const PyObject* item : items)
            save(item, depth);
        m_out.append(kTuple);
    }
}

bool PickleWriter::isDangerous(const PyObject* object, int depth) const
{
    if (!object || depth > kMaxDepth)
        return false;
    if (const auto* g = object->as<PyGlobal>())
        return globalSafety(g->qualifiedName()) == GlobalSafety::Dangerous;
    // An object is replaced when its construction (what pickle calls, and with what) would run such a global;
    // dangerous things in its BUILD state or items are replaced one by one instead.
    if (const auto* o = object->as<PyOpaque>()) {
        if (isDangerous(o->callable, depth + 1) || isDangerous(o->callableObject, depth + 1))
            return true;
        for (const PyObject* part : {static_cast<const PyObject*>(o->args), static_cast<const PyObject*>(o->kwargs)}) {
            if (const auto* seq = part ? part->as<PySequence>() : nullptr) {
                for (const PyObject* item : seq->items)
                    if (isDangerous(item, depth + 1))
                        return true;
            } else if (const auto* dict = part ? part->as<PyDict>() : nullptr) {
                for (const auto& [k, v] : dict->items)
                    if (isDangerous(k, depth + 1) || isDangerous(v, depth + 1))
                        return true;
            }
        }
    }
    return false;
}

void PickleWriter::reportDangerous(const PyObject* object)
{
    QString name;
    if (const auto* g = object->as<PyGlobal>())
        name = g->qualifiedName();
    else if (const auto* o = object->as<PyOpaque>())
        name = o->callable && isDangerous(o->callable) ? o->callable->qualifiedName() : o->className();
    if (name.isEmpty())
        name = QStringLiteral("<object>");
    if (!m_replaced.contains(name))
        m_replaced.push_back(name);
}

namespace {

// The typed storage class torch 2.x pickles for a dtype, empty when it pickles an UntypedStorage instead.
// complex32 had ComplexHalfStorage once (StateScope still reads it), but torch 2.x writes it untyped and its
// weights_only unpickler refuses the old class.
QString typedStorageClass(DType dtype)
{
    return dtype == DType::Complex32 ? QString() : storageClassForDtype(dtype);
}

} // namespace

void PickleWriter::saveStorage(const PyStorage& storage, DType dtype)
{
    if (storage.dtype != DType::Unknown)
        dtype = storage.dtype;
    // The dtypes torch 1.13 did not have (float8, uint16/32/64, complex32, bits) have no typed storage class:
    // torch 2.x pickles them as an UntypedStorage counted in bytes, rebuilt by _rebuild_tensor_v3.
    const QString storageClass = typedStorageClass(dtype);
    const bool untyped = storageClass.isEmpty();
    int index = m_storageIndex.value(&storage, -1);
    if (index < 0) {
        index = int(m_storages.size());
        m_storageIndex.insert(&storage, index);
        m_storages.push_back({&storage, QString::number(index), dtype, m_numel(&storage, dtype)});
    }
    const PickledStorage& s = m_storages[index];
    m_out.append(kMark);
    writeString(QStringLiteral("storage"));
    if (untyped)
        writeGlobal(QStringLiteral("torch.storage"), QStringLiteral("UntypedStorage"));
    else
        writeGlobal(QStringLiteral("torch"), storageClass);
    writeString(s.key);
    writeString(QStringLiteral("cpu")); // every location becomes cpu: the output loads without map_location
    writeInt(untyped ? s.numel * dtypeElementSize(dtype) : s.numel);
    m_out.append(kTuple);
    m_out.append(kBinPersId);
}

void PickleWriter::saveTensor(const PyTensor& tensor, int depth)
{
    if (tensor.layout != QLatin1String("strided") || !tensor.storage)
        throw FormatError(QLatin1String("a ") + tensor.layout + QLatin1String(" tensor without storage (") + tensor.rebuildFunction +
                          QLatin1String(") cannot be written yet"));
    const auto ints = [this](const QVector<qint64>& values) {
        // Sizes and strides are plain tuples of ints.
        if (values.isEmpty()) {
            m_out.append(kEmptyTuple);
            return;
        }
        m_out.append(kMark);
        for (qint64 v : values)
            writeInt(v);
        m_out.append(kTuple);
    };
    const auto hooks = [this, &tensor, depth] {
        if (tensor.backwardHooks && tensor.backwardHooks->is(PyKind::Dict)) {
            save(tensor.backwardHooks, depth);
            return;
        }
        writeGlobal(QStringLiteral("collections"), QStringLiteral("OrderedDict"));
        m_out.append(kEmptyTuple);
        m_out.append(kReduce);
    };

    if (tensor.isParameter)
        writeGlobal(QStringLiteral("torch._utils"), QStringLiteral("_rebuild_parameter"));
    const bool quantized = dtypeIsQuantized(tensor.dtype);
    const bool untyped = typedStorageClass(tensor.dtype).isEmpty();
    writeGlobal(QStringLiteral("torch._utils"), quantized ? QStringLiteral("_rebuild_qtensor")
                                                : untyped ? QStringLiteral("_rebuild_tensor_v3")
                                                          : QStringLiteral("_rebuild_tensor_v2"));
    m_out.append(kMark);
    saveStorage(*tensor.storage, tensor.dtype);
    writeInt(tensor.storageOffset);
    ints(tensor.shape);
    ints(tensor.stride);
    if (quantized) {
        if (!tensor.quantizerParams)
            throw FormatError(QStringLiteral("a quantized tensor without quantizer parameters cannot be written"));
        save(tensor.quantizerParams, depth);
    }
    m_out.append(tensor.requiresGrad ? kNewTrue : kNewFalse);
    hooks();
    if (untyped)
        writeGlobal(QStringLiteral("torch"), dtypeName(tensor.dtype));
    m_out.append(kTuple);
    m_out.append(kReduce);
    if (tensor.isParameter) {
        m_out.append(tensor.parameterRequiresGrad ? kNewTrue : kNewFalse);
        writeGlobal(QStringLiteral("collections"), QStringLiteral("OrderedDict"));
        m_out.append(kEmptyTuple);
        m_out.append(kReduce);
        m_out.append(kTuple3);
        m_out.append(kReduce);
    }
    memoPut(&tensor);
}

void PickleWriter::saveDict(const PyDict& dict, int depth)
{
    if (dict.className.isEmpty()) {
        m_out.append(kEmptyDict);
    } else {
        writeGlobal(dict.className);
        if (dict.className == QLatin1String("collections.defaultdict")) {
            save(dict.factory ? dict.factory : nullptr, depth);
            m_out.append(kTuple1);
        } else {
            m_out.append(kEmptyTuple);
        }
        m_out.append(kReduce);
    }
    memoPut(&dict);
    writePairs(dict.items, depth);
    if (dict.state && !dict.state->is(PyKind::None)) {
        save(dict.state, depth);
        m_out.append(kBuild);
    }
}

void PickleWriter::saveOpaque(const PyOpaque& o, int depth)
{
    const auto callable = [&] {
        if (o.callable)
            writeGlobal(o.callable->module, o.callable->name);
        else
            save(o.callableObject, depth);
    };
    const auto args = [&] {
        if (o.args)
            save(o.args, depth);
        else
            m_out.append(kEmptyTuple);
    };
    const auto argItems = [&] {
        if (const auto* seq = o.args ? o.args->as<PySequence>() : nullptr)
            for (const PyObject* item : seq->items)
                save(item, depth);
    };
    switch (o.construction) {
    case PyOpaque::Construction::Reduce:
        callable();
        args();
        m_out.append(kReduce);
        break;
    case PyOpaque::Construction::NewObj:
        callable();
        args();
        m_out.append(kNewObj);
        break;
    case PyOpaque::Construction::NewObjEx:
        callable();
        args();
        if (o.kwargs)
            save(o.kwargs, depth);
        else
            m_out.append(kEmptyDict);
        m_out.append(kNewObjEx);
        break;
    case PyOpaque::Construction::Inst:
        if (!o.callable)
            throw FormatError(QStringLiteral("an INST object without a class name cannot be written"));
        m_out.append(kMark);
        argItems();
        m_out.append(kInst);
        m_out.append(o.callable->module.toUtf8());
        m_out.append('\n');
        m_out.append(o.callable->name.toUtf8());
        m_out.append('\n');
        break;
    case PyOpaque::Construction::Obj:
        m_out.append(kMark);
        callable();
        argItems();
        m_out.append(kObj);
        break;
    }
    memoPut(&o);
    writeItems(o.listItems, depth);
    writePairs(o.dictItems, depth);
    if (o.state) {
        save(o.state, depth);
        m_out.append(kBuild);
    }
}

void PickleWriter::save(const PyObject* object, int depth)
{
    if (depth > kMaxDepth)
        throw FormatError(QLatin1String("the object tree is nested deeper than ") + QString::number(kMaxDepth) +
                          QLatin1String(" levels"));
    ++depth;
    if (!object) {
        m_out.append(kNone);
        return;
    }
    if (const PyObject* replacement = m_replacements.value(object, nullptr))
        object = replacement;

    switch (object->kind()) {
    case PyKind::None: m_out.append(kNone); return;
    case PyKind::Bool: m_out.append(object->as<PyBool>()->value ? kNewTrue : kNewFalse); return;
    case PyKind::Int: {
        const auto* i = object->as<PyInt>();
        if (!i->isBig()) {
            writeInt(i->value);
            return;
        }
        const QByteArray& bytes = i->bigLittleEndian;
        if (bytes.size() < 256) {
            m_out.append(kLong1);
            m_out.append(char(bytes.size()));
        } else {
            m_out.append(kLong4);
            char b[4];
            qToLittleEndian<qint32>(qint32(bytes.size()), b);
            m_out.append(b, 4);
        }
        m_out.append(bytes);
        return;
    }
    case PyKind::Float: {
        m_out.append(kBinFloat);
        char b[8];
        qToBigEndian<double>(object->as<PyFloat>()->value, b);
        m_out.append(b, 8);
        return;
    }
    default:
        break;
    }

    // Everything below can be shared, so it is memoized by object.
    if (memoGet(object))
        return;

    switch (object->kind()) {
    case PyKind::Complex: {
        const auto* c = object->as<PyComplex>();
        writeGlobal(QStringLiteral("builtins"), QStringLiteral("complex"));
        PyFloat re(c->real), im(c->imag);
        saveTuple({&re, &im}, depth);
        m_out.append(kReduce);
        memoPut(object);
        return;
    }
    case PyKind::String:
        writeString(object->as<PyString>()->value);
        memoPut(object);
        return;
    case PyKind::Bytes:
    case PyKind::ByteArray: {
        // torch.save at protocol 2 writes bytes as _codecs.encode(latin-1 text, 'latin1').
        const bool isArray = object->is(PyKind::ByteArray);
        if (isArray)
            writeGlobal(QStringLiteral("builtins"), QStringLiteral("bytearray"));
        writeGlobal(QStringLiteral("_codecs"), QStringLiteral("encode"));
        writeString(QString::fromLatin1(object->as<PyBytes>()->value));
        writeString(QStringLiteral("latin1"));
        m_out.append(kTuple2);
        m_out.append(kReduce);
        if (isArray) {
            m_out.append(kTuple1);
            m_out.append(kReduce);
        }
        memoPut(object);
        return;
    }
    case PyKind::List:
        m_out.append(kEmptyList);
        memoPut(object);
        writeItems(object->as<PySequence>()->items, depth);
        return;
    case PyKind::Tuple: {
        if (m_tuplesInProgress.contains(object))
            throw FormatError(QStringLiteral("a tuple contains itself through a mutable object; it cannot be written"));
        m_tuplesInProgress.insert(object);
        const auto& items = object->as<PySequence>()->items;
        saveTuple(QVector<const PyObject*>(items.begin(), items.end()), depth);
        m_tuplesInProgress.remove(object);
        memoPut(object);
        return;
    }
    case PyKind::Set:
    case PyKind::FrozenSet:
        writeGlobal(QStringLiteral("builtins"), object->is(PyKind::Set) ? QStringLiteral("set") : QStringLiteral("frozenset"));
        m_out.append(kEmptyList);
        writeItems(object->as<PySequence>()->items, depth);
        m_out.append(kTuple1);
        m_out.append(kReduce);
        memoPut(object);
        return;
    case PyKind::Dict:
        saveDict(*object->as<PyDict>(), depth);
        return;
    case PyKind::Global:
        if (isDangerous(object)) {
            reportDangerous(object);
            m_out.append(kNone);
            return;
        }
        writeGlobal(object->as<PyGlobal>()->module, object->as<PyGlobal>()->name);
        memoPut(object);
        return;
    case PyKind::Object:
        if (isDangerous(object)) {
            reportDangerous(object);
            m_out.append(kNone);
            return;
        }
        saveOpaque(*object->as<PyOpaque>(), depth);
        return;
    case PyKind::Storage: {
        const auto* storage = object->as<PyStorage>();
        if (storage->dtype == DType::Unknown)
            throw FormatError(QLatin1String("untyped storage ") + storage->key + QLatin1String(" outside a tensor cannot be written"));
        saveStorage(*storage, storage->dtype);
        memoPut(object);
        return;
    }
    case PyKind::Tensor:
        saveTensor(*object->as<PyTensor>(), depth);
        return;
    default:
        return;
    }
}

} // namespace statescope
