#include "unsafe_banner.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/global_safety.h"
#include "checkpoint/weights_only.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace statescope {

namespace {

// Where the globals were read: the pickle record users see when they unzip the file.
QString picklePlace(const Checkpoint& checkpoint)
{
    switch (checkpoint.format()) {
    case CheckpointFormat::TorchZip:
    case CheckpointFormat::TorchScript: return QStringLiteral("data.pkl");
    default: return QObject::tr("the pickle");
    }
}

} // namespace

QString unsafeGlobalsText(const Checkpoint& checkpoint, bool* dangerous)
{
    const QStringList danger = dangerousGlobals(checkpoint);
    if (dangerous)
        *dangerous = !danger.isEmpty();
    const QString file = QFileInfo(checkpoint.path()).fileName();
    if (!danger.isEmpty()) {
        return QObject::tr("Unsafe: %1 in %2 of %3 \u2014 StateScope never runs it; export writes None in its place.")
            .arg(danger.join(QLatin1String(", ")), picklePlace(checkpoint), file);
    }
    const WeightsOnlyVerdict verdict = weightsOnlyVerdict(checkpoint);
    switch (verdict.stop) {
    case WeightsOnlyVerdict::Stop::None:
        return {};
    case WeightsOnlyVerdict::Stop::Global:
        return QObject::tr("Not weights-only: torch.load(weights_only=True) stops at %1 in %2 of %3. If you trust the "
                           "file: torch.serialization.add_safe_globals([%4]). StateScope reads it without importing anything.")
            .arg(verdict.refusedGlobal, verdict.record, file, verdict.safeGlobalsNeeded.join(QLatin1String(", ")));
    case WeightsOnlyVerdict::Stop::Opcode:
        return QObject::tr("Not weights-only: %1 uses pickle opcode %2, which torch.load(weights_only=True) does not read; "
                           "no allowlist helps. Fix/export writes a file it reads.")
            .arg(file)
            .arg(verdict.refusedOpcode);
    case WeightsOnlyVerdict::Stop::Unreadable:
        return QObject::tr("torch.load cannot read %1 (%2). StateScope can; Fix/export writes a zip archive torch reads.")
            .arg(file, verdict.reason);
    case WeightsOnlyVerdict::Stop::TorchScript:
        break;
    }
    return QObject::tr("%1 is a TorchScript archive: torch.load(weights_only=True) refuses it and torch.jit.load runs "
                       "its code. StateScope reads it without running anything.")
        .arg(file);
}

UnsafeBanner::UnsafeBanner(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("unsafeBanner"));
    setAccessibleName(tr("Unsafe globals warning"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    m_label = new QLabel(this);
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("\u2715"));
    close->setToolTip(tr("Hide until another file is opened"));
    close->setAutoRaise(true);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    layout->addWidget(m_label, 1);
    layout->addWidget(close, 0, Qt::AlignTop);
    hide();
}

void UnsafeBanner::setCheckpoint(int side, const std::shared_ptr<const Checkpoint>& checkpoint)
{
    if (side < 0 || side > 1)
        return;
    bool dangerous = false;
    m_lines[side] = checkpoint ? unsafeGlobalsText(*checkpoint, &dangerous) : QString();
    m_sideDangerous[side] = dangerous;
    refresh();
}

QString UnsafeBanner::text() const
{
    return m_label->text();
}

void UnsafeBanner::refresh()
{
    QStringList lines;
    for (const QString& line : m_lines) {
        if (!line.isEmpty())
            lines << line;
    }
    m_dangerous = m_sideDangerous[0] || m_sideDangerous[1];
    // Red for code that would run, amber for what weights_only refuses; white text on red stays readable.
    setStyleSheet(m_dangerous ? QStringLiteral("QFrame#unsafeBanner { background: #b71c1c; } QLabel { color: white; font-weight: bold; }")
                              : QStringLiteral("QFrame#unsafeBanner { background: #fff4d6; } QLabel { color: #6b4e00; }"));
    m_label->setText(lines.join(QLatin1Char('\n')));
    setVisible(!lines.isEmpty());
}

} // namespace statescope
