// ctest: labels=docker;slow;boximage timeout=900
// infrastructure/docker-compose.dev.yml brought up with Debian 12's docker-compose (1.29)
// the way its header says, offline: the images are built from the local contexts on the
// debootstrap base (made by build-debian-base.sh when missing), nothing is pulled. The box
// must turn healthy and answer on its loopback port, the egress proxy must answer on its
// sockets, and `down` must leave no container, network, volume or image behind.
//
// Under a project name, ports, image tags and secret file of this test; a small override
// file adds the test label to everything compose creates, so an aborted run is cleaned
// up like any other test's objects.
#include "support/paths.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

class tst_DevEnvironment : public QObject
{
    Q_OBJECT

private:
    QString m_docker;
    QString m_compose;
    QString m_project;
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    quint16 m_agentPort = 0;
    QString m_boxImage;
    QString m_proxyImage;

    QString composeFile() const
    {
        return bc::test::sourceDir() + QStringLiteral("/infrastructure/docker-compose.dev.yml");
    }

    int run(const QString &program, const QStringList &args, QByteArray *out = nullptr,
            int timeoutMs = 60000)
    {
        QProcess p;
        p.setProcessEnvironment(m_env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(program, args);
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished(5000);
            if (out)
                *out = p.readAll() + "\n(timed out)";
            return -1;
        }
        if (out)
            *out = p.readAll().trimmed();
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

    int compose(const QStringList &args, QByteArray *out = nullptr, int timeoutMs = 60000)
    {
        return run(m_compose,
                   QStringList{QStringLiteral("-p"), m_project, QStringLiteral("-f"), composeFile(),
                               QStringLiteral("-f"), m_dir.filePath(QStringLiteral("labels.yml"))} +
                       args,
                   out, timeoutMs);
    }

    QByteArray docker(const QStringList &args)
    {
        QByteArray out;
        run(m_docker, args, &out);
        return out;
    }

    QString containerOf(const QString &service)
    {
        QByteArray id;
        compose({QStringLiteral("ps"), QStringLiteral("-q"), service}, &id);
        return QString::fromLatin1(id.trimmed());
    }

    // Everything compose made for this project, by its project label.
    QStringList leftovers()
    {
        const QString filter = QStringLiteral("label=com.docker.compose.project=") + m_project;
        QStringList found;
        const QList<QStringList> queries{
            {QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--filter"), filter},
            {QStringLiteral("network"), QStringLiteral("ls"), QStringLiteral("-q"),
             QStringLiteral("--filter"), filter},
            {QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q"),
             QStringLiteral("--filter"), filter},
            {QStringLiteral("images"), QStringLiteral("-q"), m_boxImage},
            {QStringLiteral("images"), QStringLiteral("-q"), m_proxyImage},
        };
        for (const QStringList &q : queries) {
            const QByteArray out = docker(q);
            if (!out.isEmpty())
                found << q.join(u' ') + QStringLiteral(": ") + QString::fromLatin1(out);
        }
        return found;
    }

    static quint16 freePort()
    {
        QTcpServer s;
        return s.listen(QHostAddress::LocalHost) ? s.serverPort() : 0;
    }

    QByteArray httpGet(quint16 port, const QByteArray &path)
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (!socket.waitForConnected(3000))
            return {};
        socket.write("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
        QByteArray reply;
        while (socket.waitForReadyRead(3000))
            reply += socket.readAll();
        return reply;
    }

private slots:
    void initTestCase()
    {
        m_docker = QStandardPaths::findExecutable(QStringLiteral("docker"));
        m_compose = QStandardPaths::findExecutable(QStringLiteral("docker-compose"));
        QVERIFY2(!m_docker.isEmpty(), "docker CLI missing (scripts/setup.sh test installs it)");
        QVERIFY2(!m_compose.isEmpty(),
                 "docker-compose missing (scripts/setup.sh test installs Debian's)");
        QVERIFY(m_dir.isValid());
        m_env = QProcessEnvironment::systemEnvironment();
        // The classic builder needs no buildx plugin and never pulls FROM images.
        m_env.insert(QStringLiteral("DOCKER_BUILDKIT"), QStringLiteral("0"));
        m_env.insert(QStringLiteral("COMPOSE_DOCKER_CLI_BUILD"), QStringLiteral("0"));
        QByteArray out;
        QVERIFY2(run(m_docker, {QStringLiteral("version")}, &out) == 0, out.constData());

        const QString suffix = QString::number(QCoreApplication::applicationPid());
        m_project = QStringLiteral("bctest-dev-") + suffix;
        m_boxImage = QStringLiteral("bctest/dev-box:") + suffix;
        m_proxyImage = QStringLiteral("bctest/dev-proxy:") + suffix;
        m_agentPort = freePort();
        QVERIFY(m_agentPort > 0);
        m_env.insert(QStringLiteral("BOX_DEV_AGENT_PORT"), QString::number(m_agentPort));
        m_env.insert(QStringLiteral("BOX_DEV_CODE_PORT"), QString::number(freePort()));
        m_env.insert(QStringLiteral("BOX_DEV_SSH_PORT"), QString::number(freePort()));
        m_env.insert(QStringLiteral("BOX_DEV_BOX_IMAGE"), m_boxImage);
        m_env.insert(QStringLiteral("BOX_DEV_PROXY_IMAGE"), m_proxyImage);

        // Keys the proxy only injects upstream; this test never sends a request upstream.
        const QString secrets = m_dir.filePath(QStringLiteral("dev-secrets.env"));
        QFile s(secrets);
        QVERIFY(s.open(QIODevice::WriteOnly));
        s.write("ANTHROPIC_API_KEY=sk-ant-DEV-TEST-ONLY\nRESEND_API_KEY=re_DEV_TEST_ONLY\n");
        s.close();
        QVERIFY(s.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
        m_env.insert(QStringLiteral("BOX_DEV_SECRETS"), secrets);

        QFile labels(m_dir.filePath(QStringLiteral("labels.yml")));
        QVERIFY(labels.open(QIODevice::WriteOnly));
        labels.write("services:\n"
                     "  egress-proxy:\n"
                     "    labels: [box-console.test=1]\n"
                     "    build: {labels: [box-console.test=1]}\n"
                     "  test-box:\n"
                     "    labels: [box-console.test=1]\n"
                     "    build: {labels: [box-console.test=1]}\n"
                     "networks:\n"
                     "  default: {labels: [box-console.test=1]}\n"
                     "volumes:\n"
                     "  egress-sockets: {labels: [box-console.test=1]}\n"
                     "  dev-config: {labels: [box-console.test=1]}\n"
                     "  dev-cache: {labels: [box-console.test=1]}\n"
                     "  dev-inbox: {labels: [box-console.test=1]}\n");
        labels.close();

        // The Debian base both images build on is a cache shared with tst_boxbaseimage.
        if (run(m_docker, {QStringLiteral("image"), QStringLiteral("inspect"),
                           QStringLiteral("box-console/debian-base:bookworm")}) != 0) {
            QVERIFY2(run(bc::test::sourceDir() +
                             QStringLiteral("/infrastructure/box-base/build-debian-base.sh"),
                         {}, &out, 600000) == 0,
                     out.right(2000).constData());
        }
    }

    void cleanupTestCase()
    {
        if (m_project.isEmpty())
            return;
        compose({QStringLiteral("down"), QStringLiteral("-v"), QStringLiteral("--rmi"),
                 QStringLiteral("all"), QStringLiteral("--remove-orphans")},
                nullptr, 120000);
    }

    void composeAcceptsTheFile()
    {
        // The file alone, as a user runs it (the secret file need not exist for this).
        QByteArray out;
        QCOMPARE(run(m_compose,
                     {QStringLiteral("-p"), QStringLiteral("box-console-dev"), QStringLiteral("-f"),
                      composeFile(), QStringLiteral("config"), QStringLiteral("-q")},
                     &out),
                 0);
        QVERIFY2(out.isEmpty(), out.constData());
        QCOMPARE(compose({QStringLiteral("config"), QStringLiteral("-q")}, &out), 0);
    }

    void comesUpOfflineAndHealthy()
    {
        QByteArray out;
        const int rc = compose(
            {QStringLiteral("up"), QStringLiteral("-d"), QStringLiteral("--build")}, &out, 600000);
        QVERIFY2(rc == 0, out.right(3000).constData());
        QVERIFY2(!out.contains("Pulling"), out.right(3000).constData());

        const QString box = containerOf(QStringLiteral("test-box"));
        QVERIFY(!box.isEmpty());
        QByteArray health;
        QDeadlineTimer deadline(180000);
        while (!deadline.hasExpired()) {
            health = docker({QStringLiteral("inspect"), QStringLiteral("-f"),
                             QStringLiteral("{{.State.Health.Status}}"), box});
            if (health == "healthy" || health == "unhealthy")
                break;
            QTest::qWait(1000);
        }
        QVERIFY2(health == "healthy",
                 QByteArray(health + "\n" + docker({QStringLiteral("logs"), box}).right(2000))
                     .constData());

        // The box-agent through the published loopback port.
        const QByteArray reply = httpGet(m_agentPort, "/health");
        QVERIFY2(reply.startsWith("HTTP/1.") && reply.contains(" 200 "), reply.constData());

        // Hardened as the file says.
        QCOMPARE(docker({QStringLiteral("inspect"), QStringLiteral("-f"),
                         QStringLiteral("{{.Config.User}} {{.HostConfig.ReadonlyRootfs}} "
                                        "{{.HostConfig.CapDrop}}"),
                         box}),
                 QByteArrayLiteral("1000:1000 true [ALL]"));
    }

    void proxyAnswersOnItsSockets()
    {
        const QString proxy = containerOf(QStringLiteral("egress-proxy"));
        QVERIFY(!proxy.isEmpty());
        QCOMPARE(docker({QStringLiteral("inspect"), QStringLiteral("-f"),
                         QStringLiteral("{{.State.Status}} {{.RestartCount}}"), proxy}),
                 QByteArrayLiteral("running 0"));
        // A path no policy allows is refused by HAProxy itself (403) on every upstream
        // socket: the proxy runs its config, and nothing goes upstream.
        QByteArray out;
        QCOMPARE(
            compose({QStringLiteral("exec"), QStringLiteral("-T"), QStringLiteral("egress-proxy"),
                     QStringLiteral("sh"), QStringLiteral("-c"),
                     QStringLiteral("for s in $(find /run/box-egress -type s ! -name '.*'); "
                                    "do echo \"$s $(curl -s -o /dev/null -w '%{http_code}' "
                                    "--unix-socket \"$s\" http://localhost/bctest-denied)\"; "
                                    "done")},
                    &out),
            0);
        const QList<QByteArray> lines = out.split('\n');
        QVERIFY2(!out.isEmpty(), "the proxy has no upstream sockets");
        for (const QByteArray &line : lines)
            QVERIFY2(line.endsWith(" 403"), out.constData());
        // From the box, through its loopback forwarder and its socket directory, the same.
        QCOMPARE(compose({QStringLiteral("exec"), QStringLiteral("-T"), QStringLiteral("test-box"),
                          QStringLiteral("curl"), QStringLiteral("-s"), QStringLiteral("-o"),
                          QStringLiteral("/dev/null"), QStringLiteral("-w"),
                          QStringLiteral("%{http_code}"),
                          QStringLiteral("http://127.0.0.1:8081/bctest-denied")},
                         &out),
                 0);
        QCOMPARE(out, QByteArrayLiteral("403"));
        // The box sees the proxy's sockets, read-only.
        QCOMPARE(compose({QStringLiteral("exec"), QStringLiteral("-T"), QStringLiteral("test-box"),
                          QStringLiteral("sh"), QStringLiteral("-c"),
                          QStringLiteral("find /run/egress -type s | grep -q . && "
                                         "! touch /run/egress/x 2>/dev/null")},
                         &out),
                 0);
    }

    void downLeavesNothing()
    {
        QByteArray out;
        QVERIFY2(compose({QStringLiteral("down"), QStringLiteral("-v"), QStringLiteral("--rmi"),
                          QStringLiteral("all"), QStringLiteral("--remove-orphans")},
                         &out, 120000) == 0,
                 out.constData());
        const QStringList left = leftovers();
        QVERIFY2(left.isEmpty(), qPrintable(left.join(u'\n')));
        // Nothing answers on the box's port any more.
        QVERIFY(httpGet(m_agentPort, "/health").isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_DevEnvironment)
#include "tst_devenvironment.moc"
