// ctest: labels=coolify timeout=300
#include "core/boxes/boxmonitor.h"
#include "core/boxes/boxsecrets.h"
#include "core/boxes/coolifybackend.h"
#include "core/boxes/coolifydeployjob.h"
#include "core/infra/egresspolicy.h"
#include "core/security/boxlabels.h"
#include "core/security/egresslayout.h"
#include "core/security/hardeningprofile.h"
#include "core/util/secretstore.h"

#include "support/coolify/fakecoolify.h"
#include "support/testutil.h"

#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace bc;
using namespace bc::boxes;
using namespace bc::coolify;
using bc::test::await;

class tst_CoolifyBackend : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void identity();
    void monitorPassesItsStatsInterval();
    void listMapsTaggedApplications();
    void statusMapping_data();
    void statusMapping();
    void healthGraceAfterDeploy();
    void deploySucceeds();
    void deployResolvesEnvironmentUuid();
    void deployedPolicyIsListed();
    void deployFailureRollsBack();
    void deployMissingSecretRollsBack();
    void deployRefusesWhatCoolifyCannotEnforce_data();
    void deployRefusesWhatCoolifyCannotEnforce();
    void deployEgressMountsTheBoxSocketDir();
    void deployCreateFailsNothingToRollBack();
    void deployCancelRollsBack();
    void deployRejectsSpecWithoutImage();
    void deployNeedsServerAndProject();
    void removeDeletesVolumesUnlessKept();
    void removeRefusesNonBoxApplication();
    void startStopRestart();
    void recentLogs();
    void destroyedWithRequestsInFlight();
    void pollingPushesChanges();
    void connectionLost();

private:
    CoolifyConfig config(const QString &token = QStringLiteral("5|rwd")) const;
    static security::BoxSpec spec(const QString &name);
    Result<BoxInfo> runJob(BoxJob *job, QStringList *steps = nullptr);
    QJsonObject state() { return m_fake.inspect(QStringLiteral("state")).object(); }
    QJsonObject lastRequest(const QString &method, const QString &pathPrefix);
    QJsonObject serviceCreateBody();

    bc::test::FakeCoolify m_fake;
    QTemporaryDir m_home;
};

void tst_CoolifyBackend::initTestCase()
{
    qRegisterMetaType<BoxInfo>();
    qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
    qputenv("BOX_SECRET_STORE", "file");
    if (!m_fake.start())
        QSKIP("python3 or the fake Coolify script is missing");
}

void tst_CoolifyBackend::init()
{
    m_fake.control(QStringLiteral("reset"));
    m_fake.control(QStringLiteral("deployment"), {{QStringLiteral("polls"), 2}});
    m_fake.control(QStringLiteral("delete_delay"), {{QStringLiteral("polls"), 1}});
}

void tst_CoolifyBackend::cleanupTestCase()
{
    m_fake.stop();
}

CoolifyConfig tst_CoolifyBackend::config(const QString &token) const
{
    return m_fake.config(token);
}

security::BoxSpec tst_CoolifyBackend::spec(const QString &name)
{
    security::BoxSpec s;
    s.name = name;
    s.subdomain = name;
    s.owner = QStringLiteral("owner-") + name;
    s.image = QStringLiteral("registry.example.com:5000/boxes/agent:2.1");
    s.env.insert(QStringLiteral("EDITOR"), QStringLiteral("vi"));
    return s;
}

Result<BoxInfo> tst_CoolifyBackend::runJob(BoxJob *job, QStringList *steps)
{
    if (steps)
        connect(job, &BoxJob::stepStarted, job,
                [steps](const QString &step, const QString &) { steps->append(step); });
    // The job deletes itself after finished: its result is kept from the signal.
    std::optional<Result<BoxInfo>> result;
    connect(job, &BoxJob::finished, this, [&result](const Result<BoxInfo> &r) { result = r; });
    QSignalSpy finished(job, &BoxJob::finished);
    if (!finished.wait(60000))
        qFatal("job did not finish");
    // finished fires exactly once (the spy would see a second one before the job is gone)
    QTest::qWait(50);
    if (finished.size() != 1)
        qFatal("finished fired %d times", int(finished.size()));
    return *result;
}

QJsonObject tst_CoolifyBackend::lastRequest(const QString &method, const QString &pathPrefix)
{
    return m_fake.lastRequest(method, pathPrefix);
}

QJsonObject tst_CoolifyBackend::serviceCreateBody()
{
    const QJsonArray requests = m_fake.inspect(QStringLiteral("requests")).array();
    for (auto it = requests.end(); it != requests.begin();) {
        const QJsonObject r = (--it)->toObject();
        if (r.value(QStringLiteral("method")).toString() == QLatin1String("POST") &&
            r.value(QStringLiteral("path")).toString() == QLatin1String("/services"))
            return QJsonDocument::fromJson(r.value(QStringLiteral("body")).toString().toUtf8())
                .object();
    }
    return {};
}

// The console's stats interval (Settings) reaches the Coolify backend, which samples its
// boxes' engines at that pace, when it is added and whenever the setting changes.
void tst_CoolifyBackend::monitorPassesItsStatsInterval()
{
    BoxMonitor monitor;
    monitor.setStatsInterval(5000);
    auto *backend = new CoolifyBackend(config(), &monitor);
    QCOMPARE(backend->statsInterval(), 2000); // its own default, before the monitor has it
    monitor.addBackend(backend);
    QCOMPARE(backend->statsInterval(), 5000);
    monitor.setStatsInterval(0);
    QCOMPARE(backend->statsInterval(), 0);
    monitor.setStatsInterval(1000);
    QCOMPARE(backend->statsInterval(), 1000);
}

