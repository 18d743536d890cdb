#include "core/coolify/coolifyclient.h"

#include "core/util/async.h"
#include "core/util/futureutil.h"
#include "core/util/jsonlenient.h"
#include "core/util/secretstore.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <csignal>

namespace bc::coolify {

using nlohmann::json;

// Coolify's types drift across versions (ints as strings, 0/1 booleans, nulls): the
// lenient readers accept every plausible form and fall back to defaults.
using util::json::boolean;
using util::json::integer;
using util::json::text;
using util::json::utf8;

static QDateTime timestamp(const json &j, const char *key)
{
    const QString written = text(j, key);
    if (written.isEmpty())
        return {};
    QDateTime dt = QDateTime::fromString(written, Qt::ISODateWithMs);
    if (!dt.isValid()) // "2024-05-01 10:00:00" from some endpoints
        dt = QDateTime::fromString(written, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    if (dt.isValid() && dt.timeSpec() == Qt::LocalTime)
        dt.setTimeSpec(Qt::UTC);
    return dt;
}

static Result<json> parseJson(const CoolifyClient::Reply &reply)
{
    const json j = json::parse(reply.body.constData(), reply.body.constData() + reply.body.size(),
                               nullptr, false);
    if (j.is_discarded())
        return Error(Error::Kind::Protocol,
                     QStringLiteral("Coolify answered with something that is not JSON (HTTP %1)")
                         .arg(reply.status));
    return j;
}

static CoolifyServer parseServer(const json &j)
{
    CoolifyServer s;
    s.uuid = text(j, "uuid");
    s.name = text(j, "name");
    s.description = text(j, "description");
    s.ip = text(j, "ip");
    s.user = text(j, "user");
    const qint64 port = integer(j, "port", 22);
    s.port = port > 0 && port < 65536 ? int(port) : 22;
    const json settings = j.contains("settings") ? j["settings"] : json::object();
    // Top-level flags are not in the spec; settings carries them on every version.
    s.isReachable = boolean(j, "is_reachable", boolean(settings, "is_reachable"));
    s.isUsable = boolean(j, "is_usable", boolean(settings, "is_usable"));
    s.isBuildServer = boolean(settings, "is_build_server", boolean(j, "is_build_server"));
    return s;
}

static CoolifyEnvironment parseEnvironment(const json &j)
{
    CoolifyEnvironment e;
    e.uuid = text(j, "uuid");
    e.name = text(j, "name");
    e.id = integer(j, "id", -1);
    return e;
}

static CoolifyProject parseProject(const json &j)
{
    CoolifyProject p;
    p.uuid = text(j, "uuid");
    p.name = text(j, "name");
    p.description = text(j, "description");
    if (j.contains("environments") && j["environments"].is_array()) {
        for (const json &e : j["environments"])
            p.environments << parseEnvironment(e);
    }
    return p;
}

static CoolifyApplication parseApplication(const json &j)
{
    CoolifyApplication a;
    a.uuid = text(j, "uuid");
    a.name = text(j, "name");
    a.description = text(j, "description");
    for (const QString &d : text(j, "fqdn").split(QLatin1Char(','), Qt::SkipEmptyParts))
        a.domains << d.trimmed();
    a.status = CoolifyStatus::parse(text(j, "status"));
    a.buildPack = text(j, "build_pack");
    a.imageName = text(j, "docker_registry_image_name");
    a.imageTag = text(j, "docker_registry_image_tag");
    a.portsExposes = text(j, "ports_exposes");
    a.environmentId = integer(j, "environment_id", -1);
    a.healthCheckEnabled = boolean(j, "health_check_enabled");
    a.limitsMemory = text(j, "limits_memory");
    a.limitsCpus = text(j, "limits_cpus");
    a.createdAt = timestamp(j, "created_at");
    a.updatedAt = timestamp(j, "updated_at");
    a.lastOnlineAt = timestamp(j, "last_online_at");
    return a;
}

static CoolifyEnvVar parseEnvVar(const json &j)
{
    CoolifyEnvVar v;
    v.uuid = text(j, "uuid");
    v.key = text(j, "key");
    v.value = text(j, "value");
    v.isPreview = boolean(j, "is_preview");
    v.isLiteral = boolean(j, "is_literal");
    v.isMultiline = boolean(j, "is_multiline");
    v.isShownOnce = boolean(j, "is_shown_once");
    // beta.420 spelled it is_build_time.
    v.isRuntime = boolean(j, "is_runtime", true);
    v.isBuildtime = boolean(j, "is_buildtime", boolean(j, "is_build_time", true));
    v.comment = text(j, "comment");
    return v;
}

static CoolifyDeployment parseDeployment(const json &j)
{
    CoolifyDeployment d;
    d.deploymentUuid = text(j, "deployment_uuid");
    d.applicationName = text(j, "application_name");
    d.statusText = text(j, "status");
    d.status = CoolifyDeployment::parseStatus(d.statusText);
    d.serverName = text(j, "server_name");
    d.createdAt = timestamp(j, "created_at");
    d.finishedAt = timestamp(j, "finished_at");
    return d;
}

// --- errors ------------------------------------------------------------------------------

static QString jsonText(const json &v)
{
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    if (v.is_array()) {
        QStringList parts;
        for (const json &item : v)
            parts << jsonText(item);
        return parts.join(QStringLiteral("; "));
    }
    if (v.is_null())
        return {};
    return QString::fromStdString(v.dump());
}

static QString authHint(int status, const QString &message)
{
    if (status == 401)
        return QStringLiteral("the API token is wrong, expired or revoked; create one in Coolify "
                              "(Keys & Tokens) and store it with 'boxctl coolify login'");
    if (message.startsWith(QLatin1String("Missing required permissions")))
        return QStringLiteral("the token lacks an ability: box-console needs read, write and "
                              "deploy (or root)");
    if (message.contains(QLatin1String("API is disabled")))
        return QStringLiteral("enable API access in Coolify: Settings > Advanced > API Access");
    if (message.contains(QLatin1String("not allowed to access the API")))
        return QStringLiteral("add this machine's address to the API's allowed IPs in Coolify");
    if (message.contains(QLatin1String("team role")) ||
        message.contains(QLatin1String("exceed your current role")))
        return QStringLiteral("the token's user must be an admin or owner of the team for "
                              "these abilities");
    return {};
}

// Builds the Error for a non-2xx reply: Coolify's message, then the 422 field errors
// (string[] or string per field), conflicts of a 409, and a hint for 401/403.
static Error errorFromReply(const CoolifyClient::Reply &reply)
{
    QString message;
    const json j = json::parse(reply.body.constData(), reply.body.constData() + reply.body.size(),
                               nullptr, false);
    if (!j.is_discarded() && j.is_object()) {
        message = jsonText(j.value("message", json()));
        if (j.contains("error") && j["error"].is_string()) {
            const QString detail = jsonText(j["error"]);
            if (!detail.isEmpty() && detail != message)
                message += QStringLiteral(" (%1)").arg(detail);
        }
        if (j.contains("errors") && j["errors"].is_object()) {
            QStringList fields;
            for (auto it = j["errors"].begin(); it != j["errors"].end(); ++it)
                fields << QString::fromStdString(it.key()) + QStringLiteral(": ") +
                              jsonText(it.value());
            if (!fields.isEmpty())
                message +=
                    QStringLiteral(" [") + fields.join(QStringLiteral("; ")) + QLatin1Char(']');
        }
        if (j.contains("conflicts") && j["conflicts"].is_array()) {
            QStringList conflicts;
            for (const json &c : j["conflicts"])
                conflicts << text(c, "domain") + QStringLiteral(" (") + text(c, "resource_name") +
                                 QLatin1Char(')');
            if (!conflicts.isEmpty())
                message +=
                    QStringLiteral(" [") + conflicts.join(QStringLiteral(", ")) + QLatin1Char(']');
        }
    } else if (!reply.contentType.contains("html")) {
        message = QString::fromUtf8(reply.body.left(300)).trimmed();
    }
    if (reply.status == 429) {
        const QByteArray retryAfter = reply.headers.value("retry-after");
        if (!retryAfter.isEmpty())
            message += QStringLiteral(" (retry after %1 s)").arg(QString::fromLatin1(retryAfter));
    }
    if (reply.status == 401 || reply.status == 403) {
        const QString hint = authHint(reply.status, message);
        if (!hint.isEmpty())
            message += QStringLiteral(" - ") + hint;
    }
    return Error::fromHttpStatus(reply.status, message);
}

// Retry-After is seconds or an HTTP date.
static int retryAfterMs(const QByteArray &value)
{
    bool ok = false;
    const int seconds = value.trimmed().toInt(&ok);
    if (ok)
        return std::max(0, seconds) * 1000;
    const QDateTime when =
        QDateTime::fromString(QString::fromLatin1(value.trimmed()), Qt::RFC2822Date);
    if (when.isValid())
        return int(
            std::clamp<qint64>(QDateTime::currentDateTimeUtc().msecsTo(when), 0, 3600 * 1000));
    return 1000;
}

// --- transport ---------------------------------------------------------------------------

struct CoolifyClient::Attempt
{
    QByteArray method;
    QString path;
    QUrlQuery query;
    std::optional<json> body;
    ReplyHandler handler;
    int retries = 0;
};

CoolifyClient::CoolifyClient(const CoolifyConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_nam(new QNetworkAccessManager(this))
{
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_tokenResolved = !m_config.token.isEmpty();
}

CoolifyClient::~CoolifyClient() = default;

void CoolifyClient::setRetryPolicy(int maxRetries, int maxWaitMs)
{
    m_maxRetries = std::max(0, maxRetries);
    m_maxRetryWaitMs = std::max(0, maxWaitMs);
}

QUrl CoolifyClient::urlFor(const QString &path, const QUrlQuery &query) const
{
    QUrl url = m_config.baseUrl;
    QString base = url.path();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + m_config.apiPath + path);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

void CoolifyClient::withToken(std::function<void(VoidResult)> next)
{
    if (m_tokenResolved) {
        next({});
        return;
    }
    m_tokenWaiters << std::move(next);
    if (m_tokenPending)
        return;
    m_tokenPending = true;
    onFinished(util::SecretStore::read(QLatin1String(CoolifyConfig::tokenSecretKey)), this,
               [this](const Result<QString> &token) {
                   m_tokenPending = false;
                   VoidResult outcome;
                   if (token && !token->trimmed().isEmpty()) {
                       m_config.token = token->trimmed();
                       m_tokenResolved = true;
                   } else if (!token && token.error().kind() != Error::Kind::NotFound) {
                       outcome =
                           token.error().withContext(QStringLiteral("read the Coolify token"));
                   } else {
                       outcome =
                           Error(Error::Kind::Unauthorized,
                                 QStringLiteral("no Coolify API token: set COOLIFY_TOKEN or run "
                                                "'boxctl coolify login'"));
                   }
                   const auto waiters = std::exchange(m_tokenWaiters, {});
                   for (const auto &waiter : waiters)
                       waiter(outcome);
               });
}

void CoolifyClient::send(const QByteArray &method, const QString &path, const QUrlQuery &query,
                         const std::optional<json> &body, ReplyHandler handler)
{
    auto attempt = std::make_shared<Attempt>();
    attempt->method = method;
    attempt->path = path;
    attempt->query = query;
    attempt->body = body;
    attempt->handler = std::move(handler);
    auto valid = CoolifyConfig::validateUrl(m_config.baseUrl.toString());
    if (!valid) {
        attempt->handler(valid.error());
        return;
    }
    withToken([this, attempt](VoidResult ready) {
        if (!ready) {
            attempt->handler(ready.error().withContext(QString::fromLatin1(attempt->method) +
                                                       QLatin1Char(' ') + attempt->path));
            return;
        }
        sendAttempt(attempt);
    });
}

// BOX_TEST_KILL_AFTER_CALL=N: the process SIGKILLs itself once Coolify has answered its
// Nth request, before anyone sees the answer (the crash-consistency test).
static void killForCrashTest()
{
    static const int killAfter = qEnvironmentVariableIntValue("BOX_TEST_KILL_AFTER_CALL");
    static std::atomic<int> calls{0};
    if (killAfter > 0 && ++calls >= killAfter)
        ::raise(SIGKILL);
}

void CoolifyClient::sendAttempt(std::shared_ptr<Attempt> attempt)
{
    QNetworkRequest request(urlFor(attempt->path, attempt->query));
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("Authorization", "Bearer " + m_config.token.toUtf8());
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("box-console"));
    QByteArray payload;
    if (attempt->body) {
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
        payload = QByteArray::fromStdString(attempt->body->dump());
    }
    QNetworkReply *reply = m_nam->sendCustomRequest(request, attempt->method, payload);
    const QString context = QString::fromLatin1(attempt->method) + QLatin1Char(' ') + attempt->path;

    auto timer = new QTimer(reply);
    timer->setSingleShot(true);
    auto timedOut = std::make_shared<bool>(false);
    connect(timer, &QTimer::timeout, reply, [reply, timedOut]() {
        *timedOut = true;
        reply->abort();
    });
    timer->start(m_config.timeoutMs);

    connect(reply, &QNetworkReply::finished, this, [this, reply, attempt, context, timedOut]() {
        reply->deleteLater();
        const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (*timedOut) {
            attempt->handler(
                Error(Error::Kind::Timeout,
                      QStringLiteral("no answer from Coolify within %1 ms").arg(m_config.timeoutMs))
                    .withContext(context));
            return;
        }
        if (!statusAttr.isValid()) {
            attempt->handler(
                Error(Error::Kind::Transport, reply->errorString()).withContext(context));
            return;
        }
        killForCrashTest();
        Reply r;
        r.status = statusAttr.toInt();
        r.body = reply->readAll();
        r.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        for (const auto &pair : reply->rawHeaderPairs())
            r.headers.insert(pair.first.toLower(), pair.second);
        emit responseReceived(QString::fromLatin1(attempt->method), attempt->path, r.status,
                              r.headers, r.body);
        bool ok = false;
        const int remaining = r.headers.value("x-ratelimit-remaining").toInt(&ok);
        if (ok)
            m_rateLimitRemaining = remaining;
        if (r.status == 429 && attempt->retries < m_maxRetries) {
            const int wait = retryAfterMs(r.headers.value("retry-after", "1"));
            if (wait <= m_maxRetryWaitMs) {
                ++attempt->retries;
                QTimer::singleShot(wait, this, [this, attempt]() { sendAttempt(attempt); });
                return;
            }
        }
        if (r.status < 200 || r.status >= 300) {
            attempt->handler(errorFromReply(r).withContext(context));
            return;
        }
        attempt->handler(std::move(r));
    });
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
    return call<CoolifyVersion>(
        "GET", QStringLiteral("/version"), {}, std::nullopt,
        [](const Reply &r) -> Result<CoolifyVersion> {
            QString text = QString::fromUtf8(r.body).trimmed();
            // Some proxies wrap it as a JSON string.
            if (text.startsWith(QLatin1Char('"')) && text.endsWith(QLatin1Char('"')))
                text = text.mid(1, text.size() - 2);
            auto v = CoolifyVersion::parse(text);
            if (!v)
                return Error(
                    Error::Kind::Protocol,
                    QStringLiteral("unrecognised Coolify version '%1'").arg(text.left(40)));
            return *v;
        });
}

template <typename T, typename F>
static Result<QList<T>> parseArray(const CoolifyClient::Reply &reply, F item)
{
    auto j = parseJson(reply);
    if (!j)
        return j.error();
    if (!j->is_array())
        return Error(Error::Kind::Protocol, QStringLiteral("expected a JSON array"));
    QList<T> list;
    for (const json &e : *j)
        list << item(e);
    return list;
}

template <typename T, typename F>
static Result<T> parseObject(const CoolifyClient::Reply &reply, F item)
{
    auto j = parseJson(reply);
    if (!j)
        return j.error();
    if (!j->is_object())
        return Error(Error::Kind::Protocol, QStringLiteral("expected a JSON object"));
    return item(*j);
}

QFuture<Result<QList<CoolifyServer>>> CoolifyClient::servers()
{
    return call<QList<CoolifyServer>>(
        "GET", QStringLiteral("/servers"), {}, std::nullopt,
        [](const Reply &r) { return parseArray<CoolifyServer>(r, parseServer); });
}

QFuture<Result<QList<CoolifyProject>>> CoolifyClient::projects()
{
    return call<QList<CoolifyProject>>(
        "GET", QStringLiteral("/projects"), {}, std::nullopt,
        [](const Reply &r) { return parseArray<CoolifyProject>(r, parseProject); });
}

QFuture<Result<CoolifyProject>> CoolifyClient::project(const QString &projectUuid)
{
    return call<CoolifyProject>(
        "GET", QStringLiteral("/projects/") + pathPart(projectUuid), {}, std::nullopt,
        [](const Reply &r) { return parseObject<CoolifyProject>(r, parseProject); });
}

QFuture<Result<QList<CoolifyEnvironment>>> CoolifyClient::environments(const QString &projectUuid)
{
    return call<QList<CoolifyEnvironment>>(
        "GET", QStringLiteral("/projects/%1/environments").arg(pathPart(projectUuid)), {},
        std::nullopt,
        [](const Reply &r) { return parseArray<CoolifyEnvironment>(r, parseEnvironment); });
}

QFuture<Result<CoolifyEnvironment>> CoolifyClient::environment(const QString &projectUuid,
                                                               const QString &nameOrUuid)
{
    return call<CoolifyEnvironment>(
        "GET", QStringLiteral("/projects/%1/%2").arg(pathPart(projectUuid), pathPart(nameOrUuid)),
        {}, std::nullopt,
        [](const Reply &r) { return parseObject<CoolifyEnvironment>(r, parseEnvironment); });
}

QFuture<Result<QList<CoolifyApplication>>> CoolifyClient::applications(const QString &tag)
{
    QUrlQuery query;
    if (!tag.isEmpty())
        query.addQueryItem(QStringLiteral("tag"), tag);
    return call<QList<CoolifyApplication>>(
        "GET", QStringLiteral("/applications"), query, std::nullopt,
        [](const Reply &r) { return parseArray<CoolifyApplication>(r, parseApplication); });
}

QFuture<Result<CoolifyApplication>> CoolifyClient::application(const QString &uuid)
{
    return call<CoolifyApplication>(
        "GET", QStringLiteral("/applications/") + pathPart(uuid), {}, std::nullopt,
        [](const Reply &r) { return parseObject<CoolifyApplication>(r, parseApplication); });
}

static std::optional<Error> checkPlacement(const CoolifyPlacement &spec, const QString &what)
{
    if (spec.serverUuid.isEmpty() || spec.projectUuid.isEmpty())
        return Error(Error::Kind::Invalid,
                     QStringLiteral("create %1: server and project uuids are required").arg(what));
    if (spec.environmentName.isEmpty() && spec.environmentUuid.isEmpty())
        return Error(
            Error::Kind::Invalid,
            QStringLiteral("create %1: an environment name or uuid is required").arg(what));
    return std::nullopt;
}

static json placementBody(const CoolifyPlacement &spec)
{
    json body = json::object();
    body["project_uuid"] = utf8(spec.projectUuid);
    body["server_uuid"] = utf8(spec.serverUuid);
    // Both when known: the spec requires both, the server wants at least one.
    if (!spec.environmentName.isEmpty())
        body["environment_name"] = utf8(spec.environmentName);
    if (!spec.environmentUuid.isEmpty())
        body["environment_uuid"] = utf8(spec.environmentUuid);
    if (!spec.destinationUuid.isEmpty())
        body["destination_uuid"] = utf8(spec.destinationUuid);
    if (!spec.name.isEmpty())
        body["name"] = utf8(spec.name);
    if (!spec.description.isEmpty())
        body["description"] = utf8(spec.description);
    return body;
}

static void addTags(json &body, const QStringList &tags)
{
    if (tags.isEmpty())
        return;
    json list = json::array();
    for (const QString &t : tags)
        list.push_back(utf8(t));
    body["tags"] = list;
}

static Result<json> createBody(const CoolifyAppCreate &spec)
{
    const bool fromImage = !spec.image.isEmpty();
    const bool fromDockerfile = !spec.dockerfile.isEmpty();
    if (fromImage == fromDockerfile)
        return Error(Error::Kind::Invalid,
                     QStringLiteral("create application: give either an image or a Dockerfile"));
    if (auto error = checkPlacement(spec, QStringLiteral("application")))
        return *error;
    static const QRegularExpression portsRe(QStringLiteral("^\\d+(,\\d+)*$"));
    if (!spec.portsExposes.isEmpty() && !portsRe.match(spec.portsExposes).hasMatch())
        return Error(Error::Kind::Invalid,
                     QStringLiteral("ports_exposes: must be comma-separated port numbers"));

    json body = placementBody(spec);
    // Default true would publish the box on an sslip.io URL nobody asked for.
    body["autogenerate_domain"] = false;
    body["instant_deploy"] = false;
    if (!spec.domains.isEmpty())
        body["domains"] = utf8(spec.domains.join(QLatin1Char(',')));
    if (!spec.portsExposes.isEmpty())
        body["ports_exposes"] = utf8(spec.portsExposes);
    addTags(body, spec.tags);
    if (spec.healthCheckEnabled) {
        body["health_check_enabled"] = true;
        if (!spec.healthCheckPath.isEmpty())
            body["health_check_path"] = utf8(spec.healthCheckPath);
        if (!spec.healthCheckPort.isEmpty())
            body["health_check_port"] = utf8(spec.healthCheckPort);
    }
    if (!spec.limitsMemory.isEmpty())
        body["limits_memory"] = utf8(spec.limitsMemory);
    if (!spec.limitsMemorySwap.isEmpty())
        body["limits_memory_swap"] = utf8(spec.limitsMemorySwap);
    if (!spec.limitsCpus.isEmpty())
        body["limits_cpus"] = utf8(spec.limitsCpus);
    if (!spec.customDockerRunOptions.isEmpty())
        body["custom_docker_run_options"] = utf8(spec.customDockerRunOptions);
    if (fromImage) {
        body["docker_registry_image_name"] = utf8(spec.image);
        if (!spec.imageTag.isEmpty())
            body["docker_registry_image_tag"] = utf8(spec.imageTag);
    } else {
        body["dockerfile"] = spec.dockerfile.toUtf8().toBase64().toStdString();
    }
    return body;
}

QFuture<Result<QString>> CoolifyClient::createApplication(const CoolifyAppCreate &spec)
{
    auto body = createBody(spec);
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
             auto j = parseJson(reply.value());
             const QString uuid = j ? text(*j, "uuid") : QString();
             if (uuid.isEmpty()) {
                 async.finish(
                     Error(Error::Kind::Protocol, QStringLiteral("create answered without a uuid"))
                         .withContext(QStringLiteral("POST ") + path));
                 return;
             }
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
            auto all = parseArray<CoolifyEnvVar>(r, parseEnvVar);
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

// The bulk body; services take no preview/runtime/buildtime flags.
static Result<json> envBulkData(const QList<CoolifyEnvVar> &vars, bool application)
{
    static const QRegularExpression keyRe(QStringLiteral("^[A-Za-z_][A-Za-z0-9_.]*$"));
    json data = json::array();
    for (const CoolifyEnvVar &v : vars) {
        if (!keyRe.match(v.key).hasMatch() || v.key.size() > 255)
            return Error(Error::Kind::Invalid,
                         QStringLiteral("environment variable name '%1' is not valid").arg(v.key));
        json item = {{"key", utf8(v.key)},
                     {"value", utf8(v.value)},
                     {"is_literal", v.isLiteral},
                     {"is_multiline", v.isMultiline},
                     {"is_shown_once", v.isShownOnce}};
        if (application) {
            item["is_preview"] = v.isPreview;
            item["is_runtime"] = v.isRuntime;
            item["is_buildtime"] = v.isBuildtime;
        }
        if (!v.comment.isEmpty())
            item["comment"] = utf8(v.comment.left(256));
        data.push_back(item);
    }
    return data;
}

QFuture<VoidResult> CoolifyClient::setEnvVars(const QString &uuid, const QList<CoolifyEnvVar> &vars)
{
    auto data = envBulkData(vars, true);
    if (!data)
        return readyFuture<void>(data.error());
    if (data->empty())
        return readyFuture<void>(VoidResult());
    return call<void>("PATCH", QStringLiteral("/applications/%1/envs/bulk").arg(pathPart(uuid)), {},
                      json{{"data", *data}}, [](const Reply &) -> VoidResult { return {}; });
}

static Result<CoolifyDeployRequest> parseDeployRequest(const CoolifyClient::Reply &r)
{
    auto j = parseJson(r);
    if (!j)
        return j.error();
    CoolifyDeployRequest d;
    d.message = jsonText(j->value("message", json()));
    d.deploymentUuid = text(*j, "deployment_uuid");
    return d;
}

QFuture<Result<CoolifyDeployRequest>> CoolifyClient::start(const QString &uuid, bool force)
{
    QUrlQuery query;
    // Old servers read force=false as true: send it only when wanted.
    if (force)
        query.addQueryItem(QStringLiteral("force"), QStringLiteral("true"));
    return call<CoolifyDeployRequest>("POST",
                                      QStringLiteral("/applications/%1/start").arg(pathPart(uuid)),
                                      query, std::nullopt, parseDeployRequest);
}

QFuture<Result<CoolifyDeployRequest>> CoolifyClient::restart(const QString &uuid)
{
    return call<CoolifyDeployRequest>(
        "POST", QStringLiteral("/applications/%1/restart").arg(pathPart(uuid)), {}, std::nullopt,
        parseDeployRequest);
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
        [uuid](const Reply &r) -> Result<CoolifyDeployRequest> {
            auto j = parseJson(r);
            if (!j)
                return j.error();
            CoolifyDeployRequest d;
            if (j->contains("deployments") && (*j)["deployments"].is_array()) {
                for (const json &e : (*j)["deployments"]) {
                    if (text(e, "resource_uuid") == uuid || (*j)["deployments"].size() == 1) {
                        d.message = text(e, "message");
                        d.deploymentUuid = text(e, "deployment_uuid");
                    }
                }
            } else {
                d.message = jsonText(j->value("message", json()));
            }
            return d;
        });
}

QFuture<Result<CoolifyDeployment>> CoolifyClient::deployment(const QString &deploymentUuid)
{
    return call<CoolifyDeployment>(
        "GET", QStringLiteral("/deployments/") + pathPart(deploymentUuid), {}, std::nullopt,
        [](const Reply &r) { return parseObject<CoolifyDeployment>(r, parseDeployment); });
}

QFuture<Result<QList<CoolifyDeployment>>>
CoolifyClient::applicationDeployments(const QString &appUuid, int take)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("skip"), QStringLiteral("0"));
    query.addQueryItem(QStringLiteral("take"), QString::number(take));
    return call<QList<CoolifyDeployment>>(
        "GET", QStringLiteral("/deployments/applications/") + pathPart(appUuid), query,
        std::nullopt, [](const Reply &r) -> Result<QList<CoolifyDeployment>> {
            auto j = parseJson(r);
            if (!j)
                return j.error();
            // Real shape {count, deployments}; the spec (and Prism's mock) says an array.
            const json list = j->is_object() ? j->value("deployments", json::array()) : *j;
            if (!list.is_array())
                return Error(Error::Kind::Protocol,
                             QStringLiteral("expected a list of deployments"));
            QList<CoolifyDeployment> out;
            for (const json &e : list)
                out << parseDeployment(e);
            return out;
        });
}

