// ctest: labels=coolify;contract timeout=300
// Runs the Coolify client through `prism proxy <Coolify's openapi.yaml> <fake Coolify>` and
// reads Prism's sl-violations header on every response. The spec is vendored in
// third_party/coolify (Coolify 4.3.11); Prism comes from tests/support/coolify (npm,
// installed by scripts/setup.sh test). Without either the test fails: it never skips.
//
// - Every step in steps() must send at least one request of its operation, and Prism must
//   resolve every request to an operation of the spec and validate at least
//   MinimumValidatedRequests of them.
// - No request may violate the spec.
// - A response violation passes only when Excuses names its operation and field, with
//   the reason why Coolify's answer differs from its own spec.
// - A deliberately invalid request must come back with request violations, so a Prism
//   that stopped validating cannot pass.
#include "core/coolify/coolifyclient.h"

#include "support/coolify/fakecoolify.h"
#include "support/paths.h"
#include "support/testutil.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <functional>

using namespace bc;
using namespace bc::coolify;
using bc::test::await;
using namespace Qt::StringLiterals;

namespace {

// One run of steps() sends 50 requests against the fake (40 rows; those that poll a
// deployment, a service's status or a delete send more, and timing may change a few of
// those); fewer than this means steps stopped early or requests bypassed Prism.
constexpr int MinimumValidatedRequests = 46;

// Why a response of Coolify (and of the fake, which copies it) does not match Coolify's own
// spec. One row per operation and field; "body[]" stands for any array index. A violation
// without a row fails the test. A request violation is a client bug, except where the spec
// describes a request no Coolify could ever be sent (its field starts with "request.").
struct Excuse
{
    const char *operation; // "GET /servers": method and the spec's path template
    const char *field;     // "body[].description", "status", or "request.path.uuid"
    const char *reason;
};

// The spec is OpenAPI 3.1 but marks optional values with 3.0's `nullable: true`, which 3.1
// validators ignore, so every null Coolify sends for such a field is "must be <type>".
constexpr const char *Nullable =
    "spec marks the field 'nullable: true' (OpenAPI 3.0) in a 3.1 document, so the null "
    "Coolify sends is rejected";
// Applications created with POST /applications/dockerimage have build_pack "dockerimage".
constexpr const char *BuildPack = "the spec's build_pack enum lacks 'dockerimage'";
// Nullable columns of the services table (SoftDeletes' deleted_at; service_type is set only
// for one-click services, config_hash only once deployed) that the spec types as plain string.
constexpr const char *ServiceNull =
    "spec types the nullable column as a string without 'nullable', so the null Coolify sends "
    "is rejected";

const Excuse Excuses[] = {
    {"GET /servers", "body[].description", Nullable},
    {"GET /servers", "body[].settings.wildcard_domain", Nullable},
    {"GET /projects", "body[].description", Nullable},
    {"GET /projects/{uuid}/{environment_name_or_uuid}", "body.description", Nullable},
    // Applications made from an image or a Dockerfile have no git source.
    {"GET /applications", "body[].git_repository", Nullable},
    {"GET /applications", "body[].git_branch", Nullable},
    {"GET /applications/{uuid}", "body.git_repository", Nullable},
    {"GET /applications/{uuid}", "body.git_branch", Nullable},
    {"GET /applications", "body[].build_pack", BuildPack},
    {"GET /applications/{uuid}", "body.build_pack", BuildPack},
    {"GET /deployments/applications/{uuid}", "body",
     "spec types the answer as an array of Application; the server answers "
     "{\"count\": n, \"deployments\": [...]}"},
    {"GET /services", "body[].config_hash", ServiceNull},
    {"GET /services", "body[].service_type", ServiceNull},
    {"GET /services", "body[].deleted_at", ServiceNull},
    {"GET /services/{uuid}", "body.config_hash", ServiceNull},
    {"GET /services/{uuid}", "body.service_type", ServiceNull},
    {"GET /services/{uuid}", "body.deleted_at", ServiceNull},
    {"GET /services/{uuid}/logs", "request.path.uuid",
     "spec declares the path uuid 'format: uuid', but Coolify's ids are 24 random lower-case "
     "letters and digits (new_public_id()), never RFC 4122 uuids"},
};

// One thing the client does, and the operation it must have sent at least once doing it.
struct Step
{
    QString operation;            // "METHOD /template"
    std::function<QString()> run; // empty string = success, else what went wrong
};

template <typename T> QString outcome(const Result<T> &r)
{
    return r.ok() ? QString() : r.error().toString();
}

QString outcome(const VoidResult &r)
{
    return r.ok() ? QString() : r.error().toString();
}

struct Violation
{
    QString operation; // "METHOD /template", or "METHOD <path>" when no template matched
    int status = 0;
    QString side; // request | response
    QString field;
    QString message;
};

// ["response","body","0","settings","x"] -> "body[].settings.x"; ["response"] -> "status".
QString fieldOf(const QJsonArray &location)
{
    QStringList parts;
    for (qsizetype i = 1; i < location.size(); ++i) {
        const QString part = location.at(i).toVariant().toString();
        bool numeric = false;
        part.toInt(&numeric);
        if (numeric && !parts.isEmpty())
            parts.last() += QStringLiteral("[]");
        else
            parts << part;
    }
    return parts.isEmpty() ? QStringLiteral("status") : parts.join(QLatin1Char('.'));
}

} // namespace

