// ctest: labels=coolify timeout=300
#include "core/coolify/coolifyclient.h"
#include "core/util/secretstore.h"

#include "support/coolify/fakecoolify.h"
#include "support/testutil.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace bc;
using namespace bc::coolify;
using bc::test::await;

static const QString kRoot = QStringLiteral("1|root");
static const QString kRead = QStringLiteral("2|read");
static const QString kWrite = QStringLiteral("3|write");
static const QString kRwd = QStringLiteral("5|rwd");
static const QString kSensitive = QStringLiteral("6|sensitive");

class tst_CoolifyClient : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void configUrlRules();
    void configLoadFromEnvironment();
    void healthAndVersion();
    void unauthenticated();
    void invalidTokenTeam();
    void missingAbility();
    void writeDoesNotImplyRead();
    void apiDisabled();
    void serversProjectsEnvironments();
    void environmentByNameOrUuid();
    void createFromImage();
    void createFromDockerfileFixesPorts();
    void createValidatesLocally();
    void validationErrorForms();
    void validationWithoutFieldErrors();
    void domainConflict();
    void applicationsByTag();
    void envVarsBulkAndPreviewTwins();
    void envVarsValuesNeedSensitive();
    void startAndFollowToFinished();
    void deploymentFailed();
    void phantomDeploymentQueueFull();
    void phantomDeploymentSkipped();
    void deploymentsNotFoundBug();
    void deployEndpoint();
    void stopAndRestart();
    void restartNeverDeployedFails();
    void cancelDeployment();
    void deleteExplicitFlagsAndWaitGone();
    void deleteKeepsVolumes();
    void retryOn429();
    void retryOn429Bounded();
    void timeout();
    void transportError();
    void oldVersionAbilitiesAndDefaults();
    void tokenFromSecretStore();
    void missingTokenAnywhere();
    void logs();
    void postOnlyFromV420();
    void envCreateConflict();
    void serviceCreateSendsComposeBase64();
    void serviceCreateErrors();
    void serviceEnvVarsShownOnce();
    void serviceLifecycle();
    void serviceFollowFailure();
    void serviceLogs();
    void serviceDeleteAndWaitGone();

private:
    Result<CoolifyClient::Reply> raw(CoolifyClient &client, const QByteArray &method,
                                     const QString &path,
                                     const std::optional<nlohmann::json> &body = std::nullopt);

    CoolifyConfig config(const QString &token) const;
    QJsonObject lastRequest(const QString &method, const QString &pathPrefix);
    QString createImageApp(CoolifyClient &client, const QString &name, bool health = false);

    bc::test::FakeCoolify m_fake;
    QTemporaryDir m_home;
};

void tst_CoolifyClient::initTestCase()
{
    qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
    qputenv("BOX_SECRET_STORE", "file");
    if (!m_fake.start())
        QSKIP("python3 or the fake Coolify script is missing");
}

void tst_CoolifyClient::init()
{
    m_fake.control(QStringLiteral("reset"));
    m_fake.control(QStringLiteral("deployment"), {{QStringLiteral("polls"), 2}});
}

void tst_CoolifyClient::cleanupTestCase()
{
    m_fake.stop();
}

CoolifyConfig tst_CoolifyClient::config(const QString &token) const
{
    return m_fake.config(token);
}

QJsonObject tst_CoolifyClient::lastRequest(const QString &method, const QString &pathPrefix)
{
    return m_fake.lastRequest(method, pathPrefix);
}

static CoolifyAppCreate imageSpec(const QString &name)
{
    CoolifyAppCreate spec;
    spec.serverUuid = QStringLiteral("srv-main");
    spec.projectUuid = QStringLiteral("proj-boxes");
    spec.environmentName = QStringLiteral("production");
    spec.environmentUuid = QStringLiteral("env-prod");
    spec.name = name;
    spec.image = QStringLiteral("registry.example.com/box");
    spec.imageTag = QStringLiteral("1.2");
    spec.portsExposes = QStringLiteral("8080,9999");
    spec.domains = {QStringLiteral("https://%1.boxes.example.com").arg(name)};
    spec.tags = {QStringLiteral("box-console")};
    return spec;
}

QString tst_CoolifyClient::createImageApp(CoolifyClient &client, const QString &name, bool health)
{
    CoolifyAppCreate spec = imageSpec(name);
    spec.healthCheckEnabled = health;
    auto created = await(client.createApplication(spec));
    if (!created) {
        qWarning("create failed: %s", qPrintable(created.error().toString()));
        return {};
    }
    return created.value();
}

void tst_CoolifyClient::configUrlRules()
{
    QVERIFY(CoolifyConfig::validateUrl(QStringLiteral("https://coolify.example.com")).ok());
    QVERIFY(CoolifyConfig::validateUrl(QStringLiteral("http://localhost:8000")).ok());
    QVERIFY(CoolifyConfig::validateUrl(QStringLiteral("http://127.0.0.1:8000")).ok());
    QVERIFY(CoolifyConfig::validateUrl(QStringLiteral("http://[::1]:8000")).ok());
    const auto plain = CoolifyConfig::validateUrl(QStringLiteral("http://coolify.example.com"));
    QVERIFY(!plain.ok());
    QCOMPARE(plain.error().kind(), Error::Kind::Invalid);
    QVERIFY(!CoolifyConfig::validateUrl(QStringLiteral("ftp://localhost")).ok());
    QVERIFY(!CoolifyConfig::validateUrl(QStringLiteral("not a url")).ok());
    QVERIFY(
        !CoolifyConfig::validateUrl(QStringLiteral("https://user:pw@coolify.example.com")).ok());

    // The client refuses to send a token in clear even if handed such a config.
    CoolifyConfig c = config(kRoot);
    c.baseUrl = QUrl(QStringLiteral("http://coolify.example.com"));
    CoolifyClient client(c);
    auto r = await(client.servers());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind(), Error::Kind::Invalid);
}

void tst_CoolifyClient::configLoadFromEnvironment()
{
    qputenv("COOLIFY_URL", "https://coolify.example.com/api/v1/");
    qputenv("COOLIFY_TOKEN", "42|very-secret-token");
    qputenv("COOLIFY_SERVER_UUID", "srv-x");
    qputenv("COOLIFY_ENV_NAME", "staging");
    auto loaded = CoolifyConfig::load();
    qunsetenv("COOLIFY_URL");
    qunsetenv("COOLIFY_TOKEN");
    qunsetenv("COOLIFY_SERVER_UUID");
    qunsetenv("COOLIFY_ENV_NAME");
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
    QCOMPARE(loaded->baseUrl.toString(), QStringLiteral("https://coolify.example.com"));
    QCOMPARE(loaded->token, QStringLiteral("42|very-secret-token"));
    QCOMPARE(loaded->serverUuid, QStringLiteral("srv-x"));
    QCOMPARE(loaded->environmentName, QStringLiteral("staging"));
    QVERIFY(!loaded->toString().contains(QStringLiteral("very-secret")));

    // The override wins and is validated.
    qputenv("COOLIFY_URL", "https://coolify.example.com");
    auto overridden = CoolifyConfig::load(QStringLiteral("http://remote.example.com"));
    qunsetenv("COOLIFY_URL");
    QVERIFY(!overridden.ok());
    QCOMPARE(overridden.error().kind(), Error::Kind::Invalid);

    auto missing = CoolifyConfig::load();
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().kind(), Error::Kind::Invalid);
}

