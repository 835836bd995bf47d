#include "container_browser.h"

#include "session/object_tree_model.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace statescope {

ContainerBrowser::ContainerBrowser(QWidget* parent) : QWidget(parent)
{
    for (auto*& model : m_models)
        model = new ObjectTreeModel(this);
    m_side = new QComboBox(this);
    m_side->addItem(tr("Source"));
    m_side->addItem(tr("Target"));
    m_side->setToolTip(tr("Which file's content to show"));
    m_use = new QPushButton(tr("Compare This State Dict"), this);
    m_use->setToolTip(tr("Use the selected state dict as this side's state dict"));
    m_use->setEnabled(false);
    auto* top = new QHBoxLayout;
    top->addWidget(m_side);
    top->addStretch(1);
    top->addWidget(m_use);

    m_view = new QTreeView(this);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->header()->setStretchLastSection(false);
    m_empty = new QLabel(tr("Open a checkpoint to see its epoch, optimizer and other non-tensor content."), this);
    m_empty->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(top);
    layout->addWidget(m_empty);
    layout->addWidget(m_view, 1);

    connect(m_side, &QComboBox::currentIndexChanged, this, &ContainerBrowser::setSide);
    connect(m_view, &QTreeView::activated, this, &ContainerBrowser::chooseStateDict);
    connect(m_use, &QPushButton::clicked, this, [this] { chooseStateDict(m_view->currentIndex()); });
    setSide(0);
}

void ContainerBrowser::showCheckpoint(int side, const OpenedCheckpoint& opened)
{
    m_models[side]->setCheckpoint(opened.checkpoint, opened.candidates);
    if (side == this->side())
        setSide(side); // the empty note and the top level's expansion
}

void ContainerBrowser::clear(int side)
{
    m_models[side]->clear();
    if (side == this->side())
        setSide(side);
}

int ContainerBrowser::side() const
{
    return m_side->currentIndex();
}

void ContainerBrowser::setSide(int side)
{
    if (side < 0 || side > 1)
        return;
    if (m_side->currentIndex() != side) {
        m_side->setCurrentIndex(side); // comes back here
        return;
    }
    if (m_view->model() != m_models[side]) {
        m_view->setModel(m_models[side]);
        connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &ContainerBrowser::updateButton);
        m_view->header()->setSectionResizeMode(ObjectTreeModel::Value, QHeaderView::Stretch); // needs the columns
    }
    m_view->resizeColumnToContents(ObjectTreeModel::Name);
    m_empty->setVisible(m_models[side]->rowCount() == 0);
    updateButton();
}

void ContainerBrowser::chooseStateDict(const QModelIndex& index)
{
    if (!index.isValid() || index.model() != m_models[side()])
        return;
    const int candidate = index.siblingAtColumn(0).data(ObjectTreeModel::StateDictRole).toInt();
    if (candidate >= 0)
        Q_EMIT stateDictChosen(side(), candidate);
}

void ContainerBrowser::updateButton()
{
    const QModelIndex current = m_view->currentIndex();
    m_use->setEnabled(current.isValid() && current.siblingAtColumn(0).data(ObjectTreeModel::StateDictRole).toInt() >= 0);
}

} // namespace statescope
