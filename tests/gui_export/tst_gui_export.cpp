// File > Export through the dialog and the worker (torch and safetensors, loaded back by real torch), cancel
// and failure leaving no file, an open dialog following plan edits and undo (a running export untouched),
// the container browser against torch.load and a safetensors header's __metadata__, the unsafe banner on a
// hostile file, and a pasted torch error marking exactly its keys.

#include "checkpoint_pane.h"
#include "container_browser.h"
#include "error_key_delegate.h"
#include "export_dialog.h"
#include "inspector_tools.h"
#include "main_window.h"
#include "paste_error_dialog.h"
#include "session/object_tree_model.h"
#include "support/fixtures.h"
#include "unsafe_banner.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QJsonArray>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

#include <functional>

using namespace statescope;
using namespace statescope::test;

namespace {

const int kTimeout = 30000;

bool openPair(MainWindow& window, const QString& source, const QString& target)
{
    window.openFile(Side::Source, fixture(source));
    window.openFile(Side::Target, fixture(target));
    return QTest::qWaitFor([&] { return !window.session()->isBusy() && window.session()->diff().verdict; }, kTimeout);
}

// Sets `plan` on the session and waits for the diff it makes.
bool setPlan(MainWindow& window, const RepairPlan& plan)
{
    QSignalSpy diffs(window.session(), &Session::diffReady);
    window.session()->setPlan(plan);
    return QTest::qWaitFor([&] { return !diffs.isEmpty() && !window.session()->isBusy(); }, kTimeout);
}

bool openSource(MainWindow& window, const QString& source)
{
    QSignalSpy opened(window.session(), &Session::checkpointOpened);
    window.openFile(Side::Source, fixture(source));
    return opened.wait(kTimeout) || !opened.isEmpty();
}

RepairPlan stripModulePlan()
{
    RepairPlan plan;
    plan.rules << RepairRule::stripPrefix(QStringLiteral("module."));
    return plan;
}

// Applies strip_prefix('module.') and waits for the diff it makes.
bool stripModulePrefix(MainWindow& window)
{
    return setPlan(window, stripModulePlan());
}

// Real torch's verdict on an exported prefix-pair file (kCheckWritten below): empty when it holds.
QByteArray torchCheck(const QString& out, bool safetensors);

QStringList highlightedKeys(MainWindow& window, Side side)
{
    QStringList keys;
    const ErrorKeyDelegate* delegate = window.tools()->errorKeyDelegate(side);
    const QAbstractItemModel* model = window.pane(side)->view()->model();
    std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
        for (int row = 0; row < model->rowCount(parent); ++row) {
            const QModelIndex index = model->index(row, 0, parent);
            if (delegate->highlights(index))
                keys << ErrorKeyDelegate::tensorKey(index);
            walk(index);
        }
    };
    walk({});
    keys.sort();
    return keys;
}

QStringList strings(const QJsonValue& array)
{
    QStringList out;
    for (const QJsonValue& v : array.toArray())
        out << v.toString();
    return out;
}

// Real torch reads what was written: the keys are the target's in its order with its shapes (what
// load_state_dict(strict=True) checks), and every tensor equals the source's under 'module.' + key.
const char* const kCheckWritten = R"(
import json, struct, sys, torch
out, fmt, source, target = sys.argv[1:5]
if fmt == "safetensors":
    raw = open(out, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    dtypes = {"F32": torch.float32, "I64": torch.int64, "F64": torch.float64}
    sd = {}
    for k, v in header.items():
        a, b = v["data_offsets"]
        sd[k] = torch.frombuffer(bytearray(raw[8 + n + a:8 + n + b]), dtype=dtypes[v["dtype"]]).reshape(v["shape"])
else:
    sd = torch.load(out)
src = torch.load(source)
tgt = torch.load(target)
# safetensors keeps its header sorted; load_state_dict(strict=True) compares the key sets.
keys = sorted(sd.keys()) if fmt == "safetensors" else list(sd.keys())
want = sorted(tgt.keys()) if fmt == "safetensors" else list(tgt.keys())
assert keys == want, (keys, want)
for k, v in tgt.items():
    assert sd[k].shape == v.shape and sd[k].dtype == v.dtype, k
    assert torch.equal(sd[k], src["module." + k]), k
print("OK", len(sd))
)";

