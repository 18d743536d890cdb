#include "core/security/postureaudit.h"

#include "core/security/boxlabels.h"
#include "core/security/egresslayout.h"
#include "core/security/hostpaths_p.h"
#include "core/security/validators.h"
#include "core/util/jsonlenient.h"

#include <QDir>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;
using nlohmann::json;

namespace bc::security {

namespace {

using util::json::integer;
using util::json::isTrue;
using util::json::member;
using util::json::string;
using util::json::strings;

using Severity = Finding::Severity;

bool nonEmpty(const json &obj, const char *key)
{
    const json &v = member(obj, key);
    return (v.is_array() || v.is_object()) && !v.empty();
}

QString normaliseCapability(const QString &cap)
{
    QString c = cap.toUpper();
    if (c.startsWith(u"CAP_"_s))
        c = c.mid(4);
    return c;
}

bool isRootUser(const QString &user)
{
    const QString uid = user.section(u':', 0, 0);
    return uid.isEmpty() || uid == u"0"_s || uid == u"root"_s;
}

class Collector
{
public:
    void add(const char *id, const QString &title, const QString &detail, Severity severity)
    {
        m_findings.append({QString::fromLatin1(id), title, detail, severity});
    }
    QList<Finding> take()
    {
        std::stable_sort(
            m_findings.begin(), m_findings.end(),
            [](const Finding &a, const Finding &b) { return a.severity > b.severity; });
        return m_findings;
    }

private:
    QList<Finding> m_findings;
};

void auditCapabilities(const json &host, Collector &c)
{
    // Capabilities that amount to root on the host or break the sandbox outright.
    static const QStringList dangerous = {
        u"ALL"_s,       u"SYS_ADMIN"_s,       u"SYS_MODULE"_s,   u"SYS_PTRACE"_s,
        u"SYS_RAWIO"_s, u"DAC_READ_SEARCH"_s, u"DAC_OVERRIDE"_s, u"NET_ADMIN"_s,
        u"SYS_BOOT"_s,  u"SYS_TIME"_s,        u"MAC_ADMIN"_s,    u"MAC_OVERRIDE"_s,
        u"BPF"_s,       u"PERFMON"_s,         u"SETFCAP"_s,      u"NET_RAW"_s,
    };
    for (const QString &raw : strings(host, "CapAdd")) {
        const QString cap = normaliseCapability(raw);
        c.add("CIS-5.4", u"Capability added"_s, u"CapAdd contains %1"_s.arg(cap),
              dangerous.contains(cap) ? Severity::Critical : Severity::High);
    }
    QStringList drop;
    for (const QString &raw : strings(host, "CapDrop"))
        drop << normaliseCapability(raw);
    if (!drop.contains(u"ALL"_s))
        c.add("BOX-CAP-DROP", u"Capabilities not dropped"_s,
              drop.isEmpty() ? u"CapDrop is empty: the default capability set is kept"_s
                             : u"CapDrop is %1, not ALL"_s.arg(drop.join(u", "_s)),
              Severity::Medium);
}

void auditSecurityOptions(const json &root, const json &host, const AuditOptions &o, Collector &c)
{
    const QStringList opts = strings(host, "SecurityOpt");
    bool noNewPrivileges = false;
    bool appArmorUnconfined = false;
    for (const QString &opt : opts) {
        const QString l = opt.toLower();
        if (l == u"no-new-privileges"_s || l == u"no-new-privileges:true"_s ||
            l == u"no-new-privileges=true"_s)
            noNewPrivileges = true;
        if (l == u"seccomp=unconfined"_s || l == u"seccomp:unconfined"_s)
            c.add("CIS-5.22", u"Seccomp disabled"_s, u"SecurityOpt %1"_s.arg(opt), Severity::High);
        if (l == u"apparmor=unconfined"_s || l == u"apparmor:unconfined"_s)
            appArmorUnconfined = true;
        if (l == u"label=disable"_s || l == u"label:disable"_s)
            c.add("CIS-5.3", u"SELinux labelling disabled"_s, u"SecurityOpt %1"_s.arg(opt),
                  Severity::Medium);
        if (l == u"systempaths=unconfined"_s)
            c.add("BOX-SYSTEMPATHS", u"Masked /proc and /sys paths exposed"_s,
                  u"SecurityOpt %1"_s.arg(opt), Severity::High);
    }
    if (opts.isEmpty())
        c.add("CIS-5.3", u"No security options"_s,
              u"SecurityOpt is empty (no SELinux options, no no-new-privileges)"_s, Severity::Low);
    if (!noNewPrivileges)
        c.add("CIS-5.26", u"no-new-privileges not set"_s,
              u"setuid binaries can raise privileges inside the container"_s, Severity::Medium);

    const QString profile = string(root, "AppArmorProfile");
    if (appArmorUnconfined || profile == u"unconfined"_s)
        c.add("CIS-5.2", u"AppArmor disabled"_s, u"AppArmor profile is unconfined"_s,
              Severity::High);
    else if (profile.isEmpty() && o.appArmorAvailable)
        c.add("CIS-5.2", u"No AppArmor profile"_s, u"AppArmorProfile is empty"_s, Severity::Medium);
}

void auditMounts(const json &root, const AuditOptions &o, Collector &c)
{
    // Effective mounts: "Mounts" at the top level covers -v, --mount and anonymous volumes.
    const json &mounts = member(root, "Mounts");
    if (!mounts.is_array())
        return;
    const QString box =
        string(member(member(root, "Config"), "Labels"), labels::box().toUtf8().constData());
    for (const json &m : mounts) {
        const QString type = string(m, "Type");
        const QString source = string(m, "Source");
        const QString destination = string(m, "Destination");
        const bool rw = isTrue(m, "RW");
        const QString propagation = string(m, "Propagation");
        const QString where = u"%1 -> %2 (%3)"_s.arg(source, destination, rw ? u"rw"_s : u"ro"_s);

        if (propagation == u"shared"_s || propagation == u"rshared"_s)
            c.add("CIS-5.20", u"Mount propagation shared"_s,
                  u"%1 uses %2 propagation"_s.arg(where, propagation), Severity::Medium);
        if (type != u"bind"_s)
            continue;
        if (internal::isDockerSocketPath(source)) {
            c.add("CIS-5.32", u"Container engine socket mounted"_s,
                  u"%1: full control of the engine, i.e. root on the host"_s.arg(where),
                  Severity::Critical);
            continue;
        }
        if (internal::isSensitiveHostPath(source)) {
            c.add("CIS-5.6", u"Sensitive host directory mounted"_s, where,
                  rw ? Severity::Critical : Severity::High);
            continue;
        }
        // Each box mounts only its own socket directory: the root, or another box's
        // directory, would hand it upstreams (and injected keys) its spec does not list.
        const bool proxyDir = destination == o.proxySocketTarget && !rw &&
                              (o.proxySocketDir.isEmpty() ||
                               (!box.isEmpty() && QDir::cleanPath(source) ==
                                                      EgressLayout::boxSocketDir(
                                                          QDir::cleanPath(o.proxySocketDir), box)));
        if (!proxyDir)
            c.add("BOX-HOST-PATH", u"Host path mounted"_s,
                  u"%1: only the box's own egress socket directory may be mounted, "
                  u"read-only, on %2"_s.arg(where, o.proxySocketTarget),
                  rw ? Severity::High : Severity::Medium);
    }
}

// Shapes of well-known credentials, to notice a secret pasted into env under any name.
QString credentialShape(const QString &value)
{
    static const struct
    {
        const char *what;
        QRegularExpression re;
    } shapes[] = {
        {"an Anthropic API key", QRegularExpression(u"\\bsk-ant-[A-Za-z0-9_-]{8,}"_s)},
        {"an OpenAI API key", QRegularExpression(u"\\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}"_s)},
        {"a Resend API key", QRegularExpression(u"\\bre_[A-Za-z0-9_]{16,}"_s)},
        {"a GitHub token",
         QRegularExpression(u"\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"_s)},
        {"an AWS access key id", QRegularExpression(u"\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"_s)},
        {"a Slack token", QRegularExpression(u"\\bxox[abprs]-[A-Za-z0-9-]{10,}"_s)},
        {"a private key", QRegularExpression(u"-----BEGIN [A-Z ]*PRIVATE KEY-----"_s)},
    };
    for (const auto &s : shapes) {
        if (s.re.match(value).hasMatch())
            return QString::fromLatin1(s.what);
    }
    return {};
}

bool hasSecretLikeName(const QString &key)
{
    const QString k = key.toUpper();
    for (const char *suffix :
         {"_TOKEN", "_SECRET", "_PASSWORD", "_PASSWD", "_API_KEY", "_PRIVATE_KEY", "_ACCESS_KEY"}) {
        if (k.endsWith(QLatin1String(suffix)))
            return true;
    }
    return false;
}

// Anything Engine API access (Traefik included) can read with `docker inspect`. Details
// name the variable, never its value.
void auditEnvironment(const json &config, const AuditOptions &o, Collector &c)
{
    for (const QString &entry : strings(config, "Env")) {
        const qsizetype eq = entry.indexOf(u'=');
        if (eq <= 0)
            continue;
        const QString key = entry.left(eq);
        const QString value = entry.mid(eq + 1);
        if (value.isEmpty())
            continue;
        if (Validators::isProviderCredentialName(key)) {
            // The placeholder the proxy overwrites is no credential.
            if (value != QLatin1String(HardeningProfile::CredentialPlaceholder))
                c.add("BOX-ENV-CREDENTIAL", u"Provider credential in the environment"_s,
                      u"Env sets %1: readable by anyone with Engine API access; the egress "
                      u"proxy injects provider credentials"_s.arg(key),
                      Severity::Critical);
            continue;
        }
        if (o.knownSecretNames.contains(key)) {
            c.add(
                "BOX-ENV-SECRET", u"Box secret in the environment"_s,
                u"Env sets %1, the name of a stored box secret: its value is readable by "
                u"anyone with Engine API access (secrets belong in %2)"_s.arg(key, o.secretsTarget),
                Severity::High);
            continue;
        }
        if (const QString shape = credentialShape(value); !shape.isEmpty()) {
            c.add("BOX-ENV-SECRET", u"Secret in the environment"_s,
                  u"Env %1 holds what looks like %2: readable by anyone with Engine API "
                  u"access (secrets belong in %3)"_s.arg(key, shape, o.secretsTarget),
                  Severity::High);
            continue;
        }
        if (hasSecretLikeName(key))
            c.add("BOX-ENV-SECRET", u"Secret-like variable in the environment"_s,
                  u"Env sets %1: if it is a secret, anyone with Engine API access reads it "
                  u"(secrets belong in %2)"_s.arg(key, o.secretsTarget),
                  Severity::Medium);
    }
}

void auditSecretsMount(const json &root, const AuditOptions &o, Collector &c)
{
    const json &mounts = member(root, "Mounts");
    if (!mounts.is_array())
        return;
    for (const json &m : mounts) {
        const QString destination = QDir::cleanPath(string(m, "Destination"));
        if (destination != QDir::cleanPath(o.secretsTarget) || !isTrue(m, "RW"))
            continue;
        c.add("BOX-SECRETS-WRITABLE", u"Secrets mounted writable"_s,
              u"%1 (%2) is mounted read-write: the box can change or plant its own secrets"_s.arg(
                  destination,
                  string(m, "Type") == u"volume"_s ? string(m, "Name") : string(m, "Source")),
              Severity::High);
    }
}

void auditNamespaces(const json &host, Collector &c)
{
    const QString network = string(host, "NetworkMode");
    if (network == u"host"_s)
        c.add("CIS-5.10", u"Host network namespace shared"_s, u"NetworkMode host"_s,
              Severity::High);
    else if (network.startsWith(u"container:"_s))
        c.add("CIS-5.10", u"Network namespace shared with another container"_s,
              u"NetworkMode %1"_s.arg(network), Severity::Medium);
    else if (network == u"default"_s || network == u"bridge"_s)
        c.add("CIS-5.30", u"On the default bridge"_s,
              u"NetworkMode %1: reachable from every container on docker0"_s.arg(network),
              Severity::Medium);

    const QString pid = string(host, "PidMode");
    if (pid == u"host"_s)
        c.add("CIS-5.16", u"Host PID namespace shared"_s, u"PidMode host"_s, Severity::High);
    else if (pid.startsWith(u"container:"_s))
        c.add("CIS-5.16", u"PID namespace shared with another container"_s,
              u"PidMode %1"_s.arg(pid), Severity::Medium);

    const QString ipc = string(host, "IpcMode");
    if (ipc == u"host"_s)
        c.add("CIS-5.17", u"Host IPC namespace shared"_s, u"IpcMode host"_s, Severity::High);
    else if (ipc.startsWith(u"container:"_s))
        c.add("CIS-5.17", u"IPC namespace shared with another container"_s,
              u"IpcMode %1"_s.arg(ipc), Severity::Medium);
    else if (ipc == u"shareable"_s)
        c.add("CIS-5.17", u"IPC namespace shareable"_s,
              u"IpcMode shareable: other containers may join it"_s, Severity::Low);

    if (string(host, "UTSMode") == u"host"_s)
        c.add("CIS-5.21", u"Host UTS namespace shared"_s, u"UTSMode host"_s, Severity::Medium);
    if (string(host, "UsernsMode") == u"host"_s)
        c.add("CIS-5.31", u"Host user namespace shared"_s, u"UsernsMode host"_s, Severity::Medium);
}

void auditResources(const json &host, Collector &c)
{
    const qint64 memory = integer(host, "Memory");
    if (memory <= 0)
        c.add("CIS-5.11", u"No memory limit"_s, u"HostConfig.Memory is 0"_s, Severity::High);
    else if (integer(host, "MemorySwap") != memory)
        c.add("BOX-SWAP", u"Swap not capped"_s,
              integer(host, "MemorySwap") < 0
                  ? u"MemorySwap is unlimited"_s
                  : u"MemorySwap %1 differs from Memory %2 (0 means twice the memory)"_s
                        .arg(integer(host, "MemorySwap"))
                        .arg(memory),
              Severity::Medium);

    const qint64 shares = integer(host, "CpuShares");
    const bool cpuLimit = integer(host, "NanoCpus") > 0 || integer(host, "CpuQuota") > 0;
    if (shares <= 0 && !cpuLimit)
        c.add("CIS-5.12", u"No CPU limit or shares"_s,
              u"CpuShares, NanoCpus and CpuQuota are all 0"_s, Severity::Medium);
    else if (!cpuLimit)
        c.add("CIS-5.12", u"No CPU limit"_s, u"NanoCpus and CpuQuota are 0"_s, Severity::Low);
    else if (shares <= 0)
        c.add("CIS-5.12", u"No CPU shares"_s, u"CpuShares is 0"_s, Severity::Low);

    if (integer(host, "PidsLimit") <= 0)
        c.add("CIS-5.29", u"No PIDs limit"_s,
              u"PidsLimit unset: a fork bomb can exhaust the host"_s, Severity::High);
    if (isTrue(host, "OomKillDisable"))
        c.add("BOX-OOM", u"OOM killer disabled"_s, u"OomKillDisable true"_s, Severity::Medium);

    const json &ulimits = member(host, "Ulimits");
    bool nofile = false;
    bool coreZero = false;
    if (ulimits.is_array()) {
        for (const json &u : ulimits) {
            const QString name = string(u, "Name");
            nofile = nofile || name == u"nofile"_s;
            coreZero = coreZero ||
                       (name == u"core"_s && integer(u, "Soft") == 0 && integer(u, "Hard") == 0);
        }
    }
    if (!ulimits.is_array() || ulimits.empty())
        c.add("CIS-5.19", u"Default ulimits"_s, u"HostConfig.Ulimits is empty"_s, Severity::Low);
    else if (!nofile || !coreZero)
        c.add("CIS-5.19", u"Ulimits incomplete"_s,
              u"expected nofile and core=0; nofile %1, core=0 %2"_s.arg(
                  nofile ? u"set"_s : u"missing"_s, coreZero ? u"set"_s : u"missing"_s),
              Severity::Low);

    if (!isTrue(host, "Init"))
        c.add("BOX-INIT", u"No init process"_s,
              u"Init is not true: zombies are not reaped and count against the PIDs limit"_s,
              Severity::Low);
    if (!string(host, "CgroupParent").isEmpty())
        c.add("CIS-5.25", u"Custom cgroup parent"_s,
              u"CgroupParent %1"_s.arg(string(host, "CgroupParent")), Severity::Medium);

    const json &log = member(host, "LogConfig");
    if (string(log, "Type") == u"json-file"_s &&
        string(member(log, "Config"), "max-size").isEmpty())
        c.add("BOX-LOG", u"Logs not rotated"_s, u"json-file logging without max-size"_s,
              Severity::Low);
}

void auditPorts(const json &root, const json &host, Collector &c)
{
    if (isTrue(host, "PublishAllPorts"))
        c.add("CIS-5.9", u"All exposed ports published"_s, u"PublishAllPorts true"_s,
              Severity::Medium);

    json bindings = member(host, "PortBindings");
    if (!bindings.is_object() || bindings.empty())
        bindings = member(member(root, "NetworkSettings"), "Ports");
    if (!bindings.is_object())
        return;
    for (auto it = bindings.begin(); it != bindings.end(); ++it) {
        if (!it.value().is_array())
            continue;
        const QString port = QString::fromStdString(it.key());
        for (const json &b : it.value()) {
            const QString ip = string(b, "HostIp");
            const QString hostPort = string(b, "HostPort");
            const QString where =
                u"%1 on %2:%3"_s.arg(port, ip.isEmpty() ? u"0.0.0.0"_s : ip, hostPort);
            c.add("CIS-5.9", u"Port published"_s, where, Severity::Low);
            if (ip.isEmpty() || ip == u"0.0.0.0"_s || ip == u"::"_s)
                c.add("CIS-5.14", u"Port bound on all interfaces"_s, where, Severity::High);
            bool ok = false;
            const int n = hostPort.toInt(&ok);
            if (ok && n > 0 && n < 1024)
                c.add("CIS-5.8", u"Privileged host port"_s, where, Severity::Medium);
        }
    }
}

void auditProcess(const json &root, const json &config, const json &host, const AuditOptions &o,
                  Collector &c)
{
    const QString user = string(config, "User");
    if (isRootUser(user))
        c.add("CIS-4.1", u"Runs as root"_s,
              user.isEmpty() ? u"Config.User is empty (root)"_s : u"Config.User is %1"_s.arg(user),
              Severity::High);

    const json &hc = member(config, "Healthcheck");
    const QStringList test = strings(hc, "Test");
    if (test.isEmpty() || test.first() == u"NONE"_s)
        c.add("CIS-5.27", u"No health check"_s,
              test.isEmpty() ? u"no HEALTHCHECK in the container or its image"_s
                             : u"health check disabled (NONE)"_s,
              Severity::Medium);

    QStringList commandLine = {string(root, "Path")};
    commandLine += strings(root, "Args");
    commandLine += strings(config, "Entrypoint");
    commandLine += strings(config, "Cmd");
    for (const QString &arg : std::as_const(commandLine)) {
        if (arg.contains(u"sshd"_s)) {
            c.add("CIS-5.7", u"SSH daemon in the container"_s, u"command line mentions sshd"_s,
                  Severity::Medium);
            break;
        }
    }

    const json &restart = member(host, "RestartPolicy");
    const QString policy = string(restart, "Name");
    const qint64 retries = integer(restart, "MaximumRetryCount");
    if (policy == u"always"_s)
        c.add("CIS-5.15", u"Restarts forever"_s, u"RestartPolicy always"_s, Severity::Medium);
    else if (policy == u"on-failure"_s && (retries <= 0 || retries > o.maxRestartRetries))
        c.add("CIS-5.15", u"Restart retries not capped"_s,
              retries <= 0
                  ? u"on-failure without MaximumRetryCount (unlimited)"_s
                  : u"on-failure MaximumRetryCount %1 > %2"_s.arg(retries).arg(o.maxRestartRetries),
              Severity::Medium);

    const QString image = string(config, "Image");
    if (!image.contains(u"@sha256:"_s) &&
        (image.endsWith(u":latest"_s) || !image.section(u'/', -1).contains(u':')))
        c.add("CIS-5.28", u"Image not pinned"_s,
              u"%1 is referenced by a moving tag, not a digest"_s.arg(image), Severity::Low);
}

} // namespace

bool AuditOptions::appArmorIn(const QStringList &engineSecurityOptions)
{
    return engineSecurityOptions.join(u',').contains(u"apparmor"_s);
}

QString Finding::severityName(Severity severity)
{
    switch (severity) {
    case Severity::Low:
        return u"low"_s;
    case Severity::Medium:
        return u"medium"_s;
    case Severity::High:
        return u"high"_s;
    case Severity::Critical:
        return u"critical"_s;
    }
    return u"low"_s;
}

json Finding::toJson() const
{
    return {{"id", id.toStdString()},
            {"title", title.toStdString()},
            {"detail", detail.toStdString()},
            {"severity", severityName(severity).toStdString()}};
}

QList<Finding> PostureAudit::audit(const json &containerInspect, const AuditOptions &o)
{
    const json &root = containerInspect.is_array() && containerInspect.size() == 1
                           ? containerInspect[0]
                           : containerInspect;
    Collector c;
    if (!root.is_object() || !member(root, "HostConfig").is_object()) {
        c.add("BOX-INSPECT", u"Not a container inspect document"_s,
              u"HostConfig missing: nothing could be checked"_s, Severity::High);
        return c.take();
    }
    const json &host = member(root, "HostConfig");
    const json &config = member(root, "Config");

    if (isTrue(host, "Privileged"))
        c.add("CIS-5.5", u"Privileged container"_s,
              u"Privileged true: all capabilities, all devices, no confinement"_s,
              Severity::Critical);
    auditCapabilities(host, c);
    auditSecurityOptions(root, host, o, c);
    if (!isTrue(host, "ReadonlyRootfs"))
        c.add("CIS-5.13", u"Writable root filesystem"_s, u"ReadonlyRootfs false"_s,
              Severity::Medium);
    auditMounts(root, o, c);
    auditSecretsMount(root, o, c);
    auditEnvironment(config, o, c);
    if (nonEmpty(host, "Devices") || nonEmpty(host, "DeviceCgroupRules"))
        c.add("CIS-5.18", u"Host devices exposed"_s, u"Devices or DeviceCgroupRules are set"_s,
              Severity::High);
    auditNamespaces(host, c);
    auditResources(host, c);
    auditPorts(root, host, c);
    auditProcess(root, config, host, o, c);
    if (nonEmpty(host, "Sysctls"))
        c.add("BOX-SYSCTL", u"Kernel parameters changed"_s, u"Sysctls are set"_s, Severity::Low);
    if (string(member(config, "Labels"), labels::box().toLatin1().constData()).isEmpty())
        c.add("BOX-IDENTITY", u"Not a box-console box"_s,
              u"label box-console.box is missing: not created by box-console"_s, Severity::Low);
    return c.take();
}

bool PostureAudit::hasHighSeverity(const QList<Finding> &findings)
{
    return std::any_of(findings.cbegin(), findings.cend(), [](const Finding &f) {
        return f.severity == Finding::Severity::High || f.severity == Finding::Severity::Critical;
    });
}

json PostureAudit::toJson(const QList<Finding> &findings)
{
    json a = json::array();
    for (const Finding &f : findings)
        a.push_back(f.toJson());
    return a;
}

} // namespace bc::security
