#pragma once

#include "repair/repair_plan.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

namespace statescope {

struct DiffSnapshot;
struct PyTensor;

// Which keys and module paths each side of a diff has after the plan: what the window asks when it decides
// which repairs a row offers and which rows accept a dragged key.
class DiffSides
{
public:
    DiffSides() = default;
    explicit DiffSides(const DiffSnapshot& snapshot);

    const PyTensor* source(const QString& key) const { return m_source.value(key); }
    const PyTensor* target(const QString& key) const { return m_target.value(key); }
    bool sourceHasModule(const QString& path) const { return m_sourceModules.contains(path); }
    bool targetHasModule(const QString& path) const { return m_targetModules.contains(path); }
    // Whether a row (key or module path) has something on that side.
    bool hasSource(const QString& path, bool isModule) const;
    bool hasTarget(const QString& path, bool isModule) const;
    const QStringList& targetKeys() const { return m_targetKeys; }       // in the model's order
    const QStringList& targetModules() const { return m_targetModuleList; } // in the model's order
    bool hasMissingNumBatchesTracked() const { return m_missingNumBatchesTracked; }

private:
    QHash<QString, const PyTensor*> m_source;
    QHash<QString, const PyTensor*> m_target;
    QSet<QString> m_sourceModules;
    QSet<QString> m_targetModules;
    QStringList m_targetKeys;
    QStringList m_targetModuleList;
    bool m_missingNumBatchesTracked = false;
};

// Python-compatible regex text matching `text` literally.
QString literalPattern(const QString& text);
// The pattern of a row for tensor rules: the key exactly, or every key below a module.
QString rowPattern(const QString& path, bool isModule);
// "module." for "module.layers.0.weight": the row's leading module path, as strip/add prefix offer it.
QString leadingModulePrefix(const QString& path);

// The plan with source key `sourceKey` (its key in the file; `currentKey` is what the plan makes of it)
// mapped onto target key `targetKey`. A map rule the plan already has for this key is re-pointed (no chain
// of maps) when no key rule comes after it; else a map of the current key is appended, which matches
// whatever the earlier rules did.
RepairPlan planWithKeyMapped(const RepairPlan& plan, const QString& sourceKey, const QString& currentKey,
                             const QString& targetKey);
// The plan with every key under source module `fromModule` (as the plan leaves it) renamed to lie under
// `toModule`: an anchored rename `^from\.` -> `to.` appended.
RepairPlan planWithModuleMapped(const RepairPlan& plan, const QString& fromModule, const QString& toModule);

} // namespace statescope
