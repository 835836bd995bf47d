#pragma once

#include <QString>

#include <optional>

namespace statescope {

// Whose `load_state_dict` the verdict reproduces. torch changed two of its rules between the torches the
// tests run against (tests/fixtures, docs/torch-versions.md):
// - unexpected keys: 1.13 checks only a key's next component at each module ("w.x" passes when `w` is a
//   parameter; "block" passes when `block` is a child); torch 2.4 and later (pytorch#124385) require every
//   key with a further component to name a child module, and a key ending at a module to be a local of it;
// - a 0-dim parameter: 1.13 takes source[0] of any 1-D tensor (IndexError when empty), and so does 2.6
//   (Debian 13's python3-torch); 2.13 only of a one-element one, anything else is a size mismatch
//   (pytorch#165873, reported against 2.8 and 2.9 and fixed after them).
// Current is the default: what torch 2.13 does. Torch113 is what Debian 12's python3-torch does; Torch24 the
// torches between: the newer unexpected-key rule with the old 0-dim one.
enum class LoadRules {
    Current,
    Torch113,
    Torch24,
};

// Whether the rules take the unexpected-key check of torch 2.4 and later.
inline bool checksUnexpectedByPath(LoadRules rules) { return rules != LoadRules::Torch113; }
// Whether a 0-dim parameter takes source[0] of any 1-D tensor (before the pytorch#165873 fix).
inline bool takesFirstOfAny1D(LoadRules rules) { return rules != LoadRules::Current; }

// The rules of a torch version as `torch.__version__` prints it ("1.13.1", "2.13.0+cpu", "2.6"): 1.x and
// 2.0-2.3 follow Torch113 (the unexpected-key change landed in 2.4), 2.4-2.9 Torch24, anything newer
// Current. Checked against real torch: 1.13 (Debian 12), 2.6 (Debian 13) and 2.13 (the venv). nullopt for
// text that is not a version.
std::optional<LoadRules> loadRulesForTorchVersion(const QString& version);

} // namespace statescope
