#pragma once

#include "dtype.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QVector>

#include <deque>
#include <memory>
#include <utility>

namespace statescope {

// The inert object tree a pickle describes. Nothing here is ever executed: a GLOBAL is only a name, and
// calling it (REDUCE, NEWOBJ, ...) either becomes plain data (OrderedDict, tensors, sets, bytes) or an
// opaque object that remembers how it was built, so it can be shown and written back exactly.
enum class PyKind {
    None,
    Bool,
    Int,
    Float,
    Complex,
    String,
    Bytes,
    ByteArray,
    List,
    Tuple,
    Set,
    FrozenSet,
    Dict,
    Global,
    Object,
    Storage,
    Tensor,
};

class PyObject
{
public:
    explicit PyObject(PyKind kind) : m_kind(kind) {}
    virtual ~PyObject() = default;
    PyObject(const PyObject&) = delete;
    PyObject& operator=(const PyObject&) = delete;

    PyKind kind() const { return m_kind; }
    bool is(PyKind kind) const { return m_kind == kind; }
    bool isSequence() const
    {
        return m_kind == PyKind::List || m_kind == PyKind::Tuple || m_kind == PyKind::Set ||
               m_kind == PyKind::FrozenSet;
    }

    // Checked down-cast: the caller has looked at kind() or accepts nullptr.
    template<typename T>
    const T* as() const
    {
        return T::accepts(m_kind) ? static_cast<const T*>(this) : nullptr;
    }
    template<typename T>
    T* as()
    {
        return T::accepts(m_kind) ? static_cast<T*>(this) : nullptr;
    }

private:
    PyKind m_kind;
};

struct PyNone : PyObject
{
    PyNone() : PyObject(PyKind::None) {}
    static bool accepts(PyKind k) { return k == PyKind::None; }
};

struct PyBool : PyObject
{
    explicit PyBool(bool v) : PyObject(PyKind::Bool), value(v) {}
    static bool accepts(PyKind k) { return k == PyKind::Bool; }
    bool value;
};

struct PyInt : PyObject
{
    explicit PyInt(qint64 v) : PyObject(PyKind::Int), value(v) {}
    static bool accepts(PyKind k) { return k == PyKind::Int; }
    bool isBig() const { return !bigLittleEndian.isEmpty(); }
    QString toString() const;
    qint64 value;
    // Two's complement little-endian bytes (as LONG1/LONG4 carry them) when the value needs more than 64 bits.
    QByteArray bigLittleEndian;
};

struct PyFloat : PyObject
{
    explicit PyFloat(double v) : PyObject(PyKind::Float), value(v) {}
    static bool accepts(PyKind k) { return k == PyKind::Float; }
    double value;
};

struct PyComplex : PyObject
{
    PyComplex(double r, double i) : PyObject(PyKind::Complex), real(r), imag(i) {}
    static bool accepts(PyKind k) { return k == PyKind::Complex; }
    double real;
    double imag;
};

struct PyString : PyObject
{
    explicit PyString(QString v) : PyObject(PyKind::String), value(std::move(v)) {}
    static bool accepts(PyKind k) { return k == PyKind::String; }
    QString value;
};

// bytes and bytearray.
struct PyBytes : PyObject
{
    PyBytes(PyKind kind, QByteArray v) : PyObject(kind), value(std::move(v)) {}
    static bool accepts(PyKind k) { return k == PyKind::Bytes || k == PyKind::ByteArray; }
    QByteArray value;
};

// list, tuple, set and frozenset.
struct PySequence : PyObject
{
    explicit PySequence(PyKind kind) : PyObject(kind) {}
    static bool accepts(PyKind k)
    {
        return k == PyKind::List || k == PyKind::Tuple || k == PyKind::Set || k == PyKind::FrozenSet;
    }
    QVector<PyObject*> items;
};

// dict and its well-known subclasses (OrderedDict, Counter, defaultdict), in insertion order.
struct PyDict : PyObject
{
    PyDict() : PyObject(PyKind::Dict) {}
    static bool accepts(PyKind k) { return k == PyKind::Dict; }
    // Value of the first entry whose key is the string `key`; nullptr when absent.
    const PyObject* value(const QString& key) const;
    bool hasOnlyStringKeys() const;

    QVector<std::pair<PyObject*, PyObject*>> items;
    QString className;         // empty for a plain dict, else "collections.OrderedDict" etc.
    PyObject* state = nullptr; // BUILD state: an OrderedDict's {'_metadata': ...}
    PyObject* factory = nullptr; // defaultdict's default factory, kept for write-back
    // Position of each str/int key in items ("s:name", "i:3"): a re-assigned key keeps its place, as in Python.
    QHash<QString, int> keyIndex;
};

// A module-level name referenced by GLOBAL / STACK_GLOBAL (a class, a function, a dtype, ...).
struct PyGlobal : PyObject
{
    PyGlobal(QString m, QString n)
        : PyObject(PyKind::Global), module(std::move(m)), name(std::move(n)), m_qualified(module + QLatin1Char('.') + name)
    {
    }
    static bool accepts(PyKind k) { return k == PyKind::Global; }
    const QString& qualifiedName() const { return m_qualified; }
    const QString module;
    const QString name;

private:
    const QString m_qualified; // built once: readers look globals up by it for every call in a pickle
};

// The result of calling a global StateScope does not interpret. Records everything needed to pickle it again.
struct PyOpaque : PyObject
{
    enum class Construction { Reduce, NewObj, NewObjEx, Inst, Obj };
    PyOpaque() : PyObject(PyKind::Object) {}
    static bool accepts(PyKind k) { return k == PyKind::Object; }
    QString className() const { return callable ? callable->qualifiedName() : QString(); }