QFuture<VoidResult> CoolifyClient::cancelDeployment(const QString &deploymentUuid)
{
    return call<void>("POST",
                      QStringLiteral("/deployments/%1/cancel").arg(pathPart(deploymentUuid)), {},
                      std::nullopt, [](const Reply &) -> VoidResult { return {}; });
}

struct FollowState
{
    AsyncResult<CoolifyDeployment> async;
    QString appUuid;
    QString deploymentUuid;
    QStringList triedUuids;
    QDeadlineTimer deadline;
    CoolifyClient::DeploymentObserver observer;
    CoolifyDeployment last;
    int transientErrors = 0;
    int fallbackMisses = 0;
};

QFuture<Result<CoolifyDeployment>> CoolifyClient::followDeployment(const QString &appUuid,
                                                                   const QString &deploymentUuid,
                                                                   int timeoutMs,
                                                                   DeploymentObserver observer)
{
    auto state = std::make_shared<FollowState>();
    state->appUuid = appUuid;
    state->deploymentUuid = deploymentUuid;
    state->deadline = QDeadlineTimer(timeoutMs);
    state->observer = std::move(observer);
    if (deploymentUuid.isEmpty())
        deploymentFallback(state);
    else
        pollDeployment(state);
    return state->async.future();
}

static bool isTransient(const Error &e)
{
    return e.kind() == Error::Kind::Transport || e.kind() == Error::Kind::Timeout ||
           e.kind() == Error::Kind::RateLimited ||
           (e.kind() == Error::Kind::Server && e.httpStatus() >= 500);
}

