#pragma once

#include "core/result.h"
#include "core/util/keychainbackend.h"

#include <QString>
#include <QStringList>

namespace bc::util {

// Finds and loads the keychain module (libbox-keychain.so) once per process, from the
// directories searchPaths() gives for the running executable, and only a file that
// checkModule() accepts.
class KeychainLoader
{
public:
    // nullptr with *error saying why when the module cannot be loaded.
    static KeychainBackend *backend(QString *error);

    // The directories searched for the module, in order, for a process whose executable is
    // executablePath (symbolic links resolved) and that was built in buildDir:
    // <real executable's dir>/../lib/box-console, then <buildDir>/lib/box-console only when
    // the real executable lies inside buildDir. Empty when the executable does not exist.
    static QStringList searchPaths(const QString &executablePath, const QString &buildDir);

    // Whether the module file at path may be loaded into this process: the file (a link's
    // target) and every directory above it owned by root or the effective user; neither
    // the file nor its directory writable by group or others, nor any directory further up
    // unless it is sticky (as /tmp is).
    static VoidResult checkModule(const QString &path);
};

} // namespace bc::util
