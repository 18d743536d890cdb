// ctest: labels=docker timeout=300
// Box objects destroyed while engine calls are in flight. A DockerBackend's futures finish
// (Cancelled) by the time delete returns, also when its client lives on and answers later;
// a destroyed DeployJob runs nothing more; a DeployJob whose client dies finishes exactly
// once. In a Debug build, Qt 6.4's QFuture::then(context) asserts in each of these cases.
// A scripted fake daemon makes "in flight" deterministic; the last test destroys a backend
// mid-deploy on the real engine and checks that a delete cleans up after it.

#include "boxtestsupport.h"

#include "core/boxes/deployjob.h"
#include "core/boxes/dockerbackend.h"
#include "core/docker/dockerclient.h"
#include "support/fakehttpserver.h"
#include "support/testutil.h"
#include "support/trackedfuture.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <optional>

using namespace bc;
using namespace bc::boxes;
using namespace bc::test;
using namespace bc::test::boxes;

using bc::test::track;
using bc::test::TrackedFuture;

namespace {

// A fake engine with just enough answers for a deploy of an isolated box to reach
// "create". Requests whose "METHOD target" contains `hold` (every request but /_ping when
// holdAll is set) stay unanswered until release().
class ScriptedDaemon
{
public:
    ScriptedDaemon()
    {
        m_server.listenUnix();
        m_server.handler = [this](QIODevice *socket, const FakeHttpServer::Request &r) {
            const QByteArray line = r.method + ' ' + r.target;
            seen << line;
            const bool ping = r.target.endsWith("/_ping");
            if (!ping && (holdAll || (!hold.isEmpty() && line.contains(hold)))) {
                m_held.append({socket, r});
                return;
            }
            answer(socket, r);
        };
    }

    http::Endpoint endpoint() const
    {
        http::Endpoint ep;
        ep.socketPath = m_server.socketPath();
        return ep;
    }

    int heldCount() const { return int(m_held.size()); }

    void release()
    {
        holdAll = false;
        hold.clear();
        const auto held = std::exchange(m_held, {});
        for (const auto &[socket, r] : held)
            if (socket)
                answer(socket, r);
    }

    bool holdAll = false;
    QByteArray hold;
    QList<QByteArray> seen;

private:
    static void answer(QIODevice *socket, const FakeHttpServer::Request &r)
    {
        const QByteArray &t = r.target;
        QByteArray out;
        if (t.endsWith("/_ping"))
            out = FakeHttpServer::response(200, r.method == "HEAD" ? "" : "OK", "text/plain",
                                           "Api-Version: 1.41\r\n");
        else if (r.method == "GET" && t.contains("/containers/json"))
            out = FakeHttpServer::response(200, "[]");
        else if (r.method == "GET" && t.contains("/images/"))
            out = FakeHttpServer::response(200, R"({"Id":"sha256:1"})");
        else if (r.method == "GET")
            out = FakeHttpServer::response(404, R"({"message":"no such object"})");
        else if (t.contains("/volumes/create"))
            out = FakeHttpServer::response(201, R"({"Name":"v"})");
        else if (t.contains("/networks/create"))
            out = FakeHttpServer::response(201, R"({"Id":"n1"})");
        else if (t.contains("/containers/create"))
            out = FakeHttpServer::response(201, R"({"Id":"c1","Warnings":[]})");
        else
            out = FakeHttpServer::response(204, "");
        socket->write(out);
    }

    FakeHttpServer m_server;
    QList<QPair<QPointer<QIODevice>, FakeHttpServer::Request>> m_held;
};

DeployOptions optionsIn(const QTemporaryDir &journal)
{
    DeployOptions o = testOptions();
    o.journalDir = journal.path();
    return o;
}

} // namespace

class TestBackendLifetime : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void backendFuturesFinishWhenBackendDies_data();
    void backendFuturesFinishWhenBackendDies();
    void destroyedDeployJobRunsNothingMore();
    void deployJobFinishesOnceWhenClientDies_data();
    void deployJobFinishesOnceWhenClientDies();
    void backendDestroyedMidDeploy_data();
    void backendDestroyedMidDeploy();

