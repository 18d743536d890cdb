#pragma once

#include "core/coolify/coolifyclient.h"
#include "core/util/async.h"

#include <QDeadlineTimer>

#include <memory>

namespace bc::coolify {

// The poll loop behind CoolifyClient::waitUntilGone and waitUntilServiceGone: Coolify
// deletes in a queued job, so only a 404 says the deletion is done. Owned by the callbacks
// in flight, so it lives until its future settles or the client is gone.
class CoolifyGoneWatcher : public std::enable_shared_from_this<CoolifyGoneWatcher>
{
public:
    static QFuture<VoidResult> wait(CoolifyClient *client, const QString &uuid, bool service,
                                    int timeoutMs);

private:
    CoolifyGoneWatcher(CoolifyClient *client, const QString &uuid, bool service, int timeoutMs);
    void poll();
    void polled(const std::optional<Error> &error);

    CoolifyClient *m_client;
    AsyncResult<void> m_async;
    QString m_uuid;
    QDeadlineTimer m_deadline;
    int m_transientErrors = 0;
    bool m_service = false;
};

} // namespace bc::coolify