void CoolifyClient::pollDeployment(std::shared_ptr<FollowState> state)
{
    if (state->deadline.hasExpired()) {
        state->async.finish(
            Error(Error::Kind::Timeout, QStringLiteral("deployment %1 still %2")
                                            .arg(state->deploymentUuid, state->last.statusText)));
        return;
    }
    onFinished(deployment(state->deploymentUuid), this,
               [this, state](const Result<CoolifyDeployment> &d) {
                   if (!d) {
                       if (d.error().kind() == Error::Kind::NotFound) {
                           deploymentFallback(state);
                           return;
                       }
                       if (isTransient(d.error()) && ++state->transientErrors <= 3) {
                           QTimer::singleShot(m_config.pollIntervalMs, this,
                                              [this, state]() { pollDeployment(state); });
                           return;
                       }
                       state->async.finish(d.error());
                       return;
                   }
                   state->transientErrors = 0;
                   if (d->statusText != state->last.statusText && state->observer)
                       state->observer(d.value());
                   state->last = d.value();
                   if (d->isTerminal()) {
                       state->async.finish(d.value());
                       return;
                   }
                   QTimer::singleShot(m_config.pollIntervalMs, this,
                                      [this, state]() { pollDeployment(state); });
               });
}

void CoolifyClient::deploymentFallback(std::shared_ptr<FollowState> state)
{
    if (!state->deploymentUuid.isEmpty() && !state->triedUuids.contains(state->deploymentUuid))
        state->triedUuids << state->deploymentUuid;
    onFinished(
        applicationDeployments(state->appUuid, 5), this,
        [this, state](const Result<QList<CoolifyDeployment>> &list) {
            if (!list) {
                if (isTransient(list.error()) && ++state->transientErrors <= 3) {
                    QTimer::singleShot(m_config.pollIntervalMs, this,
                                       [this, state]() { deploymentFallback(state); });
                    return;
                }
                state->async.finish(
                    list.error().withContext(QStringLiteral("find the deployment")));
                return;
            }
            // Our uuid may be listed though GET /deployments/{uuid} said 404 (beta.464–467 bug).
            for (const CoolifyDeployment &d : list.value()) {
                if (!state->deploymentUuid.isEmpty() && d.deploymentUuid == state->deploymentUuid) {
                    if (d.statusText != state->last.statusText && state->observer)
                        state->observer(d);
                    state->last = d;
                    if (d.isTerminal()) {
                        state->async.finish(d);
                        return;
                    }
                    if (state->deadline.hasExpired()) {
                        state->async.finish(
                            Error(Error::Kind::Timeout, QStringLiteral("deployment %1 still %2")
                                                            .arg(d.deploymentUuid, d.statusText)));
                        return;
                    }
                    QTimer::singleShot(m_config.pollIntervalMs, this,
                                       [this, state]() { deploymentFallback(state); });
                    return;
                }
            }
            for (const CoolifyDeployment &d : list.value()) {
                if (d.status == CoolifyDeployment::Status::Queued ||
                    d.status == CoolifyDeployment::Status::InProgress) {
                    state->deploymentUuid = d.deploymentUuid;
                    if (!state->triedUuids.contains(d.deploymentUuid)) {
                        pollDeployment(state);
                        return;
                    }
                }
            }
            // Nothing active: the uuid was a phantom (queue full or skipped), or the deployment
            // finished before we looked, which only the uuid itself could have told.
            state->async.finish(
                Error(Error::Kind::NotFound,
                      QStringLiteral("Coolify queued no deployment for application %1%2")
                          .arg(state->appUuid,
                               state->triedUuids.isEmpty()
                                   ? QString()
                                   : QStringLiteral(
                                         " (deployment %1 does not exist: queue full or skipped)")
                                         .arg(state->triedUuids.join(QStringLiteral(", "))))));
        });
}

