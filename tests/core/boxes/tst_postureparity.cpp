// ctest: labels=docker;coolify timeout=300
#include "boxtestsupport.h"

#include "core/boxes/boxsecrets.h"
#include "core/boxes/coolifybackend.h"
#include "core/boxes/dockerbackend.h"
#include "core/docker/dockerclient.h"
#include "core/security/egresslayout.h"
#include "core/infra/egresspolicy.h"
#include "core/security/hardeningprofile.h"
#include "core/security/postureaudit.h"
#include "support/coolify/composeinspect.h"
#include "support/coolify/fakecoolify.h"
#include "support/testutil.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>

using namespace bc;
using namespace bc::boxes;
using namespace bc::test;
using namespace bc::test::boxes;
using nlohmann::json;

// The same spec deployed on a real engine through DockerBackend and on (the fake) Coolify,
// whose stored compose is what Coolify deploys: each profile field reads the same in both
// containers' inspect data, and the posture audit finds the same on both. What Coolify
// cannot enforce (a routed box) is refused there with the reason.
class tst_PostureParity : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void conversionIsComplete();
    void fields_data();
    void fields();
    void volumeNamesAreTheBoxNames();
    void auditsAgree();
    void egressMount_data();
    void egressMount();
    void routedDeploysOnDockerIsRefusedOnCoolify();

private:
    json coolifyInspect(const QString &serviceUuid, const QString &box);

    EngineSuite m_suite;
    std::unique_ptr<DockerBackend> m_docker;
    FakeCoolify m_fake;
    QTemporaryDir m_home;
    QTemporaryDir m_egressRoot;
    QString m_box;
    QString m_coolifyUuid;
    json m_dockerSide;
    json m_coolifySide;
    json m_dockerEgress;
    json m_coolifyEgress;
    QStringList m_extraContainers;
    QStringList m_extraVolumes;
    security::AuditOptions m_auditOptions;
};

static json inspect(const QString &what)
{
    const json j =
        json::parse(runDocker({QStringLiteral("inspect"), what}).toStdString(), nullptr, false);
    return j.is_array() && !j.empty() ? j[0] : json();
}

static json toJson(const QJsonValue &v)
{
    return json::parse(QJsonDocument(v.toObject()).toJson().toStdString());
}

json tst_PostureParity::coolifyInspect(const QString &serviceUuid, const QString &box)
{
    const QJsonObject state = m_fake.inspect(QStringLiteral("state")).object();
    const QJsonObject svc =
        state.value(QStringLiteral("services")).toObject().value(serviceUuid).toObject();
    QMap<QString, QString> dotEnv;
    for (const QJsonValue &e :
         state.value(QStringLiteral("service_envs")).toObject().value(serviceUuid).toArray())
        dotEnv.insert(e.toObject().value(QStringLiteral("key")).toString(),
                      e.toObject().value(QStringLiteral("value")).toString());
    // The engine decides the AppArmor profile, not the compose: take the one this engine
    // gave the Docker-side box, as the Coolify server's engine would give its own.
    json defaults = json::object();
    defaults["AppArmorProfile"] = m_dockerSide.value("AppArmorProfile", std::string());
    return composeServiceToInspect(toJson(svc.value(QStringLiteral("_docker_compose"))), box,
                                   dotEnv, defaults);
}

