#pragma once

#include "diff/load_rules.h"

#include <QCommandLineOption>

class QCommandLineParser;

namespace statescope {

// --torch-version VERSION of diff and fix: whose load_state_dict the verdict follows (load_rules.h).
QCommandLineOption torchVersionOption();

// The rules --torch-version asks for (Current when it is not given); nullopt after printing the error line
// for a value that is not a version (the caller returns exit status 2).
std::optional<LoadRules> loadRulesOption(const QCommandLineParser& parser, const QCommandLineOption& option);

} // namespace statescope
