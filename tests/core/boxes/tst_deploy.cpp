// ctest: labels=docker timeout=600
#include "boxtestsupport.h"

#include "core/boxes/boxlabels.h"
#include "core/boxes/dockerbackend.h"
#include "core/docker/dockerclient.h"
#include "core/security/postureaudit.h"
#include "support/testutil.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace bc;
using namespace bc::boxes;
using namespace bc::test;
using namespace bc::test::boxes;
using nlohmann::json;

class tst_Deploy : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void deployReachesHealthyAndIsHardened();
    void routedDeployJoinsTraefikAndDeleteRemovesAll();
    void redeployReplacesContainerKeepsVolumes();
    void deployFromSkills();
    void deleteTwiceAndMissing();
    void deleteKeepData();
    void faults_data();
    void faults();
    void cancelAtEachStep_data();
    void cancelAtEachStep();
    void hostileSpecsCreateNothing_data();
    void hostileSpecsCreateNothing();
    void auditReportsWeakenedContainer();
    void listStatusLogsStartStop();
    void eventsPushChanges();

private:
    QStringList m_extraCleanup;
    EngineSuite m_suite;
    std::unique_ptr<DockerBackend> m_backend;
};

void tst_Deploy::initTestCase()
{
    if (!dockerAvailable())
        QSKIP("no Docker engine");
    const QString error = m_suite.setUp();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_backend = std::make_unique<DockerBackend>(http::Endpoint{}, testOptions());
}

void tst_Deploy::cleanupTestCase()
{
    m_backend.reset();
    removeLabelled();
}

void tst_Deploy::cleanup()
{
    removeLabelled();
    for (const QString &c : std::as_const(m_extraCleanup))
        runDocker({QStringLiteral("rm"), QStringLiteral("-f"), c});
    m_extraCleanup.clear();
}

static json inspectJson(const QString &what, const QString &kind = QStringLiteral("container"))
{
    const QString out = runDocker({kind, QStringLiteral("inspect"), what});
    const json j = json::parse(out.toStdString(), nullptr, false);
    return j.is_array() && !j.empty() ? j[0] : json();
}

