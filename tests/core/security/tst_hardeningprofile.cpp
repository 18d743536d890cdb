#include "core/security/hardeningprofile.h"

#include <QRandomGenerator>
#include <QTest>

#include <functional>
#include <set>

using namespace Qt::Literals::StringLiterals;
using bc::security::BoxSpec;
using bc::security::CreateContext;
using bc::security::HardeningProfile;
using nlohmann::json;

Q_DECLARE_METATYPE(std::function<void(json &)>)

// QCOMPARE cannot take nlohmann::json (its conversions confuse QTest's overloads).
#define JCOMPARE(actual, expected)                                                                 \
    do {                                                                                           \
        const json a_ = (actual);                                                                  \
        const json e_ = (expected);                                                                \
        QVERIFY2(a_ == e_, (a_.dump() + " != " + e_.dump()).c_str());                              \
    } while (false)

namespace {

BoxSpec spec(const json &extra = json::object())
{
    json j = {{"name", "box-alice"},
              {"subdomain", "alice"},
              {"owner", "alice@example.com"},
              {"image", "bctest/busybox:latest"}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        j[it.key()] = it.value();
    auto r = BoxSpec::fromJson(j);
    if (!r.ok())
        qFatal("bad test spec: %s", qPrintable(r.error().message()));
    return *r;
}

CreateContext context()
{
    CreateContext ctx;
    ctx.proxySocketDir = u"/run/egress/box-alice"_s;
    ctx.extraEnv.insert(u"ANTHROPIC_BASE_URL"_s, u"http://127.0.0.1:3128/anthropic"_s);
    return ctx;
}

QStringList strings(const json &a)
{
    QStringList out;
    for (const json &v : a)
        out << QString::fromStdString(v.get<std::string>());
    return out;
}

} // namespace

class tst_HardeningProfile final : public QObject
{
    Q_OBJECT
private slots:
    void isolatedBody()
    {
        const HardeningProfile profile;
        const BoxSpec s = spec({{"cpus", 1.5}, {"memory", "2g"}, {"pids", 100}});
        const json body = profile.createBody(s, context());

        JCOMPARE(body["Image"], "bctest/busybox:latest");
        JCOMPARE(body["User"], "1000:1000");
        QVERIFY(!body.contains("Cmd"));
        QVERIFY(!body.contains("Entrypoint"));

        const json &h = body["HostConfig"];
        JCOMPARE(h["Privileged"], false);
        JCOMPARE(h["CapDrop"], json::array({"ALL"}));
        QVERIFY(h["CapAdd"].empty());
        JCOMPARE(h["SecurityOpt"], json::array({"no-new-privileges:true"}));
        for (const json &opt : h["SecurityOpt"])
            QVERIFY(opt.get<std::string>().find("seccomp") == std::string::npos);
        JCOMPARE(h["ReadonlyRootfs"], true);
        JCOMPARE(h["Tmpfs"]["/tmp"], "rw,noexec,nosuid,nodev,size=100m");
        QVERIFY(h["Tmpfs"].contains("/home/coder/workspace"));
        QVERIFY(h["Tmpfs"]["/home/coder/workspace"].get<std::string>().find("uid=1000") !=
                std::string::npos);
        QCOMPARE(h["Memory"].get<qint64>(), 2LL << 30);
        QCOMPARE(h["MemorySwap"].get<qint64>(), 2LL << 30);
        QCOMPARE(h["NanoCpus"].get<qint64>(), 1500000000LL);
        QCOMPARE(h["CpuShares"].get<qint64>(), 1536);
        QCOMPARE(h["PidsLimit"].get<qint64>(), 100);
        JCOMPARE(h["Init"], true);
        JCOMPARE(h["NetworkMode"], "none");
        JCOMPARE(h["IpcMode"], "private");
        JCOMPARE(h["PidMode"], "");
        QVERIFY(h["Devices"].empty());
        JCOMPARE(h["RestartPolicy"]["Name"], "on-failure");
        QVERIFY(h["RestartPolicy"]["MaximumRetryCount"].get<int>() <= 5);
        JCOMPARE(h["LogConfig"]["Type"], "json-file");
        JCOMPARE(h["LogConfig"]["Config"]["max-size"], "10m");
        JCOMPARE(h["LogConfig"]["Config"]["max-file"], "3");
        QVERIFY(!h.contains("Binds"));
        QVERIFY(!h.contains("PortBindings"));

        QCOMPARE(h["Ulimits"].size(), std::size_t(2));
        JCOMPARE(h["Ulimits"][0]["Name"], "nofile");
        JCOMPARE(h["Ulimits"][0]["Soft"], 4096);
        JCOMPARE(h["Ulimits"][0]["Hard"], 8192);
        JCOMPARE(h["Ulimits"][1], json({{"Name", "core"}, {"Soft", 0}, {"Hard", 0}}));

        // Exactly three named volumes and the proxy socket directory, read-only.
        const json &mounts = h["Mounts"];
        QCOMPARE(mounts.size(), std::size_t(4));
        JCOMPARE(mounts[0], json({{"Type", "volume"},
                                  {"Source", "box-alice-config"},
                                  {"Target", "/home/coder/.config"},
                                  {"ReadOnly", false}}));
        JCOMPARE(mounts[1]["Source"], "box-alice-cache");
        JCOMPARE(mounts[1]["Target"], "/home/coder/.cache");
        JCOMPARE(mounts[2]["Source"], "box-alice-inbox");
        JCOMPARE(mounts[2]["Target"], "/home/coder/inbox");
        JCOMPARE(mounts[3]["Type"], "bind");
        JCOMPARE(mounts[3]["Source"], "/run/egress/box-alice");
        JCOMPARE(mounts[3]["Target"], "/run/egress");
        JCOMPARE(mounts[3]["ReadOnly"], true);
        QVERIFY(body.dump().find("docker.sock") == std::string::npos);

        const json &labels = body["Labels"];
        JCOMPARE(labels["box-console.box"], "box-alice");
        JCOMPARE(labels["box-console.owner"], "alice@example.com");
        JCOMPARE(labels["box-console.subdomain"], "alice");
        JCOMPARE(labels["box-console.spec-hash"], s.hash().toStdString());
        JCOMPARE(labels["box-console.isolation"], "isolated");

        const json &hc = body["Healthcheck"];
        JCOMPARE(hc["Test"][0], "CMD-SHELL");
        QVERIFY(hc["Test"][1].get<std::string>().find("http://127.0.0.1:9999/health") !=
                std::string::npos);
        QCOMPARE(hc["Interval"].get<qint64>(), 10000LL * 1000000);
        QCOMPARE(hc["Timeout"].get<qint64>(), 3000LL * 1000000);
        QCOMPARE(hc["StartPeriod"].get<qint64>(), 5000LL * 1000000);
        JCOMPARE(hc["Retries"], 3);

        const auto valid = HardeningProfile::validateCreateBody(body);
        QVERIFY2(valid.ok(), qPrintable(valid.ok() ? QString() : valid.error().message()));
    }

