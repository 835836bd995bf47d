// `statescope fix` end to end on the demo pair (a DataParallel fp16 training checkpoint with renamed blocks
// and 10 classes, against a 12-class model): what real torch loads afterwards, what is refused, what is
// never touched.

#include "support/fixtures.h"

#include <QCryptographicHash>
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace statescope::test;

namespace {

const QString kDemo = QStringLiteral(STATESCOPE_SOURCE_DIR "/resources/demo/");

QByteArray sha(const QString& path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// Loads OUT with real torch into the demo's current model (12 classes, block "body"), strict=True, and checks
// the container and the tensor values against the source after the rules.
const char* kVerify = R"(
import sys, torch
sys.path.insert(0, sys.argv[1])
import make_demo
out, source, container = sys.argv[2], sys.argv[3], sys.argv[4] == "container"
model = make_demo.Net(classes=12, block_name="body")
target = torch.load(sys.argv[5])
if out.endswith(".safetensors"):
    import json, struct
    raw = open(out, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    names = {"F16": torch.float16, "F32": torch.float32, "I64": torch.int64}
    sd = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        b, e = v["data_offsets"]
        sd[k] = torch.frombuffer(bytearray(raw[8 + n + b:8 + n + e]), dtype=names[v["dtype"]]).reshape(v["shape"])
    ck = None
else:
    # The demo's container holds an argparse.Namespace: a full load, as the source needs (torch >= 2.6
    # refuses both with its default weights_only=True).
    ck = torch.load(out, weights_only=False)
    sd = ck["state_dict"] if container else ck
model.load_state_dict(sd, strict=True)
src = torch.load(source, weights_only=False)
if container:
    assert ck["epoch"] == src["epoch"] and vars(ck["args"]) == vars(src["args"]), "container changed"
    assert ck["optimizer"]["param_groups"] == src["optimizer"]["param_groups"]
s = src["state_dict"]
assert torch.equal(sd["stem.0.weight"], s["module.stem.0.weight"])
assert torch.equal(sd["body.0.weight"], s["module.features.0.weight"])
# num_classes 10 -> 12: the overlap from the source, the rest from the target (in the source's fp16)
assert sd["head.weight"].dtype == torch.float16
assert torch.equal(sd["head.weight"][:10], s["module.head.weight"])
assert torch.equal(sd["head.weight"][10:], target["head.weight"][10:].half())
print("ok")
)";

} // namespace

class TestCliFix : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void autoRefusesLossyRepairs();
    void autoLossyNamesWhatItLoses();
    void suggestedRulesLoadInTorch_data();
    void suggestedRulesLoadInTorch();
    void forceWritesAnyway();
    void nonTensorExtraStateSurvives();
    void badArguments();
};

void TestCliFix::autoRefusesLossyRepairs()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("fixed.pt"));
    const QByteArray before = sha(kDemo + QLatin1String("demo_source.pt"));
    const ProcessResult r = runStatescope({QStringLiteral("fix"), kDemo + QLatin1String("demo_source.pt"), QStringLiteral("--target"),
                                           kDemo + QLatin1String("demo_target.pt"), QStringLiteral("--auto"), QStringLiteral("-o"), out});
    // --auto strips module. and renames features -> body, but never resizes the 10-class head.
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.contains("size mismatch for head.weight"));
    QVERIFY(!r.out.contains("Missing key(s)"));
    QVERIFY(!QFile::exists(out));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 0);
    QCOMPARE(sha(kDemo + QLatin1String("demo_source.pt")), before);
}

