#pragma once

#include "core/coolify/coolifyclient.h"
#include "core/util/async.h"

#include <QDeadlineTimer>

#include <memory>

namespace bc::coolify {

// The poll loop behind CoolifyClient::followService (its comment has the rules). Owned by
// the callbacks in flight, so it lives until its future settles or the client is gone.
class CoolifyServiceWatcher : public std::enable_shared_from_this<CoolifyServiceWatcher>
{
public:
    static QFuture<Result<CoolifyService>> follow(CoolifyClient *client, const QString &uuid,
                                                  int timeoutMs,
                                                  CoolifyClient::ServiceObserver observer);

private:
    CoolifyServiceWatcher(CoolifyClient *client, const QString &uuid, int timeoutMs,
                          CoolifyClient::ServiceObserver observer);
    void poll();
    void polled(const Result<CoolifyService> &s);
    void later();

    CoolifyClient *m_client;
    AsyncResult<CoolifyService> m_async;
    QString m_uuid;
    QDeadlineTimer m_deadline;
    CoolifyClient::ServiceObserver m_observer;
    QString m_lastStatus;
    bool m_started = false;
    int m_transientErrors = 0;
};

} // namespace bc::coolify
