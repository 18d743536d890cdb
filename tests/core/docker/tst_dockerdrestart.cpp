// ctest: labels=docker;dockerd-restart timeout=240
// A Docker daemon restarts while an event stream and a stats stream are open: the
// EventWatcher must notice, reconnect with backoff, re-negotiate, ask for a resync, and a
// model kept from re-lists plus events must end up exactly equal to the daemon's state.
//
// The daemon restarted here is a private dockerd that this test starts itself (own
// data-root, exec-root, socket, containerd namespace, its own bridge, no iptables) and stops
// by its own process id. Restarting the machine's shared dockerd would cut off everyone
// else using it; a private one exercises the same client code with no downtime for them.
// Needs root and the dockerd binary; skipped otherwise.

#include "core/docker/buildjob.h"
#include "core/docker/buildoptions.h"
#include "core/docker/dockerclient.h"
#include "core/docker/eventwatcher.h"
#include "core/docker/statsstream.h"
#include "support/testutil.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <optional>

#include <unistd.h>

using namespace bc;
using namespace bc::docker;
using bc::test::await;

namespace {

bool waitUntil(const std::function<bool()> &done, int timeoutMs = 20000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 20);
    return done();
}

class PrivateDaemon
{
public:
    PrivateDaemon()
    {
        const QString tag = QString::number(QCoreApplication::applicationPid());
        // Short paths: containerd puts sockets under exec-root (108-byte sun_path limit).
        m_runDir = QStringLiteral("/tmp/bcd-%1").arg(tag);
        m_dataRoot = QStringLiteral("/var/lib/bc-test-dockerd-%1").arg(tag);
        m_namespace = QStringLiteral("bctest-%1").arg(tag);
        m_bridge = QStringLiteral("bcd%1").arg(tag).left(15);
        QDir().mkpath(m_runDir);
    }
    ~PrivateDaemon()
    {
        stop();
        deleteBridge();
    }

    QString socketPath() const { return m_runDir + QStringLiteral("/docker.sock"); }

    // Never `--bridge none`: with it dockerd deletes the host's docker0 interface
    // (removeDefaultBridgeInterface), which breaks the shared daemon's default network.
    // The private daemon gets a bridge of its own, created here and deleted afterwards.
    bool createBridge()
    {
        const QString ip = QStringLiteral("ip");
        if (QProcess::execute(ip, {QStringLiteral("link"), QStringLiteral("show"), m_bridge}) == 0)
            return true;
        if (QProcess::execute(ip, {QStringLiteral("link"), QStringLiteral("add"), m_bridge,
                                   QStringLiteral("type"), QStringLiteral("bridge")}) != 0)
            return false;
        return QProcess::execute(ip, {QStringLiteral("addr"), QStringLiteral("add"),
                                      QStringLiteral("10.213.213.1/24"), QStringLiteral("dev"),
                                      m_bridge}) == 0;
    }

    void deleteBridge()
    {
        QProcess::execute(QStringLiteral("ip"),
                          {QStringLiteral("link"), QStringLiteral("del"), m_bridge});
    }

    bool start()
    {
        if (!createBridge())
            return false;
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.setStandardOutputFile(m_runDir + QStringLiteral("/dockerd.log"),
                                        QIODevice::Append);
        m_process.start(QStringLiteral("dockerd"),
                        {QStringLiteral("--data-root"), m_dataRoot, QStringLiteral("--exec-root"),
                         m_runDir + QStringLiteral("/x"), QStringLiteral("-H"),
                         QStringLiteral("unix://") + socketPath(), QStringLiteral("--pidfile"),
                         m_runDir + QStringLiteral("/docker.pid"), QStringLiteral("--bridge"),
                         m_bridge, QStringLiteral("--iptables=false"),
                         QStringLiteral("--ip-masq=false"),
                         QStringLiteral("--containerd-namespace"), m_namespace,
                         QStringLiteral("--containerd-plugins-namespace"),
                         m_namespace + QStringLiteral("-plugins"),
                         QStringLiteral("--shutdown-timeout"), QStringLiteral("1")});
        if (!m_process.waitForStarted(10000))
            return false;
        http::Endpoint ep;
        ep.socketPath = socketPath();
        DockerClient probe(ep);
        QDeadlineTimer deadline(30000);
        while (!deadline.hasExpired()) {
            if (await(probe.ping(), 5000).ok())
                return true;
            if (m_process.state() != QProcess::Running)
                return false;
            QTest::qWait(100);
        }
        return false;
    }

