#include "core/http/connectionpool.h"

#include "core/http/httpconnection.h"
#include "core/http/httpstream.h"

namespace bc::http {

ConnectionPool::ConnectionPool(const Endpoint &endpoint, QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
{
    m_evictTimer.setInterval(5000);
    connect(&m_evictTimer, &QTimer::timeout, this, &ConnectionPool::evictIdle);
}

ConnectionPool::~ConnectionPool()
{
    closeAll();
}

HttpConnection *ConnectionPool::newConnection()
{
    auto *connection = new HttpConnection(m_endpoint, connectTimeoutMs, this);
    m_all.append(connection);
    connect(connection, &HttpConnection::closed, this, [this](HttpConnection *c) {
        m_all.removeOne(c);
        m_idle.removeOne(c);
    });
    connect(connection, &HttpConnection::becameIdle, this, [this](HttpConnection *c) {
        if (!m_all.contains(c))
            return;
        m_idle.append(c);
        while (m_idle.size() > maxIdle)
            m_idle.takeFirst()->close();
        if (!m_evictTimer.isActive())
            m_evictTimer.start();
    });
    return connection;
}

QFuture<Result<HttpResponse>> ConnectionPool::send(HttpRequest request)
{
    AsyncResult<HttpResponse> result;
    dispatch(std::move(request), result, true);
    return result.future();
}

void ConnectionPool::dispatch(HttpRequest request, AsyncResult<HttpResponse> result,
                              bool allowReuse)
{
    HttpConnection *connection = nullptr;
    if (allowReuse && !m_idle.isEmpty())
        connection = m_idle.takeLast();
    else
        connection = newConnection();
    // A reused connection the daemon closed meanwhile (restart, its own idle timeout) fails
    // before any byte: retry such idempotent requests once on a fresh connection.
    const bool canRetry = request.idempotent() && !request.bodyDevice;
    HttpRequest retryCopy = canRetry ? request : HttpRequest();
    connection->startBuffered(std::move(request),
                              [this, result, canRetry, retryCopy = std::move(retryCopy)](
                                  Result<HttpResponse> r, bool retryable) mutable {
                                  if (!r.ok() && retryable && canRetry) {
                                      dispatch(std::move(retryCopy), result, false);
                                      return;
                                  }
                                  result.finish(std::move(r));
                              });
}

HttpStream *ConnectionPool::stream(HttpRequest request)
{
    auto *stream = new HttpStream(this);
    HttpConnection *connection = newConnection();
    stream->m_connection = connection;
    connection->startStream(std::move(request), stream);
    return stream;
}

void ConnectionPool::evictIdle()
{
    const auto idle = m_idle;
    for (HttpConnection *c : idle) {
        if (c->idleForMs() >= idleTimeoutMs)
            c->close();
    }
    if (m_idle.isEmpty())
        m_evictTimer.stop();
}

void ConnectionPool::closeAll()
{
    const auto all = m_all;
    for (HttpConnection *c : all)
        c->cancel();
    m_all.clear();
    m_idle.clear();
}

} // namespace bc::http