void tst_Deploy::deployReachesHealthyAndIsHardened()
{
    const QString name = uniqueName(QStringLiteral("bxt"));
    QStringList steps;
    BoxJob *job = m_backend->deploy(agentSpec(name));
    connect(job, &BoxJob::stepStarted, this, [&](const QString &s) { steps << s; });
    QElapsedTimer t;
    t.start();
    const auto r = runJob(job);
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    qInfo("deploy -> healthy in %lld ms", t.elapsed());
    QCOMPARE(steps, (QStringList{QStringLiteral("validate"), QStringLiteral("volumes"),
                                 QStringLiteral("network"), QStringLiteral("create"),
                                 QStringLiteral("start"), QStringLiteral("health"),
                                 QStringLiteral("commit"), QStringLiteral("running")}));
    QCOMPARE(r->state, BoxInfo::State::Running);
    QCOMPARE(r->health, BoxInfo::Health::Healthy);
    QCOMPARE(r->name, name);
    QCOMPARE(r->subdomain, name);

    const json c = inspectJson(name);
    QVERIFY(c.is_object());
    const json &h = c["HostConfig"];
    QCOMPARE(h["CapDrop"], json::array({"ALL"}));
    bool nnp = false;
    for (const auto &o : h["SecurityOpt"])
        nnp = nnp || o.get<std::string>().rfind("no-new-privileges", 0) == 0;
    QVERIFY(nnp);
    QCOMPARE(h["ReadonlyRootfs"], json(true));
    QVERIFY(h["Tmpfs"].contains("/tmp"));
    const std::string tmp = h["Tmpfs"]["/tmp"].get<std::string>();
    QVERIFY(tmp.find("noexec") != std::string::npos && tmp.find("nosuid") != std::string::npos);
    QCOMPARE(c["Config"]["User"], json("1000:1000"));
    QCOMPARE(h["PidsLimit"], json(100));
    QCOMPARE(h["Memory"], json(128LL * 1024 * 1024));
    QCOMPARE(h["MemorySwap"], h["Memory"]);
    QCOMPARE(h["NanoCpus"], json(500000000LL));
    QVERIFY(h["CpuShares"].get<qint64>() > 0);
    QCOMPARE(h["Init"], json(true));
    QCOMPARE(h["NetworkMode"], json("none"));
    QCOMPARE(h["Privileged"], json(false));
    QVERIFY(h["Binds"].is_null() || h["Binds"].empty());
    QStringList ulimits;
    for (const auto &u : h["Ulimits"])
        ulimits << QString::fromStdString(u["Name"].get<std::string>());
    QVERIFY(ulimits.contains(QStringLiteral("nofile")) && ulimits.contains(QStringLiteral("core")));
    QCOMPARE(h["RestartPolicy"]["Name"], json("on-failure"));
    QVERIFY(c["Config"]["Healthcheck"]["Test"].is_array());
    QStringList targets;
    for (const auto &m : c["Mounts"])
        targets << QString::fromStdString(m["Name"].is_string() ? m["Name"].get<std::string>()
                                                                : "");
    for (const QString &suffix :
         {QStringLiteral("-config"), QStringLiteral("-cache"), QStringLiteral("-inbox")})
        QVERIFY2(targets.contains(name + suffix), qPrintable(targets.join(QLatin1Char(','))));
    const json &labelsJson = c["Config"]["Labels"];
    QCOMPARE(labelsJson["box-console.box"], json(name.toStdString()));
    QCOMPARE(labelsJson["box-console.owner"], json("tester@example.com"));
    QVERIFY(labelsJson.contains("box-console.spec-hash"));
    QCOMPARE(labelsJson["box-console.test"], json("1"));
    const json vol = inspectJson(name + QStringLiteral("-config"), QStringLiteral("volume"));
    QCOMPARE(vol["Labels"]["box-console.box"], json(name.toStdString()));

    // The posture audit finds nothing severe in a freshly deployed box.
    const auto inspected = bc::test::await(m_backend->inspect(name));
    QVERIFY(inspected.ok());
    security::AuditOptions ao;
    ao.appArmorAvailable = false;
    const auto findings = security::PostureAudit::audit(inspected->raw, ao);
    for (const auto &f : findings)
        qInfo("finding %s (%s): %s", qPrintable(f.id),
              qPrintable(security::Finding::severityName(f.severity)), qPrintable(f.detail));
    QVERIFY(!security::PostureAudit::hasHighSeverity(findings));

    const auto d = runJob(m_backend->remove(name, false));
    QVERIFY2(d.ok(), qPrintable(d.ok() ? QString() : d.error().toString()));
    QCOMPARE(objectsOf(name), QStringList());
}

void tst_Deploy::routedDeployJoinsTraefikAndDeleteRemovesAll()
{
    const QString name = uniqueName(QStringLiteral("bxr"));
    const QString traefik = uniqueName(QStringLiteral("bxt-traefik"));
    int code = 0;
    runDocker({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--label"), testLabel(),
               QStringLiteral("--name"), traefik, testImage(), QStringLiteral("sleep"),
               QStringLiteral("600")},
              &code);
    QCOMPARE(code, 0);
    DeployOptions o = testOptions();
    o.traefikContainer = traefik;
    o.traefikDomain = QStringLiteral("boxes.example.test");
    DockerBackend backend(http::Endpoint{}, o);
    auto spec = agentSpec(name);
    spec.isolation = security::BoxSpec::Isolation::Routed;
    const auto r = runJob(backend.deploy(spec));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->url, QStringLiteral("https://%1.boxes.example.test").arg(name));

    const json net = inspectJson(name + QStringLiteral("-net"), QStringLiteral("network"));
    QCOMPARE(net["Internal"], json(true));
    QCOMPARE(net["Labels"]["box-console.box"], json(name.toStdString()));
    QStringList members;
    for (auto it = net["Containers"].begin(); it != net["Containers"].end(); ++it)
        members << QString::fromStdString(it.value()["Name"].get<std::string>());
    QVERIFY2(members.contains(traefik) && members.contains(name),
             qPrintable(members.join(QLatin1Char(','))));
    const json c = inspectJson(name);
    bool hasRule = false;
    for (auto it = c["Config"]["Labels"].begin(); it != c["Config"]["Labels"].end(); ++it)
        if (it.key().find(".rule") != std::string::npos)
            hasRule = it.value().get<std::string>() ==
                      "Host(`" + name.toStdString() + ".boxes.example.test`)";
    QVERIFY(hasRule);

    const auto d = runJob(backend.remove(name, false));
    QVERIFY2(d.ok(), qPrintable(d.ok() ? QString() : d.error().toString()));
    QCOMPARE(objectsOf(name), QStringList());
}

