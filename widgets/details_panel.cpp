#include "details_panel.h"

#include "session/snapshot_tensors.h"

#include "change_chart.h"
#include "checkpoint/checkpoint.h"
#include "checkpoint/inspect_report.h"
#include "histogram_plot.h"
#include "session/diff_tree_model.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>

namespace statescope {

namespace {

constexpr int kIdRole = Qt::UserRole + 1;

QString number(double v)
{
    if (std::isnan(v))
        return QStringLiteral("nan");
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QString::number(v, 'g', 6);
}

QString listText(const QJsonValue& value)
{
    QVector<qint64> numbers;
    for (const QJsonValue& v : value.toArray())
        numbers << qint64(v.toDouble());
    return shapeText(numbers);
}

const StateDictEntry* entryOf(const StateDict& dict, const QString& key)
{
    for (const StateDictEntry& e : dict.entries) {
        if (e.key == key)
            return &e;
    }
    return nullptr;
}

// The record `statescope inspect --json` prints for a tensor, so both show the same facts.
QJsonObject recordOf(const Checkpoint* checkpoint, const StateDict& dict, const QString& key, const QString& fileKey)
{
    const StateDictEntry* entry = entryOf(dict, key);
    if (!checkpoint || !entry || !entry->tensor)
        return {};
    return tensorRecordJson(*checkpoint, StateDictEntry{fileKey, entry->tensor});
}

bool underModule(const QString& key, const QString& module)
{
    return module.isEmpty() || (key.startsWith(module) && key.size() > module.size() && key[module.size()] == QLatin1Char('.'));
}

} // namespace

DetailsPanel::DetailsPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    m_tabs = new QTabWidget(this);
    layout->addWidget(m_tabs);

    auto* tensorTab = new QWidget(m_tabs);
    auto* tensorLayout = new QVBoxLayout(tensorTab);
    tensorLayout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(tensorTab);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    auto* splitter = new QSplitter(Qt::Vertical, tensorTab);
    m_fields = new QTreeWidget(splitter);
    m_fields->setColumnCount(3);
    m_fields->setHeaderLabels({tr("Property"), tr("Source"), tr("Target")});
    m_fields->setRootIsDecorated(false);
    // A side panel: keyboard focus stays in the trees (difference navigation) until the user clicks here.
    m_fields->setFocusPolicy(Qt::ClickFocus);
    m_fields->setUniformRowHeights(true);
    m_fields->setSelectionMode(QAbstractItemView::ContiguousSelection);
    m_fields->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_histogram = new HistogramPlot(splitter);
    splitter->addWidget(m_fields);
    splitter->addWidget(m_histogram);
    tensorLayout->addWidget(m_title);
    tensorLayout->addWidget(splitter, 1);
    m_tabs->addTab(tensorTab, tr("Selected"));

    m_chart = new ChangeChart(m_tabs);
    m_tabs->addTab(m_chart, tr("Changes by tensor"));

    // Statistics read every value of a tensor: wait until the selection rests.
    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(150);
    connect(m_debounce, &QTimer::timeout, this, [this] {
        if (!m_key.isEmpty() && !m_isModule)
            Q_EMIT statisticsWanted(m_key);
    });
    clear();
}

void DetailsPanel::clear()
{
    m_row = QPersistentModelIndex();
    m_key.clear();
    m_isModule = false;
    m_statistics = PairStatistics();
    m_debounce->stop();
    m_histogram->clear();
    m_fields->clear();
    m_title->setText(tr("Select a tensor or module to see both sides in detail."));
}

void DetailsPanel::showRow(const QModelIndex& row)
{
    if (!row.isValid() || !qobject_cast<const DiffTreeModel*>(row.model())) {
        clear();
        return;
    }
    const QModelIndex first = row.siblingAtColumn(0);
    const QString key = first.data(DiffTreeModel::KeyRole).toString();
    const bool sameRow = key == m_key && m_row.isValid();
    m_row = first;
    m_key = key;
    m_isModule = first.data(DiffTreeModel::IsModuleRole).toBool();
    if (!sameRow) {
        m_statistics = PairStatistics();
        m_histogram->clear();
        if (!m_isModule)
            m_debounce->start();
    }
    rebuild();
}

