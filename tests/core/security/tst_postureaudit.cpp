#include "core/security/hardeningprofile.h"
#include "core/security/postureaudit.h"

#include <QTest>

#include <functional>
#include <set>

using namespace Qt::Literals::StringLiterals;
using bc::security::AuditOptions;
using bc::security::BoxSpec;
using bc::security::CreateContext;
using bc::security::Finding;
using bc::security::HardeningProfile;
using bc::security::PostureAudit;
using nlohmann::json;

Q_DECLARE_METATYPE(std::function<void(json &)>)

namespace {

const char *const PinnedImage =
    "bctest/busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// What `docker inspect` reports for a container created from the profile's body: the
// HostConfig as sent, Config with the user/healthcheck/labels, effective Mounts.
json hardenedInspect()
{
    // With a secret: its file variable in Env, its volume mounted read-only.
    auto spec = BoxSpec::fromJson({{"name", "box-alice"},
                                   {"owner", "alice"},
                                   {"image", PinnedImage},
                                   {"env", {{"TZ", "UTC"}}},
                                   {"secrets", {"GIT_TOKEN"}}});
    CreateContext ctx;
    ctx.proxySocketDir = u"/run/egress/box-alice"_s;
    const json body = HardeningProfile().createBody(*spec, ctx);
    json mounts = json::array();
    for (const json &m : body["HostConfig"]["Mounts"]) {
        json e = {{"Type", m["Type"]},
                  {"Destination", m["Target"]},
                  {"RW", !m["ReadOnly"].get<bool>()},
                  {"Mode", ""},
                  {"Propagation", m["Type"] == "bind" ? "rprivate" : ""}};
        e["Source"] =
            m["Type"] == "bind"
                ? m["Source"]
                : json("/var/lib/docker/volumes/" + m["Source"].get<std::string>() + "/_data");
        if (m["Type"] == "volume")
            e["Name"] = m["Source"];
        mounts.push_back(e);
    }
    return json::array({{{"Id", "0123"},
                         {"Name", "/box-alice"},
                         {"Path", "/bin/sh"},
                         {"Args", json::array()},
                         {"AppArmorProfile", "docker-default"},
                         {"HostConfig", body["HostConfig"]},
                         {"Config",
                          {{"User", body["User"]},
                           {"Image", body["Image"]},
                           {"Healthcheck", body["Healthcheck"]},
                           {"Labels", body["Labels"]},
                           {"Env", body["Env"]},
                           {"Cmd", {"/bin/sh"}}}},
                         {"Mounts", mounts},
                         {"NetworkSettings", {{"Ports", json::object()}}}}});
}

QStringList ids(const QList<Finding> &findings)
{
    QStringList out;
    for (const Finding &f : findings)
        out << f.id;
    return out;
}

QString describe(const QList<Finding> &findings)
{
    QStringList out;
    for (const Finding &f : findings)
        out << f.id + u" ("_s + Finding::severityName(f.severity) + u"): "_s + f.detail;
    return out.join(u"; "_s);
}

} // namespace

class tst_PostureAudit final : public QObject
{
    Q_OBJECT
private slots:
    void hardenedBoxIsClean()
    {
        const QList<Finding> findings = PostureAudit::audit(hardenedInspect());
        QVERIFY2(findings.isEmpty(), qPrintable(describe(findings)));
        QVERIFY(!PostureAudit::hasHighSeverity(findings));
    }

    void acceptsObjectOrArray()
    {
        QVERIFY(PostureAudit::audit(hardenedInspect()[0]).isEmpty());
        const auto bad = PostureAudit::audit(json::object());
        QCOMPARE(bad.size(), 1);
        QVERIFY(PostureAudit::hasHighSeverity(bad));
    }