static Result<QStringList> parseLogLines(const CoolifyClient::Reply &r)
{
    auto j = parseJson(r);
    if (!j)
        return j.error();
    QStringList out = text(*j, "logs").split(QLatin1Char('\n'));
    while (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out;
}

QFuture<Result<QStringList>> CoolifyClient::logs(const QString &uuid, int lines)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("lines"), QString::number(lines));
    return call<QStringList>("GET", QStringLiteral("/applications/%1/logs").arg(pathPart(uuid)),
                             query, std::nullopt, parseLogLines);
}

static QString flag(bool b)
{
    return b ? QStringLiteral("true") : QStringLiteral("false");
}

static QUrlQuery deleteQuery(const CoolifyDeleteOptions &options)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("delete_configurations"), flag(options.deleteConfigurations));
    query.addQueryItem(QStringLiteral("delete_volumes"), flag(options.deleteVolumes));
    query.addQueryItem(QStringLiteral("docker_cleanup"), flag(options.dockerCleanup));
    query.addQueryItem(QStringLiteral("delete_connected_networks"),
                       flag(options.deleteConnectedNetworks));
    return query;
}

QFuture<VoidResult> CoolifyClient::deleteApplication(const QString &uuid,
                                                     const CoolifyDeleteOptions &options)
{
    const QUrlQuery query = deleteQuery(options);
    return call<void>("DELETE", QStringLiteral("/applications/") + pathPart(uuid), query,
                      std::nullopt, [](const Reply &) -> VoidResult { return {}; });
}

