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
    onFinished(m_backend->status(m_boxId), this, [this](const Result<BoxInfo> &box) {
        if (m_cancelled || isFinished())
            return;
        if (!box) {
            finish(box.error().withContext(QStringLiteral("validate")));
            return;
        }
        BoxInfo info = box.value();
        emit stepStarted(
            QStringLiteral("remove"),
            m_keepData ? QStringLiteral("Deleting application %1, keeping its volumes").arg(info.id)
                       : QStringLiteral("Deleting application %1 and its volumes").arg(info.id));
        CoolifyDeleteOptions options;
        options.deleteVolumes = !m_keepData;
        CoolifyClient *client = m_backend->client();
        const int timeout = m_backend->deleteTimeoutMs();
        onFinished(
            client->deleteApplication(info.id, options), this,
            [this, client, info, timeout](const VoidResult &queued) {
                if (m_cancelled || isFinished())
                    return;
                if (!queued) {
                    finish(queued.error().withContext(QStringLiteral("remove")));
                    return;
                }
                emit progress(QStringLiteral("deletion queued; waiting for Coolify to remove it"));
                onFinished(client->waitUntilGone(info.id, timeout), this,
                           [this, info](const VoidResult &gone) {
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
