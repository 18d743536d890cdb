// ctest: labels=docker timeout=240
// The ssh:// transport against a real engine through a real sshd: an sshd this test starts
// on 127.0.0.1 at a free port (its own host key, sshd_config and authorized key), reached
// with key authentication and StrictHostKeyChecking against a known_hosts the test writes;
// the far side runs `docker system dial-stdio` against the machine's engine. Lists
// containers, follows events, runs boxctl as a process over ssh://, and a host key that
// does not match is refused with ssh's own words.
#include "core/docker/dockerclient.h"
#include "core/docker/endpointresolver.h"
#include "core/docker/eventstream.h"
#include "support/boxctlrunner.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace bc;
using namespace bc::docker;
using namespace bc::test;

namespace {

bool run(const QString &program, const QStringList &args, QString *log)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        *log += program + u' ' + args.join(u' ') + u'\n' + QString::fromUtf8(p.readAll());
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

class tst_SshEngine : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QProcess m_sshd;
    quint16 m_port = 0;
    LabelledCleanup m_cleanup;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // The client side: key, known_hosts and strict checking, all from one ssh_config.
    void writeClientConfig(const QString &knownHosts)
    {
        writeFile(path(QStringLiteral("ssh_config")),
                  QStringLiteral("Host 127.0.0.1\n"
                                 "  IdentityFile %1\n  IdentitiesOnly yes\n"
                                 "  UserKnownHostsFile %2\n  GlobalKnownHostsFile /dev/null\n"
                                 "  StrictHostKeyChecking yes\n  BatchMode yes\n"
                                 "  CheckHostIP no\n")
                      .arg(path(QStringLiteral("client_key")), knownHosts)
                      .toUtf8());
    }

