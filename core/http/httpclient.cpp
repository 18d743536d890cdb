#include "core/http/httpclient.h"

#include "core/http/connectionpool.h"

namespace bc::http {

HttpClient::HttpClient(Endpoint endpoint, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    , m_pool(std::make_unique<ConnectionPool>(m_endpoint))
{}

HttpClient::~HttpClient() = default;

QFuture<Result<HttpResponse>> HttpClient::send(HttpRequest request)
{
    return m_pool->send(std::move(request));
}

HttpStream *HttpClient::stream(HttpRequest request)
{
    return m_pool->stream(std::move(request));
}

void HttpClient::setMaxIdleConnections(int n)
{
    m_pool->maxIdle = n;
}
void HttpClient::setIdleTimeout(int ms)
{
    m_pool->idleTimeoutMs = ms;
}
void HttpClient::setConnectTimeout(int ms)
{
    m_pool->connectTimeoutMs = ms;
}
int HttpClient::openConnectionCount() const
{
    return m_pool->openCount();
}
int HttpClient::idleConnectionCount() const
{
    return m_pool->idleCount();
}
void HttpClient::closeAll()
{
    m_pool->closeAll();
}

} // namespace bc::http
