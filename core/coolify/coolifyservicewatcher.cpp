#include "core/coolify/coolifyservicewatcher.h"

#include "core/coolify/coolifyerrors.h"
#include "core/util/futureutil.h"

#include <QTimer>

namespace bc::coolify {

QFuture<Result<CoolifyService>>
CoolifyServiceWatcher::follow(CoolifyClient *client, const QString &uuid, int timeoutMs,
                              CoolifyClient::ServiceObserver observer)
{
    std::shared_ptr<CoolifyServiceWatcher> watcher(
        new CoolifyServiceWatcher(client, uuid, timeoutMs, std::move(observer)));
    watcher->poll();
    return watcher->m_async.future();
}

CoolifyServiceWatcher::CoolifyServiceWatcher(CoolifyClient *client, const QString &uuid,
                                             int timeoutMs, CoolifyClient::ServiceObserver observer)
    : m_client(client)
    , m_uuid(uuid)
    , m_deadline(timeoutMs)
    , m_observer(std::move(observer))
{}

void CoolifyServiceWatcher::later()
{
    QTimer::singleShot(m_client->config().pollIntervalMs, m_client,
                       [self = shared_from_this()]() { self->poll(); });
}

void CoolifyServiceWatcher::poll()
{
    onFinished(m_client->service(m_uuid), m_client,
               [self = shared_from_this()](const Result<CoolifyService> &s) { self->polled(s); });
}

void CoolifyServiceWatcher::polled(const Result<CoolifyService> &s)
{
    if (!s) {
        if (isTransient(s.error()) && ++m_transientErrors <= 3) {
            later();
            return;
        }
        m_async.finish(s.error());
        return;
    }
    m_transientErrors = 0;
    if (s->status.raw != m_lastStatus && m_observer)
        m_observer(s.value());
    m_lastStatus = s->status.raw;
    using S = CoolifyStatus::State;
    const S st = s->status.state;
    if (st == S::Running && s->status.health == CoolifyStatus::Health::Healthy) {
        m_async.finish(s.value());
        return;
    }
    if (st == S::Starting || st == S::Running || st == S::Restarting)
        m_started = true;
    // Right after the start request the status still shows the old containers (or
    // none: exited), until Coolify's next status sync.
    if (m_started && (st == S::Exited || st == S::Degraded || st == S::Dead)) {
        m_async.finish(Error(
            Error::Kind::Server,
            QStringLiteral("service %1 %2 (see its logs in Coolify)").arg(m_uuid, s->status.raw)));
        return;
    }
    if (m_deadline.hasExpired()) {
        m_async.finish(
            Error(Error::Kind::Timeout,
                  QStringLiteral("service %1 still %2, not healthy").arg(m_uuid, s->status.raw)));
        return;
    }
    later();
}

} // namespace bc::coolify
