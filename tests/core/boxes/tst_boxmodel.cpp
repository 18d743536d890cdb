#include "core/boxes/backendfactory.h"
#include "core/boxes/boxcreatebody.h"
#include "core/boxes/boxinfojson.h"
#include "core/boxes/consolesettings.h"
#include "core/boxes/deployjournal.h"
#include "core/boxes/dockerboxinfo.h"
#include "core/security/hardeningprofile.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace bc;
using namespace bc::boxes;
using nlohmann::json;

// Engine-free parts of the box layer: settings precedence, the factory's choices, Docker
// words -> BoxInfo, the journal, and the create body additions (routed, dev).
class tst_BoxModel : public QObject
{
    Q_OBJECT

private slots:
    void init() { qunsetenv("DEPLOY_MODE"); }
    void deployModePrecedence();
    void settingsDefaults();
    void factoryModes();
    void parseEndpoint();
    void dockerWords();
    void fromSummary();
    void journal();
    void createBodyRouted();
    void createBodyDev();
    void createBodyRejectsWeakening();
    void jsonShape();
};

void tst_BoxModel::deployModePrecedence()
{
    QTemporaryDir dir;
    ConsoleSettings s(dir.filePath(QStringLiteral("s.ini")));
    QCOMPARE(s.deployMode(), QStringLiteral("coolify"));
    QCOMPARE(s.deployModeSource(), QStringLiteral("default"));
    qputenv("DEPLOY_MODE", "docker");
    QCOMPARE(s.deployMode(), QStringLiteral("docker"));
    QCOMPARE(s.deployModeSource(), QStringLiteral("environment"));
    qputenv("DEPLOY_MODE", "bogus");
    QCOMPARE(s.deployMode(), QStringLiteral("coolify"));
    qputenv("DEPLOY_MODE", "docker");
    s.setDeployMode(QStringLiteral("docker-dev"));
    QCOMPARE(s.deployMode(), QStringLiteral("docker-dev"));
    QCOMPARE(s.deployModeSource(), QStringLiteral("setting"));
    BackendFactory f(s, {QStringLiteral("coolify"), {}, {}, {}});
    QCOMPARE(f.deployMode(), QStringLiteral("coolify")); // --backend wins
    BackendFactory g(s);
    QCOMPARE(g.deployMode(), QStringLiteral("docker-dev"));
    s.setDeployMode({});
    QCOMPARE(s.deployMode(), QStringLiteral("docker"));
}

void tst_BoxModel::settingsDefaults()
{
    QTemporaryDir dir;
    ConsoleSettings s(dir.filePath(QStringLiteral("s.ini")));
    QCOMPARE(s.statsIntervalMs(), 2000);
    QCOMPARE(s.resyncIntervalMs(), 30000);
    QCOMPARE(s.healthTimeoutMs(), 120000);
    QVERIFY(s.dockerEndpoints().isEmpty());
    s.setDockerEndpoints({QStringLiteral("unix:///var/run/docker.sock"),
                          QStringLiteral(" tcp://h:2375 "),
                          QStringLiteral("unix:///var/run/docker.sock")});
    QCOMPARE(s.dockerEndpoints().size(), 2);
    s.setStatsIntervalMs(0);
    QCOMPARE(s.statsIntervalMs(), 0);
    s.setResyncIntervalMs(-5);
    QCOMPARE(s.resyncIntervalMs(), 30000);
    s.setTraefikContainer(QStringLiteral("traefik"));
    s.setTraefikDomain(QStringLiteral("boxes.example.com"));
    s.sync();
    ConsoleSettings again(dir.filePath(QStringLiteral("s.ini")));
    QCOMPARE(again.traefikDomain(), QStringLiteral("boxes.example.com"));
    BackendFactory f(again);
    QCOMPARE(f.deployOptions().traefikContainer, QStringLiteral("traefik"));
}

void tst_BoxModel::factoryModes()
{
    QTemporaryDir dir;
    ConsoleSettings s(dir.filePath(QStringLiteral("s.ini")));
    s.setDockerEndpoints({QStringLiteral("unix:///tmp/nowhere.sock")});
    QObject owner;
    BackendFactory f(s);
    auto docker = f.createForMode(QStringLiteral("docker"), &owner);
    QVERIFY(docker.ok());
    QCOMPARE(docker.value()->kind(), QStringLiteral("docker"));
    QCOMPARE(docker.value()->displayHost(), QStringLiteral("unix:///tmp/nowhere.sock"));
    auto dev = f.createForMode(QStringLiteral("docker-dev"), &owner);
    QVERIFY(dev.ok());
    QCOMPARE(dev.value()->kind(), QStringLiteral("docker-dev"));
    QVERIFY(dev.value()->id() != docker.value()->id());
    QVERIFY(!f.createForMode(QStringLiteral("kubernetes"), &owner).ok());
    QStringList warnings;
    BackendFactory onlyDocker(s, {QStringLiteral("docker"), {}, {}, {}});
    const auto all = onlyDocker.createAll(&owner, &warnings);
    QCOMPARE(all.size(), 1);
    QCOMPARE(all.first()->kind(), QStringLiteral("docker"));
}

