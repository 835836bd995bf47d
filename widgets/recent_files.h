#pragma once

#include <QObject>
#include <QStringList>

#include <utility>

class QMenu;

namespace statescope {

// The last files and source/target pairs the user opened, most recent first, kept in QSettings
// ("recent/files", "recent/pairs"). Entries whose files are gone are pruned when the list is read.
class RecentFiles : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxEntries = 10;
    using Pair = std::pair<QString, QString>; // source, target

    explicit RecentFiles(QObject* parent = nullptr);

    void addFile(const QString& path);
    void addPair(const QString& source, const QString& target);
    QStringList files() const;
    QVector<Pair> pairs() const;
    void clear();

    // Fills `menu` (on every aboutToShow): pairs first, then single files.
    void populate(QMenu* menu);

Q_SIGNALS:
    void pairChosen(const QString& source, const QString& target);
    void fileChosen(const QString& path);
};

} // namespace statescope