void tst_CoolifyClient::healthAndVersion()
{
    CoolifyClient client(config(kRead));
    QVERIFY(await(client.health()).ok());
    auto v = await(client.version());
    QVERIFY(v.ok());
    QCOMPARE(v->raw, QStringLiteral("4.3.11"));
    QCOMPARE(v->minor, 3);
    m_fake.control(QStringLiteral("version"),
                   {{QStringLiteral("version"), QStringLiteral("4.0.0-beta.420")}});
    v = await(client.version());
    QVERIFY(v.ok());
    QCOMPARE(v->beta, 420);
    QVERIFY(!v->atLeast(4, 0, 0));
    // Accept header and bearer token went out.
    QCOMPARE(lastRequest(QStringLiteral("GET"), QStringLiteral("/version"))
                 .value(QStringLiteral("path"))
                 .toString(),
             QStringLiteral("/version"));
}

void tst_CoolifyClient::unauthenticated()
{
    CoolifyClient client(config(QStringLiteral("9|expired-secret-value")));
    auto r = await(client.servers());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind(), Error::Kind::Unauthorized);
    QCOMPARE(r.error().httpStatus(), 401);
    QVERIFY(r.error().message().startsWith(QStringLiteral("Unauthenticated.")));
    QVERIFY(r.error().message().contains(QStringLiteral("boxctl coolify login")));
    QVERIFY(!r.error().toString().contains(QStringLiteral("expired-secret-value")));
    QVERIFY(r.error().context().contains(QStringLiteral("GET /servers")));
}

void tst_CoolifyClient::invalidTokenTeam()
{
    CoolifyClient client(config(QStringLiteral("7|noteam")));
    auto r = await(client.projects());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().httpStatus(), 401);
    QVERIFY(r.error().message().startsWith(QStringLiteral("Invalid token.")));
}

void tst_CoolifyClient::missingAbility()
{
    CoolifyClient client(config(kRead));
    auto r = await(client.createApplication(imageSpec(QStringLiteral("alice"))));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind(), Error::Kind::Unauthorized);
    QCOMPARE(r.error().httpStatus(), 403);
    QVERIFY(r.error().message().contains(QStringLiteral("Missing required permissions: write")));
    QVERIFY(r.error().message().contains(QStringLiteral("read, write and deploy")));
}

void tst_CoolifyClient::writeDoesNotImplyRead()
{
    CoolifyClient client(config(kWrite));
    auto r = await(client.applications());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().httpStatus(), 403);
    QVERIFY(r.error().message().contains(QStringLiteral("read")));
}

void tst_CoolifyClient::apiDisabled()
{
    m_fake.control(QStringLiteral("api_disabled"), {{QStringLiteral("disabled"), true}});
    CoolifyClient client(config(kRoot));
    auto r = await(client.servers());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().httpStatus(), 403);
    QVERIFY(r.error().message().contains(QStringLiteral("API is disabled.")));
    QVERIFY(r.error().message().contains(QStringLiteral("API Access")));
}

void tst_CoolifyClient::serversProjectsEnvironments()
{
    CoolifyClient client(config(kRead));
    auto servers = await(client.servers());
    QVERIFY(servers.ok());
    QCOMPARE(servers->size(), 3);
    int hostable = 0;
    for (const CoolifyServer &s : servers.value()) {
        if (s.canHost()) {
            ++hostable;
            QCOMPARE(s.uuid, QStringLiteral("srv-main"));
        }
    }
    QCOMPARE(hostable, 1);

    auto projects = await(client.projects());
    QVERIFY(projects.ok());
    QCOMPARE(projects->size(), 2);
    QCOMPARE(projects->first().uuid, QStringLiteral("proj-boxes"));

    auto project = await(client.project(QStringLiteral("proj-boxes")));
    QVERIFY(project.ok());
    QCOMPARE(project->environments.size(), 2);

    auto envs = await(client.environments(QStringLiteral("proj-boxes")));
    QVERIFY(envs.ok());
    QCOMPARE(envs->size(), 2);
    QCOMPARE(envs->at(1).name, QStringLiteral("staging"));

    auto missing = await(client.project(QStringLiteral("nope")));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().kind(), Error::Kind::NotFound);
    QCOMPARE(missing.error().message(), QStringLiteral("Project not found."));
}

void tst_CoolifyClient::environmentByNameOrUuid()
{
    CoolifyClient client(config(kRead));
    auto byName =
        await(client.environment(QStringLiteral("proj-boxes"), QStringLiteral("staging")));
    QVERIFY(byName.ok());
    QCOMPARE(byName->uuid, QStringLiteral("env-staging"));
    auto byUuid =
        await(client.environment(QStringLiteral("proj-boxes"), QStringLiteral("env-prod")));
    QVERIFY(byUuid.ok());
    QCOMPARE(byUuid->name, QStringLiteral("production"));
    auto missing = await(client.environment(QStringLiteral("proj-boxes"), QStringLiteral("qa")));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().message(), QStringLiteral("Environment not found."));
}

void tst_CoolifyClient::createFromImage()
{
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("alice"));
    QVERIFY(!uuid.isEmpty());

    const QJsonObject request =
        lastRequest(QStringLiteral("POST"), QStringLiteral("/applications/dockerimage"));
    const QJsonObject body =
        QJsonDocument::fromJson(request.value(QStringLiteral("body")).toString().toUtf8()).object();
    QCOMPARE(body.value(QStringLiteral("autogenerate_domain")).toBool(true), false);
    QCOMPARE(body.value(QStringLiteral("instant_deploy")).toBool(true), false);
    QCOMPARE(body.value(QStringLiteral("domains")).toString(),
             QStringLiteral("https://alice.boxes.example.com"));
    QCOMPARE(body.value(QStringLiteral("ports_exposes")).toString(), QStringLiteral("8080,9999"));
    QCOMPARE(body.value(QStringLiteral("environment_name")).toString(),
             QStringLiteral("production"));
    QCOMPARE(body.value(QStringLiteral("environment_uuid")).toString(), QStringLiteral("env-prod"));
    QCOMPARE(body.value(QStringLiteral("docker_registry_image_tag")).toString(),
             QStringLiteral("1.2"));

    auto app = await(client.application(uuid));
    QVERIFY(app.ok());
    QCOMPARE(app->name, QStringLiteral("alice"));
    QCOMPARE(app->domains, QStringList{QStringLiteral("https://alice.boxes.example.com")});
    QCOMPARE(app->portsExposes, QStringLiteral("8080,9999"));
    QCOMPARE(app->imageName, QStringLiteral("registry.example.com/box"));
    // never deployed
    QCOMPARE(app->status.state, CoolifyStatus::State::Exited);
    QCOMPARE(app->status.health, CoolifyStatus::Health::Unhealthy);
}

