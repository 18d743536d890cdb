#include "support/webhookreceiver.h"

#include <QJsonDocument>
#include <QTcpSocket>

#include <memory>

namespace bc::test {

WebhookReceiver::WebhookReceiver(QList<int> statuses)
    : m_statuses(std::move(statuses))
{
    m_server.listen(QHostAddress::LocalHost, 0);
    connect(&m_server, &QTcpServer::newConnection, this, [this]() {
        while (QTcpSocket *s = m_server.nextPendingConnection()) {
            auto buffer = std::make_shared<QByteArray>();
            connect(s, &QTcpSocket::readyRead, s, [this, s, buffer]() {
                *buffer += s->readAll();
                const int end = buffer->indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                int length = 0;
                for (const QByteArray &line : buffer->left(end).split('\n'))
                    if (line.toLower().startsWith("content-length:"))
                        length = line.mid(15).trimmed().toInt();
                if (buffer->size() < end + 4 + length)
                    return;
                bodies << QJsonDocument::fromJson(buffer->mid(end + 4, length)).object();
                buffer->clear();
                const int status = m_statuses.at(qMin(m_statuses.size() - 1, m_next++));
                if (status == 0)
                    return;
                s->write(QByteArray("HTTP/1.1 ") + QByteArray::number(status) +
                         " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                s->disconnectFromHost();
            });
            connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        }
    });
}

QString WebhookReceiver::url() const
{
    return QStringLiteral("http://127.0.0.1:%1/hook").arg(m_server.serverPort());
}

int WebhookReceiver::count(const QString &kind, const QString &box) const
{
    int n = 0;
    for (const auto &b : bodies)
        if (b.value(u"kind").toString() == kind && b.value(u"box").toString() == box)
            ++n;
    return n;
}

QStringList WebhookReceiver::duplicateIds() const
{
    QStringList seen, dup;
    for (const auto &b : bodies) {
        const QString id = b.value(u"id").toString();
        if (seen.contains(id))
            dup << id;
        seen << id;
    }
    return dup;
}

} // namespace bc::test