class tst_CoolifyContract : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void invalidRequestIsFlagged();
    void everyOperationThroughPrism();

private:
    QString findPrism() const;
    QString specPath() const;
    void loadTemplates(const QString &spec);
    QString operationOf(const QString &method, const QString &path) const;
    void record(const QString &method, const QString &path, int status,
                const QMap<QByteArray, QByteArray> &headers, const QByteArray &body);
    QList<Step> steps(CoolifyClient &client);

    bc::test::FakeCoolify m_fake;
    QProcess m_prism;
    quint16 m_prismPort = 0;
    // The spec's path templates, with the regular expression each concrete path must match.
    QList<QPair<QString, QRegularExpression>> m_templates;
    QList<Violation> m_violations;
    QStringList m_sent;  // operation of every response seen, in order
    int m_validated = 0; // responses Prism passed on after resolving their operation
};

QString tst_CoolifyContract::findPrism() const
{
    const QString fromEnv = qEnvironmentVariable("PRISM");
    if (!fromEnv.isEmpty())
        return fromEnv;
    const QString local =
        bc::test::sourceDir() + QStringLiteral("/tests/support/coolify/node_modules/.bin/prism");
    return QFileInfo(local).isExecutable() ? local : QString();
}

QString tst_CoolifyContract::specPath() const
{
    // COOLIFY_OPENAPI: try another Coolify version's spec by hand.
    const QString fromEnv = qEnvironmentVariable("COOLIFY_OPENAPI");
    return !fromEnv.isEmpty()
               ? fromEnv
               : bc::test::sourceDir() + QStringLiteral("/third_party/coolify/openapi.yaml");
}

// The spec's paths are the keys under `paths:`, two spaces in, quoted when they hold
// braces. A template's literal segments must match exactly, "{x}" any one segment.
void tst_CoolifyContract::loadTemplates(const QString &spec)
{
    QFile file(spec);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(spec));
    static const QRegularExpression key(QStringLiteral("^  '?(/[^':]*)'?:\\s*$"));
    bool inPaths = false;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).chopped(1);
        if (!line.startsWith(QLatin1Char(' ')) && !line.isEmpty())
            inPaths = line == QLatin1String("paths:");
        if (!inPaths)
            continue;
        const auto m = key.match(line);
        if (!m.hasMatch())
            continue;
        QString pattern = QRegularExpression::escape(m.captured(1));
        pattern.replace(QRegularExpression(QStringLiteral("\\\\\\{[^/]*?\\\\\\}")),
                        QStringLiteral("[^/]+"));
        m_templates.append({m.captured(1), QRegularExpression(u'^' + pattern + u'$')});
    }
    QVERIFY2(m_templates.size() > 150, "the spec's paths were not found");
}

