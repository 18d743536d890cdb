#include "core/http/endpoint.h"

namespace bc::http {

QByteArray Endpoint::hostHeader() const
{
    switch (transport) {
    case Transport::Unix:
        // dockerd rejects a socket path ("malformed Host header"); Go uses this name.
        return "api.moby.localhost";
    case Transport::Ssh:
        return "docker.example.com";
    case Transport::Tcp: {
        const bool defaultPort = (tls && port == 443) || (!tls && port == 80);
        QByteArray h = host.contains(QLatin1Char(':')) ? '[' + host.toUtf8() + ']' : host.toUtf8();
        if (!defaultPort && port != 0)
            h += ':' + QByteArray::number(port);
        return h;
    }
    }
    return "localhost";
}

QString Endpoint::toUrl() const
{
    switch (transport) {
    case Transport::Unix:
        return QStringLiteral("unix://") + socketPath;
    case Transport::Tcp: {
        const QString h =
            host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
        // One arg() pass: chained arg() calls would read a "%0" in a zone id as a marker.
        return QStringLiteral("tcp://%1:%2%3").arg(h, QString::number(port), basePath);
    }
    case Transport::Ssh: {
        QString url = QStringLiteral("ssh://");
        if (!sshUser.isEmpty())
            url += sshUser + QLatin1Char('@');
        // An IPv6 literal needs its brackets back, or the port would read as part of it.
        url += sshHost.contains(QLatin1Char(':')) ? QLatin1Char('[') + sshHost + QLatin1Char(']')
                                                  : sshHost;
        if (sshPort != 0)
            url += QLatin1Char(':') + QString::number(sshPort);
        url += sshRemoteSocket;
        return url;
    }
    }
    return {};
}

} // namespace bc::http