    void appArmorOption()
    {
        json j = hardenedInspect();
        j[0]["AppArmorProfile"] = "";
        QCOMPARE(ids(PostureAudit::audit(j)), QStringList{u"CIS-5.2"_s});
        AuditOptions o;
        o.appArmorAvailable = false;
        QVERIFY(PostureAudit::audit(j, o).isEmpty());
        j[0]["AppArmorProfile"] = "unconfined";
        QCOMPARE(ids(PostureAudit::audit(j, o)), QStringList{u"CIS-5.2"_s});
        QVERIFY(PostureAudit::hasHighSeverity(PostureAudit::audit(j, o)));
    }

    void proxyDirectoryOption()
    {
        // The option is the proxy's socket root; the box may mount only root/<its name>.
        AuditOptions o;
        o.proxySocketDir = u"/run/egress/"_s;
        QVERIFY(PostureAudit::audit(hardenedInspect(), o).isEmpty());
        o.proxySocketDir = u"/run/other-proxy"_s;
        QCOMPARE(ids(PostureAudit::audit(hardenedInspect(), o)), QStringList{u"BOX-HOST-PATH"_s});

        auto mountSource = [](const QString &source) {
            json j = hardenedInspect();
            for (json &m : j[0]["Mounts"])
                if (m["Destination"] == HardeningProfile::ProxySocketTarget)
                    m["Source"] = source.toStdString();
            return j;
        };
        o.proxySocketDir = u"/run/egress"_s;
        // Another box's directory, or the whole root, hands the box upstreams it was not given.
        QCOMPARE(ids(PostureAudit::audit(mountSource(u"/run/egress/box-bob"_s), o)),
                 QStringList{u"BOX-HOST-PATH"_s});
        QCOMPARE(ids(PostureAudit::audit(mountSource(u"/run/egress"_s), o)),
                 QStringList{u"BOX-HOST-PATH"_s});
        // A box without its name label cannot be matched to a directory at all.
        json unlabelled = hardenedInspect();
        unlabelled[0]["Config"]["Labels"].erase("box-console.box");
        QVERIFY(ids(PostureAudit::audit(unlabelled, o)).contains(u"BOX-HOST-PATH"_s));
    }

