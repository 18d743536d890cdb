// ctest: labels=docker
// The one stats sampler against the real engine: one-shot at a slow refresh (the first
// sample's CPU unknown, the next against it), a stream per container at a fast one (the
// stream's latest document, one open stream per container, closed when the container
// stops being sampled), and what a forgotten or stopped container gives.
#include "core/docker/dockerclient.h"
#include "core/docker/statssampler.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"

#include <QTest>

using namespace bc;
using namespace bc::docker;
using namespace bc::test;

class tst_StatsSampler : public QObject
{
    Q_OBJECT

    std::unique_ptr<LabelledCleanup> m_cleanup;
    std::unique_ptr<DockerClient> m_client;
    QString m_a;
    QString m_b;

    QString runBusy(const QString &name)
    {
        int code = 0;
        QString err;
        const QString id = runDocker(
            {QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--network"),
             QStringLiteral("none"), QStringLiteral("--cpus"), QStringLiteral("0.5"),
             QStringLiteral("--label"), testLabel(), QStringLiteral("--name"), name, testImage(),
             QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("while :; do :; done")},
            &code, &err);
        if (code != 0)
            qWarning("docker run: %s", qPrintable(err));
        return code == 0 ? id : QString();
    }

private slots:
    void initTestCase()
    {
        m_cleanup = std::make_unique<LabelledCleanup>();
        m_client = std::make_unique<DockerClient>(http::Endpoint());
        m_a = runBusy(uniqueName(QStringLiteral("bxs-a")));
        m_b = runBusy(uniqueName(QStringLiteral("bxs-b")));
        QVERIFY(!m_a.isEmpty() && !m_b.isEmpty());
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_cleanup.reset();
    }

    void oneShotAgainstItsPreviousSample()
    {
        StatsSampler sampler(m_client.get());
        sampler.setInterval(2000);
        QVERIFY(!sampler.isStreaming());
        const auto first = await(sampler.sample(m_a));
        QVERIFY2(first, qPrintable(first ? QString() : first.error().toString()));
        QVERIFY(!first->cpuKnown); // a one-shot document has no precpu
        QVERIFY(first->memoryUsage > 0);
        QVERIFY(sampler.hasPrevious(m_a));
        spinEventLoop(600);
        const auto second = await(sampler.sample(m_a));
        QVERIFY(second);
        QVERIFY(second->cpuKnown);
        // A busy loop held to half a core: about 50 %, measured against the first sample.
        QVERIFY2(second->cpuPercent > 20, qPrintable(QString::number(second->cpuPercent)));
        QCOMPARE(sampler.openStreams(), 0);

        // Forgotten (it restarted): the next sample starts over.
        sampler.forget(m_a);
        QVERIFY(!sampler.hasPrevious(m_a));
        const auto again = await(sampler.sample(m_a));
        QVERIFY(again && !again->cpuKnown);

        // keepOnly drops the others.
        QVERIFY(await(sampler.sample(m_b)));
        sampler.keepOnly({m_b});
        QVERIFY(!sampler.hasPrevious(m_a));
        QVERIFY(sampler.hasPrevious(m_b));

        // A container that does not exist: an error, and nothing kept for it.
        const auto missing = await(sampler.sample(QStringLiteral("bxs-no-such-container")));
        QVERIFY(!missing);
        QCOMPARE(missing.error().kind(), Error::Kind::NotFound);
        QVERIFY(!sampler.hasPrevious(QStringLiteral("bxs-no-such-container")));
    }

    void streamsBelowTheThreshold()
    {
        StatsSampler sampler(m_client.get());
        sampler.setInterval(1000);
        QVERIFY(sampler.isStreaming());
        const auto first = await(sampler.sample(m_a));
        QVERIFY2(first, qPrintable(first ? QString() : first.error().toString()));
        QCOMPARE(sampler.openStreams(), 1);
        QVERIFY(await(sampler.sample(m_b)));
        QCOMPARE(sampler.openStreams(), 2);
        // The stream sends a document a second: within a few, one with a CPU delta.
        QVERIFY(waitUntil(
            [&] {
                const auto s = await(sampler.sample(m_a));
                return s && s->cpuKnown && s->cpuPercent > 20;
            },
            10000));
        QCOMPARE(sampler.openStreams(), 2); // sampling again reuses the stream
        sampler.keepOnly({m_a});
        QCOMPARE(sampler.openStreams(), 1);

        // Back to one-shot: the streams close, the latest sample is the next previous one.
        sampler.setInterval(3000);
        QVERIFY(!sampler.isStreaming());
        QCOMPARE(sampler.openStreams(), 0);
        QVERIFY(sampler.hasPrevious(m_a));
        const auto oneShot = await(sampler.sample(m_a));
        QVERIFY(oneShot && oneShot->cpuKnown);
    }

    void aStreamOfAMissingContainerFails()
    {
        StatsSampler sampler(m_client.get());
        sampler.setInterval(500);
        const auto missing = await(sampler.sample(QStringLiteral("bxs-no-such-container")));
        QVERIFY(!missing);
        QCOMPARE(missing.error().kind(), Error::Kind::NotFound);
        QVERIFY(waitUntil([&] { return sampler.openStreams() == 0; }, 5000));
    }
};

QTEST_GUILESS_MAIN(tst_StatsSampler)
#include "tst_statssampler.moc"
