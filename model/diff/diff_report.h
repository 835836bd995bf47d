#pragma once

#include "diff/diff_result.h"

#include <QJsonObject>
#include <QString>

namespace statescope {

// One side of a diff as the report names it.
struct DiffSide
{
    QString file;
    QString format;   // formatName(): "torch-zip", "torchscript", ...
    QString selected; // the state dict's path inside the file ("" = root)
    int tensors = 0;
};

// The JSON of `statescope diff --json` (CLI.md), key level. Adds "torch_exception" ("RuntimeError",
// "IndexError" or null) beside torch_error, since an IndexError is not the "Error(s) in loading" text.
QJsonObject diffJson(const DiffSide& source, const DiffSide& target, const DiffResult& result);

// The text of `statescope diff`: a summary (counts per kind, parameters affected), then torch's error
// text verbatim when the load would fail.
QString diffText(const DiffSide& source, const DiffSide& target, const QString& modelName,
                 const DiffResult& result);

// The text of `statescope diff --format gnu`: one line per problem, "FILE: KEY: error: MESSAGE" or
// "FILE: KEY: warning: MESSAGE" (FILE = the source's path), the form compilers use and editors' problem
// matchers parse. Errors in torch's order and words (Missing key, Unexpected key, then its per-tensor
// messages verbatim); dtype differences as warnings. When torch aborts the walk (IndexError) there is no
// key: "FILE: error: IndexError: TEXT". Empty when the load succeeds without a warning.
QString diffGnu(const DiffSide& source, const DiffResult& result);

} // namespace statescope
