#pragma once

#include <QString>

namespace bc::coolify {

// An application's `status` string ("<state>:<health>[:excluded]"), parsed. Coolify changed
// the vocabulary over time (raw Docker states before beta.445, the aggregator after it,
// ":excluded" for compose apps), so anything unrecognised parses to Unknown, never fails.
struct CoolifyStatus
{
    enum class State {
        Unknown,
        Running,
        Starting,
        Restarting,
        Degraded,
        Paused,
        Exited,
        Created,
        Dead,
        Removing
    };
    enum class Health { Unknown, Healthy, Unhealthy, Starting };

    State state = State::Unknown;
    Health health = Health::Unknown;
    bool excluded = false; // every container excluded from health checks
    QString raw;

    static CoolifyStatus parse(const QString &text);
    // Coolify counts the box as up (or coming up, or up but degraded): the one rule the
    // backend's health, its engine cross-check and the policy service's claims share.
    bool isLive() const;
    static QString stateName(State state);
    static QString healthName(Health health);
    bool operator==(const CoolifyStatus &other) const = default;
};

} // namespace bc::coolify
