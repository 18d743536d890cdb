#pragma once

#include "core/coolify/coolifyengineaccess.h"
#include "core/result.h"

#include <QString>
#include <QUrl>

namespace bc::coolify {

// Where and how to reach Coolify. load() reads, first match wins: the explicit URL
// (--coolify-url), the environment (COOLIFY_URL, COOLIFY_TOKEN or COOLIFY_API_TOKEN,
// COOLIFY_SERVER_UUID, COOLIFY_PROJECT_UUID, COOLIFY_ENV_NAME, COOLIFY_ENV_UUID,
// AGENTS_DOMAIN, COOLIFY_EGRESS_SOCKET_ROOT, BOX_EGRESS_POLICY), then the settings (group "coolify"
// of the box-console settings file). A token from neither place stays empty: the client reads it
// from the SecretStore (key tokenSecretKey) asynchronously on first use, so load() never blocks.
struct CoolifyConfig
{
    QUrl baseUrl;  // https://coolify.example.com (without /api/v1)
    QString token; // "<id>|<secret>"; never printed
    QString serverUuid;
    QString projectUuid;
    QString environmentName = QStringLiteral("production");
    QString environmentUuid;
    QString destinationUuid;
    QString domain; // boxes get https://<subdomain>.<domain>
    // On the Coolify server: the egress proxy's socket root; a box with egress gets
    // <root>/<box> mounted read-only (COOLIFY_EGRESS_SOCKET_ROOT, coolify/egress_socket_root).
    // Empty: boxes with egress are refused on Coolify.
    QString egressSocketRoot;
    // Group of the proxy's sockets on the Coolify server (COOLIFY_EGRESS_GROUP_ID,
    // coolify/egress_group_id); the box user joins it. -1: none (sockets open to all).
    int egressGroupId = -1;
    // The egress policy file the Coolify server's proxy runs (BOX_EGRESS_POLICY,
    // egress/policyFile): which base URLs and forwarders a box with egress gets.
    QString egressPolicyFile;
    // Coolify servers whose Docker engine the console may reach over ssh (the admin's
    // consent, per server; settings group coolify/engines). Without one, boxes on that
    // server are seen through Coolify's API only.
    QList<CoolifyEngineAccess> engines;
    int timeoutMs = 30000;
    int pollIntervalMs = 3000; // deployments, deletion and the backend's status poll
    // Prefix of every API path. Coolify serves /api/v1; Prism's mock and proxy mount at "".
    QString apiPath = QStringLiteral("/api/v1");

    static constexpr const char *tokenSecretKey = "coolify-token";
    static constexpr const char *boxTag = "box-console";

    static Result<CoolifyConfig> load(const QString &urlOverride = {});
    // HTTPS unless the host is loopback: a bearer token must never cross a network in clear.
    static Result<QUrl> validateUrl(const QString &text);

    // For logs and errors: the token is reported only as present or absent.
    QString toString() const;
};

} // namespace bc::coolify
