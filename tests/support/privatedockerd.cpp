#include "support/privatedockerd.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QThread>

namespace bc::test {

PrivateDockerd::PrivateDockerd(const QString &name, const QString &subnet)
    : m_subnet(subnet)
{
    const QString tag = name + QString::number(QCoreApplication::applicationPid());
    // Short paths: containerd puts sockets under exec-root (108-byte sun_path limit).
    m_runDir = QStringLiteral("/tmp/bcd-%1").arg(tag);
    m_dataRoot = QStringLiteral("/var/lib/bc-test-dockerd-%1").arg(tag);
    m_namespace = QStringLiteral("bctest-%1").arg(tag);
    m_bridge = QStringLiteral("bc%1").arg(tag).left(15);
    QDir().mkpath(m_runDir);
}

PrivateDockerd::~PrivateDockerd()
{
    stop();
    deleteBridge();
    QDir(m_dataRoot).removeRecursively();
    QDir(m_runDir).removeRecursively();
}

QString PrivateDockerd::socketPath() const
{
    return m_runDir + QStringLiteral("/docker.sock");
}

bool PrivateDockerd::createBridge()
{
    const QString ip = QStringLiteral("ip");
    if (QProcess::execute(ip, {QStringLiteral("link"), QStringLiteral("show"), m_bridge}) == 0)
        return true;
    if (QProcess::execute(ip, {QStringLiteral("link"), QStringLiteral("add"), m_bridge,
                               QStringLiteral("type"), QStringLiteral("bridge")}) != 0)
        return false;
    return QProcess::execute(ip, {QStringLiteral("addr"), QStringLiteral("add"), m_subnet,
                                  QStringLiteral("dev"), m_bridge}) == 0;
}

void PrivateDockerd::deleteBridge()
{
    QProcess::execute(QStringLiteral("ip"),
                      {QStringLiteral("link"), QStringLiteral("del"), m_bridge});
}

bool PrivateDockerd::start(int timeoutMs)
{
    if (!createBridge())
        return false;
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(m_runDir + QStringLiteral("/dockerd.log"), QIODevice::Append);
    QStringList args{QStringLiteral("--data-root"),
                     m_dataRoot,
                     QStringLiteral("--exec-root"),
                     m_runDir + QStringLiteral("/x"),
                     QStringLiteral("-H"),
                     host(),
                     QStringLiteral("--pidfile"),
                     m_runDir + QStringLiteral("/docker.pid"),
                     QStringLiteral("--bridge"),
                     m_bridge,
                     QStringLiteral("--iptables=false"),
                     QStringLiteral("--ip-masq=false"),
                     QStringLiteral("--containerd-namespace"),
                     m_namespace,
                     QStringLiteral("--containerd-plugins-namespace"),
                     m_namespace + QStringLiteral("-plugins"),
                     QStringLiteral("--shutdown-timeout"),
                     QStringLiteral("1")};
    m_process.start(QStringLiteral("dockerd"), args + m_extraArgs);
    if (!m_process.waitForStarted(10000))
        return false;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        int code = -1;
        docker({QStringLiteral("version"), QStringLiteral("--format"),
                QStringLiteral("{{.Server.Version}}")},
               &code, nullptr, 5000);
        if (code == 0)
            return true;
        if (m_process.state() != QProcess::Running)
            return false;
        QThread::msleep(200);
    }
    return false;
}

void PrivateDockerd::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(30000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString PrivateDockerd::log() const
{
    QFile f(m_runDir + QStringLiteral("/dockerd.log"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll().right(3000));
}

QString PrivateDockerd::docker(const QStringList &args, int *exitCode, QString *errors,
                               int timeoutMs) const
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DOCKER_CONTEXT"));
    env.remove(QStringLiteral("DOCKER_TLS_VERIFY"));
    env.remove(QStringLiteral("DOCKER_CERT_PATH"));
    env.insert(QStringLiteral("DOCKER_HOST"), host());
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("docker"), args);
    const bool done = p.waitForFinished(timeoutMs);
    if (!done) {
        p.kill();
        p.waitForFinished(2000);
    }
    if (exitCode)
        *exitCode = done && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    if (errors)
        *errors = QString::fromUtf8(p.readAllStandardError());
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

} // namespace bc::test
