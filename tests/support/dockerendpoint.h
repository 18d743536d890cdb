#pragma once

#include "core/http/endpoint.h"

#include <QByteArray>

namespace bc::test {

// The engine the docker CLI of the test run uses: DOCKER_HOST when it names a Unix socket,
// else the default socket.
inline http::Endpoint defaultEndpoint()
{
    http::Endpoint ep;
    const QByteArray host = qgetenv("DOCKER_HOST");
    if (host.startsWith("unix://"))
        ep.socketPath = QString::fromUtf8(host.mid(7));
    return ep;
}

} // namespace bc::test
