#pragma once

#include "core/coolify/coolifystatus.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace bc::coolify {

// Typed records for the parts of Coolify v4 that box-console uses. Fields the server may
// omit (by version or by token abilities) keep their defaults.

struct CoolifyVersion
{
    QString raw; // as sent: "4.3.11", "4.0.0-beta.420" (a "v" prefix is tolerated)
    int major = 0;
    int minor = 0;
    int patch = 0;
    int beta = -1; // N of "-beta.N", -1 for a release

    static std::optional<CoolifyVersion> parse(const QString &text);
    // Orders releases after their betas: 4.0.0-beta.470 < 4.0.0 < 4.1.0.
    int compare(const CoolifyVersion &other) const;
    bool atLeast(int maj, int min, int pat, int betaN = -1) const;
};

struct CoolifyServer
{
    QString uuid;
    QString name;
    QString description;
    QString ip;
    QString user; // ssh login Coolify itself uses for the server
    int port = 22; // ssh port
    bool isReachable = false;
    bool isUsable = false;
    bool isBuildServer = false;
    // A server that can host a box: usable, reachable and not a build server.
    bool canHost() const { return isReachable && isUsable && !isBuildServer; }
};

struct CoolifyEnvironment
{
    QString uuid;
    QString name;
    qint64 id = -1;
};

struct CoolifyProject
{
    QString uuid;
    QString name;
    QString description;
    QList<CoolifyEnvironment> environments; // only from GET /projects/{uuid}
};

struct CoolifyApplication
{
    QString uuid;
    QString name;
    QString description;
    QStringList domains; // from `fqdn` (comma-separated)
    CoolifyStatus status;
    QString buildPack;
    QString imageName; // docker_registry_image_name
    QString imageTag;
    QString portsExposes;
    qint64 environmentId = -1;
    bool healthCheckEnabled = false;
    QString limitsMemory;
    QString limitsCpus;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime lastOnlineAt;
};

// A Coolify service: a docker compose document Coolify parses and runs (POST /services).
// Its status has the application format; GET /services has no tag filter.
struct CoolifyService
{
    QString uuid;
    QString name;
    QString description;
    CoolifyStatus status;
    QStringList applicationNames; // the compose services, from GET /services/{uuid}
    QDateTime createdAt;
    QDateTime updatedAt;
};

// Where a created application or service goes and what it is called; both create calls
// take the same fields.
struct CoolifyPlacement
{
    QString serverUuid;
    QString projectUuid;
    QString environmentName;
    QString environmentUuid;
    QString destinationUuid;
    QString name;
    QString description;
};

// POST /services from a compose document (sent base64-encoded as docker_compose_raw).
struct CoolifyServiceCreate : CoolifyPlacement
{
    QByteArray compose; // YAML text
    QStringList tags;
    bool instantDeploy = false;
};

struct CoolifyEnvVar
{
    QString uuid;
    QString key;
    QString value; // empty without read:sensitive
    bool isPreview = false;
    bool isLiteral = false;
    bool isMultiline = false;
    bool isShownOnce = false;
    bool isRuntime = true;
    bool isBuildtime = true;
    QString comment;
};

struct CoolifyDeployment
{
    enum class Status { Unknown, Queued, InProgress, Finished, Failed, CancelledByUser };

    QString deploymentUuid;
    QString applicationName;
    QString statusText;
    Status status = Status::Unknown;
    QString serverName;
    QDateTime createdAt;
    QDateTime finishedAt;

    bool isTerminal() const
    {
        return status == Status::Finished || status == Status::Failed ||
               status == Status::CancelledByUser;
    }
    static Status parseStatus(const QString &text);
};

// What a start/restart/deploy call answered. deploymentUuid is empty when Coolify queued
// nothing new ("Deployment already queued for this commit.").
struct CoolifyDeployRequest
{
    QString message;
    QString deploymentUuid;
};

// POST /applications/dockerimage and /applications/dockerfile. Exactly one of image or
// dockerfile is set; the client picks the endpoint from it.
struct CoolifyAppCreate : CoolifyPlacement
{
    QString image; // "registry/name" (tag separate)
    QString imageTag;
    QString dockerfile;   // plain text; sent base64-encoded
    QString portsExposes; // "8080,9999"
    QStringList domains;  // full URLs, "https://alice.boxes.example.com"
    QStringList tags;
    bool healthCheckEnabled = false;
    QString healthCheckPath;
    QString healthCheckPort;
    QString limitsMemory; // "2048m"
    QString limitsMemorySwap;
    QString limitsCpus; // "1.5"
    QString customDockerRunOptions;
};

struct CoolifyDeleteOptions
{
    bool deleteConfigurations = true;
    bool deleteVolumes = true;
    bool dockerCleanup = true;
    bool deleteConnectedNetworks = true;
};

} // namespace bc::coolify
