#include "core/coolify/coolifygonewatcher.h"

#include "core/coolify/coolifyerrors.h"
#include "core/util/futureutil.h"

#include <QTimer>

namespace bc::coolify {

QFuture<VoidResult> CoolifyGoneWatcher::wait(CoolifyClient *client, const QString &uuid,
                                             bool service, int timeoutMs)
{
    std::shared_ptr<CoolifyGoneWatcher> watcher(
        new CoolifyGoneWatcher(client, uuid, service, timeoutMs));
    watcher->poll();
    return watcher->m_async.future();
}

CoolifyGoneWatcher::CoolifyGoneWatcher(CoolifyClient *client, const QString &uuid, bool service,
                                       int timeoutMs)
    : m_client(client)
    , m_uuid(uuid)
    , m_deadline(timeoutMs)
    , m_service(service)
{}

void CoolifyGoneWatcher::poll()
{
    auto self = shared_from_this();
    if (m_service)
        onFinished(m_client->service(m_uuid), m_client, [self](const Result<CoolifyService> &s) {
            self->polled(s ? std::nullopt : std::optional<Error>(s.error()));
        });
    else
        onFinished(m_client->application(m_uuid), m_client,
                   [self](const Result<CoolifyApplication> &a) {
                       self->polled(a ? std::nullopt : std::optional<Error>(a.error()));
                   });
}

void CoolifyGoneWatcher::polled(const std::optional<Error> &error)
{
    if (error && error->kind() == Error::Kind::NotFound) {
        m_async.finish(VoidResult());
        return;
    }
    if (error && !(isTransient(*error) && ++m_transientErrors <= 3)) {
        m_async.finish(*error);
        return;
    }
    if (m_deadline.hasExpired()) {
        m_async.finish(
            Error(Error::Kind::Timeout,
                  QStringLiteral("%1 %2 still exists after its deletion was queued")
                      .arg(m_service ? QStringLiteral("service") : QStringLiteral("application"),
                           m_uuid)));
        return;
    }
    QTimer::singleShot(m_client->config().pollIntervalMs, m_client,
                       [self = shared_from_this()]() { self->poll(); });
}

} // namespace bc::coolify
