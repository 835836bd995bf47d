#include "global_safety.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/dtype.h"

#include <QSet>

namespace statescope {

namespace {

// torch.load(weights_only=True)'s allowlist as torch 2.13 builds it (torch/_weights_only_unpickler.py,
// _get_allowed_globals). allowlistIsTheOracles (tst_weights_only) compares it name by name with the oracle's
// own list; the names other torches decide differently are in docs/torch-versions.md.
const QSet<QString>& allowedNames()
{
    static const QSet<QString> names = [] {
        QSet<QString> s;
        static const char* const plain[] = {
            "collections.OrderedDict", "collections.Counter", "torch.nn.parameter.Parameter",
            "torch.serialization._get_layout", "torch.Size", "torch.Tensor", "torch.device", "_codecs.encode",
            "builtins.bytearray", "builtins.set", "builtins.complex", "torch.storage.TypedStorage",
            "torch.storage.UntypedStorage", "torch._tensor._rebuild_from_type_v2",
            "torch.per_tensor_affine", "torch.per_tensor_symmetric", "torch.per_channel_affine",
            "torch.per_channel_symmetric", "torch.per_channel_affine_float_qparams",
        };
        for (const char* name : plain)
            s.insert(QLatin1String(name));
        static const char* const rebuilds[] = {
            "_rebuild_parameter", "_rebuild_parameter_with_state", "_rebuild_qtensor", "_rebuild_tensor",
            "_rebuild_tensor_v2", "_rebuild_tensor_v3", "_rebuild_sparse_tensor", "_rebuild_meta_tensor_no_storage",
            "_rebuild_nested_tensor", "_rebuild_wrapper_subclass", "_rebuild_device_tensor_from_cpu_tensor",
            "_rebuild_device_tensor_from_numpy",
        };
        for (const char* name : rebuilds)
            s.insert(QLatin1String("torch._utils.") + QLatin1String(name));
        // Typed storages: on the CPU and (legacy files) CUDA, except the quantized ones, which are CPU-only.
        static const char* const storages[] = {
            "Double", "Float", "Half", "BFloat16", "Long", "Int", "Short", "Char", "Byte", "Bool",
            "ComplexFloat", "ComplexDouble",
        };
        for (const char* name : storages) {
            s.insert(QLatin1String("torch.") + QLatin1String(name) + QLatin1String("Storage"));
            s.insert(QLatin1String("torch.cuda.") + QLatin1String(name) + QLatin1String("Storage"));
        }
        for (const char* name : {"QInt8", "QUInt8", "QInt32", "QUInt4x2", "QUInt2x4"})
            s.insert(QLatin1String("torch.") + QLatin1String(name) + QLatin1String("Storage"));
        // Legacy tensor classes, dense and sparse, CPU and CUDA.
        static const char* const tensors[] = {"Double", "Float", "Half", "BFloat16", "Long", "Int", "Short", "Char", "Byte"};
        for (const char* name : tensors) {
            const QString cls = QLatin1String(name) + QLatin1String("Tensor");
            for (const char* module : {"torch.", "torch.cuda.", "torch.sparse.", "torch.cuda.sparse."})
                s.insert(QLatin1String(module) + cls);
        }
        s.insert(QStringLiteral("torch.BoolTensor"));
        s.insert(QStringLiteral("torch.cuda.BoolTensor"));
        // Every dtype torch has, the sub-byte ones included, even those torch.save cannot write.
        static const char* const dtypes[] = {
            "float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool",
            "complex32", "complex64", "complex128", "qint8", "quint8", "qint32", "quint4x2", "quint2x4",
            "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e8m0fnu",
            "float4_e2m1fn_x2", "uint16", "uint32", "uint64", "bits1x8", "bits2x4", "bits4x2", "bits8", "bits16",
        };
        for (const char* name : dtypes)
            s.insert(QLatin1String("torch.") + QLatin1String(name));
        for (int bits = 1; bits <= 7; ++bits) {
            s.insert(QStringLiteral("torch.uint%1").arg(bits));
            s.insert(QStringLiteral("torch.int%1").arg(bits));
        }
        return s;
    }();
    return names;
}

// Modules whose globals, when unpickled by Python, can run commands, execute code or load more code.
const QSet<QString>& dangerousModules()
{
    static const QSet<QString> modules{
        QStringLiteral("os"),         QStringLiteral("posix"),      QStringLiteral("nt"),
        QStringLiteral("subprocess"), QStringLiteral("sys"),        QStringLiteral("shutil"),
        QStringLiteral("socket"),     QStringLiteral("importlib"),  QStringLiteral("runpy"),
        QStringLiteral("pty"),        QStringLiteral("ctypes"),     QStringLiteral("code"),
        QStringLiteral("codeop"),     QStringLiteral("pickle"),     QStringLiteral("_pickle"),
        QStringLiteral("marshal"),    QStringLiteral("webbrowser"), QStringLiteral("multiprocessing"),
        QStringLiteral("commands"),   QStringLiteral("popen2"),     QStringLiteral("platform"),
        QStringLiteral("signal"),     QStringLiteral("asyncio"),    QStringLiteral("types"),
        QStringLiteral("operator"),   QStringLiteral("functools"),  QStringLiteral("timeit"),
        QStringLiteral("pdb"),        QStringLiteral("bdb"),        QStringLiteral("cProfile"),
        QStringLiteral("profile"),    QStringLiteral("io"),         QStringLiteral("_io"),
        QStringLiteral("copyreg"),
    };
    return modules;
}

const QSet<QString>& dangerousBuiltins()
{
    static const QSet<QString> names{
        QStringLiteral("eval"),     QStringLiteral("exec"),       QStringLiteral("compile"),
        QStringLiteral("getattr"),  QStringLiteral("setattr"),    QStringLiteral("delattr"),
        QStringLiteral("__import__"), QStringLiteral("open"),     QStringLiteral("globals"),
        QStringLiteral("locals"),   QStringLiteral("vars"),       QStringLiteral("input"),
        QStringLiteral("breakpoint"), QStringLiteral("apply"),    QStringLiteral("execfile"),
        QStringLiteral("help"),     QStringLiteral("exit"),       QStringLiteral("quit"),
        QStringLiteral("memoryview"), QStringLiteral("type"),     QStringLiteral("object"),
    };
    return names;
}

} // namespace

QString python3GlobalName(const QString& qualifiedName)
{
    if (qualifiedName.startsWith(QLatin1String("__builtin__.")))
        return QLatin1String("builtins") + qualifiedName.mid(11);
    if (qualifiedName.startsWith(QLatin1String("copy_reg.")))
        return QLatin1String("copyreg") + qualifiedName.mid(8);
    return qualifiedName;
}

GlobalSafety globalSafety(const QString& rawName)
{
    const QString qualifiedName = python3GlobalName(rawName);
    if (allowedNames().contains(qualifiedName))
        return GlobalSafety::Allowed;
    // Protocol 0/1 pickles build every plain object (an argparse.Namespace, say) through
    // copyreg._reconstructor(cls, object, None): it only allocates the class named beside it, which is
    // judged on its own.
    if (qualifiedName == QLatin1String("copyreg._reconstructor"))
        return GlobalSafety::Unsafe;
    const qsizetype dot = qualifiedName.lastIndexOf(QLatin1Char('.'));
    const QString module = dot < 0 ? QString() : qualifiedName.left(dot);
    const QString name = dot < 0 ? qualifiedName : qualifiedName.mid(dot + 1);
    const QString topModule = module.section(QLatin1Char('.'), 0, 0);
    if (module == QLatin1String("builtins"))
        return dangerousBuiltins().contains(name) ? GlobalSafety::Dangerous : GlobalSafety::Unsafe;
    if (dangerousModules().contains(module) || dangerousModules().contains(topModule))
        return GlobalSafety::Dangerous;
    return GlobalSafety::Unsafe;
}

QStringList unsafeGlobals(const QStringList& globals)
{
    QStringList out;
    for (const QString& g : globals) {
        if (globalSafety(g) != GlobalSafety::Allowed)
            out << g;
    }
    return out;
}

QStringList dangerousGlobals(const QStringList& globals)
{
    QStringList out;
    for (const QString& g : globals) {
        if (globalSafety(g) == GlobalSafety::Dangerous)
            out << g;
    }
    return out;
}

namespace {

QStringList reportableGlobals(const Checkpoint& checkpoint)
{
    if (checkpoint.format() != CheckpointFormat::TorchScript)
        return checkpoint.globals();
    QStringList out;
    for (const QString& g : checkpoint.globals()) {
        if (!g.startsWith(QLatin1String("__torch__.")) && !g.startsWith(QLatin1String("torch.jit._pickle.")))
            out << g;
    }
    return out;
}

} // namespace

QStringList unsafeGlobals(const Checkpoint& checkpoint)
{
    return unsafeGlobals(reportableGlobals(checkpoint));
}

QStringList dangerousGlobals(const Checkpoint& checkpoint)
{
    return dangerousGlobals(reportableGlobals(checkpoint));
}

} // namespace statescope
