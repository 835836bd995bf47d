#pragma once

#include <QString>

namespace statescope {

class Checkpoint;
class PyObject;
class ZipArchive;

// The pieces torch.save zip archives and TorchScript archives share: the archive's top-level folder, and
// unpickling one pickle record whose persistent ids name storages in `<folder>/data/<key>`.
QString zipArchiveFolder(const ZipArchive& zip, const QString& path);
PyObject* readZipPickle(Checkpoint& checkpoint, int file, const ZipArchive& zip, const QString& folder,
                        const QString& record);

} // namespace statescope