void tst_PostureParity::initTestCase()
{
    if (!dockerAvailable())
        QSKIP("no Docker engine");
    const QString error = m_suite.setUp();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
    qputenv("BOX_SECRET_STORE", "file");
    QVERIFY(m_fake.start());
    // The same fleet default on both backends, under the box's own idle stop.
    FleetRules fleet;
    fleet.policyDefault.maxLifetimeSecs = 8 * 3600;
    fleet.policyDefault.idleStopSecs = 3600;
    DeployOptions options = testOptions();
    options.fleet = fleet;
    m_docker = std::make_unique<DockerBackend>(http::Endpoint{}, options);

    m_box = uniqueName(QStringLiteral("bxp"));
    security::BoxSpec spec = agentSpec(m_box);
    spec.env.insert(QStringLiteral("EDITOR"), QStringLiteral("vi"));
    spec.policy.idleStopSecs = 1800;
    auto docker = runJob(m_docker->deploy(spec));
    QVERIFY_RESULT(docker);
    m_dockerSide = inspect(m_box);
    QVERIFY(m_dockerSide.is_object());

    CoolifyBackend coolify(m_fake.config(QStringLiteral("5|rwd")));
    coolify.setFleetRules(fleet);
    auto onCoolify = runJob(coolify.deploy(spec));
    QVERIFY_RESULT(onCoolify);
    m_coolifyUuid = onCoolify->id;
    m_coolifySide = coolifyInspect(m_coolifyUuid, m_box);

    const QString apparmor =
        QString::fromStdString(m_dockerSide.value("AppArmorProfile", std::string()));
    m_auditOptions.appArmorAvailable = !apparmor.isEmpty();

    // Egress: a Docker deploy with egress needs a running proxy to grant the box's
    // sockets, so the Docker side is the profile's own create body for the box's socket
    // directory, created on the engine; the Coolify side is a deploy with the same
    // directory as its egress socket root.
    const QString egressBox = uniqueName(QStringLiteral("bxq"));
    const QString socketDir = security::EgressLayout::boxSocketDir(m_egressRoot.path(), egressBox);
    QVERIFY(QDir().mkpath(socketDir));
    security::BoxSpec egressSpec = agentSpec(egressBox);
    egressSpec.egress = QStringLiteral("anthropic");
    security::CreateContext ctx;
    ctx.proxySocketDir = socketDir;
    ctx.extraLabels.insert(QStringLiteral("box-console.test"), QStringLiteral("1"));
    const json body = security::HardeningProfile().createBody(egressSpec, ctx);
    QVERIFY_RESULT(security::HardeningProfile::validateCreateBody(body));
    docker::DockerClient client(http::Endpoint{});
    auto created = await(client.createContainer(egressBox, body));
    QVERIFY_RESULT(created);
    m_extraContainers << egressBox;
    m_extraVolumes << security::HardeningProfile::volumeNames(egressBox);
    m_dockerEgress = inspect(egressBox);

    const QString policyFile = m_home.filePath(QStringLiteral("policy.json"));
    QFile f(policyFile);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray::fromStdString(infra::EgressPolicy::defaultPolicy().toJson().dump()));
    f.close();
    coolify::CoolifyConfig withEgress = m_fake.config(QStringLiteral("5|rwd"));
    withEgress.egressSocketRoot = m_egressRoot.path();
    withEgress.egressPolicyFile = policyFile;
    CoolifyBackend coolifyEgress(withEgress);
    auto egressOnCoolify = runJob(coolifyEgress.deploy(egressSpec));
    QVERIFY_RESULT(egressOnCoolify);
    m_coolifyEgress = coolifyInspect(egressOnCoolify->id, egressBox);
}

void tst_PostureParity::cleanupTestCase()
{
    m_docker.reset();
    for (const QString &c : std::as_const(m_extraContainers))
        runDocker({QStringLiteral("rm"), QStringLiteral("-f"), c});
    for (const QString &v : std::as_const(m_extraVolumes))
        runDocker({QStringLiteral("volume"), QStringLiteral("rm"), QStringLiteral("-f"), v});
    removeLabelled();
    m_fake.stop();
}

void tst_PostureParity::conversionIsComplete()
{
    // Every key of the service Coolify deploys was turned into inspect data.
    QCOMPARE(m_coolifySide.value("Unconverted", json::array()), json::array());
    QCOMPARE(m_coolifyEgress.value("Unconverted", json::array()), json::array());
}

using Field = std::function<json(const json &)>;
Q_DECLARE_METATYPE(Field)

static const json &at(const json &j, std::initializer_list<const char *> path)
{
    static const json null;
    const json *cur = &j;
    for (const char *key : path) {
        if (!cur->is_object() || !cur->contains(key))
            return null;
        cur = &(*cur)[key];
    }
    return *cur;
}

static json sorted(json list)
{
    if (list.is_array())
        std::sort(list.begin(), list.end());
    return list;
}

static json mountsOf(const json &inspect, const std::string &type)
{
    json out = json::array();
    for (const json &m : at(inspect, {"Mounts"}))
        if (m.value("Type", std::string()) == type)
            out.push_back({{"Destination", m["Destination"]}, {"RW", m["RW"]}});
    return sorted(out);
}

