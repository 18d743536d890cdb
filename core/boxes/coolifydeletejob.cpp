#include "core/boxes/coolifydeletejob.h"

#include "core/boxes/coolifybackend.h"
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
    emit stepStarted(QStringLiteral("validate"), QStringLiteral("Looking up box %1").arg(m_boxId));
    onFinished(m_backend->boxRef(m_boxId), this, [this](const Result<CoolifyBackend::BoxRef> &ref) {
        if (m_cancelled || isFinished())
            return;
        if (!ref) {
            finish(ref.error().withContext(QStringLiteral("validate")));
            return;
        }
        const bool service = ref->isService;
        BoxInfo info =
            service ? m_backend->toBoxInfo(ref->service) : m_backend->toBoxInfo(ref->app);
        const QString what = service ? QStringLiteral("service") : QStringLiteral("application");
        emit stepStarted(
            QStringLiteral("remove"),
            m_keepData ? QStringLiteral("Deleting %1 %2, keeping its volumes").arg(what, info.id)
                       : QStringLiteral("Deleting %1 %2 and its volumes").arg(what, info.id));
        CoolifyDeleteOptions options;
        options.deleteVolumes = !m_keepData;
        CoolifyClient *client = m_backend->client();
        const int timeout = m_backend->deleteTimeoutMs();
        QFuture<VoidResult> queued = service ? client->deleteService(info.id, options)
                                             : client->deleteApplication(info.id, options);
        onFinished(queued, this, [this, client, info, timeout, service](const VoidResult &queued) {
            if (m_cancelled || isFinished())
                return;
            if (!queued) {
                finish(queued.error().withContext(QStringLiteral("remove")));
                return;
            }
            emit progress(QStringLiteral("deletion queued; waiting for Coolify to remove it"));
            QFuture<VoidResult> gone = service ? client->waitUntilServiceGone(info.id, timeout)
                                               : client->waitUntilGone(info.id, timeout);
            onFinished(gone, this, [this, info](const VoidResult &gone) {
                if (!gone) {
                    finish(gone.error().withContext(QStringLiteral("remove")));
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
    });
}

} // namespace bc::boxes
