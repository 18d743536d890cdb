#pragma once

#include "core/infra/egressgrants.h"
#include "core/infra/egresspolicy.h"

namespace bc::infra {

// HAProxy (Debian 12: 2.6) config for an egress policy and the boxes granted parts of it:
// one Unix-socket frontend per (box, upstream) at EgressLayout::boxSocketPath(), so a box
// whose directory holds only its own sockets can reach only its own upstreams and every
// request is logged under the box it came from; method/path allowlist with 403 for the
// rest, the box's own credentials removed and the real one injected from the proxy's
// environment, verified TLS to the upstream. A root-only health socket in the socket root
// keeps the proxy running while no box is granted anything.
class HaproxyConfigGenerator
{
public:
    struct Options
    {
        QString socketDir = QStringLiteral("/run/box-egress"); // socket root
        // "@system-ca" is HAProxy's name for the system trust store; tests pass a test CA.
        QString caFile = QStringLiteral("@system-ca");
        // Idle limit while a response streams; long enough for slow model output.
        int streamTimeoutSeconds = 3600;
        QString log = QStringLiteral("stdout format raw local0");
        // Fail at start when a credential variable is missing instead of sending an empty
        // key upstream.
        bool requireEnv = true;
        // Re-resolve upstream names at run time (resolv.conf) and start even when DNS is
        // down at boot; HAProxy's resolver ignores /etc/hosts, so tests with "localhost"
        // turn it off.
        bool dnsResolvers = true;
        // Group of the box sockets (mode 0660); boxes get it as a supplementary group.
        // -1 = the proxy process's group.
        int socketGroup = -1;
    };

    HaproxyConfigGenerator() = default;
    explicit HaproxyConfigGenerator(Options options)
        : m_options(std::move(options))
    {}

    // Grants must name upstreams of the policy (EgressGrants::restrictTo()).
    Result<QString> generate(const EgressPolicy &policy, const QList<EgressGrant> &grants) const;
    QString socketPath(const QString &box, const EgressUpstream &upstream) const;
    QString healthSocketPath() const;
    // "egress.<box>.<upstream>": what the egress log names a request by.
    static QString frontendName(const QString &box, const QString &upstream);
    // Every request: "box-egress <unix time> frontend=... method=... status=...
    // verdict=allowed|- path=..." (EgressLog parses it; the path comes last because it is
    // the box's text).
    static QString logFormat();

private:
    Options m_options;
};

} // namespace bc::infra
