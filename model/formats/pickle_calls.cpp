#include "pickle_calls.h"

#include "format_error.h"

#include <QHash>

#include <functional>

namespace statescope {

namespace {

[[noreturn]] void bad(const QString& function, const QString& what)
{
    throw FormatError(function + QLatin1String(": ") + what);
}

const PyObject* arg(const PySequence& args, int index, const QString& function)
{
    if (index >= args.items.size())
        bad(function, QLatin1String("expects at least ") + QString::number(index + 1) + QLatin1String(" arguments, got ") +
                          QString::number(args.items.size()));
    return args.items[index];
}

qint64 intArg(const PySequence& args, int index, const QString& function, const char* what)
{
    const auto* v = arg(args, index, function)->as<PyInt>();
    if (!v || v->isBig())
        bad(function, QLatin1String(what) + QLatin1String(" is not an integer"));
    return v->value;
}

bool boolArg(const PySequence& args, int index)
{
    if (index >= args.items.size())
        return false;
    const PyObject* v = args.items[index];
    if (const auto* b = v->as<PyBool>())
        return b->value;
    if (const auto* i = v->as<PyInt>())
        return i->value != 0;
    return false;
}

// A tuple/list of ints, or a torch.Size (REDUCE of torch.Size with one tuple argument).
QVector<qint64> intsArg(const PyObject* value, const QString& function, const char* what)
{
    if (const auto* opaque = value->as<PyOpaque>();
        opaque && opaque->className() == QLatin1String("torch.Size") && opaque->args) {
        const auto* inner = opaque->args->as<PySequence>();
        if (inner && inner->items.size() == 1)
            value = inner->items.front();
    }
    const auto* seq = value->as<PySequence>();
    if (!seq || !(value->is(PyKind::Tuple) || value->is(PyKind::List)))
        bad(function, QLatin1String(what) + QLatin1String(" is not a tuple of integers"));
    QVector<qint64> out;
    out.reserve(seq->items.size());
    for (const auto* item : seq->items) {
        const auto* i = item->as<PyInt>();
        if (!i || i->isBig() || i->value < 0)
            bad(function, QLatin1String(what) + QLatin1String(" holds a value that is not a non-negative integer"));
        out.push_back(i->value);
    }
    return out;
}

DType dtypeOfGlobal(const PyObject* value)
{
    const auto* g = value->as<PyGlobal>();
    if (!g || g->module != QLatin1String("torch"))
        return DType::Unknown;
    return dtypeFromName(g->name);
}

PyTensor* cloneTensor(PyArena& arena, const PyTensor& from)
{
    auto* t = arena.make<PyTensor>();
    t->rebuildFunction = from.rebuildFunction;
    t->layout = from.layout;
    t->dtype = from.dtype;
    t->shape = from.shape;
    t->stride = from.stride;
    t->storageOffset = from.storageOffset;
    t->storage = from.storage;
    t->requiresGrad = from.requiresGrad;
    t->isParameter = from.isParameter;
    t->parameterRequiresGrad = from.parameterRequiresGrad;
    t->backwardHooks = from.backwardHooks;
    t->metadata = from.metadata;
    t->subclassState = from.subclassState;
    t->subclass = from.subclass;
    t->quantizerParams = from.quantizerParams;
    t->qscheme = from.qscheme;
    t->components = from.components;
    return t;
}

// Shared by _rebuild_tensor, _v2, _v3 and _rebuild_qtensor: storage, offset, size, stride.
PyTensor* stridedTensor(PyArena& arena, const PySequence& args, const QString& function)
{
    const auto* storage = arg(args, 0, function)->as<PyStorage>();
    if (!storage)
        bad(function, QStringLiteral("first argument is not a storage"));
    auto* t = arena.make<PyTensor>();
    t->rebuildFunction = function;
    t->storage = storage;
    t->dtype = storage->dtype;
    t->storageOffset = intArg(args, 1, function, "storage offset");
    t->shape = intsArg(arg(args, 2, function), function, "size");
    t->stride = intsArg(arg(args, 3, function), function, "stride");
    if (t->storageOffset < 0)
        bad(function, QStringLiteral("negative storage offset"));
    if (t->shape.size() != t->stride.size())
        bad(function, QLatin1String("size has ") + QString::number(t->shape.size()) + QLatin1String(" dimensions but stride has ") +
                          QString::number(t->stride.size()));
    return t;
}

// A tensor must stay inside its storage, as torch's set_() insists when it loads the file.
void checkExtent(const PyTensor& t, const QString& function)
{
    if (!t.storage || t.storage->numel < 0)
        return;
    const int elementSize = dtypeElementSize(t.dtype);
    // A legacy storage view exposes only its slice of the root storage.
    qint64 available = t.storage->viewSize >= 0 ? t.storage->viewSize : t.storage->numel;
    if (t.storage->dtype == DType::Unknown && elementSize > 0)
        available = t.storage->numel / elementSize; // untyped storages count bytes
    const qint64 extent = t.storageExtent();
    if (extent > 0 && (t.storageOffset > available || extent > available - t.storageOffset)) {
        bad(function, QLatin1String("tensor spans ") + QString::number(t.storageOffset) + QLatin1String("+") +
                          QString::number(extent) + QLatin1String(" elements but storage ") + t.storage->key +
                          QLatin1String(" holds ") + QString::number(available));
    }
}

using Interpreter = std::function<PyObject*(PyArena&, const PySequence&, const QString&)>;

} // namespace

struct CallInterpreter
{
    Interpreter run;
};

namespace {

PyObject* rebuildTensor(PyArena& arena, const PySequence& args, const QString& fn)
{
    auto* t = stridedTensor(arena, args, fn);
    checkExtent(*t, fn);
    return t;
}

PyObject* rebuildTensorV2(PyArena& arena, const PySequence& args, const QString& fn)
{
    auto* t = stridedTensor(arena, args, fn);
    t->requiresGrad = boolArg(args, 4);
    t->backwardHooks = args.items.size() > 5 ? args.items[5] : nullptr;
    t->metadata = args.items.size() > 6 ? args.items[6] : nullptr;
    checkExtent(*t, fn);
    return t;
}

PyObject* rebuildTensorV3(PyArena& arena, const PySequence& args, const QString& fn)
{
    auto* t = stridedTensor(arena, args, fn);
    t->requiresGrad = boolArg(args, 4);
    t->backwardHooks = args.items.size() > 5 ? args.items[5] : nullptr;
    t->dtype = dtypeOfGlobal(arg(args, 6, fn));
    if (t->dtype == DType::Unknown)
        bad(fn, QStringLiteral("unknown dtype"));
    t->metadata = args.items.size() > 7 ? args.items[7] : nullptr;
    checkExtent(*t, fn);
    return t;
}

PyObject* rebuildQTensor(PyArena& arena, const PySequence& args, const QString& fn)
{
    auto* t = stridedTensor(arena, args, fn);
    t->quantizerParams = const_cast<PyObject*>(arg(args, 4, fn));
    if (const auto* params = t->quantizerParams->as<PySequence>(); params && !params->items.isEmpty()) {
        if (const auto* scheme = params->items.front()->as<PyGlobal>())
            t->qscheme = scheme->name;
    }
    t->requiresGrad = boolArg(args, 5);
    t->backwardHooks = args.items.size() > 6 ? args.items[6] : nullptr;
    checkExtent(*t, fn);
    return t;
}

PyObject* rebuildMetaTensor(PyArena& arena, const PySequence& args, const QString& fn)
{
    auto* t = arena.make<PyTensor>();
    t->rebuildFunction = fn;
    t->dtype = dtypeOfGlobal(arg(args, 0, fn));
    t->shape = intsArg(arg(args, 1, fn), fn, "size");
    t->stride = intsArg(arg(args, 2, fn), fn, "stride");
    t->requiresGrad = boolArg(args, 3);
    return t;
}

QString layoutName(const PyObject* layout)
{
    // The layout arrives as torch.serialization._get_layout("torch.sparse_coo"), kept opaque.
    if (const auto* opaque = layout->as<PyOpaque>(); opaque && opaque->args) {
        const auto* a = opaque->args->as<PySequence>();
        if (a && !a->items.isEmpty()) {
            if (const auto* s = a->items.front()->as<PyString>())
                return s->value.startsWith(QLatin1String("torch.")) ? s->value.mid(6) : s->value;
        }
    }
    if (const auto* g = layout->as<PyGlobal>())
        return g->name;
    return QStringLiteral("sparse");
}

// data is (tensors..., size) in torch 1.13 (COO: indices, values; CSR: crow, col, values) and in torch 2.x,
// whose COO adds is_coalesced after the size: (indices, values, size, is_coalesced). Values come last among
// the tensors.
PyObject* rebuildSparse(PyArena& arena, const PySequence& args, const QString& fn)
{
    auto* t = arena.make<PyTensor>();
    t->rebuildFunction = fn;
    t->layout = layoutName(arg(args, 0, fn));
    const auto* data = arg(args, 1, fn)->as<PySequence>();
    if (!data || data->items.size() < 3)
        bad(fn, QStringLiteral("sparse data is not a tuple of tensors and a size"));
    int i = 0;
    for (; i < data->items.size(); ++i) {
        const auto* part = data->items[i]->as<PyTensor>();
        if (!part)
            break;
        t->components.push_back(part);
    }
    if (t->components.size() < 2 || i >= data->items.size())
        bad(fn, QStringLiteral("sparse data is not a tuple of tensors and a size"));
    const bool trailingFlag = i + 2 == data->items.size() && data->items[i + 1]->is(PyKind::Bool);
    if (i + 1 != data->items.size() && !trailingFlag)
        bad(fn, QStringLiteral("sparse component is not a tensor"));
    t->dtype = t->components.back()->dtype;
    t->shape = intsArg(data->items[i], fn, "size");
    return t;
}

PyObject* rebuildParameter(PyArena& arena, const PySequence& args, const QString& fn)
{
    const auto* data = arg(args, 0, fn)->as<PyTensor>();
    if (!data)
        bad(fn, QStringLiteral("data is not a tensor"));
    auto* t = cloneTensor(arena, *data);
    t->isParameter = true;
    t->parameterRequiresGrad = boolArg(args, 1);
    if (args.items.size() > 3)
        t->subclassState = args.items[3];
    return t;
}

PyObject* rebuildFromType(PyArena& arena, const PySequence& args, const QString& fn)
{
    // (func, type, args, state): the tensor func builds, re-typed; only tensor-building funcs are data.
    const auto* func = arg(args, 0, fn)->as<PyGlobal>();
    const auto* type = arg(args, 1, fn)->as<PyGlobal>();
    const auto* innerArgs = arg(args, 2, fn)->as<PySequence>();
    if (!func || !innerArgs)
        return nullptr;
    PyObject* inner = interpretCall(arena, *func, *innerArgs);
    if (!inner || !inner->is(PyKind::Tensor))
        return nullptr;
    auto* t = cloneTensor(arena, *inner->as<PyTensor>());
    const QString typeName = type ? type->qualifiedName() : QString();
    if (typeName == QLatin1String("torch.nn.parameter.Parameter"))
        t->isParameter = true;
    else if (typeName != QLatin1String("torch.Tensor"))
        t->subclass = type;
    if (args.items.size() > 3) {
        const PyObject* state = args.items[3];
        const auto* d = state->as<PyDict>();
        if (!(d && d->items.isEmpty()) && !state->is(PyKind::None))
            t->subclassState = const_cast<PyObject*>(state);
    }
    return t;
}

PyObject* makeDict(PyArena& arena, const PySequence& args, const QString& fn)
{
    auto* dict = arena.make<PyDict>();
    dict->className = fn;
    if (args.items.isEmpty())
        return dict;
    // OrderedDict([(k, v), ...]) from protocol 0/1 pickles; anything fancier stays opaque.
    const auto* pairs = args.items.front()->as<PySequence>();
    if (!pairs || args.items.size() != 1)
        return nullptr;
    for (auto* item : pairs->items) {
        const auto* pair = item->as<PySequence>();
        if (!pair || pair->items.size() != 2)
            return nullptr;
        dict->items.push_back({pair->items[0], pair->items[1]});
    }
    return dict;
}

PyObject* makeDefaultDict(PyArena& arena, const PySequence& args, const QString& fn)
{
    if (args.items.size() > 1)
        return nullptr;
    auto* dict = arena.make<PyDict>();
    dict->className = fn;
    dict->factory = args.items.isEmpty() ? arena.none() : args.items.front();
    return dict;
}

PyObject* makeSet(PyArena& arena, const PySequence& args, PyKind kind)
{
    auto* set = arena.make<PySequence>(kind);
    if (args.items.isEmpty())
        return set;
    const auto* items = args.items.front()->as<PySequence>();
    if (!items || args.items.size() != 1)
        return nullptr;
    set->items = items->items;
    return set;
}

QByteArray encodeString(const QString& text, const QString& encoding)
{
    const QString e = encoding.toLower().remove(QLatin1Char('-')).remove(QLatin1Char('_'));
    if (e == QLatin1String("utf8"))
        return text.toUtf8();
    return text.toLatin1();
}

PyObject* makeBytes(PyArena& arena, const PySequence& args, PyKind kind)
{
    if (args.items.isEmpty())
        return arena.make<PyBytes>(kind, QByteArray());
    if (const auto* b = args.items.front()->as<PyBytes>(); b && args.items.size() == 1)
        return arena.make<PyBytes>(kind, b->value);
    const auto* text = args.items.front()->as<PyString>();
    const auto* encoding = args.items.size() > 1 ? args.items[1]->as<PyString>() : nullptr;
    if (!text || !encoding)
        return nullptr;
    return arena.make<PyBytes>(kind, encodeString(text->value, encoding->value));
}

PyObject* makeComplex(PyArena& arena, const PySequence& args)
{
    auto number = [&args](int i, double* out) {
        if (i >= args.items.size()) {
            *out = 0;
            return true;
        }
        if (const auto* f = args.items[i]->as<PyFloat>())
            *out = f->value;
        else if (const auto* n = args.items[i]->as<PyInt>(); n && !n->isBig())
            *out = static_cast<double>(n->value);
        else
            return false;
        return true;
    };
    double re = 0;
    double im = 0;
    if (args.items.size() > 2 || !number(0, &re) || !number(1, &im))
        return nullptr;
    return arena.make<PyComplex>(re, im);
}

const QHash<QString, CallInterpreter>& interpreters()
{
    static const QHash<QString, CallInterpreter> table = [] {
        QHash<QString, Interpreter> t;
        t.insert(QStringLiteral("torch._utils._rebuild_tensor"), rebuildTensor);
        t.insert(QStringLiteral("torch._utils._rebuild_tensor_v2"), rebuildTensorV2);
        t.insert(QStringLiteral("torch._utils._rebuild_tensor_v3"), rebuildTensorV3);
        t.insert(QStringLiteral("torch._utils._rebuild_qtensor"), rebuildQTensor);
        t.insert(QStringLiteral("torch._utils._rebuild_meta_tensor_no_storage"), rebuildMetaTensor);
        t.insert(QStringLiteral("torch._utils._rebuild_sparse_tensor"), rebuildSparse);
        t.insert(QStringLiteral("torch._utils._rebuild_sparse_csr_tensor"), rebuildSparse);
        t.insert(QStringLiteral("torch._utils._rebuild_parameter"), rebuildParameter);
        t.insert(QStringLiteral("torch._utils._rebuild_parameter_with_state"), rebuildParameter);
        t.insert(QStringLiteral("torch._tensor._rebuild_from_type_v2"), rebuildFromType);
        t.insert(QStringLiteral("collections.OrderedDict"), makeDict);
        t.insert(QStringLiteral("collections.Counter"), makeDict);
        t.insert(QStringLiteral("collections.defaultdict"), makeDefaultDict);
        for (const char* builtins : {"builtins", "__builtin__"}) {
            const QString m = QLatin1String(builtins) + QLatin1Char('.');
            t.insert(m + QLatin1String("set"), [](PyArena& a, const PySequence& s, const QString&) { return makeSet(a, s, PyKind::Set); });
            t.insert(m + QLatin1String("frozenset"), [](PyArena& a, const PySequence& s, const QString&) { return makeSet(a, s, PyKind::FrozenSet); });
            t.insert(m + QLatin1String("bytearray"), [](PyArena& a, const PySequence& s, const QString&) { return makeBytes(a, s, PyKind::ByteArray); });
            t.insert(m + QLatin1String("bytes"), [](PyArena& a, const PySequence& s, const QString&) { return makeBytes(a, s, PyKind::Bytes); });
            t.insert(m + QLatin1String("complex"), [](PyArena& a, const PySequence& s, const QString&) { return makeComplex(a, s); });
        }
        t.insert(QStringLiteral("_codecs.encode"), [](PyArena& a, const PySequence& s, const QString&) { return makeBytes(a, s, PyKind::Bytes); });
        QHash<QString, CallInterpreter> wrapped;
        for (auto it = t.cbegin(); it != t.cend(); ++it)
            wrapped.insert(it.key(), CallInterpreter{it.value()});
        return wrapped;
    }();
    return table;
}

} // namespace

const CallInterpreter* findCallInterpreter(const QString& qualifiedName)
{
    const auto it = interpreters().constFind(qualifiedName);
    return it == interpreters().constEnd() ? nullptr : &*it;
}

PyObject* interpretCall(const CallInterpreter& interpreter, PyArena& arena, const PyGlobal& callable,
                        const PySequence& args)
{
    return interpreter.run(arena, args, callable.qualifiedName());
}

PyObject* interpretCall(PyArena& arena, const PyGlobal& callable, const PySequence& args)
{
    const CallInterpreter* interpreter = findCallInterpreter(callable.qualifiedName());
    return interpreter ? interpretCall(*interpreter, arena, callable, args) : nullptr;
}

PyStorage* storageFromPersistentId(PyArena& arena, const PyObject* pid)
{
    const auto* tuple = pid->as<PySequence>();
    if (!tuple || tuple->items.size() < 5)
        throw FormatError(QStringLiteral("persistent id is not a storage tuple"));
    const auto* tag = tuple->items[0]->as<PyString>();
    const auto* type = tuple->items[1]->as<PyGlobal>();
    const auto* key = tuple->items[2]->as<PyString>();
    const auto* location = tuple->items[3]->as<PyString>();
    const auto* numel = tuple->items[4]->as<PyInt>();
    if (!tag || tag->value != QLatin1String("storage") || !type || !key || !location || !numel || numel->isBig() ||
        numel->value < 0)
        throw FormatError(QStringLiteral("persistent id is not a ('storage', type, key, location, numel) tuple"));
    auto* storage = arena.make<PyStorage>();
    storage->key = key->value;
    storage->location = location->value;
    storage->storageClass = type->name;
    storage->dtype = dtypeFromStorageClass(type->name);
    if (storage->dtype == DType::Unknown && type->name != QLatin1String("UntypedStorage"))
        throw FormatError(QLatin1String("unknown storage type ") + type->qualifiedName());
    storage->numel = numel->value;
    if (tuple->items.size() > 5) {
        // Legacy view metadata: (view_key, offset, view_size) into the root storage.
        if (const auto* view = tuple->items[5]->as<PySequence>(); view && view->items.size() == 3) {
            const auto* offset = view->items[1]->as<PyInt>();
            const auto* size = view->items[2]->as<PyInt>();
            if (!offset || !size || offset->value < 0 || size->value < 0 || offset->value > storage->numel ||
                size->value > storage->numel - offset->value)
                throw FormatError(QStringLiteral("storage view outside its root storage"));
            storage->viewOffset = offset->value;
            storage->viewSize = size->value;
        }
    }
    return storage;
}

} // namespace statescope