    void routedBody()
    {
        const HardeningProfile profile;
        const BoxSpec s = spec({{"isolation", "routed"}});
        CreateContext ctx = context();
        json body = profile.createBody(s, ctx);
        JCOMPARE(body["HostConfig"]["NetworkMode"], "box-alice-net");
        JCOMPARE(body["Labels"]["box-console.isolation"], "routed");
        ctx.networkName = u"bc-alice-internal"_s;
        body = profile.createBody(s, ctx);
        JCOMPARE(body["HostConfig"]["NetworkMode"], "bc-alice-internal");
        QVERIFY(HardeningProfile::validateCreateBody(body).ok());
    }

    void resourcesScale()
    {
        const HardeningProfile profile;
        const json h = profile.createBody(
            spec({{"cpus", 0.5}, {"memory", "512m"}, {"pids", 50}}))["HostConfig"];
        QCOMPARE(h["NanoCpus"].get<qint64>(), 500000000LL);
        QCOMPARE(h["CpuShares"].get<qint64>(), 512);
        QCOMPARE(h["Memory"].get<qint64>(), 512LL << 20);
        QCOMPARE(h["MemorySwap"].get<qint64>(), 512LL << 20);
        QCOMPARE(h["PidsLimit"].get<qint64>(), 50);
        // No proxy directory configured: no bind mount at all.
        for (const json &m : h["Mounts"])
            JCOMPARE(m["Type"], "volume");
    }

