#include "checkpoint_pane.h"

#include "checkpoint/global_safety.h"
#include "checkpoint/weights_only.h"
#include "session/checkpoint_tree_model.h"
#include "session/diff_tree_model.h"
#include "session/dispose_later.h"
#include "status_delegate.h"

#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QFontMetrics>
#include <QHeaderView>
#include <QLabel>
#include <QMimeData>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace statescope {

// A QTreeView that can take many expand() calls for one layout. scheduleDelayedItemsLayout() is protected:
// with a layout pending, QTreeView::expand() only records the index (and still emits expanded()).
class BatchTreeView : public QTreeView
{
public:
    using QTreeView::QTreeView;

    void deferLayout() { scheduleDelayedItemsLayout(); }

    void followExpand(const QModelIndex& index)
    {
        if (m_burst++ == 0)
            QTimer::singleShot(0, this, [this] { m_burst = 0; });
        else
            scheduleDelayedItemsLayout();
        expand(index);
    }

private:
    int m_burst = 0; // mirrored expansions in this event-loop turn
};

QTreeView* CheckpointPane::view() const
{
    return m_view;
}

void CheckpointPane::deferLayout()
{
    m_view->deferLayout();
}

void CheckpointPane::expandBatch(const QModelIndexList& indexes)
{
    m_view->deferLayout();
    for (const QModelIndex& index : indexes)
        m_view->expand(index);
}

void CheckpointPane::followExpand(const QModelIndex& index)
{
    m_view->followExpand(index);
}

