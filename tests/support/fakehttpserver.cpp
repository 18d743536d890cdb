#include "support/fakehttpserver.h"

#include <QHash>
#include <QLocalSocket>
#include <QTcpSocket>

namespace bc::test {

class FakeHttpServer::TcpServer : public QTcpServer
{
public:
    explicit TcpServer(FakeHttpServer *owner)
        : QTcpServer(owner)
        , m_owner(owner)
    {}

protected:
    void incomingConnection(qintptr descriptor) override
    {
        if (m_owner->wrapTcp) {
            if (QIODevice *device = m_owner->wrapTcp(descriptor))
                m_owner->adopt(device);
            return;
        }
        auto *socket = new QTcpSocket(m_owner);
        socket->setSocketDescriptor(descriptor);
        m_owner->adopt(socket);
    }

private:
    FakeHttpServer *m_owner;
};

QByteArray FakeHttpServer::Request::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

FakeHttpServer::FakeHttpServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_local, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_local.nextPendingConnection())
            adopt(socket);
    });
}

FakeHttpServer::~FakeHttpServer()
{
    dropAll();
}

bool FakeHttpServer::listenUnix()
{
    m_path = m_dir.filePath(QStringLiteral("fake.sock"));
    return m_local.listen(m_path);
}

bool FakeHttpServer::listenTcp()
{
    m_tcp = new TcpServer(this);
    return m_tcp->listen(QHostAddress::LocalHost, 0);
}

quint16 FakeHttpServer::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

int FakeHttpServer::openConnections() const
{
    int n = 0;
    for (const auto &s : m_sockets) {
        if (s && s->isOpen())
            ++n;
    }
    return n;
}

void FakeHttpServer::dropAll()
{
    for (const auto &s : std::as_const(m_sockets)) {
        if (s)
            s->close();
    }
    m_sockets.clear();
}

void FakeHttpServer::adopt(QIODevice *socket)
{
    const int index = m_connectionCount++;
    socket->setProperty("connectionIndex", index);
    m_sockets.append(socket);
    connect(socket, &QIODevice::readyRead, this, [this, socket] { process(socket); });
    // QLocalSocket and QAbstractSocket both have disconnected(); QIODevice does not.
    if (auto *local = qobject_cast<QLocalSocket *>(socket))
        connect(local, &QLocalSocket::disconnected, local, [local] { local->close(); });
    else if (auto *tcp = qobject_cast<QAbstractSocket *>(socket))
        connect(tcp, &QAbstractSocket::disconnected, tcp, [tcp] { tcp->close(); });
    if (socket->bytesAvailable() > 0)
        process(socket);
}

void FakeHttpServer::process(QIODevice *socket)
{
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    for (;;) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            break;
        Request r;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        r.method = first.value(0);
        r.target = first.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                r.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
        }
        qsizetype pos = end + 4;
        if (r.header("Transfer-Encoding").toLower() == "chunked") {
            bool complete = false;
            QByteArray body;
            qsizetype p = pos;
            for (;;) {
                const qsizetype lineEnd = buffer.indexOf("\r\n", p);
                if (lineEnd < 0)
                    break;
                bool ok = false;
                const qsizetype size = buffer.mid(p, lineEnd - p).toLongLong(&ok, 16);
                if (!ok)
                    break;
                if (buffer.size() < lineEnd + 2 + size + 2)
                    break;
                if (size == 0) {
                    p = lineEnd + 4;
                    complete = true;
                    break;
                }
                body += buffer.mid(lineEnd + 2, size);
                p = lineEnd + 2 + size + 2;
            }
            if (!complete)
                break;
            r.body = body;
            pos = p;
        } else {
            const qsizetype length = r.header("Content-Length").toLongLong();
            if (buffer.size() < pos + length)
                break;
            r.body = buffer.mid(pos, length);
            pos += length;
        }
        buffer.remove(0, pos);
        r.connectionIndex = socket->property("connectionIndex").toInt();
        requests.append(r);
        if (handler)
            handler(socket, r);
        else
            socket->write(response(200, "{}"));
    }
    socket->setProperty("buffer", buffer);
}

QByteArray FakeHttpServer::response(int status, const QByteArray &body,
                                    const QByteArray &contentType, const QByteArray &extraHeaders)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " X\r\n";
    if (!body.isEmpty() || status >= 200)
        out += "Content-Type: " + contentType + "\r\n";
    if (status != 204 && status != 304)
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += extraHeaders;
    out += "\r\n";
    out += body;
    return out;
}

} // namespace bc::test