    void commandAndHealthcheck()
    {
        const HardeningProfile profile;
        CreateContext ctx = context();
        ctx.healthTest = HardeningProfile::busyboxHealthTest();
        json body = profile.createBody(spec({{"command", {"httpd", "-f", "-p", "9999"}}}), ctx);
        QCOMPARE(strings(body["Cmd"]), QStringList({u"httpd"_s, u"-f"_s, u"-p"_s, u"9999"_s}));
        QCOMPARE(strings(body["Healthcheck"]["Test"]), HardeningProfile::busyboxHealthTest());

        // The spec's own test wins over the context default, with its timings.
        body = profile.createBody(
            spec({{"healthcheck",
                   {{"test", {"CMD", "/bin/true"}}, {"interval", "1s"}, {"retries", 7}}}}),
            ctx);
        QCOMPARE(strings(body["Healthcheck"]["Test"]), QStringList({u"CMD"_s, u"/bin/true"_s}));
        QCOMPARE(body["Healthcheck"]["Interval"].get<qint64>(), 1000000000LL);
        JCOMPARE(body["Healthcheck"]["Retries"], 7);

        // Timings only: the default probe with the spec's timings.
        body = profile.createBody(spec({{"healthcheck", {{"interval", "500ms"}}}}), ctx);
        QCOMPARE(strings(body["Healthcheck"]["Test"]), HardeningProfile::busyboxHealthTest());
        QCOMPARE(body["Healthcheck"]["Interval"].get<qint64>(), 500000000LL);
        QVERIFY(HardeningProfile::validateCreateBody(body).ok());
    }

    void environmentAndLabels()
    {
        const HardeningProfile profile;
        CreateContext ctx = context();
        ctx.extraEnv.insert(u"TZ"_s, u"UTC"_s);
        ctx.extraEnv.insert(u"ANTHROPIC_API_KEY"_s, u"sk-ant-real"_s); // never reaches the box
        ctx.extraEnv.insert(u"RESEND_API_KEY"_s,
                            QLatin1String(HardeningProfile::CredentialPlaceholder));
        ctx.extraLabels.insert(u"traefik.enable"_s, u"true"_s);
        ctx.extraLabels.insert(u"box-console.owner"_s, u"mallory"_s); // identity labels win
        const json body =
            profile.createBody(spec({{"env", {{"TZ", "Europe/Berlin"}, {"EDITOR", "vi"}}}}), ctx);
        const QStringList env = strings(body["Env"]);
        QVERIFY(env.contains(u"TZ=UTC"_s));
        QVERIFY(env.contains(u"EDITOR=vi"_s));
        QVERIFY(env.contains(u"ANTHROPIC_BASE_URL=http://127.0.0.1:3128/anthropic"_s));
        QVERIFY(env.contains(u"RESEND_API_KEY=placeholder"_s));
        QVERIFY(body.dump().find("sk-ant-real") == std::string::npos);
        JCOMPARE(body["Labels"]["traefik.enable"], "true");
        JCOMPARE(body["Labels"]["box-console.owner"], "alice@example.com");
        QVERIFY(HardeningProfile::validateCreateBody(body).ok());
    }

    void loopbackPorts()
    {
        const HardeningProfile profile;
        CreateContext ctx = context();
        ctx.loopbackPorts = {{8080, 0}, {9999, 19999}};
        const json body = profile.createBody(spec({{"isolation", "routed"}}), ctx);
        QVERIFY(body["ExposedPorts"].contains("8080/tcp"));
        JCOMPARE(body["HostConfig"]["PortBindings"]["9999/tcp"][0]["HostIp"], "127.0.0.1");
        JCOMPARE(body["HostConfig"]["PortBindings"]["9999/tcp"][0]["HostPort"], "19999");
        QVERIFY(HardeningProfile::validateCreateBody(body).ok());
    }

    void tunables()
    {
        HardeningProfile profile;
        profile.setTmpSize(u"64m"_s);
        profile.setWorkspaceSize(u"2g"_s);
        profile.setNofile(1024, 2048);
        profile.setRestartRetries(5);
        const json h = profile.createBody(spec())["HostConfig"];
        JCOMPARE(h["Tmpfs"]["/tmp"], "rw,noexec,nosuid,nodev,size=64m");
        QVERIFY(h["Tmpfs"]["/home/coder/workspace"].get<std::string>().find("size=2g") !=
                std::string::npos);
        JCOMPARE(h["Ulimits"][0]["Soft"], 1024);
        JCOMPARE(h["RestartPolicy"]["MaximumRetryCount"], 5);
        QCOMPARE(HardeningProfile::volumeNames(u"b1"_s),
                 QStringList({u"b1-config"_s, u"b1-cache"_s, u"b1-inbox"_s}));
    }