void DetailsPanel::showStatistics(const PairStatistics& statistics)
{
    if (statistics.key != m_key || m_isModule)
        return; // the selection moved on
    m_statistics = statistics;
    m_histogram->setStatistics(statistics);
    rebuild();
}

void DetailsPanel::setComparisonRunning(bool running)
{
    if (m_comparisonRunning == running)
        return;
    m_comparisonRunning = running;
    if (!m_key.isEmpty() && m_statistics.key != m_key)
        rebuild();
}

void DetailsPanel::setValues(const ValueDiffPtr& values)
{
    m_values = values;
    m_valueIndex.clear();
    if (values) {
        for (int i = 0; i < values->entries.size(); ++i)
            m_valueIndex.insert(values->entries[i].targetKey, i);
    }
    m_chart->setValues(values);
    if (m_row.isValid())
        rebuild();
}

QTreeWidgetItem* DetailsPanel::group(const QString& title)
{
    auto* item = new QTreeWidgetItem(m_fields, {title});
    item->setFirstColumnSpanned(true);
    QFont font = item->font(0);
    font.setBold(true);
    item->setFont(0, font);
    return item;
}

void DetailsPanel::addField(QTreeWidgetItem* parent, const QString& id, const QString& label, const QString& source,
                            const QString& target)
{
    auto* item = new QTreeWidgetItem(parent, {label, source, target});
    item->setData(0, kIdRole, id);
    item->setToolTip(1, source);
    item->setToolTip(2, target);
    // Differences between the sides stand out.
    if (!source.isEmpty() && !target.isEmpty() && source != target) {
        QFont font = item->font(1);
        font.setBold(true);
        item->setFont(1, font);
        item->setFont(2, font);
    }
}

QString DetailsPanel::field(const QString& id, int side) const
{
    for (int g = 0; g < m_fields->topLevelItemCount(); ++g) {
        const QTreeWidgetItem* parent = m_fields->topLevelItem(g);
        for (int i = 0; i < parent->childCount(); ++i) {
            if (parent->child(i)->data(0, kIdRole).toString() == id)
                return parent->child(i)->text(1 + side); // side -1: the label
        }
    }
    return {};
}

void DetailsPanel::rebuild()
{
    m_fields->clear();
    if (!m_row.isValid()) {
        clear();
        return;
    }
    const auto status = static_cast<RowStatus>(m_row.data(DiffTreeModel::StatusRole).toInt());
    const QString name = m_key.isEmpty() ? tr("(whole state dict)") : m_key;
    m_title->setText(QLatin1String("<b>") + name.toHtmlEscaped() + QLatin1String("</b> &mdash; ") +
                     DiffTreeModel::statusName(status).toHtmlEscaped());
    if (m_isModule) {
        showModuleRows();
    } else {
        showTensorRows();
        showStatisticsRows();
    }
    showValueRows();
    m_fields->expandAll();
}

