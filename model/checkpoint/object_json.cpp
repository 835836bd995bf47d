#include "object_json.h"

#include "checkpoint/pyobject.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cmath>
#include <cstring>

namespace statescope {

namespace {

constexpr int kMaxNodes = 200000;
// Objects shared through the pickle's memo are written at every place they appear (that is what the data
// means), so a small hostile pickle can reference one long string millions of times. Text is budgeted too.
constexpr qint64 kMaxTextBytes = qint64(32) << 20;
constexpr int kMaxDepth = 200;

QString dictKey(const PyObject* key)
{
    switch (key->kind()) {
    case PyKind::String: return key->as<PyString>()->value;
    case PyKind::Int: return key->as<PyInt>()->toString();
    default: return objectSummary(key);
    }
}

// numpy scalars pickle as numpy.core.multiarray.scalar(dtype('<f8'), raw bytes) (numpy 2: numpy._core...):
// decode the common kinds.
bool numpyScalar(const PyOpaque& opaque, QJsonValue* out)
{
    if ((opaque.className() != QLatin1String("numpy.core.multiarray.scalar") &&
         opaque.className() != QLatin1String("numpy._core.multiarray.scalar")) ||
        !opaque.args)
        return false;
    const auto* args = opaque.args->as<PySequence>();
    if (!args || args->items.size() != 2)
        return false;
    const auto* dtype = args->items[0]->as<PyOpaque>();
    const auto* raw = args->items[1]->as<PyBytes>();
    if (!dtype || !raw || !dtype->args)
        return false;
    const auto* dtypeArgs = dtype->args->as<PySequence>();
    const auto* code = dtypeArgs && !dtypeArgs->items.isEmpty() ? dtypeArgs->items[0]->as<PyString>() : nullptr;
    if (!code)
        return false;
    const QByteArray& b = raw->value;
    auto read = [&b](auto value) {
        std::memcpy(&value, b.constData(), sizeof value);
        return value;
    };
    const QString c = code->value;
    if (c == QLatin1String("f8") && b.size() == 8)
        *out = read(double());
    else if (c == QLatin1String("f4") && b.size() == 4)
        *out = static_cast<double>(read(float()));
    else if (c == QLatin1String("i8") && b.size() == 8)
        *out = static_cast<double>(read(qint64()));
    else if (c == QLatin1String("i4") && b.size() == 4)
        *out = read(qint32());
    else if (c == QLatin1String("b1") && b.size() == 1)
        *out = b[0] != 0;
    else
        return false;
    return true;
}

class JsonWriter
{
public:
    explicit JsonWriter(const QSet<const PyObject*>& stateDicts) : m_stateDicts(stateDicts) {}

    QJsonValue write(const PyObject* o, int depth)
    {
        if (!o)
            return QJsonValue::Null;
        if (++m_nodes > kMaxNodes || depth > kMaxDepth || m_textBytes > kMaxTextBytes)
            return QJsonObject{{QStringLiteral("__truncated__"), true}};
        if (m_stateDicts.contains(o)) {
            return QJsonObject{{QStringLiteral("__state_dict__"), childCount(o)}};
        }
        if (m_onPath.contains(o))
            return QJsonObject{{QStringLiteral("__cycle__"), true}};
        m_onPath.insert(o);
        QJsonValue v = convert(o, depth);
        m_onPath.remove(o);
        return v;
    }

private:
    static int childCount(const PyObject* o)
    {
        if (const auto* d = o->as<PyDict>())
            return d->items.size();
        if (const auto* opaque = o->as<PyOpaque>())
            return opaque->dictItems.size();
        return 0;
    }

    QJsonArray array(const QVector<PyObject*>& items, int depth)
    {
        QJsonArray a;
        for (const auto* item : items)
            a.append(write(item, depth + 1));
        return a;
    }

    QJsonObject dict(const QVector<std::pair<PyObject*, PyObject*>>& items, int depth)
    {
        QJsonObject d;
        for (const auto& [k, v] : items)
            d.insert(dictKey(k), write(v, depth + 1));
        return d;
    }

    QJsonValue convert(const PyObject* o, int depth)
    {
        switch (o->kind()) {
        case PyKind::None: return QJsonValue::Null;
        case PyKind::Bool: return o->as<PyBool>()->value;
        case PyKind::Int: {
            const auto* i = o->as<PyInt>();
            // JSON numbers are doubles: keep integers beyond 2^53 exact as strings.
            if (!i->isBig() && std::llabs(i->value) <= (qint64(1) << 53))
                return static_cast<double>(i->value);
            return i->toString();
        }
        case PyKind::Float: {
            const double v = o->as<PyFloat>()->value;
            if (std::isnan(v))
                return QStringLiteral("nan");
            if (std::isinf(v))
                return v > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
            return v;
        }
        case PyKind::Complex: {
            const auto* c = o->as<PyComplex>();
            return QJsonObject{{QStringLiteral("__complex__"), QJsonArray{c->real, c->imag}}};
        }
        case PyKind::String:
            m_textBytes += o->as<PyString>()->value.size();
            return o->as<PyString>()->value;
        case PyKind::Bytes:
        case PyKind::ByteArray:
            m_textBytes += o->as<PyBytes>()->value.size() * 4 / 3;
            return QJsonObject{{o->is(PyKind::Bytes) ? QStringLiteral("__bytes__") : QStringLiteral("__bytearray__"),
                                QString::fromLatin1(o->as<PyBytes>()->value.toBase64())}};
        case PyKind::List:
        case PyKind::Tuple: return array(o->as<PySequence>()->items, depth);
        case PyKind::Set:
        case PyKind::FrozenSet:
            return QJsonObject{{o->is(PyKind::Set) ? QStringLiteral("__set__") : QStringLiteral("__frozenset__"),
                                array(o->as<PySequence>()->items, depth)}};
        case PyKind::Dict: return dict(o->as<PyDict>()->items, depth);
        case PyKind::Global: return QJsonObject{{QStringLiteral("__global__"), o->as<PyGlobal>()->qualifiedName()}};
        case PyKind::Storage: return QJsonObject{{QStringLiteral("__storage__"), o->as<PyStorage>()->key}};
        case PyKind::Tensor: {
            const auto* t = o->as<PyTensor>();
            QJsonArray shape;
            for (qint64 d : t->shape)
                shape.append(static_cast<double>(d));
            return QJsonObject{{QStringLiteral("__tensor__"),
                                QJsonObject{{QStringLiteral("dtype"), dtypeName(t->dtype)}, {QStringLiteral("shape"), shape}}}};
        }
        case PyKind::Object: return opaque(*o->as<PyOpaque>(), depth);
        }
        return QJsonValue::Null;
    }

