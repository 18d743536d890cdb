// ctest: labels=docker timeout=300
#include "boxtestsupport.h"

#include "core/boxes/boxmonitor.h"
#include "core/boxes/dockerbackend.h"
#include "core/boxes/dockerdevbackend.h"
#include "support/testutil.h"

#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace bc;
using namespace bc::boxes;
using namespace bc::test;
using namespace bc::test::boxes;

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
    DockerBackend backend(http::Endpoint{}, testOptions());
    BoxMonitor monitor;
    monitor.setStatsInterval(300);
    monitor.setResyncInterval(5000);
    monitor.addBackend(&backend);
    QHash<QString, BoxInfo> seen;
    QStringList alerts;
    QStringList removed;
    int updates = 0;
    connect(&monitor, &BoxMonitor::boxAdded, this,
            [&](const BoxInfo &b) { seen.insert(b.key(), b); });
    connect(&monitor, &BoxMonitor::boxUpdated, this,
            [&](const BoxInfo &previous, const BoxInfo &b) {
                QVERIFY(!(previous == b)); // only real changes
                ++updates;
                seen.insert(b.key(), b);
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
    QTRY_VERIFY_WITH_TIMEOUT(seen.value(key).health == BoxInfo::Health::Healthy, 10000);
    // Stats: memory at once, CPU from the second one-shot sample on.
    QTRY_VERIFY_WITH_TIMEOUT(seen.value(key).memoryUsage > 0 && seen.value(key).cpuPercent >= 0,
                             15000);
    QVERIFY(seen.value(key).memoryLimit == 128LL * 1024 * 1024);

    // Killed behind the console's back: the event stream reports it, with an alert.
    runDocker({QStringLiteral("kill"), name});
    QTRY_VERIFY_WITH_TIMEOUT(alerts.contains(name + QStringLiteral(":died")), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(seen.value(key).state != BoxInfo::State::Running, 10000);
    QCOMPARE(seen.value(key).cpuPercent, seen.value(key).cpuPercent);

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
