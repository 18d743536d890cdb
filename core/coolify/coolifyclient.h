#pragma once

#include "core/coolify/coolifyconfig.h"
#include "core/coolify/coolifyreply.h"
#include "core/coolify/coolifytypes.h"
#include "core/result.h"

#include <QFuture>
#include <QList>
#include <QObject>
#include <QUrlQuery>

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>

namespace bc::coolify {

class CoolifyTransport;

// Typed async client for the Coolify v4 API (third_party/coolify/openapi.yaml is the
// contract it is checked against). Every call returns a
// future that settles on this object's thread; errors are bc::Error with Coolify's own
// message, 422 field errors and, for 401/403, what the token lacks. The token is read
// from the config or, when empty there, from the SecretStore before the first request; it
// never appears in an error.
class CoolifyClient : public QObject
{
    Q_OBJECT
public:
    explicit CoolifyClient(const CoolifyConfig &config, QObject *parent = nullptr);
    ~CoolifyClient() override;

    const CoolifyConfig &config() const;
    // 429 handling: at most maxRetries retries, each waiting Retry-After capped at maxWaitMs.
    void setRetryPolicy(int maxRetries, int maxWaitMs);

    QFuture<VoidResult> health();
    QFuture<Result<CoolifyVersion>> version();

    QFuture<Result<QList<CoolifyServer>>> servers();
    QFuture<Result<QList<CoolifyProject>>> projects();
    QFuture<Result<CoolifyProject>> project(const QString &projectUuid);
    QFuture<Result<QList<CoolifyEnvironment>>> environments(const QString &projectUuid);
    QFuture<Result<CoolifyEnvironment>> environment(const QString &projectUuid,
                                                    const QString &nameOrUuid);

    QFuture<Result<QList<CoolifyApplication>>> applications(const QString &tag = {});
    QFuture<Result<CoolifyApplication>> application(const QString &uuid);
    // Creates from spec.image (dockerimage) or spec.dockerfile (dockerfile) with
    // autogenerate_domain false; returns the new uuid. For Dockerfile apps it then PATCHes
    // ports_exposes, which Coolify overwrites with 80 on create; if that fails the new
    // application is deleted again.
    QFuture<Result<QString>> createApplication(const CoolifyAppCreate &spec);
    QFuture<VoidResult> updateApplication(const QString &uuid, const nlohmann::json &patch);

    // Without includePreview, the is_preview twins Coolify adds to every variable are dropped.
    QFuture<Result<QList<CoolifyEnvVar>>> envVars(const QString &uuid, bool includePreview = false);
    // Upsert through PATCH …/envs/bulk with every flag sent (omitted flags get reset).
    QFuture<VoidResult> setEnvVars(const QString &uuid, const QList<CoolifyEnvVar> &vars);

    QFuture<Result<CoolifyDeployRequest>> start(const QString &uuid, bool force = false);
    QFuture<Result<CoolifyDeployRequest>> restart(const QString &uuid);
    QFuture<VoidResult> stop(const QString &uuid, bool dockerCleanup = true);
    QFuture<Result<CoolifyDeployRequest>> deploy(const QString &uuid, bool force = false);

    QFuture<Result<CoolifyDeployment>> deployment(const QString &deploymentUuid);
    // Newest first.
    QFuture<Result<QList<CoolifyDeployment>>> applicationDeployments(const QString &appUuid,
                                                                     int take = 5);
    QFuture<VoidResult> cancelDeployment(const QString &deploymentUuid);
    // Polls until finished / failed / cancelled-by-user and returns the last record (the
    // caller decides what failed means). A uuid Coolify never stored (queue full, skipped,
    // or the beta.464–467 404 bug) falls back to the application's newest active
    // deployment; an empty uuid goes there directly.
    using DeploymentObserver = std::function<void(const CoolifyDeployment &)>;
    QFuture<Result<CoolifyDeployment>> followDeployment(const QString &appUuid,
                                                        const QString &deploymentUuid,
                                                        int timeoutMs = 20 * 60 * 1000,
                                                        DeploymentObserver observer = {});

