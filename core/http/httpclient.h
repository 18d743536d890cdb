#pragma once

#include "core/http/endpoint.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponse.h"
#include "core/http/httpstream.h"
#include "core/result.h"

#include <QFuture>
#include <QObject>

#include <memory>

namespace bc::http {

class ConnectionPool;

// HTTP/1.1 client for one endpoint, on the thread that owns it (the GUI thread is fine:
// nothing blocks). Short requests share a keep-alive pool (at most maxIdle idle
// connections, evicted after idleTimeoutMs); streams get a dedicated connection each,
// so a long event or stats stream never starves short calls (QNAM's cap of 6 per host).
class HttpClient : public QObject
{
    Q_OBJECT
public:
    explicit HttpClient(Endpoint endpoint, QObject *parent = nullptr);
    ~HttpClient() override;

    const Endpoint &endpoint() const { return m_endpoint; }

    // Buffered request: the whole body in HttpResponse::body. Any HTTP status is a
    // success here; callers map statuses to errors (they know what 304 or 404 means).
    QFuture<Result<HttpResponse>> send(HttpRequest request);

    // Streaming request; see HttpStream for the contract. Owned by this client until
    // it finishes, then it deletes itself.
    HttpStream *stream(HttpRequest request);

    void setMaxIdleConnections(int n);
    void setIdleTimeout(int ms);
    void setConnectTimeout(int ms);
    int openConnectionCount() const; // pooled + busy + streams (for leak tests)
    int idleConnectionCount() const;

    // Closes every connection and fails what is pending with Cancelled.
    void closeAll();

private:
    Endpoint m_endpoint;
    std::unique_ptr<ConnectionPool> m_pool;
};

} // namespace bc::http