void tst_CoolifyClient::createFromDockerfileFixesPorts()
{
    CoolifyClient client(config(kRwd));
    CoolifyAppCreate spec = imageSpec(QStringLiteral("bob"));
    spec.image.clear();
    spec.imageTag.clear();
    spec.dockerfile = QStringLiteral("FROM scratch\nEXPOSE 8080\n# caf\u00e9\n");
    auto created = await(client.createApplication(spec));
    QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().toString()));

    const QJsonObject request =
        lastRequest(QStringLiteral("POST"), QStringLiteral("/applications/dockerfile"));
    const QJsonObject body =
        QJsonDocument::fromJson(request.value(QStringLiteral("body")).toString().toUtf8()).object();
    QCOMPARE(QString::fromUtf8(QByteArray::fromBase64(
                 body.value(QStringLiteral("dockerfile")).toString().toLatin1())),
             spec.dockerfile);
    // The server forced 80; the client patched it back.
    const QJsonObject patch =
        lastRequest(QStringLiteral("PATCH"), QStringLiteral("/applications/") + created.value());
    QVERIFY(patch.value(QStringLiteral("body")).toString().contains(QStringLiteral("8080,9999")));
    const QJsonObject state = m_fake.inspect(QStringLiteral("state")).object();
    const QJsonObject app =
        state.value(QStringLiteral("apps")).toObject().value(created.value()).toObject();
    QCOMPARE(app.value(QStringLiteral("ports_exposes")).toString(), QStringLiteral("8080,9999"));
    QCOMPARE(app.value(QStringLiteral("dockerfile")).toString(), spec.dockerfile);
    QCOMPARE(app.value(QStringLiteral("build_pack")).toString(), QStringLiteral("dockerfile"));
}

void tst_CoolifyClient::createValidatesLocally()
{
    CoolifyClient client(config(kRwd));
    CoolifyAppCreate both = imageSpec(QStringLiteral("x"));
    both.dockerfile = QStringLiteral("FROM scratch");
    auto r = await(client.createApplication(both));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind(), Error::Kind::Invalid);
    CoolifyAppCreate noEnv = imageSpec(QStringLiteral("x"));
    noEnv.environmentName.clear();
    noEnv.environmentUuid.clear();
    QCOMPARE(await(client.createApplication(noEnv)).error().kind(), Error::Kind::Invalid);
    CoolifyAppCreate badPorts = imageSpec(QStringLiteral("x"));
    badPorts.portsExposes = QStringLiteral("80;443");
    QCOMPARE(await(client.createApplication(badPorts)).error().kind(), Error::Kind::Invalid);
    // Nothing reached the server.
    QVERIFY(lastRequest(QStringLiteral("POST"), QStringLiteral("/applications")).isEmpty());
}

void tst_CoolifyClient::validationErrorForms()
{
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("carol"));
    QVERIFY(!uuid.isEmpty());
    // string[] form: a create-only field on PATCH
    auto arrayForm = await(client.updateApplication(uuid, {{"dockerfile", "RlJPTSB4"}}));
    QVERIFY(!arrayForm.ok());
    QCOMPARE(arrayForm.error().kind(), Error::Kind::Invalid);
    QCOMPARE(arrayForm.error().httpStatus(), 422);
    QCOMPARE(arrayForm.error().message(),
             QStringLiteral("Validation failed. [dockerfile: This field is not allowed.]"));
    // string form
    auto stringForm = await(client.updateApplication(uuid, {{"ports_exposes", "80;443"}}));
    QVERIFY(!stringForm.ok());
    QVERIFY(stringForm.error().message().contains(QStringLiteral(
        "ports_exposes: The ports_exposes should be a comma separated list of numbers.")));
    // string[] for a wrong type
    auto typeForm = await(client.updateApplication(uuid, {{"ports_exposes", 80}}));
    QVERIFY(typeForm.error().message().contains(
        QStringLiteral("ports_exposes: The ports exposes field must be a string.")));
}

void tst_CoolifyClient::validationWithoutFieldErrors()
{
    CoolifyClient client(config(kRwd));
    const nlohmann::json body = {{"project_uuid", "proj-boxes"},
                                 {"server_uuid", "srv-main"},
                                 {"docker_registry_image_name", "x"},
                                 {"ports_exposes", "80"}};
    std::optional<Result<CoolifyClient::Reply>> got;
    client.send("POST", QStringLiteral("/applications/dockerimage"), {}, body,
                [&got](Result<CoolifyClient::Reply> r) { got = std::move(r); });
    QTRY_VERIFY(got.has_value());
    QVERIFY(!got->ok());
    QCOMPARE(got->error().httpStatus(), 422);
    QCOMPARE(got->error().message(),
             QStringLiteral(
                 "You need to provide at least one of environment_name or environment_uuid."));
}

void tst_CoolifyClient::domainConflict()
{
    CoolifyClient client(config(kRwd));
    QVERIFY(!createImageApp(client, QStringLiteral("dave")).isEmpty());
    auto again = await(client.createApplication(imageSpec(QStringLiteral("dave"))));
    QVERIFY(!again.ok());
    QCOMPARE(again.error().kind(), Error::Kind::Conflict);
    QVERIFY(
        again.error().message().contains(QStringLiteral("https://dave.boxes.example.com (dave)")));
}

void tst_CoolifyClient::applicationsByTag()
{
    CoolifyClient client(config(kRwd));
    QVERIFY(!createImageApp(client, QStringLiteral("erin")).isEmpty());
    m_fake.control(QStringLiteral("app"),
                   {{QStringLiteral("name"), QStringLiteral("not-a-box")},
                    {QStringLiteral("status"), QStringLiteral("running:healthy")}});
    auto all = await(client.applications());
    QVERIFY(all.ok());
    QCOMPARE(all->size(), 2);
    auto boxes = await(client.applications(QStringLiteral("box-console")));
    QVERIFY(boxes.ok());
    QCOMPARE(boxes->size(), 1);
    QCOMPARE(boxes->first().name, QStringLiteral("erin"));
    QCOMPARE(lastRequest(QStringLiteral("GET"), QStringLiteral("/applications"))
                 .value(QStringLiteral("query"))
                 .toObject()
                 .value(QStringLiteral("tag"))
                 .toString(),
             QStringLiteral("box-console"));
}

