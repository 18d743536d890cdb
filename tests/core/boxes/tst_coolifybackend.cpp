// ctest: labels=coolify timeout=300
#include "core/boxes/coolifybackend.h"
#include "core/boxes/coolifydeployjob.h"
#include "core/util/secretstore.h"

#include "support/coolify/fakecoolify.h"
#include "support/testutil.h"

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
    void listMapsTaggedApplications();
    void statusMapping_data();
    void statusMapping();
    void healthGraceAfterDeploy();
    void deploySucceeds();
    void deployResolvesEnvironmentUuid();
    void deployFailureRollsBack();
    void deployMissingSecretRollsBack();
    void deployDomainConflictNothingToRollBack();
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
    QSignalSpy finished(job, &BoxJob::finished);
    if (!finished.wait(60000))
        qFatal("job did not finish");
    // finished fires exactly once
    QTest::qWait(50);
    if (finished.size() != 1)
        qFatal("finished fired %d times", int(finished.size()));
    return job->result();
}

QJsonObject tst_CoolifyBackend::lastRequest(const QString &method, const QString &pathPrefix)
{
    return m_fake.lastRequest(method, pathPrefix);
}

static QJsonObject jsonBody(const QJsonObject &request)
{
    return QJsonDocument::fromJson(request.value(QStringLiteral("body")).toString().toUtf8())
        .object();
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

void tst_CoolifyBackend::deploySucceeds()
{
    QVERIFY(await(util::SecretStore::write(QStringLiteral("ANTHROPIC_API_KEY"),
                                           QStringLiteral("sk-test")))
                .ok());
    CoolifyBackend backend(config());
    security::BoxSpec s = spec(QStringLiteral("alice"));
    s.secrets = {QStringLiteral("ANTHROPIC_API_KEY")};
    QStringList steps;
    auto result = runJob(backend.deploy(s), &steps);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    QCOMPARE(steps, (QStringList{QStringLiteral("validate"), QStringLiteral("create"),
                                 QStringLiteral("env"), QStringLiteral("start"),
                                 QStringLiteral("health")}));
    QCOMPARE(result->name, QStringLiteral("alice"));
    QCOMPARE(result->state, BoxInfo::State::Running);
    QCOMPARE(result->health,
             BoxInfo::Health::Starting); // running:unhealthy inside the grace window
    QCOMPARE(result->url, QStringLiteral("https://alice.boxes.test"));
    QCOMPARE(result->owner, QStringLiteral("owner-alice"));

    const QJsonObject create =
        jsonBody(lastRequest(QStringLiteral("POST"), QStringLiteral("/applications/dockerimage")));
    QCOMPARE(create.value(QStringLiteral("docker_registry_image_name")).toString(),
             QStringLiteral("registry.example.com:5000/boxes/agent"));
    QCOMPARE(create.value(QStringLiteral("docker_registry_image_tag")).toString(),
             QStringLiteral("2.1"));
    QCOMPARE(create.value(QStringLiteral("domains")).toString(),
             QStringLiteral("https://alice.boxes.test:8080"));
    QCOMPARE(create.value(QStringLiteral("autogenerate_domain")).toBool(true), false);
    QCOMPARE(create.value(QStringLiteral("limits_memory")).toString(), QStringLiteral("2048m"));
    QCOMPARE(create.value(QStringLiteral("limits_memory_swap")).toString(),
             QStringLiteral("2048m"));
    QCOMPARE(create.value(QStringLiteral("limits_cpus")).toString(), QStringLiteral("1.5"));
    QCOMPARE(create.value(QStringLiteral("health_check_path")).toString(),
             QStringLiteral("/health"));
    QCOMPARE(create.value(QStringLiteral("health_check_port")).toString(), QStringLiteral("9999"));
    QCOMPARE(create.value(QStringLiteral("tags")).toArray().first().toString(),
             QStringLiteral("box-console"));

    const QJsonArray envs =
        state().value(QStringLiteral("envs")).toObject().value(result->id).toArray();
    QMap<QString, QJsonObject> byKey;
    for (const QJsonValue &e : envs) {
        if (!e.toObject().value(QStringLiteral("is_preview")).toBool())
            byKey.insert(e.toObject().value(QStringLiteral("key")).toString(), e.toObject());
    }
    QCOMPARE(byKey.value(QStringLiteral("EDITOR")).value(QStringLiteral("value")).toString(),
             QStringLiteral("vi"));
    QCOMPARE(byKey.value(QStringLiteral("BOX_SUBDOMAIN")).value(QStringLiteral("value")).toString(),
             QStringLiteral("alice"));
    QCOMPARE(
        byKey.value(QStringLiteral("ANTHROPIC_API_KEY")).value(QStringLiteral("value")).toString(),
        QStringLiteral("sk-test"));
    QCOMPARE(byKey.value(QStringLiteral("ANTHROPIC_API_KEY"))
                 .value(QStringLiteral("is_shown_once"))
                 .toBool(),
             true);

    auto listed = await(backend.list());
    QCOMPARE(listed->size(), 1);
}

void tst_CoolifyBackend::deployResolvesEnvironmentUuid()
{
    CoolifyConfig c = config();
    c.environmentUuid.clear();
    c.environmentName = QStringLiteral("staging");
    CoolifyBackend backend(c);
    QStringList steps;
    auto result = runJob(backend.deploy(spec(QStringLiteral("bob"))), &steps);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    QVERIFY(steps.contains(QStringLiteral("environment")));
    const QJsonObject create =
        jsonBody(lastRequest(QStringLiteral("POST"), QStringLiteral("/applications/dockerimage")));
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
    QCOMPARE(steps.last(), QStringLiteral("rollback"));
    QVERIFY(state().value(QStringLiteral("apps")).toObject().isEmpty());
    QCOMPARE(state().value(QStringLiteral("deletes")).toObject().size(), 1);
}

void tst_CoolifyBackend::deployMissingSecretRollsBack()
{
    CoolifyBackend backend(config());
    security::BoxSpec s = spec(QStringLiteral("dave"));
    s.secrets = {QStringLiteral("NOT_STORED")};
    QStringList steps;
    auto result = runJob(backend.deploy(s), &steps);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind(), Error::Kind::Invalid);
    QVERIFY(result.error().context().startsWith(QStringLiteral("env")));
    QVERIFY(result.error().message().contains(QStringLiteral("NOT_STORED")));
    QCOMPARE(steps.last(), QStringLiteral("rollback"));
    QVERIFY(state().value(QStringLiteral("apps")).toObject().isEmpty());
}

