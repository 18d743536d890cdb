#include "core/coolify/coolifytransport.h"

#include "core/coolify/coolifyerrors.h"
#include "core/util/futureutil.h"
#include "core/util/secretstore.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <csignal>

namespace bc::coolify {

using nlohmann::json;

namespace {

// Retry-After is seconds or an HTTP date.
int retryAfterMs(const QByteArray &value)
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

// BOX_TEST_KILL_AFTER_CALL=N: the process SIGKILLs itself once Coolify has answered its
// Nth request, before anyone sees the answer (the crash-consistency test).
void killForCrashTest()
{
    static const int killAfter = qEnvironmentVariableIntValue("BOX_TEST_KILL_AFTER_CALL");
    static std::atomic<int> calls{0};
    if (killAfter > 0 && ++calls >= killAfter)
        ::raise(SIGKILL);
}

} // namespace

struct CoolifyTransport::Attempt
{
    QByteArray method;
    QString path;
    QUrlQuery query;
    std::optional<json> body;
    ReplyHandler handler;
    int retries = 0;
};

CoolifyTransport::CoolifyTransport(const CoolifyConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_nam(new QNetworkAccessManager(this))
{
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_tokenResolved = !m_config.token.isEmpty();
}

CoolifyTransport::~CoolifyTransport() = default;

void CoolifyTransport::setRetryPolicy(int maxRetries, int maxWaitMs)
{
    m_maxRetries = std::max(0, maxRetries);
    m_maxRetryWaitMs = std::max(0, maxWaitMs);
}

QUrl CoolifyTransport::urlFor(const QString &path, const QUrlQuery &query) const
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

void CoolifyTransport::withToken(std::function<void(VoidResult)> next)
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

void CoolifyTransport::send(const QByteArray &method, const QString &path, const QUrlQuery &query,
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

void CoolifyTransport::sendAttempt(std::shared_ptr<Attempt> attempt)
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
        CoolifyReply r;
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

} // namespace bc::coolify
