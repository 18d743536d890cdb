// ctest: labels=coolify
#include "core/coolify/coolifystatus.h"
#include "core/coolify/coolifytypes.h"

#include <QTest>

using namespace bc::coolify;
using S = CoolifyStatus::State;
using H = CoolifyStatus::Health;

Q_DECLARE_METATYPE(CoolifyStatus::State)
Q_DECLARE_METATYPE(CoolifyStatus::Health)

class tst_CoolifyStatus : public QObject
{
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void version_data();
    void version();
    void versionOrder();
    void deploymentStatus();
};

void tst_CoolifyStatus::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<S>("state");
    QTest::addColumn<H>("health");
    QTest::addColumn<bool>("excluded");

    // ContainerStatusAggregator (beta.445+)
    QTest::newRow("running:healthy") << "running:healthy" << S::Running << H::Healthy << false;
    QTest::newRow("running:unknown") << "running:unknown" << S::Running << H::Unknown << false;
    QTest::newRow("running:unhealthy")
        << "running:unhealthy" << S::Running << H::Unhealthy << false;
    QTest::newRow("starting:unknown") << "starting:unknown" << S::Starting << H::Unknown << false;
    QTest::newRow("restarting:unknown")
        << "restarting:unknown" << S::Restarting << H::Unknown << false;
    QTest::newRow("degraded:unhealthy")
        << "degraded:unhealthy" << S::Degraded << H::Unhealthy << false;
    QTest::newRow("paused:unknown") << "paused:unknown" << S::Paused << H::Unknown << false;
    QTest::newRow("exited:unhealthy") << "exited:unhealthy" << S::Exited << H::Unhealthy << false;
    // compose apps with every container excluded from health checks
    QTest::newRow("running:healthy:excluded")
        << "running:healthy:excluded" << S::Running << H::Healthy << true;
    QTest::newRow("running:unhealthy:excluded")
        << "running:unhealthy:excluded" << S::Running << H::Unhealthy << true;
    QTest::newRow("running:unknown:excluded")
        << "running:unknown:excluded" << S::Running << H::Unknown << true;
    QTest::newRow("degraded:excluded") << "degraded:excluded" << S::Degraded << H::Unknown << true;
    QTest::newRow("paused:excluded") << "paused:excluded" << S::Paused << H::Unknown << true;
    QTest::newRow("starting:excluded") << "starting:excluded" << S::Starting << H::Unknown << true;
    // <= beta.440: raw Docker states with the default "unhealthy"
    QTest::newRow("running:starting") << "running:starting" << S::Running << H::Starting << false;
    QTest::newRow("restarting:unhealthy")
        << "restarting:unhealthy" << S::Restarting << H::Unhealthy << false;
    QTest::newRow("created:unhealthy")
        << "created:unhealthy" << S::Created << H::Unhealthy << false;
    QTest::newRow("paused:unhealthy") << "paused:unhealthy" << S::Paused << H::Unhealthy << false;
    QTest::newRow("dead:unhealthy") << "dead:unhealthy" << S::Dead << H::Unhealthy << false;
    QTest::newRow("removing:unhealthy")
        << "removing:unhealthy" << S::Removing << H::Unhealthy << false;
    // forms Application::status() normalises, seen from old rows or proxies
    QTest::newRow("running (healthy)") << "running (healthy)" << S::Running << H::Healthy << false;
    QTest::newRow("bare running") << "running" << S::Running << H::Unknown << false;
    QTest::newRow("upper case, spaces")
        << "  Running:Healthy " << S::Running << H::Healthy << false;
    // unknown forms never fail
    QTest::newRow("empty") << "" << S::Unknown << H::Unknown << false;
    QTest::newRow("garbage") << "weird:thing:else" << S::Unknown << H::Unknown << false;
    QTest::newRow("colons only") << ":::" << S::Unknown << H::Unknown << false;
    QTest::newRow("excluded only") << "excluded" << S::Unknown << H::Unknown << false;
    QTest::newRow("unknown health word") << "running:purple" << S::Running << H::Unknown << false;
    QTest::newRow("unbalanced paren") << "running (healthy" << S::Unknown << H::Unknown << false;
    QTest::newRow("paren at start") << "(healthy)" << S::Unknown << H::Unknown << false;
}

