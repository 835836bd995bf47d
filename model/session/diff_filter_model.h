#pragma once

#include <QRegularExpression>
#include <QSortFilterProxyModel>

#include <vector>

namespace statescope {

class DiffTreeModel;

// What the aligned view shows: rows whose key matches the filter text (a substring; a glob when it holds * or
// ?; a regular expression when it starts with "re:"), optionally only rows that differ. Modules stay when
// anything below them does.
//
// On a 100k-key tree, asking the pattern row by row through QVariant roles (and letting recursive filtering
// walk every rejected module's subtree again at each level) costs the GUI thread seconds. So the verdict for
// every row is computed in one pass over the tree (DiffTreeModel::acceptedRows) the first time it is needed
// after the pattern or the source changed, and filterAcceptsRow is a lookup.
class DiffFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit DiffFilterModel(QObject* parent = nullptr);

    void setSourceModel(QAbstractItemModel* model) override; // a DiffTreeModel
    void setPattern(const QString& text);
    void setOnlyDifferences(bool only);
    bool onlyDifferences() const { return m_onlyDifferences; }
    // False when the pattern is an invalid regular expression (the view then shows everything).
    bool patternIsValid() const { return m_valid; }
    // A shown row of a DiffTreeModel has children exactly when its source row does (a module is shown only
    // for an accepted row below it). The base class builds the row's child mapping to answer, which the
    // view's layout asks for every visible module: tens of thousands of mappings on a 100k-key tree.
    bool hasChildren(const QModelIndex& parent = {}) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool filtering() const { return m_onlyDifferences || !m_pattern.pattern().isEmpty(); }
    void computeAccepted() const;
    void refilter();

    QRegularExpression m_pattern;
    // The typed text when it is plain (no glob, no "re:"): matched with QString::contains, which on 100k keys
    // is several times cheaper than the equivalent regex match and its QRegularExpressionMatch per key.
    QString m_plainText;
    bool m_valid = true;
    bool m_onlyDifferences = false;
    const DiffTreeModel* m_tree = nullptr;
    mutable std::vector<bool> m_accepted; // by display row of the source; valid unless m_dirty
    mutable bool m_dirty = true;
};

} // namespace statescope