// `--auto --lossy` (CLI.md): an ImageNet ResNet-18 into a model with `backbone.` and a new 10-class head. --auto
// alone refuses; with --lossy the head keeps the model's initialisation, stderr says so, and real torch loads
// the result strictly into the model with the backbone's values from the source and the head from the target.
void TestCliFix::autoLossyNamesWhatItLoses()
{
    QTemporaryDir dir;
    const QString source = fixture(QStringLiteral("refactors/backbone_new_head_source.pt"));
    const QString target = fixture(QStringLiteral("refactors/backbone_new_head_target.pt"));
    const QString out = dir.filePath(QStringLiteral("fixed.pt"));
    const QStringList base{QStringLiteral("fix"), source, QStringLiteral("--target"), target, QStringLiteral("--auto")};
    QCOMPARE(runStatescope(base + QStringList{QStringLiteral("-o"), out}).exitCode, 1);
    QVERIFY(!QFile::exists(out));
    const ProcessResult r = runStatescope(base + QStringList{QStringLiteral("--lossy"), QStringLiteral("-o"), out});
    QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
    QVERIFY2(r.err.startsWith("statescope: lossy: a new head: the model's \"head\" replaces the source's \"backbone.fc\""),
             r.err.constData());
    QCOMPARE(r.err.count('\n'), 1); // one lossy repair, one line
    const ProcessResult verify = runPython(QStringLiteral(R"(
import sys, torch
sys.path.insert(0, sys.argv[1])
import gen_refactors
out, src, tgt = (torch.load(p, weights_only=True) for p in sys.argv[2:5])
model = gen_refactors.build("backbone_new_head")
model.load_state_dict(out, strict=True)
assert torch.equal(out["backbone.layer4.1.conv2.weight"], src["layer4.1.conv2.weight"])
assert torch.equal(out["head.weight"], tgt["head.weight"]) and torch.equal(out["head.bias"], tgt["head.bias"])
print("ok")
)"), {QStringLiteral(STATESCOPE_SOURCE_DIR "/tests/fixtures"), out, source, target});
    QVERIFY2(verify.exitCode == 0 && verify.out.trimmed() == "ok", verify.err.constData());
    // --lossy belongs to --auto: a rules file says itself which repairs it makes.
    const ProcessResult alone = runStatescope({QStringLiteral("fix"), source, QStringLiteral("--target"), target,
                                               QStringLiteral("--rules"), out, QStringLiteral("--lossy"), QStringLiteral("-o"), out});
    QCOMPARE(alone.exitCode, 2);
    QVERIFY(alone.err.startsWith("statescope: --lossy goes with --auto"));
}

void TestCliFix::suggestedRulesLoadInTorch_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QString>("layout");
    QTest::newRow("torch container") << QStringLiteral("fixed.pt") << QStringList{} << QStringLiteral("container");
    QTest::newRow("state dict only") << QStringLiteral("fixed_sd.pt") << QStringList{QStringLiteral("--state-dict-only")}
                                     << QStringLiteral("plain");
    QTest::newRow("safetensors") << QStringLiteral("fixed.safetensors")
                                 << QStringList{QStringLiteral("--format"), QStringLiteral("safetensors")} << QStringLiteral("plain");
    // CLI.md: without --format the output's extension decides (the check parses the safetensors header).
    QTest::newRow("safetensors by extension") << QStringLiteral("by_name.safetensors") << QStringList{}
                                              << QStringLiteral("plain");
}

void TestCliFix::suggestedRulesLoadInTorch()
{
    QFETCH(QString, name);
    QFETCH(QStringList, extra);
    QFETCH(QString, layout);
    QTemporaryDir dir;
    const ProcessResult suggested = runStatescope({QStringLiteral("suggest"), kDemo + QLatin1String("demo_source.pt"),
                                                   kDemo + QLatin1String("demo_target.pt")});
    QCOMPARE(suggested.exitCode, 0);
    const QString rules = dir.filePath(QStringLiteral("rules.json"));
    QFile f(rules);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(suggested.out);
    f.close();
    const QString out = dir.filePath(name);
    const QString used = dir.filePath(QStringLiteral("used.json"));
    const ProcessResult r = runStatescope(QStringList{QStringLiteral("fix"), kDemo + QLatin1String("demo_source.pt"), QStringLiteral("--target"),
                                                      kDemo + QLatin1String("demo_target.pt"), QStringLiteral("--rules"), rules,
                                                      QStringLiteral("-o"), out, QStringLiteral("--save-rules"), used} +
                                          extra);
    QVERIFY2(r.exitCode == 0, r.out.constData());
    QVERIFY(r.out.contains("loads it"));
    QVERIFY(QFile::exists(used));
    const ProcessResult verify = runPython(QString::fromUtf8(kVerify),
                                           {kDemo, out, kDemo + QLatin1String("demo_source.pt"), layout, kDemo + QLatin1String("demo_target.pt")});
    QVERIFY2(verify.exitCode == 0 && verify.out.trimmed() == "ok", verify.err.constData());
    // And StateScope agrees with itself: the output against the target is loadable.
    QCOMPARE(runStatescope({QStringLiteral("diff"), out, kDemo + QLatin1String("demo_target.pt")}).exitCode, 0);
}