void tst_Deploy::redeployReplacesContainerKeepsVolumes()
{
    const QString name = uniqueName(QStringLiteral("bxd"));
    const auto first = runJob(m_backend->deploy(agentSpec(name)));
    QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().toString()));
    const QString volCreated = QString::fromStdString(
        inspectJson(name + QStringLiteral("-config"), QStringLiteral("volume"))["CreatedAt"]
            .get<std::string>());
    auto spec = agentSpec(name);
    spec.env.insert(QStringLiteral("GREETING"), QStringLiteral("again"));
    // A plain deploy of an existing name never touches the running box.
    const auto refused = runJob(m_backend->deploy(spec));
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().kind(), Error::Kind::Conflict);
    QVERIFY2(refused.error().toString().contains(QLatin1String("use redeploy")),
             qPrintable(refused.error().toString()));
    QCOMPARE(QString::fromStdString(inspectJson(name)["Id"].get<std::string>()), first->id);
    DeployOptions o = testOptions();
    o.redeploy = true;
    DockerBackend redeployer(http::Endpoint{}, o);
    const auto second = runJob(redeployer.deploy(spec));
    QVERIFY2(second.ok(), qPrintable(second.ok() ? QString() : second.error().toString()));
    QVERIFY(second->id != first->id);
    QCOMPARE(QString::fromStdString(inspectJson(name + QStringLiteral("-config"),
                                                QStringLiteral("volume"))["CreatedAt"]
                                        .get<std::string>()),
             volCreated);
    // A failed re-deploy removes its new container, restores the previous one and never
    // touches the volumes.
    spec.command = {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("exit 3")};
    const auto third = runJob(redeployer.deploy(spec));
    QVERIFY(!third.ok());
    // Whichever the engine reports first: the exit, or the failed probe of a dead box.
    QVERIFY2(third.error().toString().contains(QLatin1String("exited with code 3")) ||
                 third.error().toString().contains(QLatin1String("unhealthy")),
             qPrintable(third.error().toString()));
    const QStringList left = objectsOf(name);
    QCOMPARE(left.filter(QStringLiteral("volume")).size(), 3);
    // The restored box only (objectsOf lists it by id and by name).
    QCOMPARE(lines(runDocker({QStringLiteral("ps"), QStringLiteral("-aq"),
                              QStringLiteral("--filter"),
                              QStringLiteral("label=box-console.box=") + name}))
                 .size(),
             1);
    QCOMPARE(QString::fromStdString(inspectJson(name)["Id"].get<std::string>()), second->id);
    QVERIFY(runJob(m_backend->remove(name, false)).ok());
    QCOMPARE(objectsOf(name), QStringList());
}

void tst_Deploy::deployFromSkills()
{
    QTemporaryDir skills;
    QDir(skills.path()).mkpath(QStringLiteral("notes"));
    QFile md(skills.filePath(QStringLiteral("notes/SKILL.md")));
    QVERIFY(md.open(QIODevice::WriteOnly));
    md.write("# notes\nTake notes.\n");
    md.close();
    DeployOptions o = testOptions();
    o.skillsDir = skills.path();
    o.skillBaseImage = agentImage();
    DockerBackend backend(http::Endpoint{}, o);
    const QString name = uniqueName(QStringLiteral("bxs"));
    auto spec = agentSpec(name);
    spec.image.clear();
    spec.skills = {QStringLiteral("notes")};
    QStringList output;
    BoxJob *job = backend.deploy(spec);
    connect(job, &BoxJob::progress, this, [&](const QString &t) { output << t; });
    const auto r = runJob(job, 300000);
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QVERIFY(r->image.startsWith(QStringLiteral("box-console/") + name));
    QVERIFY2(output.join(QLatin1Char('\n')).contains(QLatin1String("Step")),
             qPrintable(output.join(QLatin1Char('\n'))));
    int code = 0;
    runDocker({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"),
               QStringLiteral("none"), r->image, QStringLiteral("cat"),
               QStringLiteral("/home/coder/.skills/notes/SKILL.md")},
              &code);
    QCOMPARE(code, 0);
    QVERIFY(runJob(backend.remove(name, false)).ok());
    QCOMPARE(objectsOf(name), QStringList());
}

