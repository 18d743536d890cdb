// ctest: labels=coolify;contract timeout=300
// Runs every client operation through `prism proxy <Coolify's openapi.yaml> <fake>` and
// reads Prism's sl-violations header: requests must not violate the spec at all; each
// response violation must be one of the spec's known defects (notes/coolify-api.md §5).
// Skips when Prism (npm @stoplight/prism-cli; tests/support/coolify/package.json) or the
// spec (BOX_SOURCE_DIR/../shared/coolify/openapi.yaml, or COOLIFY_OPENAPI) is missing.
#include "core/coolify/coolifyclient.h"

#include "support/coolify/fakecoolify.h"
#include "support/testutil.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace bc;
using namespace bc::coolify;
using bc::test::await;

namespace {

struct Violation
{
    QString method;
    QString path;
    int status = 0;
    QString side; // request | response
    QString location;
    QString message;
    QString explanation; // empty = unexplained
};

// Looks up a JSON pointer-ish location (["response","body","0","settings","x"]) in a body.
QJsonValue valueAt(const QByteArray &body, const QJsonArray &location)
{
    QJsonValue current;
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    current = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    for (qsizetype i = 2; i < location.size(); ++i) {
        const QString key = location.at(i).toString();
        if (current.isArray())
            current = current.toArray().at(key.toInt());
        else if (current.isObject())
            current = current.toObject().value(key);
        else
            return QJsonValue(QJsonValue::Undefined);
    }
    return current;
}

// Why a response does not match the spec although it is what Coolify sends.
QString explain(const QString &method, const QString &path, const QJsonArray &location,
                const QString &message, const QByteArray &body)
{
    const QString where = location.size() > 2 ? location.last().toString() : QString();
    if (valueAt(body, location).isNull() && message.contains(QLatin1String(" must be ")))
        return QStringLiteral(
            "spec uses OAS 3.0 'nullable: true' in an OAS 3.1 document, so null is "
            "rejected though Coolify sends null (notes §5 'Loose')");
    if (path.startsWith(QLatin1String("/deployments/applications/")))
        return QStringLiteral(
            "spec types /deployments/applications/{uuid} as Application[]; the server "
            "answers {count, deployments} (notes §5 'Mismatches')");
    if (where == QLatin1String("build_pack"))
        return QStringLiteral("build_pack enum lacks 'dockerimage' (notes §5 'Mismatches')");
    if (path == QLatin1String("/version"))
        return QStringLiteral(
            "/version is plain text without the spec's 'v' prefix (notes §1.1, §5)");
    if (method == QLatin1String("DELETE"))
        return QStringLiteral(
            "DELETE answers 'Application deletion request queued.' (notes §2.6, §5)");
    if (path.contains(QLatin1String("/envs/bulk")) || path.endsWith(QLatin1String("/envs")))
        return QStringLiteral(
            "bulk env response is an array (docs said object before PR #7714, notes §2.4)");
    if (path.startsWith(QLatin1String("/deployments/")) &&
        (where == QLatin1String("application_id") || where == QLatin1String("id")))
        return QStringLiteral("deployment application_id is a string internal id (notes §2.5)");
    return {};
}

} // namespace

class tst_CoolifyContract : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void everyOperationThroughPrism();

private:
    QString findPrism() const;
    QString findSpec() const;
    void record(const QString &method, const QString &path, int status,
                const QMap<QByteArray, QByteArray> &headers, const QByteArray &body);

    bc::test::FakeCoolify m_fake;
    QProcess m_prism;
    quint16 m_prismPort = 0;
    QList<Violation> m_violations;
    int m_requests = 0;
};

QString tst_CoolifyContract::findPrism() const
{
    const QString fromEnv = qEnvironmentVariable("PRISM");
    if (!fromEnv.isEmpty())
        return fromEnv;
    const QString local = qEnvironmentVariable("BOX_SOURCE_DIR") +
                          QStringLiteral("/tests/support/coolify/node_modules/.bin/prism");
    if (QFileInfo(local).isExecutable())
        return local;
    return QStandardPaths::findExecutable(QStringLiteral("prism"));
}

