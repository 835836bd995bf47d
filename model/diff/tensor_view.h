#pragma once

#include "tensor/tensor_values.h"

#include <QString>

namespace statescope {

class Checkpoint;
struct PyTensor;

// The tensor engine's view of one tensor of a checkpoint: its storage's bytes in the mapping, its dtype, shape,
// stride and offset, and the file's byte order. Throws FormatError ("<file>: <key>: <why>") when the values
// cannot be read in place: not a strided tensor, no storage bytes (meta tensors), a compressed record, or a
// tensor that reaches past its storage.
TensorView tensorViewOf(const Checkpoint& checkpoint, const PyTensor& tensor, const QString& key);

} // namespace statescope
