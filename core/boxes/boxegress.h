#pragma once

#include "core/boxes/deployoptions.h"
#include "core/infra/egressgrants.h"
#include "core/infra/egresspolicy.h"
#include "core/result.h"

#include <QMap>
#include <QString>

#include <optional>

namespace bc::boxes {

// What `spec.egress` means on a Docker engine.
//
// The console has one egress policy file (ConsoleSettings::egressPolicyFile), the same file
// the host proxy's config is generated from. `spec.egress` picks upstreams of that policy:
//   "all"            every upstream of the policy;
//   an upstream name only that upstream (e.g. "anthropic").
//
// The pick is the security boundary: the deploy writes a grant for the box (the box and
// its upstreams, EgressGrants), the proxy's reload hook turns the grants into one socket
// per (box, upstream) in <socket root>/<box>, and only that directory is mounted
// (read-only) into the box at HardeningProfile::ProxySocketTarget. A box cannot see or
// connect to another upstream or another box's sockets, and the proxy logs each request
// under the box whose socket it came in on.
//
// A box with egress gets: the base-URL variables of its upstreams (never a credential),
// BOX_EGRESS_DIR (the in-box mount point) and BOX_EGRESS_FORWARDERS
// ("<localPort>:<upstream> …", read by infrastructure/box-base/entrypoint.sh, which starts
// one socat per pair), its socket directory mounted, and the sockets' group as a
// supplementary group.
struct BoxEgress
{
    static constexpr const char *AllUpstreams = "all";

    infra::EgressPolicy policy; // the picked upstreams only
    QMap<QString, QString> env; // goes into the box's environment
    QString socketDir;          // <root>/<box> on the host, mounted into the box
    QStringList sockets;        // the box's sockets in socketDir

    // Reads the policy file: touches the disk, so callers on the GUI thread run it through
    // QtConcurrent. Every error is Invalid and starts with "egress: ".
    static Result<BoxEgress> resolve(const QString &egress, const QString &policyFile,
                                     const QString &proxySocketRoot, const QString &box);

    // What grant() replaced, for revert().
    struct GrantChange
    {
        QString box;
        std::optional<infra::EgressGrant> previous;
    };
    // Writes the box's grant, runs the reload command and waits until the proxy serves
    // every socket of the box. On failure the previous grant (or none) is back, the proxy
    // reloaded again, and the error says why. Blocking: run it on a worker thread.
    static Result<GrantChange> grant(const BoxEgress &egress, const QString &box,
                                     const DeployOptions &options);
    // A failed deploy gives back what was there before (best effort, reloads).
    static VoidResult revert(const GrantChange &change, const DeployOptions &options);
    // A deleted box loses its grant; fine when it had none. Blocking.
    static VoidResult revoke(const QString &box, const DeployOptions &options);
};

} // namespace bc::boxes
