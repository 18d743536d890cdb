// ctest: labels=docker;coolify timeout=300
#include "../boxes/boxtestsupport.h"

#include "core/activity/activitylog.h"
#include "core/boxes/boxlabels.h"
#include "core/boxes/coolifybackend.h"
#include "core/boxes/dockerbackend.h"
#include "core/policy/quotacheck.h"
#include "support/coolify/fakecoolify.h"
#include "support/testutil.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace bc;
using namespace bc::boxes;
using namespace bc::test;
using namespace bc::test::boxes;

// Owner quotas at deploy: the one rule (policy::checkQuota), and its call sites in the Docker
// deploy job (on the real engine) and the Coolify one (on the fake Coolify): a refusal creates
// nothing, names the quota, is recorded in the activity log, and leaves other owners alone.
class tst_QuotaCheck : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void ruleMessages();
    void usageOfCountsOnlyTheOwnersOtherBoxes();
    void dockerRefusesBeyondTheQuota();
    void dockerRedeployIsNotAnExtraBox();
    void badSettingsRefuseTheDeploy();
    void coolifyRefusesBeyondTheQuota();

private:
    QList<activity::ActivityRecord> refusals(const QString &box);
    DeployOptions optionsWith(const QList<OwnerQuota> &quotas) const;

    EngineSuite m_suite;
    QTemporaryDir m_home;
    FakeCoolify m_fake;
    QString m_alice;
    QStringList m_aliceBoxes;
};

void tst_QuotaCheck::initTestCase()
{
    if (!dockerAvailable())
        QSKIP("no Docker engine");
    // The log this test reads, before anything opens the default one.
    qputenv("BOX_ACTIVITY_DB", m_home.filePath(QStringLiteral("activity.sqlite")).toUtf8());
    qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
    qputenv("BOX_SECRET_STORE", "file");
    const QString error = m_suite.setUp();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(m_fake.start());
    m_fake.control(QStringLiteral("deployment"), {{QStringLiteral("polls"), 1}});
    m_alice = uniqueName(QStringLiteral("alice")) + QStringLiteral("@example.com");
}

void tst_QuotaCheck::cleanupTestCase()
{
    removeLabelled();
    m_fake.stop();
}

DeployOptions tst_QuotaCheck::optionsWith(const QList<OwnerQuota> &quotas) const
{
    DeployOptions o = testOptions();
    o.fleet.quotas = quotas;
    return o;
}

QList<activity::ActivityRecord> tst_QuotaCheck::refusals(const QString &box)
{
    activity::ActivityLog::instance().flush();
    activity::ActivityFilter f;
    f.box = box;
    f.action = activity::actions::quotaRefused();
    auto r = activity::ActivityLog::instance().query(f);
    return r ? r.value() : QList<activity::ActivityRecord>{};
}

void tst_QuotaCheck::ruleMessages()
{
    security::BoxSpec spec = agentSpec(QStringLiteral("q"));
    spec.owner = QStringLiteral("alice");
    spec.cpus = 1.5;
    spec.memoryBytes = 2LL << 30;
    policy::QuotaUsage has;
    has.boxes = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
    has.cpus = 3;
    has.memoryBytes = 6LL << 30;

    auto r = policy::checkQuota({QStringLiteral("alice"), 3, 0, 0}, has, spec);
    QVERIFY(!r);
    QCOMPARE(r.error().kind(), Error::Kind::Unauthorized);
    QCOMPARE(r.error().message(), QStringLiteral("quota for owner alice: 3 boxes max, has 3"));
    r = policy::checkQuota({QStringLiteral("alice"), 0, 4, 0}, has, spec);
    QCOMPARE(r.error().message(),
             QStringLiteral("quota for owner alice: 4 CPUs max, has 3, the box asks for 1.5"));
    r = policy::checkQuota({QStringLiteral("alice"), 0, 0, 7LL << 30}, has, spec);
    QCOMPARE(r.error().message(),
             QStringLiteral("quota for owner alice: 7g memory max, has 6g, the box asks for 2g"));
    // Exactly at the limit fits; no limit fits everything.
    QVERIFY(policy::checkQuota({QStringLiteral("alice"), 4, 4.5, 8LL << 30}, has, spec));
    QVERIFY(policy::checkQuota({QStringLiteral("alice"), 0, 0, 0}, has, spec));
}