void tst_BoxModel::parseEndpoint()
{
    auto u = BackendFactory::parseEndpoint(QStringLiteral("unix:///var/run/docker.sock"));
    QVERIFY(u.ok());
    QCOMPARE(u->transport, http::Endpoint::Transport::Unix);
    auto t = BackendFactory::parseEndpoint(QStringLiteral("tcp://10.0.0.5:2376"));
    QVERIFY(t.ok());
    QCOMPARE(t->transport, http::Endpoint::Transport::Tcp);
    QCOMPARE(t->port, quint16(2376));
    auto s = BackendFactory::parseEndpoint(QStringLiteral("ssh://me@host"));
    QVERIFY(s.ok());
    QCOMPARE(s->transport, http::Endpoint::Transport::Ssh);
    QVERIFY(!BackendFactory::parseEndpoint(QStringLiteral("ftp://x")).ok());
}

void tst_BoxModel::dockerWords()
{
    using S = BoxInfo::State;
    using H = BoxInfo::Health;
    QCOMPARE(dockerinfo::parseState(QStringLiteral("running")), S::Running);
    QCOMPARE(dockerinfo::parseState(QStringLiteral("exited")), S::Exited);
    QCOMPARE(dockerinfo::parseState(QStringLiteral("removing")), S::Removing);
    QCOMPARE(dockerinfo::parseState(QStringLiteral("weird")), S::Unknown);
    QCOMPARE(dockerinfo::healthFromStatus(QStringLiteral("Up 3 minutes (healthy)")), H::Healthy);
    QCOMPARE(dockerinfo::healthFromStatus(QStringLiteral("Up 1 second (health: starting)")),
             H::Starting);
    QCOMPARE(dockerinfo::healthFromStatus(QStringLiteral("Up 2 hours (unhealthy)")), H::Unhealthy);
    QCOMPARE(dockerinfo::healthFromStatus(QStringLiteral("Up 2 hours")), H::None);
    QCOMPARE(dockerinfo::parseHealth(QStringLiteral("healthy")), H::Healthy);
    QCOMPARE(dockerinfo::parseHealth(QString()), H::None);
    QCOMPARE(dockerinfo::parseHealth(QStringLiteral("new-thing")), H::Unknown);
}

void tst_BoxModel::fromSummary()
{
    docker::ContainerSummary c;
    c.id = QStringLiteral("abc");
    c.names = {QStringLiteral("box-a")};
    c.image = QStringLiteral("img");
    c.state = QStringLiteral("running");
    c.status = QStringLiteral("Up 5 minutes (healthy)");
    c.created = 1700000000;
    c.labels = {{QStringLiteral("box-console.box"), QStringLiteral("box-a")},
                {QStringLiteral("box-console.owner"), QStringLiteral("ann")},
                {QStringLiteral("box-console.subdomain"), QStringLiteral("a")}};
    BoxInfo base;
    base.backendId = QStringLiteral("docker:x");
    const BoxInfo b = dockerinfo::fromSummary(c, base);
    QCOMPARE(b.key(), QStringLiteral("docker:x/abc"));
    QCOMPARE(b.owner, QStringLiteral("ann"));
    QCOMPARE(b.subdomain, QStringLiteral("a"));
    QCOMPARE(b.health, BoxInfo::Health::Healthy);
    QCOMPARE(b.createdAt.toSecsSinceEpoch(), 1700000000);
    c.state = QStringLiteral("exited");
    QCOMPARE(dockerinfo::fromSummary(c, base).health, BoxInfo::Health::None);

    docker::ContainerInspect i;
    i.id = QStringLiteral("abc");
    i.name = QStringLiteral("box-a");
    i.state = QStringLiteral("exited");
    i.exitCode = 137;
    i.oomKilled = true;
    const BoxInfo x = dockerinfo::fromInspect(i, base);
    QCOMPARE(x.state, BoxInfo::State::Exited);
    QVERIFY(x.statusText.contains(QLatin1String("137")));
    QVERIFY(x.statusText.contains(QLatin1String("OOM")));
}