QString tst_CoolifyContract::findSpec() const
{
    QString spec = qEnvironmentVariable("COOLIFY_OPENAPI");
    if (spec.isEmpty())
        spec = qEnvironmentVariable("BOX_SOURCE_DIR") +
               QStringLiteral("/../shared/coolify/openapi.yaml");
    return QFileInfo::exists(spec) ? QFileInfo(spec).canonicalFilePath() : QString();
}

void tst_CoolifyContract::initTestCase()
{
    const QString prism = findPrism();
    const QString spec = findSpec();
    if (prism.isEmpty())
        QSKIP("prism not found (npm install in tests/support/coolify, or set PRISM)");
    if (spec.isEmpty())
        QSKIP("Coolify's openapi.yaml not found (BOX_SOURCE_DIR/../shared/coolify or "
              "COOLIFY_OPENAPI)");
    if (!m_fake.start())
        QSKIP("python3 or the fake Coolify script is missing");
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
    QDeadlineTimer deadline(90000);
    bool up = false;
    while (!up && !deadline.hasExpired() && m_prism.state() == QProcess::Running) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_prismPort);
        up = socket.waitForConnected(200);
        if (!up)
            QTest::qWait(300);
    }
    if (!up)
        QSKIP(qPrintable(QStringLiteral("prism did not come up: ") +
                         QString::fromLocal8Bit(m_prism.readAll().right(500))));
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
    ++m_requests;
    const QByteArray raw = headers.value("sl-violations");
    if (raw.isEmpty())
        return;
    for (const QJsonValue &v : QJsonDocument::fromJson(raw).array()) {
        const QJsonObject o = v.toObject();
        const QJsonArray location = o.value(QStringLiteral("location")).toArray();
        Violation violation;
        violation.method = method;
        violation.path = path;
        violation.status = status;
        violation.side = location.at(0).toString();
        QStringList parts;
        for (const QJsonValue &p : location)
            parts << p.toString();
        violation.location = parts.join(QLatin1Char('.'));
        violation.message = o.value(QStringLiteral("message")).toString();
        if (violation.side == QLatin1String("response"))
            violation.explanation = explain(method, path, location, violation.message, body);
        m_violations << violation;
    }
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

    QVERIFY(await(client.health()).ok());
    QVERIFY(await(client.version()).ok());
    QVERIFY(await(client.servers()).ok());
    QVERIFY(await(client.projects()).ok());
    QVERIFY(await(client.project(QStringLiteral("proj-boxes"))).ok());
    QVERIFY(await(client.environments(QStringLiteral("proj-boxes"))).ok());
    QVERIFY(
        await(client.environment(QStringLiteral("proj-boxes"), QStringLiteral("production"))).ok());

    CoolifyAppCreate spec;
    spec.serverUuid = QStringLiteral("srv-main");
    spec.projectUuid = QStringLiteral("proj-boxes");
    spec.environmentName = QStringLiteral("production");
    spec.environmentUuid = QStringLiteral("env-prod");
    spec.name = QStringLiteral("contract");
    spec.description = QStringLiteral("box-console box; owner=c");
    spec.image = QStringLiteral("registry.example.com/box");
    spec.imageTag = QStringLiteral("1");
    spec.portsExposes = QStringLiteral("8080,9999");
    spec.domains = {QStringLiteral("https://contract.boxes.test:8080")};
    spec.tags = {QStringLiteral("box-console")};
    spec.healthCheckEnabled = true;
    spec.healthCheckPath = QStringLiteral("/health");
    spec.healthCheckPort = QStringLiteral("9999");
    spec.limitsMemory = QStringLiteral("2048m");
    spec.limitsMemorySwap = QStringLiteral("2048m");
    spec.limitsCpus = QStringLiteral("1.5");
    spec.customDockerRunOptions = QStringLiteral("--init");
    auto created = await(client.createApplication(spec));
    QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().toString()));
    const QString uuid = created.value();

    CoolifyAppCreate fromDockerfile = spec;
    fromDockerfile.name = QStringLiteral("contract-df");
    fromDockerfile.image.clear();
    fromDockerfile.imageTag.clear();
    fromDockerfile.domains = {QStringLiteral("https://contract-df.boxes.test:8080")};
    fromDockerfile.dockerfile = QStringLiteral("FROM scratch\n");
    auto createdDf = await(client.createApplication(fromDockerfile));
    QVERIFY2(createdDf.ok(), qPrintable(createdDf.ok() ? QString() : createdDf.error().toString()));

    QVERIFY(await(client.applications(QStringLiteral("box-console"))).ok());
    QVERIFY(await(client.application(uuid)).ok());
    QVERIFY(
        await(client.updateApplication(uuid, {{"description", "box-console box; owner=d"}})).ok());

    CoolifyEnvVar var;
    var.key = QStringLiteral("BOX_SUBDOMAIN");
    var.value = QStringLiteral("contract");
    var.comment = QStringLiteral("set by box-console");
    QVERIFY(await(client.setEnvVars(uuid, {var})).ok());
    QVERIFY(await(client.envVars(uuid)).ok());

    auto started = await(client.start(uuid));
    QVERIFY(started.ok());
    QVERIFY(await(client.deployment(started->deploymentUuid)).ok());
    QVERIFY(await(client.followDeployment(uuid, started->deploymentUuid)).ok());
    QVERIFY(await(client.applicationDeployments(uuid)).ok());
    QVERIFY(await(client.logs(uuid, 10)).ok());
    auto deployed = await(client.deploy(uuid));
    QVERIFY(deployed.ok());
    QVERIFY(await(client.cancelDeployment(deployed->deploymentUuid)).ok());
    QVERIFY(await(client.stop(uuid)).ok());
    auto restarted = await(client.restart(uuid));
    QVERIFY(restarted.ok());
    QVERIFY(await(client.followDeployment(uuid, restarted->deploymentUuid)).ok());

    CoolifyDeleteOptions keep;
    keep.deleteVolumes = false;
    QVERIFY(await(client.deleteApplication(uuid, keep)).ok());
    QVERIFY(await(client.waitUntilGone(uuid, 20000)).ok());
    QVERIFY(await(client.deleteApplication(createdDf.value(), CoolifyDeleteOptions())).ok());
    QVERIFY(await(client.waitUntilGone(createdDf.value(), 20000)).ok());

    int requestViolations = 0;
    int responseViolations = 0;
    QStringList unexplained;
    QMap<QString, int> byExplanation;
    for (const Violation &v : std::as_const(m_violations)) {
        const QString line = QStringLiteral("%1 %2 -> %3: %4 (%5)")
                                 .arg(v.method, v.path)
                                 .arg(v.status)
                                 .arg(v.message, v.location);
        if (v.side == QLatin1String("request")) {
            ++requestViolations;
            unexplained << QStringLiteral("REQUEST ") + line;
        } else {
            ++responseViolations;
            if (v.explanation.isEmpty())
                unexplained << QStringLiteral("RESPONSE ") + line;
            else
                byExplanation[v.explanation] += 1;
        }
    }
    qInfo("contract: %d requests through prism, %d request violations, %d response violations",
          m_requests, requestViolations, responseViolations);
    for (auto it = byExplanation.begin(); it != byExplanation.end(); ++it)
        qInfo("  %3d x %s", it.value(), qPrintable(it.key()));
    for (const QString &u : std::as_const(unexplained))
        qWarning("  unexplained: %s", qPrintable(u));
    QCOMPARE(requestViolations, 0);
    QVERIFY2(unexplained.isEmpty(),
             "response violations without a known spec defect (see warnings)");
}

QTEST_GUILESS_MAIN(tst_CoolifyContract)
#include "tst_coolifycontract.moc"
