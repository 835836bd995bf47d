#include "module_tree.h"

#include <QHash>

namespace statescope {

std::unique_ptr<ModuleNode> buildModuleTree(const QVector<StateDictEntry>& entries)
{
    auto root = std::make_unique<ModuleNode>();
    QHash<QString, ModuleNode*> byPath;
    byPath.insert(QString(), root.get());
    for (int i = 0; i < entries.size(); ++i) {
        const QString& key = entries[i].key;
        const qsizetype lastDot = key.lastIndexOf(QLatin1Char('.'));
        const QString modulePath = lastDot < 0 ? QString() : key.left(lastDot);
        ModuleNode* node = byPath.value(modulePath);
        if (!node) {
            // Create the missing chain of modules from the deepest existing ancestor down.
            // Empty components ("a..b", ".a") are names too: every prefix of modulePath gets its node (an empty
            // first component is the root itself), so the ancestors walked below all exist.
            node = root.get();
            QString path;
            bool first = true;
            for (const QString& part : modulePath.split(QLatin1Char('.'))) {
                path = first ? part : path + QLatin1Char('.') + part;
                first = false;
                ModuleNode* next = byPath.value(path);
                if (!next) {
                    auto child = std::make_unique<ModuleNode>();
                    child->name = part;
                    child->path = path;
                    next = child.get();
                    node->children.push_back(std::move(child));
                    byPath.insert(path, next);
                }
                node = next;
            }
        }
        node->tensors.push_back(i);
        const qint64 elements = entries[i].tensor->numel();
        const qint64 bytes = entries[i].tensor->nbytes();
        // Credit the tensor to its module and every ancestor.
        for (QString path = modulePath;; path = path.contains(QLatin1Char('.')) ? path.left(path.lastIndexOf(QLatin1Char('.'))) : QString()) {
            ModuleNode* owner = byPath.value(path);
            owner->parameters += elements;
            owner->bytes += bytes;
            owner->tensorCount += 1;
            if (path.isEmpty())
                break;
        }
    }
    return root;
}

} // namespace statescope
