#include "weights_only.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/global_safety.h"
#include "checkpoint/json_text.h"

#include <QTextStream>

#include <array>

namespace statescope {

namespace {

// The opcodes torch 2.x's weights_only unpickler has a handler for (torch/_weights_only_unpickler.py,
// Unpickler.load): protocol 2 as torch.save writes it. FRAME, STACK_GLOBAL, MEMOIZE, SHORT_BINUNICODE (any
// protocol 4 pickle) and every text opcode of protocols 0 and 1 end the load with "Unsupported operand N".
bool weightsOnlyHandlesOpcode(int op)
{
    static const std::array<bool, 256> handled = [] {
        std::array<bool, 256> h{};
        for (const char op : {'c', '\x81', 'R', 'b', 'a', 'e', 's', 'u', '(', 't', '\x85', '\x86', '\x87', 'N',
                              '\x89', '\x88', ')', ']', '}', '\x8f', 'J', 'K', 'M', 'G', 'X', 'U', 'Q', 'h',
                              'j', 'q', 'r', '\x8a', '\x80', '.'})
            h[static_cast<quint8>(op)] = true;
        return h;
    }();
    return handled[static_cast<std::size_t>(op)];
}

// torch refuses globals of these modules before it looks at any allowlist, the user's included.
bool torchBlocksModule(const QString& module)
{
    return module == QLatin1String("sys") || module == QLatin1String("os") || module == QLatin1String("posix") ||
           module == QLatin1String("nt");
}

QString moduleOf(const QString& qualifiedName)
{
    const qsizetype dot = qualifiedName.lastIndexOf(QLatin1Char('.'));
    return dot < 0 ? QString() : qualifiedName.left(dot);
}

// torch's error names builtins without their module ("GLOBAL frozenset").
QString torchShownName(const QString& qualifiedName)
{
    return qualifiedName.startsWith(QLatin1String("builtins.")) ? qualifiedName.mid(9) : qualifiedName;
}

} // namespace

WeightsOnlyVerdict weightsOnlyVerdict(const Checkpoint& checkpoint)
{
    WeightsOnlyVerdict v;
    if (checkpoint.format() == CheckpointFormat::TorchScript) {
        v.applies = true;
        v.stop = WeightsOnlyVerdict::Stop::TorchScript;
        v.reason = QStringLiteral("Cannot use ``weights_only=True`` with TorchScript archives passed to ``torch.load``.");
        return v;
    }
    if (checkpoint.pickles().isEmpty())
        return v; // safetensors: torch.load does not read it, and nothing in it could run
    v.applies = true;
    if (checkpoint.format() == CheckpointFormat::TorchLegacy) {
        // torch >= 2.1 writes the dtypes that have no typed storage (float8, uint16/32/64, complex32, bits)
        // into a legacy file as UntypedStorage, and its own legacy reader then asks that class for a dtype:
        // torch.load fails on such a file with or without weights_only. StateScope reads it.
        for (const PyStorage* storage : checkpoint.storages()) {
            if (storage->storageClass == QLatin1String("UntypedStorage")) {
                v.stop = WeightsOnlyVerdict::Stop::Unreadable;
                v.reason = QStringLiteral("type object 'torch.storage.UntypedStorage' has no attribute 'dtype'");
                return v;
            }
        }
    }
    for (const PickleProfile& pickle : checkpoint.pickles()) {
        for (const auto& [rawName, offset] : pickle.globals) {
            const QString name = python3GlobalName(rawName);
            if (globalSafety(name) == GlobalSafety::Allowed)
                continue;
            (torchBlocksModule(moduleOf(name)) ? v.blockedGlobals : v.safeGlobalsNeeded) << name;
            if (v.loads() || (v.record == pickle.record && offset < v.offset)) {
                v.stop = WeightsOnlyVerdict::Stop::Global;
                v.record = pickle.record;
                v.offset = offset;
                v.refusedGlobal = name;
            }
        }
        for (int op = 0; op < 256; ++op) {
            const qint64 at = pickle.firstOpcode[static_cast<std::size_t>(op)];
            if (at < 0 || weightsOnlyHandlesOpcode(op))
                continue;
            if (v.loads() || (v.record == pickle.record && at < v.offset)) {
                v.stop = WeightsOnlyVerdict::Stop::Opcode;
                v.record = pickle.record;
                v.offset = at;
                v.refusedGlobal.clear();
                v.refusedOpcode = op;
            }
        }
        if (!v.loads())
            break; // torch never reads the pickles after the one it stops in
    }
    if (v.stop == WeightsOnlyVerdict::Stop::Global) {
        const QString module = moduleOf(v.refusedGlobal);
        if (torchBlocksModule(module)) {
            v.reason = QLatin1String("Trying to load unsupported GLOBAL ") + v.refusedGlobal + QLatin1String(" whose module ") +
                       module + QLatin1String(" is blocked.");
        } else {
            const QString shown = torchShownName(v.refusedGlobal);
            v.reason = QLatin1String("Unsupported global: GLOBAL ") + shown +
                       QLatin1String(" was not an allowed global by default. Please use `torch.serialization.add_safe_globals([") +
                       shown + QLatin1String("])` or the `torch.serialization.safe_globals([") + shown +
                       QLatin1String("])` context manager to allowlist this global if you trust this class/function.");
        }
    } else if (v.stop == WeightsOnlyVerdict::Stop::Opcode) {
        v.reason = QLatin1String("Unsupported operand ") + QString::number(v.refusedOpcode);
    }
    return v;
}

void writeWeightsOnlyJson(JsonText& json, const WeightsOnlyVerdict& v)
{
    json.raw(",\n  ").key("weights_only");
    if (!v.applies) {
        json.null();
        return;
    }
    json.raw("{").key("loads").boolean(v.loads());
    json.raw(", ").key("unreadable").boolean(v.stop == WeightsOnlyVerdict::Stop::Unreadable);
    json.raw(", ").key("record");
    v.loads() ? json.null() : json.string(v.record);
    json.raw(", ").key("offset");
    v.offset < 0 ? json.null() : json.number(v.offset);
    json.raw(", ").key("global");
    v.refusedGlobal.isEmpty() ? json.null() : json.string(v.refusedGlobal);
    json.raw(", ").key("opcode");
    v.refusedOpcode < 0 ? json.null() : json.number(static_cast<qint64>(v.refusedOpcode));
    json.raw(", ").key("error");
    v.loads() ? json.null() : json.string(v.reason);
    json.raw(", ").key("safe_globals_needed").strings(v.safeGlobalsNeeded);
    json.raw(", ").key("blocked_globals").strings(v.blockedGlobals).raw("}");
}

void writeWeightsOnlyText(QTextStream& out, const WeightsOnlyVerdict& v)
{
    using Stop = WeightsOnlyVerdict::Stop;
    if (!v.applies || v.loads())
        return;
    if (v.stop == Stop::Unreadable) {
        out << QLatin1String("torch.load: fails whatever weights_only says (AttributeError: ") << v.reason
            << QLatin1String(")\n  StateScope reads it; `statescope fix FILE --target FILE --auto -o OUT.pt` writes a zip archive torch reads\n");
        return;
    }
    out << QLatin1String("weights_only: torch.load(weights_only=True), torch >= 2.6's default, stops");
    if (v.offset >= 0)
        out << QLatin1String(" in ") << v.record << QLatin1String(" at offset ") << v.offset;
    out << QLatin1String(": ") << v.reason << QLatin1Char('\n');
    if (v.stop == Stop::TorchScript) {
        out << QLatin1String("  torch.jit.load reads it by running the archive's code; StateScope reads it without running anything\n");
    } else if (v.stop == Stop::Opcode) {
        out << QLatin1String("  no allowlist helps: the pickle uses an opcode torch's safe unpickler does not read "
                             "(pickle protocol > 2?); `statescope fix FILE --target FILE --auto -o OUT.pt` writes one it reads\n");
    } else if (!v.blockedGlobals.isEmpty()) {
        out << QLatin1String("  no allowlist helps: torch blocks ") << v.blockedGlobals.join(QLatin1String(", "))
            << QLatin1String(" outright\n");
    } else if (!v.safeGlobalsNeeded.isEmpty()) {
        out << QLatin1String("  to load it with weights_only=True, if you trust the file: "
                             "torch.serialization.add_safe_globals([")
            << v.safeGlobalsNeeded.join(QLatin1String(", ")) << QLatin1String("])\n");
    }
}

} // namespace statescope
