#pragma once

#include "core/result.h"
#include "core/security/boxspec.h"

#include <QList>
#include <QSettings>
#include <QString>
#include <QStringList>

#include <memory>

namespace bc::boxes {

// A per-owner limit checked at every deploy (core/policy/quotacheck.h). 0 = no limit.
struct OwnerQuota
{
    QString owner; // "*": every owner without an entry of its own
    int maxBoxes = 0;
    double maxCpus = 0;
    qint64 maxMemoryBytes = 0;

    bool isUnlimited() const { return maxBoxes <= 0 && maxCpus <= 0 && maxMemoryBytes <= 0; }
    bool operator==(const OwnerQuota &other) const = default;
};

// Where the policy service posts alerts. Plain http only to this machine: an alert names
// boxes and owners, which must not cross a network in the clear. The URL is a credential
// (a Slack incoming webhook embeds its token), so the settings file holds only the kind, a
// reference into util::SecretStore and a masked form; WebhookSecrets moves URLs in and out.
struct Webhook
{
    // The full URL, in memory only: typed by the user, read from the secret store
    // (WebhookSecrets::resolve), or from an old settings file that still holds it in clear.
    // Empty for a stored webhook that was not resolved.
    QString url;
    QString kind = QStringLiteral("plain"); // "plain" (JSON POST) | "slack"
    // The SecretStore key holding the URL, "webhook.<random id>"; empty until stored.
    QString secretKey;
    // What tables and messages show instead of the URL (ConsoleSettings::maskWebhookUrl).
    QString display;
    bool operator==(const Webhook &other) const = default;
};

// The fleet default policy of one backend.
struct FleetPolicyDefault
{
    QString backend; // a backend id ("docker:unix:///var/run/docker.sock", "coolify:https://…")
                     // or "*": every backend without an entry of its own
    security::BoxSpec::Policy policy;
    bool operator==(const FleetPolicyDefault &other) const = default;
};

// What a deploy to one backend must apply: its fleet default policy and the quotas. error is
// set when the stored settings are invalid: the deploy then refuses instead of silently
// running without the limits someone configured.
struct FleetRules
{
    security::BoxSpec::Policy policyDefault;
    QList<OwnerQuota> quotas;
    QString error;
};

// The console's own settings (QtCore only, so boxctl and the GUI share them). Deploy mode
// precedence: an explicit choice (boxctl --backend, the GUI) > the stored setting >
// DEPLOY_MODE in the environment > "coolify" (the original plan's default).
class ConsoleSettings
{
public:
    // The user's settings (organisation "box-console").
    ConsoleSettings();
    // A given settings file (tests, --config).
    explicit ConsoleSettings(const QString &iniFile);
    ~ConsoleSettings();

    static QStringList deployModes(); // coolify, docker, docker-dev
    static bool isValidDeployMode(const QString &mode);

    QString deployMode() const;
    // Where the effective mode came from: "setting", "environment" or "default".
    QString deployModeSource() const;
    void setDeployMode(const QString &mode); // empty = forget the stored value

    // Docker engines to list and deploy to: host URLs the user added (unix://, tcp://,
    // ssh://) and docker CLI contexts by name (resolved with their TLS material when the
    // backends are built, so `docker context update` applies without a settings change).
    // Both empty = the one the docker CLI would use (DOCKER_HOST, current context, socket).
    QStringList dockerEndpoints() const;
    void setDockerEndpoints(const QStringList &endpoints);
    QStringList dockerContexts() const;
    void setDockerContexts(const QStringList &names);
    // Neither list stored: the console follows the docker CLI's choice.
    bool followsDockerCli() const;

    QString coolifyUrl() const;
    void setCoolifyUrl(const QString &url);

    int statsIntervalMs() const; // default 2000; 0 = no stats
    void setStatsIntervalMs(int ms);
    int resyncIntervalMs() const; // default 30000
    void setResyncIntervalMs(int ms);
    int healthTimeoutMs() const; // default 120000
    void setHealthTimeoutMs(int ms);

    // Traefik: the container joined to routed boxes' networks, and the boxes' domain.
    QString traefikContainer() const;
    void setTraefikContainer(const QString &name);
    QString traefikDomain() const;
    void setTraefikDomain(const QString &domain);

