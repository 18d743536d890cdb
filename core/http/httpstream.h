#pragma once

#include "core/http/httpresponse.h"
#include "core/result.h"

#include <QIODevice>
#include <QObject>
#include <QPointer>

namespace bc::http {

class HttpConnection;

// A request whose response body is delivered as it arrives (events, stats, logs, build).
// Contract: headersReceived at most once, then dataReceived any number of times, then
// finished exactly once (also after cancel(), with Error::Kind::Cancelled). The stream
// deletes itself (deleteLater) after finished. A non-2xx status is delivered as
// finished(Error) with the server's message; its body is not passed to dataReceived.
class HttpStream : public QObject
{
    Q_OBJECT
public:
    ~HttpStream() override;

    // Closes the connection: the way to cancel a build, a log follow or an event stream.
    void cancel();
    bool isFinished() const { return m_finished; }
    const HttpResponse &head() const { return m_head; }

    // For upgraded (101) or hijacked connections: takes the raw device after
    // headersReceived; bytes already read past the headers are returned in `leftover`
    // and belong to the stream. The stream then finishes (success) without closing it.
    QIODevice *takeDevice(QByteArray *leftover);

signals:
    void headersReceived(const bc::http::HttpResponse &head);
    void dataReceived(const QByteArray &chunk);
    void finished(const bc::VoidResult &result);

private:
    friend class HttpClient;
    friend class HttpConnection;
    friend class ConnectionPool;
    explicit HttpStream(QObject *parent = nullptr);
    void deliverHead(const HttpResponse &head);
    void deliverData(const QByteArray &chunk);
    void finish(const VoidResult &result);

    HttpResponse m_head;
    bool m_finished = false;
    QPointer<HttpConnection> m_connection;
};

} // namespace bc::http