    // SIGTERM to the dockerd this object started (by its pid), as a service stop does.
    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(30000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    void removeData()
    {
        stop();
        deleteBridge();
        QDir(m_dataRoot).removeRecursively();
        QDir(m_runDir).removeRecursively();
    }

    QString log() const
    {
        QFile f(m_runDir + QStringLiteral("/dockerd.log"));
        f.open(QIODevice::ReadOnly);
        return QString::fromUtf8(f.readAll().right(2000));
    }

private:
    QProcess m_process;
    QString m_runDir;
    QString m_dataRoot;
    QString m_namespace;
    QString m_bridge;
};

} // namespace

class TestDockerdRestart : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<PrivateDaemon> m_daemon;
    std::unique_ptr<DockerClient> m_client;

    QString create(const QString &name, const QString &restart)
    {
        nlohmann::json body = {{"Image", "bctest/restart:latest"},
                               {"Cmd", {"sleep", "3600"}},
                               {"Labels", {{"box-console.test", "1"}}},
                               {"HostConfig", {{"NetworkMode", "none"}}}};
        if (!restart.isEmpty())
            body["HostConfig"]["RestartPolicy"] = {{"Name", restart.toStdString()}};
        const auto r = await(m_client->createContainer(name, body));
        return r ? r->id : QString();
    }

