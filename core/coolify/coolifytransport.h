#pragma once

#include "core/coolify/coolifyconfig.h"
#include "core/coolify/coolifyreply.h"
#include "core/result.h"

#include <QList>
#include <QObject>
#include <QUrlQuery>

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace bc::coolify {

// The HTTP exchange under CoolifyClient: the token (from the SecretStore when the config
// has none, read once for every waiting request), the request, the timeout, and the 429
// retries, so that the client itself only names endpoints and reads their answers.
class CoolifyTransport : public QObject
{
    Q_OBJECT
public:
    using ReplyHandler = std::function<void(Result<CoolifyReply>)>;

    explicit CoolifyTransport(const CoolifyConfig &config, QObject *parent = nullptr);
    ~CoolifyTransport() override;

    // With the token once it has been read from the SecretStore.
    const CoolifyConfig &config() const { return m_config; }
    void setRetryPolicy(int maxRetries, int maxWaitMs);
    int rateLimitRemaining() const { return m_rateLimitRemaining; }

    // A non-2xx status arrives as an Error (errorFromReply), with "METHOD path" as context.
    void send(const QByteArray &method, const QString &path, const QUrlQuery &query,
              const std::optional<nlohmann::json> &body, ReplyHandler handler);

signals:
    // See CoolifyClient::responseReceived.
    void responseReceived(const QString &method, const QString &path, int status,
                          const QMap<QByteArray, QByteArray> &headers, const QByteArray &body);

private:
    struct Attempt;
    void withToken(std::function<void(VoidResult)> next);
    void sendAttempt(std::shared_ptr<Attempt> attempt);
    QUrl urlFor(const QString &path, const QUrlQuery &query) const;

    CoolifyConfig m_config;
    QNetworkAccessManager *m_nam = nullptr;
    bool m_tokenResolved = false;
    bool m_tokenPending = false;
    QList<std::function<void(VoidResult)>> m_tokenWaiters;
    int m_maxRetries = 3;
    int m_maxRetryWaitMs = 60000;
    int m_rateLimitRemaining = -1;
};

} // namespace bc::coolify
