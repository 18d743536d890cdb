#include "core/coolify/coolifyclient.h"

#include "core/coolify/coolifydecode.h"
#include "core/coolify/coolifydeploymentwatcher.h"
#include "core/coolify/coolifyencode.h"
#include "core/coolify/coolifygonewatcher.h"
#include "core/coolify/coolifyservicewatcher.h"
#include "core/coolify/coolifytransport.h"
#include "core/util/async.h"
#include "core/util/futureutil.h"
#include "core/util/json.h"

namespace bc::coolify {

using nlohmann::json;

using util::json::utf8;

CoolifyClient::CoolifyClient(const CoolifyConfig &config, QObject *parent)
    : QObject(parent)
    , m_transport(new CoolifyTransport(config, this))
{
    connect(m_transport, &CoolifyTransport::responseReceived, this,
            &CoolifyClient::responseReceived);
}

CoolifyClient::~CoolifyClient() = default;

const CoolifyConfig &CoolifyClient::config() const
{
    return m_transport->config();
}

void CoolifyClient::setRetryPolicy(int maxRetries, int maxWaitMs)
{
    m_transport->setRetryPolicy(maxRetries, maxWaitMs);
}

int CoolifyClient::rateLimitRemaining() const
{
    return m_transport->rateLimitRemaining();
}

void CoolifyClient::send(const QByteArray &method, const QString &path, const QUrlQuery &query,
                         const std::optional<json> &body, ReplyHandler handler)
{
    m_transport->send(method, path, query, body, std::move(handler));
}

template <typename T>
QFuture<Result<T>> CoolifyClient::call(const QByteArray &method, const QString &path,
                                       const QUrlQuery &query, const std::optional<json> &body,
                                       std::function<Result<T>(const Reply &)> parse)
{
    AsyncResult<T> async;
    const QString context = QString::fromLatin1(method) + QLatin1Char(' ') + path;
    send(method, path, query, body, [async, parse, context](Result<Reply> reply) {
        if (!reply) {
            async.finish(reply.error());
            return;
        }
        Result<T> parsed = parse(reply.value());
        if (!parsed && parsed.error().context().isEmpty())
            async.finish(parsed.error().withContext(context));
        else
            async.finish(std::move(parsed));
    });
    return async.future();
}

static QString pathPart(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

// --- operations ----------------------------------------------------------------------------

QFuture<VoidResult> CoolifyClient::health()
{
    return call<void>("GET", QStringLiteral("/health"), {}, std::nullopt,
                      [](const Reply &) -> VoidResult { return {}; });
}

QFuture<Result<CoolifyVersion>> CoolifyClient::version()
{
    return call<CoolifyVersion>("GET", QStringLiteral("/version"), {}, std::nullopt,
                                decode::version);
}

QFuture<Result<QList<CoolifyServer>>> CoolifyClient::servers()
{
    return call<QList<CoolifyServer>>(
        "GET", QStringLiteral("/servers"), {}, std::nullopt,
        [](const Reply &r) { return decode::array<CoolifyServer>(r, decode::server); });
}

QFuture<Result<QList<CoolifyProject>>> CoolifyClient::projects()
{
    return call<QList<CoolifyProject>>(
        "GET", QStringLiteral("/projects"), {}, std::nullopt,
        [](const Reply &r) { return decode::array<CoolifyProject>(r, decode::project); });
}

QFuture<Result<CoolifyProject>> CoolifyClient::project(const QString &projectUuid)
{
    return call<CoolifyProject>(
        "GET", QStringLiteral("/projects/") + pathPart(projectUuid), {}, std::nullopt,
        [](const Reply &r) { return decode::object<CoolifyProject>(r, decode::project); });
}

QFuture<Result<QList<CoolifyEnvironment>>> CoolifyClient::environments(const QString &projectUuid)
{
    return call<QList<CoolifyEnvironment>>(
        "GET", QStringLiteral("/projects/%1/environments").arg(pathPart(projectUuid)), {},
        std::nullopt,
        [](const Reply &r) { return decode::array<CoolifyEnvironment>(r, decode::environment); });
}

QFuture<Result<CoolifyEnvironment>> CoolifyClient::environment(const QString &projectUuid,
                                                               const QString &nameOrUuid)
{
    return call<CoolifyEnvironment>(
        "GET", QStringLiteral("/projects/%1/%2").arg(pathPart(projectUuid), pathPart(nameOrUuid)),
        {}, std::nullopt,
        [](const Reply &r) { return decode::object<CoolifyEnvironment>(r, decode::environment); });
}

QFuture<Result<QList<CoolifyApplication>>> CoolifyClient::applications(const QString &tag)
{
    QUrlQuery query;
    if (!tag.isEmpty())
        query.addQueryItem(QStringLiteral("tag"), tag);
    return call<QList<CoolifyApplication>>(
        "GET", QStringLiteral("/applications"), query, std::nullopt,
        [](const Reply &r) { return decode::array<CoolifyApplication>(r, decode::application); });
}

QFuture<Result<CoolifyApplication>> CoolifyClient::application(const QString &uuid)
{
    return call<CoolifyApplication>(
        "GET", QStringLiteral("/applications/") + pathPart(uuid), {}, std::nullopt,
        [](const Reply &r) { return decode::object<CoolifyApplication>(r, decode::application); });
}

QFuture<Result<QString>> CoolifyClient::createApplication(const CoolifyAppCreate &spec)
{
    auto body = encode::applicationCreate(spec);
    if (!body)
        return readyFuture<QString>(body.error());
    const bool dockerfile = !spec.dockerfile.isEmpty();
    const QString path = dockerfile ? QStringLiteral("/applications/dockerfile")
                                    : QStringLiteral("/applications/dockerimage");
    AsyncResult<QString> async;
    send("POST", path, {}, body.value(),
         [this, async, dockerfile, spec, path](Result<Reply> reply) {
             if (!reply) {
                 async.finish(reply.error());
                 return;
             }
             const Result<QString> created = decode::createdUuid(reply.value());
             if (!created) {
                 async.finish(created.error().withContext(QStringLiteral("POST ") + path));
                 return;
             }
             const QString uuid = created.value();
             if (!dockerfile || spec.portsExposes.isEmpty()) {
                 async.finish(uuid);
                 return;
             }
             // Coolify derives ports_exposes from the base64 text on create and so always
             // stores 80.
             const json patch = {{"ports_exposes", utf8(spec.portsExposes)}};
             onFinished(updateApplication(uuid, patch), this,
                        [this, async, uuid](const VoidResult &patched) {
                            if (patched) {
                                async.finish(uuid);
                                return;
                            }
                            const Error error = patched.error().withContext(
                                QStringLiteral("set ports_exposes of new application"));
                            CoolifyDeleteOptions options;
                            onFinished(deleteApplication(uuid, options), this,
                                       [async, error](const VoidResult &) { async.finish(error); });
                        });
         });
    return async.future();
}

QFuture<VoidResult> CoolifyClient::updateApplication(const QString &uuid, const json &patch)
{
    return call<void>("PATCH", QStringLiteral("/applications/") + pathPart(uuid), {}, patch,
                      [](const Reply &) -> VoidResult { return {}; });
}

QFuture<Result<QList<CoolifyEnvVar>>> CoolifyClient::envVars(const QString &uuid,
                                                             bool includePreview)
{
    return call<QList<CoolifyEnvVar>>(
        "GET", QStringLiteral("/applications/%1/envs").arg(pathPart(uuid)), {}, std::nullopt,
        [includePreview](const Reply &r) -> Result<QList<CoolifyEnvVar>> {
            auto all = decode::array<CoolifyEnvVar>(r, decode::envVar);
            if (!all || includePreview)
                return all;
            QList<CoolifyEnvVar> normal;
            for (const CoolifyEnvVar &v : all.value()) {
                if (!v.isPreview)
                    normal << v;
            }
            return normal;
        });
}

QFuture<VoidResult> CoolifyClient::setEnvVars(const QString &uuid, const QList<CoolifyEnvVar> &vars)
{
    auto data = encode::envBulk(vars, true);
    if (!data)
        return readyFuture<void>(data.error());
    if (data->empty())
        return readyFuture<void>(VoidResult());
    return call<void>("PATCH", QStringLiteral("/applications/%1/envs/bulk").arg(pathPart(uuid)), {},
                      json{{"data", *data}}, [](const Reply &) -> VoidResult { return {}; });
}

QFuture<Result<CoolifyDeployRequest>> CoolifyClient::start(const QString &uuid, bool force)
{
    QUrlQuery query;
    // Old servers read force=false as true: send it only when wanted.
    if (force)
        query.addQueryItem(QStringLiteral("force"), QStringLiteral("true"));
    return call<CoolifyDeployRequest>("POST",
                                      QStringLiteral("/applications/%1/start").arg(pathPart(uuid)),
                                      query, std::nullopt, decode::deployRequest);
}

QFuture<Result<CoolifyDeployRequest>> CoolifyClient::restart(const QString &uuid)
{
    return call<CoolifyDeployRequest>(
        "POST", QStringLiteral("/applications/%1/restart").arg(pathPart(uuid)), {}, std::nullopt,
        decode::deployRequest);
}

QFuture<VoidResult> CoolifyClient::stop(const QString &uuid, bool dockerCleanup)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("docker_cleanup"),
                       dockerCleanup ? QStringLiteral("true") : QStringLiteral("false"));
    return call<void>("POST", QStringLiteral("/applications/%1/stop").arg(pathPart(uuid)), query,
                      std::nullopt, [](const Reply &) -> VoidResult { return {}; });
}

