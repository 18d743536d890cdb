#pragma once

#include "core/result.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>
#include <optional>

namespace bc::security {

// The box spec: one JSON format for boxctl, the GUI and tests (docs/spec.md). Parsing rejects
// unknown keys, wrong types and invalid values with a message that names the field.
struct BoxSpec
{
    enum class Isolation { Isolated, Routed };

    struct Healthcheck
    {
        QStringList test; // ["CMD", …] or ["CMD-SHELL", "…"]
        qint64 intervalMs = 10000;
        qint64 timeoutMs = 3000;
        int retries = 3;
        qint64 startPeriodMs = 5000;
    };

    // Lifecycle policy (the policy service enforces it): each value whole seconds, set
    // here or left to the fleet default of the backend the box is deployed to; 0 = off.
    struct Policy
    {
        std::optional<qint64> idleStopSecs;           // stop after this long without activity
        std::optional<qint64> maxLifetimeSecs;        // stop this long after creation
        std::optional<qint64> deleteAfterStoppedSecs; // delete this long after it stopped

        static constexpr qint64 MaxSecs = 3650LL * 24 * 3600; // ten years

        bool isEmpty() const
        {
            return !idleStopSecs && !maxLifetimeSecs && !deleteAfterStoppedSecs;
        }
        bool operator==(const Policy &other) const = default;

        // Every set value within 0..MaxSecs; errors are Invalid and name
        // "<prefix>.idleStop" and so on.
        VoidResult validate(const QString &prefix) const;
        // "30m", "8h", "7d", "45s" or integer seconds ("90"); "0" is off. Anything else
        // (a sign, a space, a fraction, another unit, an overflow) is Invalid naming `field`.
        static Result<qint64> parseDuration(const QString &text, const QString &field);
        // The shortest exact form parseDuration() reads back: "7d", "8h", "30m", "45s", "0".
        static QString formatDuration(qint64 secs);
        // Each value from `box` where it sets one, else from `fleetDefault`.
        static Policy effective(const Policy &box, const Policy &fleetDefault);
    };

    QString name;
    QString subdomain;
    QString owner;
    QString image;      // either image …
    QStringList skills; // … or skill directories to build an image from
    double cpus = 1.5;
    qint64 memoryBytes = 2LL * 1024 * 1024 * 1024;
    qint64 pids = 100;
    Isolation isolation = Isolation::Isolated;
    QMap<QString, QString> env;
    QStringList secrets; // names looked up in the secret store, never inlined
    QString egress;      // egress policy name
    bool keepDataOnDelete = false;
    std::optional<Healthcheck> healthcheck; // default probes the box-agent on 9999
    QStringList command;                    // optional Cmd override (tests, dev boxes)
    Policy policy; // "policy": {"idleStop": "30m", ...}; empty = fleet default

    static constexpr int MaxEnvEntries = 256;
    static constexpr int MaxSecrets = 64;

    // Every rule a box spec must satisfy, whoever built it (spec file, GUI form, boxctl,
    // tests): names, ranges, env keys (no provider credential, nothing reserved: see
    // Validators::validateSpecEnvKey), secret names (Validators::validateBoxSecretName),
    // healthcheck and command. fromJson() calls it, and so does every backend before it
    // creates anything. Errors are Error::Kind::Invalid, "<field>: <rule>", e.g.
    // "env.BOX_AGENT_BIND: reserved: ...", and never echo an env value.
    VoidResult validate() const;

    // Parses and validates; nothing else. Errors are Error::Kind::Invalid naming the field,
    // e.g. "subdomain: must be one lower-case DNS label (a-z, 0-9, '-')".
    static Result<BoxSpec> fromJson(const nlohmann::json &json);
    static Result<BoxSpec> fromJsonText(const QByteArray &text);
    nlohmann::json toJson() const;
    // Stable hash of the normalised spec, stored as a label to detect drift.
    QString hash() const;

    // The policy labels (box-console.policy.*) a deploy puts on the box: this spec's values
    // over the backend's fleet default, with the source ("box" when the spec sets any value,
    // else "fleet-default"). Empty when neither sets anything.
    QMap<QString, QString> policyLabels(const Policy &fleetDefault) const;
};

} // namespace bc::security
