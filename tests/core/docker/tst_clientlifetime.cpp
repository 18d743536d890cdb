// ctest: labels=docker timeout=180
// A DockerClient destroyed while its calls are in flight: every future it handed out has
// finished (Cancelled or Transport) by the time delete returns, the stream jobs it owned
// are gone, and nothing it started runs afterwards (in a Debug build, Qt 6.4's
// QFuture::then(context) asserts exactly there). Against a fake daemon that holds requests
// (in flight for as long as the test wants) and against the real engine (a wait that
// blocks server-side). The engine objects carry box-console.test=1 and are removed.

#include "core/docker/dockerclient.h"
#include "core/docker/eventstream.h"
#include "core/docker/logoptions.h"
#include "core/docker/logstream.h"
#include "core/docker/statsstream.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponse.h"
#include "support/dockerfixture.h"
#include "support/fakehttpserver.h"
#include "support/testutil.h"
#include "support/trackedfuture.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTest>

#include <functional>
#include <optional>

#include <nlohmann/json.hpp>

using namespace bc;
using namespace bc::docker;
using bc::test::FakeHttpServer;

using bc::test::track;
using bc::test::TrackedFuture;

namespace {

// A fake daemon that holds every request unanswered, except /_ping (API 1.41) while
// answerPing is set.
class HoldingDaemon
{
public:
    explicit HoldingDaemon(bool answerPings)
        : answerPing(answerPings)
    {
        m_server.listenUnix();
        m_server.handler = [this](QIODevice *socket, const FakeHttpServer::Request &r) {
            if (this->answerPing && r.target.endsWith("/_ping")) {
                socket->write(FakeHttpServer::response(200, r.method == "HEAD" ? "" : "OK",
                                                       "text/plain", "Api-Version: 1.41\r\n"));
                return;
            }
            ++held;
        };
    }
    http::Endpoint endpoint() const
    {
        http::Endpoint ep;
        ep.socketPath = m_server.socketPath();
        return ep;
    }
    bool answerPing;
    int held = 0;

private:
    FakeHttpServer m_server;
};

// Every kind of call the client makes that needs an answer from the daemon: typed calls
// (parsed and void), the two-step stats, and the low-level ones.
QList<TrackedFuture> startEverything(DockerClient *c)
{
    const QString id = QStringLiteral("c0ffee");
    return {
        track(QStringLiteral("ping"), c->ping()),
        track(QStringLiteral("version"), c->version()),
        track(QStringLiteral("info"), c->info()),
        track(QStringLiteral("listContainers"), c->listContainers(true)),
        track(QStringLiteral("inspectContainer"), c->inspectContainer(id)),
        track(QStringLiteral("createContainer"), c->createContainer(id, {{"Image", "x"}})),
        track(QStringLiteral("startContainer"), c->startContainer(id)),
        track(QStringLiteral("stopContainer"), c->stopContainer(id, 1)),
        track(QStringLiteral("removeContainer"), c->removeContainer(id, true)),
        track(QStringLiteral("waitContainer"), c->waitContainer(id)),
        track(QStringLiteral("createVolume"), c->createVolume(id)),
        track(QStringLiteral("listVolumes"), c->listVolumes()),
        track(QStringLiteral("inspectVolume"), c->inspectVolume(id)),
        track(QStringLiteral("removeVolume"), c->removeVolume(id)),
        track(QStringLiteral("createNetwork"), c->createNetwork(id, true)),
        track(QStringLiteral("inspectNetwork"), c->inspectNetwork(id)),
        track(QStringLiteral("listNetworks"), c->listNetworks()),
        track(QStringLiteral("connectNetwork"), c->connectNetwork(id, id)),
        track(QStringLiteral("disconnectNetwork"), c->disconnectNetwork(id, id)),
        track(QStringLiteral("removeNetwork"), c->removeNetwork(id)),
        track(QStringLiteral("listImages"), c->listImages()),
        track(QStringLiteral("inspectImage"), c->inspectImage(id)),
        track(QStringLiteral("removeImage"), c->removeImage(id)),
        track(QStringLiteral("stats"), c->stats(id)),
        track(QStringLiteral("request"), c->request(http::HttpRequest::get("/x"))),
    };
}

// Checks that every tracked future finished with an error a caller can read as "the
// client went away", without spinning the event loop first.
void verifyAllCancelled(const QList<TrackedFuture> &futures)
{
    for (const TrackedFuture &t : futures) {
        QVERIFY2(t.isFinished(), qPrintable(t.what + QStringLiteral(" did not finish")));
        const std::optional<Error> e = t.error();
        QVERIFY2(e.has_value(), qPrintable(t.what + QStringLiteral(" finished with a value")));
        QVERIFY2(e->kind() == Error::Kind::Cancelled || e->kind() == Error::Kind::Transport,
                 qPrintable(t.what + QStringLiteral(": ") + e->toString()));
    }
}

http::Endpoint engineEndpoint()
{
    http::Endpoint ep;
    const QByteArray host = qgetenv("DOCKER_HOST");
    if (host.startsWith("unix://"))
        ep.socketPath = QString::fromUtf8(host.mid(7));
    return ep;
}

} // namespace

class TestClientLifetime : public QObject
{
    Q_OBJECT

private slots:
    void readyResultsArriveAtOnce();
    void futuresFinishWhenClientDies_data();
    void futuresFinishWhenClientDies();
    void engineWaitFinishesWhenClientDies();
};