QByteArray torchCheck(const QString& out, bool safetensors)
{
    const ProcessResult check = runPython(QString::fromLatin1(kCheckWritten),
                                          {out, safetensors ? QStringLiteral("safetensors") : QStringLiteral("torch"),
                                           fixture(QStringLiteral("diff_prefix_module_source.pt")),
                                           fixture(QStringLiteral("diff_prefix_module_target.pt"))});
    if (check.exitCode != 0 || !check.out.startsWith("OK"))
        return check.err.isEmpty() ? check.out + " (no OK)" : check.err;
    return {};
}

} // namespace

class TestGuiExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void exportsLoadable_data();
    void exportsLoadable();
    void warnsBeforeThePlanFixesIt();
    void cancelLeavesNoFile();
    void unwritableFolderFailsInOneLine();
    void openDialogFollowsThePlan();
    void runningExportKeepsItsPlan();
    void containerBrowserShowsWhatTorchReads();
    void containerBrowserShowsSafetensorsMetadata();
    void containerBrowserElidesAndChoosesStateDicts();
    void hostileFileRaisesBanner();
    void pastedErrorMarksItsKeys();
    void pastedErrorMarksTargetRowsToo();

private:
    QTemporaryDir m_settings;
};

void TestGuiExport::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settings.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    QVERIFY2(QFile::exists(fixture(QStringLiteral("gui_container.pt"))), "run make_fixtures.py first");
    QVERIFY2(QFile::exists(fixture(QStringLiteral("session_reload_meta.safetensors"))), "run make_fixtures.py first");
}

void TestGuiExport::exportsLoadable_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<bool>("stateDictOnly");
    QTest::addColumn<QString>("suffix");
    QTest::newRow("torch container") << int(ExportOptions::Format::Torch) << false << QStringLiteral(".fixed.pt");
    QTest::newRow("torch state dict") << int(ExportOptions::Format::Torch) << true << QStringLiteral(".fixed.pt");
    QTest::newRow("safetensors") << int(ExportOptions::Format::SafeTensors) << true << QStringLiteral(".fixed.safetensors");
}

void TestGuiExport::exportsLoadable()
{
    QFETCH(int, format);
    QFETCH(bool, stateDictOnly);
    QFETCH(QString, suffix);
    MainWindow window;
    QVERIFY(openPair(window, QStringLiteral("diff_prefix_module_source.pt"), QStringLiteral("diff_prefix_module_target.pt")));
    QVERIFY(stripModulePrefix(window));
    QVERIFY(window.session()->diff().verdict->loadable);
    QVERIFY(window.tools()->exportAction()->isEnabled());
    QCOMPARE(window.tools()->exportAction()->shortcut(), QKeySequence(QKeySequence::Save));

    ExportDialog* dialog = window.tools()->exportDialog();
    dialog->prepare();
    dialog->setFormat(static_cast<ExportOptions::Format>(format));
    dialog->setStateDictOnly(stateDictOnly);
    // Next to the source, named after it, with the format's suffix.
    QCOMPARE(dialog->outputPath(), fixture(QStringLiteral("diff_prefix_module_source")) + suffix);
    QVERIFY2(dialog->planSummary().contains(QLatin1String("strip_prefix 'module.'")), qPrintable(dialog->planSummary()));
    QVERIFY(dialog->planSummary().contains(QLatin1String("Lossless")));
    QVERIFY(dialog->warningText().isEmpty());

    QTemporaryDir dir;
    const QString out = dir.filePath(QLatin1String("out") + suffix);
    dialog->setOutputPath(out);
    QSignalSpy ended(dialog, &ExportDialog::exportEnded);
    QSignalSpy progress(dialog->job(), &ExportJob::progress);
    QVERIFY(dialog->startExport());
    QCOMPARE(dialog->state(), ExportDialog::State::Running);
    QVERIFY(ended.wait(kTimeout));
    QVERIFY2(dialog->state() == ExportDialog::State::Succeeded, qPrintable(dialog->resultText()));
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0), progress.last().at(1)); // the last report is "all bytes"
    // The verdict is about the file on disk, read back and diffed against the target.
    QVERIFY(dialog->outcome().loadable);
    QVERIFY2(dialog->resultText().contains(QLatin1String("load_state_dict(strict=True) loads it")), qPrintable(dialog->resultText()));
    QVERIFY(dialog->torchErrorText().isEmpty());
    QCOMPARE(dialog->outcome().report.tensorsWritten, window.session()->diff().targetDict.entries.size());

    const QByteArray problem = torchCheck(out, format == int(ExportOptions::Format::SafeTensors));
    QVERIFY2(problem.isEmpty(), problem.constData());
}

