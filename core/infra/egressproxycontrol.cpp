#include "core/infra/egressproxycontrol.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace bc::infra {

namespace {

// 0 when the socket accepts a connection, else the errno of the failure.
int connectError(const QString &path)
{
    const QByteArray p = QFile::encodeName(path);
    sockaddr_un addr{};
    if (p.size() >= qsizetype(sizeof addr.sun_path))
        return ENAMETOOLONG;
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, p.constData(), size_t(p.size()));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    const int rc = ::connect(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr);
    const int error = rc == 0 ? 0 : errno;
    ::close(fd);
    return error;
}

} // namespace

VoidResult EgressProxyControl::runReloadCommand(const QString &command, int timeoutMs)
{
    const QStringList argv = QProcess::splitCommand(command);
    if (argv.isEmpty())
        return Error(Error::Kind::Invalid, u"egress reload command: is empty"_s);
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(argv.first(), argv.mid(1));
    if (!p.waitForStarted(10000))
        return Error(Error::Kind::Io, u"egress reload command %1 did not start: %2"_s.arg(
                                          argv.first(), p.errorString()));
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        return Error(Error::Kind::Timeout,
                     u"egress reload command %1 did not finish within %2 s"_s.arg(argv.first())
                         .arg(timeoutMs / 1000));
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        const QList<QByteArray> lines = p.readAll().trimmed().split('\n');
        const QString last = QString::fromUtf8(lines.last()).left(300);
        return Error(Error::Kind::Server,
                     u"egress reload command %1 failed (exit %2)%3"_s.arg(argv.first())
                         .arg(p.exitCode())
                         .arg(last.isEmpty() ? QString() : u": "_s + last));
    }
    return {};
}

VoidResult EgressProxyControl::signalReload(const QString &pidFile)
{
    QFile f(pidFile);
    if (!f.open(QIODevice::ReadOnly))
        return Error(Error::Kind::Io,
                     u"cannot read the proxy's pid file %1: %2"_s.arg(pidFile, f.errorString()));
    bool ok = false;
    // HAProxy -W -p writes the master's pid on the first line.
    const qint64 pid = f.readLine(64).trimmed().toLongLong(&ok);
    if (!ok || pid <= 1)
        return Error(Error::Kind::Invalid, u"%1 holds no process id"_s.arg(pidFile));
    if (::kill(pid_t(pid), SIGUSR2) != 0)
        return Error(Error::Kind::Io, u"cannot signal the proxy (pid %1): %2"_s.arg(pid).arg(
                                          QString::fromLocal8Bit(std::strerror(errno))));
    return {};
}

VoidResult EgressProxyControl::waitForSockets(const QStringList &paths, int timeoutMs)
{
    QDeadlineTimer deadline(qMax(0, timeoutMs));
    for (;;) {
        QStringList missing;
        int firstError = 0;
        for (const QString &p : paths) {
            if (const int e = connectError(p); e != 0) {
                missing << p;
                firstError = firstError ? firstError : e;
            }
        }
        if (missing.isEmpty())
            return {};
        if (deadline.hasExpired()) {
            // EACCES: the sockets are there but this user is not in their group.
            const QString why = firstError == EACCES
                                    ? u"permission denied: is this user in the egress group?"_s
                                    : QString::fromLocal8Bit(std::strerror(firstError));
            return Error(
                Error::Kind::Timeout,
                u"the egress proxy does not serve %1 after %2 s (%3)"_s.arg(missing.join(u", "_s))
                    .arg(timeoutMs / 1000.0)
                    .arg(why));
        }
        QThread::msleep(100);
    }
}

} // namespace bc::infra
