#include "core/http/httpconnection.h"

#include "core/http/httpstream.h"
#include "core/http/transport.h"

namespace bc::http {

static constexpr qint64 UploadHighWater = 256 * 1024;
static constexpr qint64 UploadChunk = 64 * 1024;

HttpConnection::HttpConnection(const Endpoint &endpoint, int connectTimeoutMs, QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
    , m_connectTimeoutMs(connectTimeoutMs)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        failRequest(Error(Error::Kind::Timeout, QStringLiteral("no response from %1 within %2 s")
                                                    .arg(m_endpoint.toUrl())
                                                    .arg(m_request.headerTimeoutMs / 1000.0)));
    });
    m_parser.onHead = [this](const HttpResponse &head) {
        m_response.status = head.status;
        m_response.reason = head.reason;
        m_response.headers = head.headers;
    };
    m_parser.onBody = [this](const char *data, qsizetype size) {
        m_pendingBody.append(data, size);
    };
}

HttpConnection::~HttpConnection()
{
    if (m_active)
        failRequest(Error(Error::Kind::Cancelled, QStringLiteral("connection destroyed")));
}

void HttpConnection::startBuffered(HttpRequest request, BufferedDone done)
{
    m_isStream = false;
    m_bufferedDone = std::move(done);
    m_stream.clear();
    begin(std::move(request));
}

void HttpConnection::startStream(HttpRequest request, HttpStream *stream)
{
    m_isStream = true;
    m_bufferedDone = nullptr;
    m_stream = stream;
    begin(std::move(request));
}

void HttpConnection::begin(HttpRequest request)
{
    Q_ASSERT(!m_active);
    m_request = std::move(request);
    m_active = true;
    m_headDelivered = false;
    m_rawMode = false;
    m_responseBytes = 0;
    m_response = HttpResponse();
    m_pendingBody.clear();
    m_parser.reset(m_request.method == "HEAD");
    m_idleClock.invalidate();

    if (m_state == State::Idle) {
        m_state = State::Busy;
        sendRequest();
        return;
    }
    m_state = State::Connecting;
    m_transport = new Transport(m_endpoint, this);
    connect(m_transport, &Transport::connected, this, [this] {
        m_state = State::Busy;
        sendRequest();
    });
    connect(m_transport, &Transport::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_transport, &Transport::bytesWritten, this, [this] {
        if (m_uploading)
            pumpBody();
    });
    connect(m_transport, &Transport::failed, this, [this](const Error &error) {
        const bool retryable = m_active && wasUsed() && m_responseBytes == 0;
        if (m_active)
            failRequest(error, retryable);
        finishClosed();
    });
    connect(m_transport, &Transport::closed, this, &HttpConnection::onPeerClosed);
    m_transport->open(m_connectTimeoutMs);
}

void HttpConnection::sendRequest()
{
    // The connect phase has its own timer in Transport; this one covers the daemon's answer.
    if (m_request.headerTimeoutMs > 0)
        m_timeout.start(m_request.headerTimeoutMs);
    QByteArray head;
    head.reserve(256 + m_request.body.size());
    head += m_request.method + ' ' + m_request.target + " HTTP/1.1\r\n";
    if (!m_request.headers.contains("Host"))
        head += "Host: " + m_endpoint.hostHeader() + "\r\n";
    if (!m_request.headers.contains("User-Agent"))
        head += "User-Agent: box-console/0.1\r\n";
    for (const auto &field : m_request.headers.fields())
        head += field.first + ": " + field.second + "\r\n";
    if (m_request.upgrade)
        head += "Connection: Upgrade\r\nUpgrade: tcp\r\n";
    if (m_request.bodyDevice) {
        head += "Transfer-Encoding: chunked\r\n";
    } else if (!m_request.body.isEmpty() || m_request.method == "POST" ||
               m_request.method == "PUT") {
        head += "Content-Length: " + QByteArray::number(m_request.body.size()) + "\r\n";
    }
    head += "\r\n";
    if (!m_request.bodyDevice)
        head += m_request.body;
    m_transport->write(head);
    m_request.body.clear(); // may be large; it is on the wire now
    if (m_request.bodyDevice) {
        m_uploading = true;
        pumpBody();
    }
}

