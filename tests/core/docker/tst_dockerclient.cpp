// ctest: labels=docker timeout=300
// Integration tests of DockerClient and its stream jobs against the real engine (the
// default endpoint, or DOCKER_HOST). Everything created is labelled box-console.test=1 and
// box-console.test.suite=dockerclient and removed in cleanupTestCase (and at start, in
// case an earlier run crashed). Only this suite's own objects are ever removed: other
// suites share the daemon.

#include "core/docker/buildjob.h"
#include "core/docker/buildoptions.h"
#include "core/docker/dockerclient.h"
#include "core/docker/eventstream.h"
#include "core/docker/eventwatcher.h"
#include "core/docker/logoptions.h"
#include "core/docker/logstream.h"
#include "core/docker/statsstream.h"
#include "core/http/httpclient.h"
#include "support/dockerendpoint.h"
#include "support/testutil.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <optional>

using namespace bc;
using namespace bc::docker;
using bc::test::await;

using bc::test::defaultEndpoint;
using bc::test::waitUntil;

namespace {

const QString SuiteLabel = QStringLiteral("box-console.test.suite");
const QString SuiteValue = QStringLiteral("dockerclient");
const QString ImageTag = QStringLiteral("bctest/dockerclient-it:latest");

QMap<QString, QString> testLabels()
{
    return {{QStringLiteral("box-console.test"), QStringLiteral("1")}, {SuiteLabel, SuiteValue}};
}

Filters suiteFilter()
{
    return {{QStringLiteral("label"), {SuiteLabel + QLatin1Char('=') + SuiteValue}}};
}

QString uniqueName(const QString &what)
{
    return QStringLiteral("bc-it-%1-%2").arg(QCoreApplication::applicationPid()).arg(what);
}

// A one-connection fake daemon that answers every request with the same head.
class FakeDaemon : public QObject
{
public:
    explicit FakeDaemon(QByteArray apiVersion)
        : m_apiVersion(std::move(apiVersion))
    {
        m_path = m_dir.path() + QStringLiteral("/fake.sock");
        m_server.listen(m_path);
        connect(&m_server, &QLocalServer::newConnection, this, [this] {
            while (QLocalSocket *s = m_server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                connect(s, &QLocalSocket::readyRead, s, [this, s, buffer] {
                    *buffer += s->readAll();
                    int end;
                    while ((end = int(buffer->indexOf("\r\n\r\n"))) >= 0) {
                        const QByteArray head = buffer->left(end);
                        buffer->remove(0, end + 4);
                        ++requests;
                        targets << head.left(head.indexOf("\r\n"));
                        QByteArray reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n";
                        if (!m_apiVersion.isEmpty())
                            reply += "Api-Version: " + m_apiVersion + "\r\n";
                        reply += "Content-Type: text/plain\r\n\r\n";
                        if (!head.startsWith("HEAD"))
                            reply += "OK";
                        else
                            reply.replace("Content-Length: 2", "Content-Length: 0");
                        s->write(reply);
                    }
                });
            }
        });
    }
    http::Endpoint endpoint() const
    {
        http::Endpoint ep;
        ep.socketPath = m_path;
        return ep;
    }
    int requests = 0;
    QList<QByteArray> targets;

private:
    QByteArray m_apiVersion;
    QTemporaryDir m_dir;
    QString m_path;
    QLocalServer m_server;
};

} // namespace

