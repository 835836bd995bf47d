#pragma once

#include "diff/diff_result.h"
#include "diff/value_diff.h"

#include <QJsonArray>
#include <QString>

namespace statescope {

// The pairs `diff --values` compares: every key torch would copy whose shapes are equal on both sides
// (keys loaded through torch's 0-dim rule copy only one element, so they are left out).
QVector<ValuePair> valuePairsOf(const DiffResult& result);

// "values" of `diff --json`: one record per pair, in target order. Numbers that are not finite (the cosine
// of an all-zero tensor) are null.
QJsonArray valuesJson(const ValueDiffResult& values);

// The value table of `diff` text output: changed tensors first by relative change, then a count of the equal.
QString valuesText(const ValueDiffResult& values);

} // namespace statescope
