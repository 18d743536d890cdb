#pragma once

#include "core/result.h"

#include <QString>
#include <QStringList>

namespace bc::http {

// Where an HTTP/1.1 byte stream goes. Docker-specific resolution (DOCKER_HOST, contexts,
// default ports) lives in core/docker/endpointresolver; this is the resolved form.
struct Endpoint
{
    enum class Transport { Unix, Tcp, Ssh };

    Transport transport = Transport::Unix;

    // Unix: absolute socket path.
    QString socketPath = QStringLiteral("/var/run/docker.sock");

    // Tcp: host, port, optional TLS.
    QString host;
    quint16 port = 0;
    bool tls = false;
    bool tlsVerify = true; // never silently off: only an explicit DOCKER_TLS without VERIFY
    QString caFile;        // PEM; empty = system CAs
    QString certFile;      // PEM client certificate (optional)
    QString keyFile;       // PEM client key, RSA or EC (optional)

    // Ssh: `ssh [-l user] [-p port] -- host docker [--host unix://path] system dial-stdio`.
    QString sshUser;
    QString sshHost;
    quint16 sshPort = 0;
    QString sshRemoteSocket;  // empty = remote default
    QStringList sshExtraArgs; // e.g. -o options; tests use it to point at a fake ssh
    QString sshProgram = QStringLiteral("ssh");

    // Path prefix for tcp://host:port/base style endpoints (no trailing slash).
    QString basePath;

    // The docker context this endpoint was resolved from, for display only (empty: none or
    // "default"). Not part of key(): two names for one engine share one pool.
    QString contextName;

    // Host header: a valid hostname even over a Unix socket (dockerd rejects a path).
    QByteArray hostHeader() const;
    // unix:///var/run/docker.sock, tcp://h:2376, ssh://u@h:22
    QString toUrl() const;
    // A stable key for pooling and display.
    QString key() const { return toUrl(); }
};

} // namespace bc::http
