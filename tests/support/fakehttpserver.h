#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QList>
#include <QLocalServer>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTemporaryDir>

#include <functional>

namespace bc::test {

// A scriptable HTTP/1.1 server for client tests: listens on a Unix socket (or TCP/TLS via
// listenTcp/listenTls), parses requests (Content-Length and chunked bodies) and hands each
// to `handler`, which writes whatever bytes it wants, whenever it wants.
class FakeHttpServer : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QByteArray method;
        QByteArray target;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        int connectionIndex = 0;
        QByteArray header(const QByteArray &name) const;
    };
    using Handler = std::function<void(QIODevice *socket, const Request &request)>;

    explicit FakeHttpServer(QObject *parent = nullptr);
    ~FakeHttpServer() override;

    bool listenUnix();
    QString socketPath() const { return m_path; }
    bool listenTcp();
    quint16 port() const;
    // Hands accepted TCP sockets to `wrap` (for example to start server-side TLS).
    std::function<QIODevice *(qintptr descriptor)> wrapTcp;

    Handler handler;
    QList<Request> requests;
    int connectionCount() const { return m_connectionCount; }
    int openConnections() const;
    // Closes every accepted connection (simulates a daemon restart).
    void dropAll();

    static QByteArray response(int status, const QByteArray &body,
                               const QByteArray &contentType = "application/json",
                               const QByteArray &extraHeaders = {});

private:
    class TcpServer;
    void adopt(QIODevice *socket);
    void process(QIODevice *socket);

    QTemporaryDir m_dir;
    QString m_path;
    QLocalServer m_local;
    QTcpServer *m_tcp = nullptr;
    QList<QPointer<QIODevice>> m_sockets;
    int m_connectionCount = 0;
};

} // namespace bc::test
