#pragma once

#include "core/docker/dockertypes.h"
#include "core/http/endpoint.h"
#include "core/result.h"
#include "core/util/async.h"

#include <QFuture>
#include <QMap>
#include <QObject>
#include <QStringList>

#include <memory>

namespace bc::http {
class HttpClient;
struct HttpRequest;
struct HttpResponse;
class HttpStream;
} // namespace bc::http

namespace bc::docker {

class BuildJob;
class EventStream;
class LogStream;
class StatsStream;
struct BuildOptions;
struct LogOptions;

// filters={"label":["a=b"],"status":["running"]}, encoded as the API's JSON filter map.
using Filters = QMap<QString, QStringList>;

// Typed asynchronous Docker Engine API client for one endpoint. Negotiates the API version
// once (lazily, via /_ping; lower of ours and the daemon's; below 1.40 is refused) and then
// uses versioned paths. Every call returns at once; results arrive on this object's thread.
// Destroying the client finishes every future it handed out (Cancelled) before delete
// returns, and ends its stream jobs; calls made meanwhile (from their handlers) get a
// ready Cancelled result.
class DockerClient : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *MaxApiVersion = "1.47";
    static constexpr const char *MinApiVersion = "1.40";

    explicit DockerClient(http::Endpoint endpoint, QObject *parent = nullptr);
    ~DockerClient() override;

    const http::Endpoint &endpoint() const;
    http::HttpClient *http() const { return m_http.get(); }

    // Pins the API version (DOCKER_API_VERSION) instead of negotiating.
    void setApiVersion(const QString &version);
    QString apiVersion() const { return m_apiVersion; } // empty until negotiated
    // Forgets the negotiated version, e.g. after the daemon restarted (maybe upgraded).
    void resetNegotiation();

    QFuture<Result<PingInfo>> ping();
    QFuture<Result<QString>> negotiate();
    QFuture<Result<VersionInfo>> version();
    QFuture<Result<SystemInfo>> info();

    // Containers
    QFuture<Result<QList<ContainerSummary>>> listContainers(bool all = false,
                                                            const Filters &filters = {});
    QFuture<Result<ContainerInspect>> inspectContainer(const QString &idOrName);
    // `body` is the create JSON (Image, Cmd, HostConfig, …); name may be empty.
    QFuture<Result<CreatedContainer>> createContainer(const QString &name,
                                                      const nlohmann::json &body);
    QFuture<VoidResult> startContainer(const QString &id);                     // 304 = success
    QFuture<VoidResult> stopContainer(const QString &id, int timeoutSec = -1); // 304 = success
    QFuture<VoidResult> restartContainer(const QString &id, int timeoutSec = -1);
    QFuture<VoidResult> renameContainer(const QString &id, const QString &name);
    QFuture<VoidResult> killContainer(const QString &id, const QString &signal = {});
    QFuture<VoidResult> removeContainer(const QString &id, bool force = false,
                                        bool removeAnonymousVolumes = false);
    // PUT /containers/{id}/archive: extracts an uncompressed tar into the directory `path`
    // of a container, running or only created. Owners and modes come from the tar (the
    // engine's copyUIDGID stays off). The engine refuses a path on a read-only root or a
    // read-only volume. Errors name the container and path, never the content.
    QFuture<VoidResult> putArchive(const QString &id, const QString &path, const QByteArray &tar);
    // Blocks server-side until the condition; returns the exit code.
    QFuture<Result<int>> waitContainer(const QString &id,
                                       const QString &condition = QStringLiteral("not-running"));

    // Volumes
    QFuture<Result<VolumeInfo>> createVolume(const QString &name,
                                             const QMap<QString, QString> &labels = {});
    QFuture<Result<QList<VolumeInfo>>> listVolumes(const Filters &filters = {});
    QFuture<Result<VolumeInfo>> inspectVolume(const QString &name);
    QFuture<VoidResult> removeVolume(const QString &name, bool force = false);

    // Networks
    QFuture<Result<QString>> createNetwork(const QString &name, bool internal,
                                           const QMap<QString, QString> &labels = {},
                                           const QString &driver = QStringLiteral("bridge"));
    QFuture<Result<NetworkInfo>> inspectNetwork(const QString &idOrName);
    QFuture<Result<QList<NetworkInfo>>> listNetworks(const Filters &filters = {});
    QFuture<VoidResult> connectNetwork(const QString &network, const QString &container,
                                       const QStringList &aliases = {});
    QFuture<VoidResult> disconnectNetwork(const QString &network, const QString &container,
                                          bool force = false);
    QFuture<VoidResult> removeNetwork(const QString &idOrName);

    // Images
    QFuture<Result<QList<ImageSummary>>> listImages(const Filters &filters = {});
    QFuture<Result<ImageInspect>> inspectImage(const QString &nameOrId);
    QFuture<VoidResult> removeImage(const QString &nameOrId, bool force = false);
    // Streams a build; the context is packed off the GUI thread. See BuildJob.
    BuildJob *build(const BuildOptions &options);

    // Stats: one sample. With `previous` (the last sample of this container), CPU % is
    // computed against it; otherwise against the daemon's precpu (0 for one-shot).
    QFuture<Result<StatsSample>> stats(const QString &id, bool oneShot = true,
                                       const StatsSample *previous = nullptr);
    // Live stats, one sample a second as the daemon sends them.
    StatsStream *statsStream(const QString &id);

    // Events since `sinceNano` (nanoseconds since the epoch, 0 = from now), optionally
    // filtered.
    EventStream *events(const Filters &filters = {}, qint64 sinceNano = 0);

    LogStream *logs(const QString &id, const LogOptions &options);

    // Low level, for the job classes and for calls not typed here. `path` is unversioned
    // ("/containers/json?all=1"); the negotiated version prefix is added.
    QFuture<Result<http::HttpResponse>> request(http::HttpRequest request);
    // Negotiates first, then opens the stream; the stream reports negotiation errors too.
    QFuture<Result<QByteArray>> versionedTarget(const QByteArray &path);

    static QByteArray encodeFilters(const Filters &filters);

signals:
    void apiVersionNegotiated(const QString &version);

private:
    std::unique_ptr<http::HttpClient> m_http;
    QString m_apiVersion;
    bool m_pinned = false;
    bool m_closing = false; // in the destructor: every new call fails at once
    QFuture<Result<QString>> m_negotiation;

    // Everyone who asked while a negotiation was in flight; they share its outcome.
    // (A QFuture takes one continuation only, so callers get their own promise.)
    QList<AsyncResult<QString>> m_negotiationWaiters;
    bool m_negotiating = false;

    template <typename T, typename Parse>
    QFuture<Result<T>> call(http::HttpRequest request, const QString &what, Parse parse);
    QFuture<VoidResult> callVoid(http::HttpRequest request, const QString &what,
                                 bool notModifiedIsSuccess = false);
    void finishNegotiation(const Result<QString> &result);

public:
    // A transport failure rephrased so a user can act on it ("cannot reach Docker at
    // unix:///var/run/docker.sock: no such file; is dockerd running?").
    Error describeTransportError(const Error &error) const;
};

} // namespace bc::docker
