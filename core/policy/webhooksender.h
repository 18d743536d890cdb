#pragma once

#include "core/result.h"
#include "core/util/json.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QQueue>
#include <QSet>
#include <QUrl>

class QNetworkAccessManager;

namespace bc::policy {

struct Webhook
{
    enum class Format { Json, Slack };
    QUrl url;
    Format format = Format::Json;

    // "https://host/path" (plain JSON), "slack:https://hooks.slack.com/..." (Slack's
    // {"text": ...}). Plain http only to a loopback host: the payload names boxes and
    // owners. `field` names the setting or flag in the error.
    static Result<Webhook> parse(const QString &text, const QString &field);
};

// One thing worth telling someone without a desktop.
struct Alert
{
    QString id;   // unique per occurrence: the same id is delivered once
    QString kind; // unhealthy, died, oom-killed, restarting, policy-idle-stop, policy-expire,
                  // policy-delete, quota-refused
    QString backend;
    QString box;
    QString message; // one human line
    QDateTime time;
    util::json::Json details = util::json::Json::object();

    util::json::Json toJson() const;
};

// Delivers alerts to webhooks in the background: a POST per webhook, retried with
// exponential backoff (1 s doubling to 60 s, 6 attempts), from a bounded queue whose
// oldest delivery is dropped when it overflows. send() only queues, so an endpoint that is
// down or slow never holds up the action that raised the alert.
class WebhookSender : public QObject
{
    Q_OBJECT
public:
    explicit WebhookSender(QObject *parent = nullptr);
    ~WebhookSender() override;

    void setWebhooks(QList<Webhook> hooks) { m_hooks = std::move(hooks); }
    const QList<Webhook> &webhooks() const { return m_hooks; }
    // For tests: the first retry delay, and how many attempts before giving up.
    void setRetry(int initialMs, int maxAttempts);
    void setQueueLimit(int limit) { m_queueLimit = limit; }

    // Queues the alert for every webhook; false when its id was sent before.
    bool send(const Alert &alert);
    int pending() const { return int(m_queue.size()) + m_inFlight; }

    static QByteArray payload(const Alert &alert, Webhook::Format format);

signals:
    void delivered(const QString &alertId, const QUrl &url);
    void dropped(const QString &alertId, const QUrl &url, const QString &reason);

private:
    struct Delivery
    {
        Alert alert;
        Webhook hook;
        int attempt = 0;
    };
    void enqueue(Delivery d);
    void pump();
    void post(Delivery d);

    QNetworkAccessManager *m_nam;
    QList<Webhook> m_hooks;
    QQueue<Delivery> m_queue;
    QSet<QString> m_seen;
    QQueue<QString> m_seenOrder; // bounds m_seen
    int m_inFlight = 0;
    QHash<QUrl, int> m_inFlightByHook;
    int m_maxInFlight = 2; // per webhook
    int m_queueLimit = 512;
    int m_initialRetryMs = 1000;
    int m_maxAttempts = 6;
};

} // namespace bc::policy