class TestDockerClient : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DockerClient> m_client;
    QString m_imageId;

    void removeSuiteObjects()
    {
        DockerClient &c = *m_client;
        if (auto list = await(c.listContainers(true, suiteFilter()), 60000))
            for (const ContainerSummary &s : *list)
                (void)await(c.removeContainer(s.id, true, true), 60000);
        if (auto nets = await(c.listNetworks(suiteFilter())))
            for (const NetworkInfo &n : *nets)
                (void)await(c.removeNetwork(n.id));
        if (auto vols = await(c.listVolumes(suiteFilter())))
            for (const VolumeInfo &v : *vols)
                (void)await(c.removeVolume(v.name, true));
    }

    QString createContainer(const QString &name, const QStringList &cmd, bool tty = false,
                            const QString &restart = {})
    {
        nlohmann::json command = nlohmann::json::array();
        for (const QString &c : cmd)
            command.push_back(c.toStdString());
        nlohmann::json labels = nlohmann::json::object();
        const auto l = testLabels();
        for (auto it = l.begin(); it != l.end(); ++it)
            labels[it.key().toStdString()] = it.value().toStdString();
        nlohmann::json body = {{"Image", ImageTag.toStdString()},
                               {"Cmd", command},
                               {"Tty", tty},
                               {"Labels", labels},
                               {"HostConfig", {{"NetworkMode", "bridge"}}}};
        if (!restart.isEmpty())
            body["HostConfig"]["RestartPolicy"] = {{"Name", restart.toStdString()}};
        const auto created = await(m_client->createContainer(name, body));
        if (!created) {
            qWarning() << created.error().toString();
            return {};
        }
        return created->id;
    }

    Result<QString> build(const QString &dockerfile, const QString &tag,
                          QStringList *output = nullptr)
    {
        QTemporaryDir dir;
        QFile::copy(QStringLiteral("/bin/busybox"), dir.filePath(QStringLiteral("busybox")));
        QFile f(dir.filePath(QStringLiteral("Dockerfile")));
        f.open(QIODevice::WriteOnly);
        f.write(dockerfile.toUtf8());
        f.close();
        BuildOptions options;
        options.contextDir = dir.path();
        if (!tag.isEmpty())
            options.tags << tag;
        options.labels = testLabels();
        options.forceRm = true; // a failed RUN leaves no container behind
        BuildJob *job = m_client->build(options);
        std::optional<Result<QString>> result;
        int finishedCount = 0;
        connect(job, &BuildJob::output, this, [output](const QString &text) {
            if (output)
                *output << text;
        });
        connect(job, &BuildJob::finished, this, [&](const Result<QString> &r) {
            result = r;
            ++finishedCount;
        });
        if (!waitUntil([&] { return result.has_value(); }, 120000))
            return Error(Error::Kind::Timeout, QStringLiteral("build did not finish"));
        QCoreApplication::processEvents();
        if (finishedCount != 1)
            return Error(Error::Kind::Protocol,
                         QStringLiteral("finished fired %1 times").arg(finishedCount));
        return *result;
    }

