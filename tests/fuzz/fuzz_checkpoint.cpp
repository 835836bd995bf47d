// libFuzzer harness for the whole open path that `statescope inspect --json` takes: sniffing, every reader
// (torch zip, TorchScript up to its LibTorch step, legacy stream and tar, safetensors, shard index), state-dict
// discovery and the report. openCheckpoint takes a path and maps the file, so each input is written to a
// file of its own first, in a private directory so that a fuzzed shard index finds no neighbours to open.
#include "checkpoint/checkpoint.h"
#include "checkpoint/inspect_report.h"
#include "checkpoint/object_json.h"
#include "checkpoint/state_dict.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>
#include <QString>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

namespace {

std::string g_directory;
QString g_inputPath;

// The readers promise that every storage they register lies inside its mapped file (they compare each record
// with what the pickle claims), so later code may slice the mapping without asking again. A range that
// leaves the file is a reader bug, not a malformed input.
void checkStorageRanges(const statescope::Checkpoint& checkpoint)
{
    for (const statescope::PyStorage* storage : checkpoint.storages()) {
        const statescope::StorageBytes* where = checkpoint.storageBytes(storage);
        if (!where || where->compressed)
            continue;
        try {
            checkpoint.bytesOf(storage);
        } catch (const statescope::FormatError& e) {
            std::fprintf(stderr, "fuzz_checkpoint: opened, but a storage lies outside the file: %s\n",
                         qPrintable(e.message()));
            std::abort();
        }
    }
}

// `inspect --json` is written by hand (json_text.h), so whatever names and numbers a file holds, the text
// must still parse. Qt's parser stops at 1024 levels, which a tree within openCheckpoint's nesting limit can
// exceed once opaque objects are wrapped; that is a limit of the checker, not an error of the writer.
void checkJsonText(const QByteArray& text)
{
    QJsonParseError error;
    QJsonDocument::fromJson(text, &error);
    if (error.error == QJsonParseError::NoError || error.error == QJsonParseError::DeepNesting)
        return;
    const qsizetype from = std::max<qsizetype>(0, error.offset - 60);
    std::fprintf(stderr, "fuzz_checkpoint: inspect --json wrote invalid JSON (%s at byte %d): ...%s...\n",
                 qPrintable(error.errorString()), error.offset, text.mid(from, 120).constData());
    std::abort();
}

void removeDirectory()
{
    if (!g_directory.empty())
        QDir(QString::fromStdString(g_directory)).removeRecursively();
}

// /dev/shm keeps the per-input write off the disk; TMPDIR and /tmp serve where it is missing.
std::string makePrivateDirectory()
{
    std::string bases[] = {"/dev/shm", std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "", "/tmp"};
    for (const std::string& base : bases) {
        if (base.empty() || access(base.c_str(), W_OK) != 0)
            continue;
        std::string pattern = base + "/statescope-fuzz-XXXXXX";
        if (mkdtemp(pattern.data()))
            return pattern;
    }
    std::perror("fuzz_checkpoint: cannot create a temporary directory");
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    g_directory = makePrivateDirectory();
    std::atexit(removeDirectory);
    // No extension: the format must come from the bytes alone.
    g_inputPath = QString::fromStdString(g_directory) + QLatin1String("/input");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace statescope;
    {
        QFile file(g_inputPath);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(reinterpret_cast<const char*>(data), static_cast<qint64>(size)) != static_cast<qint64>(size)) {
            std::fprintf(stderr, "fuzz_checkpoint: cannot write %s\n", qPrintable(g_inputPath));
            std::abort();
        }
    }
    try {
        const auto checkpoint = openCheckpoint(g_inputPath);
        checkStorageRanges(*checkpoint);
        const QVector<StateDict> candidates = findStateDicts(*checkpoint);
        QSet<const PyObject*> stateDicts;
        for (const StateDict& candidate : candidates)
            stateDicts.insert(candidate.object);
        objectToJson(checkpoint->root(), stateDicts);
        if (!candidates.isEmpty()) {
            const StateDict selected = selectStateDict(*checkpoint, QString());
            checkJsonText(inspectJson(*checkpoint, candidates, selected));
            inspectText(*checkpoint, candidates, selected);
            for (const StateDictEntry& entry : selected.entries)
                tensorRecordJson(*checkpoint, entry);
        }
    } catch (const FormatError&) {
        // Rejecting malformed input with a message is the expected outcome.
    }
    return 0;
}