void tst_QuotaCheck::usageOfCountsOnlyTheOwnersOtherBoxes()
{
    const auto box = [](const QString &name, const QString &owner, double cpus, qint64 mem) {
        BoxInfo b;
        b.name = name;
        b.owner = owner;
        b.cpuLimit = cpus;
        b.resources.memoryLimit = mem;
        return b;
    };
    const QList<BoxInfo> list{box(QStringLiteral("a1"), QStringLiteral("alice"), 1, 100),
                              box(QStringLiteral("a2"), QStringLiteral("alice"), 0.5, 50),
                              box(QStringLiteral("b1"), QStringLiteral("bob"), 4, 400),
                              box(QStringLiteral("a3"), QStringLiteral("alice"), 2, -1)};
    const auto u = policy::usageOf(list, QStringLiteral("alice"), QStringLiteral("a2"));
    QCOMPARE(u.boxes, QStringList({QStringLiteral("a1"), QStringLiteral("a3")}));
    QCOMPARE(u.cpus, 3.0);
    QCOMPARE(u.memoryBytes, qint64(100));
}

void tst_QuotaCheck::dockerRefusesBeyondTheQuota()
{
    DockerBackend open(http::Endpoint{}, testOptions());
    for (int i = 0; i < 2; ++i) {
        security::BoxSpec spec = agentSpec(uniqueName(QStringLiteral("bxq")));
        spec.owner = m_alice;
        QVERIFY_RESULT(runJob(open.deploy(spec)));
        m_aliceBoxes << spec.name;
    }

    // Two boxes of 0.5 CPU and 128m each exist: each quota alone refuses the third.
    const QList<QPair<OwnerQuota, QString>> cases{
        {{m_alice, 2, 0, 0}, QStringLiteral("2 boxes max, has 2")},
        {{m_alice, 0, 1.2, 0}, QStringLiteral("1.2 CPUs max, has 1, the box asks for 0.5")},
        {{m_alice, 0, 0, 300LL << 20},
         QStringLiteral("300m memory max, has 256m, the box asks for 128m")},
    };
    for (const auto &[quota, what] : cases) {
        DockerBackend limited(http::Endpoint{}, optionsWith({quota}));
        security::BoxSpec third = agentSpec(uniqueName(QStringLiteral("bxq")));
        third.owner = m_alice;
        QStringList steps;
        BoxJob *job = limited.deploy(third);
        connect(job, &BoxJob::stepStarted, job,
                [&steps](const QString &step, const QString &) { steps << step; });
        auto refused = runJob(job);
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind(), Error::Kind::Unauthorized);
        QVERIFY2(refused.error().message().startsWith(
                     QStringLiteral("quota for owner %1: %2").arg(m_alice, what)),
                 qPrintable(refused.error().toString()));
        QCOMPARE(steps.last(), QStringLiteral("quota"));
        // Nothing of the third box exists.
        QCOMPARE(objectsOf(third.name), QStringList());
        const auto records = refusals(third.name);
        QCOMPARE(records.size(), 1);
        QCOMPARE(records.first().result, activity::results::refused());
        QVERIFY(records.first().error.contains(what));
        QVERIFY(records.first().backend.startsWith(QStringLiteral("docker:")));
    }

    // Another owner is not affected by alice's quota, nor counted in it.
    DockerBackend limited(http::Endpoint{},
                          optionsWith({{m_alice, 2, 0, 0}, {QStringLiteral("*"), 1, 0, 0}}));
    security::BoxSpec bobs = agentSpec(uniqueName(QStringLiteral("bxq")));
    bobs.owner = uniqueName(QStringLiteral("bob")) + QStringLiteral("@example.com");
    QVERIFY_RESULT(runJob(limited.deploy(bobs)));
    QVERIFY(refusals(bobs.name).isEmpty());
    // ... but the "*" entry holds him to one box.
    security::BoxSpec bobs2 = agentSpec(uniqueName(QStringLiteral("bxq")));
    bobs2.owner = bobs.owner;
    auto second = runJob(limited.deploy(bobs2));
    QVERIFY(!second);
    QVERIFY2(second.error().message().startsWith(
                 QStringLiteral("quota for owner %1: 1 boxes max, has 1").arg(bobs.owner)),
             qPrintable(second.error().message()));
    QCOMPARE(objectsOf(bobs2.name), QStringList());
}

