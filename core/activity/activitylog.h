#pragma once

#include "core/result.h"
#include "core/util/json.h"

#include <QDateTime>
#include <QFuture>
#include <QList>
#include <QString>
#include <QVariantMap>

#include <memory>

namespace bc::activity {

// Action names, shared by every writer so that filters and scripts can rely on them.
namespace actions {
inline QString deploy()
{
    return QStringLiteral("deploy");
}
inline QString redeploy()
{
    return QStringLiteral("redeploy");
}
inline QString remove()
{
    return QStringLiteral("delete");
}
inline QString start()
{
    return QStringLiteral("start");
}
inline QString stop()
{
    return QStringLiteral("stop");
}
inline QString restart()
{
    return QStringLiteral("restart");
}
inline QString exec()
{
    return QStringLiteral("exec");
}
inline QString keepalive()
{
    return QStringLiteral("keepalive");
}
inline QString policyIdleStop()
{
    return QStringLiteral("policy-idle-stop");
}
inline QString policyExpire()
{
    return QStringLiteral("policy-expire");
}
inline QString policyDelete()
{
    return QStringLiteral("policy-delete");
}
inline QString quotaRefused()
{
    return QStringLiteral("quota-refused");
}
} // namespace actions

namespace results {
inline QString ok()
{
    return QStringLiteral("ok");
}
inline QString failed()
{
    return QStringLiteral("failed");
}
inline QString refused()
{
    return QStringLiteral("refused");
}
} // namespace results

// One entry of the log. Writers fill action, backend, box, params, result and error;
// time and actor are filled in by the log when left empty. params carries names only:
// a secret is recorded by its NAME, never its value (the log cannot tell them apart).
struct ActivityRecord
{
    qint64 seq = 0;  // position in the chain, assigned on append (1, 2, ...)
    QDateTime time;  // UTC, millisecond precision
    QString actor;   // OS user, or BOX_ACTOR / settings "activity/actor"
    QString action;  // one of actions::*
    QString backend; // "docker:unix:///var/run/docker.sock", "coolify:https://..."
    QString box;     // box name
    util::json::Json params = util::json::Json::object();
    QString result;      // one of results::*
    QString error;       // empty on success
    QByteArray prevHash; // hex sha256 of the previous record ("" for the first)
    QByteArray hash;     // hex sha256(prevHash || canonical(record))

    // Convenience for writers: result ok/failed from a VoidResult-like outcome.
    static ActivityRecord make(const QString &action, const QString &backend, const QString &box,
                               const util::json::Json &params = util::json::Json::object());
    // The same with params given as Qt values ({{QStringLiteral("keepData"), keep}}).
    static ActivityRecord make(const QString &action, const QString &backend, const QString &box,
                               const QVariantMap &params);
    ActivityRecord &succeeded();
    ActivityRecord &failedWith(const QString &message);
    ActivityRecord &refusedWith(const QString &message);
    // ok without an error; refused when the input or a rule refused it (Invalid,
    // Unauthorized: nothing was attempted), else failed. The error's text is recorded.
    ActivityRecord &withOutcome(const Error *error);

    util::json::Json toJson() const; // the `boxctl activity --json` shape
};

struct ActivityFilter
{
    QString box;
    QString backend; // "docker:unix:///var/run/docker.sock": one box of that name only
    QString actor;
    QString action;
    QDateTime since;     // inclusive; invalid = no bound
    QDateTime until;     // exclusive; invalid = no bound
    qint64 afterSeq = 0; // only records with seq > afterSeq (incremental refresh)
    int limit = 0;       // the newest `limit` records (still returned oldest first); 0 = all
};

struct VerifyReport
{
    qint64 count = 0; // records checked
    bool intact = true;
    qint64 firstBadSeq = 0; // the first modified or missing record, when !intact
    QString problem;        // "record 7 was modified", "record 5 is missing"
    QByteArray headHash;    // hash of the last record: anchor it elsewhere to detect truncation
};

// The append-only, hash-chained activity log in an SQLite file. Every method is
// thread-safe and may be called from any thread; each call opens its own connection
// (Qt SQL connections belong to one thread), and appends from several processes form
// one chain because the previous hash is read and the record inserted in one
// BEGIN IMMEDIATE transaction.
class ActivityLog
{
public:
    explicit ActivityLog(QString path);
    ~ActivityLog();
    ActivityLog(const ActivityLog &) = delete;
    ActivityLog &operator=(const ActivityLog &) = delete;

    // The per-user log: $BOX_ACTIVITY_DB, else $XDG_DATA_HOME/box-console/activity.sqlite,
    // else ~/.local/share/box-console/activity.sqlite.
    static ActivityLog &instance();
    static QString defaultPath();
    // BOX_ACTOR, else the setting activity/actor, else the OS user name.
    static QString defaultActor();

    QString path() const;

    // Fire and forget: queued to one writer thread, never throws, never blocks the
    // caller beyond queueing; a failure is reported as a warning (without params).
    // The future tells the stored record (with seq and hash) to callers that care.
    QFuture<Result<ActivityRecord>> record(const ActivityRecord &record);
    // Waits until every queued record() has been written (boxctl before it exits).
    bool flush(int timeoutMs = 10000);

    // Synchronous append on the calling thread.
    Result<ActivityRecord> append(const ActivityRecord &record);
    Result<QList<ActivityRecord>> query(const ActivityFilter &filter = {}) const;
    Result<VerifyReport> verify() const;

    // The exact bytes hashed for a record after its prevHash (exposed for tests).
    static QByteArray canonical(const ActivityRecord &record);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace bc::activity
