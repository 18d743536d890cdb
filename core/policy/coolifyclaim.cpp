#include "core/policy/coolifyclaim.h"

#include "core/boxes/coolifyrecovery.h"
#include "core/boxes/opholder.h"
#include "core/coolify/coolifyclient.h"
#include "core/util/async.h"
#include "core/util/futureutil.h"

#include <QDateTime>
#include <QTimer>

namespace bc::policy {

using boxes::CoolifyRecovery;

namespace {

const QString PolicyKind = QStringLiteral("policy");

// Another operation's mark that is still in force: its holder runs (or, on another host,
// it is young enough that it may).
bool live(const CoolifyRecovery::Mark &mark)
{
    const auto liveness = boxes::opholder::liveness(mark.holder);
    if (liveness != boxes::opholder::Liveness::Unknown)
        return liveness == boxes::opholder::Liveness::Alive;
    const int staleAfter = mark.kind == PolicyKind ? CoolifyClaim::StaleAfterSec : 3600;
    return QDateTime::currentSecsSinceEpoch() - mark.startedSecs < staleAfter;
}

} // namespace

CoolifyClaim::CoolifyClaim(coolify::CoolifyClient *client, bool isService, QString uuid,
                           QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_isService(isService)
    , m_uuid(std::move(uuid))
    , m_op(CoolifyRecovery::newOpId())
{}

QFuture<Result<CoolifyClaim::Read>> CoolifyClaim::read()
{
    AsyncResult<Read> async;
    if (m_isService) {
        onFinished(m_client->service(m_uuid), this,
                   [async](const Result<coolify::CoolifyService> &s) {
                       async.finish(s ? Result<Read>(Read{s->description, s->status})
                                      : Result<Read>(s.error()));
                   });
    } else {
        onFinished(m_client->application(m_uuid), this,
                   [async](const Result<coolify::CoolifyApplication> &a) {
                       async.finish(a ? Result<Read>(Read{a->description, a->status})
                                      : Result<Read>(a.error()));
                   });
    }
    return async.future();
}

QFuture<VoidResult> CoolifyClaim::writeDescription(const QString &description)
{
    return m_client->setDescription(m_uuid, m_isService, description);
}

QFuture<Result<CoolifyClaim::Outcome>> CoolifyClaim::claim(int settleMs)
{
    AsyncResult<Outcome> async;
    onFinished(read(), this, [this, async, settleMs](const Result<Read> &before) {
        if (!before) {
            async.finish(before.error());
            return;
        }
        if (const auto mark = CoolifyRecovery::markOf(before->description);
            mark && mark->op != m_op && live(*mark)) {
            Outcome o;
            o.reason =
                QStringLiteral("%1 %2 in progress by %3").arg(mark->kind, mark->op, mark->holder);
            o.status = before->status;
            async.finish(o);
            return;
        }
        const QString mine = CoolifyRecovery::marked(before->description, PolicyKind, m_op);
        onFinished(writeDescription(mine), this, [this, async, settleMs](const VoidResult &w) {
            if (!w) {
                async.finish(w.error());
                return;
            }
            QTimer::singleShot(settleMs, this, [this, async] {
                onFinished(read(), this, [this, async](const Result<Read> &after) {
                    if (!after) {
                        async.finish(after.error());
                        return;
                    }
                    Outcome o;
                    o.status = after->status;
                    const auto mark = CoolifyRecovery::markOf(after->description);
                    o.held = mark && mark->kind == PolicyKind && mark->op == m_op;
                    if (!o.held)
                        o.reason = mark ? QStringLiteral("claimed by %1").arg(mark->holder)
                                        : QStringLiteral("claim lost");
                    async.finish(o);
                });
            });
        });
    });
    return async.future();
}

QFuture<VoidResult> CoolifyClaim::release(int untilStoppedMs)
{
    AsyncResult<void> async;
    releaseStep(async, QDateTime::currentMSecsSinceEpoch() + untilStoppedMs);
    return async.future();
}

void CoolifyClaim::releaseStep(AsyncResult<void> async, qint64 deadlineMs)
{
    onFinished(read(), this, [this, async, deadlineMs](const Result<Read> &now) {
        if (!now) {
            // Gone (deleted by this very action) is released.
            async.finish(now.error().kind() == Error::Kind::NotFound ? VoidResult()
                                                                     : VoidResult(now.error()));
            return;
        }
        const auto mark = CoolifyRecovery::markOf(now->description);
        if (!mark || mark->op != m_op) {
            async.finish(VoidResult());
            return;
        }
        if (now->status.isLive() && QDateTime::currentMSecsSinceEpoch() < deadlineMs) {
            QTimer::singleShot(1000, this,
                               [this, async, deadlineMs] { releaseStep(async, deadlineMs); });
            return;
        }
        onFinished(writeDescription(CoolifyRecovery::unmarked(now->description)), this,
                   [async](const VoidResult &w) { async.finish(w); });
    });
}

} // namespace bc::policy