    void drift_data()
    {
        QTest::addColumn<std::function<void(json &)>>("mutate");
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("severity");
        auto row = [](const char *name, const char *id, Finding::Severity s,
                      std::function<void(json &)> f) {
            QTest::newRow(name) << f << QString::fromLatin1(id) << int(s);
        };
        using S = Finding::Severity;
        row("privileged", "CIS-5.5", S::Critical,
            [](json &c) { c["HostConfig"]["Privileged"] = true; });
        row("cap sys_admin", "CIS-5.4", S::Critical,
            [](json &c) { c["HostConfig"]["CapAdd"] = {"CAP_SYS_ADMIN"}; });
        row("cap chown", "CIS-5.4", S::High,
            [](json &c) { c["HostConfig"]["CapAdd"] = {"CHOWN"}; });
        row("no cap drop", "BOX-CAP-DROP", S::Medium,
            [](json &c) { c["HostConfig"]["CapDrop"] = nullptr; });
        row("writable root", "CIS-5.13", S::Medium,
            [](json &c) { c["HostConfig"]["ReadonlyRootfs"] = false; });
        row("seccomp", "CIS-5.22", S::High,
            [](json &c) { c["HostConfig"]["SecurityOpt"].push_back("seccomp=unconfined"); });
        row("apparmor opt", "CIS-5.2", S::High,
            [](json &c) { c["HostConfig"]["SecurityOpt"].push_back("apparmor=unconfined"); });
        row("label disable", "CIS-5.3", S::Medium,
            [](json &c) { c["HostConfig"]["SecurityOpt"].push_back("label=disable"); });
        row("systempaths", "BOX-SYSTEMPATHS", S::High,
            [](json &c) { c["HostConfig"]["SecurityOpt"].push_back("systempaths=unconfined"); });
        row("no nnp", "CIS-5.26", S::Medium,
            [](json &c) { c["HostConfig"]["SecurityOpt"] = {"label=type:x"}; });
        row("no security opt", "CIS-5.3", S::Low,
            [](json &c) { c["HostConfig"]["SecurityOpt"] = nullptr; });
        row("docker socket", "CIS-5.32", S::Critical, [](json &c) {
            c["Mounts"].push_back({{"Type", "bind"},
                                   {"Source", "/var/run/docker.sock"},
                                   {"Destination", "/var/run/docker.sock"},
                                   {"RW", true}});
        });
        row("run dir", "CIS-5.32", S::Critical, [](json &c) {
            c["Mounts"].push_back(
                {{"Type", "bind"}, {"Source", "/run"}, {"Destination", "/x"}, {"RW", false}});
        });
        row("etc rw", "CIS-5.6", S::Critical, [](json &c) {
            c["Mounts"].push_back(
                {{"Type", "bind"}, {"Source", "/etc"}, {"Destination", "/host-etc"}, {"RW", true}});
        });
        row("usr ro", "CIS-5.6", S::High, [](json &c) {
            c["Mounts"].push_back(
                {{"Type", "bind"}, {"Source", "/usr/lib"}, {"Destination", "/l"}, {"RW", false}});
        });
        row("host path rw", "BOX-HOST-PATH", S::High, [](json &c) {
            c["Mounts"].push_back({{"Type", "bind"},
                                   {"Source", "/srv/data"},
                                   {"Destination", "/data"},
                                   {"RW", true}});
        });
        row("host path ro", "BOX-HOST-PATH", S::Medium, [](json &c) {
            c["Mounts"].push_back({{"Type", "bind"},
                                   {"Source", "/srv/data"},
                                   {"Destination", "/data"},
                                   {"RW", false}});
        });
        row("proxy dir rw", "BOX-HOST-PATH", S::High, [](json &c) { c["Mounts"][3]["RW"] = true; });
        row("propagation", "CIS-5.20", S::Medium,
            [](json &c) { c["Mounts"][3]["Propagation"] = "rshared"; });
        row("no memory", "CIS-5.11", S::High, [](json &c) { c["HostConfig"]["Memory"] = 0; });
        row("swap default", "BOX-SWAP", S::Medium,
            [](json &c) { c["HostConfig"]["MemorySwap"] = 0; });
        row("swap unlimited", "BOX-SWAP", S::Medium,
            [](json &c) { c["HostConfig"]["MemorySwap"] = -1; });
        row("no cpu", "CIS-5.12", S::Medium, [](json &c) {
            c["HostConfig"]["NanoCpus"] = 0;
            c["HostConfig"]["CpuShares"] = 0;
        });
        row("no cpu limit", "CIS-5.12", S::Low, [](json &c) { c["HostConfig"]["NanoCpus"] = 0; });
        row("no shares", "CIS-5.12", S::Low, [](json &c) { c["HostConfig"]["CpuShares"] = 0; });
        row("no pids", "CIS-5.29", S::High,
            [](json &c) { c["HostConfig"]["PidsLimit"] = nullptr; });
        row("pids unlimited", "CIS-5.29", S::High,
            [](json &c) { c["HostConfig"]["PidsLimit"] = -1; });
        row("network host", "CIS-5.10", S::High,
            [](json &c) { c["HostConfig"]["NetworkMode"] = "host"; });
        row("network container", "CIS-5.10", S::Medium,
            [](json &c) { c["HostConfig"]["NetworkMode"] = "container:x"; });
        row("default bridge", "CIS-5.30", S::Medium,
            [](json &c) { c["HostConfig"]["NetworkMode"] = "default"; });
        row("pid host", "CIS-5.16", S::High, [](json &c) { c["HostConfig"]["PidMode"] = "host"; });
        row("ipc host", "CIS-5.17", S::High, [](json &c) { c["HostConfig"]["IpcMode"] = "host"; });
        row("ipc shareable", "CIS-5.17", S::Low,
            [](json &c) { c["HostConfig"]["IpcMode"] = "shareable"; });
        row("uts host", "CIS-5.21", S::Medium,
            [](json &c) { c["HostConfig"]["UTSMode"] = "host"; });
        row("userns host", "CIS-5.31", S::Medium,
            [](json &c) { c["HostConfig"]["UsernsMode"] = "host"; });
        row("devices", "CIS-5.18", S::High, [](json &c) {
            c["HostConfig"]["Devices"] = {
                {{"PathOnHost", "/dev/fuse"}, {"PathInContainer", "/dev/fuse"}}};
        });
        row("root user empty", "CIS-4.1", S::High, [](json &c) { c["Config"]["User"] = ""; });
        row("root user 0", "CIS-4.1", S::High, [](json &c) { c["Config"]["User"] = "0:1000"; });
        row("root user name", "CIS-4.1", S::High, [](json &c) { c["Config"]["User"] = "root"; });
        row("no healthcheck", "CIS-5.27", S::Medium,
            [](json &c) { c["Config"].erase("Healthcheck"); });
        row("healthcheck none", "CIS-5.27", S::Medium,
            [](json &c) { c["Config"]["Healthcheck"]["Test"] = {"NONE"}; });
        row("restart always", "CIS-5.15", S::Medium, [](json &c) {
            c["HostConfig"]["RestartPolicy"] = {{"Name", "always"}, {"MaximumRetryCount", 0}};
        });
        row("restart unlimited", "CIS-5.15", S::Medium, [](json &c) {
            c["HostConfig"]["RestartPolicy"] = {{"Name", "on-failure"}, {"MaximumRetryCount", 0}};
        });
        row("restart 10", "CIS-5.15", S::Medium, [](json &c) {
            c["HostConfig"]["RestartPolicy"] = {{"Name", "on-failure"}, {"MaximumRetryCount", 10}};
        });
        row("port all interfaces", "CIS-5.14", S::High, [](json &c) {
            c["HostConfig"]["PortBindings"] = {
                {"80/tcp", {{{"HostIp", ""}, {"HostPort", "18080"}}}}};
        });
        row("port published", "CIS-5.9", S::Low, [](json &c) {
            c["HostConfig"]["PortBindings"] = {
                {"80/tcp", {{{"HostIp", "127.0.0.1"}, {"HostPort", "18080"}}}}};
        });
        row("privileged port", "CIS-5.8", S::Medium, [](json &c) {
            c["HostConfig"]["PortBindings"] = {
                {"80/tcp", {{{"HostIp", "127.0.0.1"}, {"HostPort", "80"}}}}};
        });
        row("network settings ports", "CIS-5.14", S::High, [](json &c) {
            c["HostConfig"].erase("PortBindings");
            c["NetworkSettings"]["Ports"] = {
                {"80/tcp", {{{"HostIp", "0.0.0.0"}, {"HostPort", "18080"}}}}};
        });
        row("publish all", "CIS-5.9", S::Medium,
            [](json &c) { c["HostConfig"]["PublishAllPorts"] = true; });
        row("no ulimits", "CIS-5.19", S::Low,
            [](json &c) { c["HostConfig"]["Ulimits"] = nullptr; });
        row("core ulimit", "CIS-5.19", S::Low,
            [](json &c) { c["HostConfig"]["Ulimits"][1]["Soft"] = 1024; });
        row("no init", "BOX-INIT", S::Low, [](json &c) { c["HostConfig"]["Init"] = nullptr; });
        row("cgroup parent", "CIS-5.25", S::Medium,
            [](json &c) { c["HostConfig"]["CgroupParent"] = "/x"; });
        row("sshd", "CIS-5.7", S::Medium, [](json &c) { c["Path"] = "/usr/sbin/sshd"; });
        row("image latest", "CIS-5.28", S::Low,
            [](json &c) { c["Config"]["Image"] = "bctest/busybox:latest"; });
        row("image untagged", "CIS-5.28", S::Low,
            [](json &c) { c["Config"]["Image"] = "localhost:5000/busybox"; });
        row("oom", "BOX-OOM", S::Medium, [](json &c) { c["HostConfig"]["OomKillDisable"] = true; });
        row("log rotation", "BOX-LOG", S::Low,
            [](json &c) { c["HostConfig"]["LogConfig"]["Config"] = json::object(); });
        row("sysctls", "BOX-SYSCTL", S::Low, [](json &c) {
            c["HostConfig"]["Sysctls"] = {{"net.ipv4.ip_forward", "1"}};
        });
        row("identity", "BOX-IDENTITY", S::Low,
            [](json &c) { c["Config"]["Labels"].erase("box-console.box"); });
        // What `docker inspect` shows to anyone with Engine API access (Traefik included).
        row("provider key in env", "BOX-ENV-CREDENTIAL", S::Critical, [](json &c) {
            c["Config"]["Env"].push_back("ANTHROPIC_API_KEY=sk-ant-api03-REALKEYVALUE");
        });
        row("resend key in env", "BOX-ENV-CREDENTIAL", S::Critical,
            [](json &c) { c["Config"]["Env"].push_back("resend_api_key=re_123"); });
        row("anthropic-shaped value", "BOX-ENV-SECRET", S::High,
            [](json &c) { c["Config"]["Env"].push_back("HELPER=sk-ant-api03-abcdefghijklmnop"); });
        row("github token value", "BOX-ENV-SECRET", S::High,
            [](json &c) { c["Config"]["Env"].push_back("X=ghp_abcdefghijklmnopqrstuvwxyz0123"); });
        row("private key value", "BOX-ENV-SECRET", S::High, [](json &c) {
            c["Config"]["Env"].push_back("DEPLOY=-----BEGIN OPENSSH PRIVATE KEY-----\nabc");
        });
        row("secret-like name", "BOX-ENV-SECRET", S::Medium,
            [](json &c) { c["Config"]["Env"].push_back("DB_PASSWORD=hunter2"); });
        row("secrets writable", "BOX-SECRETS-WRITABLE", S::High, [](json &c) {
            for (json &m : c["Mounts"])
                if (m["Destination"] == "/run/secrets")
                    m["RW"] = true;
        });
    }
    void drift()
    {
        QFETCH(std::function<void(json &)>, mutate);
        QFETCH(QString, id);
        QFETCH(int, severity);
        json inspect = hardenedInspect();
        mutate(inspect[0]);
        const QList<Finding> findings = PostureAudit::audit(inspect);
        bool found = false;
        for (const Finding &f : findings) {
            if (f.id == id && int(f.severity) == severity)
                found = true;
        }
        QVERIFY2(found, qPrintable(u"expected %1; got %2"_s.arg(id, describe(findings))));
        QCOMPARE(PostureAudit::hasHighSeverity(findings), severity >= int(Finding::Severity::High));
        for (const Finding &f : findings) {
            QVERIFY(!f.title.isEmpty());
            QVERIFY(!f.detail.isEmpty());
        }
    }