void tst_BoxModel::journal()
{
    QTemporaryDir dir;
    DeployJournal j(dir.path());
    QVERIFY(j.read(QStringLiteral("unix:///s"), QStringLiteral("b")).isEmpty());
    DeployJournal::Entry e;
    e.deployId = QStringLiteral("d1");
    e.endpoint = QStringLiteral("unix:///s");
    e.box = QStringLiteral("b");
    e.containers = {QStringLiteral("c1")};
    e.volumes = {QStringLiteral("b-config")};
    QVERIFY(j.write(e));
    const auto back = j.read(QStringLiteral("unix:///s"), QStringLiteral("b"));
    QCOMPARE(back.containers, QStringList{QStringLiteral("c1")});
    QCOMPARE(back.volumes, QStringList{QStringLiteral("b-config")});
    QCOMPARE(j.all().size(), 1);
    QVERIFY(j.read(QStringLiteral("unix:///other"), QStringLiteral("b")).isEmpty());
    e.containers.clear();
    e.volumes.clear();
    QVERIFY(j.write(e)); // empty = removed
    QVERIFY(j.all().isEmpty());
}

static security::BoxSpec spec()
{
    security::BoxSpec s;
    s.name = QStringLiteral("box-a");
    s.subdomain = QStringLiteral("alpha");
    s.owner = QStringLiteral("ann@example.com");
    s.image = QStringLiteral("img:1");
    return s;
}

void tst_BoxModel::createBodyRouted()
{
    auto s = spec();
    s.isolation = security::BoxSpec::Isolation::Routed;
    DeployOptions o;
    o.traefikDomain = QStringLiteral("boxes.example.com");
    CreateInputs in;
    in.image = s.image;
    in.networkName = QStringLiteral("box-a-net");
    in.labels = {{QStringLiteral("box-console.deploy"), QStringLiteral("d1")},
                 {QStringLiteral("box-console.box"), QStringLiteral("evil")}};
    const auto body = boxCreateBody(s, o, in);
    QVERIFY2(body.ok(), qPrintable(body.ok() ? QString() : body.error().toString()));
    const json &b = body.value();
    QCOMPARE(b["HostConfig"]["NetworkMode"], json("box-a-net"));
    QCOMPARE(b["Labels"]["box-console.deploy"], json("d1"));
    QCOMPARE(b["Labels"]["box-console.box"], json("box-a")); // the profile's labels win
    bool rule = false;
    for (auto it = b["Labels"].begin(); it != b["Labels"].end(); ++it)
        if (it.key().find(".rule") != std::string::npos)
            rule = it.value() == json("Host(`alpha.boxes.example.com`)");
    QVERIFY(rule);
    QCOMPARE(b["HostConfig"]["CapDrop"], json::array({"ALL"}));
}

void tst_BoxModel::createBodyDev()
{
    auto s = spec();
    DeployOptions o;
    o.dev = true;
    CreateInputs in;
    in.image = s.image;
    in.networkName = o.devNetwork;
    in.devPortOffset = 1;
    const auto body = boxCreateBody(s, o, in);
    QVERIFY2(body.ok(), qPrintable(body.ok() ? QString() : body.error().toString()));
    const json &h = body.value()["HostConfig"];
    QCOMPARE(h["NetworkMode"], json("box-console-dev"));
    QCOMPARE(h["PortBindings"]["22/tcp"][0]["HostIp"], json("127.0.0.1"));
    QCOMPARE(h["PortBindings"]["22/tcp"][0]["HostPort"], json("2223"));
    QCOMPARE(h["PortBindings"]["8080/tcp"][0]["HostPort"], json("8081"));
    QCOMPARE(h["PortBindings"]["9999/tcp"][0]["HostPort"], json("10000"));
    QCOMPARE(h["ReadonlyRootfs"], json(true));
    QCOMPARE(h["CapDrop"], json::array({"ALL"}));
}

void tst_BoxModel::createBodyRejectsWeakening()
{
    auto s = spec();
    DeployOptions o;
    CreateInputs in;
    in.image = s.image;
    in.labels = {{QStringLiteral("bad\nlabel"), QStringLiteral("x")}};
    QVERIFY(!boxCreateBody(s, o, in).ok());
}

void tst_BoxModel::jsonShape()
{
    BoxInfo b;
    b.name = QStringLiteral("a");
    b.state = BoxInfo::State::Running;
    b.health = BoxInfo::Health::Healthy;
    const json j = boxInfoToJson(b);
    QCOMPARE(j["state"], json("running"));
    QCOMPARE(j["health"], json("healthy"));
    QVERIFY(j["cpuPercent"].is_null());
    QVERIFY(j["createdAt"].is_null());
}

QTEST_GUILESS_MAIN(tst_BoxModel)
#include "tst_boxmodel.moc"
