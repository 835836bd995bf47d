#pragma once

#include "checkpoint/state_dict.h"

#include <QString>
#include <QVector>

#include <memory>
#include <vector>

namespace statescope {

// The module hierarchy implied by dotted state-dict keys ("layer1.0.conv1.weight" lives in module
// "layer1.0.conv1"), with parameter and byte totals per module. Children keep the order in which their
// first key appears, which for torch's state_dict() is the model's registration order.
struct ModuleNode
{
    QString name; // last path component ("conv1"); "" for the root
    QString path; // dotted module path ("layer1.0.conv1"); "" for the root
    std::vector<std::unique_ptr<ModuleNode>> children;
    QVector<int> tensors; // indices into the entries the tree was built from, for keys directly in here
    qint64 parameters = 0; // elements of all tensors below (the "parameter count" users expect)
    qint64 bytes = 0;
    int tensorCount = 0;
};

std::unique_ptr<ModuleNode> buildModuleTree(const QVector<StateDictEntry>& entries);

} // namespace statescope
