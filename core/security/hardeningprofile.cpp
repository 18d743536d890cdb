#include "core/security/hardeningprofile.h"

#include "core/security/boxlabels.h"
#include "core/security/hostpaths_p.h"
#include "core/security/validators.h"
#include "core/util/jsonlenient.h"

#include <QDir>
#include <QRegularExpression>

#include <cmath>

using namespace Qt::Literals::StringLiterals;
using nlohmann::json;

namespace bc::security {

namespace {

using util::json::integer;
using util::json::isTrue;
using util::json::qstring;
using util::json::strings;
using util::json::utf8;

constexpr qint64 NsPerMs = 1000 * 1000;

Error refuse(const QString &message)
{
    return Error(Error::Kind::Invalid, u"create body refused: "_s + message);
}

bool isHostNamespace(const QString &mode)
{
    return mode == u"host"_s || mode.startsWith(u"container:"_s);
}

} // namespace

QStringList HardeningProfile::volumeNames(const QString &box)
{
    return {box + u"-config"_s, box + u"-cache"_s, box + u"-inbox"_s};
}

QStringList HardeningProfile::volumeTargets()
{
    const QString home = QLatin1String(HomeDir);
    return {home + u"/.config"_s, home + u"/.cache"_s, home + u"/inbox"_s};
}

QString HardeningProfile::networkName(const QString &box)
{
    return box + u"-net"_s;
}

QString HardeningProfile::secretsVolumeName(const QString &box)
{
    return box + u"-secrets"_s;
}

QString HardeningProfile::secretFileVariable(const QString &secret)
{
    return secret + u"_FILE"_s;
}

QString HardeningProfile::secretFilePath(const QString &secret)
{
    return QLatin1String(SecretsTarget) + u'/' + secret;
}

QStringList HardeningProfile::defaultHealthTest()
{
    // The box image decides which HTTP client exists; curl first, wget as a fallback, and a
    // failing probe whichever is missing. Probes the box's own agent, never the proxy.
    // The body goes to the check's output: the engine keeps it (State.Health.Log), and
    // with it the agent's lastActivity for the policy service.
    return {u"CMD-SHELL"_s, u"curl -fsS -m 3 http://127.0.0.1:9999/health"
                            u" || wget -q -T 3 -O - http://127.0.0.1:9999/health || exit 1"_s};
}

QStringList HardeningProfile::busyboxHealthTest()
{
    return {u"CMD-SHELL"_s,
            u"printf 'GET /health HTTP/1.0\\r\\n\\r\\n' | nc -w 2 127.0.0.1 9999 | head -n 1"
            u" | grep -q ' 200 '"_s};
}

json HardeningProfile::createBody(const BoxSpec &spec, const CreateContext &ctx) const
{
    json body = json::object();
    body["Image"] = utf8(ctx.image.isEmpty() ? spec.image : ctx.image);
    if (!spec.command.isEmpty()) {
        json cmd = json::array();
        for (const QString &a : spec.command)
            cmd.push_back(utf8(a));
        body["Cmd"] = cmd;
    }
    body["User"] = User;

    // Spec first, console second: the console's own variables (proxy base URLs) win. A
    // provider credential survives only as the placeholder the proxy overwrites.
    QMap<QString, QString> env = spec.env;
    for (auto it = ctx.extraEnv.cbegin(); it != ctx.extraEnv.cend(); ++it)
        env.insert(it.key(), it.value());
    // The profile's own variables win over both: where the secrets are, and whether the
    // box is routed (the entrypoint keeps code-server's password on then).
    for (const QString &secret : spec.secrets)
        env.insert(secretFileVariable(secret), secretFilePath(secret));
    env.insert(QLatin1String(IsolationVariable),
               spec.isolation == BoxSpec::Isolation::Routed ? u"routed"_s : u"isolated"_s);
    json envArray = json::array();
    for (auto it = env.cbegin(); it != env.cend(); ++it) {
        if (Validators::isProviderCredentialName(it.key()) &&
            it.value() != QLatin1String(CredentialPlaceholder))
            continue;
        envArray.push_back(utf8(it.key() + u'=' + it.value()));
    }
    body["Env"] = envArray;

    json labelMap = json::object();
    for (auto it = ctx.extraLabels.cbegin(); it != ctx.extraLabels.cend(); ++it)
        labelMap[utf8(it.key())] = utf8(it.value());
    labelMap[utf8(labels::box())] = utf8(spec.name);
    labelMap[utf8(labels::owner())] = utf8(spec.owner);
    labelMap[utf8(labels::subdomain())] = utf8(spec.subdomain);
    labelMap[utf8(labels::specHash())] = utf8(spec.hash());
    labelMap[utf8(labels::isolation())] =
        spec.isolation == BoxSpec::Isolation::Routed ? "routed" : "isolated";
    if (!spec.egress.isEmpty())
        labelMap[utf8(labels::egress())] = utf8(spec.egress);
    body["Labels"] = labelMap;

    const BoxSpec::Healthcheck hc = spec.healthcheck.value_or(BoxSpec::Healthcheck{});
    QStringList test = hc.test;
    if (test.isEmpty())
        test = ctx.healthTest.isEmpty() ? defaultHealthTest() : ctx.healthTest;
    json testArray = json::array();
    for (const QString &t : test)
        testArray.push_back(utf8(t));
    body["Healthcheck"] = {{"Test", testArray},
                           {"Interval", hc.intervalMs * NsPerMs},
                           {"Timeout", hc.timeoutMs * NsPerMs},
                           {"StartPeriod", hc.startPeriodMs * NsPerMs},
                           {"Retries", hc.retries}};

    json host = json::object();
    host["Privileged"] = false;
    host["CapDrop"] = json::array({"ALL"});
    host["CapAdd"] = json::array();
    // Only no-new-privileges: omitting "seccomp=" keeps Docker's default profile.
    host["SecurityOpt"] = json::array({"no-new-privileges:true"});
    host["ReadonlyRootfs"] = true;
    host["Tmpfs"] = {
        {"/tmp", utf8(u"rw,noexec,nosuid,nodev,size="_s + m_tmpSize)},
        // Not noexec: builds and interpreters need it, and "bash x.sh" bypasses noexec anyway.
        {WorkspaceDir,
         utf8(u"rw,nosuid,nodev,size="_s + m_workspaceSize + u",uid=1000,gid=1000,mode=0700"_s)},
    };
    // Swap equal to memory: Memory alone silently grants as much swap again.
    host["Memory"] = spec.memoryBytes;
    host["MemorySwap"] = spec.memoryBytes;
    host["NanoCpus"] = static_cast<qint64>(std::llround(spec.cpus * 1e9));
    // CIS 5.12 reads CpuShares; proportional to the CPU limit so boxes share fairly.
    host["CpuShares"] = std::max<qint64>(2, std::llround(spec.cpus * 1024));
    host["PidsLimit"] = spec.pids;
    // tini reaps zombies that would otherwise count against PidsLimit.
    host["Init"] = true;
    host["Ulimits"] = json::array({
        {{"Name", "nofile"}, {"Soft", m_nofileSoft}, {"Hard", m_nofileHard}},
        {{"Name", "core"}, {"Soft", 0}, {"Hard", 0}},
    });
    // on-failure with a small cap (CIS 5.15: at most 5): a crashing box comes back a few
    // times, then stays down where the monitor shows it, instead of crash-looping forever
    // as "always"/"unless-stopped" would; a box stopped on purpose stays stopped.
    host["RestartPolicy"] = {{"Name", "on-failure"}, {"MaximumRetryCount", m_restartRetries}};
    const bool routed = spec.isolation == BoxSpec::Isolation::Routed;
    host["NetworkMode"] =
        routed ? utf8(ctx.networkName.isEmpty() ? networkName(spec.name) : ctx.networkName)
               : "none";
    host["IpcMode"] = "private";
    host["PidMode"] = "";
    host["Devices"] = json::array();
    host["PublishAllPorts"] = false;
    host["LogConfig"] = {
        {"Type", "json-file"},
        {"Config",
         {{"max-size", utf8(m_logMaxSize)}, {"max-file", std::to_string(m_logMaxFiles)}}}};

    json mounts = json::array();
    const QStringList volumes = volumeNames(spec.name);
    const QStringList targets = volumeTargets();
    for (qsizetype i = 0; i < volumes.size(); ++i)
        mounts.push_back({{"Type", "volume"},
                          {"Source", utf8(volumes.at(i))},
                          {"Target", utf8(targets.at(i))},
                          {"ReadOnly", false}});
    if (!ctx.proxySocketDir.isEmpty()) {
        // The box's own directory, not the socket files: a proxy restart replaces the files
        // and a file bind mount would keep the dead inode. A --mount bind also fails on a
        // missing source instead of creating an empty directory.
        mounts.push_back({{"Type", "bind"},
                          {"Source", utf8(QDir::cleanPath(ctx.proxySocketDir))},
                          {"Target", ProxySocketTarget},
                          {"ReadOnly", true},
                          {"BindOptions", {{"Propagation", "rprivate"}}}});
        // The sockets are 0660 in the egress group: the box user joins it, nothing else.
        if (ctx.egressGroupId > 0)
            host["GroupAdd"] = json::array({std::to_string(ctx.egressGroupId)});
    }
    if (!spec.secrets.isEmpty()) {
        // NoCopy: whatever the image has at the target must not land in the volume.
        mounts.push_back({{"Type", "volume"},
                          {"Source", utf8(secretsVolumeName(spec.name))},
                          {"Target", SecretsTarget},
                          {"ReadOnly", true},
                          {"VolumeOptions", {{"NoCopy", true}}}});
    }
    host["Mounts"] = mounts;

    if (!ctx.loopbackPorts.isEmpty()) {
        json exposed = json::object();
        json bindings = json::object();
        for (const auto &p : ctx.loopbackPorts) {
            const std::string key = std::to_string(p.containerPort) + "/tcp";
            exposed[key] = json::object();
            bindings[key] =
                json::array({{{"HostIp", "127.0.0.1"},
                              {"HostPort", p.hostPort > 0 ? std::to_string(p.hostPort) : ""}}});
        }
        body["ExposedPorts"] = exposed;
        host["PortBindings"] = bindings;
    }
    body["HostConfig"] = host;
    return body;
}

VoidResult HardeningProfile::validateCreateBody(const json &body)
{
    if (!body.is_object())
        return refuse(u"not a JSON object"_s);
    if (!body.contains("HostConfig") || !body["HostConfig"].is_object())
        return refuse(u"HostConfig missing"_s);
    const json &host = body["HostConfig"];

    const QString image = qstring(body.value("Image", json()));
    static const QRegularExpression imageId(
        QRegularExpression::anchoredPattern(u"sha256:[a-f0-9]{64}"_s));
    if (!imageId.match(image).hasMatch() && !Validators::validateImageReference(image))
        return refuse(u"Image is not a valid image reference"_s);

    // User: a numeric non-root uid and gid, as names could resolve to root in the image.
    static const QRegularExpression userRe(
        QRegularExpression::anchoredPattern(u"[1-9][0-9]{0,9}:[1-9][0-9]{0,9}"_s));
    if (!userRe.match(qstring(body.value("User", json()))).hasMatch())
        return refuse(u"User must be a non-root uid:gid"_s);

    if (body.contains("Cmd") && !body["Cmd"].is_null()) {
        if (!body["Cmd"].is_array())
            return refuse(u"Cmd must be an array"_s);
        for (const json &a : body["Cmd"]) {
            if (!a.is_string() || qstring(a).contains(QChar(0)))
                return refuse(u"Cmd entries must be strings without NUL"_s);
        }
    }
    if (body.contains("Entrypoint") && !body["Entrypoint"].is_null())
        return refuse(u"Entrypoint override is not allowed"_s);

    if (body.contains("Env")) {
        if (!body["Env"].is_array())
            return refuse(u"Env must be an array"_s);
        for (const json &e : body["Env"]) {
            const QString entry = qstring(e);
            const qsizetype eq = entry.indexOf(u'=');
            if (!e.is_string() || eq <= 0)
                return refuse(u"Env entries must be KEY=VALUE strings"_s);
            const QString key = entry.left(eq);
            if (!Validators::validateEnvKey(key) ||
                !Validators::validateEnvValue(entry.mid(eq + 1)))
                return refuse(u"invalid Env entry %1"_s.arg(Validators::printable(key)));
            if (Validators::isProviderCredentialName(key) &&
                entry.mid(eq + 1) != QLatin1String(CredentialPlaceholder))
                return refuse(
                    u"Env holds provider credential %1; the egress proxy injects it"_s.arg(key));
        }
    }
    if (body.contains("Labels")) {
        if (!body["Labels"].is_object())
            return refuse(u"Labels must be an object"_s);
        for (auto it = body["Labels"].begin(); it != body["Labels"].end(); ++it) {
            const QString key = QString::fromStdString(it.key());
            if (!it.value().is_string() || !Validators::validateLabelKey(key) ||
                !Validators::validateLabelValue(qstring(it.value())))
                return refuse(u"invalid label %1"_s.arg(Validators::printable(key)));
        }
    }

    const json hc = body.value("Healthcheck", json());
    const QStringList test = hc.is_object() ? strings(hc, "Test") : QStringList();
    if (test.size() < 2 || (test.first() != u"CMD"_s && test.first() != u"CMD-SHELL"_s))
        return refuse(u"a Healthcheck with a CMD or CMD-SHELL test is required"_s);

    if (isTrue(host, "Privileged"))
        return refuse(u"Privileged"_s);
    if (!strings(host, "CapAdd").isEmpty())
        return refuse(u"CapAdd must be empty"_s);
    if (!strings(host, "CapDrop").contains(u"ALL"_s))
        return refuse(u"CapDrop must contain ALL"_s);
    const QStringList secOpts = strings(host, "SecurityOpt");
    bool noNewPrivileges = false;
    for (const QString &opt : secOpts) {
        const QString o = opt.toLower();
        if (o == u"no-new-privileges"_s || o == u"no-new-privileges:true"_s ||
            o == u"no-new-privileges=true"_s)
            noNewPrivileges = true;
        else if (o.contains(u"unconfined"_s) || o.startsWith(u"label=disable"_s) ||
                 o.startsWith(u"label:disable"_s) || o.startsWith(u"no-new-privileges"_s))
            return refuse(u"SecurityOpt %1 weakens confinement"_s.arg(Validators::printable(opt)));
    }
    if (!noNewPrivileges)
        return refuse(u"SecurityOpt must contain no-new-privileges:true"_s);
    if (!isTrue(host, "ReadonlyRootfs"))
        return refuse(u"ReadonlyRootfs must be true"_s);
    const qint64 memory = integer(host, "Memory");
    if (memory <= 0)
        return refuse(u"Memory limit missing"_s);
    if (integer(host, "MemorySwap") != memory)
        return refuse(u"MemorySwap must equal Memory"_s);
    if (integer(host, "NanoCpus") <= 0 || integer(host, "CpuShares") <= 0)
        return refuse(u"NanoCpus and CpuShares must be set"_s);
    if (integer(host, "PidsLimit") <= 0)
        return refuse(u"PidsLimit must be set"_s);
    if (!isTrue(host, "Init"))
        return refuse(u"Init must be true"_s);
    if (isTrue(host, "OomKillDisable"))
        return refuse(u"OomKillDisable"_s);
    if (isTrue(host, "PublishAllPorts"))
        return refuse(u"PublishAllPorts"_s);
    // Only the egress sockets' group, by number: a name could resolve to root, docker or
    // another group with host powers inside the image's /etc/group.
    if (host.contains("GroupAdd") && !host["GroupAdd"].is_null()) {
        static const QRegularExpression gidRe(
            QRegularExpression::anchoredPattern(u"[1-9][0-9]{0,9}"_s));
        const QStringList groups = strings(host, "GroupAdd");
        if (!host["GroupAdd"].is_array() || groups.size() > 1 ||
            (groups.size() == 1 && !gidRe.match(groups.first()).hasMatch()))
            return refuse(u"GroupAdd may hold only the egress sockets' numeric group"_s);
    }

    bool hasNofile = false;
    bool coreZero = false;
    if (host.contains("Ulimits") && host["Ulimits"].is_array()) {
        for (const json &u : host["Ulimits"]) {
            const QString name = u.is_object() ? qstring(u.value("Name", json())) : QString();
            if (name == u"nofile"_s)
                hasNofile = true;
            if (name == u"core"_s && integer(u, "Soft") == 0 && integer(u, "Hard") == 0)
                coreZero = true;
        }
    }
    if (!hasNofile || !coreZero)
        return refuse(u"Ulimits must set nofile and core=0"_s);

    const json restart = host.value("RestartPolicy", json::object());
    const QString restartName =
        restart.is_object() ? qstring(restart.value("Name", json())) : QString();
    if (restartName == u"always"_s)
        return refuse(u"RestartPolicy always"_s);
    if (restartName == u"on-failure"_s) {
        const qint64 n = integer(restart, "MaximumRetryCount");
        if (n <= 0 || n > MaxRestartRetries)
            return refuse(u"on-failure MaximumRetryCount must be 1..%1"_s.arg(MaxRestartRetries));
    }

    const QString network = qstring(host.value("NetworkMode", json()));
    if (network.isEmpty() || network == u"default"_s || network == u"bridge"_s ||
        isHostNamespace(network))
        return refuse(u"NetworkMode must be none or the box's own network"_s);
    for (const char *key : {"PidMode", "IpcMode", "UTSMode", "UsernsMode", "CgroupnsMode"}) {
        const QString mode = qstring(host.value(key, json()));
        if (isHostNamespace(mode))
            return refuse(u"%1 %2"_s.arg(QLatin1String(key), mode));
    }
    const QString ipc = qstring(host.value("IpcMode", json()));
    if (ipc != u"private"_s && ipc != u"none"_s)
        return refuse(u"IpcMode must be private"_s);
    for (const char *key : {"Devices", "DeviceCgroupRules", "Binds", "VolumesFrom", "Links"}) {
        if (host.contains(key) && !host[key].is_null() && !host[key].empty())
            return refuse(u"%1 must be empty"_s.arg(QLatin1String(key)));
    }
    if (host.contains("Sysctls") && host["Sysctls"].is_object() && !host["Sysctls"].empty())
        return refuse(u"Sysctls must be empty"_s);
    if (!qstring(host.value("CgroupParent", json())).isEmpty())
        return refuse(u"CgroupParent must be empty"_s);

    // Tmpfs: no memory-backed overlay of / or of system paths, and /tmp stays noexec.
    if (host.contains("Tmpfs")) {
        if (!host["Tmpfs"].is_object())
            return refuse(u"Tmpfs must be an object"_s);
        for (auto it = host["Tmpfs"].begin(); it != host["Tmpfs"].end(); ++it) {
            const QString target = QString::fromStdString(it.key());
            if (!it.value().is_string() || !target.startsWith(u'/') ||
                QDir::cleanPath(target) != target || target == u"/"_s ||
                (internal::isSensitiveHostPath(target) && !target.startsWith(u"/home/"_s)))
                return refuse(u"tmpfs on %1 is not allowed"_s.arg(Validators::printable(target)));
        }
    }
    const QString tmpOptions = host.contains("Tmpfs") && host["Tmpfs"].contains("/tmp")
                                   ? qstring(host["Tmpfs"]["/tmp"])
                                   : QString();
    const QStringList tmpFlags = tmpOptions.split(u',');
    if (!tmpFlags.contains(u"noexec"_s) || !tmpFlags.contains(u"nosuid"_s))
        return refuse(u"/tmp must be a noexec,nosuid tmpfs"_s);

    if (host.contains("PortBindings") && host["PortBindings"].is_object()) {
        for (const json &list : host["PortBindings"]) {
            if (!list.is_array())
                continue;
            for (const json &b : list) {
                if (!b.is_object() || qstring(b.value("HostIp", json())) != u"127.0.0.1"_s)
                    return refuse(u"ports may only be published on 127.0.0.1"_s);
            }
        }
    }

    if (host.contains("Mounts") && host["Mounts"].is_array()) {
        int binds = 0;
        for (const json &m : host["Mounts"]) {
            if (!m.is_object())
                return refuse(u"malformed mount"_s);
            const QString type = qstring(m.value("Type", json()));
            const QString source = qstring(m.value("Source", json()));
            const QString target = qstring(m.value("Target", json()));
            if (type == u"volume"_s) {
                static const QRegularExpression volumeRe(
                    QRegularExpression::anchoredPattern(u"[a-zA-Z0-9][a-zA-Z0-9_.-]{1,127}"_s));
                if (!volumeRe.match(source).hasMatch())
                    return refuse(u"volume mounts must name a volume"_s);
                if (m.contains("VolumeOptions") && m["VolumeOptions"].is_object() &&
                    m["VolumeOptions"].contains("DriverConfig"))
                    return refuse(u"volume driver options are not allowed"_s);
                if (QDir::cleanPath(target) == QLatin1String(SecretsTarget) &&
                    !isTrue(m, "ReadOnly"))
                    return refuse(u"the secrets volume must be mounted read-only on %1"_s.arg(
                        QLatin1String(SecretsTarget)));
            } else if (type == u"tmpfs"_s) {
                // fine: memory-backed and charged to the box
            } else if (type == u"bind"_s) {
                ++binds;
                if (binds > 1 || target != QLatin1String(ProxySocketTarget))
                    return refuse(
                        u"the only host path allowed is the proxy socket directory on %1"_s.arg(
                            QLatin1String(ProxySocketTarget)));
                if (!isTrue(m, "ReadOnly"))
                    return refuse(u"the proxy socket directory must be mounted read-only"_s);
                if (!source.startsWith(u'/') || QDir::cleanPath(source) != source ||
                    internal::isDockerSocketPath(source) || internal::isSensitiveHostPath(source))
                    return refuse(
                        u"bind source %1 is not allowed"_s.arg(Validators::printable(source)));
                const QString propagation =
                    m.contains("BindOptions") && m["BindOptions"].is_object()
                        ? qstring(m["BindOptions"].value("Propagation", json()))
                        : QString();
                if (propagation.contains(u"shared"_s) || propagation.contains(u"slave"_s))
                    return refuse(u"bind propagation must be private"_s);
            } else {
                return refuse(u"mount type %1 is not allowed"_s.arg(Validators::printable(type)));
            }
        }
    }
    return {};
}

} // namespace bc::security
