// ctest: labels=docker;podman timeout=300
// Podman's Docker-compatible API (`podman system service`, Debian 12's Podman 4.3) as an
// engine: ping, version, list, create, start, inspect, logs, events, stop, delete through
// DockerClient, and boxctl as a process. The service runs as root on a socket of its own,
// with its own storage root and run root; its only image comes from `podman load` of a
// `docker save` of the test image (nothing is pulled).
//
// Podman as root raises RLIMIT_NOFILE and RLIMIT_NPROC of every container to 1048576
// unless containers.conf names default ulimits; where the hard limits are lower (a
// container or a CI sandbox) runc then refuses to start anything ("error setting rlimit
// type 7"). The containers.conf written here sets them, as such a machine needs.
#include "core/docker/dockerclient.h"
#include "core/docker/eventstream.h"
#include "support/boxctlrunner.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace bc;
using namespace bc::docker;
using namespace bc::test;

class tst_PodmanEngine : public QObject
{
    Q_OBJECT

    QString m_dir;
    QProcess m_service;
    std::unique_ptr<DockerClient> m_client;
    QString m_id;
    const QString m_name = QStringLiteral("bc-podman-one");

    QString socketPath() const { return m_dir + QStringLiteral("/podman.sock"); }

    QStringList podmanArgs() const
    {
        return {QStringLiteral("--root"), m_dir + QStringLiteral("/root"),
                QStringLiteral("--runroot"), m_dir + QStringLiteral("/run")};
    }