void tst_CoolifyBackend::identity()
{
    CoolifyBackend backend(config());
    QCOMPARE(backend.kind(), QStringLiteral("coolify"));
    QCOMPARE(backend.id(), QStringLiteral("coolify:") + m_fake.url().toString());
    QCOMPARE(backend.displayHost(), m_fake.url().toString());
    QCOMPARE(backend.domainFor(QStringLiteral("alice")),
             QStringLiteral("https://alice.boxes.test:8080"));
    const QString d =
        CoolifyBackend::describe({{QStringLiteral("owner"), QStringLiteral("a")},
                                  {QStringLiteral("subdomain"), QStringLiteral("b")}});
    QCOMPARE(CoolifyBackend::parseDescription(d).value(QStringLiteral("owner")),
             QStringLiteral("a"));
    QVERIFY(CoolifyBackend::parseDescription(QStringLiteral("someone's app; owner=x")).isEmpty());
}

void tst_CoolifyBackend::listMapsTaggedApplications()
{
    m_fake.control(QStringLiteral("app"),
                   {{QStringLiteral("name"), QStringLiteral("alice")},
                    {QStringLiteral("tags"), QJsonArray{QStringLiteral("box-console")}},
                    {QStringLiteral("description"),
                     QStringLiteral("box-console box; owner=al; subdomain=alice")},
                    {QStringLiteral("fqdn"), QStringLiteral("https://alice.boxes.test:8080")},
                    {QStringLiteral("status"), QStringLiteral("running:healthy")},
                    {QStringLiteral("health_check_enabled"), true},
                    {QStringLiteral("docker_registry_image_name"), QStringLiteral("boxes/agent")},
                    {QStringLiteral("docker_registry_image_tag"), QStringLiteral("2")}});
    m_fake.control(QStringLiteral("app"),
                   {{QStringLiteral("name"), QStringLiteral("wordpress")},
                    {QStringLiteral("status"), QStringLiteral("running:healthy")}});
    CoolifyBackend backend(config());
    auto boxes = await(backend.list());
    QVERIFY(boxes.ok());
    QCOMPARE(boxes->size(), 1);
    const BoxInfo box = boxes->first();
    QCOMPARE(box.name, QStringLiteral("alice"));
    QCOMPARE(box.owner, QStringLiteral("al"));
    QCOMPARE(box.subdomain, QStringLiteral("alice"));
    QCOMPARE(box.url, QStringLiteral("https://alice.boxes.test"));
    QCOMPARE(box.image, QStringLiteral("boxes/agent:2"));
    QCOMPARE(box.state, BoxInfo::State::Running);
    QCOMPARE(box.health, BoxInfo::Health::Healthy);
    QCOMPARE(box.statusText, QStringLiteral("running:healthy"));
    QCOMPARE(box.backendKind, QStringLiteral("coolify"));
    QCOMPARE(box.backendId, backend.id());
    QVERIFY(box.createdAt.isValid());
    auto status = await(backend.status(box.id));
    QVERIFY(status.ok());
    QCOMPARE(status->name, QStringLiteral("alice"));
    // by name, too
    QVERIFY(await(backend.status(QStringLiteral("alice"))).ok());
    QCOMPARE(await(backend.status(QStringLiteral("wordpress"))).error().kind(),
             Error::Kind::NotFound);
}

void tst_CoolifyBackend::statusMapping_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<bool>("healthCheck");
    QTest::addColumn<int>("state");
    QTest::addColumn<int>("health");
    using S = BoxInfo::State;
    using H = BoxInfo::Health;
    QTest::newRow("healthy") << "running:healthy" << true << int(S::Running) << int(H::Healthy);
    QTest::newRow("unhealthy with check")
        << "running:unhealthy" << true << int(S::Running) << int(H::Unhealthy);
    QTest::newRow("pre-445 no check")
        << "running:unhealthy" << false << int(S::Running) << int(H::None);
    QTest::newRow("no HEALTHCHECK")
        << "running:unknown" << false << int(S::Running) << int(H::None);
    QTest::newRow("unknown with check")
        << "running:unknown" << true << int(S::Running) << int(H::Unknown);
    QTest::newRow("pre-440 starting")
        << "running:starting" << true << int(S::Running) << int(H::Starting);
    QTest::newRow("excluded") << "running:healthy:excluded" << true << int(S::Running)
                              << int(H::Healthy);
    QTest::newRow("degraded") << "degraded:unhealthy" << true << int(S::Failed)
                              << int(H::Unhealthy);
    QTest::newRow("degraded excluded")
        << "degraded:excluded" << false << int(S::Failed) << int(H::None);
    QTest::newRow("exited default") << "exited:unhealthy" << true << int(S::Exited) << int(H::None);
    QTest::newRow("paused") << "paused:unknown" << false << int(S::Paused) << int(H::None);
    QTest::newRow("restarting") << "restarting:unknown" << true << int(S::Restarting)
                                << int(H::Unknown);
    QTest::newRow("starting") << "starting:unknown" << false << int(S::Starting) << int(H::None);
    QTest::newRow("created") << "created:unhealthy" << false << int(S::Created) << int(H::None);
    QTest::newRow("dead") << "dead:unhealthy" << false << int(S::Dead) << int(H::None);
    QTest::newRow("removing") << "removing:unhealthy" << false << int(S::Removing) << int(H::None);
    QTest::newRow("garbage") << "purple" << true << int(S::Unknown) << int(H::None);
    QTest::newRow("empty") << "" << true << int(S::Unknown) << int(H::None);
}