QString tst_CoolifyContract::operationOf(const QString &method, const QString &path) const
{
    const QString bare = path.section(QLatin1Char('?'), 0, 0);
    // The most literal template wins: /applications/dockerimage over /applications/{uuid}.
    QString best;
    qsizetype bestParams = -1;
    for (const auto &[tmpl, re] : m_templates) {
        if (!re.match(bare).hasMatch())
            continue;
        const qsizetype params = tmpl.count(QLatin1Char('{'));
        if (bestParams < 0 || params < bestParams) {
            best = tmpl;
            bestParams = params;
        }
    }
    return method + u' ' + (best.isEmpty() ? bare : best);
}

void tst_CoolifyContract::initTestCase()
{
    const QString prism = findPrism();
    QVERIFY2(!prism.isEmpty(), "Prism is not installed in tests/support/coolify/node_modules "
                               "(scripts/setup.sh test installs it with npm)");
    const QString spec = specPath();
    QVERIFY2(QFileInfo::exists(spec), qPrintable(spec + QStringLiteral(" is missing")));
    loadTemplates(spec);
    QVERIFY2(m_fake.start(), "the fake Coolify did not start (python3 and "
                             "tests/support/coolify/fake_coolify.py)");
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    m_prismPort = probe.serverPort();
    probe.close();
    m_prism.setProcessChannelMode(QProcess::MergedChannels);
    m_prism.start(
        prism, {QStringLiteral("proxy"), spec, m_fake.url().toString() + QStringLiteral("/api/v1"),
                QStringLiteral("--errors=false"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
                QStringLiteral("-p"), QString::number(m_prismPort)});
    QVERIFY2(m_prism.waitForStarted(10000), "prism did not start");
    QDeadlineTimer deadline(120000);
    bool up = false;
    while (!up && !deadline.hasExpired() && m_prism.state() == QProcess::Running) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_prismPort);
        up = socket.waitForConnected(200);
        if (!up)
            QTest::qWait(300);
    }
    QVERIFY2(up, qPrintable(QStringLiteral("prism did not come up: ") +
                            QString::fromLocal8Bit(m_prism.readAll().right(800))));
}

void tst_CoolifyContract::cleanupTestCase()
{
    if (m_prism.state() != QProcess::NotRunning) {
        m_prism.terminate();
        if (!m_prism.waitForFinished(5000)) {
            m_prism.kill();
            m_prism.waitForFinished(2000);
        }
    }
    m_fake.stop();
}

void tst_CoolifyContract::record(const QString &method, const QString &path, int status,
                                 const QMap<QByteArray, QByteArray> &headers,
                                 const QByteArray &body)
{
    Q_UNUSED(body);
    const QString operation = operationOf(method, path);
    m_sent << operation;
    // Prism adds CORS headers to everything it proxies: without them it was bypassed.
    const bool throughPrism = headers.contains("access-control-expose-headers");
    bool routeFound = throughPrism;
    const QByteArray raw = headers.value("sl-violations");
    for (const QJsonValue &v : QJsonDocument::fromJson(raw).array()) {
        const QJsonObject o = v.toObject();
        const QJsonArray location = o.value(QStringLiteral("location")).toArray();
        Violation violation;
        violation.operation = operation;
        violation.status = status;
        violation.side = location.at(0).toString();
        violation.field = fieldOf(location);
        violation.message = o.value(QStringLiteral("message")).toString();
        if (violation.message.contains(QLatin1String("route not found")))
            routeFound = false;
        m_violations << violation;
    }
    if (routeFound)
        ++m_validated;
}

