#pragma once

#include "core/infra/egresspolicy.h"

namespace bc::infra {

// HAProxy (Debian 12: 2.6) config for an egress policy: one Unix-socket frontend per
// upstream in a directory that is bind-mounted (read-only) into boxes, method/path
// allowlist with 403 for the rest, the box's own credentials removed and the real one
// injected from the proxy's environment, verified TLS to the upstream.
class HaproxyConfigGenerator
{
public:
    struct Options
    {
        QString socketDir = QStringLiteral("/run/box-egress");
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
    };

    HaproxyConfigGenerator() = default;
    explicit HaproxyConfigGenerator(Options options)
        : m_options(std::move(options))
    {}

    Result<QString> generate(const EgressPolicy &policy) const;
    // Path of the socket for an upstream inside the socket directory.
    QString socketPath(const EgressUpstream &upstream) const;

private:
    Options m_options;
};

} // namespace bc::infra
