#include "core/http/httpstream.h"

#include "core/http/httpconnection.h"

namespace bc::http {

HttpStream::HttpStream(QObject *parent)
    : QObject(parent)
{}

HttpStream::~HttpStream()
{
    if (m_connection)
        m_connection->close();
}

void HttpStream::cancel()
{
    if (m_finished)
        return;
    if (m_connection)
        m_connection->cancel(); // calls finish(Cancelled) through the connection
    if (!m_finished)
        finish(Error(Error::Kind::Cancelled, QStringLiteral("cancelled")));
}

QIODevice *HttpStream::takeDevice(QByteArray *leftover)
{
    if (!m_connection)
        return nullptr;
    QIODevice *device = m_connection->takeDevice(leftover);
    m_connection.clear();
    if (device && !m_finished) {
        m_finished = true;
        emit finished(VoidResult());
        deleteLater();
    }
    return device;
}

void HttpStream::deliverHead(const HttpResponse &head)
{
    m_head = head;
    emit headersReceived(m_head);
}

void HttpStream::deliverData(const QByteArray &chunk)
{
    if (!m_finished)
        emit dataReceived(chunk);
}

void HttpStream::finish(const VoidResult &result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_connection.clear();
    emit finished(result);
    deleteLater();
}

} // namespace bc::http