void TestGuiExport::warnsBeforeThePlanFixesIt()
{
    MainWindow window;
    QVERIFY(openPair(window, QStringLiteral("diff_prefix_module_source.pt"), QStringLiteral("diff_prefix_module_target.pt")));
    ExportDialog* dialog = window.tools()->exportDialog();
    dialog->prepare();
    QVERIFY(!window.session()->diff().verdict->loadable);
    QVERIFY2(dialog->warningText().contains(QLatin1String("Not loadable yet")), qPrintable(dialog->warningText()));
    QVERIFY(dialog->planSummary().contains(QLatin1String("No repair rules")));

    // Written anyway (the user asked), the dialog shows what torch would say about the file on disk.
    QTemporaryDir dir;
    dialog->setOutputPath(dir.filePath(QStringLiteral("as_is.pt")));
    QSignalSpy ended(dialog, &ExportDialog::exportEnded);
    QVERIFY(dialog->startExport());
    QVERIFY(ended.wait(kTimeout));
    QCOMPARE(dialog->state(), ExportDialog::State::Succeeded);
    QVERIFY(!dialog->outcome().loadable);
    QCOMPARE(dialog->torchErrorText(), window.session()->diff().verdict->torchError);
}

void TestGuiExport::cancelLeavesNoFile()
{
    MainWindow window;
    QVERIFY(openPair(window, QStringLiteral("diff_prefix_module_source.pt"), QStringLiteral("diff_prefix_module_target.pt")));
    QVERIFY(stripModulePrefix(window));
    ExportDialog* dialog = window.tools()->exportDialog();
    dialog->prepare();
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("cancelled.pt"));
    dialog->setOutputPath(out);
    // Cancel as soon as the first storage is written: the writer checks before the next one.
    std::atomic<int> calls{0};
    dialog->job()->setProgressHook([&calls, job = dialog->job()](qint64, qint64) {
        if (calls++ == 0)
            job->cancel();
    });
    QSignalSpy ended(dialog, &ExportDialog::exportEnded);
    QVERIFY(dialog->startExport());
    QVERIFY(ended.wait(kTimeout));
    QCOMPARE(dialog->state(), ExportDialog::State::Cancelled);
    QCOMPARE(calls.load(), 1);
    QVERIFY(!QFile::exists(out));
    QVERIFY2(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden).isEmpty(), "a temp file was left");
    QVERIFY(!dialog->resultText().contains(QLatin1Char('\n')));
}

void TestGuiExport::unwritableFolderFailsInOneLine()
{
    MainWindow window;
    QVERIFY(openPair(window, QStringLiteral("diff_prefix_module_source.pt"), QStringLiteral("diff_prefix_module_target.pt")));
    QVERIFY(stripModulePrefix(window));
    ExportDialog* dialog = window.tools()->exportDialog();
    dialog->prepare();
    // A "folder" that is a file: no permission bits involved (the tests may run as root).
    QTemporaryDir dir;
    QFile blocker(dir.filePath(QStringLiteral("not_a_folder")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString out = blocker.fileName() + QLatin1String("/out.pt");
    dialog->setOutputPath(out);
    QSignalSpy ended(dialog, &ExportDialog::exportEnded);
    QVERIFY(dialog->startExport());
    QVERIFY(ended.wait(kTimeout));
    QCOMPARE(dialog->state(), ExportDialog::State::Failed);
    QVERIFY(dialog->resultText().startsWith(QLatin1String("Export failed: ")));
    QVERIFY(!dialog->resultText().contains(QLatin1Char('\n')));
    QVERIFY(!QFile::exists(out));
    QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden),
             QStringList{QStringLiteral("not_a_folder")});
}

