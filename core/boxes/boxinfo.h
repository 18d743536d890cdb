#pragma once

#include "core/boxes/boxresources.h"

#include <QDateTime>
#include <QMap>
#include <QMetaType>
#include <QString>

namespace bc::boxes {

// One box as the list, the detail pane and `boxctl ls` show it, whatever the backend.
struct BoxInfo
{
    enum class State {
        Unknown,
        Created,
        Deploying,
        Starting,
        Running,
        Restarting,
        Paused,
        Stopping,
        Exited,
        Dead,
        Removing,
        Failed
    };
    enum class Health { None, Starting, Healthy, Unhealthy, Unknown };

    QString backendId;   // stable id of the backend instance ("docker:unix:///…")
    QString backendKind; // "docker" | "docker-dev" | "coolify"
    QString host;        // human form of where it runs (endpoint URL, Coolify server)
    QString id;          // container id or Coolify application uuid
    QString name;
    QString subdomain;
    QString owner;
    QString image;
    State state = State::Unknown;
    Health health = Health::None;
    QString statusText; // the backend's own words ("Up 3 minutes (healthy)", "running:healthy")
    BoxResources resources;
    QDateTime createdAt;
    QDateTime startedAt;
    QDateTime finishedAt; // when a stopped box stopped (from an inspect); invalid while running
    QString url;          // where the box is reached, if routed
    QMap<QString, QString> labels;
    // Known only once the box was inspected (a list entry has no State block).
    bool detailed = false;
    int exitCode = -1;      // of a stopped box; -1: unknown or running
    bool oomKilled = false; // the engine's State.OOMKilled
    bool hasHealthCheck = false;
    Health lastHealth = Health::None; // the check's last result, kept after a stop
    double cpuLimit = 0;              // cores; 0: none
    bool memoryUnlimited = false;
    // Who stopped an exited box, when the engine said it was a deliberate stop (its "stop"
    // event since the last start): "docker stop" for `docker stop`, `boxctl stop` and the
    // like. Empty for a crash, a kill or an OOM kill.
    QString stoppedBy;

    QString key() const { return backendId + QLatin1Char('/') + id; }
    // A list entry lacks what only an inspect tells (start time, exit code, OOM kill,
    // health check, stop time, limits): while the state is the one `older` had, its
    // details stand.
    void keepDetailsFrom(const BoxInfo &older);
    static QString stateName(State state);
    static QString healthName(Health health);
    bool operator==(const BoxInfo &other) const = default;
};

} // namespace bc::boxes

Q_DECLARE_METATYPE(bc::boxes::BoxInfo)