void tst_Deploy::deleteTwiceAndMissing()
{
    const QString name = uniqueName(QStringLiteral("bxx"));
    QVERIFY(runJob(m_backend->deploy(agentSpec(name))).ok());
    QVERIFY(runJob(m_backend->remove(name, false)).ok());
    const auto again = runJob(m_backend->remove(name, false));
    QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().toString()));
    QVERIFY(runJob(m_backend->remove(uniqueName(QStringLiteral("never")), false)).ok());
    // Not a box: refused, untouched.
    const QString plain = uniqueName(QStringLiteral("bxplain"));
    runDocker({QStringLiteral("create"), QStringLiteral("--label"), testLabel(),
               QStringLiteral("--name"), plain, testImage(), QStringLiteral("true")});
    const auto refused = runJob(m_backend->remove(plain, false));
    QVERIFY(!refused.ok());
    int code = 0;
    runDocker({QStringLiteral("container"), QStringLiteral("inspect"), plain}, &code);
    QCOMPARE(code, 0);
}

void tst_Deploy::deleteKeepData()
{
    const QString name = uniqueName(QStringLiteral("bxk"));
    QVERIFY(runJob(m_backend->deploy(agentSpec(name))).ok());
    QVERIFY(runJob(m_backend->remove(name, true)).ok());
    QCOMPARE(objectsOf(name).filter(QStringLiteral("volume")).size(), 3);
    QCOMPARE(objectsOf(name).filter(QStringLiteral("container")).size(), 0);
    QVERIFY(runJob(m_backend->remove(name, false)).ok());
    QCOMPARE(objectsOf(name), QStringList());
}

void tst_Deploy::faults_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QString>("step");
    QTest::addColumn<QString>("message");
    QTest::newRow("build error") << "build"
                                 << "build"
                                 << "build: ";
    QTest::newRow("base image missing") << "base"
                                        << "build"
                                        << "never pulls";
    QTest::newRow("missing image") << "image"
                                   << "validate"
                                   << "not on this engine";
    QTest::newRow("volume conflict") << "volume"
                                     << "volumes"
                                     << "does not belong";
    QTest::newRow("network error") << "network"
                                   << "network"
                                   << "Traefik";
    QTest::newRow("name conflict") << "name"
                                   << "validate"
                                   << "not a box-console box";
    QTest::newRow("subdomain taken") << "subdomain"
                                     << "validate"
                                     << "already used";
    QTest::newRow("command exits") << "exit"
                                   << "health"
                                   << "exited with code 1";
    QTest::newRow("never healthy") << "unhealthy"
                                   << "health"
                                   << "unhealthy";
    QTest::newRow("health timeout") << "timeout"
                                    << "health"
                                    << "not healthy after";
}

