#include "tensor_engine_loader.h"

#include "tensor_engine.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPluginLoader>
#include <QStringList>

// Both are defined by model/tensor/CMakeLists.txt, which is read only when STATESCOPE_WITH_TORCH=ON.
#ifndef STATESCOPE_TORCH_PLUGIN_FILE
#define STATESCOPE_TORCH_PLUGIN_FILE "libstatescope_torch.so"
#endif

namespace statescope {

namespace {

QStringList candidateDirectories()
{
    QStringList dirs;
    const QString fromEnvironment = qEnvironmentVariable("STATESCOPE_PLUGIN_DIR");
    if (!fromEnvironment.isEmpty())
        dirs << fromEnvironment;
    // applicationDirPath() needs an application object; a library user without one still gets the install dir.
    if (QCoreApplication::instance()) {
        const QString appDir = QCoreApplication::applicationDirPath();
        dirs << appDir + QLatin1String("/../lib/statescope"); // the build tree
#ifdef STATESCOPE_RELATIVE_PLUGIN_DIR
        // The install tree relative to the executable, so a relocated prefix (a .deb unpacked with dpkg -x,
        // cmake --install --prefix elsewhere) finds its own plugin rather than the configured prefix's.
        dirs << appDir + QLatin1String("/" STATESCOPE_RELATIVE_PLUGIN_DIR);
#endif
    }
#ifdef STATESCOPE_INSTALL_PLUGIN_DIR
    dirs << QStringLiteral(STATESCOPE_INSTALL_PLUGIN_DIR);
#endif
    for (QString& dir : dirs)
        dir = QDir::cleanPath(dir);
    dirs.removeDuplicates();
    return dirs;
}

struct LoadedEngine
{
    // Deliberately leaked, never unloaded: destroying the loader at exit would race LibTorch's own static
    // destructors, and the engine is needed until the process ends anyway.
    QPluginLoader* loader = nullptr;
    TensorEngine* engine = nullptr;
    QString error;
};

LoadedEngine load()
{
    LoadedEngine result;
    const QString fileName = QStringLiteral(STATESCOPE_TORCH_PLUGIN_FILE);
    QStringList looked;
    for (const QString& dir : candidateDirectories()) {
        const QString candidate = QDir::cleanPath(QDir(dir).absoluteFilePath(fileName));
        looked << candidate;
        if (!QFileInfo::exists(candidate))
            continue;
        // An absolute path: QPluginLoader must not search the library path for some other build's plugin.
        auto* loader = new QPluginLoader(candidate);
        QObject* instance = loader->instance();
        if (!instance) {
            result.error = QLatin1String("cannot load the LibTorch tensor engine ") + candidate + QLatin1String(": ") +
                           loader->errorString();
            delete loader;
            return result;
        }
        result.engine = qobject_cast<TensorEngine*>(instance);
        if (!result.engine) {
            result.error = candidate + QLatin1String(" is not a StateScope tensor engine of this version (expected ") +
                           QLatin1String(StateScopeTensorEngine_iid) + QLatin1Char(')');
            loader->unload();
            delete loader;
            return result;
        }
        // The first caller is often a worker thread that ends before the process does; the engine object
        // outlives it, so give it to the application thread.
        if (QCoreApplication::instance())
            instance->moveToThread(QCoreApplication::instance()->thread());
        result.loader = loader;
        return result;
    }
    result.error = QLatin1String("the LibTorch tensor engine (") + fileName + QLatin1String(") is not installed; looked in ") +
                   looked.join(QLatin1String(", "));
#ifndef STATESCOPE_INSTALL_PLUGIN_DIR
    result.error += QLatin1String(" (this build has STATESCOPE_WITH_TORCH=OFF)");
#endif
    return result;
}

} // namespace

TensorEngine* tensorEngine(QString* error)
{
    // A function-local static is initialised exactly once even when threads race to the first call.
    static const LoadedEngine loaded = load();
    if (!loaded.engine && error)
        *error = loaded.error;
    return loaded.engine;
}

} // namespace statescope