    // A finding names the variable, never the value.
    void envFindingsNeverShowValues()
    {
        const QString value = u"sk-ant-api03-VERYSECRETVALUE0123"_s;
        json j = hardenedInspect();
        j[0]["Config"]["Env"].push_back("ANTHROPIC_API_KEY=" + value.toStdString());
        j[0]["Config"]["Env"].push_back("GIT_TOKEN=" + value.toStdString());
        j[0]["Config"]["Env"].push_back("NOTES=" + value.toStdString());
        AuditOptions o;
        o.knownSecretNames = {u"GIT_TOKEN"_s};
        const QList<Finding> findings = PostureAudit::audit(j, o);
        QStringList details;
        for (const Finding &f : findings) {
            QVERIFY2(!f.detail.contains(u"VERYSECRET"_s), qPrintable(f.detail));
            QVERIFY(!QString::fromStdString(f.toJson().dump()).contains(u"VERYSECRET"_s));
            details << f.id + u' ' + f.detail;
        }
        const QString all = details.join(u'\n');
        QVERIFY2(all.contains(u"BOX-ENV-CREDENTIAL Env sets ANTHROPIC_API_KEY"_s), qPrintable(all));
        QVERIFY2(all.contains(u"BOX-ENV-SECRET Env sets GIT_TOKEN, the name of a stored box "
                              u"secret"_s),
                 qPrintable(all));
        QVERIFY2(all.contains(u"BOX-ENV-SECRET Env NOTES holds what looks like an Anthropic"_s),
                 qPrintable(all));
        // The placeholder the proxy overwrites is not a credential; a file variable is fine.
        json placeholder = hardenedInspect();
        placeholder[0]["Config"]["Env"].push_back("ANTHROPIC_API_KEY=placeholder");
        QVERIFY2(PostureAudit::audit(placeholder).isEmpty(),
                 qPrintable(describe(PostureAudit::audit(placeholder))));
    }