void tst_CoolifyClient::envVarsBulkAndPreviewTwins()
{
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("frank"));
    CoolifyEnvVar a;
    a.key = QStringLiteral("BOX_SUBDOMAIN");
    a.value = QStringLiteral("frank");
    CoolifyEnvVar b;
    b.key = QStringLiteral("MULTI");
    b.value = QStringLiteral("line1\nline2");
    b.isMultiline = true;
    b.isBuildtime = false;
    QVERIFY(await(client.setEnvVars(uuid, {a, b})).ok());

    // Every flag was sent, is_preview false, values as strings.
    const QJsonObject request = lastRequest(QStringLiteral("PATCH"),
                                            QStringLiteral("/applications/%1/envs/bulk").arg(uuid));
    const QJsonArray data =
        QJsonDocument::fromJson(request.value(QStringLiteral("body")).toString().toUtf8())
            .object()
            .value(QStringLiteral("data"))
            .toArray();
    QCOMPARE(data.size(), 2);
    for (const char *flag : {"is_preview", "is_literal", "is_multiline", "is_shown_once",
                             "is_runtime", "is_buildtime"})
        QVERIFY2(data.at(0).toObject().contains(QLatin1String(flag)), flag);
    QCOMPARE(data.at(0).toObject().value(QStringLiteral("is_preview")).toBool(true), false);

    auto vars = await(client.envVars(uuid));
    QVERIFY(vars.ok());
    QCOMPARE(vars->size(), 2);
    auto withPreview = await(client.envVars(uuid, true));
    QVERIFY(withPreview.ok());
    QCOMPARE(withPreview->size(), 4); // the server's is_preview twins

    // Upsert: setting again does not duplicate; omitted... every flag is sent, so kept.
    b.value = QStringLiteral("changed");
    QVERIFY(await(client.setEnvVars(uuid, {b})).ok());
    vars = await(client.envVars(uuid));
    QCOMPARE(vars->size(), 2);
    QCOMPARE(vars->at(1).isMultiline, true);
    QCOMPARE(vars->at(1).isBuildtime, false);

    CoolifyEnvVar bad;
    bad.key = QStringLiteral("1BAD");
    QCOMPARE(await(client.setEnvVars(uuid, {bad})).error().kind(), Error::Kind::Invalid);
}

void tst_CoolifyClient::envVarsValuesNeedSensitive()
{
    CoolifyClient writer(config(kRwd));
    const QString uuid = createImageApp(writer, QStringLiteral("gina"));
    CoolifyEnvVar v;
    v.key = QStringLiteral("TOKEN");
    v.value = QStringLiteral("abc");
    QVERIFY(await(writer.setEnvVars(uuid, {v})).ok());
    auto hidden = await(writer.envVars(uuid));
    QVERIFY(hidden.ok());
    QCOMPARE(hidden->first().value, QString());
    CoolifyClient sensitive(config(kSensitive));
    auto shown = await(sensitive.envVars(uuid));
    QCOMPARE(shown->first().value, QStringLiteral("abc"));
}

void tst_CoolifyClient::startAndFollowToFinished()
{
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("hank"));
    auto started = await(client.start(uuid));
    QVERIFY(started.ok());
    QVERIFY(!started->deploymentUuid.isEmpty());
    QCOMPARE(started->message, QStringLiteral("Deployment request queued."));
    // force is sent only when true (old servers read force=false as true).
    QVERIFY(!lastRequest(QStringLiteral("POST"),
                         QStringLiteral("/applications/") + uuid + QStringLiteral("/start"))
                 .value(QStringLiteral("query"))
                 .toObject()
                 .contains(QStringLiteral("force")));
    QStringList seen;
    auto done = await(
        client.followDeployment(uuid, started->deploymentUuid, 20000,
                                [&seen](const CoolifyDeployment &d) { seen << d.statusText; }));
    QVERIFY2(done.ok(), qPrintable(done.ok() ? QString() : done.error().toString()));
    QCOMPARE(done->status, CoolifyDeployment::Status::Finished);
    QCOMPARE(seen.last(), QStringLiteral("finished"));
    // Right after a deploy Coolify reads running:unhealthy until its next sync.
    auto app = await(client.application(uuid));
    QCOMPARE(app->status.raw, QStringLiteral("running:unhealthy"));
    m_fake.control(QStringLiteral("sync"));
    app = await(client.application(uuid));
    QCOMPARE(app->status.state, CoolifyStatus::State::Running);
    QCOMPARE(app->status.health, CoolifyStatus::Health::Unknown); // no health check

    auto forced = await(client.start(uuid, true));
    QVERIFY(forced.ok());
    QCOMPARE(lastRequest(QStringLiteral("POST"),
                         QStringLiteral("/applications/") + uuid + QStringLiteral("/start"))
                 .value(QStringLiteral("query"))
                 .toObject()
                 .value(QStringLiteral("force"))
                 .toString(),
             QStringLiteral("true"));
}

void tst_CoolifyClient::deploymentFailed()
{
    m_fake.control(QStringLiteral("deployment"),
                   {{QStringLiteral("outcome"), QStringLiteral("failed")}});
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("ivan"));
    auto started = await(client.start(uuid));
    auto done = await(client.followDeployment(uuid, started->deploymentUuid));
    QVERIFY(done.ok());
    QCOMPARE(done->status, CoolifyDeployment::Status::Failed);
    QCOMPARE(await(client.application(uuid))->status.state, CoolifyStatus::State::Exited);
}

void tst_CoolifyClient::phantomDeploymentQueueFull()
{
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("judy"));
    m_fake.control(QStringLiteral("phantom"), {{QStringLiteral("count"), 1}});
    auto started = await(client.start(uuid));
    QVERIFY(started.ok());
    QVERIFY(!started->deploymentUuid.isEmpty());
    QVERIFY(!await(client.deployment(started->deploymentUuid)).ok());
    auto done = await(client.followDeployment(uuid, started->deploymentUuid));
    QVERIFY(!done.ok());
    QCOMPARE(done.error().kind(), Error::Kind::NotFound);
    QVERIFY(done.error().message().contains(started->deploymentUuid));
}

void tst_CoolifyClient::phantomDeploymentSkipped()
{
    m_fake.control(QStringLiteral("deployment"), {{QStringLiteral("polls"), 4}});
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("kate"));
    auto first = await(client.start(uuid));
    // Same commit already queued: Coolify answers a fresh uuid it never stores.
    auto second = await(client.start(uuid));
    QVERIFY(second.ok());
    QVERIFY(second->deploymentUuid != first->deploymentUuid);
    auto done = await(client.followDeployment(uuid, second->deploymentUuid, 20000));
    QVERIFY2(done.ok(), qPrintable(done.ok() ? QString() : done.error().toString()));
    QCOMPARE(done->deploymentUuid, first->deploymentUuid);
    QCOMPARE(done->status, CoolifyDeployment::Status::Finished);
}

