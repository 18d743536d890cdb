#pragma once

#include <QDateTime>
#include <QMap>
#include <QString>

namespace bc::policy {

// A box's lifetime policy as its labels state it (engine-side truth, written at deploy).
// Durations are whole seconds; 0 = off.
struct BoxPolicy
{
    qint64 idleStopSecs = 0;
    qint64 maxLifetimeSecs = 0;
    qint64 deleteAfterStoppedSecs = 0;
    bool keepData = false;

    bool isEmpty() const
    {
        return idleStopSecs <= 0 && maxLifetimeSecs <= 0 && deleteAfterStoppedSecs <= 0;
    }
    // A label that is absent, not a whole decimal number or negative reads as off: the
    // service must never act on a value nobody could have meant.
    static BoxPolicy fromLabels(const QMap<QString, QString> &labels);
};

// What the rule needs to know about one box at one moment. Invalid times are unknown.
struct PolicyClock
{
    QDateTime created;        // the container's creation: the lifetime starts here
    QDateTime started;        // the last start: a box just started is not idle yet
    QDateTime lastActivity;   // the box-agent's last activity (terminal, log follow, ...)
    QDateTime keepAliveUntil; // keep-alive: no idle stop and no delete before this
    QDateTime stoppedAt;      // when it stopped (only read when !running)
    bool running = false;
    QDateTime now;
};

enum class PolicyAction { None, IdleStop, Expire, Delete };

QString actionName(PolicyAction action); // "idle-stop", "expire", "delete", "none"

struct PolicyDeadlines
{
    PolicyAction next = PolicyAction::None; // the earliest action that applies
    QDateTime at;                           // when it is due (<= now: due now)
    QDateTime idleStopAt; // each deadline on its own; invalid when it does not apply
    QDateTime expireAt;
    QDateTime deleteAt;

    bool isDue(const QDateTime &now) const { return next != PolicyAction::None && at <= now; }
};

// The one rule for when a box is stopped or deleted, shared by the service (which acts on
// it) and the console (which shows it). Pure.
// - idle stop: a running box, idleStopSecs after its last activity (or its start, when
//   later or unknown), but never before keepAliveUntil;
// - expiry: a running box, maxLifetimeSecs after it was created; keep-alive does not
//   defer it: the lifetime bound is the one a fleet cannot have postponed by its users;
// - delete: a stopped box, deleteAfterStoppedSecs after it stopped, never before
//   keepAliveUntil.
// On a tie the expiry wins over the idle stop (it is the stronger reason to record).
PolicyDeadlines computeDeadlines(const BoxPolicy &policy, const PolicyClock &clock);

// "idle stop in 12 min", "expires in 3 h", "deleted in 6 d", "idle stop due"; empty when
// nothing applies. For rows and the CLI.
QString describeDeadline(const PolicyDeadlines &deadlines, const QDateTime &now);
QString formatRemaining(qint64 secs); // "45 s", "12 min", "3 h", "6 d"

} // namespace bc::policy
