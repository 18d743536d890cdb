#pragma once

#include "core/coolify/coolifyclient.h"
#include "core/util/async.h"

#include <QDeadlineTimer>
#include <QStringList>

#include <memory>

namespace bc::coolify {

// The poll loop behind CoolifyClient::followDeployment (its comment has the rules). Owned
// by the callbacks in flight, so it lives until its future settles or the client is gone.
class CoolifyDeploymentWatcher : public std::enable_shared_from_this<CoolifyDeploymentWatcher>
{
public:
    static QFuture<Result<CoolifyDeployment>> follow(CoolifyClient *client, const QString &appUuid,
                                                     const QString &deploymentUuid, int timeoutMs,
                                                     CoolifyClient::DeploymentObserver observer);

private:
    CoolifyDeploymentWatcher(CoolifyClient *client, const QString &appUuid,
                             const QString &deploymentUuid, int timeoutMs,
                             CoolifyClient::DeploymentObserver observer);
    void poll();
    void polled(const Result<CoolifyDeployment> &d);
    // GET /deployments/{uuid} said 404, or there was no uuid: look in the application's list.
    void fallback();
    void listed(const Result<QList<CoolifyDeployment>> &list);
    void observe(const CoolifyDeployment &d);
    void later(void (CoolifyDeploymentWatcher::*step)());

    CoolifyClient *m_client;
    AsyncResult<CoolifyDeployment> m_async;
    QString m_appUuid;
    QString m_deploymentUuid;
    QStringList m_triedUuids;
    QDeadlineTimer m_deadline;
    CoolifyClient::DeploymentObserver m_observer;
    CoolifyDeployment m_last;
    int m_transientErrors = 0;
};

} // namespace bc::coolify