    QJsonValue opaque(const PyOpaque& o, int depth)
    {
        const QString cls = o.className();
        const auto* args = o.args ? o.args->as<PySequence>() : nullptr;
        QJsonValue scalar;
        if (numpyScalar(o, &scalar))
            return scalar;
        if (cls == QLatin1String("torch.Size") && args && args->items.size() == 1)
            return write(args->items[0], depth + 1);
        if (cls == QLatin1String("torch.device") && args && !args->items.isEmpty()) {
            QString device = objectSummary(args->items[0]);
            if (args->items.size() > 1)
                device += QLatin1Char(':') + objectSummary(args->items[1]);
            return QJsonObject{{QStringLiteral("__device__"), device.remove(QLatin1Char('\''))}};
        }
        QJsonObject out{{QStringLiteral("__class__"), cls.isEmpty() ? QStringLiteral("<call>") : cls}};
        if (args && !args->items.isEmpty())
            out.insert(QStringLiteral("args"), array(args->items, depth));
        if (o.kwargs)
            out.insert(QStringLiteral("kwargs"), write(o.kwargs, depth + 1));
        if (o.state)
            out.insert(QStringLiteral("state"), write(o.state, depth + 1));
        if (!o.listItems.isEmpty())
            out.insert(QStringLiteral("items"), array(o.listItems, depth));
        if (!o.dictItems.isEmpty())
            out.insert(QStringLiteral("entries"), dict(o.dictItems, depth));
        return out;
    }

    const QSet<const PyObject*>& m_stateDicts;
    QSet<const PyObject*> m_onPath;
    int m_nodes = 0;
    qint64 m_textBytes = 0;
};

} // namespace

QJsonValue objectToJson(const PyObject* object, const QSet<const PyObject*>& stateDicts)
{
    JsonWriter writer(stateDicts);
    return writer.write(object, 0);
}

QString objectSummary(const PyObject* o)
{
    if (!o)
        return QStringLiteral("None");
    switch (o->kind()) {
    case PyKind::None: return QStringLiteral("None");
    case PyKind::Bool: return o->as<PyBool>()->value ? QStringLiteral("True") : QStringLiteral("False");
    case PyKind::Int: return o->as<PyInt>()->toString();
    case PyKind::Float: return QString::number(o->as<PyFloat>()->value, 'g', 17);
    case PyKind::Complex: {
        const auto* c = o->as<PyComplex>();
        return QLatin1Char('(') + QString::number(c->real, 'g', 17) + QLatin1Char('+') + QString::number(c->imag, 'g', 17) +
               QLatin1String("j)");
    }
    case PyKind::String: return QLatin1Char('\'') + o->as<PyString>()->value.left(200) + QLatin1Char('\'');
    case PyKind::Bytes: return QLatin1String("bytes[") + QString::number(o->as<PyBytes>()->value.size()) + QLatin1Char(']');
    case PyKind::ByteArray: return QLatin1String("bytearray[") + QString::number(o->as<PyBytes>()->value.size()) + QLatin1Char(']');
    case PyKind::List: return QLatin1String("list[") + QString::number(o->as<PySequence>()->items.size()) + QLatin1Char(']');
    case PyKind::Tuple: return QLatin1String("tuple[") + QString::number(o->as<PySequence>()->items.size()) + QLatin1Char(']');
    case PyKind::Set:
    case PyKind::FrozenSet: return QLatin1String("set[") + QString::number(o->as<PySequence>()->items.size()) + QLatin1Char(']');
    case PyKind::Dict: return QLatin1String("dict[") + QString::number(o->as<PyDict>()->items.size()) + QLatin1Char(']');
    case PyKind::Global: return o->as<PyGlobal>()->qualifiedName();
    case PyKind::Storage: return QLatin1String("storage ") + o->as<PyStorage>()->key;
    case PyKind::Tensor: {
        const auto* t = o->as<PyTensor>();
        QStringList dims;
        for (qint64 d : t->shape)
            dims << QString::number(d);
        return QLatin1String("tensor ") + dtypeName(t->dtype) + QLatin1Char('[') + dims.join(QLatin1String(", ")) + QLatin1Char(']');
    }
    case PyKind::Object: return o->as<PyOpaque>()->className() + QLatin1String("(...)");
    }
    return {};
}

} // namespace statescope
