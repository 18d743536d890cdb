// ctest: labels=docker timeout=300
#include "boxtestsupport.h"

#include "core/boxes/boxmonitor.h"
#include "core/boxes/dockerbackend.h"
#include "core/boxes/dockerdevbackend.h"
#include "core/docker/statssampler.h"
#include "support/testutil.h"

#include <QLocalServer>
#include <QLocalSocket>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <utility>

using namespace bc;
using namespace bc::boxes;
using namespace bc::test;
using namespace bc::test::boxes;
using namespace Qt::Literals::StringLiterals;

namespace {

// A relay in front of the engine's socket that keeps every stats document the engine sends
// back, so the test can work out the CPU figure from the same raw samples the monitor read.
// It reads HTTP/1.1 just enough for that: requests and responses in order on each
// connection, Content-Length and chunked bodies.
class StatsRecorder : public QObject
{
public:
    struct Sample
    {
        QString containerId;
        nlohmann::json doc;
    };

    explicit StatsRecorder(QString engineSocket)
        : m_engineSocket(std::move(engineSocket))
    {
        connect(&m_server, &QLocalServer::newConnection, this, [this] {
            while (QLocalSocket *client = m_server.nextPendingConnection())
                relay(client);
        });
    }

    bool listen() { return m_dir.isValid() && m_server.listen(m_dir.filePath(u"engine.sock"_s)); }
    http::Endpoint endpoint() const
    {
        http::Endpoint e;
        e.socketPath = m_server.fullServerName();
        return e;
    }

    QList<Sample> samples;

    // The CPU figure the Engine API documents for two consecutive samples of a container
    // (cpu delta / system delta * online CPUs * 100), to one decimal; -1 before the second.
    double expectedCpu(const QString &containerId) const
    {
        const Sample *last = nullptr;
        const Sample *before = nullptr;
        for (const Sample &sample : samples) {
            if (containerId.isEmpty() || !sample.containerId.startsWith(containerId))
                continue;
            before = last;
            last = &sample;
        }
        if (!before)
            return -1;
        const auto counter = [](const nlohmann::json &doc, const char *a, const char *b) {
            const nlohmann::json &v = b ? doc["cpu_stats"][a][b] : doc["cpu_stats"][a];
            return v.is_number() ? v.get<double>() : 0.0;
        };
        const double cpuDelta = counter(last->doc, "cpu_usage", "total_usage") -
                                counter(before->doc, "cpu_usage", "total_usage");
        const double systemDelta = counter(last->doc, "system_cpu_usage", nullptr) -
                                   counter(before->doc, "system_cpu_usage", nullptr);
        const double cpus = counter(last->doc, "online_cpus", nullptr);
        if (cpuDelta <= 0 || systemDelta <= 0)
            return 0;
        return qRound(cpuDelta / systemDelta * cpus * 100.0 * 10) / 10.0;
    }

private:
    struct Connection
    {
        QByteArray requests;
        QByteArray responses;
        QList<QByteArray> targets; // of the requests still waiting for their response
        bool raw = false;          // upgraded or streamed without framing: not followed
    };

    void relay(QLocalSocket *client)
    {
        auto *engine = new QLocalSocket(client);
        auto state = std::make_shared<Connection>();
        connect(client, &QLocalSocket::readyRead, engine, [this, client, engine, state] {
            const QByteArray data = client->readAll();
            engine->write(data);
            if (!state->raw) {
                state->requests += data;
                parseRequests(*state);
            }
        });
        connect(engine, &QLocalSocket::readyRead, client, [this, client, engine, state] {
            const QByteArray data = engine->readAll();
            if (!state->raw) {
                state->responses += data;
                parseResponses(*state);
            }
            client->write(data);
        });
        connect(engine, &QLocalSocket::disconnected, client, &QLocalSocket::disconnectFromServer);
        connect(client, &QLocalSocket::disconnected, client, [client, engine] {
            engine->disconnectFromServer();
            client->deleteLater();
        });
        engine->connectToServer(m_engineSocket);
        if (!engine->waitForConnected(5000))
            client->disconnectFromServer();
    }

    static qsizetype contentLength(const QByteArray &head)
    {
        for (const QByteArray &line : head.split('\n')) {
            const QByteArray l = line.trimmed().toLower();
            if (l.startsWith("content-length:"))
                return l.mid(15).trimmed().toLongLong();
        }
        return 0;
    }

    static void parseRequests(Connection &c)
    {
        for (;;) {
            const qsizetype end = c.requests.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray head = c.requests.left(end);
            const qsizetype length = contentLength(head);
            if (c.requests.size() < end + 4 + length)
                return;
            const QList<QByteArray> line = head.left(head.indexOf("\r\n")).split(' ');
            c.targets << line.value(0) + ' ' + line.value(1);
            c.requests.remove(0, end + 4 + length);
        }
    }