void TestGuiExport::openDialogFollowsThePlan()
{
    MainWindow window;
    QVERIFY(openPair(window, QStringLiteral("diff_prefix_module_source.pt"), QStringLiteral("diff_prefix_module_target.pt")));
    window.tools()->openExportDialog(); // as Ctrl+S does
    ExportDialog* dialog = window.tools()->exportDialog();
    QVERIFY(dialog->isVisible());
    // Not modal: the rules, undo and the trees stay usable while it is open.
    QCOMPARE(dialog->windowModality(), Qt::NonModal);
    QCOMPARE(QApplication::activeModalWidget(), nullptr);
    QVERIFY(dialog->planSummary().contains(QLatin1String("No repair rules")));
    QVERIFY(dialog->warningText().contains(QLatin1String("Not loadable yet")));
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("followed.pt"));
    dialog->setOutputPath(out);

    // The user edits the plan while the dialog is open: summary and verdict follow, the path stays.
    QVERIFY(stripModulePrefix(window));
    QTRY_VERIFY2_WITH_TIMEOUT(dialog->planSummary().contains(QLatin1String("strip_prefix 'module.'")),
                              qPrintable(dialog->planSummary()), kTimeout);
    QVERIFY(window.session()->diff().verdict->loadable);
    QVERIFY2(dialog->warningText().isEmpty(), qPrintable(dialog->warningText()));
    QCOMPARE(dialog->outputPath(), out);

    // Export writes the new plan's result, as real torch reads it.
    QSignalSpy ended(dialog, &ExportDialog::exportEnded);
    QVERIFY(dialog->startExport());
    QVERIFY(ended.wait(kTimeout));
    QVERIFY2(dialog->state() == ExportDialog::State::Succeeded, qPrintable(dialog->resultText()));
    QVERIFY(dialog->outcome().loadable);
    const QByteArray problem = torchCheck(out, false);
    QVERIFY2(problem.isEmpty(), problem.constData());

    // Undo (the previous plan again): the lines follow; the last export's result stays.
    const QString result = dialog->resultText();
    QVERIFY(setPlan(window, RepairPlan()));
    QTRY_VERIFY_WITH_TIMEOUT(dialog->planSummary().contains(QLatin1String("No repair rules")), kTimeout);
    QVERIFY2(dialog->warningText().contains(QLatin1String("Not loadable yet")), qPrintable(dialog->warningText()));
    QCOMPARE(dialog->resultText(), result);
    QCOMPARE(dialog->state(), ExportDialog::State::Succeeded);
}

void TestGuiExport::runningExportKeepsItsPlan()
{
    MainWindow window;
    QVERIFY(openPair(window, QStringLiteral("diff_prefix_module_source.pt"), QStringLiteral("diff_prefix_module_target.pt")));
    QVERIFY(stripModulePrefix(window));
    window.tools()->openExportDialog();
    ExportDialog* dialog = window.tools()->exportDialog();
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("running.pt"));
    dialog->setOutputPath(out);
    QSignalSpy ended(dialog, &ExportDialog::exportEnded);
    QVERIFY(dialog->startExport());
    // Undone while the export runs: it still writes the plan it started with, and says so.
    QSignalSpy diffs(window.session(), &Session::diffReady);
    window.session()->setPlan(RepairPlan());
    QVERIFY(ended.wait(kTimeout));
    QVERIFY2(dialog->state() == ExportDialog::State::Succeeded, qPrintable(dialog->resultText()));
    QVERIFY(dialog->outcome().loadable);
    QVERIFY(dialog->resultText().contains(QLatin1String("load_state_dict(strict=True) loads it")));
    const QByteArray problem = torchCheck(out, false);
    QVERIFY2(problem.isEmpty(), problem.constData());
    // Once both are done the lines describe the session's plan; the result line is still the export's.
    QVERIFY(QTest::qWaitFor([&] { return !diffs.isEmpty() && !window.session()->isBusy(); }, kTimeout));
    QTRY_VERIFY_WITH_TIMEOUT(dialog->planSummary().contains(QLatin1String("No repair rules")), kTimeout);
    QVERIFY(dialog->warningText().contains(QLatin1String("Not loadable yet")));
    QVERIFY(dialog->resultText().contains(QLatin1String("loads it")));
}