void DetailsPanel::showTensorRows()
{
    const DiffSnapshot& snapshot = static_cast<const DiffTreeModel*>(m_row.model())->snapshot();
    const QString sourceKey = snapshot.originalSourceKeys.value(m_key, m_key);
    // The source side shows the tensor in the file (what the plan reads), under its key in the file.
    const PyTensor* fileTensor = sourceFileTensor(snapshot, m_key);
    const QJsonObject a = snapshot.source && fileTensor
                              ? tensorRecordJson(*snapshot.source, StateDictEntry{sourceKey, fileTensor})
                              : QJsonObject();
    const QJsonObject b = recordOf(snapshot.target.get(), snapshot.targetDict, m_key, m_key);
    QTreeWidgetItem* tensor = group(tr("Tensor"));
    auto text = [](const QJsonObject& o, const QString& name) {
        const QJsonValue v = o.value(name);
        if (v.isArray())
            return listText(v);
        if (v.isDouble())
            return QString::number(qint64(v.toDouble()));
        return v.toString();
    };
    auto add = [&](const QString& id, const QString& label, const QString& name) {
        const QString x = a.isEmpty() ? QString() : text(a, name);
        const QString y = b.isEmpty() ? QString() : text(b, name);
        if (!x.isEmpty() || !y.isEmpty())
            addField(tensor, id, label, x, y);
    };
    addField(tensor, QStringLiteral("key"), tr("Key"), a.isEmpty() ? tr("(absent)") : sourceKey,
             b.isEmpty() ? tr("(absent)") : m_key);
    add(QStringLiteral("dtype"), tr("dtype"), QStringLiteral("dtype"));
    add(QStringLiteral("shape"), tr("Shape"), QStringLiteral("shape"));
    add(QStringLiteral("stride"), tr("Stride"), QStringLiteral("stride"));
    add(QStringLiteral("offset"), tr("Storage offset"), QStringLiteral("offset"));
    add(QStringLiteral("storage"), tr("Storage record"), QStringLiteral("storage"));
    add(QStringLiteral("location"), tr("Saved on"), QStringLiteral("location"));
    auto bytes = [](const QJsonObject& o) {
        return o.isEmpty() ? QString() : humanBytes(qint64(o.value(QLatin1String("nbytes")).toDouble()));
    };
    addField(tensor, QStringLiteral("nbytes"), tr("Bytes"), bytes(a), bytes(b));
    add(QStringLiteral("shard"), tr("Shard"), QStringLiteral("shard"));
    add(QStringLiteral("layout"), tr("Layout"), QStringLiteral("layout"));
    add(QStringLiteral("qscheme"), tr("Quantization"), QStringLiteral("qscheme"));
    // What the rules make of it (resize, cast, transpose, fill), when that differs from the file.
    const StateDictEntry* output = entryOf(snapshot.sourceDict, m_key);
    if (output && output->tensor && (!fileTensor || output->tensor->dtype != fileTensor->dtype ||
                                     output->tensor->shape != fileTensor->shape)) {
        addField(tensor, QStringLiteral("afterRules"), tr("After the rules"),
                 dtypeName(output->tensor->dtype) + QLatin1Char(' ') + shapeText(output->tensor->shape), QString());
    }
}

void DetailsPanel::showStatisticsRows()
{
    QTreeWidgetItem* statistics = group(tr("Statistics (finite values)"));
    if (m_statistics.key != m_key) {
        addField(statistics, QStringLiteral("pending"),
                 m_comparisonRunning ? tr("Waiting for the value comparison (Cancel in the status bar)...")
                                     : tr("Computing..."),
                 QString(), QString());
        return;
    }
    QString text[2][8];
    for (int side = 0; side < 2; ++side) {
        const SideStatistics& s = m_statistics.sides[side];
        if (!s.present)
            continue;
        if (!s.ok) {
            text[side][0] = s.error;
            continue;
        }
        const TensorStatistics& t = s.statistics;
        text[side][0] = groupedNumber(t.numel);
        text[side][1] = number(t.min);
        text[side][2] = number(t.max);
        text[side][3] = number(t.mean);
        text[side][4] = number(t.std);
        text[side][5] = groupedNumber(t.nan);
        text[side][6] = groupedNumber(t.inf);
        text[side][7] = groupedNumber(t.zeros);
    }
    const QString ids[8] = {QStringLiteral("numel"), QStringLiteral("min"),  QStringLiteral("max"),
                            QStringLiteral("mean"),  QStringLiteral("std"),  QStringLiteral("nan"),
                            QStringLiteral("inf"),   QStringLiteral("zeros")};
    const QString labels[8] = {tr("Elements"), tr("Min"), tr("Max"), tr("Mean"), tr("Std (unbiased)"), tr("NaN"),
                               tr("Inf"), tr("Zeros")};
    for (int i = 0; i < 8; ++i)
        addField(statistics, ids[i], labels[i], text[0][i], text[1][i]);
}