struct GoneState
{
    AsyncResult<void> async;
    QString uuid;
    QDeadlineTimer deadline;
    int transientErrors = 0;
    bool service = false;
};

QFuture<VoidResult> CoolifyClient::waitUntilGone(const QString &uuid, int timeoutMs)
{
    auto state = std::make_shared<GoneState>();
    state->uuid = uuid;
    state->deadline = QDeadlineTimer(timeoutMs);
    pollGone(state);
    return state->async.future();
}

void CoolifyClient::pollGone(std::shared_ptr<GoneState> state)
{
    auto next = [this, state](const std::optional<Error> &error) {
        if (error && error->kind() == Error::Kind::NotFound) {
            state->async.finish(VoidResult());
            return;
        }
        if (error && !(isTransient(*error) && ++state->transientErrors <= 3)) {
            state->async.finish(*error);
            return;
        }
        if (state->deadline.hasExpired()) {
            state->async.finish(Error(
                Error::Kind::Timeout,
                QStringLiteral("%1 %2 still exists after its deletion was queued")
                    .arg(state->service ? QStringLiteral("service") : QStringLiteral("application"),
                         state->uuid)));
            return;
        }
        QTimer::singleShot(m_config.pollIntervalMs, this, [this, state]() { pollGone(state); });
    };
    if (state->service)
        onFinished(service(state->uuid), this, [next](const Result<CoolifyService> &s) {
            next(s ? std::nullopt : std::optional<Error>(s.error()));
        });
    else
        onFinished(application(state->uuid), this, [next](const Result<CoolifyApplication> &a) {
            next(a ? std::nullopt : std::optional<Error>(a.error()));
        });
}