    http::Endpoint endpoint()
    {
        ResolveInputs in;
        in.env.insert(QStringLiteral("DOCKER_HOST"),
                      QStringLiteral("ssh://root@127.0.0.1:%1").arg(m_port));
        in.dockerConfigDir = path(QStringLiteral("docker-config"));
        auto r = EndpointResolver::resolve(in);
        if (!r)
            qFatal("%s", qPrintable(r.error().toString()));
        http::Endpoint e = r->endpoint;
        e.sshExtraArgs = {QStringLiteral("-F"), path(QStringLiteral("ssh_config"))};
        return e;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(geteuid() == 0, "sshd needs root");
        QVERIFY2(QFile::exists(QStringLiteral("/usr/sbin/sshd")),
                 "openssh-server is not installed");
        QVERIFY(dockerAvailable());
        QString log;
        QVERIFY2(run(QStringLiteral("ssh-keygen"),
                     {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                      QStringLiteral("-N"), QString(), QStringLiteral("-f"),
                      path(QStringLiteral("host_key"))},
                     &log) &&
                     run(QStringLiteral("ssh-keygen"),
                         {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                          QStringLiteral("-N"), QString(), QStringLiteral("-f"),
                          path(QStringLiteral("other_host_key"))},
                         &log) &&
                     run(QStringLiteral("ssh-keygen"),
                         {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                          QStringLiteral("-N"), QString(), QStringLiteral("-f"),
                          path(QStringLiteral("client_key"))},
                         &log),
                 qPrintable(log));
        {
            QTcpServer s;
            QVERIFY(s.listen(QHostAddress::LocalHost, 0));
            m_port = s.serverPort();
        }
        QFile::copy(path(QStringLiteral("client_key.pub")),
                    path(QStringLiteral("authorized_keys")));
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
        QVERIFY(m_sshd.waitForStarted(10000));
        QDeadlineTimer up(15000);
        bool listening = false;
        while (!listening && !up.hasExpired() && m_sshd.state() == QProcess::Running) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, m_port);
            listening = probe.waitForConnected(200);
            if (!listening)
                QTest::qWait(100);
        }
        QVERIFY2(listening, m_sshd.readAll().constData());
        writeFile(path(QStringLiteral("known_hosts")),
                  QByteArray("[127.0.0.1]:") + QByteArray::number(m_port) + ' ' +
                      readAll(path(QStringLiteral("host_key.pub"))));
        writeFile(path(QStringLiteral("wrong_known_hosts")),
                  QByteArray("[127.0.0.1]:") + QByteArray::number(m_port) + ' ' +
                      readAll(path(QStringLiteral("other_host_key.pub"))));
        writeClientConfig(path(QStringLiteral("known_hosts")));
    }

    void cleanupTestCase()
    {
        m_sshd.terminate();
        m_sshd.waitForFinished(10000);
    }

    void listOverSsh()
    {
        int code = -1;
        const QString id = runDocker({QStringLiteral("create"), QStringLiteral("--label"),
                                      testLabel(), QStringLiteral("--network"),
                                      QStringLiteral("none"), testImage(), QStringLiteral("true")},
                                     &code);
        QCOMPARE(code, 0);
        DockerClient client(endpoint());
        QVERIFY_RESULT(await(client.ping()));
        Filters f;
        f.insert(QStringLiteral("label"), {testLabel()});
        const auto list = await(client.listContainers(true, f));
        QVERIFY_RESULT(list);
        bool found = false;
        for (const auto &c : list.value())
            found = found || c.id == id;
        QVERIFY(found);
    }

    void eventsOverSsh()
    {
        DockerClient client(endpoint());
        Filters f;
        f.insert(QStringLiteral("type"), {QStringLiteral("volume")});
        // Volume events carry no labels: filter by the volume's name.
        const QString name = uniqueName(QStringLiteral("bc-ssh-ev"));
        f.insert(QStringLiteral("volume"), {name});
        EventStream *stream = client.events(f);
        bool connected = false;
        QStringList seen;
        connect(stream, &EventStream::connected, this, [&] { connected = true; });
        connect(stream, &EventStream::eventReceived, this,
                [&](const Event &e) { seen << e.action + u' ' + e.actorId; });
        QDeadlineTimer deadline(20000);
        while (!connected && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QVERIFY(connected);
        int code = -1;
        runDocker({QStringLiteral("volume"), QStringLiteral("create"), QStringLiteral("--label"),
                   testLabel(), name},
                  &code);
        QCOMPARE(code, 0);
        QDeadlineTimer seenBy(20000);
        while (!seen.contains(QStringLiteral("create ") + name) && !seenBy.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QVERIFY2(seen.contains(QStringLiteral("create ") + name), qPrintable(seen.join(u',')));
        stream->cancel();
    }

    // boxctl over ssh:// as a user runs it: ssh reads the test's ssh_config through a
    // wrapper first in PATH (ssh takes ~/.ssh from the password database, not from $HOME).
    void boxctlOverSsh()
    {
        const QString bin = path(QStringLiteral("bin"));
        QDir().mkpath(bin);
        writeFile(bin + QStringLiteral("/ssh"),
                  QStringLiteral("#!/bin/sh\nexec /usr/bin/ssh -F %1 \"$@\"\n")
                      .arg(path(QStringLiteral("ssh_config")))
                      .toUtf8());
        QFile::setPermissions(bin + QStringLiteral("/ssh"),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QProcessEnvironment env = isolatedEnvironment(path(QStringLiteral("home")));
        env.insert(QStringLiteral("PATH"), bin + u':' + env.value(QStringLiteral("PATH")));
        env.insert(QStringLiteral("DOCKER_HOST"),
                   QStringLiteral("ssh://root@127.0.0.1:%1").arg(m_port));
        const BoxctlRun r =
            runBoxctl({QStringLiteral("ps"), QStringLiteral("-a"), QStringLiteral("--filter"),
                       QStringLiteral("label=") + testLabel(), QStringLiteral("--json")},
                      env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY(!r.json().array().isEmpty());
        const BoxctlRun v = runBoxctl({QStringLiteral("version"), QStringLiteral("--json")}, env);
        QVERIFY2(v.exitCode == 0, qPrintable(v.describe()));
        QCOMPARE(v.json()[u"Client"][u"Endpoint"].toString(),
                 QStringLiteral("ssh://root@127.0.0.1:%1").arg(m_port));
    }

    void wrongHostKeyIsRefused()
    {
        writeClientConfig(path(QStringLiteral("wrong_known_hosts")));
        DockerClient client(endpoint());
        const auto r = await(client.ping());
        writeClientConfig(path(QStringLiteral("known_hosts")));
        QVERIFY(!r);
        QVERIFY2(r.error().toString().contains(u"Host key verification failed") ||
                     r.error().toString().contains(u"HOST IDENTIFICATION HAS CHANGED"),
                 qPrintable(r.error().toString()));
    }
};

QTEST_GUILESS_MAIN(tst_SshEngine)
#include "tst_sshengine.moc"