void tst_CoolifyClient::deploymentsNotFoundBug()
{
    m_fake.control(QStringLiteral("version"),
                   {{QStringLiteral("version"), QStringLiteral("4.0.0-beta.465")}});
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("liam"));
    auto started = await(client.start(uuid));
    QVERIFY(started.ok());
    auto done = await(client.followDeployment(uuid, started->deploymentUuid, 20000));
    QVERIFY2(done.ok(), qPrintable(done.ok() ? QString() : done.error().toString()));
    QCOMPARE(done->deploymentUuid, started->deploymentUuid);
    QCOMPARE(done->status, CoolifyDeployment::Status::Finished);
}

void tst_CoolifyClient::deployEndpoint()
{
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("mona"));
    auto queued = await(client.deploy(uuid));
    QVERIFY(queued.ok());
    QVERIFY(!queued->deploymentUuid.isEmpty());
    QVERIFY(queued->message.contains(QStringLiteral("deployment queued")));
    QVERIFY(await(client.followDeployment(uuid, queued->deploymentUuid)).ok());
    auto list = await(client.applicationDeployments(uuid));
    QVERIFY(list.ok());
    QCOMPARE(list->size(), 1);
    QCOMPARE(list->first().deploymentUuid, queued->deploymentUuid);
    auto none = await(client.deploy(QStringLiteral("missing")));
    QCOMPARE(none.error().message(), QStringLiteral("No resources found."));
}

void tst_CoolifyClient::stopAndRestart()
{
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("nick"), true);
    auto started = await(client.start(uuid));
    QVERIFY(await(client.followDeployment(uuid, started->deploymentUuid)).ok());
    m_fake.control(QStringLiteral("sync"));
    QCOMPARE(await(client.application(uuid))->status.health, CoolifyStatus::Health::Healthy);
    QVERIFY(await(client.stop(uuid)).ok());
    QCOMPARE(lastRequest(QStringLiteral("POST"),
                         QStringLiteral("/applications/") + uuid + QStringLiteral("/stop"))
                 .value(QStringLiteral("query"))
                 .toObject()
                 .value(QStringLiteral("docker_cleanup"))
                 .toString(),
             QStringLiteral("true"));
    QCOMPARE(await(client.application(uuid))->status.state, CoolifyStatus::State::Exited);
    auto restarted = await(client.restart(uuid));
    QVERIFY(restarted.ok());
    QCOMPARE(restarted->message, QStringLiteral("Restart request queued."));
    auto done = await(client.followDeployment(uuid, restarted->deploymentUuid));
    QCOMPARE(done->status, CoolifyDeployment::Status::Finished);
}

void tst_CoolifyClient::restartNeverDeployedFails()
{
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("olga"));
    auto restarted = await(client.restart(uuid));
    QVERIFY(restarted.ok());
    auto done = await(client.followDeployment(uuid, restarted->deploymentUuid));
    QVERIFY(done.ok());
    QCOMPARE(done->status, CoolifyDeployment::Status::Failed);
}

void tst_CoolifyClient::cancelDeployment()
{
    m_fake.control(QStringLiteral("deployment"), {{QStringLiteral("polls"), 50}});
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("pete"));
    auto started = await(client.start(uuid));
    QVERIFY(await(client.cancelDeployment(started->deploymentUuid)).ok());
    auto done = await(client.followDeployment(uuid, started->deploymentUuid));
    QCOMPARE(done->status, CoolifyDeployment::Status::CancelledByUser);
    auto again = await(client.cancelDeployment(started->deploymentUuid));
    QVERIFY(!again.ok());
    QCOMPARE(again.error().httpStatus(), 400);
}

void tst_CoolifyClient::deleteExplicitFlagsAndWaitGone()
{
    m_fake.control(QStringLiteral("delete_delay"), {{QStringLiteral("polls"), 3}});
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("quinn"));
    QVERIFY(await(client.deleteApplication(uuid, CoolifyDeleteOptions())).ok());
    // Still there right after the deletion was queued.
    QVERIFY(await(client.application(uuid)).ok());
    QVERIFY(await(client.waitUntilGone(uuid, 20000)).ok());
    auto gone = await(client.application(uuid));
    QCOMPARE(gone.error().kind(), Error::Kind::NotFound);
    const QJsonObject flags = m_fake.inspect(QStringLiteral("state"))
                                  .object()
                                  .value(QStringLiteral("deletes"))
                                  .toObject()
                                  .value(uuid)
                                  .toObject();
    for (const char *flag :
         {"delete_configurations", "delete_volumes", "docker_cleanup", "delete_connected_networks"})
        QCOMPARE(flags.value(QLatin1String(flag)).toString(), QStringLiteral("true"));
}

void tst_CoolifyClient::deleteKeepsVolumes()
{
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("rita"));
    CoolifyDeleteOptions keep;
    keep.deleteVolumes = false;
    QVERIFY(await(client.deleteApplication(uuid, keep)).ok());
    const QJsonObject flags = m_fake.inspect(QStringLiteral("state"))
                                  .object()
                                  .value(QStringLiteral("deletes"))
                                  .toObject()
                                  .value(uuid)
                                  .toObject();
    QCOMPARE(flags.value(QStringLiteral("delete_volumes")).toString(), QStringLiteral("false"));
    QCOMPARE(flags.value(QStringLiteral("delete_configurations")).toString(),
             QStringLiteral("true"));
    // a timeout while the app lingers
    m_fake.control(QStringLiteral("delete_delay"), {{QStringLiteral("polls"), 1000}});
    const QString other = createImageApp(client, QStringLiteral("rita2"));
    QVERIFY(await(client.deleteApplication(other, keep)).ok());
    QCOMPARE(await(client.waitUntilGone(other, 300)).error().kind(), Error::Kind::Timeout);
}

void tst_CoolifyClient::retryOn429()
{
    m_fake.control(QStringLiteral("rate_limit"),
                   {{QStringLiteral("count"), 2}, {QStringLiteral("retry_after"), 1}});
    CoolifyClient client(config(kRead));
    QElapsedTimer timer;
    timer.start();
    auto r = await(client.servers());
    QVERIFY(r.ok());
    QVERIFY2(timer.elapsed() >= 1900, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(client.rateLimitRemaining(), 199);
}

void tst_CoolifyClient::retryOn429Bounded()
{
    m_fake.control(QStringLiteral("rate_limit"),
                   {{QStringLiteral("count"), 5}, {QStringLiteral("retry_after"), 0}});
    CoolifyClient client(config(kRead));
    client.setRetryPolicy(2, 1000);
    auto r = await(client.servers());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind(), Error::Kind::RateLimited);
    QVERIFY(r.error().message().contains(QStringLiteral("Too Many Attempts.")));
    // A Retry-After beyond the cap is not waited for.
    m_fake.control(QStringLiteral("rate_limit"),
                   {{QStringLiteral("count"), 1}, {QStringLiteral("retry_after"), 60}});
    CoolifyClient impatient(config(kRead));
    impatient.setRetryPolicy(3, 2000);
    QElapsedTimer timer;
    timer.start();
    auto quick = await(impatient.servers());
    QCOMPARE(quick.error().kind(), Error::Kind::RateLimited);
    QVERIFY(quick.error().message().contains(QStringLiteral("retry after 60 s")));
    QVERIFY(timer.elapsed() < 2000);
}

