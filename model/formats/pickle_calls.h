#pragma once

#include "checkpoint/pyobject.h"

namespace statescope {

// Interprets a call (REDUCE) of a well-known global as plain data: OrderedDict, set, bytes, complex and
// every tensor rebuild function of torch._utils. Returns nullptr for any other global, which the unpickler
// then keeps as an inert PyOpaque. Throws FormatError when a known function gets arguments it cannot take
// (a tensor that reaches past its storage, a negative size, ...).
PyObject* interpretCall(PyArena& arena, const PyGlobal& callable, const PySequence& args);

// The same in two steps, so that a reader can look a global up once and call it 100k times.
struct CallInterpreter;
const CallInterpreter* findCallInterpreter(const QString& qualifiedName); // nullptr: not interpreted
PyObject* interpretCall(const CallInterpreter& interpreter, PyArena& arena, const PyGlobal& callable,
                        const PySequence& args);

// torch.save's persistent id for a storage: ('storage', <storage class>, key, location, numel) in zip
// archives, plus a 6th element (view metadata or None) in legacy streams.
PyStorage* storageFromPersistentId(PyArena& arena, const PyObject* pid);

} // namespace statescope
