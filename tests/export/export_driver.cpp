// export_driver SOURCE OUT [torch|safetensors] [report-libtorch]: writes SOURCE's best state dict unchanged, for
// tests that run the exporter under process limits or look at the process afterwards. Exit 0 written, 2 error (one
// line on stderr). report-libtorch: prints whether LibTorch is mapped into the process after the export.
#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "export/exporter.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"
#include "repair/repaired_state_dict.h"

#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

#include <csignal>

using namespace statescope;

int main(int argc, char** argv)
{
    // Past a file size limit the kernel sends SIGXFSZ, which kills by default; ignored, write() fails with EFBIG
    // and the exporter can clean up.
    std::signal(SIGXFSZ, SIG_IGN);
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3)
        return 2;
    try {
        const auto source = openCheckpoint(args[1]);
        const StateDict selected = selectStateDict(*source, QString());
        const auto repaired = identityRepair(selected);
        ExportOptions options;
        if (args.size() > 3 && args[3] == QLatin1String("safetensors"))
            options.format = ExportOptions::Format::SafeTensors;
        exportCheckpoint(*source, selected, *repaired, nullptr, args[2], options);
        if (args.size() > 4 && args[4] == QLatin1String("report-libtorch")) {
            QFile maps(QStringLiteral("/proc/self/maps"));
            if (!maps.open(QIODevice::ReadOnly))
                return 2;
            QTextStream(stdout) << (maps.readAll().contains("libtorch_cpu") ? "libtorch loaded" : "libtorch not loaded") << '\n';
        }
    } catch (const FormatError& e) {
        QTextStream(stderr) << "statescope: " << e.message() << '\n';
        return 2;
    }
    return 0;
}
