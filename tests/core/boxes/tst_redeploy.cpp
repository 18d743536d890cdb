// ctest: labels=docker timeout=400
// Redeploy never loses a box: the previous container is kept aside until the new one is
// healthy and comes back (same container, running, healthy, same volumes) on any failure.
#include "boxtestsupport.h"

#include "core/boxes/dockerbackend.h"
#include "support/testutil.h"

#include <QtTest>

#include <nlohmann/json.hpp>

using namespace bc;
using namespace bc::boxes;
using namespace bc::test;
using namespace bc::test::boxes;
using nlohmann::json;

class tst_Redeploy : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void plainDeployOfExistingNameIsRefused();
    void failedRedeployRestoresPreviousBox();
    void cancelledRedeployRestoresPreviousBox();
    void successfulRedeployReplacesPreviousBox();
    void keepFailedKeepsTheFailedContainerStopped();
    void imageHealthcheckIsUsedWhenSpecHasNone();

private:
    json inspect(const QString &what, const QString &kind = QStringLiteral("container"))
    {
        int code = 0;
        const QString out = runDocker({kind, QStringLiteral("inspect"), what}, &code);
        if (code != 0)
            return json();
        const json j = json::parse(out.toStdString(), nullptr, false);
        return j.is_array() && !j.empty() ? j[0] : json();
    }
    // The box's container id, running and healthy within the timeout; empty otherwise.
    QString healthyId(const QString &name, int timeoutMs = 30000)
    {
        QDeadlineTimer deadline(timeoutMs);
        do {
            const json c = inspect(name);
            if (c.is_object() && c["State"].value("Running", false) &&
                c["State"].contains("Health") &&
                c["State"]["Health"].value("Status", std::string()) == "healthy")
                return QString::fromStdString(c["Id"].get<std::string>());
            QTest::qWait(250);
        } while (!deadline.hasExpired());
        return {};
    }
    QStringList containerNames(const QString &name)
    {
        return lines(
            runDocker({QStringLiteral("ps"), QStringLiteral("-a"), QStringLiteral("--filter"),
                       QStringLiteral("label=box-console.box=") + name, QStringLiteral("--format"),
                       QStringLiteral("{{.Names}}")}));
    }
    void writeData(const QString &name, const QString &text)
    {
        int code = 0;
        runDocker({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--label"),
                   testLabel(), QStringLiteral("--network"), QStringLiteral("none"),
                   QStringLiteral("-v"), name + QStringLiteral("-config:/v"), testImage(),
                   QStringLiteral("sh"), QStringLiteral("-c"),
                   QStringLiteral("echo %1 > /v/probe").arg(text)},
                  &code);
        QCOMPARE(code, 0);
    }
    QString readData(const QString &name)
    {
        return runDocker({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--label"),
                          testLabel(), QStringLiteral("--network"), QStringLiteral("none"),
                          QStringLiteral("-v"), name + QStringLiteral("-config:/v:ro"), testImage(),
                          QStringLiteral("cat"), QStringLiteral("/v/probe")});
    }
    QStringList markers()
    {
        return lines(
            runDocker({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q"),
                       QStringLiteral("--filter"), QStringLiteral("label=box-console.op")}));
    }
    DockerBackend *redeployer(bool keepFailed = false)
    {
        DeployOptions o = testOptions();
        o.redeploy = true;
        o.keepFailed = keepFailed;
        o.healthTimeoutMs = 20000;
        m_redeployer = std::make_unique<DockerBackend>(http::Endpoint{}, o);
        return m_redeployer.get();
    }
    security::BoxSpec failingSpec(const QString &name)
    {
        auto spec = agentSpec(name);
        spec.command = {QStringLiteral("sh"), QStringLiteral("-c"),
                        QStringLiteral("echo failing-on-purpose; exit 3")};
        return spec;
    }
    // A healthy box with data in its config volume; returns its container id.
    QString healthyBox(const QString &name)
    {
        const auto first = runJob(m_backend->deploy(agentSpec(name)));
        if (!first.ok())
            return {};
        writeData(name, QStringLiteral("precious"));
        return healthyId(name);
    }

    EngineSuite m_suite;
    std::unique_ptr<DockerBackend> m_backend;
    std::unique_ptr<DockerBackend> m_redeployer;
};

void tst_Redeploy::initTestCase()
{
    QVERIFY2(dockerAvailable(), "no Docker engine");
    const QString error = m_suite.setUp();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_backend = std::make_unique<DockerBackend>(http::Endpoint{}, testOptions());
}

void tst_Redeploy::cleanup()
{
    m_redeployer.reset();
    removeLabelled();
}

void tst_Redeploy::plainDeployOfExistingNameIsRefused()
{
    const QString name = uniqueName(QStringLiteral("brd"));
    const QString id = healthyBox(name);
    QVERIFY(!id.isEmpty());
    const auto again = runJob(m_backend->deploy(failingSpec(name)));
    QVERIFY(!again.ok());
    QCOMPARE(again.error().kind(), Error::Kind::Conflict);
    QVERIFY2(
        again.error().message().contains(QStringLiteral("box %1 exists; use redeploy").arg(name)),
        qPrintable(again.error().toString()));
    QCOMPARE(healthyId(name, 1000), id); // untouched: never stopped
    QVERIFY(inspect(name)["State"].value("StartedAt", std::string()) ==
            inspect(id)["State"].value("StartedAt", std::string()));
}