    void appArmorFromEngineSecurityOptions()
    {
        QVERIFY(AuditOptions::appArmorIn({u"name=apparmor"_s, u"name=seccomp,profile=default"_s}));
        QVERIFY(!AuditOptions::appArmorIn({u"name=seccomp,profile=default"_s}));
        QVERIFY(!AuditOptions::appArmorIn({}));
    }

    void sortedBySeverityAndJson()
    {
        json inspect = hardenedInspect();
        inspect[0]["HostConfig"]["Init"] = false;
        inspect[0]["HostConfig"]["Privileged"] = true;
        inspect[0]["HostConfig"]["ReadonlyRootfs"] = false;
        const QList<Finding> findings = PostureAudit::audit(inspect);
        QCOMPARE(ids(findings), QStringList({u"CIS-5.5"_s, u"CIS-5.13"_s, u"BOX-INIT"_s}));
        const json j = PostureAudit::toJson(findings);
        QCOMPARE(j.size(), std::size_t(3));
        QVERIFY(j[0]["id"] == "CIS-5.5");
        QVERIFY(j[0]["severity"] == "critical");
        QVERIFY(j[1]["severity"] == "medium");
        QVERIFY(j[2]["severity"] == "low");
        QVERIFY(j[0].contains("title") && j[0].contains("detail"));
        QCOMPARE(Finding::severityName(Finding::Severity::High), u"high"_s);
    }

