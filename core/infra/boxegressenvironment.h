#pragma once

#include "core/infra/egresspolicy.h"
#include "core/security/hardeningprofile.h"

#include <QMap>

namespace bc::infra {

// The box side of an egress policy. No common HTTP client speaks HTTP over a Unix socket
// given as a proxy URL, so inside the box one loopback forwarder per upstream listens on
// 127.0.0.1:<localPort> and relays to <socketDir>/<name>.sock, and the agent gets plain
// http:// base URLs. The box never holds a provider key: the proxy injects it.
class BoxEgressEnvironment
{
public:
    struct Options
    {
        // Where the host's socket directory is mounted inside the box (the hardening
        // profile's mount target, so the two never disagree).
        QString socketDir = QString::fromLatin1(bc::security::HardeningProfile::ProxySocketTarget);
    };

    BoxEgressEnvironment() = default;
    explicit BoxEgressEnvironment(Options options)
        : m_options(std::move(options))
    {}

    // ANTHROPIC_BASE_URL=http://127.0.0.1:8081 and the like; never a credential.
    Result<QMap<QString, QString>> environment(const EgressPolicy &policy) const;
    // argv of one socat per upstream, for exec-style starting (no shell).
    Result<QList<QStringList>> forwarderCommands(const EgressPolicy &policy) const;
    // POSIX sh lines that start the forwarders in the background (for an entrypoint).
    Result<QString> entrypointSnippet(const EgressPolicy &policy) const;

private:
    Options m_options;
};

} // namespace bc::infra
