#pragma once

#include "diff/diff_result.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace statescope {

// str(torch.Size(shape)): "torch.Size([10, 512])", "torch.Size([])".
QString torchSizeText(const QVector<qint64>& shape);

// The per-tensor messages of Module._load_from_state_dict, word for word.
QString sizeMismatchMessage(const QString& key, const QVector<qint64>& sourceShape,
                            const QVector<qint64>& targetShape);
QString copyFailureMessage(const QString& key, const QVector<qint64>& targetShape,
                           const QVector<qint64>& sourceShape, const QString& exceptionText);

// str(RuntimeError) of load_state_dict(strict=True): the header, then Missing, Unexpected and the per-tensor
// messages joined by "\n\t". A null QString when there is nothing to report (the load succeeds).
QString loadStateDictErrorText(const QString& modelName, const QStringList& missing,
                               const QStringList& unexpected, const QStringList& errorMessages);

// What a user pasted from a terminal: a traceback, or just the message.
struct ParsedTorchError
{
    bool recognised = false; // the "Error(s) in loading state_dict for NAME:" header was found
    QString modelName;
    QStringList missing;
    QStringList unexpected;
    QVector<ShapeMismatch> sizeMismatch;
    QStringList otherMessages; // per-tensor messages that are not size mismatches, verbatim
};

// Reads torch's error text back into keys. Tolerates a "RuntimeError: " prefix, traceback lines before the
// header, CRLF line ends, tabs turned into spaces and lines a terminal wrapped.
ParsedTorchError parseTorchError(const QString& text);

} // namespace statescope
