#include "fix_command.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/inspect_report.h"
#include "cli_output.h"
#include "cli_torch_version.h"
#include "diff/load_verdict.h"
#include "diff/target_model.h"
#include "export/exporter.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"
#include "repair/apply_plan.h"
#include "repair/repair_plan.h"
#include "repair/suggestions.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <csignal>

namespace statescope {

int runFix(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Repairs SOURCE so that TARGET's model loads it with strict=True, and writes the result.\n"
                       "Exit status: 0 written and loadable, 1 the result would still not load (nothing written "
                       "unless --force), 2 error. The source is never modified; OUT appears atomically."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("SOURCE"), QStringLiteral("the checkpoint to repair"));
    const QCommandLineOption target(QStringLiteral("target"), QStringLiteral("What the model expects (checkpoint, TorchScript or .pt2 archive)."),
                                    QStringLiteral("TARGET"));
    const QCommandLineOption rules(QStringLiteral("rules"), QStringLiteral("Apply this rules file."), QStringLiteral("RULES"));
    const QCommandLineOption automatic(QStringLiteral("auto"),
                                       QStringLiteral("Apply the lossless suggestions only (state dict choice, prefixes, "
                                                      "renames matched by structure, num_batches_tracked)."));
    const QCommandLineOption lossy(QStringLiteral("lossy"),
                                   QStringLiteral("With --auto: also apply the suggested lossy repairs (a new head keeps "
                                                  "the model's initialisation, resizes, drops), each listed on stderr."));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Where to write."),
                                    QStringLiteral("OUT"));
    const QCommandLineOption format(QStringLiteral("format"),
                                    QStringLiteral("torch or safetensors (default: by OUT's extension, .safetensors -> "
                                                   "safetensors, anything else -> torch)."),
                                    QStringLiteral("FORMAT"));
    const QCommandLineOption stateDictOnly(QStringLiteral("state-dict-only"),
                                           QStringLiteral("Write the repaired state dict alone, without the container."));
    const QCommandLineOption saveRules(QStringLiteral("save-rules"), QStringLiteral("Also write the plan used."),
                                       QStringLiteral("RULES"));
    const QCommandLineOption force(QStringLiteral("force"), QStringLiteral("Write even when the result would not load."));
    const QCommandLineOption torchVersion = torchVersionOption();
    parser.addOptions({target, rules, automatic, lossy, output, format, stateDictOnly, saveRules, force, torchVersion});
    if (const int status = parseArguments(parser, arguments); status >= 0)
        return status;
    const std::optional<LoadRules> loadRules = loadRulesOption(parser, torchVersion);
    if (!loadRules)
        return 2;
    const QStringList files = parser.positionalArguments();
    if (files.size() != 1 || !parser.isSet(target) || !parser.isSet(output))
        return fail(QStringLiteral("fix takes SOURCE --target TARGET (--rules RULES | --auto) -o OUT (see statescope fix --help)"));
    if (parser.isSet(rules) == parser.isSet(automatic))
        return fail(QStringLiteral("fix needs exactly one of --rules RULES and --auto"));
    if (parser.isSet(lossy) && !parser.isSet(automatic))
        return fail(QStringLiteral("--lossy goes with --auto (a rules file says itself which repairs it makes)"));
    ExportOptions options;
    // CLI.md: the format follows --format, else OUT's extension; an extension that contradicts --format is
    // an error (a torch zip named .safetensors would fail in every safetensors reader).
    const bool safetensorsName = parser.value(output).endsWith(QLatin1String(".safetensors"), Qt::CaseInsensitive);
    const QString formatName = parser.isSet(format) ? parser.value(format)
                               : safetensorsName   ? QStringLiteral("safetensors")
                                                   : QStringLiteral("torch");
    if (formatName == QLatin1String("safetensors"))
        options.format = ExportOptions::Format::SafeTensors;
    else if (formatName != QLatin1String("torch"))
        return fail(QLatin1String("--format takes torch or safetensors, not '") + formatName + QLatin1Char('\''));
    if (formatName == QLatin1String("torch") && safetensorsName)
        return fail(QLatin1String("--format torch contradicts the output name ") + parser.value(output) +
                    QLatin1String(" (a .safetensors file must be in safetensors format)"));
    options.stateDictOnly = parser.isSet(stateDictOnly);
    // A file size limit must end in a clean error and no partial output, not in SIGXFSZ killing the process
    // before the temporary file can be removed.
    std::signal(SIGXFSZ, SIG_IGN);

    try {
        const auto source = openCheckpoint(files.front());
        const auto targetFile = openCheckpoint(parser.value(target));
        keepUntilExit(source);
        keepUntilExit(targetFile);
        const StateDict targetState = selectStateDict(*targetFile, QString());
        const TargetModel model = TargetModel::forCheckpoint(*targetFile, targetState);
        const QString name = model.className().isEmpty() ? QStringLiteral("Model") : model.className();

        RepairPlan plan;
        StateDict sourceState;
        if (parser.isSet(rules)) {
            plan = readRepairPlan(parser.value(rules));
            sourceState = selectStateDict(*source, plan.sourceDict);
        } else {
            sourceState = selectStateDict(*source, QString());
            const QVector<Suggestion> suggestions = suggest(sourceState, targetState, model);
            plan = suggestedPlan(suggestions, sourceState, /*losslessOnly=*/!parser.isSet(lossy));
            if (parser.isSet(lossy)) {
                // CLI.md: every lossy repair applied is named, so that nobody loses values without being told.
                for (const Suggestion& s : suggestions) {
                    if (!s.lossless)
                        printErr(QLatin1String("statescope: lossy: ") + s.reason + QLatin1Char('\n'));
                }
            }
        }
        const auto repaired = applyPlan(plan, sourceState, &targetState);
        const auto verdict = computeLoadVerdict(repaired->view, model, name, *loadRules);
        if (parser.isSet(saveRules))
            writeRepairPlan(plan, parser.value(saveRules));
        if (!verdict->loadable && !parser.isSet(force)) {
            printOut(QLatin1String("not written: after the rules, ") + name +
                     QLatin1String(".load_state_dict(strict=True) would still fail (--force writes anyway)\n\n") +
                     verdict->torchError + QLatin1Char('\n'));
            return 1;
        }
        const ExportReport report =
            exportCheckpoint(*source, sourceState, *repaired, targetFile.get(), parser.value(output), options);
        QString summary = QLatin1String("wrote ") + report.path + QLatin1String(" (") + QString::number(report.tensorsWritten) +
                          QLatin1String(" tensors, ") + humanBytes(report.bytesWritten) + QLatin1String(")\n");
        if (!report.replacedGlobals.isEmpty())
            summary += QLatin1String("replaced by None (they would run code on load): ") +
                       report.replacedGlobals.join(QLatin1String(", ")) + QLatin1Char('\n');
        if (verdict->loadable)
            summary += name + QLatin1String(".load_state_dict(strict=True) loads it\n");
        else
            summary += QLatin1String("written with --force; it would still fail:\n") + verdict->torchError + QLatin1Char('\n');
        printOut(summary);
        return verdict->loadable ? 0 : 1;
    } catch (const FormatError& e) {
        return fail(e.message());
    } catch (const std::bad_alloc&) {
        return fail(QStringLiteral("out of memory while repairing ") + files.front());
    }
}

} // namespace statescope