void TestGuiExport::containerBrowserShowsWhatTorchReads()
{
    MainWindow window;
    ObjectTreeModel* model = window.tools()->containerBrowser()->model(0);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(openSource(window, QStringLiteral("export_container.pt")));
    const QJsonObject expected = statescope::test::expected(QStringLiteral("gui_export_container_values"));
    QVERIFY(!expected.isEmpty());

    const QModelIndex epoch = model->indexOfPath(QStringLiteral("epoch"));
    QVERIFY(epoch.isValid());
    QCOMPARE(epoch.data(ObjectTreeModel::ScalarRole).toLongLong(), expected[QLatin1String("epoch")].toInteger());
    QCOMPARE(epoch.siblingAtColumn(ObjectTreeModel::Value).data().toString(), QString::number(expected[QLatin1String("epoch")].toInteger()));

    const QModelIndex lr = model->indexOfPath(QStringLiteral("optimizer/param_groups/0/lr"));
    QVERIFY(lr.isValid());
    QCOMPARE(lr.data(ObjectTreeModel::ScalarRole).toDouble(), expected[QLatin1String("lr")].toDouble());
    QCOMPARE(lr.siblingAtColumn(ObjectTreeModel::Value).data().toString(), expected[QLatin1String("lr_repr")].toString());
    // The optimizer row sums it up without expanding.
    const QString optimizer = model->indexOfPath(QStringLiteral("optimizer")).siblingAtColumn(ObjectTreeModel::Value).data().toString();
    QVERIFY2(optimizer.contains(QLatin1String("1 param group")), qPrintable(optimizer));
    QVERIFY2(optimizer.contains(QLatin1String("lr=") + expected[QLatin1String("lr_repr")].toString()), qPrintable(optimizer));

    const QModelIndex stateDict = model->indexOfPath(QStringLiteral("state_dict"));
    QVERIFY(stateDict.data(ObjectTreeModel::StateDictRole).toInt() >= 0);
    QCOMPARE(model->rowCount(stateDict), 0); // collapsed: the trees show the tensors
    QCOMPARE(stateDict.siblingAtColumn(ObjectTreeModel::Value).data().toString(),
             QStringLiteral("state dict: %1 tensors").arg(expected[QLatin1String("state_dict_tensors")].toInt()));

    // argparse.Namespace: class and fields.
    const QModelIndex hp = model->indexOfPath(QStringLiteral("hyper_parameters"));
    QCOMPARE(hp.siblingAtColumn(ObjectTreeModel::Type).data().toString(), QStringLiteral("argparse.Namespace"));
    QCOMPARE(model->indexOfPath(QStringLiteral("hyper_parameters/lr")).data(ObjectTreeModel::ScalarRole).toDouble(),
             expected[QLatin1String("hp_lr")].toDouble());
}