QFuture<Result<CoolifyDeployRequest>> CoolifyClient::deploy(const QString &uuid, bool force)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("uuid"), uuid);
    if (force)
        query.addQueryItem(QStringLiteral("force"), QStringLiteral("true"));
    return call<CoolifyDeployRequest>(
        "POST", QStringLiteral("/deploy"), query, std::nullopt,
        [uuid](const Reply &r) { return decode::deployAnswer(r, uuid); });
}

QFuture<Result<CoolifyDeployment>> CoolifyClient::deployment(const QString &deploymentUuid)
{
    return call<CoolifyDeployment>(
        "GET", QStringLiteral("/deployments/") + pathPart(deploymentUuid), {}, std::nullopt,
        [](const Reply &r) { return decode::object<CoolifyDeployment>(r, decode::deployment); });
}

QFuture<Result<QList<CoolifyDeployment>>>
CoolifyClient::applicationDeployments(const QString &appUuid, int take)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("skip"), QStringLiteral("0"));
    query.addQueryItem(QStringLiteral("take"), QString::number(take));
    return call<QList<CoolifyDeployment>>(
        "GET", QStringLiteral("/deployments/applications/") + pathPart(appUuid), query,
        std::nullopt, decode::deployments);
}

QFuture<VoidResult> CoolifyClient::cancelDeployment(const QString &deploymentUuid)
{
    return call<void>("POST",
                      QStringLiteral("/deployments/%1/cancel").arg(pathPart(deploymentUuid)), {},
                      std::nullopt, [](const Reply &) -> VoidResult { return {}; });
}