void tst_PostureParity::fields_data()
{
    QTest::addColumn<Field>("field");
    auto host = [](const char *key) -> Field {
        return [key](const json &i) { return at(i, {"HostConfig", key}); };
    };
    QTest::newRow("user") << Field([](const json &i) { return at(i, {"Config", "User"}); });
    QTest::newRow("read-only root") << host("ReadonlyRootfs");
    QTest::newRow("privileged") << host("Privileged");
    QTest::newRow("cap drop") << Field([](const json &i) {
        return sorted(at(i, {"HostConfig", "CapDrop"}));
    });
    QTest::newRow("cap add") << Field([](const json &i) {
        const json &a = at(i, {"HostConfig", "CapAdd"});
        return a.is_null() ? json::array() : sorted(a);
    });
    QTest::newRow("no-new-privileges") << Field([](const json &i) {
        for (const json &o : at(i, {"HostConfig", "SecurityOpt"}))
            if (o.get<std::string>().rfind("no-new-privileges", 0) == 0)
                return json(o);
        return json();
    });
    // No seccomp= option: the engine's default profile applies on both.
    QTest::newRow("seccomp") << Field([](const json &i) {
        for (const json &o : at(i, {"HostConfig", "SecurityOpt"}))
            if (o.get<std::string>().rfind("seccomp", 0) == 0)
                return json(o);
        return json("engine default");
    });
    QTest::newRow("tmpfs noexec and size") << host("Tmpfs");
    QTest::newRow("pids") << host("PidsLimit");
    QTest::newRow("memory") << host("Memory");
    QTest::newRow("swap") << host("MemorySwap");
    QTest::newRow("cpus") << host("NanoCpus");
    QTest::newRow("cpu shares") << host("CpuShares");
    QTest::newRow("ulimits") << Field([](const json &i) {
        json out = json::array();
        for (const json &u : at(i, {"HostConfig", "Ulimits"}))
            out.push_back(u["Name"].get<std::string>() + "=" +
                          std::to_string(u["Soft"].get<qint64>()) + ":" +
                          std::to_string(u["Hard"].get<qint64>()));
        return sorted(out);
    });
    QTest::newRow("init") << host("Init");
    QTest::newRow("network mode") << host("NetworkMode");
    QTest::newRow("ipc") << host("IpcMode");
    QTest::newRow("restart policy") << Field([](const json &i) {
        const json &r = at(i, {"HostConfig", "RestartPolicy"});
        return json{r["Name"], r["MaximumRetryCount"]};
    });
    QTest::newRow("logging") << Field([](const json &i) {
        const json &l = at(i, {"HostConfig", "LogConfig"});
        return json{l["Type"], l["Config"]};
    });
    QTest::newRow("healthcheck") << Field([](const json &i) {
        const json &h = at(i, {"Config", "Healthcheck"});
        // The engine leaves a zero duration out of its inspect data.
        auto ns = [&h](const char *key) {
            return h.contains(key) && !h[key].is_null() ? h[key] : json(0);
        };
        return json{h["Test"], ns("Interval"), ns("Timeout"), ns("StartPeriod"), h["Retries"]};
    });
    QTest::newRow("image") << Field([](const json &i) { return at(i, {"Config", "Image"}); });
    QTest::newRow("volume mounts") << Field([](const json &i) { return mountsOf(i, "volume"); });
    QTest::newRow("host paths (none)") << Field([](const json &i) { return mountsOf(i, "bind"); });
    QTest::newRow("no docker socket") << Field([](const json &i) {
        for (const json &m : at(i, {"Mounts"}))
            if (m.value("Source", std::string()).find("docker.sock") != std::string::npos)
                return json(m["Source"]);
        return json("none");
    });
    // The spec's and the profile's variables; each backend adds only its own bookkeeping.
    QTest::newRow("environment") << Field([](const json &i) {
        json out = json::array();
        for (const json &e : at(i, {"Config", "Env"})) {
            const std::string s = e.get<std::string>();
            if (s.rfind("COOLIFY_", 0) != 0 && s.rfind("PATH=", 0) != 0)
                out.push_back(s);
        }
        return sorted(out);
    });
    // The profile's labels; deploy, role and test labels are the Docker backend's and the
    // test image's bookkeeping.
    QTest::newRow("box labels") << Field([](const json &i) {
        json out = json::object();
        const json &labels = at(i, {"Config", "Labels"});
        for (const char *key :
             {"box-console.box", "box-console.owner", "box-console.subdomain",
              "box-console.spec-hash", "box-console.isolation", "box-console.egress"})
            if (labels.contains(key))
                out[key] = labels[key];
        return out;
    });
    // The effective lifecycle policy the policy service acts on: the box's idle stop over
    // the fleet default's lifetime.
    QTest::newRow("policy labels") << Field([](const json &i) {
        json out = json::object();
        const json &labels = at(i, {"Config", "Labels"});
        for (const char *key :
             {"box-console.policy.idle-stop", "box-console.policy.max-lifetime",
              "box-console.policy.delete-after-stopped", "box-console.policy.source"})
            if (labels.contains(key))
                out[key] = labels[key];
        const json expected = {{"box-console.policy.idle-stop", "1800"},
                               {"box-console.policy.max-lifetime", "28800"},
                               {"box-console.policy.delete-after-stopped", "0"},
                               {"box-console.policy.source", "box"}};
        return out == expected ? out : json();
    });
}