private slots:
    void initTestCase()
    {
        if (geteuid() != 0 || QStandardPaths::findExecutable(QStringLiteral("dockerd")).isEmpty())
            QSKIP("needs root and dockerd to run a private daemon");
        m_daemon = std::make_unique<PrivateDaemon>();
        QVERIFY2(m_daemon->start(), qPrintable(m_daemon->log()));
        http::Endpoint ep;
        ep.socketPath = m_daemon->socketPath();
        m_client = std::make_unique<DockerClient>(ep);

        QTemporaryDir ctx;
        QVERIFY(
            QFile::copy(QStringLiteral("/bin/busybox"), ctx.filePath(QStringLiteral("busybox"))));
        QFile df(ctx.filePath(QStringLiteral("Dockerfile")));
        QVERIFY(df.open(QIODevice::WriteOnly));
        df.write("FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", "
                 "\"-s\", \"/bin\"]\n");
        df.close();
        BuildOptions options;
        options.contextDir = ctx.path();
        options.tags << QStringLiteral("bctest/restart:latest");
        BuildJob *job = m_client->build(options);
        std::optional<Result<QString>> built;
        connect(job, &BuildJob::finished, this, [&](const Result<QString> &r) { built = r; });
        QVERIFY(waitUntil([&] { return built.has_value(); }, 120000));
        QVERIFY2(built->ok(), built->ok() ? "" : qPrintable(built->error().toString()));
    }

    void cleanupTestCase()
    {
        // Removing the data root of a stopped private daemon removes everything it had.
        if (m_daemon)
            m_daemon->removeData();
        m_client.reset();
    }

    void reconnectAndResync()
    {
        const QString always =
            create(QStringLiteral("bc-restart-always"), QStringLiteral("always"));
        const QString plain = create(QStringLiteral("bc-restart-plain"), {});
        const QString idle = create(QStringLiteral("bc-restart-created"), {});
        QVERIFY(!always.isEmpty() && !plain.isEmpty() && !idle.isEmpty());
        QVERIFY(await(m_client->startContainer(always)).ok());
        QVERIFY(await(m_client->startContainer(plain)).ok());

        // The model a monitor keeps: full re-list on resync, events in between.
        QMap<QString, QString> model;
        int resyncs = 0, connects = 0, disconnects = 0, negotiations = 0;
        connect(m_client.get(), &DockerClient::apiVersionNegotiated, this, [&] { ++negotiations; });
        EventWatcher watcher(m_client.get(),
                             {{QStringLiteral("type"), {QStringLiteral("container")}}});
        watcher.setBackoff(200, 2000);
        connect(&watcher, &EventWatcher::connected, this, [&] { ++connects; });
        connect(&watcher, &EventWatcher::disconnected, this, [&] { ++disconnects; });
        connect(&watcher, &EventWatcher::resyncNeeded, this, [&] {
            m_client->listContainers(true).then(this,
                                                [&](const Result<QList<ContainerSummary>> &list) {
                                                    if (!list)
                                                        return;
                                                    model.clear();
                                                    for (const ContainerSummary &c : *list)
                                                        model.insert(c.id, c.state);
                                                    ++resyncs;
                                                });
        });
        connect(&watcher, &EventWatcher::eventReceived, this, [&](const Event &e) {
            if (e.action == QLatin1String("create"))
                model.insert(e.actorId, QStringLiteral("created"));
            else if (e.action == QLatin1String("start"))
                model.insert(e.actorId, QStringLiteral("running"));
            else if (e.action == QLatin1String("die"))
                model.insert(e.actorId, QStringLiteral("exited"));
            else if (e.action == QLatin1String("destroy"))
                model.remove(e.actorId);
        });
        watcher.start();

        StatsStream *stats = m_client->statsStream(always);
        int samples = 0, statsFinished = 0;
        connect(stats, &StatsStream::sampleReceived, this, [&] { ++samples; });
        connect(stats, &StatsStream::finished, this, [&] { ++statsFinished; });

        QVERIFY(waitUntil([&] { return resyncs == 1 && samples >= 1; }));
        QCOMPARE(connects, 1);
        QCOMPARE(model.value(always), QStringLiteral("running"));
        QCOMPARE(model.value(idle), QStringLiteral("created"));
        const int negotiationsBefore = negotiations;

        // Restart: the streams are cut, nothing says which containers stopped.
        QElapsedTimer downtime;
        downtime.start();
        m_daemon->stop();
        QVERIFY(waitUntil([&] { return disconnects >= 1 && statsFinished == 1; }));
        QVERIFY2(m_daemon->start(), qPrintable(m_daemon->log()));
        qInfo("private dockerd was down for %lld ms", downtime.elapsed());

        QVERIFY(waitUntil([&] { return connects == 2 && resyncs == 2; }, 30000));
        QCOMPARE(watcher.reconnectCount(), 1);
        QVERIFY(negotiations > negotiationsBefore); // re-negotiated after the restart
        QCOMPARE(statsFinished, 1);                 // finished exactly once

        // The restart policy brings `always` back; `plain` stays exited.
        auto truth = [&] {
            QMap<QString, QString> t;
            DockerClient fresh(m_client->endpoint());
            const auto list = await(fresh.listContainers(true));
            if (list)
                for (const ContainerSummary &c : *list)
                    t.insert(c.id, c.state);
            return t;
        };
        QVERIFY(waitUntil([&] { return truth().value(always) == QLatin1String("running"); }));
        QVERIFY(waitUntil([&] { return model == truth(); }, 10000));
        QCOMPARE(model.value(always), QStringLiteral("running"));
        QCOMPARE(model.value(plain), QStringLiteral("exited"));
        QCOMPARE(model.value(idle), QStringLiteral("created"));

        // Events flow again on the new connection, and stats can be reopened.
        const QString later = create(QStringLiteral("bc-restart-later"), {});
        QVERIFY(waitUntil([&] { return model.value(later) == QLatin1String("created"); }));
        StatsStream *again = m_client->statsStream(always);
        int samplesAgain = 0;
        connect(again, &StatsStream::sampleReceived, this, [&] { ++samplesAgain; });
        QVERIFY(waitUntil([&] { return samplesAgain >= 1; }));
        again->cancel();
        watcher.stop();
        QCOMPARE(model, truth());
    }
};

QTEST_GUILESS_MAIN(TestDockerdRestart)
#include "tst_dockerdrestart.moc"