// --- services -------------------------------------------------------------------------------

static CoolifyService parseService(const json &j)
{
    CoolifyService s;
    s.uuid = text(j, "uuid");
    s.name = text(j, "name");
    s.description = text(j, "description");
    s.status = CoolifyStatus::parse(text(j, "status"));
    if (j.contains("applications") && j["applications"].is_array()) {
        for (const json &a : j["applications"])
            s.applicationNames << text(a, "name");
    }
    s.createdAt = timestamp(j, "created_at");
    s.updatedAt = timestamp(j, "updated_at");
    return s;
}

QFuture<Result<QList<CoolifyService>>> CoolifyClient::services()
{
    return call<QList<CoolifyService>>(
        "GET", QStringLiteral("/services"), {}, std::nullopt,
        [](const Reply &r) { return parseArray<CoolifyService>(r, parseService); });
}

QFuture<Result<CoolifyService>> CoolifyClient::service(const QString &uuid)
{
    return call<CoolifyService>(
        "GET", QStringLiteral("/services/") + pathPart(uuid), {}, std::nullopt,
        [](const Reply &r) { return parseObject<CoolifyService>(r, parseService); });
}

QFuture<Result<QString>> CoolifyClient::createService(const CoolifyServiceCreate &spec)
{
    if (auto error = checkPlacement(spec, QStringLiteral("service")))
        return readyFuture<QString>(*error);
    if (spec.compose.isEmpty())
        return readyFuture<QString>(
            Error(Error::Kind::Invalid, QStringLiteral("create service: no compose document")));
    json body = placementBody(spec);
    body["docker_compose_raw"] = spec.compose.toBase64().toStdString();
    body["instant_deploy"] = spec.instantDeploy;
    addTags(body, spec.tags);
    return call<QString>("POST", QStringLiteral("/services"), {}, body,
                         [](const Reply &r) -> Result<QString> {
                             auto j = parseJson(r);
                             const QString uuid = j ? text(*j, "uuid") : QString();
                             if (uuid.isEmpty())
                                 return Error(Error::Kind::Protocol,
                                              QStringLiteral("create answered without a uuid"));
                             return uuid;
                         });
}

