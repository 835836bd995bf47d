#include "pyobject.h"

#include <QHash>

#include <algorithm>
#include <limits>

namespace statescope {

QString PyInt::toString() const
{
    if (!isBig())
        return QString::number(value);
    // Magnitude of the two's complement number as little-endian base-256 digits, then repeated division by
    // 10. Big ints in checkpoints are rare and short (seeds, hashes), so the quadratic loop is fine.
    QByteArray digits = bigLittleEndian;
    const bool negative = (static_cast<unsigned char>(digits.back()) & 0x80) != 0;
    if (negative) {
        int carry = 1;
        for (auto& byte : digits) {
            int v = (~static_cast<unsigned char>(byte) & 0xff) + carry;
            byte = static_cast<char>(v & 0xff);
            carry = v >> 8;
        }
    }
    QString decimal;
    auto isZero = [&digits] {
        return std::all_of(digits.cbegin(), digits.cend(), [](char c) { return c == 0; });
    };
    while (!isZero()) {
        int remainder = 0;
        for (int i = digits.size() - 1; i >= 0; --i) {
            int v = (remainder << 8) | static_cast<unsigned char>(digits[i]);
            digits[i] = static_cast<char>(v / 10);
            remainder = v % 10;
        }
        decimal.prepend(QLatin1Char(static_cast<char>('0' + remainder)));
    }
    if (decimal.isEmpty())
        decimal = QStringLiteral("0");
    return negative ? QLatin1Char('-') + decimal : decimal;
}

const PyObject* PyDict::value(const QString& key) const
{
    for (const auto& [k, v] : items) {
        if (const auto* s = k->as<PyString>(); s && s->value == key)
            return v;
    }
    return nullptr;
}

bool PyDict::hasOnlyStringKeys() const
{
    return std::all_of(items.cbegin(), items.cend(),
                       [](const auto& item) { return item.first->kind() == PyKind::String; });
}

qint64 PyTensor::numel() const
{
    qint64 n = 1;
    for (qint64 d : shape) {
        if (d <= 0)
            return 0;
        // Shapes come from untrusted files: saturate instead of overflowing.
        if (n > std::numeric_limits<qint64>::max() / d)
            return std::numeric_limits<qint64>::max();
        n *= d;
    }
    return n;
}

qint64 PyTensor::storageExtent() const
{
    if (numel() == 0)
        return 0;
    qint64 extent = 1;
    for (int i = 0; i < shape.size() && i < stride.size(); ++i) {
        const qint64 span = shape[i] - 1;
        if (stride[i] < 0 || (stride[i] > 0 && span > (std::numeric_limits<qint64>::max() - extent) / stride[i]))
            return std::numeric_limits<qint64>::max();
        extent += span * stride[i];
    }
    return extent;
}

PyObject* PyArena::integer(qint64 v)
{
    if (v < 0 || v > 256)
        return make<PyInt>(v);
    PyObject*& slot = m_smallInts[v];
    if (!slot)
        slot = make<PyInt>(v);
    return slot;
}

PyArena::PyArena()
{
    m_none = make<PyNone>();
    m_true = make<PyBool>(true);
    m_false = make<PyBool>(false);
}

QVector<const PyObject*> childrenOf(const PyObject* object)
{
    QVector<const PyObject*> out;
    auto add = [&out](const PyObject* o) {
        if (o)
            out.push_back(o);
    };
    switch (object->kind()) {
    case PyKind::List:
    case PyKind::Tuple:
    case PyKind::Set:
    case PyKind::FrozenSet:
        for (auto* item : object->as<PySequence>()->items)
            add(item);
        break;
    case PyKind::Dict: {
        const auto* dict = object->as<PyDict>();
        for (const auto& [k, v] : dict->items) {
            add(k);
            add(v);
        }
        add(dict->state);
        add(dict->factory);
        break;
    }
    case PyKind::Object: {
        const auto* opaque = object->as<PyOpaque>();
        add(opaque->callableObject);
        add(opaque->args);
        add(opaque->kwargs);
        add(opaque->state);
        for (auto* item : opaque->listItems)
            add(item);
        for (const auto& [k, v] : opaque->dictItems) {
            add(k);
            add(v);
        }
        break;
    }
    case PyKind::Tensor: {
        const auto* tensor = object->as<PyTensor>();
        add(tensor->backwardHooks);
        add(tensor->metadata);
        add(tensor->subclassState);
        add(tensor->quantizerParams);
        for (const auto* component : tensor->components)
            add(component);
        break;
    }
    default:
        break;
    }
    return out;
}

namespace {

// Scalars, strings, globals and storages are leaves: most objects of a pickle are, so skipping them keeps the
// walk cheap.
bool hasChildren(const PyObject* object)
{
    switch (object->kind()) {
    case PyKind::List:
    case PyKind::Tuple:
    case PyKind::Set:
    case PyKind::FrozenSet:
    case PyKind::Dict:
    case PyKind::Object:
    case PyKind::Tensor:
        return true;
    default:
        return false;
    }
}

} // namespace

int nestingDepth(const PyObject* root)
{
    // Iterative post-order walk with memoised depths: a hostile pickle can nest a million lists, which would
    // overflow the C++ stack of a recursive walk.
    QHash<const PyObject*, int> depth;
    QHash<const PyObject*, bool> onPath;
    struct Frame
    {
        const PyObject* object;
        QVector<const PyObject*> children;
        int next = 0;
        int best = 0;
    };
    std::vector<Frame> stack;
    stack.push_back({root, childrenOf(root)});
    onPath.insert(root, true);
    int result = 0;
    while (!stack.empty()) {
        Frame& top = stack.back();
        if (top.next < top.children.size()) {
            const PyObject* child = top.children[top.next++];
            if (!hasChildren(child)) {
                top.best = std::max(top.best, 1);
            } else if (auto it = depth.constFind(child); it != depth.constEnd()) {
                top.best = std::max(top.best, *it);
            } else if (!onPath.value(child)) {
                onPath.insert(child, true);
                stack.push_back({child, childrenOf(child)});
            }
            continue;
        }
        const int d = top.best + 1;
        depth.insert(top.object, d);
        onPath.remove(top.object);
        stack.pop_back();
        if (stack.empty())
            result = d;
        else
            stack.back().best = std::max(stack.back().best, d);
    }
    return result;
}

} // namespace statescope