void tst_CoolifyBackend::statusMapping()
{
    QFETCH(QString, status);
    QFETCH(bool, healthCheck);
    QFETCH(int, state);
    QFETCH(int, health);
    CoolifyBackend backend(config());
    CoolifyApplication app;
    app.uuid = QStringLiteral("u1");
    app.status = CoolifyStatus::parse(status);
    app.healthCheckEnabled = healthCheck;
    const BoxInfo box = backend.toBoxInfo(app);
    QCOMPARE(int(box.state), state);
    QCOMPARE(int(box.health), health);
    QCOMPARE(box.statusText, status);
}

void tst_CoolifyBackend::healthGraceAfterDeploy()
{
    CoolifyBackend backend(config());
    CoolifyApplication app;
    app.uuid = QStringLiteral("u1");
    app.status = CoolifyStatus::parse(QStringLiteral("running:unhealthy"));
    app.healthCheckEnabled = true;
    backend.noteDeployed(app.uuid);
    QCOMPARE(backend.toBoxInfo(app).health, BoxInfo::Health::Starting);
    backend.setHealthGraceMs(0);
    QCOMPARE(backend.toBoxInfo(app).health, BoxInfo::Health::Unhealthy);
}

// The compose service Coolify stored for a box (as parsed from docker_compose_raw) and the
// one it deploys (after its serviceParser).
static QJsonObject composeService(const QJsonObject &state, const QString &uuid,
                                  const QString &name, bool deployed = false)
{
    return state.value(QStringLiteral("services"))
        .toObject()
        .value(uuid)
        .toObject()
        .value(deployed ? QStringLiteral("_docker_compose") : QStringLiteral("_compose"))
        .toObject()
        .value(QStringLiteral("services"))
        .toObject()
        .value(name)
        .toObject();
}

void tst_CoolifyBackend::deploySucceeds()
{
    // A secret stored with `boxctl secret set` (the box-secret namespace) is found.
    QVERIFY_RESULT(await(BoxSecrets::set(QStringLiteral("GH_TOKEN"), QStringLiteral("ghp-test"))));
    CoolifyBackend backend(config());
    security::BoxSpec s = spec(QStringLiteral("alice"));
    s.secrets = {QStringLiteral("GH_TOKEN")};
    QStringList steps;
    QStringList progress;
    BoxJob *job = backend.deploy(s);
    connect(job, &BoxJob::progress, job, [&progress](const QString &t) { progress << t; });
    auto result = runJob(job, &steps);
    QVERIFY_RESULT(result);
    QCOMPARE(steps, (QStringList{QStringLiteral("settings"), QStringLiteral("validate"),
                                 QStringLiteral("create"), QStringLiteral("env"),
                                 QStringLiteral("start"), QStringLiteral("health")}));
    QCOMPARE(result->name, QStringLiteral("alice"));
    QCOMPARE(result->state, BoxInfo::State::Running);
    QCOMPARE(result->health, BoxInfo::Health::Healthy);
    QCOMPARE(result->owner, QStringLiteral("owner-alice"));
    QCOMPARE(result->image, s.image);
    QCOMPARE(result->labels.value(QStringLiteral("coolify.kind")), QStringLiteral("service"));
    // What stays visible of the secret, and to whom, is part of the result.
    const QString exposure = result->labels.value(QStringLiteral("coolify.secret_exposure"));
    QVERIFY2(exposure.contains(QStringLiteral("docker inspect")) &&
                 exposure.contains(QStringLiteral("is_shown_once")),
             qPrintable(exposure));
    QVERIFY(progress.contains(exposure));

    // A service, never an application with custom_docker_run_options.
    QVERIFY(lastRequest(QStringLiteral("POST"), QStringLiteral("/applications")).isEmpty());
    const QJsonObject create = serviceCreateBody();
    QCOMPARE(create.value(QStringLiteral("instant_deploy")).toBool(true), false);
    QCOMPARE(create.value(QStringLiteral("tags")).toArray().first().toString(),
             QStringLiteral("box-console"));
    QVERIFY(!create.contains(QStringLiteral("urls")));

    const QJsonObject st = state();
    const QJsonObject svc = composeService(st, result->id, QStringLiteral("alice"));
    QCOMPARE(svc.value(QStringLiteral("image")).toString(), s.image);
    QCOMPARE(svc.value(QStringLiteral("user")).toString(), QStringLiteral("1000:1000"));
    QCOMPARE(svc.value(QStringLiteral("read_only")).toBool(), true);
    QCOMPARE(svc.value(QStringLiteral("network_mode")).toString(), QStringLiteral("none"));
    QCOMPARE(svc.value(QStringLiteral("pids_limit")).toInt(), 100);
    QCOMPARE(svc.value(QStringLiteral("init")).toBool(), true);
    QCOMPARE(svc.value(QStringLiteral("cap_drop")).toArray(), QJsonArray{QStringLiteral("ALL")});
    // The profile's nofile limits, not the 1024:4096 of the old run options.
    const security::HardeningProfile profile;
    QCOMPARE(
        svc.value(QStringLiteral("ulimits")).toObject().value(QStringLiteral("nofile")).toObject(),
        (QJsonObject{{QStringLiteral("soft"), double(profile.nofileSoft())},
                     {QStringLiteral("hard"), double(profile.nofileHard())}}));
    QCOMPARE(svc.value(QStringLiteral("environment"))
                 .toObject()
                 .value(QStringLiteral("EDITOR"))
                 .toString(),
             QStringLiteral("vi"));
    QCOMPARE(svc.value(QStringLiteral("environment"))
                 .toObject()
                 .value(QStringLiteral("BOX_ISOLATION"))
                 .toString(),
             QStringLiteral("isolated"));
    // The secret is not in the compose (which read:sensitive tokens can read back) ...
    QVERIFY(!st.value(QStringLiteral("services"))
                 .toObject()
                 .value(result->id)
                 .toObject()
                 .value(QStringLiteral("_compose_raw"))
                 .toString()
                 .contains(QStringLiteral("ghp-test")));
    // ... but a service variable marked shown-once.
    const QJsonArray envs =
        st.value(QStringLiteral("service_envs")).toObject().value(result->id).toArray();
    QCOMPARE(envs.size(), 1);
    QCOMPARE(envs.first().toObject().value(QStringLiteral("key")).toString(),
             QStringLiteral("GH_TOKEN"));
    QCOMPARE(envs.first().toObject().value(QStringLiteral("value")).toString(),
             QStringLiteral("ghp-test"));
    QCOMPARE(envs.first().toObject().value(QStringLiteral("is_shown_once")).toBool(), true);
    // Coolify deploys it with no network at all and the box's volumes under its own names.
    const QJsonObject deployed = composeService(st, result->id, QStringLiteral("alice"), true);
    QVERIFY(!deployed.contains(QStringLiteral("networks")));
    QVERIFY(deployed.value(QStringLiteral("volumes"))
                .toArray()
                .contains(
                    QJsonValue(result->id + QStringLiteral("_alice-config:/home/coder/.config"))));

    auto listed = await(backend.list());
    QVERIFY_RESULT(listed);
    QCOMPARE(listed->size(), 1);
    QCOMPARE(listed->first().id, result->id);
}

