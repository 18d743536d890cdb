#pragma once

#include "core/boxes/boxjob.h"

#include <QPointer>

namespace bc::coolify {
class CoolifyClient;
}

namespace bc::boxes {

class CoolifyBackend;

// Deletes one box's Coolify service, or the application of a box an earlier version made
// (volumes too unless keepData), then waits until Coolify has really removed it: the API
// only queues the deletion. The resource is marked as being deleted before the request
// (CoolifyRecovery), so a delete whose process was killed is finished by recovery.
class CoolifyDeleteJob : public BoxJob
{
    Q_OBJECT
public:
    CoolifyDeleteJob(CoolifyBackend *backend, const QString &boxId, bool keepData,
                     QObject *parent = nullptr);
    // Before the deletion is queued: stops with Cancelled. After: the deletion goes on in
    // Coolify; the job stops waiting and reports Cancelled.
    void cancel() override;

private:
    void begin();
    void remove(coolify::CoolifyClient *client, const BoxInfo &info, bool service);

    QPointer<CoolifyBackend> m_backend;
    QString m_boxId;
    bool m_keepData = false;
    bool m_cancelled = false;
};

} // namespace bc::boxes
