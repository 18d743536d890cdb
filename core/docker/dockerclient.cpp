#include "core/docker/dockerclient.h"

#include "core/docker/buildjob.h"
#include "core/docker/buildoptions.h"
#include "core/docker/dockerjson.h"
#include "core/docker/eventstream.h"
#include "core/docker/logoptions.h"
#include "core/docker/logstream.h"
#include "core/docker/statscalculator.h"
#include "core/docker/statsstream.h"
#include "core/http/httpclient.h"
#include "core/util/futureutil.h"

#include <QMetaObject>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <csignal>

#include <optional>

namespace bc::docker {

using http::HttpRequest;
using http::HttpResponse;

namespace {

// Bodies above this are decoded on a worker thread: a list of a few thousand containers
// would otherwise stall the GUI for tens of milliseconds.
constexpr qsizetype OffThreadParseBytes = 256 * 1024;

std::pair<int, int> splitVersion(const QString &v)
{
    const QStringList parts = v.split(QLatin1Char('.'));
    const int major = parts.value(0).toInt();
    const int minor = parts.value(1).toInt();
    return {major, minor};
}

int compareVersions(const QString &a, const QString &b)
{
    const auto va = splitVersion(a);
    const auto vb = splitVersion(b);
    if (va != vb)
        return va < vb ? -1 : 1;
    return 0;
}

QByteArray pct(const QString &s)
{
    return QUrl::toPercentEncoding(s);
}

QByteArray containerPath(const QString &id, const char *suffix = "")
{
    return QByteArray("/containers/") + pct(id) + suffix;
}

QByteArray jsonBody(const nlohmann::json &j)
{
    return QByteArray::fromStdString(j.dump());
}

template <typename T, typename Parse>
Result<T> parseBody(const QByteArray &body, const Parse &parse)
{
    Result<nlohmann::json> doc = json::parse(body);
    if (!doc)
        return doc.error();
    try {
        return parse(doc.value());
    } catch (const std::exception &e) {
        return Error(
            Error::Kind::Protocol,
            QStringLiteral("unexpected JSON from the daemon: %1").arg(QString::fromUtf8(e.what())));
    }
}

Error clientClosed()
{
    return Error(Error::Kind::Cancelled, QStringLiteral("Docker client closed"));
}

PingInfo pingFrom(const HttpResponse &r)
{
    PingInfo p;
    p.apiVersion = QString::fromLatin1(r.headers.value("Api-Version"));
    p.osType = QString::fromLatin1(r.headers.value("Ostype"));
    p.experimental = r.headers.value("Docker-Experimental") == "true";
    p.builderVersion = QString::fromLatin1(r.headers.value("Builder-Version"));
    return p;
}

} // namespace

DockerClient::DockerClient(http::Endpoint endpoint, QObject *parent)
    : QObject(parent)
    , m_http(std::make_unique<http::HttpClient>(std::move(endpoint)))
{}

DockerClient::~DockerClient()
{
    // Fail waiters and close the connections while this object is still whole: a stream
    // job's finished runs at once, and its handlers (a deploy's rollback) may call back in.
    // Members and children would otherwise do it later, against a half-destroyed client.
    m_closing = true;
    finishNegotiation(clientClosed());
    m_http->closeAll();
}

const http::Endpoint &DockerClient::endpoint() const
{
    return m_http->endpoint();
}

void DockerClient::setApiVersion(const QString &version)
{
    m_apiVersion = version;
    m_pinned = !version.isEmpty();
}

void DockerClient::resetNegotiation()
{
    if (!m_pinned)
        m_apiVersion.clear();
}

Error DockerClient::describeTransportError(const Error &error) const
{
    if (error.kind() != Error::Kind::Transport)
        return error;
    const QString url = endpoint().toUrl();
    QString msg = error.message();
    if (msg.startsWith(QLatin1String("cannot reach Docker")))
        return error;
    const QString lower = msg.toLower();
    QString hint;
    switch (endpoint().transport) {
    case http::Endpoint::Transport::Unix:
        if (lower.contains(QLatin1String("not found")) ||
            lower.contains(QLatin1String("no such")) ||
            lower.contains(QLatin1String("invalid name"))) {
            msg = QStringLiteral("no such file");
            hint = QStringLiteral("is dockerd running?");
        } else if (lower.contains(QLatin1String("permission")) ||
                   lower.contains(QLatin1String("access"))) {
            msg = QStringLiteral("permission denied");
            hint = QStringLiteral("is your user in the docker group?");
        } else if (lower.contains(QLatin1String("refused"))) {
            msg = QStringLiteral("connection refused");
            hint = QStringLiteral("is dockerd running?");
        } else {
            hint = QStringLiteral("is dockerd running?");
        }
        break;
    case http::Endpoint::Transport::Tcp:
        hint = endpoint().tls
                   ? QStringLiteral(
                         "is the daemon listening there with TLS, and are the certificates right?")
                   : QStringLiteral("is the daemon listening there (a TLS-enabled daemon needs "
                                    "DOCKER_TLS_VERIFY)?");
        break;
    case http::Endpoint::Transport::Ssh:
        hint = QStringLiteral("can you run 'ssh %1 docker version'?").arg(endpoint().sshHost);
        break;
    }
    Error out(Error::Kind::Transport,
              QStringLiteral("cannot reach Docker at %1: %2; %3").arg(url, msg, hint),
              error.httpStatus());
    return error.context().isEmpty() ? out : out.withContext(error.context());
}

QFuture<Result<PingInfo>> DockerClient::ping()
{
    if (m_closing)
        return readyFuture<PingInfo>(clientClosed());
    AsyncResult<PingInfo> async;
    HttpRequest head = HttpRequest::head(endpoint().basePath.toUtf8() + "/_ping");
    head.headerTimeoutMs = 30000;
    onFinished(
        m_http->send(head), this,
        [this, async](const Result<HttpResponse> &r) {
            if (r && r->status == 200) {
                async.finish(pingFrom(*r));
                return;
            }
            if (!r && (r.error().kind() == Error::Kind::Transport ||
                       r.error().kind() == Error::Kind::Timeout ||
                       r.error().kind() == Error::Kind::Cancelled)) {
                // "cannot reach Docker at …" says it all; a "ping:" prefix would only confuse.
                async.finish(describeTransportError(r.error()));
                return;
            }
            // HEAD /_ping is API 1.40; older daemons and some proxies only answer GET.
            HttpRequest get = HttpRequest::get(endpoint().basePath.toUtf8() + "/_ping");
            get.headerTimeoutMs = 30000;
            onFinished(
                m_http->send(get), this,
                [this, async](const Result<HttpResponse> &r2) {
                    if (!r2)
                        async.finish(
                            describeTransportError(r2.error()).withContext(QStringLiteral("ping")));
                    else if (!r2->isSuccess())
                        async.finish(Error::fromHttpStatus(r2->status, r2->serverMessage())
                                         .withContext(QStringLiteral("ping")));
                    else
                        async.finish(pingFrom(*r2));
                },
                WhenReady::RunNow);
        },
        WhenReady::RunNow);
    return async.future();
}

void DockerClient::finishNegotiation(const Result<QString> &result)
{
    m_negotiating = false;
    const QList<AsyncResult<QString>> waiters = std::exchange(m_negotiationWaiters, {});
    for (const AsyncResult<QString> &w : waiters)
        w.finish(result);
}

QFuture<Result<QString>> DockerClient::negotiate()
{
    if (m_closing)
        return readyFuture<QString>(clientClosed());
    if (!m_apiVersion.isEmpty())
        return readyFuture<QString>(m_apiVersion);
    AsyncResult<QString> waiter;
    m_negotiationWaiters.append(waiter);
    if (m_negotiating)
        return waiter.future();
    m_negotiating = true;
    onFinished(
        ping(), this,
        [this](const Result<PingInfo> &r) {
            if (!r) {
                finishNegotiation(
                    r.error().kind() == Error::Kind::Transport
                        ? r.error()
                        : r.error().withContext(QStringLiteral("negotiate API version")));
                return;
            }
            const QString daemon = r->apiVersion;
            const QString min = QString::fromLatin1(MinApiVersion);
            const QString max = QString::fromLatin1(MaxApiVersion);
            if (daemon.isEmpty() || compareVersions(daemon, min) < 0) {
                finishNegotiation(Error(
                    Error::Kind::Version,
                    QStringLiteral("Docker at %1 speaks API %2, but box-console needs API %3 or "
                                   "later (Docker Engine 19.03+); upgrade the engine")
                        .arg(endpoint().toUrl(),
                             daemon.isEmpty() ? QStringLiteral("< 1.40 (no Api-Version header)")
                                              : daemon,
                             min)));
                return;
            }
            const QString chosen = compareVersions(daemon, max) < 0 ? daemon : max;
            m_apiVersion = chosen;
            emit apiVersionNegotiated(chosen);
            finishNegotiation(chosen);
        },
        WhenReady::RunNow);
    return waiter.future();
}

QFuture<Result<QByteArray>> DockerClient::versionedTarget(const QByteArray &path)
{
    AsyncResult<QByteArray> async;
    onFinished(
        negotiate(), this,
        [this, async, path](const Result<QString> &v) {
            if (!v) {
                async.finish(v.error());
                return;
            }
            async.finish(QByteArray(endpoint().basePath.toUtf8() + "/v" + v->toLatin1() + path));
        },
        WhenReady::RunNow);
    return async.future();
}

// BOX_TEST_KILL_AFTER_CALL=N: the process SIGKILLs itself once the engine has answered
// its Nth request, before the caller sees the answer (the crash-consistency test: the
// engine acted, nobody recorded it). Counted per process.
static void killForCrashTest()
{
    static const int killAfter = qEnvironmentVariableIntValue("BOX_TEST_KILL_AFTER_CALL");
    static std::atomic<int> calls{0};
    if (killAfter > 0 && ++calls >= killAfter)
        ::raise(SIGKILL);
}

QFuture<VoidResult> DockerClient::renameContainer(const QString &id, const QString &name)
{
    QByteArray path = containerPath(id, "/rename");
    path += "?name=" + QUrl::toPercentEncoding(name);
    return callVoid(HttpRequest::post(path), QStringLiteral("rename container %1").arg(id));
}

QFuture<Result<HttpResponse>> DockerClient::request(HttpRequest request)
{
    AsyncResult<HttpResponse> async;
    onFinished(
        versionedTarget(request.target), this,
        [this, async, request](const Result<QByteArray> &target) mutable {
            if (!target) {
                async.finish(target.error());
                return;
            }
            request.target = *target;
            onFinished(
                m_http->send(request), this,
                [this, async](const Result<HttpResponse> &r) {
                    killForCrashTest();
                    async.finish(r ? r : Result<HttpResponse>(describeTransportError(r.error())));
                },
                WhenReady::RunNow);
        },
        WhenReady::RunNow);
    return async.future();
}

template <typename T, typename Parse>
QFuture<Result<T>> DockerClient::call(HttpRequest req, const QString &what, Parse parse)
{
    AsyncResult<T> async;
    onFinished(
        request(std::move(req)), this,
        [async, what, parse](const Result<HttpResponse> &r) {
            if (!r) {
                async.finish(r.error().withContext(what));
                return;
            }
            if (!r->isSuccess()) {
                async.finish(
                    Error::fromHttpStatus(r->status, r->serverMessage()).withContext(what));
                return;
            }
            if (r->body.size() > OffThreadParseBytes) {
                QtConcurrent::run([body = r->body, parse] {
                    return parseBody<T>(body, parse);
                }).then([async, what](const Result<T> &parsed) {
                    async.finish(parsed ? parsed : Result<T>(parsed.error().withContext(what)));
                });
                return;
            }
            Result<T> parsed = parseBody<T>(r->body, parse);
            async.finish(parsed ? std::move(parsed) : Result<T>(parsed.error().withContext(what)));
        },
        WhenReady::RunNow);
    return async.future();
}

QFuture<VoidResult> DockerClient::callVoid(HttpRequest req, const QString &what,
                                           bool notModifiedIsSuccess)
{
    AsyncResult<void> async;
    onFinished(
        request(std::move(req)), this,
        [async, what, notModifiedIsSuccess](const Result<HttpResponse> &r) {
            if (!r)
                async.finish(r.error().withContext(what));
            else if (r->isSuccess() || (notModifiedIsSuccess && r->status == 304))
                async.finish(VoidResult());
            else
                async.finish(
                    Error::fromHttpStatus(r->status, r->serverMessage()).withContext(what));
        },
        WhenReady::RunNow);
    return async.future();
}

QFuture<Result<VersionInfo>> DockerClient::version()
{
    return call<VersionInfo>(HttpRequest::get("/version"), QStringLiteral("version"),
                             [this](const nlohmann::json &j) -> Result<VersionInfo> {
                                 VersionInfo v = json::version(j);
                                 v.negotiatedApiVersion = m_apiVersion;
                                 return v;
                             });
}

QFuture<Result<SystemInfo>> DockerClient::info()
{
    return call<SystemInfo>(
        HttpRequest::get("/info"), QStringLiteral("info"),
        [](const nlohmann::json &j) -> Result<SystemInfo> { return json::systemInfo(j); });
}

QByteArray DockerClient::encodeFilters(const Filters &filters)
{
    nlohmann::json j = nlohmann::json::object();
    for (auto it = filters.begin(); it != filters.end(); ++it) {
        nlohmann::json values = nlohmann::json::array();
        for (const QString &v : it.value())
            values.push_back(v.toStdString());
        j[it.key().toStdString()] = values;
    }
    return QByteArray::fromStdString(j.dump());
}

static QByteArray filtersQuery(const Filters &filters, char sep)
{
    if (filters.isEmpty())
        return {};
    return sep + QByteArray("filters=") +
           QUrl::toPercentEncoding(QString::fromUtf8(DockerClient::encodeFilters(filters)));
}

// ---- containers

QFuture<Result<QList<ContainerSummary>>> DockerClient::listContainers(bool all,
                                                                      const Filters &filters)
{
    QByteArray path = "/containers/json";
    path += all ? "?all=1" : "?all=0";
    path += filtersQuery(filters, '&');
    const QString what = QStringLiteral("list containers");
    AsyncResult<QList<ContainerSummary>> async;
    // Streamed straight into the records (json::containerList), not through a document.
    onFinished(
        request(HttpRequest::get(path)), this,
        [async, what](const Result<HttpResponse> &r) {
            if (!r) {
                async.finish(r.error().withContext(what));
                return;
            }
            if (!r->isSuccess()) {
                async.finish(
                    Error::fromHttpStatus(r->status, r->serverMessage()).withContext(what));
                return;
            }
            auto parse = [](const QByteArray &body) -> Result<QList<ContainerSummary>> {
                try {
                    return json::containerList(body);
                } catch (const std::exception &e) {
                    return Error(Error::Kind::Protocol,
                                 QStringLiteral("unexpected JSON from the daemon: %1")
                                     .arg(QString::fromUtf8(e.what())));
                }
            };
            if (r->body.size() > OffThreadParseBytes) {
                QtConcurrent::run([body = r->body, parse] {
                    return parse(body);
                }).then([async, what](const Result<QList<ContainerSummary>> &parsed) {
                    async.finish(
                        parsed ? parsed
                               : Result<QList<ContainerSummary>>(parsed.error().withContext(what)));
                });
                return;
            }
            Result<QList<ContainerSummary>> parsed = parse(r->body);
            async.finish(parsed
                             ? std::move(parsed)
                             : Result<QList<ContainerSummary>>(parsed.error().withContext(what)));
        },
        WhenReady::RunNow);
    return async.future();
}

QFuture<Result<ContainerInspect>> DockerClient::inspectContainer(const QString &idOrName)
{
    return call<ContainerInspect>(HttpRequest::get(containerPath(idOrName, "/json")),
                                  QStringLiteral("inspect container %1").arg(idOrName),
                                  [](const nlohmann::json &j) -> Result<ContainerInspect> {
                                      return json::containerInspect(j);
                                  });
}

QFuture<Result<CreatedContainer>> DockerClient::createContainer(const QString &name,
                                                                const nlohmann::json &body)
{
    QByteArray path = "/containers/create";
    if (!name.isEmpty())
        path += "?name=" + pct(name);
    return call<CreatedContainer>(
        HttpRequest::post(path, jsonBody(body)),
        name.isEmpty() ? QStringLiteral("create container")
                       : QStringLiteral("create container %1").arg(name),
        [](const nlohmann::json &j) -> Result<CreatedContainer> {
            CreatedContainer c;
            c.id = json::str(j, "Id");
            c.warnings = json::strings(j, "Warnings");
            if (c.id.isEmpty())
                return Error(Error::Kind::Protocol,
                             QStringLiteral("the daemon returned no container id"));
            return c;
        });
}

QFuture<VoidResult> DockerClient::startContainer(const QString &id)
{
    return callVoid(HttpRequest::post(containerPath(id, "/start")),
                    QStringLiteral("start container %1").arg(id), true);
}

static HttpRequest withStopTimeout(HttpRequest req, int timeoutSec)
{
    // The daemon answers only after the container stopped: allow the grace period plus margin.
    req.headerTimeoutMs = timeoutSec < 0 ? 90000 : (timeoutSec + 60) * 1000;
    return req;
}

QFuture<VoidResult> DockerClient::stopContainer(const QString &id, int timeoutSec)
{
    QByteArray path = containerPath(id, "/stop");
    if (timeoutSec >= 0)
        path += "?t=" + QByteArray::number(timeoutSec);
    return callVoid(withStopTimeout(HttpRequest::post(path), timeoutSec),
                    QStringLiteral("stop container %1").arg(id), true);
}

QFuture<VoidResult> DockerClient::restartContainer(const QString &id, int timeoutSec)
{
    QByteArray path = containerPath(id, "/restart");
    if (timeoutSec >= 0)
        path += "?t=" + QByteArray::number(timeoutSec);
    return callVoid(withStopTimeout(HttpRequest::post(path), timeoutSec),
                    QStringLiteral("restart container %1").arg(id));
}

QFuture<VoidResult> DockerClient::killContainer(const QString &id, const QString &signal)
{
    QByteArray path = containerPath(id, "/kill");
    if (!signal.isEmpty())
        path += "?signal=" + pct(signal);
    return callVoid(HttpRequest::post(path), QStringLiteral("kill container %1").arg(id));
}

QFuture<VoidResult> DockerClient::removeContainer(const QString &id, bool force,
                                                  bool removeAnonymousVolumes)
{
    QByteArray path = containerPath(id);
    path += force ? "?force=1" : "?force=0";
    if (removeAnonymousVolumes)
        path += "&v=1";
    HttpRequest req = HttpRequest::del(path);
    req.headerTimeoutMs = 120000;
    return callVoid(req, QStringLiteral("remove container %1").arg(id));
}

QFuture<Result<int>> DockerClient::waitContainer(const QString &id, const QString &condition)
{
    QByteArray path = containerPath(id, "/wait");
    if (!condition.isEmpty())
        path += "?condition=" + pct(condition);
    HttpRequest req = HttpRequest::post(path);
    req.headerTimeoutMs = 0; // blocks until the container stops, however long that is
    return call<int>(req, QStringLiteral("wait for container %1").arg(id),
                     [](const nlohmann::json &j) -> Result<int> {
                         if (j.contains("Error") && j["Error"].is_object()) {
                             const QString msg = json::str(j["Error"], "Message");
                             if (!msg.isEmpty())
                                 return Error(Error::Kind::Server, msg);
                         }
                         return int(json::integer(j, "StatusCode"));
                     });
}

// ---- volumes

QFuture<Result<VolumeInfo>> DockerClient::createVolume(const QString &name,
                                                       const QMap<QString, QString> &labels)
{
    nlohmann::json body = {{"Name", name.toStdString()}, {"Labels", json::toJson(labels)}};
    return call<VolumeInfo>(
        HttpRequest::post("/volumes/create", jsonBody(body)),
        QStringLiteral("create volume %1").arg(name),
        [](const nlohmann::json &j) -> Result<VolumeInfo> { return json::volume(j); });
}

QFuture<Result<QList<VolumeInfo>>> DockerClient::listVolumes(const Filters &filters)
{
    return call<QList<VolumeInfo>>(HttpRequest::get("/volumes" + filtersQuery(filters, '?')),
                                   QStringLiteral("list volumes"),
                                   [](const nlohmann::json &j) -> Result<QList<VolumeInfo>> {
                                       QList<VolumeInfo> out;
                                       if (j.contains("Volumes") && j["Volumes"].is_array())
                                           for (const auto &v : j["Volumes"])
                                               out << json::volume(v);
                                       return out;
                                   });
}

QFuture<Result<VolumeInfo>> DockerClient::inspectVolume(const QString &name)
{
    return call<VolumeInfo>(
        HttpRequest::get("/volumes/" + pct(name)), QStringLiteral("inspect volume %1").arg(name),
        [](const nlohmann::json &j) -> Result<VolumeInfo> { return json::volume(j); });
}

QFuture<VoidResult> DockerClient::putArchive(const QString &id, const QString &path,
                                             const QByteArray &tar)
{
    HttpRequest req;
    req.method = "PUT";
    req.target = "/containers/" + pct(id) + "/archive?path=" + pct(path);
    req.headers.set("Content-Type", "application/x-tar");
    req.body = tar;
    return callVoid(std::move(req), QStringLiteral("copy into %1:%2").arg(id.left(12), path));
}

QFuture<VoidResult> DockerClient::removeVolume(const QString &name, bool force)
{
    return callVoid(HttpRequest::del("/volumes/" + pct(name) + (force ? "?force=1" : "")),
                    QStringLiteral("remove volume %1").arg(name));
}

// ---- networks

QFuture<Result<QString>> DockerClient::createNetwork(const QString &name, bool internal,
                                                     const QMap<QString, QString> &labels,
                                                     const QString &driver)
{
    nlohmann::json body = {{"Name", name.toStdString()},
                           {"Internal", internal},
                           {"CheckDuplicate", true},
                           {"Driver", driver.toStdString()},
                           {"Labels", json::toJson(labels)}};
    return call<QString>(
        HttpRequest::post("/networks/create", jsonBody(body)),
        QStringLiteral("create network %1").arg(name),
        [](const nlohmann::json &j) -> Result<QString> { return json::str(j, "Id"); });
}

QFuture<Result<NetworkInfo>> DockerClient::inspectNetwork(const QString &idOrName)
{
    return call<NetworkInfo>(
        HttpRequest::get("/networks/" + pct(idOrName)),
        QStringLiteral("inspect network %1").arg(idOrName),
        [](const nlohmann::json &j) -> Result<NetworkInfo> { return json::network(j); });
}

QFuture<Result<QList<NetworkInfo>>> DockerClient::listNetworks(const Filters &filters)
{
    return call<QList<NetworkInfo>>(HttpRequest::get("/networks" + filtersQuery(filters, '?')),
                                    QStringLiteral("list networks"),
                                    [](const nlohmann::json &j) -> Result<QList<NetworkInfo>> {
                                        QList<NetworkInfo> out;
                                        if (j.is_array())
                                            for (const auto &n : j)
                                                out << json::network(n);
                                        return out;
                                    });
}

QFuture<VoidResult> DockerClient::connectNetwork(const QString &network, const QString &container,
                                                 const QStringList &aliases)
{
    nlohmann::json body = {{"Container", container.toStdString()}};
    if (!aliases.isEmpty()) {
        nlohmann::json a = nlohmann::json::array();
        for (const QString &s : aliases)
            a.push_back(s.toStdString());
        body["EndpointConfig"] = {{"Aliases", a}};
    }
    return callVoid(HttpRequest::post("/networks/" + pct(network) + "/connect", jsonBody(body)),
                    QStringLiteral("connect container %1 to network %2").arg(container, network));
}

QFuture<VoidResult> DockerClient::disconnectNetwork(const QString &network,
                                                    const QString &container, bool force)
{
    nlohmann::json body = {{"Container", container.toStdString()}, {"Force", force}};
    return callVoid(
        HttpRequest::post("/networks/" + pct(network) + "/disconnect", jsonBody(body)),
        QStringLiteral("disconnect container %1 from network %2").arg(container, network));
}

QFuture<VoidResult> DockerClient::removeNetwork(const QString &idOrName)
{
    return callVoid(HttpRequest::del("/networks/" + pct(idOrName)),
                    QStringLiteral("remove network %1").arg(idOrName));
}

// ---- images

QFuture<Result<QList<ImageSummary>>> DockerClient::listImages(const Filters &filters)
{
    return call<QList<ImageSummary>>(HttpRequest::get("/images/json" + filtersQuery(filters, '?')),
                                     QStringLiteral("list images"),
                                     [](const nlohmann::json &j) -> Result<QList<ImageSummary>> {
                                         QList<ImageSummary> out;
                                         if (j.is_array())
                                             for (const auto &i : j)
                                                 out << json::imageSummary(i);
                                         return out;
                                     });
}

QFuture<Result<ImageInspect>> DockerClient::inspectImage(const QString &nameOrId)
{
    return call<ImageInspect>(
        HttpRequest::get("/images/" + pct(nameOrId) + "/json"),
        QStringLiteral("inspect image %1").arg(nameOrId),
        [](const nlohmann::json &j) -> Result<ImageInspect> { return json::imageInspect(j); });
}

QFuture<VoidResult> DockerClient::removeImage(const QString &nameOrId, bool force)
{
    return callVoid(
        HttpRequest::del("/images/" + pct(nameOrId) + (force ? "?force=1" : "?force=0")),
        QStringLiteral("remove image %1").arg(nameOrId));
}

// ---- jobs: created at once, started on the next event-loop turn so callers can connect
// their signals first. Each deletes itself after `finished`.

BuildJob *DockerClient::build(const BuildOptions &options)
{
    auto *job = new BuildJob(this, options, this);
    QMetaObject::invokeMethod(
        job, [job] { job->start(); }, Qt::QueuedConnection);
    return job;
}

QFuture<Result<StatsSample>> DockerClient::stats(const QString &id, bool oneShot,
                                                 const StatsSample *previous)
{
    std::optional<StatsSample> prev;
    if (previous)
        prev = *previous;
    AsyncResult<StatsSample> async;
    const QString what = QStringLiteral("stats of container %1").arg(id);
    onFinished(
        negotiate(), this,
        [this, async, id, oneShot, prev, what](const Result<QString> &v) {
            if (!v) {
                async.finish(v.error().withContext(what));
                return;
            }
            QByteArray path = containerPath(id, "/stats?stream=0");
            // one-shot is honoured from API 1.41 on; without it the daemon waits for two
            // collection cycles (~1-2 s) so that precpu is filled.
            if (oneShot && compareVersions(*v, QStringLiteral("1.41")) >= 0)
                path += "&one-shot=1";
            call<StatsSample>(HttpRequest::get(path), what,
                              [prev](const nlohmann::json &j) -> Result<StatsSample> {
                                  return StatsCalculator::fromJson(j, prev ? &*prev : nullptr);
                              })
                .then([async](const Result<StatsSample> &r) { async.finish(r); });
        },
        WhenReady::RunNow);
    return async.future();
}

StatsStream *DockerClient::statsStream(const QString &id)
{
    auto *job = new StatsStream(this, id, this);
    QMetaObject::invokeMethod(
        job, [job] { job->start(); }, Qt::QueuedConnection);
    return job;
}

EventStream *DockerClient::events(const Filters &filters, qint64 sinceNano)
{
    QByteArray path = "/events";
    QList<QByteArray> query;
    if (!filters.isEmpty())
        query << "filters=" + QUrl::toPercentEncoding(QString::fromUtf8(encodeFilters(filters)));
    if (sinceNano > 0) {
        // The daemon takes seconds with a fraction: resume exactly after the last event.
        query << "since=" + QByteArray::number(sinceNano / 1000000000LL) + '.' +
                     QByteArray::number(sinceNano % 1000000000LL).rightJustified(9, '0');
    }
    if (!query.isEmpty())
        path += '?' + query.join('&');
    auto *job = new EventStream(this, path, this);
    QMetaObject::invokeMethod(
        job, [job] { job->start(); }, Qt::QueuedConnection);
    return job;
}

LogStream *DockerClient::logs(const QString &id, const LogOptions &options)
{
    auto *job = new LogStream(this, id, options, this);
    QMetaObject::invokeMethod(
        job, [job] { job->start(); }, Qt::QueuedConnection);
    return job;
}

} // namespace bc::docker