void tst_QuotaCheck::dockerRedeployIsNotAnExtraBox()
{
    QVERIFY(m_aliceBoxes.size() == 2);
    DeployOptions o = optionsWith({{m_alice, 2, 0, 0}});
    o.redeploy = true;
    DockerBackend limited(http::Endpoint{}, o);
    security::BoxSpec again = agentSpec(m_aliceBoxes.first());
    again.owner = m_alice;
    again.env.insert(QStringLiteral("EDITOR"), QStringLiteral("vi"));
    auto r = runJob(limited.deploy(again));
    QVERIFY_RESULT(r);
    QVERIFY(refusals(again.name).isEmpty());
}

void tst_QuotaCheck::badSettingsRefuseTheDeploy()
{
    DeployOptions o = testOptions();
    o.fleet.error = QStringLiteral("quotas[alice].maxBoxes: must not be negative");
    DockerBackend backend(http::Endpoint{}, o);
    security::BoxSpec spec = agentSpec(uniqueName(QStringLiteral("bxq")));
    auto r = runJob(backend.deploy(spec));
    QVERIFY(!r);
    QCOMPARE(r.error().kind(), Error::Kind::Invalid);
    QVERIFY(r.error().message().contains(QStringLiteral("quotas[alice].maxBoxes")));
    QCOMPARE(objectsOf(spec.name), QStringList());
}

void tst_QuotaCheck::coolifyRefusesBeyondTheQuota()
{
    const auto spec = [](const QString &name, const QString &owner) {
        security::BoxSpec s;
        s.name = name;
        s.subdomain = name;
        s.owner = owner;
        s.image = QStringLiteral("registry.example.com:5000/boxes/agent:2.1");
        s.cpus = 2;
        return s;
    };
    CoolifyBackend backend(m_fake.config(QStringLiteral("5|rwd")));
    FleetRules rules;
    rules.quotas = {{QStringLiteral("carol"), 0, 3, 0}};
    backend.setFleetRules(rules);
    QVERIFY_RESULT(runJob(backend.deploy(spec(QStringLiteral("carol1"), QStringLiteral("carol")))));

    const auto services = [this] {
        QStringList names;
        const QJsonObject all = m_fake.inspect(QStringLiteral("state"))
                                    .object()
                                    .value(QStringLiteral("services"))
                                    .toObject();
        for (const QJsonValue &s : all)
            names << s.toObject().value(QStringLiteral("name")).toString();
        names.sort();
        return names;
    };
    QCOMPARE(services(), QStringList{QStringLiteral("carol1")});

    auto refused = runJob(backend.deploy(spec(QStringLiteral("carol2"), QStringLiteral("carol"))));
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind(), Error::Kind::Unauthorized);
    QCOMPARE(refused.error().message(),
             QStringLiteral("quota for owner carol: 3 CPUs max, has 2, the box asks for 2"));
    QCOMPARE(services(), QStringList{QStringLiteral("carol1")});
    const auto records = refusals(QStringLiteral("carol2"));
    QCOMPARE(records.size(), 1);
    QVERIFY(records.first().backend.startsWith(QStringLiteral("coolify:")));

    // Dave has no quota of his own and there is no "*": unlimited.
    QVERIFY_RESULT(runJob(backend.deploy(spec(QStringLiteral("dave1"), QStringLiteral("dave")))));
    QCOMPARE(services(), QStringList({QStringLiteral("carol1"), QStringLiteral("dave1")}));
}

QTEST_MAIN(tst_QuotaCheck)
#include "tst_quotacheck.moc"