void tst_PostureParity::fields()
{
    QFETCH(Field, field);
    const json docker = field(m_dockerSide);
    const json coolify = field(m_coolifySide);
    QVERIFY2(!docker.is_null(), "the field is missing on Docker");
    QVERIFY2(docker == coolify, qPrintable(QStringLiteral("Docker %1, Coolify %2")
                                               .arg(QString::fromStdString(docker.dump()),
                                                    QString::fromStdString(coolify.dump()))));
}

void tst_PostureParity::volumeNamesAreTheBoxNames()
{
    // Coolify names a service's volumes "<service uuid>_<name>" (parsers.php l.2254): the
    // box's derived names survive behind that prefix.
    QStringList docker;
    QStringList coolify;
    for (const json &m : at(m_dockerSide, {"Mounts"}))
        if (m["Type"] == "volume")
            docker << QString::fromStdString(m["Name"].get<std::string>());
    for (const json &m : at(m_coolifySide, {"Mounts"}))
        if (m["Type"] == "volume")
            coolify << QString::fromStdString(m["Name"].get<std::string>())
                           .remove(m_coolifyUuid + QLatin1Char('_'));
    docker.sort();
    coolify.sort();
    QStringList expected = security::HardeningProfile::volumeNames(m_box);
    expected.sort();
    QCOMPARE(docker, expected);
    QCOMPARE(coolify, expected);
}

void tst_PostureParity::auditsAgree()
{
    const QList<security::Finding> docker =
        security::PostureAudit::audit(m_dockerSide, m_auditOptions);
    const QList<security::Finding> coolify =
        security::PostureAudit::audit(m_coolifySide, m_auditOptions);
    QStringList dockerIds;
    QStringList coolifyIds;
    for (const auto &f : docker)
        dockerIds << f.id + QLatin1Char(' ') + f.title;
    for (const auto &f : coolify)
        coolifyIds << f.id + QLatin1Char(' ') + f.title;
    dockerIds.sort();
    coolifyIds.sort();
    QCOMPARE(coolifyIds, dockerIds);
    QVERIFY(!security::PostureAudit::hasHighSeverity(coolify));
}

void tst_PostureParity::egressMount_data()
{
    QTest::addColumn<QString>("what");
    QTest::newRow("egress mount") << "mount";
    QTest::newRow("egress audit") << "audit";
}

void tst_PostureParity::egressMount()
{
    QFETCH(QString, what);
    if (what == QLatin1String("mount")) {
        const json docker = at(m_dockerEgress, {"Mounts"});
        auto bindOf = [](const json &mounts) {
            for (const json &m : mounts)
                if (m.value("Type", std::string()) == "bind")
                    return json{m["Source"], m["Destination"], m["RW"]};
            return json();
        };
        QVERIFY(!bindOf(docker).is_null());
        QCOMPARE(bindOf(at(m_coolifyEgress, {"Mounts"})), bindOf(docker));
        QCOMPARE(bindOf(docker)[1], json(security::HardeningProfile::ProxySocketTarget));
        QCOMPARE(bindOf(docker)[2], json(false));
        return;
    }
    const security::AuditOptions o = m_auditOptions;
    QStringList docker;
    QStringList coolify;
    for (const auto &f : security::PostureAudit::audit(m_dockerEgress, o))
        docker << f.id;
    for (const auto &f : security::PostureAudit::audit(m_coolifyEgress, o))
        coolify << f.id;
    docker.sort();
    coolify.sort();
    QCOMPARE(coolify, docker);
    QVERIFY(!docker.contains(QStringLiteral("BOX-HOST-PATH")));
}

void tst_PostureParity::routedDeploysOnDockerIsRefusedOnCoolify()
{
    const QString name = uniqueName(QStringLiteral("bxr"));
    security::BoxSpec spec = agentSpec(name);
    spec.isolation = security::BoxSpec::Isolation::Routed;
    auto docker = runJob(m_docker->deploy(spec));
    QVERIFY_RESULT(docker);
    QCOMPARE(at(inspect(name), {"HostConfig", "NetworkMode"}),
             json(security::HardeningProfile::networkName(name).toStdString()));

    const int before = m_fake.requestCount();
    CoolifyBackend coolify(m_fake.config(QStringLiteral("5|rwd")));
    auto refused = runJob(coolify.deploy(spec));
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().kind(), Error::Kind::Invalid);
    QVERIFY2(refused.error().message().contains(QStringLiteral("routed")) &&
                 refused.error().message().contains(QStringLiteral("coolify-proxy")),
             qPrintable(refused.error().toString()));
    QCOMPARE(m_fake.requestCount(), before);
}

QTEST_GUILESS_MAIN(tst_PostureParity)
#include "tst_postureparity.moc"