void TestClientLifetime::readyResultsArriveAtOnce()
{
    // QFuture::then(this, …) ran a continuation of a finished future before returning;
    // the watcher-based chain must too, or every call would cost extra loop turns.
    HoldingDaemon daemon(true);
    DockerClient client(daemon.endpoint());
    client.setApiVersion(QStringLiteral("1.41"));
    const QFuture<Result<QByteArray>> target = client.versionedTarget("/containers/json");
    QVERIFY(target.isFinished());
    QVERIFY_RESULT(target.result());
    QCOMPARE(target.result().value(), QByteArray("/v1.41/containers/json"));
}

void TestClientLifetime::futuresFinishWhenClientDies_data()
{
    QTest::addColumn<QString>("phase");
    QTest::newRow("while negotiating") << QStringLiteral("negotiating");
    QTest::newRow("after negotiation") << QStringLiteral("negotiated");
    QTest::newRow("pinned version") << QStringLiteral("pinned");
}

void TestClientLifetime::futuresFinishWhenClientDies()
{
    QFETCH(QString, phase);
    const bool negotiating = phase == QLatin1String("negotiating");
    HoldingDaemon daemon(phase == QLatin1String("negotiated"));
    auto *client = new DockerClient(daemon.endpoint());
    if (phase == QLatin1String("pinned"))
        client->setApiVersion(QStringLiteral("1.41"));
    if (phase == QLatin1String("negotiated")) {
        const auto v = bc::test::await(client->negotiate(), 10000);
        QVERIFY_RESULT(v);
        daemon.answerPing = false; // an explicit ping() is held like everything else
    }

    QList<TrackedFuture> futures = startEverything(client);
    const TrackedFuture negotiation = track(QStringLiteral("negotiate"), client->negotiate());
    const TrackedFuture target =
        track(QStringLiteral("versionedTarget"), client->versionedTarget("/x"));
    if (negotiating) {
        futures << negotiation << target;
    } else {
        // Known version: both are ready before the call returns, and succeed.
        QVERIFY(negotiation.isFinished() && !negotiation.error());
        QVERIFY(target.isFinished() && !target.error());
    }
    LogOptions follow;
    follow.follow = true;
    follow.tty = false;
    const QPointer<EventStream> events = client->events();
    const QPointer<LogStream> logs = client->logs(QStringLiteral("c0ffee"), follow);
    const QPointer<StatsStream> stats = client->statsStream(QStringLiteral("c0ffee"));
    QSignalSpy eventsFinished(events.data(), &EventStream::finished);

    // In flight: the daemon holds the negotiation ping, or every call and the three streams.
    const qsizetype expected = negotiating ? 1 : futures.size() + 3;
    QTRY_VERIFY2_WITH_TIMEOUT(
        daemon.held >= expected,
        qPrintable(QStringLiteral("the daemon saw %1 requests").arg(daemon.held)), 10000);
    for (const TrackedFuture &t : futures)
        QVERIFY2(!t.isFinished(), qPrintable(t.what + QStringLiteral(" finished early")));

    delete client;
    verifyAllCancelled(futures);
    QVERIFY(events.isNull());
    QVERIFY(logs.isNull());
    QVERIFY(stats.isNull());
    // An open stream may report its end while it is torn down: once, as Cancelled.
    QVERIFY(eventsFinished.count() <= 1);
    for (const QList<QVariant> &args : std::as_const(eventsFinished))
        QCOMPARE(args.at(0).value<VoidResult>().error().kind(), Error::Kind::Cancelled);
    const qsizetype finishedAtDelete = eventsFinished.count();

    // Late deliveries (socket teardown, queued watcher events) must find nothing to run.
    bc::test::spinEventLoop(300);
    QCOMPARE(eventsFinished.count(), finishedAtDelete);
}

void TestClientLifetime::engineWaitFinishesWhenClientDies()
{
    if (!bc::test::dockerAvailable())
        QSKIP("no Docker engine");
    bc::test::LabelledCleanup cleanup;
    int code = 0;
    const QString id = bc::test::runDocker(
        {QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--label"),
         bc::test::testLabel(), QStringLiteral("--network"), QStringLiteral("none"),
         QStringLiteral("--name"), bc::test::uniqueName(QStringLiteral("bc-life")),
         bc::test::testImage(), QStringLiteral("sleep"), QStringLiteral("300")},
        &code);
    QCOMPARE(code, 0);

    auto *client = new DockerClient(engineEndpoint());
    QVERIFY_RESULT(bc::test::await(client->negotiate()));
    // POST /wait answers only when the container stops: in flight until we give up.
    QList<TrackedFuture> futures = {
        track(QStringLiteral("waitContainer"), client->waitContainer(id)),
        track(QStringLiteral("second waitContainer"), client->waitContainer(id)),
    };
    LogOptions follow;
    follow.follow = true;
    const QPointer<LogStream> logs = client->logs(id, follow);
    const QPointer<EventStream> events = client->events();
    QSignalSpy connected(events.data(), &EventStream::connected);
    QVERIFY(connected.wait(10000));
    futures << track(QStringLiteral("inspectContainer"), client->inspectContainer(id))
            << track(QStringLiteral("stats"), client->stats(id, false));

    delete client;
    verifyAllCancelled(futures);
    QVERIFY(logs.isNull());
    QVERIFY(events.isNull());
    bc::test::spinEventLoop(300);

    // The engine is unaffected: the container still runs, and a new client reaches it.
    DockerClient again(engineEndpoint());
    const auto inspect = bc::test::await(again.inspectContainer(id));
    QVERIFY_RESULT(inspect);
    QVERIFY(inspect->running);
}

QTEST_GUILESS_MAIN(TestClientLifetime)
#include "tst_clientlifetime.moc"
