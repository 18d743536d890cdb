// ctest: labels=docker;dockerd-restart timeout=600
#include "boxtestsupport.h"

#include "core/boxes/deployjournal.h"
#include "core/boxes/dockerbackend.h"
#include "support/testutil.h"

#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace bc;
using namespace bc::boxes;
using namespace bc::test;
using namespace bc::test::boxes;

// The engine goes away in the middle of two deploys (restarts dockerd: other users of the
// daemon see a short outage, hence its own ctest label). One deploy waits for the engine
// and rolls back; the other gives up at once, records its leftovers in the journal, and the
// next delete of that box removes them.
class tst_DockerdRestart : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void engineRestartMidDeploy();

private:
    EngineSuite m_suite;
};

void tst_DockerdRestart::initTestCase()
{
    if (!dockerAvailable())
        QSKIP("no Docker engine");
    if (geteuid() != 0)
        QSKIP("restarting dockerd needs root");
    const QString error = m_suite.setUp();
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_DockerdRestart::cleanupTestCase()
{
    removeLabelled();
}

void tst_DockerdRestart::engineRestartMidDeploy()
{
    DeployOptions patient = testOptions();
    patient.engineWaitMs = 120000;
    DeployOptions impatient = testOptions();
    impatient.engineWaitMs = 200;
    DockerBackend a(http::Endpoint{}, patient);
    DockerBackend b(http::Endpoint{}, impatient);

    // Health every 60 s: both jobs sit in "health" until the engine goes away.
    const QString nameA = uniqueName(QStringLiteral("bxka"));
    const QString nameB = uniqueName(QStringLiteral("bxkb"));
    auto specA = agentSpec(nameA);
    specA.healthcheck->intervalMs = 60000;
    auto specB = agentSpec(nameB);
    specB.healthcheck->intervalMs = 60000;
    BoxJob *jobA = a.deploy(specA);
    BoxJob *jobB = b.deploy(specB);
    int inHealth = 0;
    for (BoxJob *job : {jobA, jobB}) {
        connect(job, &BoxJob::stepStarted, this, [&](const QString &s) {
            if (s == QLatin1String("health"))
                ++inHealth;
        });
        connect(job, &BoxJob::progress, this, [job, jobA](const QString &text) {
            qInfo("%s: %s", job == jobA ? "A" : "B", qPrintable(text));
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(inHealth, 2, 60000);

    QElapsedTimer t;
    t.start();
    QVERIFY(restartDockerd(500));
    qInfo("dockerd was restarted in %lld ms", t.elapsed());

    const auto ra = runJob(jobA, 180000);
    const auto rb = runJob(jobB, 180000);
    QVERIFY(!ra.ok());
    QVERIFY(!rb.ok());
    qInfo("A: %s", qPrintable(ra.error().toString()));
    qInfo("B: %s", qPrintable(rb.error().toString()));
    QVERIFY2(ra.error().context().startsWith(QStringLiteral("deploy %1: health").arg(nameA)),
             qPrintable(ra.error().toString()));
    QVERIFY2(ra.error().toString().contains(QLatin1String("rolled back")),
             qPrintable(ra.error().toString()));
    QCOMPARE(objectsOf(nameA).join(QLatin1Char(',')), QString());

    // B either managed (engine back within its short wait) or left a journal entry.
    const DeployJournal journal;
    if (rb.error().toString().contains(QLatin1String("left behind"))) {
        QVERIFY(!journal.read(b.client()->endpoint().toUrl(), nameB).isEmpty());
        QVERIFY(!objectsOf(nameB).isEmpty());
    }
    const auto d = runJob(b.remove(nameB, false), 120000);
    QVERIFY2(d.ok(), qPrintable(d.ok() ? QString() : d.error().toString()));
    QCOMPARE(objectsOf(nameB), QStringList());
    QVERIFY(journal.read(b.client()->endpoint().toUrl(), nameB).isEmpty());
}

QTEST_GUILESS_MAIN(tst_DockerdRestart)
#include "tst_dockerdrestart.moc"