QFuture<VoidResult> CoolifyClient::updateService(const QString &uuid, const json &patch)
{
    return call<void>("PATCH", QStringLiteral("/services/") + pathPart(uuid), {}, patch,
                      [](const Reply &) -> VoidResult { return {}; });
}

QFuture<VoidResult> CoolifyClient::setServiceEnvVars(const QString &uuid,
                                                     const QList<CoolifyEnvVar> &vars)
{
    auto data = envBulkData(vars, false);
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

struct ServiceFollowState
{
    AsyncResult<CoolifyService> async;
    QString uuid;
    QDeadlineTimer deadline;
    CoolifyClient::ServiceObserver observer;
    QString lastStatus;
    bool started = false;
    int transientErrors = 0;
};

QFuture<Result<CoolifyService>> CoolifyClient::followService(const QString &uuid, int timeoutMs,
                                                             ServiceObserver observer)
{
    auto state = std::make_shared<ServiceFollowState>();
    state->uuid = uuid;
    state->deadline = QDeadlineTimer(timeoutMs);
    state->observer = std::move(observer);
    pollService(state);
    return state->async.future();
}

void CoolifyClient::pollService(std::shared_ptr<ServiceFollowState> state)
{
    onFinished(service(state->uuid), this, [this, state](const Result<CoolifyService> &s) {
        if (!s) {
            if (isTransient(s.error()) && ++state->transientErrors <= 3) {
                QTimer::singleShot(m_config.pollIntervalMs, this,
                                   [this, state]() { pollService(state); });
                return;
            }
            state->async.finish(s.error());
            return;
        }
        state->transientErrors = 0;
        if (s->status.raw != state->lastStatus && state->observer)
            state->observer(s.value());
        state->lastStatus = s->status.raw;
        using S = CoolifyStatus::State;
        const S st = s->status.state;
        if (st == S::Running && s->status.health == CoolifyStatus::Health::Healthy) {
            state->async.finish(s.value());
            return;
        }
        if (st == S::Starting || st == S::Running || st == S::Restarting)
            state->started = true;
        // Right after the start request the status still shows the old containers (or
        // none: exited), until Coolify's next status sync.
        if (state->started && (st == S::Exited || st == S::Degraded || st == S::Dead)) {
            state->async.finish(
                Error(Error::Kind::Server, QStringLiteral("service %1 %2 (see its logs in Coolify)")
                                               .arg(state->uuid, s->status.raw)));
            return;
        }
        if (state->deadline.hasExpired()) {
            state->async.finish(
                Error(Error::Kind::Timeout, QStringLiteral("service %1 still %2, not healthy")
                                                .arg(state->uuid, s->status.raw)));
            return;
        }
        QTimer::singleShot(m_config.pollIntervalMs, this, [this, state]() { pollService(state); });
    });
}

QFuture<Result<QStringList>> CoolifyClient::serviceLogs(const QString &uuid,
                                                        const QString &subService, int lines)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("sub_service_name"), subService);
    query.addQueryItem(QStringLiteral("lines"), QString::number(lines));
    return call<QStringList>("GET", QStringLiteral("/services/%1/logs").arg(pathPart(uuid)), query,
                             std::nullopt, parseLogLines);
}

QFuture<VoidResult> CoolifyClient::deleteService(const QString &uuid,
                                                 const CoolifyDeleteOptions &options)
{
    const QUrlQuery query = deleteQuery(options);
    return call<void>("DELETE", QStringLiteral("/services/") + pathPart(uuid), query, std::nullopt,
                      [](const Reply &) -> VoidResult { return {}; });
}

QFuture<VoidResult> CoolifyClient::waitUntilServiceGone(const QString &uuid, int timeoutMs)
{
    auto state = std::make_shared<GoneState>();
    state->uuid = uuid;
    state->service = true;
    state->deadline = QDeadlineTimer(timeoutMs);
    pollGone(state);
    return state->async.future();
}

} // namespace bc::coolify
