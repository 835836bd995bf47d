#include "safetensors_writer.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/pyobject_type_name.h"
#include "export/atomic_output.h"
#include "export/output_plan.h"
#include "formats/format_error.h"
#include "repair/repaired_state_dict.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

#include <algorithm>
#include <numeric>

namespace statescope {

ExportReport writeSafeTensors(const Checkpoint& source, const OutputPlan& plan, const QString& out,
                              const ExportProgress& progress, const std::atomic<bool>* cancel)
{
    ExportReport report;
    report.path = out;
    if (!plan.extraStates().isEmpty()) {
        const RepairedExtraState& x = plan.extraStates().first();
        throw FormatError(source.path() + QLatin1String(": ") + x.key + QLatin1String(" is a ") +
                          pyObjectTypeName(x.value, PyTypeNameStyle::Message) +
                          QLatin1String(", not a tensor, and safetensors stores only tensors; export to torch format "
                                        "or drop it with a rule"));
    }
    const QVector<const PyTensor*>& tensors = plan.tensors();
    QVector<QByteArray> keys;
    for (const auto& item : plan.stateDict()->items)
        keys.push_back(item.first->as<PyString>()->value.toUtf8());

    // Sorted by key (bytewise UTF-8, as the reference writer's BTreeMap), offsets in that order.
    QVector<int> order(tensors.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&keys](int a, int b) { return keys[a] < keys[b]; });

    QJsonObject header;
    qint64 offset = 0;
    for (int i : order) {
        const PyTensor& t = *tensors[i];
        const QString dtype = safetensorsDtypeName(t.dtype);
        if (dtype.isEmpty())
            throw FormatError(source.path() + QLatin1String(": ") + QString::fromUtf8(keys[i]) + QLatin1String(": dtype ") +
                              dtypeName(t.dtype) + QLatin1String(" cannot be stored in safetensors"));
        if (t.layout != QLatin1String("strided"))
            throw FormatError(source.path() + QLatin1String(": ") + QString::fromUtf8(keys[i]) + QLatin1String(": a ") +
                              t.layout + QLatin1String(" tensor cannot be stored in safetensors"));
        QJsonArray shape;
        for (qint64 d : t.shape)
            shape.append(d);
        const qint64 size = t.numel() * dtypeElementSize(t.dtype);
        QJsonObject entry;
        entry.insert(QStringLiteral("dtype"), dtype);
        entry.insert(QStringLiteral("shape"), shape);
        entry.insert(QStringLiteral("data_offsets"), QJsonArray{offset, offset + size});
        header.insert(QString::fromUtf8(keys[i]), entry);
        offset += size;
    }
    QMap<QString, QString> metadata = source.textMetadata();
    metadata.insert(QStringLiteral("format"), QStringLiteral("pt"));
    QJsonObject meta;
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it)
        meta.insert(it.key(), it.value());
    header.insert(QStringLiteral("__metadata__"), meta);

    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    json.append(QByteArray((8 - json.size() % 8) % 8, ' '));
    char length[8];
    qToLittleEndian<quint64>(quint64(json.size()), length);

    AtomicOutput output(out);
    if (!output.write(length, 8) || !output.write(json.constData(), json.size()))
        throw FormatError(output.error());
    TensorEngine* engine = nullptr;
    qint64 done = 0;
    for (int i : order) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            report.cancelled = true;
            return report;
        }
        const OutputPlan::Bytes bytes = plan.tensorBytes(i, &engine);
        const qint64 expected = tensors[i]->numel() * dtypeElementSize(tensors[i]->dtype);
        if (bytes.view.size() != expected)
            throw FormatError(out + QLatin1String(": ") + QString::fromUtf8(keys[i]) + QLatin1String(" has ") +
                              QString::number(bytes.view.size()) + QLatin1String(" bytes, expected ") + QString::number(expected));
        if (!output.write(bytes.view.data(), bytes.view.size(), bytes.fileMapped))
            throw FormatError(output.error());
        done += expected;
        if (progress)
            progress(done, offset);
    }
    output.commit();
    report.bytesWritten = output.bytesWritten();
    report.storagesWritten = int(order.size());
    return report;
}

} // namespace statescope