void tst_CoolifyBackend::deployDomainConflictNothingToRollBack()
{
    CoolifyBackend backend(config());
    QVERIFY(runJob(backend.deploy(spec(QStringLiteral("erin")))).ok());
    security::BoxSpec again = spec(QStringLiteral("erin"));
    again.name = QStringLiteral("erin-2");
    QStringList steps;
    auto result = runJob(backend.deploy(again), &steps);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind(), Error::Kind::Conflict);
    QVERIFY(result.error().context().startsWith(QStringLiteral("create")));
    QVERIFY(!steps.contains(QStringLiteral("rollback")));
    QCOMPARE(state().value(QStringLiteral("apps")).toObject().size(), 1);
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
    QVERIFY(state().value(QStringLiteral("apps")).toObject().isEmpty());
    bool cancelled = false;
    const QJsonObject deployments = state().value(QStringLiteral("deployments")).toObject();
    for (const QJsonValue &d : deployments)
        cancelled |= d.toObject().value(QStringLiteral("status")).toString() ==
                     QLatin1String("cancelled-by-user");
    QVERIFY(cancelled);
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
    QVERIFY(lastRequest(QStringLiteral("POST"), QStringLiteral("/applications")).isEmpty());
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

void tst_CoolifyBackend::removeDeletesVolumesUnlessKept()
{
    m_fake.control(QStringLiteral("delete_delay"), {{QStringLiteral("polls"), 3}});
    CoolifyBackend backend(config());
    auto a = runJob(backend.deploy(spec(QStringLiteral("ivan"))));
    auto b = runJob(backend.deploy(spec(QStringLiteral("judy"))));
    QVERIFY(a.ok() && b.ok());
    QSignalSpy removed(&backend, &BoxBackend::boxRemoved);
    QStringList steps;
    auto gone = runJob(backend.remove(a->id, false), &steps);
    QVERIFY2(gone.ok(), qPrintable(gone.ok() ? QString() : gone.error().toString()));
    QVERIFY(steps.contains(QStringLiteral("remove")));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.first().at(1).toString(), a->id);
    auto kept = runJob(backend.remove(QStringLiteral("judy"), true));
    QVERIFY(kept.ok());
    const QJsonObject deletes = state().value(QStringLiteral("deletes")).toObject();
    QCOMPARE(deletes.value(a->id).toObject().value(QStringLiteral("delete_volumes")).toString(),
             QStringLiteral("true"));
    QCOMPARE(deletes.value(b->id).toObject().value(QStringLiteral("delete_volumes")).toString(),
             QStringLiteral("false"));
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
    CoolifyBackend backend(config());
    auto result = runJob(backend.remove(uuid, false));
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind(), Error::Kind::NotFound);
    QVERIFY(state().value(QStringLiteral("deletes")).toObject().isEmpty());
    QCOMPARE(await(backend.stop(uuid)).error().kind(), Error::Kind::NotFound);
}