    QFuture<Result<QStringList>> logs(const QString &uuid, int lines = 100);

    // Queues the deletion (every flag sent explicitly: Coolify defaults them all to true).
    QFuture<VoidResult> deleteApplication(const QString &uuid, const CoolifyDeleteOptions &options);
    // Polls GET /applications/{uuid} until 404.
    QFuture<VoidResult> waitUntilGone(const QString &uuid, int timeoutMs = 5 * 60 * 1000);

    // --- services (compose documents) ---
    // Every service of the token's team (no tag filter exists for services).
    QFuture<Result<QList<CoolifyService>>> services();
    QFuture<Result<CoolifyService>> service(const QString &uuid);
    // POST /services with docker_compose_raw (base64); Coolify parses the compose at once,
    // so a compose it rejects is a 422 and nothing is created. Returns the uuid.
    QFuture<Result<QString>> createService(const CoolifyServiceCreate &spec);
    // PATCH /services/{uuid}: name, description, …
    QFuture<VoidResult> updateService(const QString &uuid, const nlohmann::json &patch);
    // The description of a service or an application: where boxes keep their metadata and
    // the marks of operations in flight (CoolifyRecovery).
    QFuture<VoidResult> setDescription(const QString &uuid, bool isService,
                                       const QString &description);
    // PATCH /services/{uuid}/envs/bulk: upsert by key; services take only key, value,
    // is_literal, is_multiline, is_shown_once and comment, and have no preview twins.
    QFuture<VoidResult> setServiceEnvVars(const QString &uuid, const QList<CoolifyEnvVar> &vars);
    // start/stop/restart queue a job and answer with a message only, no deployment uuid:
    // follow the service's status. start of a running service is 400 "Service is already
    // running.", stop of a stopped one 400 "Service is already stopped.".
    QFuture<VoidResult> startService(const QString &uuid);
    QFuture<VoidResult> stopService(const QString &uuid, bool dockerCleanup = true);
    QFuture<VoidResult> restartService(const QString &uuid);
    // Polls GET /services/{uuid} until running:healthy (returned), or a stop after it had
    // started (degraded, exited, dead: an error), or timeout.
    using ServiceObserver = std::function<void(const CoolifyService &)>;
    QFuture<Result<CoolifyService>> followService(const QString &uuid,
                                                  int timeoutMs = 20 * 60 * 1000,
                                                  ServiceObserver observer = {});
    // The log of one compose service ("sub service"); 400 "Container is not running." and
    // 404 "Container not found." arrive as errors with that status.
    QFuture<Result<QStringList>> serviceLogs(const QString &uuid, const QString &subService,
                                             int lines = 100);
    QFuture<VoidResult> deleteService(const QString &uuid, const CoolifyDeleteOptions &options);
    QFuture<VoidResult> waitUntilServiceGone(const QString &uuid, int timeoutMs = 5 * 60 * 1000);

    // What the last response said in its X-RateLimit-Remaining header, -1 if unknown.
    int rateLimitRemaining() const;

signals:
    // Every HTTP exchange, for diagnostics and the contract check (Prism's sl-violations
    // header). Header names are lower case; request headers (the token) are not included.
    void responseReceived(const QString &method, const QString &path, int status,
                          const QMap<QByteArray, QByteArray> &headers, const QByteArray &body);

public:
    using Reply = CoolifyReply;
    using ReplyHandler = std::function<void(Result<Reply>)>;
    // The transport every operation uses; public for tests and for endpoints not wrapped yet.
    // A non-2xx status arrives as an Error (Coolify's message, field errors, hints).
    void send(const QByteArray &method, const QString &path, const QUrlQuery &query,
              const std::optional<nlohmann::json> &body, ReplyHandler handler);

private:
    template <typename T>
    QFuture<Result<T>> call(const QByteArray &method, const QString &path, const QUrlQuery &query,
                            const std::optional<nlohmann::json> &body,
                            std::function<Result<T>(const Reply &)> parse);

    CoolifyTransport *m_transport = nullptr;
};

} // namespace bc::coolify