QFuture<Result<CoolifyDeployment>> CoolifyClient::followDeployment(const QString &appUuid,
                                                                   const QString &deploymentUuid,
                                                                   int timeoutMs,
                                                                   DeploymentObserver observer)
{
    return CoolifyDeploymentWatcher::follow(this, appUuid, deploymentUuid, timeoutMs,
                                            std::move(observer));
}

QFuture<Result<QStringList>> CoolifyClient::logs(const QString &uuid, int lines)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("lines"), QString::number(lines));
    return call<QStringList>("GET", QStringLiteral("/applications/%1/logs").arg(pathPart(uuid)),
                             query, std::nullopt, decode::logLines);
}

QFuture<VoidResult> CoolifyClient::deleteApplication(const QString &uuid,
                                                     const CoolifyDeleteOptions &options)
{
    const QUrlQuery query = encode::deleteQuery(options);
    return call<void>("DELETE", QStringLiteral("/applications/") + pathPart(uuid), query,
                      std::nullopt, [](const Reply &) -> VoidResult { return {}; });
}

QFuture<VoidResult> CoolifyClient::waitUntilGone(const QString &uuid, int timeoutMs)
{
    return CoolifyGoneWatcher::wait(this, uuid, false, timeoutMs);
}

// --- services -------------------------------------------------------------------------------

