#include "core/infra/egresssocketdirs.h"

#include "core/security/egresslayout.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace bc::infra {

namespace {

Error ioError(const QString &what, const QString &path)
{
    return Error(Error::Kind::Io,
                 u"%1 %2: %3"_s.arg(what, path, QString::fromLocal8Bit(std::strerror(errno))));
}

// mkdir if missing (never replaced), then mode 0750 and the group.
VoidResult ensureDir(const QString &path, int gid, QStringList *actions)
{
    const QByteArray p = QFile::encodeName(path);
    struct stat st
    {
    };
    if (::lstat(p.constData(), &st) != 0) {
        if (errno != ENOENT)
            return ioError(u"cannot inspect"_s, path);
        if (::mkdir(p.constData(), 0750) != 0)
            return ioError(u"cannot create"_s, path);
        if (actions)
            *actions << u"created %1"_s.arg(path);
        if (::lstat(p.constData(), &st) != 0)
            return ioError(u"cannot inspect"_s, path);
    }
    // A symlink here would make the proxy bind (and the box mount) somewhere else.
    if (!S_ISDIR(st.st_mode))
        return Error(Error::Kind::Io, u"%1 exists and is not a directory"_s.arg(path));
    if (gid >= 0 && st.st_gid != gid_t(gid)) {
        if (::chown(p.constData(), uid_t(-1), gid_t(gid)) != 0)
            return ioError(u"cannot set the group of"_s, path);
        if (actions)
            *actions << u"group of %1 set to %2"_s.arg(path).arg(gid);
    }
    if ((st.st_mode & 07777) != 0750) {
        if (::chmod(p.constData(), 0750) != 0)
            return ioError(u"cannot set the mode of"_s, path);
        if (actions)
            *actions << u"mode of %1 set to 0750"_s.arg(path);
    }
    return {};
}

// A real directory (not a symlink) holding nothing but Unix sockets.
bool onlySockets(const QString &dir)
{
    struct stat st
    {
    };
    if (::lstat(QFile::encodeName(dir).constData(), &st) != 0 || !S_ISDIR(st.st_mode))
        return false;
    const QStringList entries =
        QDir(dir).entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot);
    for (const QString &e : entries) {
        if (::lstat(QFile::encodeName(dir + u'/' + e).constData(), &st) != 0 ||
            !S_ISSOCK(st.st_mode))
            return false;
    }
    return true;
}

} // namespace

VoidResult EgressSocketDirs::prepare(const QString &root, const QList<EgressGrant> &grants, int gid,
                                     QStringList *actions, QStringList *failedBoxes)
{
    if (!QDir::isAbsolutePath(root) || QDir::cleanPath(root) != root || root == u"/"_s)
        return Error(Error::Kind::Invalid,
                     u"socket dir: must be a clean absolute path other than /"_s);
    if (!QFileInfo(root).isDir() && !QDir().mkpath(root))
        return Error(Error::Kind::Io, u"cannot create %1"_s.arg(root));
    if (auto r = ensureDir(root, gid, actions); !r)
        return r;

    for (const EgressGrant &g : grants) {
        if (auto c = EgressGrants::check(g); !c)
            return c.error();
        const QString dir = security::EgressLayout::boxSocketDir(root, g.box);
        // One box's directory (made by someone else, a symlink) must not cost every other
        // box its egress: that box is left out of the config.
        if (auto r = ensureDir(dir, gid, actions); !r) {
            if (actions)
                *actions << u"box %1 left out: %2"_s.arg(g.box, r.error().message());
            if (failedBoxes)
                *failedBoxes << g.box;
            continue;
        }
        // Sockets of upstreams the box no longer has.
        const QStringList sockets = QDir(dir).entryList({u"*.sock"_s}, QDir::System | QDir::Files);
        for (const QString &s : sockets) {
            const QString upstream = s.chopped(5);
            if (!g.upstreams.contains(upstream) && QFile::remove(QDir(dir).filePath(s)) && actions)
                *actions << u"removed %1"_s.arg(QDir(dir).filePath(s));
        }
    }

    // Directories of boxes that have no grant any more.
    const QStringList entries = QDir(root).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &name : entries) {
        if (!EgressGrants::isBoxName(name))
            continue;
        const bool granted = std::any_of(grants.cbegin(), grants.cend(),
                                         [&](const EgressGrant &g) { return g.box == name; });
        if (granted)
            continue;
        const QString dir = security::EgressLayout::boxSocketDir(root, name);
        if (!onlySockets(dir)) {
            // Not one of ours (a root shared with other things): leave it alone.
            if (actions)
                *actions << u"left %1 alone: it holds more than sockets"_s.arg(dir);
            continue;
        }
        QDir d(dir);
        for (const QString &s : d.entryList(QDir::System | QDir::Files | QDir::Hidden))
            d.remove(s);
        if (QDir(root).rmdir(name)) {
            if (actions)
                *actions << u"removed %1"_s.arg(dir);
        } else if (actions) {
            *actions << u"could not remove %1"_s.arg(dir);
        }
    }
    return {};
}

} // namespace bc::infra
