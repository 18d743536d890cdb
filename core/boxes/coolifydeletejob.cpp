#include "core/boxes/coolifydeletejob.h"

#include "core/boxes/coolifybackend.h"
#include "core/boxes/coolifyrecovery.h"
#include "core/util/futureutil.h"

#include <QTimer>

namespace bc::boxes {

using namespace bc::coolify;

CoolifyDeleteJob::CoolifyDeleteJob(CoolifyBackend *backend, const QString &boxId, bool keepData,
                                   QObject *parent)
    : BoxJob(parent)
    , m_backend(backend)
    , m_boxId(boxId)
    , m_keepData(keepData)
{
    QTimer::singleShot(0, this, &CoolifyDeleteJob::begin);
}

void CoolifyDeleteJob::cancel()
{
    if (isFinished())
        return;
    m_cancelled = true;
    finish(Error(Error::Kind::Cancelled, QStringLiteral("delete of %1 cancelled").arg(m_boxId)));
}

void CoolifyDeleteJob::begin()
{
    if (m_cancelled || isFinished())
        return;
    if (!m_backend) {
        finish(Error(Error::Kind::Cancelled, QStringLiteral("backend gone")));
        return;
    }
    startStep(JobStep::Validate, QStringLiteral("Looking up box %1").arg(m_boxId));
    onFinished(m_backend->boxRef(m_boxId), this, [this](const Result<CoolifyBackend::BoxRef> &ref) {
        if (m_cancelled || isFinished())
            return;
        if (!ref) {
            finish(ref.error().withContext(jobStepName(JobStep::Validate)));
            return;
        }
        const bool service = ref->isService;
        BoxInfo info =
            service ? m_backend->toBoxInfo(ref->service) : m_backend->toBoxInfo(ref->app);
        const QString what = service ? QStringLiteral("service") : QStringLiteral("application");
        startStep(JobStep::Remove,
                  m_keepData
                      ? QStringLiteral("Deleting %1 %2, keeping its volumes").arg(what, info.id)
                      : QStringLiteral("Deleting %1 %2 and its volumes").arg(what, info.id));
        CoolifyClient *client = m_backend->client();
        // Marked first: a process killed after this point leaves a mark that recovery finds
        // on Coolify and finishes the delete by (keeping the volumes if this one did).
        const QString description = service ? ref->service.description : ref->app.description;
        QFuture<VoidResult> marked =
            client->setDescription(info.id, service,
                                   CoolifyRecovery::marked(description, QStringLiteral("delete"),
                                                           CoolifyRecovery::newOpId(), m_keepData));
        onFinished(marked, this, [this, client, info, service](const VoidResult &r) {
            if (m_cancelled || isFinished())
                return;
            if (!r) {
                finish(r.error().withContext(jobStepName(JobStep::Remove)));
                return;
            }
            remove(client, info, service);
        });
    });
}

void CoolifyDeleteJob::remove(CoolifyClient *client, const BoxInfo &info, bool service)
{
    CoolifyDeleteOptions options;
    options.deleteVolumes = !m_keepData;
    const int timeout = m_backend ? m_backend->deleteTimeoutMs() : 5 * 60 * 1000;
    QFuture<VoidResult> queued = service ? client->deleteService(info.id, options)
                                         : client->deleteApplication(info.id, options);
    onFinished(queued, this, [this, client, info, timeout, service](const VoidResult &r) {
        if (m_cancelled || isFinished())
            return;
        if (!r) {
            finish(r.error().withContext(jobStepName(JobStep::Remove)));
            return;
        }
        emit progress(QStringLiteral("deletion queued; waiting for Coolify to remove it"));
        QFuture<VoidResult> gone = service ? client->waitUntilServiceGone(info.id, timeout)
                                           : client->waitUntilGone(info.id, timeout);
        onFinished(gone, this, [this, info](const VoidResult &removedResult) {
            if (!removedResult) {
                finish(removedResult.error().withContext(jobStepName(JobStep::Remove)));
                return;
            }
            BoxInfo removed = info;
            removed.state = BoxInfo::State::Removing;
            removed.health = BoxInfo::Health::None;
            if (m_backend)
                m_backend->markRemoved(removed.id);
            finish(removed);
        });
    });
}

} // namespace bc::boxes