    // Inspect output from other engines (Podman, older Docker) may lack or retype fields:
    // the audit never throws, and a missing field reads as "not hardened".
    void survivesMalformedInspect()
    {
        const json inspect = hardenedInspect();
        std::set<std::string> pointers;
        const json flat = inspect.flatten();
        for (const auto &item : flat.items()) {
            json::json_pointer p(item.key());
            while (!p.empty()) {
                pointers.insert(p.to_string());
                p = p.parent_pointer();
            }
        }
        const json replacements[] = {nullptr, true, -1, 1.5, "x", json::array(), json::object()};
        for (const std::string &ptr : pointers) {
            for (const json &r : replacements) {
                json copy = inspect;
                copy[json::json_pointer(ptr)] = r;
                try {
                    const auto findings = PostureAudit::audit(copy);
                    for (const Finding &f : findings)
                        QVERIFY(!f.id.isEmpty());
                } catch (const std::exception &e) {
                    QFAIL(qPrintable(QString::fromStdString(ptr + ": " + e.what())));
                }
            }
        }
        // Losing the whole HostConfig is itself a high finding, not a clean bill of health.
        json copy = inspect;
        copy[0].erase("HostConfig");
        QVERIFY(PostureAudit::hasHighSeverity(PostureAudit::audit(copy)));
    }
};

QTEST_GUILESS_MAIN(tst_PostureAudit)
#include "tst_postureaudit.moc"
