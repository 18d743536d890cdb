#pragma once

#include "core/http/endpoint.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponse.h"
#include "core/http/responseparser.h"
#include "core/result.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace bc::http {

class HttpStream;
class Transport;

// One HTTP/1.1 connection carrying one request at a time. Parses the response as bytes
// arrive and hands results out only between parser calls, so a consumer may cancel or
// delete things from inside any signal without pulling the parser from under itself.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    enum class State { Unconnected, Connecting, Idle, Busy, Closed };

    // Completion of a buffered request; `retryable` is true when it failed on a reused
    // connection before a single response byte arrived (the peer had closed it).
    using BufferedDone = std::function<void(Result<HttpResponse> result, bool retryable)>;

    HttpConnection(const Endpoint &endpoint, int connectTimeoutMs, QObject *parent = nullptr);
    ~HttpConnection() override;

    State state() const { return m_state; }
    bool wasUsed() const { return m_requestsServed > 0; }
    qint64 idleForMs() const { return m_idleClock.isValid() ? m_idleClock.elapsed() : 0; }

    void startBuffered(HttpRequest request, BufferedDone done);
    void startStream(HttpRequest request, HttpStream *stream);

    // Aborts whatever runs; a pending request ends with Error::Kind::Cancelled.
    void cancel();
    void close();
    QIODevice *takeDevice(QByteArray *leftover);
    void shutdownWrite();

signals:
    void becameIdle(bc::http::HttpConnection *connection);
    void closed(bc::http::HttpConnection *connection);

private:
    void begin(HttpRequest request);
    void sendRequest();
    void pumpBody();
    void onReadyRead();
    void onPeerClosed();
    void processParsed();
    void complete();
    void failRequest(const Error &error, bool retryable = false);
    void finishClosed();
    void enterIdle();

    Endpoint m_endpoint;
    int m_connectTimeoutMs = 30000;
    Transport *m_transport = nullptr;
    State m_state = State::Unconnected;
    ResponseParser m_parser;
    HttpRequest m_request;
    BufferedDone m_bufferedDone;
    QPointer<HttpStream> m_stream;
    bool m_isStream = false;
    bool m_active = false; // a request is in flight
    bool m_headDelivered = false;
    bool m_uploading = false;
    bool m_rawMode = false; // after 101: bytes are the new protocol's
    bool m_deviceTaken = false;
    int m_requestsServed = 0;
    qint64 m_responseBytes = 0;
    HttpResponse m_response;
    QByteArray m_pendingBody; // body bytes parsed in the current read, not yet handed out
    QByteArray m_leftover;
    QTimer m_timeout;
    QElapsedTimer m_idleClock;
};

} // namespace bc::http