void tst_CoolifyClient::timeout()
{
    QTcpServer silent; // accepts and never answers
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    CoolifyConfig c = config(kRead);
    c.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort()));
    c.timeoutMs = 300;
    CoolifyClient client(c);
    auto r = await(client.servers());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind(), Error::Kind::Timeout);
}

void tst_CoolifyClient::transportError()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    CoolifyConfig c = config(kRead);
    c.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    CoolifyClient client(c);
    auto r = await(client.servers());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind(), Error::Kind::Transport);
}

void tst_CoolifyClient::oldVersionAbilitiesAndDefaults()
{
    m_fake.control(QStringLiteral("version"),
                   {{QStringLiteral("version"), QStringLiteral("4.0.0-beta.420")}});
    // Before beta.464 start needs write: a deploy-only token fails, read+write+deploy works.
    CoolifyClient rwd(config(kRwd));
    const QString uuid = createImageApp(rwd, QStringLiteral("sam"));
    CoolifyClient deployOnly(config(QStringLiteral("4|deploy")));
    auto denied = await(deployOnly.start(uuid));
    QVERIFY(!denied.ok());
    QVERIFY(
        denied.error().message().contains(QStringLiteral("Missing required permissions: write")));
    auto started = await(rwd.start(uuid));
    QVERIFY(started.ok());
    QVERIFY(await(rwd.followDeployment(uuid, started->deploymentUuid)).ok());
    m_fake.control(QStringLiteral("sync"));
    // <= beta.440 reports running:unhealthy without a health check.
    auto app = await(rwd.application(uuid));
    QCOMPARE(app->status.raw, QStringLiteral("running:unhealthy"));
    // and requires ports_exposes on dockerimage creates
    CoolifyAppCreate noPorts = imageSpec(QStringLiteral("sam2"));
    noPorts.portsExposes.clear();
    auto r = await(rwd.createApplication(noPorts));
    QVERIFY(!r.ok());
    QVERIFY(r.error().message().contains(QStringLiteral("ports_exposes")));
}

void tst_CoolifyClient::tokenFromSecretStore()
{
    QVERIFY(
        await(util::SecretStore::write(QLatin1String(CoolifyConfig::tokenSecretKey), kRead)).ok());
    CoolifyClient client(config(QString()));
    auto servers = await(client.servers());
    QVERIFY2(servers.ok(), qPrintable(servers.ok() ? QString() : servers.error().toString()));
    // concurrent first calls share one store read
    auto a = client.projects();
    auto b = client.servers();
    QVERIFY(await(a).ok());
    QVERIFY(await(b).ok());
    QVERIFY(await(util::SecretStore::remove(QLatin1String(CoolifyConfig::tokenSecretKey))).ok());
}

void tst_CoolifyClient::missingTokenAnywhere()
{
    QVERIFY(await(util::SecretStore::remove(QLatin1String(CoolifyConfig::tokenSecretKey))).ok());
    CoolifyClient client(config(QString()));
    auto r = await(client.servers());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind(), Error::Kind::Unauthorized);
    QVERIFY(r.error().message().contains(QStringLiteral("COOLIFY_TOKEN")));
    QVERIFY(lastRequest(QStringLiteral("GET"), QStringLiteral("/servers")).isEmpty());
}

void tst_CoolifyClient::logs()
{
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("tina"));
    auto notRunning = await(client.logs(uuid, 3));
    QVERIFY(!notRunning.ok());
    QCOMPARE(notRunning.error().message(), QStringLiteral("Application is not running."));
    auto started = await(client.start(uuid));
    QVERIFY(await(client.followDeployment(uuid, started->deploymentUuid)).ok());
    auto lines = await(client.logs(uuid, 3));
    QVERIFY(lines.ok());
    QCOMPARE(lines->size(), 3);
    QCOMPARE(lines->last(), QStringLiteral("box tina line 5"));
}

Result<CoolifyClient::Reply> tst_CoolifyClient::raw(CoolifyClient &client, const QByteArray &method,
                                                    const QString &path,
                                                    const std::optional<nlohmann::json> &body)
{
    std::optional<Result<CoolifyClient::Reply>> got;
    client.send(method, path, {}, body,
                [&got](Result<CoolifyClient::Reply> r) { got = std::move(r); });
    QDeadlineTimer deadline(10000);
    while (!got && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 20);
    return got ? *got
               : Result<CoolifyClient::Reply>(
                     Error(Error::Kind::Timeout, QStringLiteral("no reply")));
}

void tst_CoolifyClient::postOnlyFromV420()
{
    // The client only POSTs; the fake reproduces why: v4.2.0 answers GET with 405.
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("uma"));
    auto get = raw(client, "GET", QStringLiteral("/applications/%1/start").arg(uuid));
    QVERIFY(!get.ok());
    QCOMPARE(get.error().httpStatus(), 405);
    QCOMPARE(get.error().message(), QStringLiteral("This endpoint has changed to a POST request."));
    m_fake.control(QStringLiteral("version"),
                   {{QStringLiteral("version"), QStringLiteral("4.1.0")}});
    auto oldGet = raw(client, "GET", QStringLiteral("/applications/%1/stop").arg(uuid));
    QVERIFY(oldGet.ok());
    QCOMPARE(oldGet->status, 200);
}

void tst_CoolifyClient::envCreateConflict()
{
    CoolifyClient client(config(kRwd));
    const QString uuid = createImageApp(client, QStringLiteral("vera"));
    const nlohmann::json body = {{"key", "A"}, {"value", "1"}};
    QVERIFY(raw(client, "POST", QStringLiteral("/applications/%1/envs").arg(uuid), body).ok());
    auto again = raw(client, "POST", QStringLiteral("/applications/%1/envs").arg(uuid), body);
    QVERIFY(!again.ok());
    QCOMPARE(again.error().kind(), Error::Kind::Conflict);
    QCOMPARE(
        again.error().message(),
        QStringLiteral("Environment variable already exists. Use PATCH request to update it."));
    // single endpoints reject unknown keys (bulk drops them)
    auto unknown = raw(client, "POST", QStringLiteral("/applications/%1/envs").arg(uuid),
                       nlohmann::json{{"key", "B"}, {"value", "1"}, {"is_build_time", true}});
    QCOMPARE(unknown.error().httpStatus(), 422);
    QVERIFY(unknown.error().message().contains(
        QStringLiteral("is_build_time: This field is not allowed.")));
    QVERIFY(raw(client, "PATCH", QStringLiteral("/applications/%1/envs/bulk").arg(uuid),
                nlohmann::json{{"data", {{{"key", "C"}, {"value", "1"}, {"is_build_time", true}}}}})
                .ok());
    // a non-string value is a 422 with the field named
    auto number = raw(client, "PATCH", QStringLiteral("/applications/%1/envs/bulk").arg(uuid),
                      nlohmann::json{{"data", {{{"key", "D"}, {"value", 1}}}}});
    QVERIFY(number.error().message().contains(
        QStringLiteral("value: The value field must be a string.")));
}