private slots:
    void initTestCase()
    {
        m_client = std::make_unique<DockerClient>(defaultEndpoint());
        const auto ping = await(m_client->ping());
        if (!ping)
            QSKIP(qPrintable(QStringLiteral("no Docker engine: %1").arg(ping.error().toString())));
        removeSuiteObjects();
        QStringList output;
        const Result<QString> id =
            build(QStringLiteral("FROM scratch\nCOPY busybox /bin/busybox\n"
                                 "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n"),
                  ImageTag, &output);
        QVERIFY2(id.ok(), id.ok() ? "" : qPrintable(id.error().toString()));
        m_imageId = *id;
        QVERIFY(m_imageId.startsWith(QLatin1String("sha256:")));
        QVERIFY2(output.join(QString()).contains(QLatin1String("Step 1/")),
                 qPrintable(output.join(QString())));
    }

    void cleanupTestCase()
    {
        if (!m_client)
            return;
        removeSuiteObjects();
        (void)await(m_client->removeImage(ImageTag, true), 60000);
    }

    void negotiation()
    {
        DockerClient c(defaultEndpoint());
        QVERIFY(c.apiVersion().isEmpty());
        const Result<QString> v = await(c.negotiate());
        QVERIFY(v.ok());
        QCOMPARE(*v, QStringLiteral("1.41")); // the 20.10 daemon of this machine
        QCOMPARE(c.apiVersion(), QStringLiteral("1.41"));
        const auto version = await(c.version());
        QVERIFY(version.ok());
        QVERIFY(!version->version.isEmpty());
        QCOMPARE(version->negotiatedApiVersion, QStringLiteral("1.41"));
        const auto info = await(c.info());
        QVERIFY(info.ok());
        QVERIFY(info->ncpu > 0);
    }

    void negotiationIsSharedAndCapped()
    {
        FakeDaemon fake("1.99");
        DockerClient c(fake.endpoint());
        auto a = c.negotiate();
        auto b = c.negotiate();
        auto d = c.negotiate();
        QCOMPARE(await(a).value(), QString::fromLatin1(DockerClient::MaxApiVersion));
        QCOMPARE(await(b).value(), QString::fromLatin1(DockerClient::MaxApiVersion));
        QCOMPARE(await(d).value(), QString::fromLatin1(DockerClient::MaxApiVersion));
        QCOMPARE(fake.requests, 1);
        QVERIFY(fake.targets.first().startsWith("HEAD /_ping"));
        // After negotiation paths are versioned.
        (void)await(c.request(http::HttpRequest::get("/containers/json")));
        QCOMPARE(fake.targets.last(), QByteArray("GET /v1.47/containers/json HTTP/1.1"));
        c.resetNegotiation();
        QVERIFY(c.apiVersion().isEmpty());
    }

    void negotiationRefusesOldDaemons()
    {
        FakeDaemon fake("1.39");
        DockerClient c(fake.endpoint());
        const auto v = await(c.negotiate());
        QVERIFY(!v.ok());
        QCOMPARE(v.error().kind(), Error::Kind::Version);
        QVERIFY2(v.error().message().contains(QLatin1String("1.39")),
                 qPrintable(v.error().toString()));
        QVERIFY(v.error().message().contains(QLatin1String("1.40")));
        // A versioned call reports the same refusal and sends nothing versioned.
        const auto list = await(c.listContainers());
        QCOMPARE(list.error().kind(), Error::Kind::Version);
        for (const QByteArray &t : fake.targets)
            QVERIFY(t.contains("/_ping"));
    }

    void transportErrorIsActionable()
    {
        http::Endpoint ep;
        ep.socketPath = QStringLiteral("/tmp/bc-no-such-docker.sock");
        DockerClient c(ep);
        const auto r = await(c.listContainers());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), Error::Kind::Transport);
        QVERIFY2(r.error().toString().contains(
                     QLatin1String("cannot reach Docker at unix:///tmp/bc-no-such-docker.sock: no "
                                   "such file; is dockerd running?")),
                 qPrintable(r.error().toString()));
    }

    void buildErrorInStream()
    {
        QStringList output;
        const Result<QString> r = build(QStringLiteral("FROM scratch\nCOPY busybox /bin/busybox\n"
                                                       "RUN [\"/bin/busybox\", \"false\"]\n"),
                                        {}, &output);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), Error::Kind::Server);
        QVERIFY2(r.error().message().contains(QLatin1String("non-zero code")),
                 qPrintable(r.error().toString()));
        QVERIFY2(output.join(QString()).contains(QLatin1String("Step 3/")),
                 qPrintable(output.join(QString())));
    }

    void notFoundAndConflict()
    {
        const auto missing =
            await(m_client->inspectContainer(QStringLiteral("bc-it-no-such-container")));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().kind(), Error::Kind::NotFound);
        QCOMPARE(missing.error().httpStatus(), 404);
        QCOMPARE(missing.error().toString(),
                 QStringLiteral("inspect container bc-it-no-such-container: No such container: "
                                "bc-it-no-such-container (HTTP 404)"));
        const QString name = uniqueName(QStringLiteral("conflict"));
        QVERIFY(!createContainer(name, {QStringLiteral("true")}).isEmpty());
        nlohmann::json body = {{"Image", ImageTag.toStdString()},
                               {"Cmd", {"true"}},
                               {"Labels", {{"box-console.test", "1"}}}};
        const auto again = await(m_client->createContainer(name, body));
        QVERIFY(!again.ok());
        QCOMPARE(again.error().kind(), Error::Kind::Conflict);
        QCOMPARE(again.error().httpStatus(), 409);
        QVERIFY(await(m_client->removeContainer(name, true)).ok());
        QCOMPARE(await(m_client->removeContainer(name, true)).error().kind(),
                 Error::Kind::NotFound);
    }

    void lifecycleStatsAndEvents()
    {
        // Connections go through `guard`, so a failed QVERIFY (an early return) leaves no
        // lambda pointing at this frame's locals; the streams are cancelled on the way out.
        QObject guard;
        QPointer<EventStream> eventsGuard;
        QPointer<StatsStream> statsGuard;
        auto cancelStreams = qScopeGuard([&] {
            if (eventsGuard)
                eventsGuard->cancel();
            if (statsGuard)
                statsGuard->cancel();
        });
        // Subscribe first, so start and die of the container below are seen.
        EventStream *events = m_client->events(
            {{QStringLiteral("label"), {SuiteLabel + QLatin1Char('=') + SuiteValue}},
             {QStringLiteral("type"), {QStringLiteral("container")}}});
        eventsGuard = events;
        bool connected = false;
        QList<Event> seen;
        int eventsFinished = 0;
        std::optional<VoidResult> eventsResult;
        connect(events, &EventStream::connected, &guard, [&] { connected = true; });
        connect(events, &EventStream::eventReceived, &guard, [&](const Event &e) { seen << e; });
        connect(events, &EventStream::finished, &guard, [&](const VoidResult &r) {
            ++eventsFinished;
            eventsResult = r;
        });
        QVERIFY(waitUntil([&] { return connected; }));

        const QString name = uniqueName(QStringLiteral("life"));
        const QString id = createContainer(name, {QStringLiteral("sleep"), QStringLiteral("3600")});
        QVERIFY(!id.isEmpty());
        const VoidResult started = await(m_client->startContainer(id));
        QVERIFY2(started.ok(), started.ok() ? "" : qPrintable(started.error().toString()));
        QVERIFY(await(m_client->startContainer(id)).ok()); // 304: already started

        const auto inspect = await(m_client->inspectContainer(name));
        QVERIFY(inspect.ok());
        QCOMPARE(inspect->id, id);
        QCOMPARE(inspect->name, name);
        QVERIFY(inspect->running);
        QCOMPARE(inspect->state, QStringLiteral("running"));
        QCOMPARE(inspect->labels.value(SuiteLabel), SuiteValue);
        QVERIFY(inspect->raw.contains("HostConfig"));

        const auto list = await(m_client->listContainers(false, suiteFilter()));
        QVERIFY(list.ok());
        QVERIFY(std::any_of(list->begin(), list->end(), [&](const ContainerSummary &c) {
            return c.id == id && c.name() == name && c.state == QLatin1String("running");
        }));

        // Stats: one-shot, two-sample, and streaming.
        const auto one = await(m_client->stats(id, true));
        QVERIFY2(one.ok(), one.ok() ? "" : qPrintable(one.error().toString()));
        QVERIFY(one->memoryLimit > 0);
        QVERIFY(one->pids >= 1);
        const auto two = await(m_client->stats(id, false));
        QVERIFY(two.ok());
        QVERIFY(two->cpuPercent >= 0.0);
        QVERIFY(two->systemCpu > 0);

        StatsStream *stream = m_client->statsStream(id);
        statsGuard = stream;
        QList<StatsSample> samples;
        int statsFinished = 0;
        std::optional<VoidResult> statsResult;
        connect(stream, &StatsStream::sampleReceived, this,
                [&](const StatsSample &s) { samples << s; });
        connect(stream, &StatsStream::finished, &guard, [&](const VoidResult &r) {
            ++statsFinished;
            statsResult = r;
        });
        QVERIFY(waitUntil([&] { return samples.size() >= 2; }, 10000));
        QVERIFY(samples.at(1).systemCpu > samples.at(0).systemCpu);
        QVERIFY(samples.at(1).memoryUsage > 0);
        stream->cancel();
        QVERIFY(waitUntil([&] { return statsFinished > 0; }));
        QCoreApplication::processEvents();
        QCOMPARE(statsFinished, 1);
        QCOMPARE(statsResult->error().kind(), Error::Kind::Cancelled);

        // Stop twice (304 the second time), then kill a restarted one, then wait.
        QVERIFY(await(m_client->stopContainer(id, 1)).ok());
        QVERIFY(await(m_client->stopContainer(id, 1)).ok());
        QVERIFY(await(m_client->startContainer(id)).ok());
        QVERIFY(await(m_client->killContainer(id)).ok());
        const auto code = await(m_client->waitContainer(id));
        QVERIFY(code.ok());
        QCOMPARE(*code, 137);
        QCOMPARE(await(m_client->killContainer(id)).error().kind(), Error::Kind::Conflict);

        QVERIFY(waitUntil([&] {
            int starts = 0, dies = 0;
            for (const Event &e : seen) {
                if (e.actorId == id && e.action == QLatin1String("start"))
                    ++starts;
                if (e.actorId == id && e.action == QLatin1String("die"))
                    ++dies;
            }
            return starts >= 2 && dies >= 2;
        }));
        QVERIFY(seen.first().timeNano > 0);
        QCOMPARE(seen.first().attributes.value(QStringLiteral("name")), name);
        events->cancel();
        QVERIFY(waitUntil([&] { return eventsFinished > 0; }));
        QCoreApplication::processEvents();
        QCOMPARE(eventsFinished, 1);
        QCOMPARE(eventsResult->error().kind(), Error::Kind::Cancelled);

        QVERIFY(await(m_client->removeContainer(id)).ok());
        QCOMPARE(await(m_client->inspectContainer(id)).error().kind(), Error::Kind::NotFound);
    }

    void logsMultiplexedAndTty_data()
    {
        QTest::addColumn<bool>("tty");
        QTest::addColumn<bool>("knownUpFront");
        QTest::newRow("multiplexed") << false << false;
        QTest::newRow("tty") << true << false;
        QTest::newRow("tty-known") << true << true;
    }

    void logsMultiplexedAndTty()
    {
        QFETCH(bool, tty);
        QFETCH(bool, knownUpFront);
        const QString name =
            uniqueName(QStringLiteral("logs-%1").arg(QString::fromLatin1(QTest::currentDataTag())));
        const QString id = createContainer(name,
                                           {QStringLiteral("sh"), QStringLiteral("-c"),
                                            QStringLiteral("echo out1; echo err1 >&2; echo out2")},
                                           tty);
        QVERIFY(!id.isEmpty());
        QVERIFY(await(m_client->startContainer(id)).ok());
        QCOMPARE(await(m_client->waitContainer(id)).value(), 0);

        LogOptions options;
        if (knownUpFront)
            options.tty = tty;
        LogStream *logs = m_client->logs(name, options);
        QByteArray out, err;
        std::optional<VoidResult> result;
        connect(logs, &LogStream::linesReceived, this, [&](const QList<LogLine> &lines) {
            for (const LogLine &l : lines)
                (l.stream == LogLine::Stream::Stderr ? err : out) += l.text;
        });
        connect(logs, &LogStream::finished, this, [&](const VoidResult &r) { result = r; });
        QVERIFY(waitUntil([&] { return result.has_value(); }));
        QVERIFY2(result->ok(), result->ok() ? "" : qPrintable(result->error().toString()));
        if (tty) {
            // One raw stream: both lines on "stdout", with the terminal's CRLF.
            QVERIFY2(out.contains("out1\r\n") && out.contains("err1\r\n") && out.contains("out2"),
                     out.constData());
            QVERIFY(err.isEmpty());
        } else {
            QCOMPARE(out, QByteArray("out1\nout2\n"));
            QCOMPARE(err, QByteArray("err1\n"));
        }

        // tail=1 and timestamps
        options.tail = 1;
        options.timestamps = true;
        LogStream *tail = m_client->logs(name, options);
        QByteArray tailed;
        result.reset();
        connect(tail, &LogStream::linesReceived, this, [&](const QList<LogLine> &lines) {
            for (const LogLine &l : lines)
                tailed += l.text;
        });
        connect(tail, &LogStream::finished, this, [&](const VoidResult &r) { result = r; });
        QVERIFY(waitUntil([&] { return result.has_value(); }));
        QVERIFY(result->ok());
        // The last line is out2 or err1: the two pipes race into the log.
        QVERIFY2((tailed.contains("out2") || tailed.contains("err1")) && !tailed.contains("out1") &&
                     tailed.count('\n') == 1,
                 tailed.constData());
        QVERIFY(tailed.startsWith(QByteArray::number(QDate::currentDate().year())));
        QVERIFY(await(m_client->removeContainer(id, true)).ok());
    }

    void followLogsCancel()
    {
        const QString id =
            createContainer(uniqueName(QStringLiteral("follow")),
                            {QStringLiteral("sh"), QStringLiteral("-c"),
                             QStringLiteral("while true; do echo tick; sleep 0.2; done")});
        QVERIFY(await(m_client->startContainer(id)).ok());
        LogOptions options;
        options.follow = true;
        LogStream *logs = m_client->logs(id, options);
        int ticks = 0;
        int finishedCount = 0;
        std::optional<VoidResult> result;
        connect(logs, &LogStream::linesReceived, this, [&](const QList<LogLine> &lines) {
            for (const LogLine &l : lines)
                ticks += int(l.text.count("tick"));
        });
        connect(logs, &LogStream::finished, this, [&](const VoidResult &r) {
            ++finishedCount;
            result = r;
        });
        QVERIFY(waitUntil([&] { return ticks >= 3; }));
        logs->cancel();
        QVERIFY(waitUntil([&] { return result.has_value(); }));
        QCoreApplication::processEvents();
        QCOMPARE(finishedCount, 1);
        QCOMPARE(result->error().kind(), Error::Kind::Cancelled);
        QVERIFY(await(m_client->removeContainer(id, true)).ok());
    }

    void eventWatcherSubscribesThenResyncs()
    {
        EventWatcher watcher(m_client.get(), suiteFilter());
        QStringList order;
        connect(&watcher, &EventWatcher::connected, this,
                [&] { order << QStringLiteral("connected"); });
        connect(&watcher, &EventWatcher::resyncNeeded, this,
                [&] { order << QStringLiteral("resync"); });
        QList<Event> seen;
        connect(&watcher, &EventWatcher::eventReceived, this, [&](const Event &e) { seen << e; });
        watcher.start();
        QVERIFY(waitUntil([&] { return order.size() >= 2; }));
        QCOMPARE(order, QStringList({QStringLiteral("connected"), QStringLiteral("resync")}));
        const QString id =
            createContainer(uniqueName(QStringLiteral("watch")), {QStringLiteral("true")});
        QVERIFY(waitUntil([&] {
            return std::any_of(seen.begin(), seen.end(), [&](const Event &e) {
                return e.actorId == id && e.action == QLatin1String("create");
            });
        }));
        QVERIFY(watcher.lastTimeNano() > 0);
        watcher.stop();
        QVERIFY(await(m_client->removeContainer(id, true)).ok());
    }

    void eventWatcherBacksOffWhileUnreachable()
    {
        http::Endpoint ep;
        ep.socketPath = QStringLiteral("/tmp/bc-no-such-docker.sock");
        DockerClient c(ep);
        EventWatcher watcher(&c);
        watcher.setBackoff(50, 200);
        QStringList reasons;
        connect(&watcher, &EventWatcher::disconnected, this,
                [&](const QString &r) { reasons << r; });
        watcher.start();
        QTest::qWait(1200);
        watcher.stop();
        // 50, 100, 200, 200, … ms (+-20 % jitter): a handful of attempts, not a busy loop.
        QVERIFY2(reasons.size() >= 3 && reasons.size() <= 12,
                 qPrintable(QString::number(reasons.size())));
        QVERIFY(reasons.first().contains(QLatin1String("is dockerd running?")));
        QVERIFY(!watcher.isConnected());
    }

    void volumes()
    {
        const QString name = uniqueName(QStringLiteral("vol"));
        const auto created = await(m_client->createVolume(name, testLabels()));
        QVERIFY(created.ok());
        QCOMPARE(created->name, name);
        const auto inspected = await(m_client->inspectVolume(name));
        QVERIFY(inspected.ok());
        QCOMPARE(inspected->labels.value(SuiteLabel), SuiteValue);
        QCOMPARE(inspected->driver, QStringLiteral("local"));
        const auto list = await(m_client->listVolumes(suiteFilter()));
        QVERIFY(list.ok());
        QVERIFY(std::any_of(list->begin(), list->end(),
                            [&](const VolumeInfo &v) { return v.name == name; }));
        QVERIFY(await(m_client->removeVolume(name)).ok());
        QCOMPARE(await(m_client->inspectVolume(name)).error().kind(), Error::Kind::NotFound);
    }

    void networks()
    {
        const QString name = uniqueName(QStringLiteral("net"));
        const auto netId = await(m_client->createNetwork(name, true, testLabels()));
        QVERIFY2(netId.ok(), netId.ok() ? "" : qPrintable(netId.error().toString()));
        const auto dup = await(m_client->createNetwork(name, true, testLabels()));
        QCOMPARE(dup.error().kind(), Error::Kind::Conflict);
        auto net = await(m_client->inspectNetwork(name));
        QVERIFY(net.ok());
        QCOMPARE(net->id, *netId);
        QVERIFY(net->internal);
        QCOMPARE(net->labels.value(SuiteLabel), SuiteValue);

        const QString cid = createContainer(uniqueName(QStringLiteral("netc")),
                                            {QStringLiteral("sleep"), QStringLiteral("3600")});
        QVERIFY(await(m_client->startContainer(cid)).ok());
        QVERIFY(await(m_client->connectNetwork(name, cid, {QStringLiteral("alias1")})).ok());
        net = await(m_client->inspectNetwork(name));
        QVERIFY(net->containerIds.contains(cid));
        const auto inspect = await(m_client->inspectContainer(cid));
        QVERIFY(inspect->raw["NetworkSettings"]["Networks"].contains(name.toStdString()));
        QVERIFY(await(m_client->disconnectNetwork(name, cid)).ok());
        net = await(m_client->inspectNetwork(name));
        QVERIFY(!net->containerIds.contains(cid));
        const auto list = await(m_client->listNetworks(suiteFilter()));
        QVERIFY(std::any_of(list->begin(), list->end(),
                            [&](const NetworkInfo &n) { return n.name == name; }));
        QVERIFY(await(m_client->removeContainer(cid, true)).ok());
        QVERIFY(await(m_client->removeNetwork(name)).ok());
        QCOMPARE(await(m_client->inspectNetwork(name)).error().kind(), Error::Kind::NotFound);
    }

    void images()
    {
        const auto list = await(m_client->listImages({{QStringLiteral("reference"), {ImageTag}}}));
        QVERIFY(list.ok());
        QCOMPARE(list->size(), 1);
        QCOMPARE(list->first().id, m_imageId);
        QVERIFY(list->first().repoTags.contains(ImageTag));
        const auto inspect = await(m_client->inspectImage(ImageTag));
        QVERIFY(inspect.ok());
        QCOMPARE(inspect->id, m_imageId);
        QCOMPARE(inspect->labels.value(SuiteLabel), SuiteValue);
        QCOMPARE(await(m_client->inspectImage(QStringLiteral("bctest/no-such-image:nope")))
                     .error()
                     .kind(),
                 Error::Kind::NotFound);
        // A tag of our own, removed again (the main image goes in cleanupTestCase).
        QVERIFY(await(m_client->request(
                          http::HttpRequest::post("/images/" + QUrl::toPercentEncoding(m_imageId) +
                                                  "/tag?repo=bctest/dockerclient-it&tag=extra")))
                    .ok());
        QVERIFY(await(m_client->removeImage(QStringLiteral("bctest/dockerclient-it:extra"))).ok());
        QCOMPARE(await(m_client->removeImage(QStringLiteral("bctest/dockerclient-it:extra")))
                     .error()
                     .kind(),
                 Error::Kind::NotFound);
    }

    void encodeFilters()
    {
        QCOMPARE(DockerClient::encodeFilters(
                     {{QStringLiteral("label"), {QStringLiteral("a=b"), QStringLiteral("c")}},
                      {QStringLiteral("status"), {QStringLiteral("running")}}}),
                 QByteArray("{\"label\":[\"a=b\",\"c\"],\"status\":[\"running\"]}"));
    }
};

QTEST_GUILESS_MAIN(TestDockerClient)
#include "tst_dockerclient.moc"