// The policy service reads a Coolify box's policy from its labels, as a Docker box's: the
// deploy records it (with keep-data) in the description, which the list turns back into the
// same labels; fleet defaults fill what the spec leaves open.
void tst_CoolifyBackend::deployedPolicyIsListed()
{
    CoolifyBackend backend(config());
    FleetRules fleet = backend.fleetRules();
    fleet.policyDefault.maxLifetimeSecs = 8 * 3600;
    backend.setFleetRules(fleet);
    security::BoxSpec s = spec(QStringLiteral("polly"));
    s.policy.idleStopSecs = 1800;
    s.policy.deleteAfterStoppedSecs = 86400;
    s.keepDataOnDelete = true;
    QVERIFY_RESULT(runJob(backend.deploy(s)));
    const QString description = serviceCreateBody().value(QStringLiteral("description")).toString();
    QVERIFY2(description.contains(QStringLiteral("; policy=1800/28800/86400/box")),
             qPrintable(description));
    const auto boxes = await(backend.list());
    QVERIFY_RESULT(boxes);
    QCOMPARE(boxes->size(), 1);
    const QMap<QString, QString> labels = boxes->first().labels;
    namespace l = security::labels;
    QCOMPARE(labels.value(l::policyIdleStop()), QStringLiteral("1800"));
    QCOMPARE(labels.value(l::policyMaxLifetime()), QStringLiteral("28800"));
    QCOMPARE(labels.value(l::policyDeleteAfterStopped()), QStringLiteral("86400"));
    QCOMPARE(labels.value(l::policySource()), QStringLiteral("box"));
    QCOMPARE(labels.value(l::keepData()), QStringLiteral("true"));
    // The same labels the Docker deploy gives the container.
    QMap<QString, QString> expected = s.policyLabels(fleet.policyDefault);
    for (auto it = expected.begin(); it != expected.end(); ++it)
        QCOMPARE(labels.value(it.key()), it.value());
}

void tst_CoolifyBackend::deployResolvesEnvironmentUuid()
{
    CoolifyConfig c = config();
    c.environmentUuid.clear();
    c.environmentName = QStringLiteral("staging");
    CoolifyBackend backend(c);
    QStringList steps;
    auto result = runJob(backend.deploy(spec(QStringLiteral("bob"))), &steps);
    QVERIFY_RESULT(result);
    QVERIFY(steps.contains(QStringLiteral("environment")));
    const QJsonObject create = serviceCreateBody();
    QCOMPARE(create.value(QStringLiteral("environment_uuid")).toString(),
             QStringLiteral("env-staging"));
    QCOMPARE(create.value(QStringLiteral("environment_name")).toString(),
             QStringLiteral("staging"));
}

void tst_CoolifyBackend::deployFailureRollsBack()
{
    m_fake.control(QStringLiteral("deployment"),
                   {{QStringLiteral("outcome"), QStringLiteral("failed")}});
    CoolifyBackend backend(config());
    QStringList steps;
    auto result = runJob(backend.deploy(spec(QStringLiteral("carol"))), &steps);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().context().startsWith(QStringLiteral("health")),
             qPrintable(result.error().toString()));
    QVERIFY(result.error().message().contains(QStringLiteral("degraded")));
    QCOMPARE(steps.last(), QStringLiteral("rollback"));
    QVERIFY(state().value(QStringLiteral("services")).toObject().isEmpty());
    QCOMPARE(state().value(QStringLiteral("service_deletes")).toObject().size(), 1);
}

