#include "info_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

namespace statescope {

InfoBar::InfoBar(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("infoBar"));
    setAttribute(Qt::WA_StyledBackground);
    setStyleSheet(QStringLiteral("#infoBar { background: #e3f2fd; border: 1px solid #90caf9; } "
                                 "#infoBar QLabel { color: #0d3c61; }"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 3, 3, 3);
    m_label = new QLabel(this);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reload = new QPushButton(tr("&Reload"), this);
    m_always = new QPushButton(tr("&Always reload"), this);
    m_always->setToolTip(tr("Reload open files whenever they change on disk (Settings > Reload Changed Files Automatically)"));
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("\u00d7"));
    close->setToolTip(tr("Keep showing what was read before"));
    close->setAutoRaise(true);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_reload);
    layout->addWidget(m_always);
    layout->addWidget(close);
    connect(m_reload, &QPushButton::clicked, this, [this] {
        hide();
        Q_EMIT reloadRequested();
    });
    connect(m_always, &QPushButton::clicked, this, [this] {
        hide();
        Q_EMIT alwaysReloadRequested();
    });
    connect(close, &QToolButton::clicked, this, [this] {
        hide();
        Q_EMIT dismissed();
    });
    hide();
}

void InfoBar::showMessage(const QString& text)
{
    m_label->setText(text);
    show();
}

QString InfoBar::text() const
{
    return m_label->text();
}

} // namespace statescope