void tst_Deploy::faults()
{
    QFETCH(QString, fault);
    QFETCH(QString, step);
    QFETCH(QString, message);
    const QString name = uniqueName(QStringLiteral("bxf"));
    auto spec = agentSpec(name);
    DeployOptions o = testOptions();
    QStringList preExisting;
    QString otherBox;
    QTemporaryDir skills;
    if (fault == QLatin1String("build")) {
        // A real build that fails in the daemon: the busybox base has no apt-get.
        QDir(skills.path()).mkpath(QStringLiteral("broken"));
        QFile md(skills.filePath(QStringLiteral("broken/SKILL.md")));
        QVERIFY(md.open(QIODevice::WriteOnly));
        md.write("# broken\n");
        md.close();
        QFile js(skills.filePath(QStringLiteral("broken/skill.json")));
        QVERIFY(js.open(QIODevice::WriteOnly));
        js.write("{\"apt\": [\"jq\"]}");
        js.close();
        spec.image.clear();
        spec.skills = {QStringLiteral("broken")};
        o.skillsDir = skills.path();
        o.skillBaseImage = agentImage();
    } else if (fault == QLatin1String("base")) {
        QDir(skills.path()).mkpath(QStringLiteral("fine"));
        QFile md(skills.filePath(QStringLiteral("fine/SKILL.md")));
        QVERIFY(md.open(QIODevice::WriteOnly));
        md.write("# fine\n");
        md.close();
        spec.image.clear();
        spec.skills = {QStringLiteral("fine")};
        o.skillsDir = skills.path();
        o.skillBaseImage = QStringLiteral("bctest/no-such-base:never");
    } else if (fault == QLatin1String("image")) {
        spec.image = QStringLiteral("bctest/no-such-image:never");
    } else if (fault == QLatin1String("volume")) {
        // A volume of that name that is not this box's: must not be adopted or removed.
        runDocker({QStringLiteral("volume"), QStringLiteral("create"), QStringLiteral("--label"),
                   testLabel(), name + QStringLiteral("-cache")});
        preExisting << QStringLiteral("volume ") + name + QStringLiteral("-cache");
    } else if (fault == QLatin1String("network")) {
        spec.isolation = security::BoxSpec::Isolation::Routed;
        o.traefikContainer = uniqueName(QStringLiteral("no-such-traefik"));
    } else if (fault == QLatin1String("name")) {
        runDocker({QStringLiteral("create"), QStringLiteral("--label"), testLabel(),
                   QStringLiteral("--name"), name, testImage(), QStringLiteral("true")});
        preExisting << QStringLiteral("container named ") + name;
    } else if (fault == QLatin1String("subdomain")) {
        otherBox = uniqueName(QStringLiteral("bxo"));
        auto other = agentSpec(otherBox);
        other.subdomain = spec.subdomain;
        QVERIFY(runJob(m_backend->deploy(other)).ok());
    } else if (fault == QLatin1String("exit")) {
        spec.command = {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("exit 1")};
    } else if (fault == QLatin1String("unhealthy")) {
        spec.healthcheck->test = {QStringLiteral("CMD-SHELL"), QStringLiteral("exit 1")};
        spec.healthcheck->retries = 2;
    } else if (fault == QLatin1String("timeout")) {
        spec.healthcheck->intervalMs = 60000;
        o.healthTimeoutMs = 2000;
    }
    DockerBackend backend(http::Endpoint{}, o);
    auto *job = backend.deploy(spec);
    const auto r = runJob(job);
    QVERIFY(!r.ok());
    const QString text = r.error().toString();
    qInfo("%s", qPrintable(text));
    QVERIFY2(r.error().context().startsWith(QStringLiteral("deploy %1: %2").arg(name, step)),
             qPrintable(text));
    QVERIFY2(text.contains(message), qPrintable(text));
    const QLatin1String outcome(step == QLatin1String("validate") ? "nothing was created"
                                                                  : "rolled back");
    QVERIFY2(text.contains(outcome), qPrintable(text));
    QCOMPARE(objectsOf(name), preExisting);
    if (!otherBox.isEmpty())
        QVERIFY(runJob(m_backend->remove(otherBox, false)).ok());
}

void tst_Deploy::cancelAtEachStep_data()
{
    QTest::addColumn<QString>("step");
    for (const char *s : {"validate", "volumes", "network", "create", "start", "health"})
        QTest::newRow(s) << QString::fromLatin1(s);
}

void tst_Deploy::cancelAtEachStep()
{
    QFETCH(QString, step);
    const QString name = uniqueName(QStringLiteral("bxc"));
    auto spec = agentSpec(name);
    spec.isolation = security::BoxSpec::Isolation::Routed; // so that "network" creates something
    BoxJob *job = m_backend->deploy(spec);
    bool sawStep = false;
    connect(job, &BoxJob::stepStarted, this, [&](const QString &s) {
        if (s == step) {
            sawStep = true;
            job->cancel();
        }
    });
    const auto r = runJob(job);
    QVERIFY(sawStep);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind(), Error::Kind::Cancelled);
    QVERIFY2(r.error().context().startsWith(QStringLiteral("deploy %1: %2").arg(name, step)),
             qPrintable(r.error().toString()));
    QCOMPARE(objectsOf(name), QStringList());
}

