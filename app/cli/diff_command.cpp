#include "diff_command.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "cli_output.h"
#include "cli_state_dict.h"
#include "cli_torch_version.h"
#include "diff/diff_report.h"
#include "diff/load_verdict.h"
#include "diff/target_model.h"
#include "diff/value_report.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"
#include "repair/apply_plan.h"
#include "repair/repair_plan.h"

#include <QCommandLineParser>
#include <QJsonArray>

namespace statescope {

namespace {

DiffSide side(const Checkpoint& checkpoint, const StateDict& stateDict)
{
    return {checkpoint.path(), formatName(checkpoint.format()), stateDict.path,
            int(stateDict.entries.size())};
}

} // namespace

int runDiff(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Tells what target_model.load_state_dict(source, strict=True) would do, exactly as "
                       "torch would say it.\n"
                       "Exit status: 0 it loads, 1 it would not load, 2 error."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("SOURCE"), QStringLiteral("the checkpoint being loaded"));
    parser.addPositionalArgument(
        QStringLiteral("TARGET"),
        QStringLiteral("what the model expects: a checkpoint of it, or its TorchScript or torch.export (.pt2) archive"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print the JSON of CLI.md instead of text (= --format json)."));
    const QCommandLineOption format(
        QStringLiteral("format"),
        QStringLiteral("text (default), json, or gnu: one line per problem, \"SOURCE: KEY: error: MESSAGE\" "
                       "(dtype differences as \"warning:\"), for editors' problem matchers."),
        QStringLiteral("FORMAT"), QStringLiteral("text"));
    const QCommandLineOption sourceDict(
        QStringLiteral("source-dict"),
        QStringLiteral("State dict inside SOURCE, components joined by '/' (\"\" = root)."),
        QStringLiteral("PATH"));
    const QCommandLineOption targetDict(
        QStringLiteral("target-dict"),
        QStringLiteral("State dict inside TARGET, components joined by '/' (\"\" = root)."),
        QStringLiteral("PATH"));
    const QCommandLineOption modelName(
        QStringLiteral("model-name"),
        QStringLiteral("Class name in torch's message (default: the class of a TorchScript or .pt2 target, else Model)."),
        QStringLiteral("NAME"));
    const QCommandLineOption values(QStringLiteral("values"),
                                    QStringLiteral("Also compare the values of every key with equal shapes (LibTorch)."));
    const QCommandLineOption atol(QStringLiteral("atol"), QStringLiteral("allclose's absolute tolerance (default 1e-08)."),
                                  QStringLiteral("A"), QStringLiteral("1e-08"));
    const QCommandLineOption rtol(QStringLiteral("rtol"), QStringLiteral("allclose's relative tolerance (default 1e-05)."),
                                  QStringLiteral("R"), QStringLiteral("1e-05"));
    const QCommandLineOption rules(
        QStringLiteral("rules"),
        QStringLiteral("Apply this rules file (CLI.md) to SOURCE first; its source_dict applies unless --source-dict."),
        QStringLiteral("RULES"));
    const QCommandLineOption torchVersion = torchVersionOption();
    parser.addOptions({json, format, sourceDict, targetDict, modelName, values, atol, rtol, rules, torchVersion});
    if (const int status = parseArguments(parser, arguments); status >= 0)
        return status;
    const std::optional<LoadRules> loadRules = loadRulesOption(parser, torchVersion);
    if (!loadRules)
        return 2;
    const QStringList files = parser.positionalArguments();
    if (files.size() != 2)
        return fail(QStringLiteral("diff takes exactly SOURCE and TARGET (see statescope diff --help)"));
    const QString outputFormat = parser.isSet(json) ? QStringLiteral("json") : parser.value(format);
    if (outputFormat != QLatin1String("text") && outputFormat != QLatin1String("json") &&
        outputFormat != QLatin1String("gnu"))
        return fail(QLatin1String("--format takes text, json or gnu, not '") + outputFormat + QLatin1Char('\''));
    if (parser.isSet(json) && parser.isSet(format) && parser.value(format) != QLatin1String("json"))
        return fail(QStringLiteral("--json and --format ") + parser.value(format) + QLatin1String(" contradict each other"));
    // A problem matcher reads problems, not a value table: value differences are not load errors.
    if (outputFormat == QLatin1String("gnu") && parser.isSet(values))
        return fail(QStringLiteral("--values has no gnu form; use the text or json format"));
    bool atolOk = false;
    bool rtolOk = false;
    ValueDiffOptions valueOptions;
    valueOptions.values.atol = parser.value(atol).toDouble(&atolOk);
    valueOptions.values.rtol = parser.value(rtol).toDouble(&rtolOk);
    if (!atolOk || !rtolOk || valueOptions.values.atol < 0 || valueOptions.values.rtol < 0)
        return fail(QStringLiteral("--atol and --rtol take non-negative numbers"));

    try {
        RepairPlan plan;
        if (parser.isSet(rules))
            plan = readRepairPlan(parser.value(rules));
        const auto source = openCheckpoint(files.at(0));
        const StateDict sourceState = !parser.isSet(sourceDict) && !plan.sourceDict.isNull()
                                          ? selectStateDict(*source, plan.sourceDict)
                                          : selectByOption(*source, parser, sourceDict);
        const auto target = openCheckpoint(files.at(1));
        const StateDict targetState = selectByOption(*target, parser, targetDict);
        // A TorchScript archive knows its real module tree (keyless modules, types); a state dict only its
        // keys.
        const TargetModel model = TargetModel::forCheckpoint(*target, targetState);
        QString name = parser.value(modelName);
        if (!parser.isSet(modelName))
            name = model.className().isEmpty() ? QStringLiteral("Model") : model.className();
        // Without --rules the plan is empty and the verdict sees the source as it is.
        const auto repaired = parser.isSet(rules) ? applyPlan(plan, sourceState, &targetState) : nullptr;
        const auto result = computeLoadVerdict(repaired ? repaired->view : sourceState, model, name, *loadRules);
        const DiffSide sourceSide = side(*source, sourceState);
        const DiffSide targetSide = side(*target, targetState);
        keepUntilExit(source);
        keepUntilExit(target);
        ValueDiffResult valueResult;
        if (parser.isSet(values)) {
            const QVector<ValuePair> pairs = valuePairsOf(*result);
            // With rules, every key is compared as `fix` would write it (cast, transposed, resized tensors are
            // computed by the same engine call), reported under its source key.
            valueResult = repaired ? compareRepairedValues(*source, *repaired, *target, targetState.entries, pairs,
                                                           valueOptions)
                                   : compareValues(*source, sourceState.entries, *target, targetState.entries, pairs,
                                                   valueOptions);
            if (!valueResult.error.isEmpty())
                return fail(valueResult.error);
        }
        if (outputFormat == QLatin1String("json")) {
            QJsonObject report = diffJson(sourceSide, targetSide, *result);
            if (parser.isSet(values))
                report.insert(QStringLiteral("values"), valuesJson(valueResult));
            printJson(report);
        } else if (outputFormat == QLatin1String("gnu")) {
            printOut(diffGnu(sourceSide, *result));
        } else {
            QString text = diffText(sourceSide, targetSide, name, *result);
            if (parser.isSet(values))
                text += (text.endsWith(QLatin1Char('\n')) ? QString() : QStringLiteral("\n")) + valuesText(valueResult);
            printOut(text);
        }
        return result->loadable ? 0 : 1;
    } catch (const FormatError& e) {
        return fail(e.message());
    } catch (const std::bad_alloc&) {
        return fail(QStringLiteral("out of memory while reading ") + files.join(QLatin1String(" and ")));
    }
}

} // namespace statescope
