#pragma once

namespace statescope {

class Checkpoint;
class PyObject;

// One reader per format. Each reads file `file` of the checkpoint (already mapped), registers the storages
// and globals it finds and returns the root object of that file. All throw FormatError on bad input.
PyObject* readTorchZip(Checkpoint& checkpoint, int file);
PyObject* readTorchScript(Checkpoint& checkpoint, int file);
// A torch.export.save archive (.pt2): state dict and module tree from its JSON records, no pickle.
PyObject* readTorchExport(Checkpoint& checkpoint, int file);
PyObject* readTorchLegacy(Checkpoint& checkpoint, int file);
PyObject* readTorchLegacyTar(Checkpoint& checkpoint, int file);
PyObject* readSafetensors(Checkpoint& checkpoint, int file);
// A *.index.json of shards: maps every shard (any format above) into the same checkpoint.
PyObject* readShardIndex(Checkpoint& checkpoint, int file);

} // namespace statescope
