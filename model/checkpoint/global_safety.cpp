#include "global_safety.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/dtype.h"

#include <QSet>

namespace statescope {

namespace {

// torch.load(weights_only=True)'s allowlist (torch/_weights_only_unpickler.py, 1.13 and 2.x merged).
const QSet<QString>& allowedNames()
{
    static const QSet<QString> names = [] {
        QSet<QString> s{
            QStringLiteral("collections.OrderedDict"),
            QStringLiteral("collections.Counter"),
            QStringLiteral("torch.nn.parameter.Parameter"),
            QStringLiteral("torch.serialization._get_layout"),
            QStringLiteral("torch.Size"),
            QStringLiteral("torch.Tensor"),
            QStringLiteral("torch.device"),
            QStringLiteral("torch._tensor._rebuild_from_type_v2"),
            QStringLiteral("_codecs.encode"),
            QStringLiteral("builtins.set"),
            QStringLiteral("builtins.frozenset"),
            QStringLiteral("builtins.bytearray"),
            QStringLiteral("builtins.complex"),
            QStringLiteral("torch.per_tensor_affine"),
            QStringLiteral("torch.per_channel_affine"),
            QStringLiteral("torch.per_tensor_symmetric"),
            QStringLiteral("torch.per_channel_symmetric"),
            QStringLiteral("torch.per_channel_affine_float_qparams"),
            QStringLiteral("torch.sparse_coo"),
            QStringLiteral("torch.sparse_csr"),
            QStringLiteral("torch.sparse_csc"),
            QStringLiteral("torch.sparse_bsr"),
            QStringLiteral("torch.sparse_bsc"),
            QStringLiteral("torch.strided"),
            QStringLiteral("torch.storage.UntypedStorage"),
            QStringLiteral("torch.UntypedStorage"),
            QStringLiteral("torch.storage.TypedStorage"),
        };
        static const char* const storages[] = {
            "DoubleStorage", "FloatStorage",  "HalfStorage",         "BFloat16Storage",      "LongStorage",
            "IntStorage",    "ShortStorage",  "CharStorage",         "ByteStorage",          "BoolStorage",
            "ComplexFloatStorage", "ComplexDoubleStorage", "QInt8Storage", "QUInt8Storage", "QInt32Storage",
            "QUInt4x2Storage", "QUInt2x4Storage",
        };
        for (const char* name : storages)
            s.insert(QLatin1String("torch.") + QLatin1String(name));
        static const char* const dtypes[] = {
            "float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool",
            "complex32", "complex64", "complex128", "qint8", "quint8", "qint32", "quint4x2", "quint2x4",
            "float8_e4m3fn", "float8_e5m2", "uint16", "uint32", "uint64",
        };
        for (const char* name : dtypes)
            s.insert(QLatin1String("torch.") + QLatin1String(name));
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

GlobalSafety globalSafety(const QString& qualifiedName)
{
    if (allowedNames().contains(qualifiedName))
        return GlobalSafety::Allowed;
    // Protocol 0/1 pickles build every plain object (an argparse.Namespace, say) through
    // copyreg._reconstructor(cls, object, None): it only allocates the class named beside it, which is
    // judged on its own.
    if (qualifiedName == QLatin1String("copyreg._reconstructor") || qualifiedName == QLatin1String("copy_reg._reconstructor"))
        return GlobalSafety::Unsafe;
    if (qualifiedName.startsWith(QLatin1String("torch._utils._rebuild_")))
        return GlobalSafety::Allowed;
    const qsizetype dot = qualifiedName.lastIndexOf(QLatin1Char('.'));
    const QString module = dot < 0 ? QString() : qualifiedName.left(dot);
    const QString name = dot < 0 ? qualifiedName : qualifiedName.mid(dot + 1);
    const QString topModule = module.section(QLatin1Char('.'), 0, 0);
    if (module == QLatin1String("builtins") || module == QLatin1String("__builtin__"))
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
