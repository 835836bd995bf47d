#include "recent_files.h"

#include "settings.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace statescope {

namespace {
const QString kFilesKey = QStringLiteral("recent/files");
const QString kPairsKey = QStringLiteral("recent/pairs");

QStringList absolute(const QStringList& paths)
{
    QStringList out;
    for (const QString& p : paths)
        out << QFileInfo(p).absoluteFilePath();
    return out;
}
} // namespace

RecentFiles::RecentFiles(QObject* parent) : QObject(parent) {}

void RecentFiles::addFile(const QString& path)
{
    if (path.isEmpty())
        return;
    QSettings settings = appSettings();
    QStringList files = settings.value(kFilesKey).toStringList();
    const QString entry = QFileInfo(path).absoluteFilePath();
    files.removeAll(entry);
    files.prepend(entry);
    settings.setValue(kFilesKey, files.mid(0, kMaxEntries));
}

void RecentFiles::addPair(const QString& source, const QString& target)
{
    if (source.isEmpty() || target.isEmpty())
        return;
    QSettings settings = appSettings();
    // A pair is stored as a two-element list, so paths may hold any character.
    QVariantList pairs = settings.value(kPairsKey).toList();
    const QStringList entry = absolute({source, target});
    pairs.removeAll(QVariant(entry));
    pairs.prepend(entry);
    settings.setValue(kPairsKey, pairs.mid(0, kMaxEntries));
}

QStringList RecentFiles::files() const
{
    QSettings settings = appSettings();
    const QStringList stored = settings.value(kFilesKey).toStringList();
    QStringList kept;
    for (const QString& p : stored) {
        if (QFileInfo::exists(p))
            kept << p;
    }
    if (kept != stored)
        settings.setValue(kFilesKey, kept);
    return kept;
}

QVector<RecentFiles::Pair> RecentFiles::pairs() const
{
    QSettings settings = appSettings();
    const QVariantList stored = settings.value(kPairsKey).toList();
    QVariantList kept;
    QVector<Pair> out;
    for (const QVariant& v : stored) {
        const QStringList pair = v.toStringList();
        if (pair.size() != 2 || !QFileInfo::exists(pair[0]) || !QFileInfo::exists(pair[1]))
            continue;
        kept << v;
        out.push_back({pair[0], pair[1]});
    }
    if (kept.size() != stored.size())
        settings.setValue(kPairsKey, kept);
    return out;
}

void RecentFiles::clear()
{
    QSettings settings = appSettings();
    settings.remove(kFilesKey);
    settings.remove(kPairsKey);
}

void RecentFiles::populate(QMenu* menu)
{
    menu->clear();
    const QVector<Pair> recentPairs = pairs();
    const QStringList recentFiles = files();
    for (const Pair& pair : recentPairs) {
        QAction* action = menu->addAction(tr("%1 vs %2").arg(QFileInfo(pair.first).fileName(), QFileInfo(pair.second).fileName()));
        action->setToolTip(QDir::toNativeSeparators(pair.first) + QLatin1String("\n") + QDir::toNativeSeparators(pair.second));
        connect(action, &QAction::triggered, this, [this, pair] { Q_EMIT pairChosen(pair.first, pair.second); });
    }
    if (!recentPairs.isEmpty() && !recentFiles.isEmpty())
        menu->addSeparator();
    for (const QString& file : recentFiles) {
        QAction* action = menu->addAction(QFileInfo(file).fileName());
        action->setToolTip(QDir::toNativeSeparators(file));
        connect(action, &QAction::triggered, this, [this, file] { Q_EMIT fileChosen(file); });
    }
    menu->setToolTipsVisible(true);
    if (recentPairs.isEmpty() && recentFiles.isEmpty()) {
        menu->addAction(tr("(no recent files)"))->setEnabled(false);
        return;
    }
    menu->addSeparator();
    menu->addAction(tr("Clear Recent Files"), this, &RecentFiles::clear);
}

} // namespace statescope