void tst_Deploy::hostileSpecsCreateNothing_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::newRow("name shell") << "name"
                                << "box;rm -rf /";
    QTest::newRow("name path") << "name"
                               << "../../etc";
    QTest::newRow("subdomain traefik rule") << "subdomain"
                                            << "x`) || HostRegexp(`.+";
    QTest::newRow("subdomain dot") << "subdomain"
                                   << "a.b";
    QTest::newRow("subdomain reserved") << "subdomain"
                                        << "traefik";
    QTest::newRow("owner newline") << "owner"
                                   << "a@b.c\nx=y";
    QTest::newRow("image injection") << "image"
                                     << "busybox; docker run --privileged";
    QTest::newRow("env key") << "env"
                             << "A B";
    QTest::newRow("secret name") << "secret"
                                 << "../../etc/shadow";
    QTest::newRow("egress") << "egress"
                            << "../../secret";
    // Switching the box image's protections off from the spec (a C++-built spec, as the
    // GUI's form makes one, goes through the same validate()).
    QTest::newRow("code-server auth off") << "env"
                                          << "BOX_CODE_SERVER_AUTH";
    QTest::newRow("agent on all interfaces") << "env"
                                             << "BOX_AGENT_BIND";
    QTest::newRow("dev sshd") << "env"
                              << "BOX_DEV_SSH";
    QTest::newRow("code-server password") << "env"
                                          << "PASSWORD";
    QTest::newRow("proxy") << "env"
                           << "HTTPS_PROXY";
    QTest::newRow("provider key as secret") << "secret"
                                            << "ANTHROPIC_API_KEY";
    QTest::newRow("store key as secret") << "secret"
                                         << "coolify-token";
}

void tst_Deploy::hostileSpecsCreateNothing()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    const QString name = uniqueName(QStringLiteral("bxh"));
    auto spec = agentSpec(name);
    if (field == QLatin1String("name"))
        spec.name = value;
    else if (field == QLatin1String("subdomain"))
        spec.subdomain = value;
    else if (field == QLatin1String("owner"))
        spec.owner = value;
    else if (field == QLatin1String("image"))
        spec.image = value;
    else if (field == QLatin1String("env"))
        spec.env.insert(value, QStringLiteral("1"));
    else if (field == QLatin1String("secret"))
        spec.secrets = {value};
    else if (field == QLatin1String("egress"))
        spec.egress = value;
    // Also the JSON route must refuse it.
    QVERIFY(!security::BoxSpec::fromJsonText(QByteArray::fromStdString(spec.toJson().dump())).ok());
    const auto r = runJob(m_backend->deploy(spec));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind(), Error::Kind::Invalid);
    QVERIFY2(r.error().context().contains(QLatin1String(": validate")),
             qPrintable(r.error().toString()));
    // The message names the field.
    const QString fieldName = field == QLatin1String("secret") ? QStringLiteral("secrets[0]: ")
                              : field == QLatin1String("env")  ? QStringLiteral("env.")
                                                               : field + QStringLiteral(": ");
    QVERIFY2(r.error().message().startsWith(fieldName), qPrintable(r.error().message()));
    QCOMPARE(objectsOf(name), QStringList());
    const QString all =
        runDocker({QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--filter"),
                   QStringLiteral("label=box-console.owner=tester@example.com")});
    QCOMPARE(all, QString());
}

