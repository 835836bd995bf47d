#pragma once

#include <QString>
#include <QStringList>

namespace statescope {

// How a global named in a pickle would fare in torch.load(weights_only=True), and whether real pickle would
// run code with it. StateScope never calls any of them; this is what it tells the user.
enum class GlobalSafety {
    Allowed,   // in torch's weights_only allowlist (OrderedDict, rebuild functions, storages, dtypes, ...)
    Unsafe,    // torch.load(weights_only=True) refuses it; plain torch.load would import and call it
    Dangerous, // runs commands, code or imports when unpickled by Python (os.system, builtins.eval, ...)
};

GlobalSafety globalSafety(const QString& qualifiedName);
// The name torch judges: Python 2's `__builtin__.x` and `copy_reg.x` read as `builtins.x` and `copyreg.x`,
// as torch (like Python's _compat_pickle) maps them before it consults the allowlist.
QString python3GlobalName(const QString& qualifiedName);

// The globals of a file that torch.load(weights_only=True) would refuse (Unsafe and Dangerous), in order.
QStringList unsafeGlobals(const QStringList& globals);
QStringList dangerousGlobals(const QStringList& globals);

class Checkpoint;

// The same for an opened file. A TorchScript archive's `__torch__.*` classes are its own compiled module
// types, which torch.jit.load builds from the archive's code without importing anything: not reported.
QStringList unsafeGlobals(const Checkpoint& checkpoint);
QStringList dangerousGlobals(const Checkpoint& checkpoint);

} // namespace statescope