void tst_CoolifyBackend::deployMissingSecretRollsBack()
{
    // Stored under the raw key only (not `boxctl secret set`): not a box secret.
    QVERIFY_RESULT(
        await(util::SecretStore::write(QStringLiteral("NOT_STORED"), QStringLiteral("x"))));
    CoolifyBackend backend(config());
    security::BoxSpec s = spec(QStringLiteral("dave"));
    s.secrets = {QStringLiteral("NOT_STORED")};
    QStringList steps;
    auto result = runJob(backend.deploy(s), &steps);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind(), Error::Kind::Invalid);
    QVERIFY(result.error().context().startsWith(QStringLiteral("validate")));
    QVERIFY(result.error().message().contains(QStringLiteral("NOT_STORED")));
    QVERIFY(!steps.contains(QStringLiteral("rollback")));
    QVERIFY(lastRequest(QStringLiteral("POST"), QStringLiteral("/services")).isEmpty());
}

void tst_CoolifyBackend::deployRefusesWhatCoolifyCannotEnforce_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("expected");
    QTest::newRow("routed") << "routed"
                            << "coolify-proxy";
    QTest::newRow("egress without socket root") << "egress"
                                                << "COOLIFY_EGRESS_SOCKET_ROOT";
    QTest::newRow("provider credential secret") << "provider"
                                                << "secrets.ANTHROPIC_API_KEY";
    QTest::newRow("console secret") << "console"
                                    << "secrets.coolify-token";
    QTest::newRow("dollar in env") << "dollar"
                                   << "env.PS1";
    QTest::newRow("coolify variable") << "coolifyvar"
                                      << "env.SERVICE_FQDN_APP";
}

void tst_CoolifyBackend::deployRefusesWhatCoolifyCannotEnforce()
{
    QFETCH(QString, what);
    QFETCH(QString, expected);
    // The Coolify token sits in the same store; a spec naming it must not read it.
    QVERIFY_RESULT(
        await(util::SecretStore::write(QStringLiteral("coolify-token"), QStringLiteral("1|tok"))));
    QVERIFY_RESULT(await(BoxSecrets::set(QStringLiteral("OK_SECRET"), QStringLiteral("v"))));
    CoolifyBackend backend(config());
    security::BoxSpec s = spec(QStringLiteral("eve"));
    if (what == QLatin1String("routed"))
        s.isolation = security::BoxSpec::Isolation::Routed;
    else if (what == QLatin1String("egress"))
        s.egress = QStringLiteral("anthropic");
    else if (what == QLatin1String("provider"))
        s.secrets = {QStringLiteral("ANTHROPIC_API_KEY")};
    else if (what == QLatin1String("console"))
        s.secrets = {QStringLiteral("OK_SECRET"), QStringLiteral("coolify-token")};
    else if (what == QLatin1String("dollar"))
        s.env.insert(QStringLiteral("PS1"), QStringLiteral("$HOME> "));
    else if (what == QLatin1String("coolifyvar"))
        s.env.insert(QStringLiteral("SERVICE_FQDN_APP"), QStringLiteral("x"));
    QStringList steps;
    auto result = runJob(backend.deploy(s), &steps);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind(), Error::Kind::Invalid);
    QVERIFY2(result.error().message().contains(expected), qPrintable(result.error().toString()));
    QVERIFY(result.error().context().startsWith(QStringLiteral("validate")));
    QVERIFY(!result.error().toString().contains(QStringLiteral("1|tok")));
    // Nothing was created or even asked for.
    QCOMPARE(m_fake.requestCount(), 0);
    QVERIFY(!steps.contains(QStringLiteral("rollback")));
}

void tst_CoolifyBackend::deployEgressMountsTheBoxSocketDir()
{
    QTemporaryDir dir;
    const QString policyFile = dir.filePath(QStringLiteral("policy.json"));
    QFile f(policyFile);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray::fromStdString(infra::EgressPolicy::defaultPolicy().toJson().dump()));
    f.close();
    CoolifyConfig c = config();
    c.egressSocketRoot = QStringLiteral("/srv/box-egress");
    c.egressPolicyFile = policyFile;
    CoolifyBackend backend(c);
    security::BoxSpec s = spec(QStringLiteral("frank"));
    s.egress = QStringLiteral("anthropic");
    auto result = runJob(backend.deploy(s));
    QVERIFY_RESULT(result);
    const QJsonObject st = state();
    const QJsonObject svc = composeService(st, result->id, QStringLiteral("frank"));
    const QString mount = security::EgressLayout::boxSocketDir(c.egressSocketRoot, s.name) +
                          QStringLiteral(":/run/egress:ro");
    QVERIFY2(svc.value(QStringLiteral("volumes")).toArray().contains(QJsonValue(mount)),
             QJsonDocument(svc).toJson().constData());
    QVERIFY(svc.value(QStringLiteral("environment"))
                .toObject()
                .value(QStringLiteral("ANTHROPIC_BASE_URL"))
                .toString()
                .startsWith(QStringLiteral("http://127.0.0.1:")));
    // Coolify keeps the bind and its read-only mode as written.
    QVERIFY(composeService(st, result->id, QStringLiteral("frank"), true)
                .value(QStringLiteral("volumes"))
                .toArray()
                .contains(QJsonValue(mount)));
}