void tst_Deploy::auditReportsWeakenedContainer()
{
    const QString name = uniqueName(QStringLiteral("bxw"));
    // What someone might recreate by hand: privileged, extra capability, writable root,
    // a host path, no limits.
    int code = 0;
    QString err;
    // Created, not started: this sandbox may refuse to start privileged containers, and the
    // audit reads the configuration.
    runDocker({QStringLiteral("create"), QStringLiteral("--label"), testLabel(),
               QStringLiteral("--label"), QStringLiteral("box-console.box=") + name,
               QStringLiteral("--name"), name, QStringLiteral("--privileged"),
               QStringLiteral("--cap-add"), QStringLiteral("SYS_ADMIN"), QStringLiteral("-v"),
               QStringLiteral("/etc:/host-etc"), testImage(), QStringLiteral("sleep"),
               QStringLiteral("600")},
              &code, &err);
    QVERIFY2(code == 0, qPrintable(err));
    const auto inspected = bc::test::await(m_backend->inspect(name));
    QVERIFY(inspected.ok());
    security::AuditOptions ao;
    ao.appArmorAvailable = false;
    const auto findings = security::PostureAudit::audit(inspected->raw, ao);
    QStringList all;
    for (const auto &f : findings)
        all << f.id + QLatin1Char(' ') + f.title + QLatin1Char(' ') + f.detail;
    const QString text = all.join(QLatin1Char('\n'));
    qInfo("%s", qPrintable(text));
    QVERIFY(security::PostureAudit::hasHighSeverity(findings));
    QVERIFY2(text.contains(QLatin1String("rivileged")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("SYS_ADMIN")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("/etc")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("read-only"), Qt::CaseInsensitive) ||
                 text.contains(QLatin1String("ReadonlyRootfs")),
             qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("emory"), Qt::CaseInsensitive), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("PidsLimit")) ||
                 text.contains(QLatin1String("pids"), Qt::CaseInsensitive),
             qPrintable(text));
}

void tst_Deploy::listStatusLogsStartStop()
{
    const QString name = uniqueName(QStringLiteral("bxl"));
    QVERIFY(runJob(m_backend->deploy(agentSpec(name))).ok());
    const auto list = bc::test::await(m_backend->list());
    QVERIFY(list.ok());
    bool found = false;
    for (const BoxInfo &b : list.value()) {
        if (b.name != name)
            continue;
        found = true;
        QCOMPARE(b.state, BoxInfo::State::Running);
        QCOMPARE(b.health, BoxInfo::Health::Healthy);
        QCOMPARE(b.owner, QStringLiteral("tester@example.com"));
        QCOMPARE(b.backendKind, QStringLiteral("docker"));
        QVERIFY(b.createdAt.isValid());
    }
    QVERIFY(found);
    QVERIFY(bc::test::await(m_backend->stop(name)).ok());
    auto st = bc::test::await(m_backend->status(name));
    QVERIFY(st.ok());
    QCOMPARE(st->state, BoxInfo::State::Exited);
    QVERIFY(bc::test::await(m_backend->start(name)).ok());
    QVERIFY(bc::test::await(m_backend->restart(name)).ok());
    st = bc::test::await(m_backend->status(name));
    QCOMPARE(st->state, BoxInfo::State::Running);
    QVERIFY(st->startedAt.isValid());
    const auto logs = bc::test::await(m_backend->recentLogs(name, 10));
    QVERIFY2(logs.ok(), qPrintable(logs.ok() ? QString() : logs.error().toString()));
    QVERIFY(!bc::test::await(m_backend->status(QStringLiteral("no-such-box-xyz"))).ok());
    QVERIFY(runJob(m_backend->remove(name, false)).ok());
}

void tst_Deploy::eventsPushChanges()
{
    DockerBackend watched(http::Endpoint{}, testOptions());
    QList<BoxInfo> changes;
    QStringList removed;
    connect(&watched, &BoxBackend::boxChanged, this, [&](const BoxInfo &b) { changes << b; });
    connect(&watched, &BoxBackend::boxRemoved, this,
            [&](const QString &, const QString &id) { removed << id; });
    QTRY_VERIFY_WITH_TIMEOUT(watched.isConnected(), 10000);
    const QString name = uniqueName(QStringLiteral("bxe"));
    const auto r = runJob(m_backend->deploy(agentSpec(name)));
    QVERIFY(r.ok());
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(changes.cbegin(), changes.cend(),
                                         [&](const BoxInfo &b) {
                                             return b.name == name &&
                                                    b.health == BoxInfo::Health::Healthy;
                                         }),
                             10000);
    QVERIFY(runJob(m_backend->remove(name, false)).ok());
    QTRY_VERIFY_WITH_TIMEOUT(removed.contains(r->id), 10000);
}

QTEST_GUILESS_MAIN(tst_Deploy)
#include "tst_deploy.moc"
