#pragma once

#include <QString>
#include <QStringList>

class QTextStream;

namespace statescope {

class Checkpoint;
class JsonText;

// What torch 2.x's torch.load(path, weights_only=True) (the default since 2.6) does with a file, replayed
// from where each opcode and global first occurs in its pickles: torch's unpickler stops at the first opcode
// it has no handler for or the first global outside its allowlist.
struct WeightsOnlyVerdict
{
    enum class Stop {
        None,        // it loads
        Global,      // at refusedGlobal
        Opcode,      // at refusedOpcode
        Unreadable,  // torch.load fails on the file whatever weights_only says
        TorchScript, // torch.load(weights_only=True) refuses TorchScript archives outright
    };
    bool applies = false;      // the file has pickles (torch.save, TorchScript, shards of them); safetensors has none
    Stop stop = Stop::None;
    QString record;            // the pickle it stops in ("data.pkl", "main pickle")
    qint64 offset = -1;        // where in that pickle
    QString refusedGlobal;     // Stop::Global: the global it stops at
    int refusedOpcode = -1;    // Stop::Opcode: the opcode it stops at
    QString reason;            // torch's own sentence for it ("Unsupported global: GLOBAL argparse.Namespace ...")
    // What torch.serialization.add_safe_globals would have to allow for the file to load: the refused
    // globals of torch.serialization.get_unsafe_globals_in_checkpoint, without the blocked ones.
    QStringList safeGlobalsNeeded;
    // Globals from modules torch refuses outright (os, posix, nt, sys): no allowlist makes them load.
    QStringList blockedGlobals;

    bool loads() const { return stop == Stop::None; }
};

WeightsOnlyVerdict weightsOnlyVerdict(const Checkpoint& checkpoint);

// inspect --json's "weights_only" member (null when torch.load cannot read the format at all).
void writeWeightsOnlyJson(JsonText& json, const WeightsOnlyVerdict& verdict);
// inspect's lines about it: nothing when the file loads.
void writeWeightsOnlyText(QTextStream& out, const WeightsOnlyVerdict& verdict);

} // namespace statescope