// Adding an operation to the contract is one row here (the client call, and the spec
// operation it must send); the uuids of what earlier rows created are kept in `ids`.
QList<Step> tst_CoolifyContract::steps(CoolifyClient &client)
{
    auto ids = std::make_shared<QMap<QString, QString>>();
    CoolifyAppCreate app;
    app.serverUuid = QStringLiteral("srv-main");
    app.projectUuid = QStringLiteral("proj-boxes");
    app.environmentName = QStringLiteral("production");
    app.environmentUuid = QStringLiteral("env-prod");
    app.name = QStringLiteral("contract");
    app.description = QStringLiteral("box-console box; owner=c");
    app.image = QStringLiteral("registry.example.com/box");
    app.imageTag = QStringLiteral("1");
    app.portsExposes = QStringLiteral("8080,9999");
    app.domains = {QStringLiteral("https://contract.boxes.test:8080")};
    app.tags = {QStringLiteral("box-console")};
    app.healthCheckEnabled = true;
    app.healthCheckPath = QStringLiteral("/health");
    app.healthCheckPort = QStringLiteral("9999");
    app.limitsMemory = QStringLiteral("2048m");
    app.limitsMemorySwap = QStringLiteral("2048m");
    app.limitsCpus = QStringLiteral("1.5");
    app.customDockerRunOptions = QStringLiteral("--init");
    CoolifyAppCreate dockerfileApp = app;
    dockerfileApp.name = QStringLiteral("contract-df");
    dockerfileApp.image.clear();
    dockerfileApp.imageTag.clear();
    dockerfileApp.domains = {QStringLiteral("https://contract-df.boxes.test:8080")};
    dockerfileApp.dockerfile = QStringLiteral("FROM scratch\n");
    CoolifyEnvVar var;
    var.key = QStringLiteral("BOX_SUBDOMAIN");
    var.value = QStringLiteral("contract");
    var.comment = QStringLiteral("set by box-console");
    CoolifyDeleteOptions keepVolumes;
    keepVolumes.deleteVolumes = false;
    CoolifyServiceCreate box;
    static_cast<CoolifyPlacement &>(box) = app; // same server, project and environment
    box.name = QStringLiteral("contract-svc");
    box.compose = QByteArrayLiteral("services:\n"
                                    "  box:\n"
                                    "    image: registry.example.com/box:1\n"
                                    "    read_only: true\n");
    box.tags = app.tags;

    // Keeps what a call returned under `key` for later rows.
    const auto keep = [ids](const QString &key, const Result<QString> &r) {
        if (r.ok())
            ids->insert(key, r.value());
        return outcome(r);
    };
    const auto keepDeployment = [ids](const QString &key, const Result<CoolifyDeployRequest> &r) {
        if (r.ok())
            ids->insert(key, r->deploymentUuid);
        return outcome(r);
    };
    const auto id = [ids](const QString &key) { return ids->value(key); };
    CoolifyClient *c = &client;

    return {
        {u"GET /health"_s, [=] { return outcome(await(c->health())); }},
        {u"GET /version"_s, [=] { return outcome(await(c->version())); }},
        {u"GET /servers"_s, [=] { return outcome(await(c->servers())); }},
        {u"GET /projects"_s, [=] { return outcome(await(c->projects())); }},
        {u"GET /projects/{uuid}"_s, [=] { return outcome(await(c->project(u"proj-boxes"_s))); }},
        {u"GET /projects/{uuid}/environments"_s,
         [=] { return outcome(await(c->environments(u"proj-boxes"_s))); }},
        {u"GET /projects/{uuid}/{environment_name_or_uuid}"_s,
         [=] { return outcome(await(c->environment(u"proj-boxes"_s, u"production"_s))); }},
        {u"POST /applications/dockerimage"_s,
         [=] { return keep(u"app"_s, await(c->createApplication(app))); }},
        {u"POST /applications/dockerfile"_s,
         [=] { return keep(u"df"_s, await(c->createApplication(dockerfileApp))); }},
        {u"GET /applications"_s, [=] { return outcome(await(c->applications(u"box-console"_s))); }},
        {u"GET /applications/{uuid}"_s,
         [=] { return outcome(await(c->application(id(u"app"_s)))); }},
        {u"PATCH /applications/{uuid}"_s,
         [=] {
             return outcome(
                 await(c->updateApplication(id(u"app"_s), {{"description", "owner=d"}})));
         }},
        {u"PATCH /applications/{uuid}/envs/bulk"_s,
         [=] { return outcome(await(c->setEnvVars(id(u"app"_s), {var}))); }},
        {u"GET /applications/{uuid}/envs"_s,
         [=] { return outcome(await(c->envVars(id(u"app"_s)))); }},
        {u"POST /applications/{uuid}/start"_s,
         [=] { return keepDeployment(u"start"_s, await(c->start(id(u"app"_s)))); }},
        {u"GET /deployments/{uuid}"_s,
         [=] { return outcome(await(c->deployment(id(u"start"_s)))); }},
        {u"GET /deployments/{uuid}"_s,
         [=] { return outcome(await(c->followDeployment(id(u"app"_s), id(u"start"_s)))); }},
        {u"GET /deployments/applications/{uuid}"_s,
         [=] { return outcome(await(c->applicationDeployments(id(u"app"_s)))); }},
        {u"GET /applications/{uuid}/logs"_s,
         [=] { return outcome(await(c->logs(id(u"app"_s), 10))); }},
        {u"POST /deploy"_s,
         [=] { return keepDeployment(u"deploy"_s, await(c->deploy(id(u"app"_s)))); }},
        {u"POST /deployments/{uuid}/cancel"_s,
         [=] { return outcome(await(c->cancelDeployment(id(u"deploy"_s)))); }},
        {u"POST /applications/{uuid}/stop"_s,
         [=] { return outcome(await(c->stop(id(u"app"_s)))); }},
        {u"POST /applications/{uuid}/restart"_s,
         [=] { return keepDeployment(u"restart"_s, await(c->restart(id(u"app"_s)))); }},
        {u"GET /deployments/{uuid}"_s,
         [=] { return outcome(await(c->followDeployment(id(u"app"_s), id(u"restart"_s)))); }},
        {u"DELETE /applications/{uuid}"_s,
         [=] { return outcome(await(c->deleteApplication(id(u"app"_s), keepVolumes))); }},
        {u"GET /applications/{uuid}"_s,
         [=] { return outcome(await(c->waitUntilGone(id(u"app"_s), 20000))); }},
        {u"DELETE /applications/{uuid}"_s,
         [=] { return outcome(await(c->deleteApplication(id(u"df"_s), CoolifyDeleteOptions()))); }},
        {u"GET /applications/{uuid}"_s,
         [=] { return outcome(await(c->waitUntilGone(id(u"df"_s), 20000))); }},
        // Boxes on Coolify are compose services.
        {u"POST /services"_s, [=] { return keep(u"svc"_s, await(c->createService(box))); }},
        {u"GET /services"_s, [=] { return outcome(await(c->services())); }},
        {u"GET /services/{uuid}"_s, [=] { return outcome(await(c->service(id(u"svc"_s)))); }},
        {u"PATCH /services/{uuid}/envs/bulk"_s,
         [=] { return outcome(await(c->setServiceEnvVars(id(u"svc"_s), {var}))); }},
        {u"POST /services/{uuid}/start"_s,
         [=] { return outcome(await(c->startService(id(u"svc"_s)))); }},
        {u"GET /services/{uuid}"_s,
         [=] { return outcome(await(c->followService(id(u"svc"_s), 20000))); }},
        {u"GET /services/{uuid}/logs"_s,
         [=] { return outcome(await(c->serviceLogs(id(u"svc"_s), u"box"_s, 10))); }},
        {u"POST /services/{uuid}/restart"_s,
         [=] { return outcome(await(c->restartService(id(u"svc"_s)))); }},
        {u"GET /services/{uuid}"_s,
         [=] { return outcome(await(c->followService(id(u"svc"_s), 20000))); }},
        {u"POST /services/{uuid}/stop"_s,
         [=] { return outcome(await(c->stopService(id(u"svc"_s)))); }},
        {u"DELETE /services/{uuid}"_s,
         [=] { return outcome(await(c->deleteService(id(u"svc"_s), keepVolumes))); }},
        {u"GET /services/{uuid}"_s,
         [=] { return outcome(await(c->waitUntilServiceGone(id(u"svc"_s), 20000))); }},
    };
}