void tst_CoolifyBackend::deployCreateFailsNothingToRollBack()
{
    // A token without write: the create is refused by Coolify, nothing exists to delete.
    CoolifyBackend backend(config(QStringLiteral("2|read")));
    QStringList steps;
    auto result = runJob(backend.deploy(spec(QStringLiteral("erin"))), &steps);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind(), Error::Kind::Unauthorized);
    QVERIFY(result.error().context().startsWith(QStringLiteral("create")));
    QVERIFY(!steps.contains(QStringLiteral("rollback")));
    QVERIFY(state().value(QStringLiteral("services")).toObject().isEmpty());
}

void tst_CoolifyBackend::deployCancelRollsBack()
{
    m_fake.control(QStringLiteral("deployment"), {{QStringLiteral("polls"), 1000}});
    CoolifyBackend backend(config());
    BoxJob *job = backend.deploy(spec(QStringLiteral("fred")));
    connect(job, &BoxJob::stepStarted, job, [job](const QString &step, const QString &) {
        if (step == QLatin1String("health"))
            QTimer::singleShot(200, job, [job] { job->cancel(); });
    });
    QStringList steps;
    auto result = runJob(job, &steps);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind(), Error::Kind::Cancelled);
    QCOMPARE(steps.last(), QStringLiteral("rollback"));
    QVERIFY(state().value(QStringLiteral("services")).toObject().isEmpty());
}

void tst_CoolifyBackend::deployRejectsSpecWithoutImage()
{
    CoolifyBackend backend(config());
    security::BoxSpec s = spec(QStringLiteral("gina"));
    s.image.clear();
    s.skills = {QStringLiteral("python")};
    auto result = runJob(backend.deploy(s));
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind(), Error::Kind::Invalid);
    QCOMPARE(m_fake.requestCount(), 0);
}

void tst_CoolifyBackend::deployNeedsServerAndProject()
{
    CoolifyConfig c = config();
    c.serverUuid.clear();
    CoolifyBackend backend(c);
    auto result = runJob(backend.deploy(spec(QStringLiteral("hank"))));
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind(), Error::Kind::Invalid);
    QVERIFY(result.error().message().contains(QStringLiteral("boxctl coolify servers")));
}

// An application box made by an earlier version, as Coolify lists it.
static QString legacyApp(bc::test::FakeCoolify &fake, const QString &name, const QString &status)
{
    return fake
        .control(QStringLiteral("app"),
                 {{QStringLiteral("name"), name},
                  {QStringLiteral("tags"), QJsonArray{QStringLiteral("box-console")}},
                  {QStringLiteral("description"),
                   QString(QStringLiteral("box-console box; owner=old; subdomain=") + name)},
                  {QStringLiteral("status"), status},
                  {QStringLiteral("health_check_enabled"), true},
                  {QStringLiteral("_deployed"), true},
                  {QStringLiteral("docker_registry_image_name"), QStringLiteral("boxes/agent")}})
        .object()
        .value(QStringLiteral("uuid"))
        .toString();
}

void tst_CoolifyBackend::removeDeletesVolumesUnlessKept()
{
    m_fake.control(QStringLiteral("delete_delay"), {{QStringLiteral("polls"), 3}});
    CoolifyBackend backend(config());
    auto a = runJob(backend.deploy(spec(QStringLiteral("ivan"))));
    auto b = runJob(backend.deploy(spec(QStringLiteral("judy"))));
    QVERIFY(a.ok() && b.ok());
    const QString old =
        legacyApp(m_fake, QStringLiteral("oscar"), QStringLiteral("running:healthy"));
    QSignalSpy removed(&backend, &BoxBackend::boxRemoved);
    QStringList steps;
    auto gone = runJob(backend.remove(a->id, false), &steps);
    QVERIFY_RESULT(gone);
    QVERIFY(steps.contains(QStringLiteral("remove")));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.first().at(1).toString(), a->id);
    QVERIFY_RESULT(runJob(backend.remove(QStringLiteral("judy"), true)));
    QVERIFY_RESULT(runJob(backend.remove(QStringLiteral("oscar"), true)));
    const QJsonObject deletes = state().value(QStringLiteral("service_deletes")).toObject();
    QCOMPARE(deletes.value(a->id).toObject().value(QStringLiteral("delete_volumes")).toString(),
             QStringLiteral("true"));
    QCOMPARE(deletes.value(b->id).toObject().value(QStringLiteral("delete_volumes")).toString(),
             QStringLiteral("false"));
    QCOMPARE(state()
                 .value(QStringLiteral("deletes"))
                 .toObject()
                 .value(old)
                 .toObject()
                 .value(QStringLiteral("delete_volumes"))
                 .toString(),
             QStringLiteral("false"));
    QVERIFY(state().value(QStringLiteral("services")).toObject().isEmpty());
    QVERIFY(state().value(QStringLiteral("apps")).toObject().isEmpty());
    QCOMPARE(await(backend.list())->size(), 0);
}