void tst_Redeploy::failedRedeployRestoresPreviousBox()
{
    const QString name = uniqueName(QStringLiteral("brd"));
    const QString id = healthyBox(name);
    QVERIFY(!id.isEmpty());
    const std::string volumeCreated =
        inspect(name + QStringLiteral("-config"), QStringLiteral("volume"))["CreatedAt"];
    const auto r = runJob(redeployer()->deploy(failingSpec(name)));
    QVERIFY(!r.ok());
    const QString message = r.error().toString();
    QVERIFY2(message.contains(QLatin1String("exited with code 3")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("previous box was restored")), qPrintable(message));
    // The failed container's logs, captured before the rollback removed it.
    QVERIFY2(message.contains(QLatin1String("failing-on-purpose")), qPrintable(message));
    QCOMPARE(healthyId(name), id);
    QCOMPARE(containerNames(name), QStringList{name});
    QCOMPARE(std::string(
                 inspect(name + QStringLiteral("-config"), QStringLiteral("volume"))["CreatedAt"]),
             volumeCreated);
    QCOMPARE(readData(name), QStringLiteral("precious"));
    QCOMPARE(markers(), QStringList());
}

void tst_Redeploy::cancelledRedeployRestoresPreviousBox()
{
    const QString name = uniqueName(QStringLiteral("brd"));
    const QString id = healthyBox(name);
    QVERIFY(!id.isEmpty());
    auto spec = agentSpec(name);
    spec.healthcheck->test = {QStringLiteral("CMD-SHELL"), QStringLiteral("false")};
    spec.healthcheck->retries = 100;
    BoxJob *job = redeployer()->deploy(spec);
    connect(job, &BoxJob::stepStarted, job, [job](const QString &step) {
        if (step == QLatin1String("health"))
            job->cancel();
    });
    const auto r = runJob(job);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind(), Error::Kind::Cancelled);
    QCOMPARE(healthyId(name), id);
    QCOMPARE(containerNames(name), QStringList{name});
    QCOMPARE(readData(name), QStringLiteral("precious"));
    QCOMPARE(markers(), QStringList());
}

void tst_Redeploy::successfulRedeployReplacesPreviousBox()
{
    const QString name = uniqueName(QStringLiteral("brd"));
    const QString id = healthyBox(name);
    QVERIFY(!id.isEmpty());
    auto spec = agentSpec(name);
    spec.env.insert(QStringLiteral("GREETING"), QStringLiteral("again"));
    const auto r = runJob(redeployer()->deploy(spec));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QVERIFY(r->id != id);
    QCOMPARE(healthyId(name), r->id);
    QCOMPARE(containerNames(name), QStringList{name}); // the previous one is gone
    QVERIFY(inspect(id).is_null());
    QCOMPARE(readData(name), QStringLiteral("precious"));
    QCOMPARE(markers(), QStringList());
}

void tst_Redeploy::keepFailedKeepsTheFailedContainerStopped()
{
    const QString name = uniqueName(QStringLiteral("brd"));
    const QString id = healthyBox(name);
    QVERIFY(!id.isEmpty());
    BoxJob *job = redeployer(true)->deploy(failingSpec(name));
    const auto r = runJob(job);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().toString().contains(QLatin1String(".failed-")),
             qPrintable(r.error().toString()));
    QCOMPARE(healthyId(name), id);
    const QStringList names = containerNames(name);
    QCOMPARE(names.size(), 2);
    const QStringList failed = names.filter(QStringLiteral(".failed-"));
    QCOMPARE(failed.size(), 1);
    QVERIFY(!inspect(failed.first())["State"].value("Running", true));
    QCOMPARE(markers(), QStringList());
    QVERIFY(runJob(m_backend->remove(name, false)).ok());
    QCOMPARE(containerNames(name), QStringList());
}

void tst_Redeploy::imageHealthcheckIsUsedWhenSpecHasNone()
{
    // bctest/box has no curl or wget: the default probe would never pass; its own
    // HEALTHCHECK (/bin/box-health: nc to the box-agent) does.
    const QString name = uniqueName(QStringLiteral("brd"));
    auto spec = agentSpec(name);
    spec.image = boxTestImage();
    spec.healthcheck.reset();
    DeployOptions o = testOptions();
    o.healthTimeoutMs = 25000;
    DockerBackend backend(http::Endpoint{}, o);
    const auto r = runJob(backend.deploy(spec));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    const json test = inspect(name)["Config"]["Healthcheck"]["Test"];
    QVERIFY2(test.dump().find("/bin/box-health") != std::string::npos, test.dump().c_str());
}

QTEST_GUILESS_MAIN(tst_Redeploy)
#include "tst_redeploy.moc"