    const PyGlobal* callable = nullptr; // the class or function; nullptr if the pickle called a non-global
    PyObject* callableObject = nullptr; // what was called when it was not a plain global
    Construction construction = Construction::Reduce;
    PyObject* args = nullptr;   // tuple
    PyObject* kwargs = nullptr; // NEWOBJ_EX only
    PyObject* state = nullptr;  // BUILD argument
    QVector<PyObject*> listItems;                         // APPEND(S) on the object
    QVector<std::pair<PyObject*, PyObject*>> dictItems;   // SETITEM(S) on the object
};

// A storage as torch.save's persistent id describes it. Where its bytes live is the format reader's business.
struct PyStorage : PyObject
{
    PyStorage() : PyObject(PyKind::Storage) {}
    static bool accepts(PyKind k) { return k == PyKind::Storage; }
    QString key;
    QString location;     // "cpu", "cuda:0", ...
    QString storageClass; // "FloatStorage", "UntypedStorage", ...
    DType dtype = DType::Unknown; // Unknown for UntypedStorage: the tensor names the dtype
    qint64 numel = 0;             // elements of dtype (bytes for untyped storages)
    // Legacy files can reference a slice of a root storage (view_metadata): offset and size in elements.
    qint64 viewOffset = 0;
    qint64 viewSize = -1;
};

struct PyTensor : PyObject
{
    PyTensor() : PyObject(PyKind::Tensor) {}
    static bool accepts(PyKind k) { return k == PyKind::Tensor; }
    // Elements the tensor spans in its storage (0 for an empty tensor): 1 + sum((size-1)*stride).
    qint64 storageExtent() const;
    qint64 numel() const;
    qint64 nbytes() const { return numel() * dtypeElementSize(dtype); }

    QString rebuildFunction; // "torch._utils._rebuild_tensor_v2", ...
    QString layout = QStringLiteral("strided"); // "sparse_coo", "sparse_csr", ...
    DType dtype = DType::Unknown;
    QVector<qint64> shape;
    QVector<qint64> stride;
    qint64 storageOffset = 0;
    const PyStorage* storage = nullptr; // nullptr for meta and sparse tensors
    bool requiresGrad = false;
    bool isParameter = false;
    bool parameterRequiresGrad = false;
    PyObject* backwardHooks = nullptr;
    PyObject* metadata = nullptr;       // _rebuild_tensor_v2's optional 7th argument
    PyObject* subclassState = nullptr;  // _rebuild_from_type_v2 / _rebuild_parameter_with_state
    const PyGlobal* subclass = nullptr; // the tensor type when not torch.Tensor / Parameter
    // Quantized tensors: (qscheme, scale, zero_point) or (qscheme, scales, zero_points, axis) as pickled.
    PyObject* quantizerParams = nullptr;
    QString qscheme;
    // Sparse tensors: their component tensors as pickled (indices, values, ...).
    QVector<const PyTensor*> components;
};

// Owns every object of one unpickled file. Objects reference each other by raw pointer, so cycles a pickle
// may build cost nothing and destruction never recurses.
class PyArena
{
public:
    template<typename T, typename... Args>
    T* make(Args&&... args)
    {
        auto owned = std::make_unique<T>(std::forward<Args>(args)...);
        T* raw = owned.get();
        m_objects.push_back(std::move(owned));
        return raw;
    }
    PyObject* none() { return m_none; }
    PyObject* boolean(bool v) { return v ? m_true : m_false; }
    // Ints are immutable, so small ones (sizes, strides, offsets: most ints of a checkpoint) are shared.
    PyObject* integer(qint64 v);
    std::size_t size() const { return m_objects.size(); }

    PyArena();

private:
    std::deque<std::unique_ptr<PyObject>> m_objects;
    PyObject* m_none = nullptr;
    PyObject* m_true = nullptr;
    PyObject* m_false = nullptr;
    PyObject* m_smallInts[257] = {};
};

// Longest chain of containers below root, following each object once (cycles end a chain). Traversals of
// untrusted trees compare this against a limit before recursing.
int nestingDepth(const PyObject* root);

// Children of an object in a stable order: items, values, args, state, ... (used by generic traversals).
QVector<const PyObject*> childrenOf(const PyObject* object);

} // namespace statescope
