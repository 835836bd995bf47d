#include "torch_writer.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "export/atomic_output.h"
#include "export/output_plan.h"
#include "export/pickle_writer.h"
#include "formats/format_error.h"
#include "tensor/tensor_engine.h"

namespace statescope {

ExportReport writeTorchArchive(const Checkpoint& source, const StateDict& selected, const OutputPlan& plan,
                               const QString& out, bool stateDictOnly, const ExportProgress& progress,
                               const std::atomic<bool>* cancel)
{
    ExportReport report;
    report.path = out;
    TensorEngine* engine = nullptr;
    TensorEngine& archiveEngine = requireEngine(&engine);

    PickleWriter pickler([&plan](const PyStorage* storage, DType dtype) { return plan.storageNumel(storage, dtype); });
    const PyObject* root = plan.stateDict();
    if (!stateDictOnly && source.root()) {
        root = source.root();
        pickler.replace(selected.object, plan.stateDict());
    }
    QByteArray pickle;
    try {
        pickle = pickler.write(root);
    } catch (const FormatError& e) {
        throw FormatError(source.path() + QLatin1String(": cannot write data.pkl: ") + e.message());
    }
    report.replacedGlobals = pickler.replacedGlobals();

    qint64 total = 0;
    for (const PickledStorage& s : pickler.storages())
        total += s.numel * dtypeElementSize(s.dtype);

    AtomicOutput output(out);
    // The stream writer hands record data to the sink as the pointer it was given, so the sink knows when the
    // bytes come from the source mapping and can release those pages behind it.
    const char* mappedBegin = nullptr;
    const char* mappedEnd = nullptr;
    const ByteSink sink = [&](const void* data, qint64 size) -> qint64 {
        const char* p = static_cast<const char*>(data);
        const bool mapped = mappedBegin && p >= mappedBegin && p + size <= mappedEnd;
        return output.write(data, size, mapped) ? size : 0;
    };
    QString error;
    const auto fail = [&](const QString& what) {
        const QString why = output.error().isEmpty() ? out + QLatin1String(": ") + what + QLatin1String(": ") + error
                                                     : output.error();
        throw FormatError(why);
    };
    std::unique_ptr<TorchRecordWriter> writer = archiveEngine.openTorchArchive(sink, &error);
    if (!writer)
        fail(QStringLiteral("cannot start the archive"));
    if (!writer->writeRecord(QStringLiteral("data.pkl"), pickle.constData(), pickle.size(), &error))
        fail(QStringLiteral("writing data.pkl"));
    // torch 2.x records the byte order; 1.13 ignores the record. The bytes are little-endian whatever the source.
    static const char kLittle[] = "little";
    if (!writer->writeRecord(QStringLiteral("byteorder"), kLittle, qint64(sizeof(kLittle) - 1), &error))
        fail(QStringLiteral("writing byteorder"));

    qint64 done = 0;
    for (const PickledStorage& s : pickler.storages()) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            report.cancelled = true;
            return report; // AtomicOutput removes the temp file
        }
        const OutputPlan::Bytes bytes = plan.storageBytes(s.storage, s.dtype, &engine);
        if (bytes.view.size() != s.numel * dtypeElementSize(s.dtype))
            throw FormatError(out + QLatin1String(": storage ") + s.key + QLatin1String(" has ") +
                              QString::number(bytes.view.size()) + QLatin1String(" bytes, expected ") +
                              QString::number(s.numel * dtypeElementSize(s.dtype)));
        mappedBegin = bytes.fileMapped ? bytes.view.data() : nullptr;
        mappedEnd = bytes.fileMapped ? bytes.view.data() + bytes.view.size() : nullptr;
        static const char kEmpty = 0;
        const void* data = bytes.view.isEmpty() ? static_cast<const void*>(&kEmpty) : bytes.view.data();
        if (!writer->writeRecord(QLatin1String("data/") + s.key, data, bytes.view.size(), &error))
            fail(QLatin1String("writing data/") + s.key);
        mappedBegin = mappedEnd = nullptr;
        done += bytes.view.size();
        if (progress)
            progress(done, total);
    }
    if (!writer->finish(&error))
        fail(QStringLiteral("finishing the archive"));
    output.commit();
    report.bytesWritten = output.bytesWritten();
    report.storagesWritten = int(pickler.storages().size());
    return report;
}

} // namespace statescope
