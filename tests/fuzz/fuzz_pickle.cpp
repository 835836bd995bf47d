// libFuzzer harness for the safe unpickler: any byte string must end in an object tree or a FormatError,
// and whatever tree comes out must survive the traversals that show it to the user.
#include "checkpoint/object_json.h"
#include "checkpoint/pyobject.h"
#include "formats/format_error.h"
#include "formats/pickle_calls.h"
#include "formats/pickle_reader.h"

#include <QByteArrayView>
#include <QSet>

#include <cstddef>
#include <cstdint>

namespace {

// The limit openCheckpoint applies (checkpoint_loader.cpp): deeper trees are rejected before any recursive walk.
constexpr int kMaxNesting = 1000;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace statescope;
    PyArena arena;
    const QByteArrayView bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    PickleReader reader(arena, bytes, QStringLiteral("fuzz.pkl"));
    // As the torch readers do, minus the record lookup: the storage tuple itself is what the fuzzer attacks.
    reader.setPersistentLoad([&arena](const PyObject* pid) -> PyObject* { return storageFromPersistentId(arena, pid); });
    try {
        const PyObject* root = reader.load();
        if (nestingDepth(root) > kMaxNesting)
            return 0;
        // A dict root also takes the state-dict branch of the JSON writer.
        QSet<const PyObject*> stateDicts;
        if (root->is(PyKind::Dict))
            stateDicts.insert(root);
        objectToJson(root, stateDicts);
        objectToJson(root, {});
        objectSummary(root);
        childrenOf(root);
    } catch (const FormatError&) {
        // Rejecting malformed input with a message is the expected outcome.
    }
    return 0;
}
