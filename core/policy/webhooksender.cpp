#include "core/policy/webhooksender.h"

#include "core/boxes/consolesettings.h"

#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace bc::policy {

namespace {

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress a(host);
    return !a.isNull() && a.isLoopback();
}

// Qt's network errors may quote the URL, whose path can be a token (Slack): masked.
QString withoutUrl(QString text, const QUrl &url)
{
    const QString masked = boxes::ConsoleSettings::maskWebhookUrl(url.toString());
    for (const QString &form :
         {url.toString(), url.toDisplayString(), url.toString(QUrl::FullyEncoded)})
        if (!form.isEmpty())
            text.replace(form, masked);
    return text;
}

constexpr int kSeenLimit = 4096;
constexpr int kMaxRetryMs = 60000;

} // namespace

Result<Webhook> Webhook::parse(const QString &text, const QString &field)
{
    Webhook w;
    QString rest = text.trimmed();
    if (rest.startsWith(QLatin1String("slack:"))) {
        w.format = Format::Slack;
        rest = rest.mid(6);
    } else if (rest.startsWith(QLatin1String("json:"))) {
        rest = rest.mid(5);
    }
    const QUrl url(rest, QUrl::StrictMode);
    auto bad = [&](const QString &why) {
        return Error(Error::Kind::Invalid, QStringLiteral("%1: %2").arg(field, why));
    };
    if (rest.isEmpty() || !url.isValid() || url.host().isEmpty())
        return bad(QStringLiteral("not a URL"));
    if (!url.userInfo().isEmpty())
        return bad(QStringLiteral("credentials in the URL are not accepted"));
    if (url.scheme() == QLatin1String("http")) {
        if (!isLoopbackHost(url.host()))
            return bad(QStringLiteral("plain http is only accepted to a loopback host; use https"));
    } else if (url.scheme() != QLatin1String("https")) {
        return bad(QStringLiteral("the scheme must be https"));
    }
    w.url = url;
    return w;
}

util::json::Json Alert::toJson() const
{
    using util::json::utf8;
    util::json::Json o{
        {"id", utf8(id)},           {"kind", utf8(kind)},
        {"backend", utf8(backend)}, {"box", utf8(box)},
        {"message", utf8(message)}, {"time", utf8(time.toUTC().toString(Qt::ISODateWithMs))}};
    if (details.is_object() && !details.empty())
        o["details"] = details;
    return o;
}

WebhookSender::WebhookSender(QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
{}

WebhookSender::~WebhookSender() = default;

void WebhookSender::setRetry(int initialMs, int maxAttempts)
{
    m_initialRetryMs = initialMs;
    m_maxAttempts = maxAttempts;
}

QByteArray WebhookSender::payload(const Alert &alert, Webhook::Format format)
{
    if (format == Webhook::Format::Slack) {
        const QString text = QStringLiteral("[box-console] %1: %2").arg(alert.kind, alert.message);
        return util::json::dump(util::json::Json{{"text", util::json::utf8(text)}});
    }
    return util::json::dump(alert.toJson());
}

bool WebhookSender::send(const Alert &alert)
{
    if (alert.id.isEmpty() || m_seen.contains(alert.id))
        return false;
    m_seen.insert(alert.id);
    m_seenOrder.enqueue(alert.id);
    while (m_seenOrder.size() > kSeenLimit)
        m_seen.remove(m_seenOrder.dequeue());
    for (const Webhook &hook : std::as_const(m_hooks))
        enqueue(Delivery{alert, hook, 0});
    return true;
}

void WebhookSender::enqueue(Delivery d)
{
    while (m_queue.size() >= m_queueLimit) {
        const Delivery old = m_queue.dequeue();
        emit dropped(old.alert.id, old.hook.url, QStringLiteral("queue full"));
    }
    m_queue.enqueue(std::move(d));
    QTimer::singleShot(0, this, &WebhookSender::pump);
}

// A few requests in flight per webhook: one endpoint that hangs holds up only its own
// alerts, never another endpoint's.
void WebhookSender::pump()
{
    for (auto it = m_queue.begin(); it != m_queue.end();) {
        if (m_inFlightByHook.value(it->hook.url) < m_maxInFlight) {
            Delivery d = std::move(*it);
            it = m_queue.erase(it);
            post(std::move(d));
        } else {
            ++it;
        }
    }
}

void WebhookSender::post(Delivery d)
{
    ++m_inFlight;
    ++m_inFlightByHook[d.hook.url];
    QNetworkRequest req(d.hook.url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    req.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("box-console-policy"));
    req.setRawHeader("X-Box-Console-Alert-Id", d.alert.id.toUtf8());
    req.setTransferTimeout(5000);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = m_nam->post(req, payload(d.alert, d.hook.format));
    connect(reply, &QNetworkReply::finished, this, [this, reply, d]() mutable {
        reply->deleteLater();
        --m_inFlight;
        if (--m_inFlightByHook[d.hook.url] <= 0)
            m_inFlightByHook.remove(d.hook.url);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300) {
            emit delivered(d.alert.id, d.hook.url);
        } else if (++d.attempt >= m_maxAttempts ||
                   (status >= 400 && status < 500 && status != 429)) {
            // A 4xx other than 429 will not change by retrying (a removed Slack hook).
            emit dropped(d.alert.id, d.hook.url,
                         status ? QStringLiteral("HTTP %1").arg(status)
                                : withoutUrl(reply->errorString(), d.hook.url));
        } else {
            const int delay = qMin(kMaxRetryMs, m_initialRetryMs << qMin(d.attempt - 1, 16));
            QTimer::singleShot(delay, this, [this, d]() { enqueue(d); });
        }
        pump();
    });
}

} // namespace bc::policy