void tst_CoolifyContract::invalidRequestIsFlagged()
{
    // A create without any of its required fields: Prism must say so in sl-violations.
    QNetworkAccessManager nam;
    QNetworkRequest request(
        QUrl(QStringLiteral("http://127.0.0.1:%1/applications/dockerimage").arg(m_prismPort)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer 6|sensitive");
    QNetworkReply *reply = nam.post(request, QByteArrayLiteral("{}"));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 20000);
    const QJsonArray violations =
        QJsonDocument::fromJson(reply->rawHeader("sl-violations")).array();
    reply->deleteLater();
    QStringList required;
    for (const QJsonValue &v : violations) {
        const QJsonObject o = v.toObject();
        if (o.value(QStringLiteral("location")).toArray().at(0).toString() ==
                QLatin1String("request") &&
            o.value(QStringLiteral("code")).toString() == QLatin1String("required"))
            required << o.value(QStringLiteral("message")).toString();
    }
    QVERIFY2(required.join(u'\n').contains(QLatin1String("'server_uuid'")),
             qPrintable(QStringLiteral("Prism did not flag the invalid request: ") +
                        QString::fromUtf8(reply->rawHeader("sl-violations"))));
}

void tst_CoolifyContract::everyOperationThroughPrism()
{
    CoolifyConfig config;
    config.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_prismPort));
    config.apiPath = QString(); // Prism mounts the spec's paths at the root
    config.token = QStringLiteral("6|sensitive");
    config.timeoutMs = 20000;
    config.pollIntervalMs = 50;
    CoolifyClient client(config);
    connect(&client, &CoolifyClient::responseReceived, this, &tst_CoolifyContract::record);

    QStringList problems;
    for (const Step &step : steps(client)) {
        const qsizetype before = m_sent.size();
        const QString error = step.run();
        if (!error.isEmpty())
            problems << step.operation + QStringLiteral(": the call failed: ") + error;
        else if (!m_sent.mid(before).contains(step.operation))
            problems << step.operation + QStringLiteral(": not sent (sent: ") +
                            m_sent.mid(before).join(QStringLiteral(", ")) + u')';
    }

    QMap<QString, int> excused;
    for (const Violation &v : std::as_const(m_violations)) {
        const QString line = QStringLiteral("%1 -> %2: %3 %4 (%5)")
                                 .arg(v.operation)
                                 .arg(v.status)
                                 .arg(v.side, v.field, v.message);
        const bool response = v.side == QLatin1String("response");
        const QString field = response ? v.field : QStringLiteral("request.") + v.field;
        const Excuse *match = nullptr;
        for (const Excuse &e : Excuses) {
            if (v.operation == QLatin1String(e.operation) && field == QLatin1String(e.field))
                match = &e;
        }
        if (!match && !response)
            problems << QStringLiteral("request violation: ") + line;
        else if (match)
            excused[QStringLiteral("%1 %2").arg(QLatin1String(match->operation),
                                                QLatin1String(match->field))] += 1;
        else
            problems << QStringLiteral("response violation without an excuse: ") + line;
    }

    qInfo("contract: %lld responses, %d validated by Prism against a spec operation, "
          "%lld violations",
          qlonglong(m_sent.size()), m_validated, qlonglong(m_violations.size()));
    for (const Excuse &e : Excuses) {
        const QString key =
            QStringLiteral("%1 %2").arg(QLatin1String(e.operation), QLatin1String(e.field));
        qInfo("  excused %3d x %s: %s", excused.value(key), qPrintable(key), e.reason);
        // A row nothing needs any more hides the next real mismatch of that field.
        if (!excused.contains(key))
            problems << QStringLiteral("excuse not needed any more, remove it: ") + key;
    }
    for (const QString &p : std::as_const(problems))
        qWarning("  %s", qPrintable(p));
    QVERIFY2(problems.isEmpty(), "contract problems (see warnings)");
    QVERIFY2(m_validated >= MinimumValidatedRequests,
             qPrintable(QStringLiteral("Prism validated %1 requests, expected at least %2")
                            .arg(m_validated)
                            .arg(MinimumValidatedRequests)));
    QCOMPARE(m_validated, m_sent.size());
}

QTEST_GUILESS_MAIN(tst_CoolifyContract)
#include "tst_coolifycontract.moc"
