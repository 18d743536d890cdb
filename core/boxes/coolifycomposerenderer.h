#pragma once

#include "core/result.h"
#include "core/security/boxspec.h"
#include "core/security/hardeningprofile.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace bc::boxes {

// Renders the hardening profile as the docker compose document of a Coolify service
// (POST /services with docker_compose_raw). The profile is not restated here: the Docker
// create body HardeningProfile::createBody() builds for the spec is translated key by key,
// and a key this translation does not know, or a value Coolify would not keep, refuses the
// deploy with the reason instead of being dropped. docs/coolify-hardening.md lists what
// Coolify (coollabsio/coolify at 379abb2) does with each compose key, with file and line.
//
// What Coolify does to the document, read in its source:
// - app/Http/Controllers/Api/ServicesController.php create_service(): the compose must be
//   base64 (l.678), is re-dumped through Symfony Yaml (l.696), checked for shell
//   metacharacters in service names and volume paths (l.700, bootstrap/helpers/parsers.php
//   validateDockerComposeForInjection l.27), then parsed by serviceParser (l.727).
// - bootstrap/helpers/parsers.php serviceParser() (l.1546): the deployed service is the
//   written one merged with container_name, restart, labels (l.2720), so read_only, user,
//   tmpfs, pids_limit, cap_drop, security_opt, ulimits, init, mem_limit, memswap_limit,
//   cpus, cpu_shares, ipc, healthcheck, command and privileged stay as written; restart is
//   kept when set (l.2029); logging is kept unless the server's log drain is enabled for the
//   service (l.2030-2035); with network_mode set no network is added (l.2039, l.2290,
//   l.2341, l.2725); a named volume is renamed "<service uuid>_<name>" (l.2254); an
//   absolute bind source stays, with its short-syntax mode (l.2215, l.2239); every service
//   gets env_file .env (l.2747), holding the service's Coolify variables.
// - Without network_mode the service always joins the service's own network, which
//   app/Actions/Service/StartService.php creates as a plain attachable bridge and connects
//   to coolify-proxy: a routed box would reach the internet past its egress policy, so
//   routed boxes are refused.
class CoolifyComposeRenderer
{
public:
    struct Inputs
    {
        // Directory on the Coolify server under which the egress proxy keeps one socket
        // directory per box (EgressLayout); empty refuses a spec with egress.
        QString egressSocketRoot;
        // Group of the egress sockets on the Coolify server, added to the box user; -1: none.
        int egressGroupId = -1;
        // The console's own variables (egress base URLs); win over spec.env.
        QMap<QString, QString> env;
        // Probe when the spec has none; empty = the profile's default.
        QStringList healthTest;
        // The Coolify instance's fleet default policy: the spec's values over it become the
        // service's box-console.policy.* labels, as on Docker.
        security::BoxSpec::Policy policyDefault;
    };

    // The compose document as JSON: {"services": {"<box>": {...}}}. Errors are Invalid and
    // name what Coolify cannot enforce and why; nothing is sent before this passes.
    static Result<nlohmann::json> render(const security::BoxSpec &spec,
                                         const security::HardeningProfile &profile,
                                         const Inputs &inputs);
    // Block YAML with every key and string double-quoted (JSON escapes are YAML escapes),
    // so no value can turn into another YAML type or a second key.
    static QByteArray toYaml(const nlohmann::json &document);

    // Where Coolify keeps a box secret (a service variable with is_shown_once) and who can
    // still read it; shown with every Coolify deploy that has secrets.
    static QString secretVisibility();
};

} // namespace bc::boxes
