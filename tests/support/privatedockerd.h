#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

namespace bc::test {

// A dockerd of the test's own: own data-root, exec-root, pidfile, unix socket, containerd
// namespace and bridge (never `--bridge none`: dockerd then deletes the host's docker0),
// no iptables. Stopping or restarting it cuts off nobody else. Needs root and dockerd.
class PrivateDockerd
{
public:
    // `name` keeps the paths of two private daemons in one run apart; `subnet` is the
    // bridge's address (a /24 no other test uses, e.g. "10.213.214.1/24").
    PrivateDockerd(const QString &name, const QString &subnet);
    ~PrivateDockerd();
    PrivateDockerd(const PrivateDockerd &) = delete;
    PrivateDockerd &operator=(const PrivateDockerd &) = delete;

    // Extra dockerd arguments (-H tcp://…, --tlsverify, …), kept across restarts.
    void setExtraArgs(const QStringList &args) { m_extraArgs = args; }

    // Starts dockerd and waits until its unix socket answers /_ping (curl-free: the docker
    // CLI). False with the reason in log().
    bool start(int timeoutMs = 60000);
    // SIGTERM to this daemon's own process id, as a service stop does.
    void stop();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

    QString socketPath() const;
    QString host() const { return QStringLiteral("unix://") + socketPath(); }
    QString runDir() const { return m_runDir; }
    // The tail of dockerd's own log.
    QString log() const;
    // Runs the docker CLI against this daemon.
    QString docker(const QStringList &args, int *exitCode = nullptr, QString *errors = nullptr,
                   int timeoutMs = 120000) const;

private:
    bool createBridge();
    void deleteBridge();

    QProcess m_process;
    QString m_runDir;
    QString m_dataRoot;
    QString m_namespace;
    QString m_bridge;
    QString m_subnet;
    QStringList m_extraArgs;
};

} // namespace bc::test
