#include "core/boxes/boxinfo.h"

namespace bc::boxes {

QString BoxInfo::stateName(State state)
{
    switch (state) {
    case State::Unknown:
        return QStringLiteral("unknown");
    case State::Created:
        return QStringLiteral("created");
    case State::Deploying:
        return QStringLiteral("deploying");
    case State::Starting:
        return QStringLiteral("starting");
    case State::Running:
        return QStringLiteral("running");
    case State::Restarting:
        return QStringLiteral("restarting");
    case State::Paused:
        return QStringLiteral("paused");
    case State::Stopping:
        return QStringLiteral("stopping");
    case State::Exited:
        return QStringLiteral("exited");
    case State::Dead:
        return QStringLiteral("dead");
    case State::Removing:
        return QStringLiteral("removing");
    case State::Failed:
        return QStringLiteral("failed");
    }
    return QStringLiteral("unknown");
}

QString BoxInfo::healthName(Health health)
{
    switch (health) {
    case Health::None:
        return QStringLiteral("none");
    case Health::Starting:
        return QStringLiteral("starting");
    case Health::Healthy:
        return QStringLiteral("healthy");
    case Health::Unhealthy:
        return QStringLiteral("unhealthy");
    case Health::Unknown:
        return QStringLiteral("unknown");
    }
    return QStringLiteral("unknown");
}

void BoxInfo::keepDetailsFrom(const BoxInfo &older)
{
    if (state != older.state)
        return;
    if (!startedAt.isValid())
        startedAt = older.startedAt;
    if (detailed || !older.detailed)
        return;
    detailed = true;
    if (exitCode < 0)
        exitCode = older.exitCode;
    oomKilled = older.oomKilled;
    hasHealthCheck = older.hasHealthCheck;
    lastHealth = older.lastHealth;
    if (!finishedAt.isValid())
        finishedAt = older.finishedAt;
    cpuLimit = older.cpuLimit;
    memoryUnlimited = older.memoryUnlimited;
    if (memoryUnlimited)
        resources.memoryLimit = -1;
}

} // namespace bc::boxes
