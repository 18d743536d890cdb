#include "core/security/hostpaths_p.h"

#include <QDir>
#include <QFileInfo>
#include <QStringList>

using namespace Qt::Literals::StringLiterals;

namespace bc::security::internal {

namespace {

bool isDockerSocketText(const QString &path);
bool isSensitiveText(const QString &path);

} // namespace

QString resolvedHostPath(const QString &hostPath)
{
    const QString clean = QDir::cleanPath(hostPath);
    if (!clean.startsWith(u'/'))
        return clean;
    // The longest prefix that exists, with its symlinks resolved, plus the rest as written:
    // a path need not exist yet to point into a sensitive tree through a symlinked parent.
    QString existing = clean;
    QStringList rest;
    while (existing != u"/"_s && !QFileInfo::exists(existing)) {
        const QFileInfo info(existing);
        rest.prepend(info.fileName());
        existing = info.path();
    }
    const QString canonical = QFileInfo(existing).canonicalFilePath();
    if (canonical.isEmpty())
        return clean;
    return QDir::cleanPath(rest.isEmpty() ? canonical : canonical + u'/' + rest.join(u'/'));
}

bool isDockerSocketPath(const QString &hostPath)
{
    // Both the text and what it resolves to on this host: a symlink named harmlessly can
    // point at the engine's socket or a system tree.
    return isDockerSocketText(QDir::cleanPath(hostPath)) ||
           isDockerSocketText(resolvedHostPath(hostPath));
}

bool isSensitiveHostPath(const QString &hostPath)
{
    return isSensitiveText(QDir::cleanPath(hostPath)) ||
           isSensitiveText(resolvedHostPath(hostPath));
}

namespace {

bool isDockerSocketText(const QString &path)
{
    static const QStringList sockets = {u"docker.sock"_s, u"containerd.sock"_s, u"podman.sock"_s,
                                        u"dockershim.sock"_s, u"crio.sock"_s};
    if (sockets.contains(QFileInfo(path).fileName()))
        return true;
    static const QStringList dirs = {u"/run"_s,
                                     u"/var/run"_s,
                                     u"/run/docker"_s,
                                     u"/var/run/docker"_s,
                                     u"/run/containerd"_s,
                                     u"/var/run/containerd"_s,
                                     u"/run/podman"_s,
                                     u"/var/run/podman"_s,
                                     u"/var/lib/docker"_s};
    return dirs.contains(path);
}

bool isSensitiveText(const QString &path)
{
    if (path == u"/"_s || path.isEmpty())
        return true;
    // /run itself holds the engine sockets, but per-box egress directories live below it
    // (/run/egress/<box>), so only its dangerous children are trees.
    static const QStringList exact = {u"/run"_s, u"/var/run"_s, u"/var"_s, u"/var/lib"_s};
    if (exact.contains(path))
        return true;
    static const QStringList trees = {
        u"/boot"_s,
        u"/dev"_s,
        u"/etc"_s,
        u"/lib"_s,
        u"/lib32"_s,
        u"/lib64"_s,
        u"/proc"_s,
        u"/sys"_s,
        u"/usr"_s,
        u"/bin"_s,
        u"/sbin"_s,
        u"/root"_s,
        u"/home"_s,
        u"/var/lib/docker"_s,
        u"/var/lib/containerd"_s,
        u"/var/log"_s,
        u"/run/docker"_s,
        u"/run/containerd"_s,
        u"/run/podman"_s,
        u"/run/systemd"_s,
        u"/run/dbus"_s,
        u"/run/user"_s,
        u"/var/run/docker"_s,
        u"/var/run/containerd"_s,
        u"/var/run/dbus"_s,
    };
    for (const QString &t : trees) {
        if (path == t || path.startsWith(t + u'/'))
            return true;
    }
    return false;
}

} // namespace

} // namespace bc::security::internal
