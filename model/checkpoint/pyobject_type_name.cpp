#include "pyobject_type_name.h"

namespace statescope {

namespace {

// Non-builtin kinds: what they are called when the style has no single word for them.
QString otherTypeName(const PyObject* object, PyTypeNameStyle style)
{
    if (style == PyTypeNameStyle::TorchType)
        return QStringLiteral("object");
    if (style == PyTypeNameStyle::Message)
        return QStringLiteral("Python object");
    switch (object->kind()) {
    case PyKind::Global: return QStringLiteral("global");
    case PyKind::Object: return object->as<PyOpaque>()->className();
    case PyKind::Storage: return QStringLiteral("storage");
    case PyKind::Tensor:
        return object->as<PyTensor>()->isParameter ? QStringLiteral("Parameter") : QStringLiteral("tensor");
    default: return {};
    }
}

// Builtins a message names only by the generic word, as it always has.
QString rareBuiltin(const QString& name, PyTypeNameStyle style)
{
    return style == PyTypeNameStyle::Message ? QStringLiteral("Python object") : name;
}

} // namespace

QString pyObjectTypeName(const PyObject* object, PyTypeNameStyle style)
{
    switch (object->kind()) {
    case PyKind::None:
        return style == PyTypeNameStyle::TorchType ? QStringLiteral("NoneType") : QStringLiteral("None");
    case PyKind::Bool: return QStringLiteral("bool");
    case PyKind::Int: return QStringLiteral("int");
    case PyKind::Float: return QStringLiteral("float");
    case PyKind::Complex: return rareBuiltin(QStringLiteral("complex"), style);
    case PyKind::String: return QStringLiteral("str");
    case PyKind::Bytes: return QStringLiteral("bytes");
    case PyKind::ByteArray: return rareBuiltin(QStringLiteral("bytearray"), style);
    case PyKind::List: return QStringLiteral("list");
    case PyKind::Tuple: return QStringLiteral("tuple");
    case PyKind::Set: return rareBuiltin(QStringLiteral("set"), style);
    case PyKind::FrozenSet: return rareBuiltin(QStringLiteral("frozenset"), style);
    case PyKind::Dict: {
        const QString& cls = object->as<PyDict>()->className;
        return style == PyTypeNameStyle::Label && !cls.isEmpty() ? cls : QStringLiteral("dict");
    }
    case PyKind::Global:
    case PyKind::Object:
    case PyKind::Storage:
    case PyKind::Tensor: return otherTypeName(object, style);
    }
    return {};
}

} // namespace statescope