void tst_CoolifyBackend::removeRefusesNonBoxApplication()
{
    const QString uuid =
        m_fake
            .control(QStringLiteral("app"), {{QStringLiteral("name"), QStringLiteral("wordpress")}})
            .object()
            .value(QStringLiteral("uuid"))
            .toString();
    // Someone else's service on the same Coolify.
    CoolifyClient admin(config());
    coolify::CoolifyServiceCreate other;
    other.serverUuid = QStringLiteral("srv-main");
    other.projectUuid = QStringLiteral("proj-boxes");
    other.environmentName = QStringLiteral("production");
    other.name = QStringLiteral("plausible");
    other.description = QStringLiteral("analytics");
    other.compose = "services:\n  web:\n    image: \"nginx\"\n";
    auto svc = await(admin.createService(other));
    QVERIFY_RESULT(svc);
    CoolifyBackend backend(config());
    QCOMPARE(await(backend.list())->size(), 0);
    auto result = runJob(backend.remove(uuid, false));
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind(), Error::Kind::NotFound);
    QCOMPARE(runJob(backend.remove(svc.value(), false)).error().kind(), Error::Kind::NotFound);
    QVERIFY(state().value(QStringLiteral("deletes")).toObject().isEmpty());
    QVERIFY(state().value(QStringLiteral("service_deletes")).toObject().isEmpty());
    QCOMPARE(await(backend.stop(uuid)).error().kind(), Error::Kind::NotFound);
    QCOMPARE(await(backend.stop(QStringLiteral("plausible"))).error().kind(),
             Error::Kind::NotFound);
}

void tst_CoolifyBackend::startStopRestart()
{
    CoolifyBackend backend(config());
    auto box = runJob(backend.deploy(spec(QStringLiteral("kate"))));
    QVERIFY_RESULT(box);
    QVERIFY_RESULT(await(backend.stop(box->id)));
    QCOMPARE(await(backend.status(box->id))->state, BoxInfo::State::Exited);
    // Stopping a stopped box is what was asked for (Coolify: 400 "already stopped").
    QVERIFY_RESULT(await(backend.stop(box->id)));
    auto started = await(backend.start(box->id));
    QVERIFY_RESULT(started);
    QCOMPARE(await(backend.status(box->id))->state, BoxInfo::State::Running);
    QVERIFY_RESULT(await(backend.restart(QStringLiteral("kate"))));
    QCOMPARE(lastRequest(QStringLiteral("POST"), QStringLiteral("/services/"))
                 .value(QStringLiteral("path"))
                 .toString(),
             QStringLiteral("/services/") + box->id + QStringLiteral("/restart"));
    // a service that does not come up is an error for start
    QVERIFY_RESULT(await(backend.stop(box->id)));
    m_fake.control(QStringLiteral("deployment"),
                   {{QStringLiteral("outcome"), QStringLiteral("failed")}});
    auto failed = await(backend.start(box->id));
    QVERIFY(!failed.ok());
    QVERIFY(failed.error().message().contains(QStringLiteral("degraded")));

    // An application box of an earlier version is operated as an application.
    m_fake.control(QStringLiteral("deployment"),
                   {{QStringLiteral("outcome"), QStringLiteral("finished")}});
    const QString old =
        legacyApp(m_fake, QStringLiteral("olga"), QStringLiteral("running:healthy"));
    auto listed = await(backend.list());
    QVERIFY_RESULT(listed);
    QCOMPARE(listed->size(), 2);
    QVERIFY_RESULT(await(backend.stop(QStringLiteral("olga"))));
    QCOMPARE(await(backend.status(old))->state, BoxInfo::State::Exited);
    QVERIFY_RESULT(await(backend.start(old)));
    QVERIFY_RESULT(await(backend.restart(old)));
    QCOMPARE(lastRequest(QStringLiteral("POST"), QStringLiteral("/applications/"))
                 .value(QStringLiteral("path"))
                 .toString(),
             QStringLiteral("/applications/") + old + QStringLiteral("/restart"));
    QCOMPARE(await(backend.status(old))->labels.value(QStringLiteral("coolify.kind")),
             QStringLiteral("application"));
}

void tst_CoolifyBackend::recentLogs()
{
    CoolifyBackend backend(config());
    auto box = runJob(backend.deploy(spec(QStringLiteral("liam"))));
    QVERIFY_RESULT(box);
    auto lines = await(backend.recentLogs(box->id, 2));
    QVERIFY_RESULT(lines);
    QCOMPARE(*lines,
             QStringList({QStringLiteral("box liam line 4"), QStringLiteral("box liam line 5")}));
    const QJsonObject query =
        lastRequest(QStringLiteral("GET"),
                    QStringLiteral("/services/") + box->id + QStringLiteral("/logs"))
            .value(QStringLiteral("query"))
            .toObject();
    QCOMPARE(query.value(QStringLiteral("sub_service_name")).toString(), QStringLiteral("liam"));
    QCOMPARE(query.value(QStringLiteral("lines")).toString(), QStringLiteral("2"));
    QVERIFY_RESULT(await(backend.stop(box->id)));
    // Coolify's 400 "Container is not running." is a state, told apart from an empty log.
    auto stopped = await(backend.recentLogsIfRunning(box->id, 2));
    QVERIFY_RESULT(stopped);
    QVERIFY(!stopped->has_value());

    // An application box of an earlier version still shows its log.
    const QString old =
        legacyApp(m_fake, QStringLiteral("lena"), QStringLiteral("running:healthy"));
    QCOMPARE(m_fake.appendLog(old, {QStringLiteral("tick"), QString(), QStringLiteral("tock")}), 8);
    auto grown = await(backend.recentLogsIfRunning(old, 4));
    QVERIFY_RESULT(grown);
    QVERIFY(grown->has_value());
    QCOMPARE(**grown, QStringList({QStringLiteral("box lena line 5"), QStringLiteral("tick"),
                                   QString(), QStringLiteral("tock")}));
    QVERIFY_RESULT(await(backend.stop(old)));
    auto none = await(backend.recentLogs(old, 2));
    QVERIFY_RESULT(none);
    QVERIFY(none->isEmpty());
    auto missing = await(backend.recentLogsIfRunning(QStringLiteral("no-such-box"), 2));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().kind(), Error::Kind::NotFound);
}

