#include "suggest_command.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "cli_output.h"
#include "cli_state_dict.h"
#include "diff/diff_result.h"
#include "diff/load_verdict.h"
#include "diff/target_model.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"
#include "repair/apply_plan.h"
#include "repair/python_snippet.h"
#include "repair/suggestions.h"

#include <QCommandLineParser>
#include <QJsonArray>

namespace statescope {

int runSuggest(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Suggests rules that make SOURCE load into TARGET's model (strict=True), as the rules JSON "
                       "that `diff --rules` and `fix --rules` read.\nExit status: 0 done, 2 error."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("SOURCE"), QStringLiteral("the checkpoint being loaded"));
    parser.addPositionalArgument(QStringLiteral("TARGET"),
                                 QStringLiteral("what the model expects: a checkpoint of it, or its TorchScript or torch.export (.pt2) archive"));
    const QCommandLineOption sourceDict(
        QStringLiteral("source-dict"),
        QStringLiteral("State dict inside SOURCE, components joined by '/' (\"\" = root)."), QStringLiteral("PATH"));
    const QCommandLineOption targetDict(
        QStringLiteral("target-dict"),
        QStringLiteral("State dict inside TARGET, components joined by '/' (\"\" = root)."), QStringLiteral("PATH"));
    const QCommandLineOption python(
        QStringLiteral("python"),
        QStringLiteral("Print a Python function fix_state_dict(state_dict, target_state_dict=None) instead."));
    parser.addOptions({sourceDict, targetDict, python});
    if (const int status = parseArguments(parser, arguments); status >= 0)
        return status;
    const QStringList files = parser.positionalArguments();
    if (files.size() != 2)
        return fail(QStringLiteral("suggest takes exactly SOURCE and TARGET (see statescope suggest --help)"));
    try {
        const auto source = openCheckpoint(files.at(0));
        const StateDict sourceState = selectByOption(*source, parser, sourceDict);
        const auto target = openCheckpoint(files.at(1));
        const StateDict targetState = selectByOption(*target, parser, targetDict);
        const TargetModel model = TargetModel::forCheckpoint(*target, targetState);
        keepUntilExit(source);
        keepUntilExit(target);
        const QVector<Suggestion> suggestions = suggest(sourceState, targetState, model);
        const RepairPlan plan = suggestedPlan(suggestions, sourceState, false);
        if (parser.isSet(python)) {
            printOut(pythonFixFunction(plan));
            return 0;
        }
        QJsonObject json = repairPlanJson(plan);
        QJsonArray rules;
        for (const Suggestion& s : suggestions) {
            for (const RepairRule& r : s.rules) {
                QJsonObject o = repairRuleJson(r);
                o.insert(QLatin1String("confidence"), qRound(s.confidence * 100) / 100.0);
                o.insert(QLatin1String("reason"), s.reason);
                o.insert(QLatin1String("lossless"), s.lossless);
                rules.append(o);
            }
        }
        json.insert(QLatin1String("rules"), rules);
        const auto after = computeLoadVerdict(applyPlan(plan, sourceState, &targetState)->view, model,
                                              QStringLiteral("Model"));
        json.insert(QLatin1String("loadable_after"), after->loadable);
        printJson(json);
        return 0;
    } catch (const FormatError& e) {
        return fail(e.message());
    } catch (const std::bad_alloc&) {
        return fail(QStringLiteral("out of memory while reading ") + files.join(QLatin1String(" and ")));
    }
}

} // namespace statescope
