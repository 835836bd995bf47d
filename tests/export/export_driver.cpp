// export_driver SOURCE OUT [torch|safetensors]: writes SOURCE's best state dict unchanged, for tests that run
// the exporter under process limits. Exit 0 written, 2 error (one line on stderr).
#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "export/exporter.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"
#include "repair/repaired_state_dict.h"

#include <QCoreApplication>
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
    } catch (const FormatError& e) {
        QTextStream(stderr) << "statescope: " << e.message() << '\n';
        return 2;
    }
    return 0;
}