static CoolifyServiceCreate serviceSpec(const QString &name)
{
    CoolifyServiceCreate spec;
    spec.serverUuid = QStringLiteral("srv-main");
    spec.projectUuid = QStringLiteral("proj-boxes");
    spec.environmentName = QStringLiteral("production");
    spec.name = name;
    spec.description = QStringLiteral("box-console box; owner=t");
    spec.compose = QByteArray("\"services\":\n  \"") + name.toUtf8() +
                   "\":\n    \"image\": \"bctest/box:latest\"\n    \"read_only\": true\n"
                   "    \"network_mode\": \"none\"\n    \"volumes\":\n      - \"data:/data\"\n";
    spec.tags = {QStringLiteral("box-console")};
    return spec;
}

void tst_CoolifyClient::serviceCreateSendsComposeBase64()
{
    CoolifyClient client(config(kRwd));
    auto uuid = await(client.createService(serviceSpec(QStringLiteral("svc-a"))));
    QVERIFY_RESULT(uuid);
    const QJsonObject body =
        QJsonDocument::fromJson(lastRequest(QStringLiteral("POST"), QStringLiteral("/services"))
                                    .value(QStringLiteral("body"))
                                    .toString()
                                    .toUtf8())
            .object();
    QCOMPARE(QByteArray::fromBase64(
                 body.value(QStringLiteral("docker_compose_raw")).toString().toLatin1()),
             serviceSpec(QStringLiteral("svc-a")).compose);
    QCOMPARE(body.value(QStringLiteral("instant_deploy")).toBool(true), false);
    QCOMPARE(body.value(QStringLiteral("environment_name")).toString(),
             QStringLiteral("production"));
    // Coolify parsed the compose: the service keeps its keys, the volume is renamed.
    const QJsonObject svc = m_fake.inspect(QStringLiteral("state"))
                                .object()
                                .value(QStringLiteral("services"))
                                .toObject()
                                .value(uuid.value())
                                .toObject();
    const QJsonObject deployed = svc.value(QStringLiteral("_docker_compose"))
                                     .toObject()
                                     .value(QStringLiteral("services"))
                                     .toObject()
                                     .value(QStringLiteral("svc-a"))
                                     .toObject();
    QCOMPARE(deployed.value(QStringLiteral("read_only")).toBool(), true);
    QCOMPARE(deployed.value(QStringLiteral("volumes")).toArray().first().toString(),
             uuid.value() + QStringLiteral("_data:/data"));
    auto listed = await(client.services());
    QVERIFY_RESULT(listed);
    QCOMPARE(listed->size(), 1);
    QCOMPARE(listed->first().name, QStringLiteral("svc-a"));
    QCOMPARE(listed->first().status.raw, QStringLiteral("exited:unhealthy"));
    auto one = await(client.service(uuid.value()));
    QVERIFY_RESULT(one);
    QCOMPARE(one->applicationNames, QStringList{QStringLiteral("svc-a")});
    QCOMPARE(one->description, QStringLiteral("box-console box; owner=t"));
}

void tst_CoolifyClient::serviceCreateErrors()
{
    CoolifyClient client(config(kRwd));
    // Checked before sending.
    CoolifyServiceCreate noEnv = serviceSpec(QStringLiteral("x"));
    noEnv.environmentName.clear();
    QCOMPARE(await(client.createService(noEnv)).error().kind(), Error::Kind::Invalid);
    QCOMPARE(m_fake.requestCount(), 0);
    // Coolify's own answers.
    auto raw422 = [&](const nlohmann::json &body) {
        return this->raw(client, "POST", QStringLiteral("/services"), body);
    };
    const auto extra = raw422({{"project_uuid", "proj-boxes"},
                               {"server_uuid", "srv-main"},
                               {"environment_name", "production"},
                               {"docker_compose_raw", "c2VydmljZXM6IHt9"},
                               {"connect_to_docker_network", true}});
    QCOMPARE(extra.error().httpStatus(), 422);
    QVERIFY2(extra.error().message().contains(
                 QStringLiteral("connect_to_docker_network: This field is not allowed.")),
             qPrintable(extra.error().message()));
    const auto notBase64 = raw422({{"project_uuid", "proj-boxes"},
                                   {"server_uuid", "srv-main"},
                                   {"environment_name", "production"},
                                   {"docker_compose_raw", "not base64!"}});
    QVERIFY(notBase64.error().message().contains(
        QStringLiteral("docker_compose_raw: The docker_compose_raw should be base64 encoded.")));
    CoolifyServiceCreate noServices = serviceSpec(QStringLiteral("x"));
    noServices.compose = "\"volumes\": {}\n";
    auto missing = await(client.createService(noServices));
    QCOMPARE(missing.error().httpStatus(), 422);
    QVERIFY(
        missing.error().message().contains(QStringLiteral("must contain a \"services\" section")));
    CoolifyServiceCreate injection = serviceSpec(QStringLiteral("x"));
    injection.compose = "\"services\":\n  \"x\":\n    \"image\": \"a\"\n    \"volumes\":\n      - "
                        "\"/a;rm -rf /:/b\"\n";
    QVERIFY(await(client.createService(injection))
                .error()
                .message()
                .contains(QStringLiteral("forbidden character")));
    CoolifyServiceCreate build = serviceSpec(QStringLiteral("x"));
    build.serverUuid = QStringLiteral("srv-build");
    QVERIFY(await(client.createService(build))
                .error()
                .message()
                .contains(QStringLiteral("build server")));
    QCOMPARE(await(CoolifyClient(config(kRead)).createService(serviceSpec(QStringLiteral("x"))))
                 .error()
                 .kind(),
             Error::Kind::Unauthorized);
    QVERIFY(m_fake.inspect(QStringLiteral("state"))
                .object()
                .value(QStringLiteral("services"))
                .toObject()
                .isEmpty());
}

