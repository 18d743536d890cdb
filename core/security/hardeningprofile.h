#pragma once

#include "core/result.h"
#include "core/security/boxspec.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace bc::security {

// What the box pipeline knows at create time and the spec does not.
struct CreateContext
{
    struct PublishedPort
    {
        int containerPort = 0;
        int hostPort = 0; // 0 = ephemeral; always bound on 127.0.0.1 (docker-dev only)
    };

    QString image;                   // overrides spec.image, e.g. the image built from spec.skills
    QString networkName;             // routed boxes; empty = HardeningProfile::networkName(box)
    QString proxySocketDir;          // the box's own egress socket directory; empty = none
    int egressGroupId = -1;          // group of the egress sockets, added to the box user
    QMap<QString, QString> extraEnv; // e.g. ANTHROPIC_BASE_URL=http://127.0.0.1:3128
    QMap<QString, QString> extraLabels; // e.g. Traefik labels; box-console.* labels win
    // Default probe when the spec has no healthcheck test; empty = the profile's HTTP probe.
    // Busybox test images have no curl, so tests pass HardeningProfile::busyboxHealthTest().
    QStringList healthTest;
    // docker-dev only, and only on a routed box: Docker cannot publish ports of a container
    // whose network is "none".
    QList<PublishedPort> loopbackPorts;
};

// The hardening every box gets (docs/coolify-hardening.md compares the backends), as the body of
// Docker's POST /containers/create. createBody() is pure; validateCreateBody() is the last check
// before anything is sent, so a body assembled or patched elsewhere cannot weaken a box.
class HardeningProfile
{
public:
    static constexpr const char *User = "1000:1000"; // Uid:Gid
    static constexpr int Uid = 1000;
    static constexpr int Gid = 1000;
    static constexpr const char *HomeDir = "/home/coder";
    static constexpr const char *WorkspaceDir = "/home/coder/workspace";
    static constexpr const char *ProxySocketTarget = "/run/egress";
    static constexpr const char *CredentialPlaceholder = "placeholder";
    static constexpr int AgentPort = 9999;
    static constexpr int CodeServerPort = 8080;
    static constexpr int SshPort = 22; // docker-dev boxes only
    // A box's secrets: one file per spec secret in the box's secrets volume, mounted
    // read-only here; the box gets NAME_FILE=<SecretsTarget>/NAME, never the value.
    static constexpr const char *SecretsTarget = "/run/secrets";
    // "routed" or "isolated", set by the profile (a spec cannot: BOX_* is reserved). The
    // box image's entrypoint refuses to switch code-server's auth off in a routed box.
    static constexpr const char *IsolationVariable = "BOX_ISOLATION";
    // CIS 5.15: on-failure restarts at most this many times.
    static constexpr int MaxRestartRetries = 5;

    HardeningProfile() = default;

    nlohmann::json createBody(const BoxSpec &spec, const CreateContext &ctx = {}) const;
    static VoidResult validateCreateBody(const nlohmann::json &body);

    // "<box>-config", "<box>-cache", "<box>-inbox": the only persistent state of a box.
    static QStringList volumeNames(const QString &box);
    // Where each of volumeNames() is mounted, in the same order.
    static QStringList volumeTargets();
    static QString networkName(const QString &box);
    // "<box>-secrets": written anew by every deploy of a box with secrets, never user data.
    static QString secretsVolumeName(const QString &box);
    static QString secretFileVariable(const QString &secret); // NAME_FILE
    static QString secretFilePath(const QString &secret);     // /run/secrets/NAME
    // Probes the box-agent over HTTP with curl, falling back to wget.
    static QStringList defaultHealthTest();
    // HTTP probe with busybox nc (busybox wget crashes in containers with a bridge).
    static QStringList busyboxHealthTest();

    QString tmpSize() const { return m_tmpSize; }
    void setTmpSize(const QString &size) { m_tmpSize = size; }
    QString workspaceSize() const { return m_workspaceSize; }
    void setWorkspaceSize(const QString &size) { m_workspaceSize = size; }
    qint64 nofileSoft() const { return m_nofileSoft; }
    qint64 nofileHard() const { return m_nofileHard; }
    void setNofile(qint64 soft, qint64 hard)
    {
        m_nofileSoft = soft;
        m_nofileHard = hard;
    }
    int restartRetries() const { return m_restartRetries; }
    void setRestartRetries(int retries) { m_restartRetries = retries; }
    QString logMaxSize() const { return m_logMaxSize; }
    int logMaxFiles() const { return m_logMaxFiles; }

private:
    QString m_tmpSize = QStringLiteral("100m");
    QString m_workspaceSize = QStringLiteral("512m");
    qint64 m_nofileSoft = 4096;
    qint64 m_nofileHard = 8192;
    int m_restartRetries = 3;
    QString m_logMaxSize = QStringLiteral("10m");
    int m_logMaxFiles = 3;
};

} // namespace bc::security