    // Egress (see BoxEgress): the policy file spec.egress picks from (setting, else
    // BOX_EGRESS_POLICY, else none) and the host directory of the proxy's sockets, mounted
    // read-only into boxes with egress (setting, else BOX_EGRESS_SOCKET_DIR, else none).
    QString egressPolicyFile() const;
    void setEgressPolicyFile(const QString &path); // empty = forget the stored value
    QString proxySocketDir() const;
    void setProxySocketDir(const QString &dir); // empty = forget the stored value
    // Where the effective value comes from: "setting", "environment" or "none".
    QString egressPolicyFileSource() const;
    QString proxySocketDirSource() const;
    // The names of the environment variables the two fall back to.
    static QString egressPolicyFileEnv();
    static QString proxySocketDirEnv();

    // Per-box egress, each a setting, else an environment variable:
    //   egress/grantsDir      BOX_EGRESS_GRANTS_DIR  where deploys write their box's grant
    //   egress/reloadCommand  BOX_EGRESS_RELOAD      run after a grant changed (empty: the
    //                                                proxy's service watches the directory)
    //   egress/groupId        BOX_EGRESS_GID         group of the proxy's sockets (-1 none)
    //   egress/logFile        BOX_EGRESS_LOG         the proxy's request log (egress-log)
    //   egress/remoteEngine   BOX_EGRESS_REMOTE_ENGINE  "1": allow egress on remote engines
    QString egressGrantsDir() const;
    void setEgressGrantsDir(const QString &dir);
    QString egressReloadCommand() const;
    void setEgressReloadCommand(const QString &command);
    int egressGroupId() const;
    void setEgressGroupId(int gid); // -1 = forget
    QString egressLogFile() const;
    void setEgressLogFile(const QString &path);
    bool egressRemoteEngine() const;
    void setEgressRemoteEngine(bool allowed);

    // Fleet policies. Reading validates: a stored value that is invalid (hand-edited file)
    // is an Invalid error naming the entry and field, never silently ignored.
    Result<QList<FleetPolicyDefault>> fleetPolicyDefaults() const;
    void setFleetPolicyDefaults(const QList<FleetPolicyDefault> &defaults);
    // The entry of this backend id, else the "*" entry, else no policy.
    Result<security::BoxSpec::Policy> fleetPolicyFor(const QString &backendId) const;
    Result<QList<OwnerQuota>> quotas() const;
    void setQuotas(const QList<OwnerQuota> &quotas);
    // The owner's entry, else the "*" entry, else unlimited (owner set either way).
    static OwnerQuota quotaFor(const QList<OwnerQuota> &quotas, const QString &owner);
    // The stored references (secretKey, kind, display; url empty), or for an entry of an old
    // file that still holds its URL in clear: that URL and no secretKey, so that the next
    // WebhookSecrets::save moves it into the secret store.
    Result<QList<Webhook>> webhooks() const;
    // Writes references only, never a URL: an entry without a secretKey is left out (its URL
    // must go to the secret store first: WebhookSecrets::save).
    void setWebhooks(const QList<Webhook> &webhooks);
    // The secret store keys the stored entries name, even when an entry is otherwise invalid:
    // what a save has to clean up after.
    QStringList webhookSecretKeys() const;
    // Everything a deploy to `backendId` applies; FleetRules::error when the settings are bad.
    FleetRules fleetRulesFor(const QString &backendId) const;

    // The rules the readers above and the Settings dialog apply. `field` prefixes the
    // error, e.g. "quotas[alice]" -> "quotas[alice].maxBoxes: must not be negative".
    static VoidResult validateQuota(const OwnerQuota &quota, const QString &field);
    // A webhook with a URL checks the URL; one without checks its secretKey (a stored
    // reference). Errors show the URL masked, never in full.
    static VoidResult validateWebhook(const Webhook &webhook, const QString &field);
    // "https://hooks.slack.com/…XXXX": scheme, host (and port) and the last 4 characters;
    // no user info, no path, no query. Something without a host shows its scheme only.
    static QString maskWebhookUrl(const QString &url);
    // "webhook.<id>": the keys WebhookSecrets writes (id: 1-64 of A-Z a-z 0-9 '-').
    static bool isWebhookSecretKey(const QString &key);
    static VoidResult validateFleetPolicyDefault(const FleetPolicyDefault &entry,
                                                 const QString &field);
    // "16g", "512m", "1t", "2048k" or bytes; "0" = no limit. Invalid names `field`.
    static Result<qint64> parseQuotaMemory(const QString &text, const QString &field);
    static QString formatQuotaMemory(qint64 bytes);

    QSettings &raw() { return *m_settings; }
    void sync();

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace bc::boxes