void tst_CoolifyClient::serviceEnvVarsShownOnce()
{
    CoolifyClient client(config(kRoot));
    auto uuid = await(client.createService(serviceSpec(QStringLiteral("svc-e"))));
    QVERIFY_RESULT(uuid);
    CoolifyEnvVar secret;
    secret.key = QStringLiteral("GH_TOKEN");
    secret.value = QStringLiteral("ghp-1");
    secret.isShownOnce = true;
    secret.isLiteral = true;
    QVERIFY_RESULT(await(client.setServiceEnvVars(uuid.value(), {secret})));
    const QJsonObject sent =
        QJsonDocument::fromJson(lastRequest(QStringLiteral("PATCH"), QStringLiteral("/services/"))
                                    .value(QStringLiteral("body"))
                                    .toString()
                                    .toUtf8())
            .object();
    const QJsonObject item = sent.value(QStringLiteral("data")).toArray().first().toObject();
    // Only the fields the services' bulk endpoint validates.
    QStringList keys = item.keys();
    keys.sort();
    QCOMPARE(keys, (QStringList{QStringLiteral("is_literal"), QStringLiteral("is_multiline"),
                                QStringLiteral("is_shown_once"), QStringLiteral("key"),
                                QStringLiteral("value")}));
    // Even a root token never reads a shown-once value back.
    auto read = raw(client, "GET", QStringLiteral("/services/%1/envs").arg(uuid.value()));
    QVERIFY_RESULT(read);
    const QJsonArray envs = QJsonDocument::fromJson(read->body).array();
    QCOMPARE(envs.size(), 1);
    QVERIFY(envs.first().toObject().value(QStringLiteral("value")).isNull());
    QVERIFY(!read->body.contains("ghp-1"));
    CoolifyEnvVar bad;
    bad.key = QStringLiteral("1BAD");
    QCOMPARE(await(client.setServiceEnvVars(uuid.value(), {bad})).error().kind(),
             Error::Kind::Invalid);
}

void tst_CoolifyClient::serviceLifecycle()
{
    CoolifyClient client(config(kRwd));
    auto uuid = await(client.createService(serviceSpec(QStringLiteral("svc-l"))));
    QVERIFY_RESULT(uuid);
    QVERIFY_RESULT(await(client.startService(uuid.value())));
    QStringList seen;
    auto healthy = await(client.followService(
        uuid.value(), 10000, [&seen](const CoolifyService &s) { seen << s.status.raw; }));
    QVERIFY_RESULT(healthy);
    QCOMPARE(healthy->status.raw, QStringLiteral("running:healthy"));
    QCOMPARE(seen.first(), QStringLiteral("starting:unhealthy"));
    auto again = await(client.startService(uuid.value()));
    QCOMPARE(again.error().httpStatus(), 400);
    QCOMPARE(again.error().message(), QStringLiteral("Service is already running."));
    QVERIFY_RESULT(await(client.stopService(uuid.value())));
    QCOMPARE(lastRequest(QStringLiteral("POST"), QStringLiteral("/services/"))
                 .value(QStringLiteral("query"))
                 .toObject()
                 .value(QStringLiteral("docker_cleanup"))
                 .toString(),
             QStringLiteral("true"));
    QCOMPARE(await(client.stopService(uuid.value())).error().message(),
             QStringLiteral("Service is already stopped."));
    QVERIFY_RESULT(await(client.restartService(uuid.value())));
    QVERIFY_RESULT(await(client.followService(uuid.value(), 10000)));
    // start, stop, restart need the deploy ability.
    QCOMPARE(await(CoolifyClient(config(kWrite)).stopService(uuid.value())).error().kind(),
             Error::Kind::Unauthorized);
    QCOMPARE(await(client.startService(QStringLiteral("nope"))).error().message(),
             QStringLiteral("Service not found."));
}

void tst_CoolifyClient::serviceFollowFailure()
{
    m_fake.control(QStringLiteral("deployment"),
                   {{QStringLiteral("outcome"), QStringLiteral("failed")}});
    CoolifyClient client(config(kRwd));
    auto uuid = await(client.createService(serviceSpec(QStringLiteral("svc-f"))));
    QVERIFY_RESULT(uuid);
    // Before the start, "exited" is the old state, not a failure: it times out instead.
    auto notStarted = await(client.followService(uuid.value(), 300));
    QCOMPARE(notStarted.error().kind(), Error::Kind::Timeout);
    QVERIFY_RESULT(await(client.startService(uuid.value())));
    auto failed = await(client.followService(uuid.value(), 10000));
    QVERIFY(!failed.ok());
    QCOMPARE(failed.error().kind(), Error::Kind::Server);
    QVERIFY(failed.error().message().contains(QStringLiteral("degraded:unhealthy")));
}

void tst_CoolifyClient::serviceLogs()
{
    CoolifyClient client(config(kRwd));
    auto uuid = await(client.createService(serviceSpec(QStringLiteral("svc-g"))));
    QVERIFY_RESULT(uuid);
    auto stopped = await(client.serviceLogs(uuid.value(), QStringLiteral("svc-g"), 10));
    QCOMPARE(stopped.error().httpStatus(), 400);
    QCOMPARE(stopped.error().message(), QStringLiteral("Container is not running."));
    QVERIFY_RESULT(await(client.startService(uuid.value())));
    QVERIFY_RESULT(await(client.followService(uuid.value(), 10000)));
    auto lines = await(client.serviceLogs(uuid.value(), QStringLiteral("svc-g"), 2));
    QVERIFY_RESULT(lines);
    QCOMPARE(*lines,
             (QStringList{QStringLiteral("box svc-g line 4"), QStringLiteral("box svc-g line 5")}));
    auto wrong = await(client.serviceLogs(uuid.value(), QStringLiteral("other"), 2));
    QCOMPARE(wrong.error().httpStatus(), 404);
    QCOMPARE(wrong.error().message(), QStringLiteral("Container not found."));
}

void tst_CoolifyClient::serviceDeleteAndWaitGone()
{
    m_fake.control(QStringLiteral("delete_delay"), {{QStringLiteral("polls"), 2}});
    CoolifyClient client(config(kRwd));
    auto uuid = await(client.createService(serviceSpec(QStringLiteral("svc-d"))));
    QVERIFY_RESULT(uuid);
    CoolifyDeleteOptions keep;
    keep.deleteVolumes = false;
    QVERIFY_RESULT(await(client.deleteService(uuid.value(), keep)));
    const QJsonObject flags = m_fake.inspect(QStringLiteral("state"))
                                  .object()
                                  .value(QStringLiteral("service_deletes"))
                                  .toObject()
                                  .value(uuid.value())
                                  .toObject();
    QCOMPARE(flags.value(QStringLiteral("delete_volumes")).toString(), QStringLiteral("false"));
    QCOMPARE(flags.value(QStringLiteral("docker_cleanup")).toString(), QStringLiteral("true"));
    // Still visible for a while: the deletion is a queued job.
    QVERIFY_RESULT(await(client.service(uuid.value())));
    QVERIFY_RESULT(await(client.waitUntilServiceGone(uuid.value(), 10000)));
    QCOMPARE(await(client.service(uuid.value())).error().kind(), Error::Kind::NotFound);
}

QTEST_GUILESS_MAIN(tst_CoolifyClient)
#include "tst_coolifyclient.moc"
