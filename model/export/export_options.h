#pragma once

#include <QString>
#include <QStringList>

#include <functional>

namespace statescope {

struct ExportOptions
{
    enum class Format { Torch, SafeTensors };
    Format format = Format::Torch;
    // Torch format only: write the repaired state dict alone instead of the source's container around it.
    // (safetensors always holds the state dict alone.)
    bool stateDictOnly = false;
    // Torch format only: ZIP64 fields everywhere, as an archive past 4 GiB has them (tests; see ZipWriter).
    bool forceZip64 = false;
};

struct ExportReport
{
    QString path;
    qint64 bytesWritten = 0;
    int tensorsWritten = 0;  // entries of the repaired state dict
    int storagesWritten = 0; // records data/<key> (torch) or tensors (safetensors)
    // Torch format: records whose bytes are an unchanged zip record of an input, so its CRC-32 was reused.
    int recordsReused = 0;
    // Globals that would run code on load (os.system, builtins.eval, ...): the objects built with them were
    // written as None.
    QStringList replacedGlobals;
    bool cancelled = false; // nothing was written
};

// Bytes done so far and the total, from the exporting thread.
using ExportProgress = std::function<void(qint64 done, qint64 total)>;

} // namespace statescope
