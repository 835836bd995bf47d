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
    bool applies = false;      // the file has pickles (torch.save, TorchScript, shards of them); safetensors has none
    bool loads = true;
    QString record;            // the pickle it stops in ("data.pkl", "main pickle")
    qint64 offset = -1;        // where in that pickle
    QString refusedGlobal;     // the global it stops at; empty when an opcode or the format stops it
    int refusedOpcode = -1;    // the opcode it stops at, -1 when a global or the format stops it
    bool unreadable = false;   // torch.load fails on it whatever weights_only says
    QString reason;            // torch's own sentence for it ("Unsupported global: GLOBAL argparse.Namespace ...")
    // What torch.serialization.add_safe_globals would have to allow for the file to load: the refused
    // globals of torch.serialization.get_unsafe_globals_in_checkpoint, without the blocked ones.
    QStringList safeGlobalsNeeded;
    // Globals from modules torch refuses outright (os, posix, nt, sys): no allowlist makes them load.
    QStringList blockedGlobals;
};

WeightsOnlyVerdict weightsOnlyVerdict(const Checkpoint& checkpoint);

// inspect --json's "weights_only" member (null when torch.load cannot read the format at all).
void writeWeightsOnlyJson(JsonText& json, const WeightsOnlyVerdict& verdict);
// inspect's lines about it: nothing when the file loads.
void writeWeightsOnlyText(QTextStream& out, const WeightsOnlyVerdict& verdict);

} // namespace statescope
