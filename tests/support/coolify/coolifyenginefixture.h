#pragma once

#include "core/coolify/coolifyconfig.h"
#include "core/result.h"
#include "core/security/boxspec.h"
#include "support/coolify/fakecoolify.h"
#include "support/sshdfixture.h"

#include <QString>
#include <QStringList>

namespace bc::test {

// A Coolify server whose engine is the local one, reached over a real sshd: the fake
// Coolify with its server "srv-main" at 127.0.0.1:<sshd port>, boxes deployed to it through
// CoolifyBackend, and their containers run on the local engine the way Coolify runs them
// (the compose its serviceParser makes, with its labels, under the project name
// StartService gives: the service's uuid). Tests only.
class CoolifyEngineFixture
{
public:
    static constexpr const char *Token = "5|rwd";
    static constexpr const char *Server = "srv-main";

    bool start(QString *error);
    void stop();

    SshdFixture &sshd() { return m_sshd; }
    FakeCoolify &fake() { return m_fake; }

    // The fake's configuration with (or without) consent to reach srv-main's engine with the
    // sshd's client key and the given known_hosts.
    coolify::CoolifyConfig config(const QString &knownHosts, bool consent = true) const;
    // Deploys through CoolifyBackend; the service's uuid.
    Result<QString> deploy(const security::BoxSpec &spec);
    // Runs the deployed compose service `name` of `uuid` on the local engine as Coolify
    // would (labels, container name, hardening), plus the test label; the container id.
    // The image's own health check runs every second.
    Result<QString> runDeployed(const QString &uuid, const QString &name, const QString &image,
                                const QStringList &command);
    // A box of bctest/box owned by alice, under a unique DNS-safe name starting with prefix.
    static security::BoxSpec boxSpec(const QString &prefix);
    // A command for bctest/box that writes "tick-N" every second beside its agent.
    static QStringList tickingAgent();

private:
    SshdFixture m_sshd;
    FakeCoolify m_fake;
};

} // namespace bc::test
