#pragma once

#include "core/http/endpoint.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponse.h"
#include "core/result.h"
#include "core/util/async.h"

#include <QList>
#include <QObject>
#include <QTimer>

namespace bc::http {

class HttpConnection;
class HttpStream;

// Keep-alive pool for one endpoint. Idle connections are reused most-recent-first, evicted
// after idleTimeoutMs or when the peer closes them, and capped at maxIdle (Go's client
// leaked sockets without such caps: moby/moby#45539). Streams never come from the pool.
class ConnectionPool : public QObject
{
    Q_OBJECT
public:
    explicit ConnectionPool(const Endpoint &endpoint, QObject *parent = nullptr);
    ~ConnectionPool() override;

    QFuture<Result<HttpResponse>> send(HttpRequest request);
    HttpStream *stream(HttpRequest request);

    int maxIdle = 6;
    int idleTimeoutMs = 30000;
    int connectTimeoutMs = 30000;

    int openCount() const { return int(m_all.size()); }
    int idleCount() const { return int(m_idle.size()); }
    void closeAll();

private:
    void dispatch(HttpRequest request, AsyncResult<HttpResponse> result, bool allowReuse);
    HttpConnection *newConnection();
    void evictIdle();

    Endpoint m_endpoint;
    QList<HttpConnection *> m_all;
    QList<HttpConnection *> m_idle; // most recently used last
    QTimer m_evictTimer;
};

} // namespace bc::http
