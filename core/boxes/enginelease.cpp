#include "core/boxes/enginelease.h"

#include "core/boxes/opholder.h"
#include "core/boxes/oplabels.h"
#include "core/docker/dockerclient.h"
#include "core/util/futureutil.h"

#include <QDateTime>
#include <QEventLoop>
#include <QFutureWatcher>

#include <nlohmann/json.hpp>

namespace bc::boxes {

using Kind = Error::Kind;

EngineLease::EngineLease(docker::DockerClient *client, QMap<QString, QString> extraLabels,
                         int ttlSec)
    : m_client(client)
    , m_labels(std::move(extraLabels))
    , m_ttlSec(ttlSec)
{}

EngineLease::~EngineLease()
{
    release();
}

Result<bool> EngineLease::acquire()
{
    return tryCreate(true);
}

Result<bool> EngineLease::tryCreate(bool mayTakeOver)
{
    // A container needs an image; any local one will do, it is never started.
    const auto images = waitOnLocalLoop(m_client->listImages());
    if (!images)
        return images.error();
    if (images->isEmpty()) // the only NotFound acquire() returns: see BoxRecovery::runNow
        return Error(Kind::NotFound, QStringLiteral("no image on the engine to hold the lease"));
    const QString holder = opholder::current();
    QMap<QString, QString> l = m_labels;
    l.insert(oplabels::leaseHolder(), holder);
    l.insert(oplabels::leaseExpires(),
             QString::number(QDateTime::currentSecsSinceEpoch() + m_ttlSec));
    nlohmann::json body = {{"Image", images->first().id.toStdString()},
                           {"Cmd", nlohmann::json::array({"true"})},
                           {"NetworkDisabled", true},
                           {"Labels", nlohmann::json::object()},
                           {"HostConfig", {{"NetworkMode", "none"}}}};
    for (auto it = l.cbegin(); it != l.cend(); ++it)
        body["Labels"][it.key().toStdString()] = it.value().toStdString();
    const auto created =
        waitOnLocalLoop(m_client->createContainer(oplabels::leaseContainer(), body));
    if (!created && created.error().kind() == Kind::NotFound)
        return Error(Kind::Io, created.error().message()); // the image went away meanwhile
    if (created) {
        m_id = created->id;
        m_holder = holder;
        return true;
    }
    if (created.error().kind() != Kind::Conflict)
        return created.error();
    const auto other = waitOnLocalLoop(m_client->inspectContainer(oplabels::leaseContainer()));
    if (!other) {
        // The name is taken but not inspectable: another process is creating (or removing)
        // its lease right now. Busy, never "no lease".
        if (other.error().kind() != Kind::NotFound)
            return other.error();
        m_holder = QStringLiteral("a process creating its lease");
        return false;
    }
    m_holder = other->labels.value(oplabels::leaseHolder());
    const qint64 expires = other->labels.value(oplabels::leaseExpires()).toLongLong();
    const bool holderDead = opholder::liveness(m_holder) == opholder::Liveness::Dead;
    if (!mayTakeOver || (expires > QDateTime::currentSecsSinceEpoch() && !holderDead))
        return false;
    // Expired (or its holder died on this host): removed by id, so that a lease someone
    // else took over meanwhile is not; then created anew, atomically again.
    (void)waitOnLocalLoop(m_client->removeContainer(other->id, true));
    return tryCreate(false);
}

void EngineLease::release()
{
    if (m_id.isEmpty() || !m_client)
        return;
    (void)waitOnLocalLoop(m_client->removeContainer(std::exchange(m_id, QString()), true));
}

} // namespace bc::boxes
