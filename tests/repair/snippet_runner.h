#pragma once

// Runs the Python snippet of a plan with real torch on a fixture case and reports what came out.

#include "repair/python_snippet.h"
#include "repair/repair_plan.h"
#include "support/fixtures.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

namespace statescope::test {

// {"keys": [{"key", "dtype", "shape"}...], "metadata": {prefix: version}, "error": null or str(exception of
// load_state_dict(strict=True))}, or {"exception": "..."} when fix_state_dict itself raised.
inline QJsonObject runSnippet(const RepairPlan& plan, const QJsonObject& repairCase, bool passTarget = true)
{
    // A folder of its own: the suites run once per oracle, side by side, with the same case names.
    QTemporaryDir dir;
    if (!dir.isValid())
        return {};
    const QString snippetPath = dir.filePath(QStringLiteral("statescope_fix_") +
                                             repairCase.value(QLatin1String("name")).toString() + QStringLiteral(".py"));
    QFile file(snippetPath);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(pythonFixFunction(plan).toUtf8());
    file.close();
    const QString code = QStringLiteral(
        "import json, sys, runpy\n"
        "sys.path.insert(0, sys.argv[3])\n"
        "import torch, fixture_util, gen_repair\n"
        "fix = runpy.run_path(sys.argv[1])['fix_state_dict']\n"
        "case = json.loads(sys.argv[2])\n"
        "obj = torch.load(case['source_path'], weights_only=True)\n"
        "for part in (case.get('source_dict') or '').split('/'):\n"
        "    if part: obj = obj[part]\n"
        "model = gen_repair.build_model(case['model'])\n"
        "try:\n"
        "    fixed = fix(obj, model.state_dict() if case['pass_target'] else None)\n"
        "except Exception as e:\n"
        "    print(json.dumps({'exception': type(e).__name__ + ': ' + str(e)})); sys.exit(0)\n"
        "out = {'keys': [{'key': k, 'dtype': fixture_util.dtype_name(v.dtype), 'shape': list(v.shape)}\n"
        "                for k, v in fixed.items()],\n"
        "       'metadata': {k: v.get('version') for k, v in getattr(fixed, '_metadata', {}).items()}}\n"
        "try:\n"
        "    model.load_state_dict(fixed, strict=True); out['error'] = None\n"
        "except RuntimeError as e:\n"
        "    out['error'] = str(e)\n"
        "print(json.dumps(out))\n");
    QJsonObject c = repairCase;
    c.insert(QLatin1String("source_path"), fixture(repairCase.value(QLatin1String("source")).toString()));
    c.insert(QLatin1String("pass_target"), passTarget);
    const ProcessResult r = runPython(code, {snippetPath, QString::fromUtf8(QJsonDocument(c).toJson(QJsonDocument::Compact)),
                                             QLatin1String(STATESCOPE_SOURCE_DIR "/tests/fixtures")});
    if (r.exitCode != 0)
        return QJsonObject{{QStringLiteral("exception"), QString::fromUtf8(r.err)}};
    return QJsonDocument::fromJson(r.out).object();
}

} // namespace statescope::test