    QProcessEnvironment podmanEnv() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("CONTAINERS_CONF"), m_dir + QStringLiteral("/containers.conf"));
        return env;
    }

    int podman(const QStringList &args, QString *output = nullptr)
    {
        QProcess p;
        p.setProcessEnvironment(podmanEnv());
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral("podman"), podmanArgs() + args);
        if (!p.waitForFinished(120000))
            return -1;
        if (output)
            *output = QString::fromUtf8(p.readAll());
        return p.exitCode();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(geteuid() == 0, "podman runs as root here");
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("podman")).isEmpty(),
                 "podman is not installed");
        QVERIFY(dockerAvailable());
        m_dir = QStringLiteral("/tmp/bcpod-%1").arg(QCoreApplication::applicationPid());
        QDir(m_dir).removeRecursively();
        QVERIFY(QDir().mkpath(m_dir));
        writeFile(m_dir + QStringLiteral("/containers.conf"),
                  "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]\n"
                  "[engine]\ncgroup_manager = \"cgroupfs\"\nevents_logger = \"file\"\n");
        const QString tar = m_dir + QStringLiteral("/busybox.tar");
        int code = -1;
        QString out;
        runDocker({QStringLiteral("save"), QStringLiteral("-o"), tar, testImage()}, &code, &out);
        QVERIFY2(code == 0, qPrintable(out));
        QVERIFY2(podman({QStringLiteral("load"), QStringLiteral("-i"), tar}, &out) == 0,
                 qPrintable(out));

        m_service.setProcessEnvironment(podmanEnv());
        m_service.setProcessChannelMode(QProcess::MergedChannels);
        m_service.setStandardOutputFile(m_dir + QStringLiteral("/service.log"));
        m_service.start(QStringLiteral("podman"),
                        podmanArgs() + QStringList{QStringLiteral("system"),
                                                   QStringLiteral("service"),
                                                   QStringLiteral("--time=0"),
                                                   QStringLiteral("unix://") + socketPath()});
        QVERIFY(m_service.waitForStarted(10000));
        http::Endpoint e;
        e.socketPath = socketPath();
        m_client = std::make_unique<DockerClient>(e);
        QDeadlineTimer up(30000);
        while (!await(m_client->ping(), 5000).ok() && !up.hasExpired())
            QTest::qWait(200);
        QVERIFY_RESULT(await(m_client->ping()));
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_service.terminate();
        if (!m_service.waitForFinished(20000)) {
            m_service.kill();
            m_service.waitForFinished(5000);
        }
        podman({QStringLiteral("system"), QStringLiteral("reset"), QStringLiteral("--force")});
        QDir(m_dir).removeRecursively();
    }

    void version()
    {
        const auto v = await(m_client->version());
        QVERIFY_RESULT(v);
        QVERIFY2(v->version.startsWith(u"4."), qPrintable(v->version));
        QVERIFY(!v->negotiatedApiVersion.isEmpty());
    }

    void createStartInspectEvents()
    {
        Filters f;
        f.insert(QStringLiteral("type"), {QStringLiteral("container")});
        f.insert(QStringLiteral("container"), {m_name});
        EventStream *stream = m_client->events(f);
        bool connected = false;
        QStringList actions;
        connect(stream, &EventStream::connected, this, [&] { connected = true; });
        connect(stream, &EventStream::eventReceived, this,
                [&](const Event &e) { actions << e.action; });
        QDeadlineTimer deadline(20000);
        while (!connected && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QVERIFY(connected);

        const nlohmann::json body = {{"Image", testImage().toStdString()},
                                     {"Cmd", {"sh", "-c", "echo podman-out; sleep 300"}},
                                     {"Labels", {{"box-console.test", "1"}}},
                                     {"HostConfig", {{"NetworkMode", "none"}}}};
        const auto created = await(m_client->createContainer(m_name, body));
        QVERIFY_RESULT(created);
        m_id = created->id;
        QVERIFY_RESULT(await(m_client->startContainer(m_id)));
        const auto inspect = await(m_client->inspectContainer(m_name));
        QVERIFY_RESULT(inspect);
        QCOMPARE(inspect->id, m_id);
        QVERIFY(inspect->running);

        const auto list = await(m_client->listContainers(false));
        QVERIFY_RESULT(list);
        QCOMPARE(list->size(), 1);
        QCOMPARE(list->first().id, m_id);
        QCOMPARE(list->first().labels.value(QStringLiteral("box-console.test")),
                 QStringLiteral("1"));

        QDeadlineTimer seen(20000);
        while (!(actions.contains(u"create") && actions.contains(u"start")) && !seen.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QVERIFY2(actions.contains(u"create") && actions.contains(u"start"),
                 qPrintable(actions.join(u',')));
        stream->cancel();
    }

    void boxctlAgainstPodman()
    {
        QTemporaryDir home;
        QProcessEnvironment env = isolatedEnvironment(home.path());
        env.insert(QStringLiteral("DOCKER_HOST"), QStringLiteral("unix://") + socketPath());
        BoxctlRun r = runBoxctl({QStringLiteral("ps"), QStringLiteral("--json")}, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.json().array().at(0)[u"Id"].toString(), m_id);
        r = runBoxctl({QStringLiteral("logs"), m_name}, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.out, QByteArray("podman-out\n"));
        r = runBoxctl(
            {QStringLiteral("stats"), QStringLiteral("--no-stream"), QStringLiteral("--json")},
            env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.json().array().at(0)[u"ID"].toString(), m_id);
        QVERIFY(r.json().array().at(0)[u"PIDs"].toDouble() >= 1);
    }

    void stopAndDelete()
    {
        QVERIFY_RESULT(await(m_client->stopContainer(m_id, 1)));
        const auto stopped = await(m_client->inspectContainer(m_id));
        QVERIFY_RESULT(stopped);
        QVERIFY(!stopped->running);
        QVERIFY_RESULT(await(m_client->removeContainer(m_id, true, true)));
        const auto gone = await(m_client->inspectContainer(m_id));
        QVERIFY(!gone);
        QCOMPARE(gone.error().kind(), Error::Kind::NotFound);
        const auto list = await(m_client->listContainers(true));
        QVERIFY_RESULT(list);
        QVERIFY(list->isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_PodmanEngine)
#include "tst_podmanengine.moc"
