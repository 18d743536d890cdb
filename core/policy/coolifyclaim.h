#pragma once

#include "core/coolify/coolifystatus.h"
#include "core/result.h"
#include "core/util/async.h"

#include <QFuture>
#include <QObject>
#include <QString>

namespace bc::coolify {
class CoolifyClient;
}

namespace bc::policy {

// Claims a Coolify box for one policy action, so that two policy services (or one restarted
// mid-action) never stop or delete a box twice. Coolify has nothing to hold a lease on and
// no conditional update, so the claim is written where recovery already looks for
// operations in flight: the description's mark ("op=policy,<op>,<holder>,<epoch>", see
// core/boxes/coolifyrecovery.h). A claim reads the description, gives up when another live
// operation's mark is there, writes its own, waits `settleMs` and reads again: of two
// services that wrote at nearly the same time only the later one still finds its mark, and
// the earlier one backs off. This holds while one write takes less than settleMs.
class CoolifyClaim : public QObject
{
    Q_OBJECT
public:
    struct Outcome
    {
        bool held = false;
        QString reason;                // why not held: "deploy in progress by …"
        coolify::CoolifyStatus status; // as read after the claim settled
    };

    CoolifyClaim(coolify::CoolifyClient *client, bool isService, QString uuid,
                 QObject *parent = nullptr);

    QFuture<Result<Outcome>> claim(int settleMs);
    // Clears this claim's mark when it is still there (a delete replaces it with its own).
    // With untilStoppedMs, first waits (up to that long) for Coolify to report the box
    // stopped: Coolify queues a stop, and a service that read "running" meanwhile would
    // otherwise find the box unclaimed and still due.
    QFuture<VoidResult> release(int untilStoppedMs = 0);

    const QString &opId() const { return m_op; }

    // A policy mark older than this is taken as left behind by a service that died (a mark
    // of this host's dead process is stale at once).
    static constexpr int StaleAfterSec = 600;

private:
    struct Read
    {
        QString description;
        coolify::CoolifyStatus status;
    };
    QFuture<Result<Read>> read();
    QFuture<VoidResult> writeDescription(const QString &description);
    void releaseStep(AsyncResult<void> async, qint64 deadlineMs);

    coolify::CoolifyClient *m_client;
    bool m_isService;
    QString m_uuid;
    QString m_op;
};

} // namespace bc::policy