    void parseResponses(Connection &c)
    {
        for (;;) {
            const qsizetype end = c.responses.indexOf("\r\n\r\n");
            if (end < 0 || c.targets.isEmpty())
                return;
            const QByteArray head = c.responses.left(end);
            const QByteArray lower = head.toLower();
            const int status = head.split(' ').value(1).toInt();
            if (status == 101 || lower.contains("vnd.docker.raw-stream") ||
                lower.contains("vnd.docker.multiplexed-stream")) {
                c.raw = true;
                return;
            }
            QByteArray body;
            qsizetype consumed = end + 4;
            if (lower.contains("transfer-encoding: chunked")) {
                for (;;) {
                    const qsizetype lineEnd = c.responses.indexOf("\r\n", consumed);
                    if (lineEnd < 0)
                        return; // wait for more
                    bool ok = false;
                    const qsizetype size = c.responses.mid(consumed, lineEnd - consumed)
                                               .split(';')
                                               .value(0)
                                               .toLongLong(&ok, 16);
                    if (!ok) {
                        c.raw = true;
                        return;
                    }
                    if (c.responses.size() < lineEnd + 2 + size + 2)
                        return;
                    body += c.responses.mid(lineEnd + 2, size);
                    consumed = lineEnd + 2 + size + 2;
                    if (size == 0)
                        break;
                }
            } else {
                const bool noBody =
                    c.targets.first().startsWith("HEAD ") || status == 204 || status == 304;
                const qsizetype length = noBody ? 0 : contentLength(head);
                if (c.responses.size() < consumed + length)
                    return;
                body = c.responses.mid(consumed, length);
                consumed += length;
            }
            c.responses.remove(0, consumed);
            const QByteArray target = c.targets.takeFirst();
            static const QRegularExpression statsTarget(u"^GET /[^ ]*/containers/[^/]+/stats"_s);
            if (status == 200 && statsTarget.match(QString::fromLatin1(target)).hasMatch()) {
                auto doc = nlohmann::json::parse(body.toStdString(), nullptr, false);
                if (doc.is_object() && doc.contains("id"))
                    samples.append({QString::fromStdString(doc["id"].get<std::string>()), doc});
            }
        }
    }

    QString m_engineSocket;
    QTemporaryDir m_dir;
    QLocalServer m_server;
};

} // namespace

// The live view over the real engine (events + resyncs + one-shot stats), and the
// docker-dev backend (real engine, loopback ports, dev network) beside the docker one.
class tst_Monitor : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void monitorFollowsABox();
    void devBackendIsRealAndSeparate();

private:
    EngineSuite m_suite;
};

