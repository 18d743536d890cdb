#pragma once

#include "core/security/hardeningprofile.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace bc::security {

// One drift from the hardening profile found in a container's inspect data.
struct Finding
{
    enum class Severity { Low, Medium, High, Critical };

    QString id;     // "CIS-5.4" for CIS Docker Benchmark v1.6.0 items, "BOX-…" for profile-only
    QString title;  // one line, stable per id
    QString detail; // what exactly was found (paths, capabilities, values)
    Severity severity = Severity::Low;

    static QString severityName(Severity severity); // "low", "medium", "high", "critical"
    nlohmann::json toJson() const;
};

struct AuditOptions
{
    // The one host path a box may see: its own egress socket directory below the proxy's
    // socket root (EgressLayout::boxSocketDir of the box label), read-only, at this target.
    // When proxySocketDir (the root) is set the source must be exactly that directory.
    QString proxySocketTarget = QLatin1String(HardeningProfile::ProxySocketTarget);
    QString proxySocketDir;
    // Where a box's secret files are mounted; read-only, or it is a finding.
    QString secretsTarget = QLatin1String(HardeningProfile::SecretsTarget);
    // Hosts without AppArmor report an empty AppArmorProfile for every container; only an
    // explicit "unconfined" is a finding there.
    bool appArmorAvailable = true;
    int maxRestartRetries = HardeningProfile::MaxRestartRetries; // CIS 5.15
    // Names of the stored box secrets: one of them in a box's Env means its value is there.
    QStringList knownSecretNames;

    // appArmorAvailable from the engine's /info SecurityOptions ("name=apparmor", …).
    static bool appArmorIn(const QStringList &engineSecurityOptions);
};

// Reads `docker inspect <container>` JSON (one object, or the one-element array the CLI
// prints) and lists every drift from the profile, most severe first. Pure: no engine calls,
// so items that need an exec (5.7 sshd processes) or the audit log (5.23, 5.24) are judged
// from the command line only or not at all.
class PostureAudit
{
public:
    static QList<Finding> audit(const nlohmann::json &containerInspect, const AuditOptions &o = {});
    static bool hasHighSeverity(const QList<Finding> &findings);
    static nlohmann::json toJson(const QList<Finding> &findings);
};

} // namespace bc::security
