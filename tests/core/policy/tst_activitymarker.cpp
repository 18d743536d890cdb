// ctest: labels=docker timeout=180
// ActivityMarker against the real engine and the test box image, whose agent reports the
// marker's time as lastActivity in its health check: a touch reaches the policy service's
// reading of the box (one inspect), a started marker keeps touching until stopped, and a
// box where the marker cannot be written reports an error instead of pretending.
#include "core/docker/dockerclient.h"
#include "core/policy/activitymarker.h"
#include "core/policy/policyservice.h"
#include "support/dockerendpoint.h"
#include "support/dockerfixture.h"
#include "support/paths.h"
#include "support/testutil.h"

#include <QDateTime>
#include <QFile>
#include <QTest>

using namespace bc;
using bc::policy::ActivityMarker;
using bc::test::await;
using bc::test::waitUntil;

class tst_ActivityMarker : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::LabelledCleanup> m_cleanup;
    std::unique_ptr<docker::DockerClient> m_client;
    QString m_box;

    QString runBox(const QString &prefix, const QStringList &extra)
    {
        const QString name = test::uniqueName(prefix);
        int code = -1;
        QString err;
        test::runDocker(QStringList{QStringLiteral("run"), QStringLiteral("-d"),
                                    QStringLiteral("--name"), name, QStringLiteral("--label"),
                                    test::testLabel(), QStringLiteral("--read-only"),
                                    QStringLiteral("--network"), QStringLiteral("none")} +
                            extra + QStringList{test::boxTestImage()},
                        &code, &err);
        return code == 0 ? name : (qWarning("docker run: %s", qPrintable(err)), QString());
    }

    qint64 markerTime(const QString &box)
    {
        const QString out = test::runDocker({QStringLiteral("exec"), box, QStringLiteral("stat"),
                                             QStringLiteral("-c"), QStringLiteral("%Y"),
                                             ActivityMarker::markerPath()});
        return out.trimmed().isEmpty() ? 0 : out.trimmed().toLongLong();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(test::dockerAvailable(), "no Docker engine");
        m_cleanup = std::make_unique<test::LabelledCleanup>();
        m_client = std::make_unique<docker::DockerClient>(test::defaultEndpoint());
        // As a hardened box: read-only root, /tmp a tmpfs; health checked every second.
        m_box = runBox(QStringLiteral("marker"),
                       {QStringLiteral("--tmpfs"), QStringLiteral("/tmp:mode=1777"),
                        QStringLiteral("--health-interval"), QStringLiteral("1s")});
        QVERIFY(!m_box.isEmpty());
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_cleanup.reset();
    }

    // The box-agent reads the marker where ActivityMarker writes it.
    void theAgentReadsThisMarker()
    {
        QFile agent(test::sourceDir() + QStringLiteral("/infrastructure/box-base/box-agent.sh"));
        QVERIFY(agent.open(QIODevice::ReadOnly));
        const QByteArray line =
            "marker=${BOX_ACTIVITY_MARKER:-" + ActivityMarker::markerPath().toUtf8() + "}";
        QVERIFY(agent.readAll().contains(line));
    }

    void aTouchIsTheBoxsLastActivity()
    {
        QCOMPARE(markerTime(m_box), 0); // nobody was there yet
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
        ActivityMarker marker(m_client.get(), m_box);
        const VoidResult r = await(marker.touch());
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QVERIFY(markerTime(m_box) >= before.toSecsSinceEpoch());
        // What the policy service reads from one inspect: the agent's report of it.
        QDateTime seen;
        QVERIFY(waitUntil(
            [&] {
                const auto c = await(m_client->inspectContainer(m_box));
                seen = c.ok() ? policy::PolicyService::lastActivityFrom(c.value()) : QDateTime();
                return seen.isValid() && seen >= before;
            },
            20000));
    }

    void touchesWhileStartedAndNotAfterStop()
    {
        ActivityMarker marker(m_client.get(), m_box);
        marker.setIntervalMs(1000);
        test::spinEventLoop(1100); // the marker's second moves on
        const qint64 t0 = markerTime(m_box);
        marker.start();
        QVERIFY(marker.isActive());
        QVERIFY(waitUntil([&] { return markerTime(m_box) > t0; }, 5000));
        const qint64 t1 = markerTime(m_box);
        QVERIFY(waitUntil([&] { return markerTime(m_box) > t1; }, 5000)); // and again
        marker.stop();
        test::spinEventLoop(300); // a touch already on its way may still land
        const qint64 stopped = markerTime(m_box);
        test::spinEventLoop(2500);
        QCOMPARE(markerTime(m_box), stopped);
    }

    // Read-only root and no tmpfs: nowhere to write. An error, and the box runs on.
    void aBoxWithoutWritableTmpSaysSo()
    {
        const QString box = runBox(QStringLiteral("marker-ro"), {});
        QVERIFY(!box.isEmpty());
        ActivityMarker marker(m_client.get(), box);
        const VoidResult r = await(marker.touch());
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message().contains(QLatin1String("exited with code")),
                 qPrintable(r.error().toString()));
        const auto c = await(m_client->inspectContainer(box));
        QVERIFY(c.ok() && c->running);
    }

    void aStoppedBoxIsAnErrorNotAHang()
    {
        const QString box = runBox(QStringLiteral("marker-stopped"),
                                   {QStringLiteral("--tmpfs"), QStringLiteral("/tmp")});
        QVERIFY(!box.isEmpty());
        test::runDocker({QStringLiteral("stop"), QStringLiteral("-t"), QStringLiteral("1"), box});
        ActivityMarker marker(m_client.get(), box);
        const VoidResult r = await(marker.touch());
        QVERIFY(!r.ok());
    }
};

QTEST_GUILESS_MAIN(tst_ActivityMarker)
#include "tst_activitymarker.moc"