    // Defence in depth: any weakening of a valid body is refused.
    void refusesWeakenedBodies_data()
    {
        QTest::addColumn<std::function<void(json &)>>("mutate");
        auto row = [](const char *name, std::function<void(json &)> f) {
            QTest::newRow(name) << f;
        };
        row("privileged", [](json &b) { b["HostConfig"]["Privileged"] = true; });
        row("cap add", [](json &b) { b["HostConfig"]["CapAdd"] = {"SYS_ADMIN"}; });
        row("cap drop partial", [](json &b) { b["HostConfig"]["CapDrop"] = {"NET_RAW"}; });
        row("cap drop missing", [](json &b) { b["HostConfig"].erase("CapDrop"); });
        row("seccomp unconfined",
            [](json &b) { b["HostConfig"]["SecurityOpt"].push_back("seccomp=unconfined"); });
        row("seccomp colon",
            [](json &b) { b["HostConfig"]["SecurityOpt"].push_back("seccomp:unconfined"); });
        row("apparmor unconfined",
            [](json &b) { b["HostConfig"]["SecurityOpt"].push_back("apparmor=unconfined"); });
        row("label disable",
            [](json &b) { b["HostConfig"]["SecurityOpt"].push_back("label=disable"); });
        row("nnp false",
            [](json &b) { b["HostConfig"]["SecurityOpt"] = {"no-new-privileges:false"}; });
        row("nnp missing", [](json &b) { b["HostConfig"]["SecurityOpt"] = json::array(); });
        row("writable root", [](json &b) { b["HostConfig"]["ReadonlyRootfs"] = false; });
        row("no memory", [](json &b) { b["HostConfig"]["Memory"] = 0; });
        row("swap unlimited", [](json &b) { b["HostConfig"]["MemorySwap"] = -1; });
        row("swap missing", [](json &b) { b["HostConfig"].erase("MemorySwap"); });
        row("no nanocpus", [](json &b) { b["HostConfig"]["NanoCpus"] = 0; });
        row("no shares", [](json &b) { b["HostConfig"].erase("CpuShares"); });
        row("no pids", [](json &b) { b["HostConfig"]["PidsLimit"] = -1; });
        row("no init", [](json &b) { b["HostConfig"]["Init"] = false; });
        row("oom disabled", [](json &b) { b["HostConfig"]["OomKillDisable"] = true; });
        row("no ulimits", [](json &b) { b["HostConfig"].erase("Ulimits"); });
        row("core ulimit", [](json &b) { b["HostConfig"]["Ulimits"][1]["Hard"] = -1; });
        row("network host", [](json &b) { b["HostConfig"]["NetworkMode"] = "host"; });
        row("network bridge", [](json &b) { b["HostConfig"]["NetworkMode"] = "bridge"; });
        row("network container", [](json &b) { b["HostConfig"]["NetworkMode"] = "container:x"; });
        row("pid host", [](json &b) { b["HostConfig"]["PidMode"] = "host"; });
        row("ipc host", [](json &b) { b["HostConfig"]["IpcMode"] = "host"; });
        row("ipc shareable", [](json &b) { b["HostConfig"]["IpcMode"] = "shareable"; });
        row("uts host", [](json &b) { b["HostConfig"]["UTSMode"] = "host"; });
        row("userns host", [](json &b) { b["HostConfig"]["UsernsMode"] = "host"; });
        row("devices", [](json &b) {
            b["HostConfig"]["Devices"] = {{{"PathOnHost", "/dev/kvm"},
                                           {"PathInContainer", "/dev/kvm"},
                                           {"CgroupPermissions", "rwm"}}};
        });
        row("device rules", [](json &b) { b["HostConfig"]["DeviceCgroupRules"] = {"c *:* rwm"}; });
        row("binds", [](json &b) { b["HostConfig"]["Binds"] = {"/tmp:/x"}; });
        row("volumes from", [](json &b) { b["HostConfig"]["VolumesFrom"] = {"other"}; });
        row("cgroup parent", [](json &b) { b["HostConfig"]["CgroupParent"] = "/system.slice"; });
        row("sysctls", [](json &b) { b["HostConfig"]["Sysctls"] = {{"kernel.shmmax", "1"}}; });
        row("publish all", [](json &b) { b["HostConfig"]["PublishAllPorts"] = true; });
        row("port on all interfaces", [](json &b) {
            b["HostConfig"]["PortBindings"] = {
                {"80/tcp", {{{"HostIp", ""}, {"HostPort", "18080"}}}}};
        });
        row("port on 0.0.0.0", [](json &b) {
            b["HostConfig"]["PortBindings"] = {
                {"80/tcp", {{{"HostIp", "0.0.0.0"}, {"HostPort", "80"}}}}};
        });
        row("restart always", [](json &b) {
            b["HostConfig"]["RestartPolicy"] = {{"Name", "always"}};
        });
        row("restart unlimited", [](json &b) {
            b["HostConfig"]["RestartPolicy"] = {{"Name", "on-failure"}, {"MaximumRetryCount", 0}};
        });
        row("restart 6", [](json &b) {
            b["HostConfig"]["RestartPolicy"] = {{"Name", "on-failure"}, {"MaximumRetryCount", 6}};
        });
        row("docker socket",
            [](json &b) { b["HostConfig"]["Mounts"][3]["Source"] = "/var/run/docker.sock"; });
        row("run dir", [](json &b) { b["HostConfig"]["Mounts"][3]["Source"] = "/var/run"; });
        row("etc", [](json &b) { b["HostConfig"]["Mounts"][3]["Source"] = "/etc"; });
        row("root", [](json &b) { b["HostConfig"]["Mounts"][3]["Source"] = "/"; });
        row("dotdot",
            [](json &b) { b["HostConfig"]["Mounts"][3]["Source"] = "/run/egress/../docker.sock"; });
        row("relative", [](json &b) { b["HostConfig"]["Mounts"][3]["Source"] = "run/egress"; });
        row("proxy rw", [](json &b) { b["HostConfig"]["Mounts"][3]["ReadOnly"] = false; });
        row("proxy other target",
            [](json &b) { b["HostConfig"]["Mounts"][3]["Target"] = "/home/coder/x"; });
        row("second bind",
            [](json &b) { b["HostConfig"]["Mounts"].push_back(b["HostConfig"]["Mounts"][3]); });
        row("propagation shared", [](json &b) {
            b["HostConfig"]["Mounts"][3]["BindOptions"]["Propagation"] = "rshared";
        });
        row("npipe", [](json &b) {
            b["HostConfig"]["Mounts"].push_back(
                {{"Type", "npipe"}, {"Source", "x"}, {"Target", "/y"}});
        });
        row("user root", [](json &b) { b["User"] = "root"; });
        row("user 0", [](json &b) { b["User"] = "0:0"; });
        row("user gid 0", [](json &b) { b["User"] = "1000:0"; });
        row("user empty", [](json &b) { b.erase("User"); });
        row("user name", [](json &b) { b["User"] = "coder"; });
        row("healthcheck none", [](json &b) { b["Healthcheck"]["Test"] = {"NONE"}; });
        row("healthcheck missing", [](json &b) { b.erase("Healthcheck"); });
        row("entrypoint", [](json &b) { b["Entrypoint"] = {"/bin/sh"}; });
        row("provider key", [](json &b) { b["Env"].push_back("ANTHROPIC_API_KEY=sk-ant-123"); });
        row("secrets writable", [](json &b) {
            b["HostConfig"]["Mounts"].push_back({{"Type", "volume"},
                                                 {"Source", "box-alice-secrets"},
                                                 {"Target", "/run/secrets"},
                                                 {"ReadOnly", false}});
        });
        row("env bad key", [](json &b) { b["Env"].push_back("A-B=1"); });
        row("label newline", [](json &b) { b["Labels"]["x"] = "a\nb"; });
        row("label bad key", [](json &b) { b["Labels"]["a b"] = "x"; });
        row("image hostile", [](json &b) { b["Image"] = "busybox;id"; });
        row("tmp exec", [](json &b) { b["HostConfig"]["Tmpfs"]["/tmp"] = "rw,exec,size=100m"; });
        row("tmp missing", [](json &b) { b["HostConfig"]["Tmpfs"].erase("/tmp"); });
        row("tmpfs root", [](json &b) { b["HostConfig"]["Tmpfs"]["/"] = "rw"; });
        row("tmpfs etc", [](json &b) { b["HostConfig"]["Tmpfs"]["/etc"] = "rw"; });
        row("tmpfs dotdot", [](json &b) { b["HostConfig"]["Tmpfs"]["/tmp/../etc"] = "rw"; });
        row("not object", [](json &b) { b = json::array(); });
        row("no hostconfig", [](json &b) { b.erase("HostConfig"); });
    }
    void refusesWeakenedBodies()
    {
        QFETCH(std::function<void(json &)>, mutate);
        const HardeningProfile profile;
        json body = profile.createBody(spec(), context());
        QVERIFY(HardeningProfile::validateCreateBody(body).ok());
        mutate(body);
        const auto r = HardeningProfile::validateCreateBody(body);
        QVERIFY2(!r.ok(), "weakened body accepted");
        QCOMPARE(r.error().kind(), bc::Error::Kind::Invalid);
        QVERIFY(!r.error().message().contains(u"sk-ant-123"_s));
    }

