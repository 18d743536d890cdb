// ctest: labels=docker timeout=600
#include "boxtestsupport.h"

#include "core/boxes/dockerbackend.h"
#include "core/docker/dockerclient.h"
#include "core/http/httpclient.h"
#include "support/testutil.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace bc;
using namespace bc::boxes;
using namespace bc::test;
using namespace bc::test::boxes;

// 20 deploys at once on one client, each box deleted as soon as it is healthy, so deploys
// and deletes overlap: every job must end consistently and no socket may leak.
class tst_Concurrent : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void twentyDeploysAndDeletes();

private:
    EngineSuite m_suite;
};

void tst_Concurrent::initTestCase()
{
    if (!dockerAvailable())
        QSKIP("no Docker engine");
    const QString error = m_suite.setUp();
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_Concurrent::cleanupTestCase()
{
    removeLabelled();
}

void tst_Concurrent::twentyDeploysAndDeletes()
{
    constexpr int N = 20;
    auto backend = std::make_unique<DockerBackend>(http::Endpoint{}, testOptions());
    http::HttpClient *http = backend->client()->http();
    QVERIFY(bc::test::await(backend->list()).ok()); // negotiated, one pooled connection
    http->closeAll();
    const int fdBaseline = openFdCount();

    QStringList names;
    QHash<QString, Result<BoxInfo>> deployed;
    QHash<QString, Result<BoxInfo>> deleted;
    int maxOpen = 0;
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < N; ++i) {
        const QString name = uniqueName(QStringLiteral("bxn"));
        names << name;
        BoxJob *job = backend->deploy(agentSpec(name));
        connect(job, &BoxJob::finished, this, [&, name](const Result<BoxInfo> &r) {
            deployed.insert(name, r);
            BoxJob *del = backend->remove(name, false);
            connect(del, &BoxJob::finished, this,
                    [&, name](const Result<BoxInfo> &d) { deleted.insert(name, d); });
        });
    }
    QDeadlineTimer deadline(400000);
    while (deleted.size() < N && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 20);
        maxOpen = std::max(maxOpen, http->openConnectionCount());
    }
    qInfo("%d deploys + deletes in %lld ms; at most %d connections open at once", N, t.elapsed(),
          maxOpen);
    QCOMPARE(deleted.size(), N);
    for (const QString &name : std::as_const(names)) {
        const auto &d = deployed.value(
            name, Result<BoxInfo>(Error(Error::Kind::Cancelled, QStringLiteral("missing"))));
        QVERIFY2(d.ok(), qPrintable(name + QStringLiteral(": ") +
                                    (d.ok() ? QString() : d.error().toString())));
        QCOMPARE(d->health, BoxInfo::Health::Healthy);
        const auto &x = deleted.value(
            name, Result<BoxInfo>(Error(Error::Kind::Cancelled, QStringLiteral("missing"))));
        QVERIFY2(x.ok(), qPrintable(name + QStringLiteral(": ") +
                                    (x.ok() ? QString() : x.error().toString())));
        QCOMPARE(objectsOf(name), QStringList());
    }
    // Consistent view afterwards: none of them listed.
    const auto list = bc::test::await(backend->list());
    QVERIFY(list.ok());
    for (const BoxInfo &b : list.value())
        QVERIFY2(!names.contains(b.name), qPrintable(b.name));

    // No leak: what stays open is the bounded idle pool, and closing it returns every fd.
    const int open = http->openConnectionCount();
    qInfo("open after the run: %d (idle %d); fds %d (baseline %d)", open,
          http->idleConnectionCount(), openFdCount(), fdBaseline);
    QVERIFY(open <= 6);
    http->closeAll();
    spinEventLoop(200);
    QCOMPARE(http->openConnectionCount(), 0);
    QVERIFY2(openFdCount() <= fdBaseline,
             qPrintable(QStringLiteral("%1 > %2").arg(openFdCount()).arg(fdBaseline)));
}

QTEST_GUILESS_MAIN(tst_Concurrent)
#include "tst_concurrent.moc"
