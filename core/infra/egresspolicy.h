#pragma once

#include "core/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace bc::infra {

// One allowed request shape: any of the methods with any of the exact paths or path
// prefixes.
struct EgressRoute
{
    QStringList methods;      // upper-case HTTP tokens, e.g. POST
    QStringList paths;        // exact match (no query string)
    QStringList pathPrefixes; // prefix match; each starts with '/'
};

// The header the proxy sets from a secret that lives only in the proxy's environment.
struct EgressCredential
{
    QString header; // HTTP token, e.g. x-api-key or Authorization
    QString prefix; // e.g. "Bearer " (printable ASCII, no quotes or backslash)
    QString env;    // environment variable on the proxy host, e.g. ANTHROPIC_API_KEY
};

struct EgressUpstream
{
    QString name; // [a-z][a-z0-9-]*: socket file, backend and cluster names
    QString host; // DNS name of the upstream (TLS SNI and certificate name)
    int port = 443;
    QList<EgressRoute> routes;
    EgressCredential credential;
    int localPort = 0;  // loopback port inside the box (the forwarder listens here)
    QString baseUrlEnv; // e.g. ANTHROPIC_BASE_URL, set to http://127.0.0.1:<localPort>
};

// JSON form (infrastructure/proxy/egress-policy.json):
//   {"upstreams": [{"name": "anthropic", "host": "api.anthropic.com", "port": 443,
//     "routes": [{"methods": ["POST"], "paths": ["/v1/messages"], "pathPrefixes": []}],
//     "credential": {"header": "x-api-key", "prefix": "", "env": "ANTHROPIC_API_KEY"},
//     "localPort": 8081, "baseUrlEnv": "ANTHROPIC_BASE_URL"}]}
//
// The single source of truth for what a box may reach: every generated proxy config and
// the box-side environment come from it. Parsing is strict because its strings end up
// verbatim in HAProxy and Envoy configs: anything that could change their syntax is
// rejected with an Invalid error naming the field, never escaped.
class EgressPolicy
{
public:
    static Result<EgressPolicy> fromJson(const nlohmann::json &json);
    static Result<EgressPolicy> fromJsonText(const QByteArray &text);
    static Result<EgressPolicy> fromFile(const QString &path);
    // Anthropic Messages API (x-api-key) and Resend e-mails (Authorization: Bearer).
    static EgressPolicy defaultPolicy();

    nlohmann::json toJson() const;
    const QList<EgressUpstream> &upstreams() const { return m_upstreams; }

    // Shared by the generators (they refuse a hand-built policy that would not parse).
    static VoidResult validate(const QList<EgressUpstream> &upstreams);
    static bool isDnsName(const QString &host);
    static bool isHttpToken(const QString &token);
    static bool isEnvName(const QString &name);
    static bool isSafePath(const QString &path);

private:
    QList<EgressUpstream> m_upstreams;
};

} // namespace bc::infra