// get_extra_state() returning a dict: the DataParallel prefix is stripped from it like from any key, it is
// written back where it was, and real torch loads the result strictly into the module that defines it.
void TestCliFix::nonTensorExtraStateSurvives()
{
    QTemporaryDir dir;
    const QString source = fixture(QStringLiteral("diff_extra_object_prefixed_source.pt"));
    const QString target = fixture(QStringLiteral("diff_extra_object_prefixed_target.pt"));
    const QString out = dir.filePath(QStringLiteral("fixed.pt"));
    const ProcessResult r = runStatescope({QStringLiteral("fix"), source, QStringLiteral("--target"), target,
                                           QStringLiteral("--auto"), QStringLiteral("-o"), out});
    QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
    const ProcessResult verify = runPython(QStringLiteral(R"(
import sys, torch
sys.path.insert(0, sys.argv[1])
import gen_diff_pairs as g
out, src, tgt = torch.load(sys.argv[2]), torch.load(sys.argv[3]), torch.load(sys.argv[4])
assert list(out.keys()) == list(tgt.keys()), (list(out.keys()), list(tgt.keys()))
assert out["part._extra_state"] == src["module.part._extra_state"] == {"scale": 3, "name": "fp8"}
model = g.ExtraHolder(extra_type=g.WithObjectExtraState)
model.load_state_dict(out, strict=True)
assert model.part.received == {"scale": 3, "name": "fp8"}
for k, v in out.items():
    if torch.is_tensor(v):
        assert torch.equal(v, src["module." + k]), k
print("ok")
)"), {QStringLiteral(STATESCOPE_SOURCE_DIR "/tests/fixtures"), out, source, target});
    QVERIFY2(verify.exitCode == 0 && verify.out.trimmed() == "ok", verify.err.constData());

    // safetensors holds tensors only: refused in one line that names the key, nothing written.
    const QString st = dir.filePath(QStringLiteral("fixed.safetensors"));
    const ProcessResult refused = runStatescope({QStringLiteral("fix"), source, QStringLiteral("--target"), target,
                                                 QStringLiteral("--auto"), QStringLiteral("--format"),
                                                 QStringLiteral("safetensors"), QStringLiteral("-o"), st});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains("part._extra_state") && refused.err.trimmed().count('\n') == 0, refused.err.constData());
    QVERIFY(!QFile::exists(st));
}

void TestCliFix::forceWritesAnyway()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("forced.pt"));
    const ProcessResult r = runStatescope({QStringLiteral("fix"), kDemo + QLatin1String("demo_source.pt"), QStringLiteral("--target"),
                                           kDemo + QLatin1String("demo_target.pt"), QStringLiteral("--auto"), QStringLiteral("--force"),
                                           QStringLiteral("-o"), out});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(QFile::exists(out));
    const ProcessResult loads = runPython(QStringLiteral("import sys, torch\nck = torch.load(sys.argv[1], weights_only=False)\nprint(sorted(ck['state_dict'])[0])"), {out});
    QCOMPARE(loads.exitCode, 0);
    QCOMPARE(loads.out.trimmed(), QByteArray("body.0.bias"));
}

void TestCliFix::badArguments()
{
    const QString source = kDemo + QLatin1String("demo_source.pt");
    QCOMPARE(runStatescope({QStringLiteral("fix"), source, QStringLiteral("--auto"), QStringLiteral("-o"), QStringLiteral("/tmp/x.pt")}).exitCode, 2);
    QCOMPARE(runStatescope({QStringLiteral("fix"), source, QStringLiteral("--target"), source, QStringLiteral("-o"), QStringLiteral("/tmp/x.pt")}).exitCode, 2);
    const ProcessResult same = runStatescope({QStringLiteral("fix"), source, QStringLiteral("--target"), kDemo + QLatin1String("demo_target.pt"),
                                              QStringLiteral("--auto"), QStringLiteral("--force"), QStringLiteral("-o"), source});
    QCOMPARE(same.exitCode, 2);
    QVERIFY(same.err.startsWith("statescope: "));
    const ProcessResult format = runStatescope({QStringLiteral("fix"), source, QStringLiteral("--target"), source, QStringLiteral("--auto"),
                                                QStringLiteral("--format"), QStringLiteral("onnx"), QStringLiteral("-o"), QStringLiteral("/tmp/x")});
    QCOMPARE(format.exitCode, 2);
    // An extension that contradicts --format: one line, nothing written.
    QTemporaryDir dir;
    const QString named = dir.filePath(QStringLiteral("x.safetensors"));
    const ProcessResult contradicts = runStatescope({QStringLiteral("fix"), source, QStringLiteral("--target"),
                                                     kDemo + QLatin1String("demo_target.pt"), QStringLiteral("--auto"),
                                                     QStringLiteral("--force"), QStringLiteral("--format"),
                                                     QStringLiteral("torch"), QStringLiteral("-o"), named});
    QCOMPARE(contradicts.exitCode, 2);
    QVERIFY2(contradicts.err.startsWith("statescope: --format torch contradicts") &&
                 contradicts.err.trimmed().count('\n') == 0,
             contradicts.err.constData());
    QVERIFY(!QFile::exists(named));
    const ProcessResult version = runStatescope({QStringLiteral("fix"), source, QStringLiteral("--target"), source,
                                                 QStringLiteral("--auto"), QStringLiteral("--torch-version"),
                                                 QStringLiteral("latest"), QStringLiteral("-o"), QStringLiteral("/tmp/x.pt")});
    QCOMPARE(version.exitCode, 2);
    QVERIFY(version.err.startsWith("statescope: --torch-version takes a torch version"));
}

QTEST_GUILESS_MAIN(TestCliFix)
#include "tst_cli_fix.moc"