    // Whatever BoxSpec accepts must produce a body the profile check accepts: the spec
    // validation and the create-body check may never disagree.
    void everyAcceptedSpecYieldsAValidBody()
    {
        const std::string base = json({{"name", "box-a"},
                                       {"subdomain", "alice"},
                                       {"owner", "a@b.c"},
                                       {"image", "busybox:1"},
                                       {"cpus", 2.5},
                                       {"memory", "1g"},
                                       {"pids", 500},
                                       {"isolation", "routed"},
                                       {"env", {{"TZ", "UTC"}}},
                                       {"secrets", {"s1"}},
                                       {"egress", "p1"},
                                       {"healthcheck", {{"test", {"CMD", "true"}}, {"retries", 2}}},
                                       {"command", {"sh"}}})
                                     .dump();
        QRandomGenerator rng(20261128);
        const HardeningProfile profile;
        int accepted = 0;
        for (int i = 0; i < 20000; ++i) {
            std::string text = base;
            const int edits = 1 + int(rng.bounded(3));
            for (int e = 0; e < edits; ++e) {
                const auto pos = std::size_t(rng.bounded(int(text.size())));
                static const char alphabet[] = "aZ09-_.:/@`$();|&'\\\n\x01 {}[],\"";
                text[pos] = alphabet[rng.bounded(int(sizeof(alphabet) - 1))];
            }
            const auto r = BoxSpec::fromJsonText(QByteArray::fromStdString(text));
            if (!r.ok()) {
                QCOMPARE(r.error().kind(), bc::Error::Kind::Invalid);
                continue;
            }
            ++accepted;
            const json body = profile.createBody(*r, context());
            const auto valid = HardeningProfile::validateCreateBody(body);
            QVERIFY2(valid.ok(), qPrintable(QString::fromStdString(text) + u" -> "_s +
                                            valid.error().message()));
        }
        QVERIFY(accepted > 100);
    }

    // Malformed bodies (any node replaced by any JSON type) are refused, never thrown on.
    void survivesMalformedBodies()
    {
        const json body = HardeningProfile().createBody(spec(), context());
        std::set<std::string> pointers;
        const json flat = body.flatten();
        for (const auto &item : flat.items()) {
            json::json_pointer p(item.key());
            while (!p.empty()) {
                pointers.insert(p.to_string());
                p = p.parent_pointer();
            }
        }
        const json replacements[] = {
            nullptr, true, -1, 1.5, "x", json::array(), json::object(), json::array({1, "a"})};
        int refused = 0;
        for (const std::string &ptr : pointers) {
            for (const json &r : replacements) {
                json copy = body;
                copy[json::json_pointer(ptr)] = r;
                try {
                    if (!HardeningProfile::validateCreateBody(copy).ok())
                        ++refused;
                } catch (const std::exception &e) {
                    QFAIL(qPrintable(QString::fromStdString(ptr + ": " + e.what())));
                }
            }
        }
        QVERIFY(refused > int(pointers.size()));
    }
};

QTEST_GUILESS_MAIN(tst_HardeningProfile)
#include "tst_hardeningprofile.moc"