void tst_Monitor::initTestCase()
{
    if (!dockerAvailable())
        QSKIP("no Docker engine");
    const QString error = m_suite.setUp();
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_Monitor::cleanupTestCase()
{
    removeLabelled();
}

void tst_Monitor::monitorFollowsABox()
{
    StatsRecorder recorder(http::Endpoint{}.socketPath);
    QVERIFY(recorder.listen());
    DockerBackend backend(recorder.endpoint(), testOptions());
    BoxMonitor monitor;
    // One-shot requests (the recorder reads framed answers, not a stats stream): the
    // fastest refresh that still polls (StatsSampler::StreamBelowMs).
    monitor.setStatsInterval(docker::StatsSampler::StreamBelowMs);
    monitor.setResyncInterval(5000);
    monitor.addBackend(&backend);
    QHash<QString, BoxInfo> seen;
    QStringList alerts;
    QStringList removed;
    int updates = 0;
    // Every new CPU figure of the box, with what the engine's raw samples give for it.
    QString watched;
    QList<std::pair<double, double>> cpuFigures;
    connect(&monitor, &BoxMonitor::boxAdded, this,
            [&](const BoxInfo &b) { seen.insert(b.key(), b); });
    connect(&monitor, &BoxMonitor::boxUpdated, this,
            [&](const BoxInfo &previous, const BoxInfo &b) {
                QVERIFY(!(previous == b)); // only real changes
                BoxInfo withoutResources = b;
                withoutResources.resources = previous.resources;
                QVERIFY2(!(withoutResources == previous), "a stats tick sent as a box update");
                ++updates;
                seen.insert(b.key(), b);
            });
    connect(&monitor, &BoxMonitor::resourcesUpdated, this,
            [&](const QString &key, const BoxResources &r) {
                const auto it = seen.find(key);
                QVERIFY(it != seen.end());
                QVERIFY(!(it->resources == r)); // only real changes
                const double before = it->resources.cpuPercent;
                it->resources = r;
                if (key == watched && r.cpuPercent >= 0 && r.cpuPercent != before)
                    cpuFigures.append({r.cpuPercent, recorder.expectedCpu(it->id)});
            });
    connect(&monitor, &BoxMonitor::boxRemoved, this, [&](const QString &key) { removed << key; });
    connect(&monitor, &BoxMonitor::boxAlert, this, [&](const BoxInfo &b, const QString &what) {
        alerts << b.name + QLatin1Char(':') + what;
    });
    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(monitor.isConnected(backend.id()), 10000);

    const QString name = uniqueName(QStringLiteral("bxm"));
    const auto r = runJob(backend.deploy(agentSpec(name)));
    QVERIFY(r.ok());
    const QString key = r->key();
    watched = key;
    QTRY_VERIFY_WITH_TIMEOUT(seen.value(key).health == BoxInfo::Health::Healthy, 10000);
    // Stats: memory at once, CPU from the second one-shot sample on.
    QTRY_VERIFY_WITH_TIMEOUT(seen.value(key).resources.memoryUsage > 0 &&
                                 seen.value(key).resources.cpuPercent >= 0,
                             15000);
    QVERIFY(seen.value(key).resources.memoryLimit == 128LL * 1024 * 1024);

    // Busy in the box (0.5 CPU): each figure is the documented one for the two samples it
    // came from, and some are far enough from 0 that a wrong formula shows.
    runDocker({QStringLiteral("exec"), QStringLiteral("-d"), name, QStringLiteral("sh"),
               QStringLiteral("-c"), QStringLiteral("while :; do :; done")});
    const auto busyFigures = [&] {
        return std::count_if(cpuFigures.cbegin(), cpuFigures.cend(),
                             [](const auto &f) { return f.second >= 10; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(busyFigures() >= 2, 20000);
    QVERIFY(!recorder.samples.isEmpty());
    for (const auto &[shown, expected] : std::as_const(cpuFigures)) {
        QVERIFY2(expected >= 0, "a CPU figure without two samples behind it");
        QCOMPARE(shown, expected);
    }
    // No more than the box's 0.5 CPU, give or take the sampling.
    for (const auto &f : std::as_const(cpuFigures))
        QVERIFY2(f.first <= 80, qPrintable(QString::number(f.first)));

    // Killed behind the console's back: the event stream reports it, with an alert.
    runDocker({QStringLiteral("kill"), name});
    QTRY_VERIFY_WITH_TIMEOUT(alerts.contains(name + QStringLiteral(":died")), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(seen.value(key).state != BoxInfo::State::Running, 10000);
    // A stopped box has no CPU figure: the last one is not carried over.
    QCOMPARE(seen.value(key).resources.cpuPercent, -1.0);

    // Removed behind its back as well.
    runDocker({QStringLiteral("rm"), QStringLiteral("-f"), name});
    QTRY_VERIFY_WITH_TIMEOUT(removed.contains(key), 10000);
    QVERIFY(!monitor.boxes().contains(seen.value(key)));
    QVERIFY(runJob(backend.remove(name, false)).ok());

    // A resync with nothing new emits nothing.
    const int before = updates;
    monitor.setStatsInterval(0);
    monitor.resyncNow();
    spinEventLoop(1000);
    QCOMPARE(updates, before);
}

void tst_Monitor::devBackendIsRealAndSeparate()
{
    DeployOptions o = testOptions();
    // Its own dev network, removed even when the test fails: the shared default one is
    // never rolled back by the backend (other dev boxes may use it).
    o.devNetwork = uniqueName(QStringLiteral("bxdevnet"));
    const auto dropNetwork = qScopeGuard([&] {
        runDocker({QStringLiteral("network"), QStringLiteral("rm"), o.devNetwork});
    });
    DockerDevBackend dev(http::Endpoint{}, o);
    DockerBackend docker(http::Endpoint{}, testOptions());
    QCOMPARE(dev.kind(), QStringLiteral("docker-dev"));
    const QString name = uniqueName(QStringLiteral("bxdev"));
    const auto r = runJob(dev.deploy(agentSpec(name)));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->health, BoxInfo::Health::Healthy);
    QCOMPARE(r->backendKind, QStringLiteral("docker-dev"));
    QVERIFY(r->url.startsWith(QStringLiteral("http://127.0.0.1:")));

    const auto c =
        nlohmann::json::parse(runDocker({QStringLiteral("inspect"), name}).toStdString())[0];
    const auto &h = c["HostConfig"];
    QCOMPARE(h["NetworkMode"], nlohmann::json(o.devNetwork.toStdString()));
    for (const char *port : {"22/tcp", "8080/tcp", "9999/tcp"})
        for (const auto &b : h["PortBindings"][port])
            QCOMPARE(b["HostIp"], nlohmann::json("127.0.0.1"));
    QCOMPARE(h["ReadonlyRootfs"], nlohmann::json(true));
    QCOMPARE(h["CapDrop"], nlohmann::json::array({"ALL"}));
    bool devSecret = false;
    for (const auto &e : c["Config"]["Env"])
        devSecret = devSecret || e.get<std::string>() == "PASSWORD=dev-password";
    QVERIFY(devSecret);

    auto names = [](const Result<QList<BoxInfo>> &list) {
        QStringList out;
        for (const BoxInfo &b : list.value())
            out << b.name;
        return out;
    };
    QVERIFY(names(bc::test::await(dev.list())).contains(name));
    QVERIFY(!names(bc::test::await(docker.list())).contains(name));
    QVERIFY(!runJob(docker.remove(name, false)).ok()); // not the docker backend's box
    QVERIFY(runJob(dev.remove(name, false)).ok());
    QCOMPARE(objectsOf(name), QStringList());
}

QTEST_GUILESS_MAIN(tst_Monitor)
#include "tst_monitor.moc"