void tst_CoolifyStatus::parse()
{
    QFETCH(QString, text);
    QFETCH(S, state);
    QFETCH(H, health);
    QFETCH(bool, excluded);
    const CoolifyStatus status = CoolifyStatus::parse(text);
    QCOMPARE(status.state, state);
    QCOMPARE(status.health, health);
    QCOMPARE(status.excluded, excluded);
    QCOMPARE(status.raw, text);
    QVERIFY(!CoolifyStatus::stateName(status.state).isEmpty());
    QVERIFY(!CoolifyStatus::healthName(status.health).isEmpty());
}

void tst_CoolifyStatus::version_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("major");
    QTest::addColumn<int>("minor");
    QTest::addColumn<int>("patch");
    QTest::addColumn<int>("beta");
    QTest::newRow("release") << "4.3.11" << true << 4 << 3 << 11 << -1;
    QTest::newRow("beta") << "4.0.0-beta.420" << true << 4 << 0 << 0 << 420;
    QTest::newRow("spec v prefix") << "v4.0.0" << true << 4 << 0 << 0 << -1;
    QTest::newRow("newline") << "4.3.11\n" << true << 4 << 3 << 11 << -1;
    QTest::newRow("html") << "<html>" << false << 0 << 0 << 0 << -1;
    QTest::newRow("empty") << "" << false << 0 << 0 << 0 << -1;
}

void tst_CoolifyStatus::version()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    const auto v = CoolifyVersion::parse(text);
    QCOMPARE(v.has_value(), valid);
    if (!valid)
        return;
    QFETCH(int, major);
    QFETCH(int, minor);
    QFETCH(int, patch);
    QFETCH(int, beta);
    QCOMPARE(v->major, major);
    QCOMPARE(v->minor, minor);
    QCOMPARE(v->patch, patch);
    QCOMPARE(v->beta, beta);
}

void tst_CoolifyStatus::versionOrder()
{
    const auto b420 = *CoolifyVersion::parse(QStringLiteral("4.0.0-beta.420"));
    const auto b464 = *CoolifyVersion::parse(QStringLiteral("4.0.0-beta.464"));
    const auto v400 = *CoolifyVersion::parse(QStringLiteral("4.0.0"));
    const auto v420 = *CoolifyVersion::parse(QStringLiteral("4.2.0"));
    QVERIFY(b420.compare(b464) < 0);
    QVERIFY(b464.compare(v400) < 0);
    QVERIFY(v400.compare(v420) < 0);
    QVERIFY(v420.atLeast(4, 2, 0));
    QVERIFY(!v400.atLeast(4, 2, 0));
    QVERIFY(b464.atLeast(4, 0, 0, 464));
    QVERIFY(!b420.atLeast(4, 0, 0, 445));
}

void tst_CoolifyStatus::deploymentStatus()
{
    using D = CoolifyDeployment::Status;
    QCOMPARE(CoolifyDeployment::parseStatus(QStringLiteral("queued")), D::Queued);
    QCOMPARE(CoolifyDeployment::parseStatus(QStringLiteral("in_progress")), D::InProgress);
    QCOMPARE(CoolifyDeployment::parseStatus(QStringLiteral("finished")), D::Finished);
    QCOMPARE(CoolifyDeployment::parseStatus(QStringLiteral("failed")), D::Failed);
    QCOMPARE(CoolifyDeployment::parseStatus(QStringLiteral("cancelled-by-user")),
             D::CancelledByUser);
    QCOMPARE(CoolifyDeployment::parseStatus(QStringLiteral("skipped")), D::Unknown);
    CoolifyDeployment d;
    d.status = D::CancelledByUser;
    QVERIFY(d.isTerminal());
    d.status = D::InProgress;
    QVERIFY(!d.isTerminal());
}

QTEST_GUILESS_MAIN(tst_CoolifyStatus)
#include "tst_coolifystatus.moc"