void HttpConnection::pumpBody()
{
    // Feed the upload as the socket drains, never blocking: the daemon may answer (and
    // fail a build) before it has read the whole context.
    QIODevice *device = m_request.bodyDevice.get();
    while (m_uploading && m_transport && m_transport->bytesToWrite() < UploadHighWater) {
        const QByteArray chunk = device->read(UploadChunk);
        if (chunk.isEmpty()) {
            if (device->atEnd() || !device->isOpen()) {
                m_transport->write("0\r\n\r\n");
                m_uploading = false;
                m_request.bodyDevice.reset();
            }
            return;
        }
        m_transport->write(QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n");
    }
}

void HttpConnection::onReadyRead()
{
    if (!m_transport)
        return;
    if (m_deviceTaken)
        return;
    const QByteArray data = m_transport->readAll();
    if (data.isEmpty())
        return;
    if (!m_active) {
        // Bytes on an idle keep-alive connection: the peer is confused; drop the connection.
        close();
        return;
    }
    m_responseBytes += data.size();
    if (m_rawMode) {
        m_pendingBody += data;
        processParsed();
        return;
    }
    auto consumed = m_parser.feed(data.constData(), data.size());
    if (!consumed) {
        failRequest(consumed.error());
        close();
        return;
    }
    if (m_parser.upgraded()) {
        m_rawMode = true;
        m_pendingBody += data.mid(*consumed);
    }
    processParsed();
}

void HttpConnection::processParsed()
{
    QPointer<HttpConnection> self(this);
    if (m_parser.headComplete() && !m_headDelivered) {
        m_headDelivered = true;
        m_timeout.stop();
        if (m_isStream && m_stream && (m_response.isSuccess() || m_response.status == 101)) {
            m_stream->deliverHead(m_response);
            if (!self || !m_active)
                return;
            if (m_deviceTaken)
                return;
        }
        if (!m_isStream && m_request.headerTimeoutMs > 0)
            m_timeout.start(m_request.headerTimeoutMs); // now an inactivity timeout
    } else if (!m_isStream && m_active && m_request.headerTimeoutMs > 0 && m_headDelivered) {
        m_timeout.start(m_request.headerTimeoutMs);
    }

    if (!m_pendingBody.isEmpty()) {
        const bool streamData = m_isStream && (m_response.isSuccess() || m_rawMode);
        if (streamData) {
            const QByteArray chunk = std::exchange(m_pendingBody, {});
            if (m_stream)
                m_stream->deliverData(chunk);
            if (!self || !m_active)
                return;
        } else {
            m_response.body += m_pendingBody;
            m_pendingBody.clear();
            const qint64 cap = m_isStream ? 64 * 1024 : m_request.maxBodyBytes;
            if (m_response.body.size() > cap) {
                if (m_isStream) {
                    m_response.body.truncate(cap); // enough for an error message
                } else {
                    failRequest(Error(Error::Kind::Protocol,
                                      QStringLiteral("response body exceeds %1 bytes").arg(cap)));
                    close();
                    return;
                }
            }
        }
    }
    if (m_parser.messageComplete() && !m_rawMode)
        complete();
}

void HttpConnection::complete()
{
    m_timeout.stop();
    m_active = false;
    ++m_requestsServed;
    const bool reusable = m_parser.keepAlive() && !m_uploading && !m_request.upgrade;
    QPointer<HttpStream> stream = std::exchange(m_stream, {});
    auto done = std::exchange(m_bufferedDone, nullptr);
    HttpResponse response = std::exchange(m_response, {});
    // Back in the pool before anyone hears of the result: a continuation that runs
    // synchronously and sends the next request (ping, then the call) reuses this socket.
    if (reusable)
        enterIdle();
    else
        close();
    if (m_isStream) {
        if (stream) {
            if (response.isSuccess())
                stream->finish(VoidResult());
            else
                stream->finish(Error::fromHttpStatus(response.status, response.serverMessage()));
        }
    } else if (done) {
        done(std::move(response), false);
    }
}

void HttpConnection::enterIdle()
{
    m_state = State::Idle;
    m_idleClock.start();
    emit becameIdle(this);
}

void HttpConnection::onPeerClosed()
{
    // The peer's last bytes can still be unread when its close is reported (on a busy
    // machine both arrive in one turn of the loop): read them before the end is judged, or
    // the tail of a body that ends with the connection (a followed log) is lost.
    if (m_active && m_transport && !m_deviceTaken)
        onReadyRead();
    if (m_active) {
        if (m_rawMode) {
            processParsed();
            if (m_active)
                complete();
        } else {
            const VoidResult eof = m_parser.finishEof();
            if (eof.ok()) {
                processParsed();
            } else {
                const bool retryable = wasUsed() && m_responseBytes == 0;
                failRequest(eof.error().withContext(QString::fromLatin1(m_request.method) +
                                                    QLatin1Char(' ') +
                                                    QString::fromUtf8(m_request.target)),
                            retryable);
            }
        }
    }
    finishClosed();
}

void HttpConnection::failRequest(const Error &error, bool retryable)
{
    if (!m_active)
        return;
    m_active = false;
    m_uploading = false;
    m_timeout.stop();
    if (m_isStream) {
        QPointer<HttpStream> stream = m_stream;
        m_stream.clear();
        if (stream)
            stream->finish(error);
    } else {
        auto done = std::move(m_bufferedDone);
        m_bufferedDone = nullptr;
        if (done)
            done(error, retryable);
    }
    if (m_state != State::Closed)
        close();
}

void HttpConnection::cancel()
{
    failRequest(Error(Error::Kind::Cancelled, QStringLiteral("cancelled")));
    close();
}

void HttpConnection::close()
{
    if (m_state == State::Closed)
        return;
    if (m_transport)
        m_transport->abort();
    finishClosed();
}

void HttpConnection::finishClosed()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_timeout.stop();
    if (m_active)
        failRequest(Error(Error::Kind::Transport, QStringLiteral("connection closed")));
    emit closed(this);
    deleteLater();
}

QIODevice *HttpConnection::takeDevice(QByteArray *leftover)
{
    if (!m_transport || !m_transport->device())
        return nullptr;
    m_transport->disconnect(this);
    QIODevice *device = m_transport->release();
    m_deviceTaken = true;
    if (leftover)
        *leftover = std::exchange(m_pendingBody, {});
    // The transport must not delete or abort the device it no longer owns.
    delete m_transport;
    m_transport = nullptr;
    m_active = false;
    m_state = State::Closed;
    m_timeout.stop();
    emit closed(this);
    deleteLater();
    return device;
}

void HttpConnection::shutdownWrite()
{
    if (m_transport)
        m_transport->shutdownWrite();
}

} // namespace bc::http
