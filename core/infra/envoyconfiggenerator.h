#pragma once

#include "core/infra/egressgrants.h"
#include "core/infra/egresspolicy.h"

namespace bc::infra {

// Envoy >= 1.30 config for the same egress policy and grants as the HAProxy output: a pipe
// listener (mode 0660) per (box, upstream) at EgressLayout::boxSocketPath(), an access log
// line per request naming the box in EgressLog's format, routes only for the allowed method/path
// pairs, direct 403 for the rest, the generic credential injector reading an SDS generic secret
// from an environment variable (Envoy never expands ${VAR} in its config), verified upstream TLS
// with SNI and SAN match. Envoy is not packaged in Debian 12; this is a second output, HAProxy is
// the tested default.
class EnvoyConfigGenerator
{
public:
    struct Options
    {
        QString socketDir = QStringLiteral("/run/box-egress"); // socket root
        // Pipe listeners take a mode but no group: run Envoy with the egress group as its
        // primary group (systemd Group=) so the sockets get it.
        // Access log file; empty = stdout.
        QString accessLogPath;
        QString caFile = QStringLiteral("/etc/ssl/certs/ca-certificates.crt");
        int streamIdleTimeoutSeconds = 3600;
        // header_value_prefix is newer than 1.30 (release unverified). Without it a
        // credential with a prefix ("Bearer ") is read from <ENV>_HEADER_VALUE, which must
        // hold the whole header value.
        bool useHeaderValuePrefix = false;
    };

    EnvoyConfigGenerator() = default;
    explicit EnvoyConfigGenerator(Options options)
        : m_options(std::move(options))
    {}

    // The config as a JSON tree (what tests inspect) and as YAML (what Envoy reads).
    // Grants must name upstreams of the policy (EgressGrants::restrictTo()).
    Result<nlohmann::json> generateJson(const EgressPolicy &policy,
                                        const QList<EgressGrant> &grants) const;
    Result<QString> generate(const EgressPolicy &policy, const QList<EgressGrant> &grants) const;
    // Environment variable the Envoy secret of an upstream is read from.
    QString secretEnv(const EgressUpstream &upstream) const;

    // Block-style YAML for a JSON tree; strings are double-quoted with JSON escapes, which
    // YAML reads identically.
    static QString toYaml(const nlohmann::json &json);

private:
    Options m_options;
};

} // namespace bc::infra