void TestGuiExport::containerBrowserShowsSafetensorsMetadata()
{
    MainWindow window;
    ObjectTreeModel* model = window.tools()->containerBrowser()->model(0);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(openSource(window, QStringLiteral("session_reload_meta.safetensors")));
    const QJsonObject metadata = statescope::test::expected(QStringLiteral("session_reload_meta.safetensors"))
                                     .value(QLatin1String("metadata"))
                                     .toObject();
    QVERIFY(metadata.size() >= 2);

    QCOMPARE(model->index(0, 0).data(ObjectTreeModel::StateDictRole).toInt(), 0); // the tensors: one row
    const QModelIndex header = model->indexOfPath(QStringLiteral("__metadata__"));
    QVERIFY(header.isValid());
    QCOMPARE(header.data().toString(), QStringLiteral("__metadata__"));
    QCOMPARE(header.siblingAtColumn(ObjectTreeModel::Type).data().toString(), QStringLiteral("dict"));
    QCOMPARE(header.siblingAtColumn(ObjectTreeModel::Value).data().toString(), QStringLiteral("%1 items").arg(metadata.size()));
    QCOMPARE(header.data(ObjectTreeModel::StateDictRole).toInt(), -1);
    QCOMPARE(model->rowCount(header), metadata.size());
    for (auto it = metadata.constBegin(); it != metadata.constEnd(); ++it) {
        const QModelIndex row = model->indexOfPath(QLatin1String("__metadata__/") + it.key());
        QVERIFY2(row.isValid(), qPrintable(it.key()));
        QCOMPARE(row.data().toString(), it.key());
        QCOMPARE(row.data(ObjectTreeModel::ScalarRole).toString(), it.value().toString());
        QCOMPARE(row.siblingAtColumn(ObjectTreeModel::Value).data().toString(), QLatin1Char('\'') + it.value().toString() + QLatin1Char('\''));
        QCOMPARE(row.siblingAtColumn(ObjectTreeModel::Type).data().toString(), QStringLiteral("str"));
        QVERIFY(!(row.flags() & Qt::ItemIsEditable));
        QVERIFY(!model->hasChildren(row));
    }
    // A torch file has no such row.
    QVERIFY(openSource(window, QStringLiteral("gui_container.pt")));
    QVERIFY(!model->indexOfPath(QStringLiteral("__metadata__")).isValid());
}

void TestGuiExport::containerBrowserElidesAndChoosesStateDicts()
{
    MainWindow window;
    ObjectTreeModel* model = window.tools()->containerBrowser()->model(0);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(openSource(window, QStringLiteral("gui_container.pt")));
    const QJsonObject expected = statescope::test::expected(QStringLiteral("gui_container.pt"));

    QCOMPARE(model->indexOfPath(QStringLiteral("global_step")).data(ObjectTreeModel::ScalarRole).toLongLong(),
             expected[QLatin1String("global_step")].toInteger());
    const QString optimizer = model->indexOfPath(QStringLiteral("optimizer")).siblingAtColumn(ObjectTreeModel::Value).data().toString();
    QVERIFY2(optimizer.contains(QStringLiteral("%1 state entries").arg(expected[QLatin1String("state_entries")].toInt())), qPrintable(optimizer));
    QCOMPARE(model->indexOfPath(QStringLiteral("optimizer/param_groups/0/weight_decay")).data(ObjectTreeModel::ScalarRole).toDouble(),
             expected[QLatin1String("weight_decay")].toDouble());
    QCOMPARE(model->indexOfPath(QStringLiteral("hyper_parameters/name")).data(ObjectTreeModel::ScalarRole).toString(),
             expected[QLatin1String("hp_name")].toString());

    // A long list: maxChildren rows, then one row for the rest.
    const QModelIndex history = model->indexOfPath(QStringLiteral("history"));
    const int shown = ObjectTreeModel::maxChildren();
    QCOMPARE(model->rowCount(history), shown + 1);
    const QModelIndex more = model->index(shown, 0, history);
    QCOMPARE(more.data(ObjectTreeModel::ElidedRole).toLongLong(), expected[QLatin1String("history")].toInteger() - shown);
    QVERIFY(more.data().toString().startsWith(QLatin1String("... ")));
    QCOMPARE(model->index(shown - 1, ObjectTreeModel::Value, history).data().toString(), QString::number(shown - 1));

    // Choosing the nested "ema" state dict makes it the source's state dict.
    const QModelIndex ema = model->indexOfPath(QStringLiteral("ema"));
    const int candidate = ema.data(ObjectTreeModel::StateDictRole).toInt();
    QVERIFY(candidate >= 0);
    QCOMPARE(model->stateDicts()[candidate].entries.size(), expected[QLatin1String("ema_tensors")].toInt());
    QVERIFY(window.session()->selectedStateDict(Side::Source) != candidate);
    window.tools()->containerBrowser()->chooseStateDict(ema);
    QCOMPARE(window.session()->selectedStateDict(Side::Source), candidate);
}

