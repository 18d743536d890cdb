#include "core/util/keychainloader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLibrary>

#include <mutex>

#include <sys/stat.h>
#include <unistd.h>

namespace bc::util {

namespace {

const QString ModuleFile = QStringLiteral("libbox-keychain.so");

// Where CMake puts the module, relative to the build directory and to the prefix.
const QString ModuleSubdir = QStringLiteral("lib/box-console");

Error refuse(const QString &path, const QString &why)
{
    return Error(Error::Kind::Invalid,
                 QStringLiteral("refusing to load keychain module %1: %2").arg(path, why));
}

// Who may have put this file or directory there: root or this process's user, and nobody
// else through write permission. A sticky directory further up (like /tmp) is fine: others
// cannot rename or replace what they do not own in it.
VoidResult checkNode(const QString &requested, const QString &node, bool directory,
                     bool stickyAllowed)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(node).constData(), &st) != 0)
        return refuse(requested, QStringLiteral("cannot read %1").arg(node));
    if (directory ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
        return refuse(requested, QStringLiteral("%1 is not a regular %2")
                                     .arg(node, directory ? QStringLiteral("directory")
                                                          : QStringLiteral("file")));
    const uid_t me = ::geteuid();
    if (st.st_uid != 0 && st.st_uid != me) {
        return refuse(requested, QStringLiteral("%1 is owned by uid %2, neither root nor uid %3")
                                     .arg(node)
                                     .arg(st.st_uid)
                                     .arg(me));
    }
    const bool sharedWrite = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
    if (sharedWrite && !(stickyAllowed && (st.st_mode & S_ISVTX)))
        return refuse(requested, QStringLiteral("%1 is writable by its group or others").arg(node));
    return {};
}

bool isInside(const QString &path, const QString &dir)
{
    return path.startsWith(dir.endsWith(QLatin1Char('/')) ? dir : dir + QLatin1Char('/'));
}

} // namespace

QStringList KeychainLoader::searchPaths(const QString &executablePath, const QString &buildDir)
{
    // The real executable: a link to it elsewhere (or a copy's old name) changes nothing.
    const QString exe = QFileInfo(executablePath).canonicalFilePath();
    if (exe.isEmpty())
        return {};
    QStringList dirs{QDir::cleanPath(QFileInfo(exe).path() + u"/../" + ModuleSubdir)};
    // The build tree only for a program that runs from it (tests, a developer's build):
    // an installed binary must not load whatever now sits at the path it was built in.
    const QString build = buildDir.isEmpty() ? QString() : QFileInfo(buildDir).canonicalFilePath();
    if (!build.isEmpty() && isInside(exe, build)) {
        const QString dir = QDir::cleanPath(build + u'/' + ModuleSubdir);
        if (!dirs.contains(dir))
            dirs << dir;
    }
    return dirs;
}

VoidResult KeychainLoader::checkModule(const QString &path)
{
    const QString real = QFileInfo(path).canonicalFilePath();
    if (real.isEmpty())
        return Error(Error::Kind::NotFound, QStringLiteral("no keychain module at %1").arg(path));
    if (auto ok = checkNode(path, real, false, false); !ok)
        return ok;
    QString dir = QFileInfo(real).path();
    bool parent = true;
    for (;;) {
        if (auto ok = checkNode(path, dir, true, !parent); !ok)
            return ok;
        if (dir == u"/")
            break;
        dir = QFileInfo(dir).path();
        parent = false;
    }
    return {};
}

KeychainBackend *KeychainLoader::backend(QString *error)
{
    static KeychainBackend *loaded = nullptr;
    static QString loadError;
    static std::once_flag once;
    std::call_once(once, [] {
        QString buildDir;
#ifdef BOX_BUILD_DIR
        buildDir = QStringLiteral(BOX_BUILD_DIR);
#endif
        QString exe = QFileInfo(QStringLiteral("/proc/self/exe")).canonicalFilePath();
        if (exe.isEmpty() && QCoreApplication::instance())
            exe = QCoreApplication::applicationFilePath();
        const QStringList dirs = searchPaths(exe, buildDir);
        QStringList failures;
        for (const QString &dir : dirs) {
            const QString path = dir + u'/' + ModuleFile;
            if (auto ok = checkModule(path); !ok) {
                failures << ok.error().message();
                continue;
            }
            // What was checked is what is loaded: the link's target, not the link.
            QLibrary library(QFileInfo(path).canonicalFilePath());
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
        if (dirs.isEmpty())
            failures << QStringLiteral("the executable's path is unknown");
        loadError = QStringLiteral("keychain module not loaded (%1)").arg(failures.join(u"; "));
    });
    if (!loaded && error)
        *error = loadError;
    return loaded;
}

} // namespace bc::util