private:
    EngineSuite m_suite;
    bool m_engine = false;
};

void TestBackendLifetime::initTestCase()
{
    m_engine = dockerAvailable();
    if (m_engine) {
        const QString error = m_suite.setUp();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
}

void TestBackendLifetime::cleanupTestCase()
{
    if (m_engine)
        removeLabelled();
}

void TestBackendLifetime::backendFuturesFinishWhenBackendDies_data()
{
    QTest::addColumn<bool>("sharedClient");
    QTest::newRow("owned client") << false;
    QTest::newRow("shared client") << true;
}

void TestBackendLifetime::backendFuturesFinishWhenBackendDies()
{
    QFETCH(bool, sharedClient);
    QTemporaryDir journal;
    ScriptedDaemon daemon;
    daemon.holdAll = true;
    std::unique_ptr<docker::DockerClient> client;
    DockerBackend *backend = nullptr;
    if (sharedClient) {
        client = std::make_unique<docker::DockerClient>(daemon.endpoint());
        backend = new DockerBackend(client.get(), optionsIn(journal));
    } else {
        backend = new DockerBackend(daemon.endpoint(), optionsIn(journal));
    }
    const QString box = QStringLiteral("bxl-box");
    const QList<TrackedFuture> futures = {
        track(QStringLiteral("list"), backend->list()),
        track(QStringLiteral("status"), backend->status(box)),
        track(QStringLiteral("inspect"), backend->inspect(box)),
        track(QStringLiteral("start"), backend->start(box)),
        track(QStringLiteral("stop"), backend->stop(box)),
        track(QStringLiteral("restart"), backend->restart(box)),
        track(QStringLiteral("recentLogs"), backend->recentLogs(box, 10)),
    };
    QTRY_VERIFY2_WITH_TIMEOUT(
        daemon.heldCount() >= futures.size(),
        qPrintable(QStringLiteral("the daemon holds %1 requests").arg(daemon.heldCount())), 10000);
    for (const TrackedFuture &t : futures)
        QVERIFY2(!t.isFinished(), qPrintable(t.what + QStringLiteral(" finished early")));

    delete backend;
    for (const TrackedFuture &t : futures) {
        QVERIFY2(t.isFinished(), qPrintable(t.what + QStringLiteral(" did not finish")));
        const std::optional<Error> e = t.error();
        QVERIFY2(e.has_value(), qPrintable(t.what + QStringLiteral(" finished with a value")));
        QVERIFY2(e->kind() == Error::Kind::Cancelled || e->kind() == Error::Kind::Transport,
                 qPrintable(t.what + QStringLiteral(": ") + e->toString()));
    }

    // The shared client's calls complete after the backend is gone: their continuations
    // belonged to the backend and must not run (Qt 6.4's then(context) asserts here).
    daemon.release();
    spinEventLoop(500);
    if (client) {
        const auto list = await(client->listContainers(true), 10000);
        QVERIFY_RESULT(list);
    }
}

void TestBackendLifetime::destroyedDeployJobRunsNothingMore()
{
    QTemporaryDir journal;
    ScriptedDaemon daemon;
    daemon.hold = "GET /v1.41/containers/json"; // the name check of "validate"
    docker::DockerClient client(daemon.endpoint());
    const QString name = uniqueName(QStringLiteral("bxl"));
    auto *job = new DeployJob(&client, agentSpec(name), optionsIn(journal), BoxInfo());
    QSignalSpy finished(job, &BoxJob::finished);
    QSignalSpy steps(job, &BoxJob::stepStarted);
    QTRY_COMPARE_WITH_TIMEOUT(daemon.heldCount(), 1, 10000);
    const qsizetype requestsBefore = daemon.seen.size();
    const qsizetype stepsBefore = steps.count();

    delete job;
    daemon.release(); // the list arrives; the job would go on with an inspect
    spinEventLoop(500);
    QCOMPARE(daemon.seen.size(), requestsBefore);
    QCOMPARE(steps.count(), stepsBefore);
    QCOMPARE(finished.count(), 0);
}

void TestBackendLifetime::deployJobFinishesOnceWhenClientDies_data()
{
    QTest::addColumn<QByteArray>("hold");
    QTest::addColumn<QString>("step");
    QTest::addColumn<QString>("message");
    QTest::newRow("name check") << QByteArray("GET /v1.41/containers/json")
                                << QStringLiteral("validate")
                                << QStringLiteral("nothing was created");
    QTest::newRow("create, volumes made")
        << QByteArray("POST /v1.41/containers/create") << QStringLiteral("create")
        << QStringLiteral("left behind: volume");
}

void TestBackendLifetime::deployJobFinishesOnceWhenClientDies()
{
    QFETCH(QByteArray, hold);
    QFETCH(QString, step);
    QFETCH(QString, message);
    QTemporaryDir journal;
    ScriptedDaemon daemon;
    daemon.hold = hold;
    auto *client = new docker::DockerClient(daemon.endpoint());
    const QString name = uniqueName(QStringLiteral("bxl"));
    std::unique_ptr<DeployJob> job(
        new DeployJob(client, agentSpec(name), optionsIn(journal), BoxInfo()));
    job->setAutoDelete(false); // owned here
    QSignalSpy finished(job.get(), &BoxJob::finished);
    QTRY_COMPARE_WITH_TIMEOUT(daemon.heldCount(), 1, 10000);
    QCOMPARE(job->currentStep(), step);

    delete client;
    // The rollback has no engine left: it gives up at once and says what is left behind.
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 10000);
    spinEventLoop(300);
    QCOMPARE(finished.count(), 1);
    const Result<BoxInfo> r = job->result();
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind(), Error::Kind::Cancelled);
    QVERIFY2(r.error().context().startsWith(QStringLiteral("deploy %1: %2").arg(name, step)),
             qPrintable(r.error().toString()));
    QVERIFY2(r.error().message().contains(message), qPrintable(r.error().toString()));
}