void TestGuiExport::hostileFileRaisesBanner()
{
    MainWindow window;
    window.show();
    UnsafeBanner* banner = window.tools()->unsafeBanner();
    QVERIFY(openSource(window, QStringLiteral("diff_prefix_module_source.pt")));
    QVERIFY(!banner->isVisible()); // plain data: nothing to warn about

    const QJsonObject expected = statescope::test::expected(QStringLiteral("hostile.pt"));
    const QString global = expected[QLatin1String("objects")].toObject()[QLatin1String("payload/__class__")].toString();
    QVERIFY(!global.isEmpty());
    QSignalSpy opened(window.session(), &Session::checkpointOpened);
    window.openFile(Side::Target, fixture(QStringLiteral("hostile.pt")));
    QVERIFY(opened.wait(kTimeout));
    QVERIFY(banner->isVisible());
    QVERIFY(banner->isDangerous());
    QVERIFY2(banner->text().contains(QLatin1String("Unsafe: ") + global + QLatin1String(" in data.pkl of hostile.pt")),
             qPrintable(banner->text()));
    QVERIFY(banner->text().contains(QLatin1String("export writes None in its place")));
    // It sits above the trees, not in a modal dialog.
    QVERIFY(banner->y() < window.pane(Side::Source)->mapTo(banner->parentWidget(), QPoint(0, 0)).y());
}

void TestGuiExport::pastedErrorMarksItsKeys()
{
    MainWindow window;
    QVERIFY(openSource(window, QStringLiteral("gui_paste_source.pt")));
    QFile file(fixture(QStringLiteral("gui_paste_error.txt")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    const QJsonObject expected = statescope::test::expected(QStringLiteral("gui_paste_error.txt"));

    // Through the dialog, as a user pastes it (the traceback stays).
    PasteErrorDialog dialog(&window);
    dialog.setText(QStringLiteral("just some text"));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(!dialog.problem().isEmpty());
    dialog.setText(text);
    dialog.accept();
    QVERIFY2(dialog.result() == int(QDialog::Accepted), qPrintable(dialog.problem()));
    window.tools()->showPastedError(dialog.parsed());

    // Only a source is open: its unexpected and mismatched keys are marked in its tree; the missing ones are
    // not in it, so the report lists them.
    QStringList want = strings(expected[QLatin1String("unexpected")]) + strings(expected[QLatin1String("size_mismatch")]);
    want.sort();
    QCOMPARE(highlightedKeys(window, Side::Source), want);
    const QString report = window.tools()->pastedErrorText();
    for (const QString& key : strings(expected[QLatin1String("missing")]))
        QVERIFY2(report.contains(QLatin1String("not in the source): ") + key), qPrintable(report));

    window.tools()->clearPastedError();
    QVERIFY(highlightedKeys(window, Side::Source).isEmpty());
    QVERIFY(window.tools()->pastedErrorText().isEmpty());
}

void TestGuiExport::pastedErrorMarksTargetRowsToo()
{
    MainWindow window;
    QVERIFY(openPair(window, QStringLiteral("gui_paste_source.pt"), QStringLiteral("gui_paste_target.pt")));
    QFile file(fixture(QStringLiteral("gui_paste_error.txt")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    window.tools()->showPastedError(parseTorchError(QString::fromUtf8(file.readAll())));
    const QJsonObject expected = statescope::test::expected(QStringLiteral("gui_paste_error.txt"));
    // Both trees show the aligned rows: every key the error names has its row, the missing ones included.
    QStringList want = strings(expected[QLatin1String("unexpected")]) + strings(expected[QLatin1String("size_mismatch")]) +
                       strings(expected[QLatin1String("missing")]);
    want.sort();
    QCOMPARE(highlightedKeys(window, Side::Target), want);
    QCOMPARE(highlightedKeys(window, Side::Source), want);
}

QTEST_MAIN(TestGuiExport)
#include "tst_gui_export.moc"