CheckpointPane::CheckpointPane(const QString& title, QWidget* parent) : QWidget(parent), m_title(title)
{
    setAcceptDrops(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_header = new QLabel(this);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning = new QLabel(this);
    // Both panes keep the same header rows (safety line, state-dict choice) so their trees line up row for
    // row; long warnings stay on one line and show in full as a tooltip.
    m_warning->setWordWrap(false);
    m_warning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stateDicts = new QComboBox(this);
    m_stateDicts->setToolTip(tr("State dict inside the file"));
    m_stateDicts->setEnabled(false);
    m_model = new CheckpointTreeModel(this);
    m_view = new BatchTreeView(this);
    m_view->setModel(m_model);
    // After setModel: the view must have taken the reset before the rows are expanded.
    connect(m_model, &QAbstractItemModel::modelReset, this, &CheckpointPane::arrangeSingleFileView);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(CheckpointTreeModel::Name, QHeaderView::Stretch);
    layout->addWidget(m_header);
    layout->addWidget(m_warning);
    layout->addWidget(m_stateDicts);
    layout->addWidget(m_view, 1);
    connect(m_stateDicts, &QComboBox::currentIndexChanged, this, [this](int index) {
        selectStateDict(index);
        Q_EMIT stateDictChosen(index);
    });
    showMessage(tr("Drop a checkpoint here or use File > Open."));
}

void CheckpointPane::showMessage(const QString& message)
{
    m_header->setText(QLatin1String("<b>") + m_title.toHtmlEscaped() + QLatin1String("</b>: ") + message.toHtmlEscaped());
}

void CheckpointPane::showCheckpoint(const OpenedCheckpoint& opened)
{
    disposeLater(std::exchange(m_opened, opened));
    const Checkpoint& checkpoint = *opened.checkpoint;
    m_header->setText(QLatin1String("<b>") + m_title.toHtmlEscaped() + QLatin1String("</b>: ") +
                      QFileInfo(checkpoint.path()).fileName().toHtmlEscaped() + QLatin1String(" (") +
                      formatName(checkpoint.format()) + QLatin1Char(')'));
    m_header->setToolTip(checkpoint.path());

    const QStringList dangerous = dangerousGlobals(checkpoint);
    const WeightsOnlyVerdict weightsOnly = weightsOnlyVerdict(checkpoint);
    static const QString danger = QStringLiteral("QLabel { background: #fde2e1; color: #7a1712; padding: 3px; }");
    static const QString caution = QStringLiteral("QLabel { background: #fff4d6; color: #6b4e00; padding: 3px; }");
    static const QString fine = QStringLiteral("QLabel { background: #e6f4ea; color: #1e5631; padding: 3px; }");
    QString warning;
    if (!dangerous.isEmpty()) {
        warning = tr("Dangerous: torch.load would call %1. StateScope did not run it.").arg(dangerous.join(QLatin1String(", ")));
        m_warning->setStyleSheet(danger);
    } else if (!weightsOnly.loads()) {
        using Stop = WeightsOnlyVerdict::Stop;
        if (weightsOnly.stop == Stop::Global)
            warning = tr("torch.load(weights_only=True) would refuse this file: it stops at %1.").arg(weightsOnly.refusedGlobal);
        else if (weightsOnly.stop == Stop::Opcode)
            warning = tr("torch.load(weights_only=True) would refuse this file: pickle opcode %1.").arg(weightsOnly.refusedOpcode);
        else if (weightsOnly.stop == Stop::Unreadable)
            warning = tr("torch.load cannot read this file; StateScope can.");
        else
            warning = tr("TorchScript: torch.load(weights_only=True) refuses it; torch.jit.load runs its code.");
        m_warning->setStyleSheet(caution);
    } else if (!weightsOnly.applies) {
        warning = tr("Only tensors and JSON: no pickle, nothing in it can run.");
        m_warning->setStyleSheet(fine);
    } else {
        warning = tr("Only tensors and plain data: torch.load(weights_only=True) reads this file.");
        m_warning->setStyleSheet(fine);
    }
    m_warning->setText(warning);
    m_warning->setToolTip(warning);

    const QSignalBlocker blocker(m_stateDicts);
    m_stateDicts->clear();
    for (const StateDict& candidate : opened.candidates) {
        m_stateDicts->addItem(tr("%1 (%n tensors)", nullptr, candidate.entries.size())
                                  .arg(candidate.path.isEmpty() ? tr("<root>") : candidate.path));
    }
    m_stateDicts->setEnabled(opened.candidates.size() > 1);
    if (opened.candidates.isEmpty()) {
        m_model->clear();
        showMessage(tr("%1 holds no state dict").arg(QFileInfo(checkpoint.path()).fileName()));
        return;
    }
    m_stateDicts->setCurrentIndex(0);
    selectStateDict(0);
}

void CheckpointPane::showDiff(QAbstractItemModel* model, QItemSelectionModel* selection, bool sourceSide)
{
    if (m_view->model() != model) {
        m_view->setModel(model);
        m_view->setSelectionModel(selection);
        m_view->setItemDelegate(new StatusDelegate(m_view));
    }
    for (int column = DiffTreeModel::SourceDType; column <= DiffTreeModel::SourceBytes; ++column)
        m_view->setColumnHidden(column, !sourceSide);
    for (int column = DiffTreeModel::TargetDType; column <= DiffTreeModel::TargetBytes; ++column)
        m_view->setColumnHidden(column, sourceSide);
    // The data columns get the width of their widest usual value (never the header's default 100 px, which
    // left the name column a few pixels on a narrow pane); the name column takes the rest. Measured, not
    // ResizeToContents, which would walk 100k rows; both sides get the same widths so rows look alike.
    QHeaderView* header = m_view->header();
    const QFontMetrics metrics(m_view->font());
    const int first = sourceSide ? DiffTreeModel::SourceDType : DiffTreeModel::TargetDType;
    const QString samples[] = {QStringLiteral("bfloat16"), QStringLiteral("[1024, 1024]"), QStringLiteral("123,456,789"),
                               QStringLiteral("1023.9 MiB")};
    for (int i = 0; i < 4; ++i) {
        const QString title = model->headerData(first + i, Qt::Horizontal).toString();
        const int text = std::max(metrics.horizontalAdvance(samples[i]), metrics.horizontalAdvance(title));
        header->setSectionResizeMode(first + i, QHeaderView::Interactive);
        header->resizeSection(first + i, text + 2 * metrics.averageCharWidth());
    }
    header->setSectionResizeMode(DiffTreeModel::Name, QHeaderView::Stretch);
}

void CheckpointPane::chooseStateDict(int index)
{
    if (index >= 0 && index < m_stateDicts->count())
        m_stateDicts->setCurrentIndex(index);
}

void CheckpointPane::selectStateDict(int index)
{
    if (index < 0 || index >= m_opened.candidates.size())
        return;
    m_model->setStateDict(m_opened.candidates[index], m_opened.checkpoint);
}

// Also when a large state dict's rows arrive from the pool thread, after setStateDict returned.
void CheckpointPane::arrangeSingleFileView()
{
    if (m_view->model() != m_model || m_model->rowCount() == 0)
        return; // the aligned diff is showing (the session recomputes it for a new choice), or nothing yet
    m_view->expandToDepth(0);
    m_view->resizeColumnToContents(CheckpointTreeModel::DTypeColumn);
    m_view->resizeColumnToContents(CheckpointTreeModel::Shape);
}

// One file opens on this side; several are left to the window (source and target in drop order).
void CheckpointPane::dragEnterEvent(QDragEnterEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.front().isLocalFile())
        event->acceptProposedAction();
    else
        event->ignore();
}

void CheckpointPane::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.front().isLocalFile()) {
        Q_EMIT fileDropped(urls.front().toLocalFile());
        event->acceptProposedAction();
    }
}

} // namespace statescope