void DetailsPanel::showModuleRows()
{
    const DiffSnapshot& snapshot = static_cast<const DiffTreeModel*>(m_row.model())->snapshot();
    int tensors[2] = {0, 0};
    const StateDict* dicts[2] = {&snapshot.sourceDict, &snapshot.targetDict};
    for (int side = 0; side < 2; ++side) {
        for (const StateDictEntry& e : dicts[side]->entries)
            tensors[side] += underModule(e.key, m_key) ? 1 : 0;
    }
    const QModelIndex row = m_row;
    QTreeWidgetItem* totals = group(tr("Module totals"));
    addField(totals, QStringLiteral("tensors"), tr("Tensors"), QString::number(tensors[0]), QString::number(tensors[1]));
    addField(totals, QStringLiteral("parameters"), tr("Parameters"),
             row.siblingAtColumn(DiffTreeModel::SourceParameters).data().toString(),
             row.siblingAtColumn(DiffTreeModel::TargetParameters).data().toString());
    addField(totals, QStringLiteral("nbytes"), tr("Bytes"), row.siblingAtColumn(DiffTreeModel::SourceBytes).data().toString(),
             row.siblingAtColumn(DiffTreeModel::TargetBytes).data().toString());
    addField(totals, QStringLiteral("differences"), tr("Differences"),
             QString::number(m_row.data(DiffTreeModel::DifferenceCountRole).toInt()), QString());
}

void DetailsPanel::showValueRows()
{
    if (!m_values)
        return;
    QTreeWidgetItem* values = group(tr("Values (source vs target)"));
    if (m_isModule) {
        int compared = 0;
        int changed = 0;
        double largest = 0;
        QString largestKey;
        for (const ValueDiffEntry& e : m_values->entries) {
            if (e.state != ValueDiffEntry::State::Compared || !underModule(e.targetKey, m_key))
                continue;
            ++compared;
            if (!e.values.equal)
                ++changed;
            if (std::isfinite(e.values.relL2) && e.values.relL2 > largest) {
                largest = e.values.relL2;
                largestKey = e.targetKey;
            }
        }
        addField(values, QStringLiteral("compared"), tr("Compared tensors"), QString::number(compared), QString());
        addField(values, QStringLiteral("changed"), tr("Changed tensors"), QString::number(changed), QString());
        if (!largestKey.isEmpty())
            addField(values, QStringLiteral("largest"), tr("Largest relative change"),
                     tr("%1 (%2)").arg(number(largest), largestKey), QString());
        return;
    }
    const auto found = m_valueIndex.constFind(m_key);
    if (found == m_valueIndex.cend()) {
        addField(values, QStringLiteral("value_state"), tr("Not compared"),
                 tr("only pairs torch would copy with equal shapes are compared"), QString());
        return;
    }
    const ValueDiffEntry& e = m_values->entries[*found];
    if (e.state != ValueDiffEntry::State::Compared) {
        addField(values, QStringLiteral("value_state"), tr("Not compared"),
                 e.state == ValueDiffEntry::State::NotRun ? tr("cancelled") : e.error, QString());
        return;
    }
    const ValueComparison& c = e.values;
    auto yesNo = [](bool b) { return b ? tr("yes") : tr("no"); };
    addField(values, QStringLiteral("equal"), tr("Equal"), yesNo(c.equal), QString());
    addField(values, QStringLiteral("max_abs_diff"), tr("Max |a - b|"), number(c.maxAbsDiff), QString());
    addField(values, QStringLiteral("mean_abs_diff"), tr("Mean |a - b|"), number(c.meanAbsDiff), QString());
    addField(values, QStringLiteral("rel_l2"), tr("Relative L2 ||a - b|| / ||b||"), number(c.relL2), QString());
    addField(values, QStringLiteral("cosine"), tr("Cosine similarity"), number(c.cosine), QString());
    addField(values, QStringLiteral("allclose"), tr("allclose (rtol 1e-5, atol 1e-8)"), yesNo(c.allclose), QString());
    if (e.quantizationDiffers)
        addField(values, QStringLiteral("quantization"), tr("Quantizer"), tr("differs"), QString());
}

} // namespace statescope
