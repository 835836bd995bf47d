#pragma once

#include <QRegularExpression>
#include <QSortFilterProxyModel>

namespace statescope {

// What the aligned view shows: rows whose key matches the filter text (a substring; a glob when it holds * or
// ?; a regular expression when it starts with "re:"), optionally only rows that differ. Modules stay when
// anything below them does.
class DiffFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit DiffFilterModel(QObject* parent = nullptr);

    void setPattern(const QString& text);
    void setOnlyDifferences(bool only);
    bool onlyDifferences() const { return m_onlyDifferences; }
    // False when the pattern is an invalid regular expression (the view then shows everything).
    bool patternIsValid() const { return m_valid; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QRegularExpression m_pattern;
    bool m_valid = true;
    bool m_onlyDifferences = false;
};

} // namespace statescope
