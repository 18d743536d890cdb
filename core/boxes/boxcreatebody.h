#pragma once

#include "core/boxes/deployoptions.h"
#include "core/result.h"
#include "core/security/boxspec.h"

#include <QMap>
#include <QString>

#include <nlohmann/json.hpp>

namespace bc::boxes {

// What the deploy pipeline knows beyond the spec when it creates the container.
struct CreateInputs
{
    QString image;                 // spec.image or the image built from skills
    QString networkName;           // routed / dev network; empty = network none
    QMap<QString, QString> labels; // box-console labels (+ test labels)
    int devPortOffset = -1;        // docker-dev: publish 2222/8080/9999 (+offset)
    // Added to spec.env (and winning over it): the values of spec.secrets and the egress
    // base URLs. Never logged, never labelled.
    QMap<QString, QString> env;
    // Host directory mounted read-only at HardeningProfile::ProxySocketTarget; set only for
    // boxes with spec.egress (a box without egress has no host path at all).
    QString proxySocketDir;
};

// The `POST /containers/create` body of a box: the hardening profile of core/security
// plus what the backend adds (labels, Traefik labels for routed boxes, network, dev ports).
Result<nlohmann::json> boxCreateBody(const security::BoxSpec &spec, const DeployOptions &options,
                                     const CreateInputs &inputs);

// The ports a docker-dev box publishes on 127.0.0.1 (ssh, code-server, box-agent): the
// container port and the host port of the first dev box; the next box adds an offset.
struct DevPort
{
    int container = 0;
    int hostBase = 0;
};
QList<DevPort> devPorts();
QList<int> devContainerPorts();
// Where a dev box's code-server is reached on 127.0.0.1 (its URL).
int devCodeServerHostPort(int offset);

} // namespace bc::boxes
