#include "core/util/keychainloader.h"

#include <QCoreApplication>
#include <QLibrary>

#include <mutex>

namespace bc::util {

KeychainBackend *KeychainLoader::backend(QString *error)
{
    static KeychainBackend *loaded = nullptr;
    static QString loadError;
    static std::once_flag once;
    std::call_once(once, [] {
        QStringList dirs;
        if (QCoreApplication::instance())
            dirs << QCoreApplication::applicationDirPath() + u"/../lib/box-console";
#ifdef BOX_BUILD_MODULE_DIR
        dirs << QStringLiteral(BOX_BUILD_MODULE_DIR);
#endif
        QStringList failures;
        for (const QString &dir : std::as_const(dirs)) {
            QLibrary library(dir + u"/libbox-keychain.so");
            if (!library.load()) {
                failures << library.errorString();
                continue;
            }
            auto entry =
                reinterpret_cast<BcKeychainBackendFn>(library.resolve(BC_KEYCHAIN_ENTRY_POINT));
            if (!entry) {
                failures << library.errorString();
                continue;
            }
            // Stays loaded for the rest of the process: the backend lives in it.
            loaded = entry();
            return;
        }
        loadError = QStringLiteral("keychain module not loaded (%1)").arg(failures.join(u"; "));
    });
    if (!loaded && error)
        *error = loadError;
    return loaded;
}

} // namespace bc::util
