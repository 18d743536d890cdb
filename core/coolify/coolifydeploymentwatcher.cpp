#include "core/coolify/coolifydeploymentwatcher.h"

#include "core/coolify/coolifyerrors.h"
#include "core/util/futureutil.h"

#include <QTimer>

namespace bc::coolify {

QFuture<Result<CoolifyDeployment>>
CoolifyDeploymentWatcher::follow(CoolifyClient *client, const QString &appUuid,
                                 const QString &deploymentUuid, int timeoutMs,
                                 CoolifyClient::DeploymentObserver observer)
{
    std::shared_ptr<CoolifyDeploymentWatcher> watcher(new CoolifyDeploymentWatcher(
        client, appUuid, deploymentUuid, timeoutMs, std::move(observer)));
    if (deploymentUuid.isEmpty())
        watcher->fallback();
    else
        watcher->poll();
    return watcher->m_async.future();
}

CoolifyDeploymentWatcher::CoolifyDeploymentWatcher(CoolifyClient *client, const QString &appUuid,
                                                   const QString &deploymentUuid, int timeoutMs,
                                                   CoolifyClient::DeploymentObserver observer)
    : m_client(client)
    , m_appUuid(appUuid)
    , m_deploymentUuid(deploymentUuid)
    , m_deadline(timeoutMs)
    , m_observer(std::move(observer))
{}

void CoolifyDeploymentWatcher::later(void (CoolifyDeploymentWatcher::*step)())
{
    QTimer::singleShot(m_client->config().pollIntervalMs, m_client,
                       [self = shared_from_this(), step]() { ((*self).*step)(); });
}

void CoolifyDeploymentWatcher::observe(const CoolifyDeployment &d)
{
    if (d.statusText != m_last.statusText && m_observer)
        m_observer(d);
    m_last = d;
}

void CoolifyDeploymentWatcher::poll()
{
    if (m_deadline.hasExpired()) {
        m_async.finish(Error(
            Error::Kind::Timeout,
            QStringLiteral("deployment %1 still %2").arg(m_deploymentUuid, m_last.statusText)));
        return;
    }
    onFinished(
        m_client->deployment(m_deploymentUuid), m_client,
        [self = shared_from_this()](const Result<CoolifyDeployment> &d) { self->polled(d); });
}

void CoolifyDeploymentWatcher::polled(const Result<CoolifyDeployment> &d)
{
    if (!d) {
        if (d.error().kind() == Error::Kind::NotFound) {
            fallback();
            return;
        }
        if (isTransient(d.error()) && ++m_transientErrors <= 3) {
            later(&CoolifyDeploymentWatcher::poll);
            return;
        }
        m_async.finish(d.error());
        return;
    }
    m_transientErrors = 0;
    observe(d.value());
    if (d->isTerminal()) {
        m_async.finish(d.value());
        return;
    }
    later(&CoolifyDeploymentWatcher::poll);
}

void CoolifyDeploymentWatcher::fallback()
{
    if (!m_deploymentUuid.isEmpty() && !m_triedUuids.contains(m_deploymentUuid))
        m_triedUuids << m_deploymentUuid;
    onFinished(m_client->applicationDeployments(m_appUuid, 5), m_client,
               [self = shared_from_this()](const Result<QList<CoolifyDeployment>> &list) {
                   self->listed(list);
               });
}

void CoolifyDeploymentWatcher::listed(const Result<QList<CoolifyDeployment>> &list)
{
    if (!list) {
        if (isTransient(list.error()) && ++m_transientErrors <= 3) {
            later(&CoolifyDeploymentWatcher::fallback);
            return;
        }
        m_async.finish(list.error().withContext(QStringLiteral("find the deployment")));
        return;
    }
    // Our uuid may be listed though GET /deployments/{uuid} said 404 (beta.464–467 bug).
    for (const CoolifyDeployment &d : list.value()) {
        if (!m_deploymentUuid.isEmpty() && d.deploymentUuid == m_deploymentUuid) {
            observe(d);
            if (d.isTerminal()) {
                m_async.finish(d);
                return;
            }
            if (m_deadline.hasExpired()) {
                m_async.finish(Error(
                    Error::Kind::Timeout,
                    QStringLiteral("deployment %1 still %2").arg(d.deploymentUuid, d.statusText)));
                return;
            }
            later(&CoolifyDeploymentWatcher::fallback);
            return;
        }
    }
    for (const CoolifyDeployment &d : list.value()) {
        if (d.status == CoolifyDeployment::Status::Queued ||
            d.status == CoolifyDeployment::Status::InProgress) {
            m_deploymentUuid = d.deploymentUuid;
            if (!m_triedUuids.contains(d.deploymentUuid)) {
                poll();
                return;
            }
        }
    }
    // Nothing active: the uuid was a phantom (queue full or skipped), or the deployment
    // finished before we looked, which only the uuid itself could have told.
    m_async.finish(Error(
        Error::Kind::NotFound,
        QStringLiteral("Coolify queued no deployment for application %1%2")
            .arg(m_appUuid,
                 m_triedUuids.isEmpty()
                     ? QString()
                     : QStringLiteral(" (deployment %1 does not exist: queue full or skipped)")
                           .arg(m_triedUuids.join(QStringLiteral(", "))))));
}

} // namespace bc::coolify