QFuture<Result<QList<CoolifyService>>> CoolifyClient::services()
{
    return call<QList<CoolifyService>>(
        "GET", QStringLiteral("/services"), {}, std::nullopt,
        [](const Reply &r) { return decode::array<CoolifyService>(r, decode::service); });
}

QFuture<Result<CoolifyService>> CoolifyClient::service(const QString &uuid)
{
    return call<CoolifyService>(
        "GET", QStringLiteral("/services/") + pathPart(uuid), {}, std::nullopt,
        [](const Reply &r) { return decode::object<CoolifyService>(r, decode::service); });
}

QFuture<Result<QString>> CoolifyClient::createService(const CoolifyServiceCreate &spec)
{
    auto body = encode::serviceCreate(spec);
    if (!body)
        return readyFuture<QString>(body.error());
    return call<QString>("POST", QStringLiteral("/services"), {}, body.value(),
                         decode::createdUuid);
}

QFuture<VoidResult> CoolifyClient::updateService(const QString &uuid, const json &patch)
{
    return call<void>("PATCH", QStringLiteral("/services/") + pathPart(uuid), {}, patch,
                      [](const Reply &) -> VoidResult { return {}; });
}

QFuture<VoidResult> CoolifyClient::setDescription(const QString &uuid, bool isService,
                                                  const QString &description)
{
    const json patch = {{"description", description.toStdString()}};
    return isService ? updateService(uuid, patch) : updateApplication(uuid, patch);
}

QFuture<VoidResult> CoolifyClient::setServiceEnvVars(const QString &uuid,
                                                     const QList<CoolifyEnvVar> &vars)
{
    auto data = encode::envBulk(vars, false);
    if (!data)
        return readyFuture<void>(data.error());
    if (data->empty())
        return readyFuture<void>(VoidResult());
    return call<void>("PATCH", QStringLiteral("/services/%1/envs/bulk").arg(pathPart(uuid)), {},
                      json{{"data", *data}}, [](const Reply &) -> VoidResult { return {}; });
}

QFuture<VoidResult> CoolifyClient::startService(const QString &uuid)
{
    return call<void>("POST", QStringLiteral("/services/%1/start").arg(pathPart(uuid)), {},
                      std::nullopt, [](const Reply &) -> VoidResult { return {}; });
}

QFuture<VoidResult> CoolifyClient::stopService(const QString &uuid, bool dockerCleanup)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("docker_cleanup"),
                       dockerCleanup ? QStringLiteral("true") : QStringLiteral("false"));
    return call<void>("POST", QStringLiteral("/services/%1/stop").arg(pathPart(uuid)), query,
                      std::nullopt, [](const Reply &) -> VoidResult { return {}; });
}

QFuture<VoidResult> CoolifyClient::restartService(const QString &uuid)
{
    return call<void>("POST", QStringLiteral("/services/%1/restart").arg(pathPart(uuid)), {},
                      std::nullopt, [](const Reply &) -> VoidResult { return {}; });
}

QFuture<Result<CoolifyService>> CoolifyClient::followService(const QString &uuid, int timeoutMs,
                                                             ServiceObserver observer)
{
    return CoolifyServiceWatcher::follow(this, uuid, timeoutMs, std::move(observer));
}

QFuture<Result<QStringList>> CoolifyClient::serviceLogs(const QString &uuid,
                                                        const QString &subService, int lines)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("sub_service_name"), subService);
    query.addQueryItem(QStringLiteral("lines"), QString::number(lines));
    return call<QStringList>("GET", QStringLiteral("/services/%1/logs").arg(pathPart(uuid)), query,
                             std::nullopt, decode::logLines);
}

QFuture<VoidResult> CoolifyClient::deleteService(const QString &uuid,
                                                 const CoolifyDeleteOptions &options)
{
    const QUrlQuery query = encode::deleteQuery(options);
    return call<void>("DELETE", QStringLiteral("/services/") + pathPart(uuid), query, std::nullopt,
                      [](const Reply &) -> VoidResult { return {}; });
}

QFuture<VoidResult> CoolifyClient::waitUntilServiceGone(const QString &uuid, int timeoutMs)
{
    return CoolifyGoneWatcher::wait(this, uuid, true, timeoutMs);
}

} // namespace bc::coolify
