#include "exporter.h"

#include "export/output_plan.h"
#include "export/safetensors_writer.h"
#include "export/torch_writer.h"
#include "formats/format_error.h"

#include <QFileInfo>

namespace statescope {

ExportReport exportCheckpoint(const Checkpoint& source, const StateDict& selected, const RepairedStateDict& repaired,
                              const Checkpoint* target, const QString& out, const ExportOptions& options,
                              const ExportProgress& progress, const std::atomic<bool>* cancel)
{
    // Renaming over a file that is being read would replace the source the user asked us never to modify.
    const QFileInfo outInfo(out);
    const auto same = [&outInfo](const Checkpoint* c) {
        return c && outInfo.exists() && QFileInfo(c->path()).canonicalFilePath() == outInfo.canonicalFilePath();
    };
    if (same(&source) || same(target))
        throw FormatError(out + QLatin1String(": the output would replace an input file; choose another name"));

    const OutputPlan plan(source, repaired, target);
    const bool containerless = !formatHasContainer(source.format());
    ExportReport report;
    if (options.format == ExportOptions::Format::SafeTensors)
        report = writeSafeTensors(source, plan, out, progress, cancel);
    else
        report = writeTorchArchive(source, selected, plan, out, options.stateDictOnly || containerless, options.forceZip64,
                                   progress, cancel);
    report.tensorsWritten = int(repaired.entries.size());
    return report;
}

} // namespace statescope