void tst_CoolifyBackend::destroyedWithRequestsInFlight()
{
    // Continuations of calls still in flight when the backend (their context) dies must
    // neither run nor crash; the callers' futures end as abandoned.
    const QString uuid =
        m_fake
            .control(QStringLiteral("app"),
                     {{QStringLiteral("name"), QStringLiteral("nina")},
                      {QStringLiteral("tags"), QJsonArray{QStringLiteral("box-console")}},
                      {QStringLiteral("status"), QStringLiteral("running:healthy")}})
            .object()
            .value(QStringLiteral("uuid"))
            .toString();
    auto *backend = new CoolifyBackend(config());
    QFuture<Result<QList<BoxInfo>>> listed = backend->list();
    QFuture<Result<BoxInfo>> status = backend->status(uuid);
    QFuture<Result<QStringList>> logs = backend->recentLogs(uuid, 10);
    QFuture<VoidResult> stopped = backend->stop(uuid);
    delete backend;
    QVERIFY(bc::test::waitFor(listed, 5000));
    QVERIFY(bc::test::waitFor(status, 5000));
    QVERIFY(bc::test::waitFor(logs, 5000));
    QVERIFY(bc::test::waitFor(stopped, 5000));
    QVERIFY(!listed.result().ok());
    QCOMPARE(listed.result().error().kind(), Error::Kind::Cancelled);
    QCOMPARE(status.result().error().kind(), Error::Kind::Cancelled);
    QCOMPARE(logs.result().error().kind(), Error::Kind::Cancelled);
    QCOMPARE(stopped.result().error().kind(), Error::Kind::Cancelled);
    // Nothing runs late into the dead backend.
    QTest::qWait(300);
}

void tst_CoolifyBackend::pollingPushesChanges()
{
    CoolifyBackend backend(config());
    backend.setPollIntervalMs(100);
    QSignalSpy changed(&backend, &BoxBackend::boxChanged);
    QSignalSpy removed(&backend, &BoxBackend::boxRemoved);
    QSignalSpy connection(&backend, &BoxBackend::connectionChanged);
    const QString uuid =
        m_fake
            .control(QStringLiteral("app"),
                     {{QStringLiteral("name"), QStringLiteral("mona")},
                      {QStringLiteral("tags"), QJsonArray{QStringLiteral("box-console")}},
                      {QStringLiteral("status"), QStringLiteral("exited:unhealthy")}})
            .object()
            .value(QStringLiteral("uuid"))
            .toString();
    QTRY_VERIFY_WITH_TIMEOUT(backend.isWatching(), 2000);
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 5000);
    QCOMPARE(connection.size(), 1);
    QCOMPARE(connection.first().at(0).toBool(), true);
    QCOMPARE(changed.first().at(0).value<BoxInfo>().state, BoxInfo::State::Exited);
    // no change, no signal
    QTest::qWait(400);
    QCOMPARE(changed.size(), 1);
    m_fake.control(QStringLiteral("status"),
                   {{QStringLiteral("uuid"), uuid},
                    {QStringLiteral("status"), QStringLiteral("running:healthy")}});
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 2, 5000);
    QCOMPARE(changed.last().at(0).value<BoxInfo>().state, BoxInfo::State::Running);
    CoolifyClient admin(config());
    QVERIFY(await(admin.deleteApplication(uuid, CoolifyDeleteOptions())).ok());
    QVERIFY(await(admin.waitUntilGone(uuid, 10000)).ok());
    QTRY_COMPARE_WITH_TIMEOUT(removed.size(), 1, 5000);
    QCOMPARE(removed.first().at(1).toString(), uuid);
    QCOMPARE(removed.first().at(0).toString(), backend.id());
}

void tst_CoolifyBackend::connectionLost()
{
    CoolifyConfig c = config();
    c.token = QStringLiteral("9|expired");
    CoolifyBackend backend(c);
    backend.setPollIntervalMs(100);
    QSignalSpy connection(&backend, &BoxBackend::connectionChanged);
    QTRY_COMPARE_WITH_TIMEOUT(connection.size(), 1, 5000);
    QCOMPARE(connection.first().at(0).toBool(), false);
    QVERIFY(connection.first().at(1).toString().contains(QStringLiteral("Unauthenticated.")));
    QVERIFY(!connection.first().at(1).toString().contains(QStringLiteral("expired")) ||
            !connection.first().at(1).toString().contains(QStringLiteral("9|expired")));
    // Stays quiet while still down.
    QTest::qWait(400);
    QCOMPARE(connection.size(), 1);
}

QTEST_GUILESS_MAIN(tst_CoolifyBackend)
#include "tst_coolifybackend.moc"
