#include "support/sshdfixture.h"

#include "support/testutil.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <unistd.h>

namespace bc::test {

namespace {

bool run(const QStringList &args, QString *error)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("ssh-keygen"), args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        *error = QStringLiteral("ssh-keygen ") + args.join(u' ') + u'\n' +
                 QString::fromUtf8(p.readAll());
        return false;
    }
    return true;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

} // namespace

SshdFixture::~SshdFixture()
{
    stop();
}

bool SshdFixture::start(QString *error)
{
    if (geteuid() != 0) {
        *error = QStringLiteral("sshd needs root");
        return false;
    }
    if (!QFile::exists(QStringLiteral("/usr/sbin/sshd"))) {
        *error = QStringLiteral("openssh-server is not installed");
        return false;
    }
    for (const char *key : {"host_key", "other_host_key", "client_key"})
        if (!run({QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                  QStringLiteral("-N"), QString(), QStringLiteral("-f"),
                  path(QString::fromLatin1(key))},
                 error))
            return false;
    {
        QTcpServer s;
        if (!s.listen(QHostAddress::LocalHost, 0)) {
            *error = QStringLiteral("no free port");
            return false;
        }
        m_port = s.serverPort();
    }
    QFile::copy(path(QStringLiteral("client_key.pub")), path(QStringLiteral("authorized_keys")));
    writeFile(path(QStringLiteral("sshd_config")),
              QStringLiteral("Port %1\nListenAddress 127.0.0.1\nHostKey %2\nPidFile %3\n"
                             "AuthorizedKeysFile %4\nPasswordAuthentication no\n"
                             "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
                             "PermitRootLogin prohibit-password\nAllowUsers root\n"
                             "SetEnv PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
                             "/sbin:/bin\n")
                  .arg(m_port)
                  .arg(path(QStringLiteral("host_key")), path(QStringLiteral("sshd.pid")),
                       path(QStringLiteral("authorized_keys")))
                  .toUtf8());
    // sshd's privilege separation directory; Debian's service creates it at boot.
    QDir().mkpath(QStringLiteral("/run/sshd"));
    m_sshd.setProcessChannelMode(QProcess::MergedChannels);
    m_sshd.start(QStringLiteral("/usr/sbin/sshd"),
                 {QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"),
                  path(QStringLiteral("sshd_config"))});
    if (!m_sshd.waitForStarted(10000)) {
        *error = QStringLiteral("sshd did not start: ") + m_sshd.errorString();
        return false;
    }
    QDeadlineTimer up(15000);
    bool listening = false;
    while (!listening && !up.hasExpired() && m_sshd.state() == QProcess::Running) {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, m_port);
        listening = probe.waitForConnected(200);
        if (!listening)
            QTest::qWait(100);
    }
    if (!listening) {
        *error = QStringLiteral("sshd does not listen: ") + QString::fromUtf8(m_sshd.readAll());
        return false;
    }
    const QByteArray host = QByteArray("[127.0.0.1]:") + QByteArray::number(m_port) + ' ';
    writeFile(knownHosts(), host + readAll(path(QStringLiteral("host_key.pub"))));
    writeFile(wrongKnownHosts(), host + readAll(path(QStringLiteral("other_host_key.pub"))));
    return true;
}

void SshdFixture::stop()
{
    if (m_sshd.state() == QProcess::NotRunning)
        return;
    m_sshd.terminate();
    m_sshd.waitForFinished(10000);
}

} // namespace bc::test
