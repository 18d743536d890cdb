#pragma once

#include "core/infra/egresspolicy.h"
#include "core/result.h"

#include <QMap>
#include <QString>

namespace bc::boxes {

// What `spec.egress` means on a Docker engine.
//
// The console has one egress policy file (ConsoleSettings::egressPolicyFile: the setting,
// else BOX_EGRESS_POLICY, else none), the same file the host proxy's config is generated
// from. `spec.egress` picks upstreams of that policy:
//   "all"            every upstream of the policy;
//   an upstream name only that upstream (e.g. "anthropic").
// The pick decides which loopback forwarders and base URLs the box gets; it is not the
// security boundary (the box sees the whole socket directory; the proxy's own routes and
// credentials are what limit it).
//
// A box with egress gets: the base-URL variables of its upstreams (never a credential),
// BOX_EGRESS_DIR (the in-box mount point) and BOX_EGRESS_FORWARDERS
// ("<localPort>:<upstream> …", read by infrastructure/box-base/entrypoint.sh, which starts
// one socat per pair), and the host's proxy socket DIRECTORY mounted read-only at
// HardeningProfile::ProxySocketTarget.
struct BoxEgress
{
    static constexpr const char *AllUpstreams = "all";

    infra::EgressPolicy policy; // the picked upstreams only
    QMap<QString, QString> env; // goes into the box's environment
    QString socketDir;          // host directory to mount (clean absolute path)

    // Reads the policy file and checks the socket directory: touches the disk, so callers
    // on the GUI thread run it through QtConcurrent. Every error is Invalid and starts
    // with "egress: ".
    static Result<BoxEgress> resolve(const QString &egress, const QString &policyFile,
                                     const QString &proxySocketDir);
};

} // namespace bc::boxes