void TestBackendLifetime::backendDestroyedMidDeploy_data()
{
    QTest::addColumn<QString>("step");
    QTest::newRow("create") << QStringLiteral("create");
    QTest::newRow("health") << QStringLiteral("health");
}

void TestBackendLifetime::backendDestroyedMidDeploy()
{
    if (!m_engine)
        QSKIP("no Docker engine");
    QFETCH(QString, step);
    QTemporaryDir journal;
    const QString name = uniqueName(QStringLiteral("bxl"));
    auto *backend = new DockerBackend(http::Endpoint{}, optionsIn(journal));
    QPointer<BoxJob> job = backend->deploy(agentSpec(name));
    QStringList steps;
    connect(job.data(), &BoxJob::stepStarted, this, [&](const QString &s) { steps << s; });
    QTRY_VERIFY2_WITH_TIMEOUT(steps.contains(step) || !job || job->isFinished(),
                              qPrintable(steps.join(u',')), 60000);
    QVERIFY2(job && !job->isFinished(), qPrintable(steps.join(u',')));
    // Its call to the engine is in flight now (create) or it waits for events (health).
    // While the backend's client closes, the job may still learn that its event stream
    // ended; once delete returns, nothing of it runs any more.
    delete backend;
    QVERIFY(job.isNull());
    const QStringList stepsAfterDelete = steps;
    spinEventLoop(1000);
    QCOMPARE(steps, stepsAfterDelete);

    // What the destroyed deploy left is labelled and journalled: a delete removes it all.
    DockerBackend again(http::Endpoint{}, optionsIn(journal));
    const auto removed = runJob(again.remove(name, false), 60000);
    QVERIFY_RESULT(removed);
    QCOMPARE(objectsOf(name), QStringList());
}

QTEST_GUILESS_MAIN(TestBackendLifetime)
#include "tst_backendlifetime.moc"
