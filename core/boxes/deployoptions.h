#pragma once

#include "core/boxes/consolesettings.h"

#include <QMap>
#include <QString>

namespace bc::boxes {

// How a Docker backend deploys: the infrastructure around boxes and the time limits.
struct DeployOptions
{
    QString traefikContainer; // joined to every routed box's network when set
    QString traefikDomain;    // boxes are https://<subdomain>.<domain>
    // Egress (see BoxEgress). The proxy's socket root: a box with egress gets its own
    // <root>/<box> mounted read-only.
    QString proxySocketDir;
    // The egress policy that spec.egress picks upstreams from; empty = boxes with "egress"
    // are refused.
    QString egressPolicyFile;
    QString egressGrantsDir;     // where a deploy writes the box's grant; empty = refused
    QString egressReloadCommand; // run after a grant changes; empty = the proxy watches
    int egressGroupId = -1;      // group of the proxy's sockets, added to the box; -1 = none
    int egressSocketWaitMs = 30000;
    // The proxy, its sockets and the grants directory are on this host; a remote engine
    // would mount a directory of its own host. Set when that host shares them.
    bool egressRemoteEngine = false;
    int healthTimeoutMs = 120000;
    // Replace an existing box of the same name. Without it a deploy of an existing name is
    // refused: the old container is kept (renamed, stopped) until the new one is healthy,
    // and restored on any failure.
    bool redeploy = false;
    // A deploy that fails after creating its container keeps that container stopped,
    // renamed <box>.failed-<deploy id>, instead of removing it (a previous box is still
    // restored).
    bool keepFailed = false;
    int failedLogLines = 40; // last log lines of a failed container put into the error
    int stopTimeoutSec = 10;
    // How long a rollback waits for an engine that went away mid-deploy before it gives
    // up and leaves the leftovers to the journal (next deploy/delete, or gc by label).
    int engineWaitMs = 60000;
    QString journalDir;
    // Relative skill directories of a spec are resolved against this (boxctl: the spec
    // file's directory); empty = the working directory.
    QString skillsDir;
    // FROM of images built from skills. Must exist on the engine: box-console never pulls.
    QString skillBaseImage =
        QStringLiteral("box-console/box-base:latest"); // empty = DeployJournal::defaultDirectory()
    // Put on every container, volume and network this backend creates (tests use
    // box-console.test=1 so that cleanup by label finds everything).
    QMap<QString, QString> extraLabels;
    // The backend's fleet default policy (labelled on each box under the spec's own values)
    // and the owners' quotas, checked before anything is created.
    FleetRules fleet;

    // docker-dev: a shared bridge network instead of isolation, ports on 127.0.0.1.
    bool dev = false;
    QString devNetwork = QStringLiteral("box-console-dev");
    QMap<QString, QString> devEnv; // development secrets and settings, added when unset
};

} // namespace bc::boxes