void tst_CoolifyBackend::startStopRestart()
{
    CoolifyBackend backend(config());
    auto box = runJob(backend.deploy(spec(QStringLiteral("kate"))));
    QVERIFY(box.ok());
    QVERIFY(await(backend.stop(box->id)).ok());
    QCOMPARE(await(backend.status(box->id))->state, BoxInfo::State::Exited);
    auto started = await(backend.start(box->id));
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().toString()));
    QCOMPARE(await(backend.status(box->id))->state, BoxInfo::State::Running);
    QVERIFY(await(backend.restart(QStringLiteral("kate"))).ok());
    // a failing deployment is an error for start
    m_fake.control(QStringLiteral("deployment"),
                   {{QStringLiteral("outcome"), QStringLiteral("failed")}});
    auto failed = await(backend.start(box->id));
    QVERIFY(!failed.ok());
    QVERIFY(failed.error().message().contains(QStringLiteral("failed")));
}

void tst_CoolifyBackend::recentLogs()
{
    CoolifyBackend backend(config());
    auto box = runJob(backend.deploy(spec(QStringLiteral("liam"))));
    QVERIFY(box.ok());
    auto lines = await(backend.recentLogs(box->id, 2));
    QVERIFY(lines.ok());
    QCOMPARE(lines->size(), 2);
    // The log grows between calls; `tail` is the newest lines, oldest first.
    QCOMPARE(m_fake.appendLog(box->id, {QStringLiteral("tick"), QString(), QStringLiteral("tock")}),
             8);
    auto grown = await(backend.recentLogsIfRunning(box->id, 4));
    QVERIFY_RESULT(grown);
    QVERIFY(grown->has_value());
    QCOMPARE(**grown, QStringList({QStringLiteral("box liam line 5"), QStringLiteral("tick"),
                                   QString(), QStringLiteral("tock")}));
    QCOMPARE(lastRequest(QStringLiteral("GET"),
                         QStringLiteral("/applications/") + box->id + QStringLiteral("/logs"))
                 .value(QStringLiteral("query"))
                 .toObject()
                 .value(QStringLiteral("lines"))
                 .toString(),
             QStringLiteral("4"));
    QVERIFY(await(backend.stop(box->id)).ok());
    auto none = await(backend.recentLogs(box->id, 2));
    QVERIFY(none.ok());
    QVERIFY(none->isEmpty());
    // Coolify's 400 "Application is not running." is a state, told apart from an empty log.
    auto stopped = await(backend.recentLogsIfRunning(box->id, 2));
    QVERIFY_RESULT(stopped);
    QVERIFY(!stopped->has_value());
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
