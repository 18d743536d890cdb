// ctest: labels=docker timeout=180
// The fixture the engine tests stand on: if it cannot see, create or remove labelled
// objects, every other integration test's cleanup is in doubt.
#include "support/dockerfixture.h"
#include "support/paths.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTest>

using namespace bc::test;

class tst_DockerFixture final : public QObject
{
    Q_OBJECT

private:
    // A second label of our own, so removing by it cannot touch objects of other tests.
    QString m_mark;
    QStringList labelArgs() const
    {
        return {QStringLiteral("--label"), testLabel(), QStringLiteral("--label"), m_mark};
    }
    int count(const QStringList &listArgs)
    {
        int code = -1;
        const QString out = runDocker(
            listArgs + QStringList{QStringLiteral("--filter"), QStringLiteral("label=") + m_mark},
            &code);
        return code == 0 ? int(out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).size()) : -1;
    }
    void createOneOfEach(const QString &name)
    {
        int code = -1;
        runDocker(QStringList{QStringLiteral("volume"), QStringLiteral("create")} + labelArgs() +
                      QStringList{name},
                  &code);
        QCOMPARE(code, 0);
        runDocker(QStringList{QStringLiteral("network"), QStringLiteral("create"),
                              QStringLiteral("--internal")} +
                      labelArgs() + QStringList{name},
                  &code);
        QCOMPARE(code, 0);
        runDocker(QStringList{QStringLiteral("create"), QStringLiteral("--name"), name,
                              QStringLiteral("-v"), name + QStringLiteral(":/data"),
                              QStringLiteral("--network"), name} +
                      labelArgs() + QStringList{testImage(), QStringLiteral("true")},
                  &code);
        QCOMPARE(code, 0);
    }
    int total()
    {
        return count({QStringLiteral("ps"), QStringLiteral("-aq")}) +
               count({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q")}) +
               count({QStringLiteral("network"), QStringLiteral("ls"), QStringLiteral("-q")});
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(dockerAvailable(), "no Docker engine: run scripts/docker-up.sh");
        m_mark = QStringLiteral("box-console.test.fixture=") + uniqueName(QStringLiteral("fx"));
        removeLabelled(m_mark);
    }
    void cleanupTestCase() { removeLabelled(m_mark); }

    void uniqueNamesDiffer()
    {
        QSet<QString> names;
        for (int i = 0; i < 100; ++i)
            names.insert(uniqueName(QStringLiteral("bc")));
        QCOMPARE(names.size(), 100);
        QVERIFY(uniqueName(QStringLiteral("bc")).startsWith(QLatin1String("bc-")));
    }

    void openFdCountSeesNewDescriptors()
    {
        const int before = openFdCount();
        QVERIFY(before >= 3);
        {
            QFile f(QStringLiteral("/proc/self/status"));
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(openFdCount(), before + 1);
        }
        QCOMPARE(openFdCount(), before);
    }

    void sharedDirHasTheDesign()
    {
        QVERIFY2(QFileInfo::exists(sharedDir() + QStringLiteral("/design.md")),
                 qPrintable(sharedDir()));
        QVERIFY(QFileInfo::exists(sourceDir() + QStringLiteral("/CMakeLists.txt")));
    }

    void runDockerReportsExitCodes()
    {
        int code = -1;
        QString err;
        runDocker({QStringLiteral("image"), QStringLiteral("inspect"), testImage()}, &code);
        QCOMPARE(code, 0);
        runDocker({QStringLiteral("image"), QStringLiteral("inspect"), boxTestImage()}, &code);
        QCOMPARE(code, 0);
        runDocker({QStringLiteral("inspect"), uniqueName(QStringLiteral("missing"))}, &code, &err);
        QVERIFY(code > 0);
        QVERIFY2(err.contains(QLatin1String("No such object"), Qt::CaseInsensitive),
                 qPrintable(err));
    }

    void removeLabelledRemovesEveryKind()
    {
        createOneOfEach(uniqueName(QStringLiteral("bc-fx")));
        QCOMPARE(total(), 3);
        removeLabelled(m_mark);
        QCOMPARE(total(), 0);
    }

    void cleanupRemovesOnDestruction()
    {
        {
            LabelledCleanup cleanup(m_mark);
            createOneOfEach(uniqueName(QStringLiteral("bc-fx")));
            QCOMPARE(total(), 3);
        }
        QCOMPARE(total(), 0);
    }

    // The box stand-in must behave as a hardened box does: unprivileged, read-only root,
    // no network, healthy through its own loopback probe, and quick to stop.
    void boxImageRunsHardened()
    {
        LabelledCleanup cleanup(m_mark);
        const QString name = uniqueName(QStringLiteral("bc-fx-box"));
        int code = -1;
        QString err;
        runDocker(QStringList{QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"),
                              name, QStringLiteral("--read-only"), QStringLiteral("--network"),
                              QStringLiteral("none"), QStringLiteral("--cap-drop"),
                              QStringLiteral("ALL"), QStringLiteral("--security-opt"),
                              QStringLiteral("no-new-privileges")} +
                      labelArgs() + QStringList{boxTestImage()},
                  &code, &err);
        QVERIFY2(code == 0, qPrintable(err));
        QCOMPARE(
            runDocker({QStringLiteral("exec"), name, QStringLiteral("id"), QStringLiteral("-u")}),
            QStringLiteral("1000"));
        QString health;
        for (int i = 0; i < 60 && health != QLatin1String("healthy"); ++i) {
            spinEventLoop(250);
            health = runDocker({QStringLiteral("inspect"), QStringLiteral("-f"),
                                QStringLiteral("{{.State.Health.Status}}"), name});
        }
        QCOMPARE(health, QStringLiteral("healthy"));
        QElapsedTimer stopTimer;
        stopTimer.start();
        runDocker({QStringLiteral("stop"), name}, &code);
        QCOMPARE(code, 0);
        QVERIFY2(stopTimer.elapsed() < 5000, "the box-agent ignores SIGTERM");
    }
};

QTEST_GUILESS_MAIN(tst_DockerFixture)
#include "tst_dockerfixture.moc"
