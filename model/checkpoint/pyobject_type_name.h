#pragma once

#include "pyobject.h"

#include <QString>

namespace statescope {

// The three places that name a value's type want slightly different words for the same kinds, so one
// switch serves them all and the style says where they part.
enum class PyTypeNameStyle {
    // What torch prints as type(value) for the builtins ("NoneType", "dict"); anything else is "object".
    TorchType,
    // A tree's type column: "None", dict subclasses and opaque objects by class name, "global", "storage",
    // "tensor" or "Parameter".
    Label,
    // An error message: "None" and the common builtins by name; the rarer ones are "Python object".
    Message,
};

QString pyObjectTypeName(const PyObject* object, PyTypeNameStyle style);

} // namespace statescope
