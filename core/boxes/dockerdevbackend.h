#pragma once

#include "core/boxes/dockerbackend.h"

namespace bc::boxes {

// DEPLOY_MODE=docker-dev: the real local engine with developer defaults, never a stub (a
// developer must see what production does). Boxes get the same hardening as production, plus:
// - ssh 22, code-server 8080 and box-agent 9999 published on 127.0.0.1 only (2222, 8080,
//   9999; the next free offset when another dev box holds them), never on the LAN;
// - development secrets in the environment (clearly fake values, see devEnvironment());
// - one shared bridge network (box-console-dev) instead of `network none` or a per-box
//   internal network: a published port needs a network with a route to the host, which
//   both production modes deliberately lack.
// Dev boxes carry box-console.dev=1, so the docker backend of the same engine skips them.
class DockerDevBackend : public DockerBackend
{
    Q_OBJECT
public:
    explicit DockerDevBackend(const http::Endpoint &endpoint = {}, DeployOptions options = {},
                              QObject *parent = nullptr);
    DockerDevBackend(docker::DockerClient *client, DeployOptions options = {},
                     QObject *parent = nullptr);

    QString kind() const override { return QStringLiteral("docker-dev"); }

    static DeployOptions devOptions(DeployOptions options);
    static QMap<QString, QString> devEnvironment();

protected:
    bool accepts(const QMap<QString, QString> &labels) const override;
    docker::Filters listFilters() const override;
};

} // namespace bc::boxes
