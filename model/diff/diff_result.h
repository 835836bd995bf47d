#pragma once

#include "checkpoint/dtype.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace statescope {

struct ShapeMismatch
{
    QString key;
    QVector<qint64> sourceShape; // as torch prints it (after its 0-dim indexing)
    QVector<qint64> targetShape;
};

struct DtypeMismatch
{
    QString key;
    DType sourceDtype = DType::Unknown;
    DType targetDtype = DType::Unknown;
};

// A key torch copies from the source: present on both sides and passing torch's shape check.
struct MatchedKey
{
    QString key;
    int sourceIndex = -1; // into the source entries the verdict was computed from
    // The target is 0-dim and the source a non-empty 1-D tensor: torch copies source[0] only (its 0.3
    // compatibility rule), so the shapes differ although the key loads.
    bool firstElementOnly = false;
};

// What `target.load_state_dict(source, strict=True)` does, computed once and never changed afterwards
// (shared as std::shared_ptr<const DiffResult>, DESIGN.md "Data flows one way").
struct DiffResult
{
    bool loadable = false;
    QStringList missing;                  // torch's list and order
    QStringList unexpected;               // torch's list and order
    QVector<ShapeMismatch> sizeMismatch;  // torch's order
    QVector<DtypeMismatch> dtypeMismatch; // informational (copy_ casts), target order
    QStringList filledByTorch;            // num_batches_tracked keys BatchNorm inserts silently
    QVector<MatchedKey> matched;          // target order
    // torch's per-tensor messages (size mismatches, failed copies) in the order torch collects them.
    QStringList errorMessages;
    // null when loadable; else "RuntimeError", or "IndexError" when torch aborts the walk (an empty 1-D
    // source tensor for a 0-dim parameter) before it can list anything.
    QString torchException;
    QString torchError; // str(exception), byte-identical to torch's; null when loadable

    // Elements involved per kind, for the "parameters affected" summary.
    qint64 missingParameters = 0;    // target side
    qint64 unexpectedParameters = 0; // source side
    qint64 mismatchSourceParameters = 0;
    qint64 mismatchTargetParameters = 0;
    qint64 matchedParameters = 0; // target side
};

} // namespace statescope
