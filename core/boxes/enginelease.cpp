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

namespace {

void removeRenewals(docker::DockerClient *client, const QString &leaseId)
{
    const auto volumes = waitOnLocalLoop(client->listVolumes(
        {{QStringLiteral("label"), {oplabels::leaseOf() + QLatin1Char('=') + leaseId}}}));
    if (volumes)
        for (const docker::VolumeInfo &v : volumes.value())
            (void)waitOnLocalLoop(client->removeVolume(v.name, true));
}

} // namespace

EngineLease::EngineLease(docker::DockerClient *client, QMap<QString, QString> extraLabels,
                         int ttlSec, QString name)
    : m_client(client)
    , m_labels(std::move(extraLabels))
    , m_ttlSec(ttlSec)
    , m_name(name.isEmpty() ? oplabels::leaseContainer() : std::move(name))
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
    const auto created = waitOnLocalLoop(m_client->createContainer(m_name, body));
    if (!created && created.error().kind() == Kind::NotFound)
        return Error(Kind::Io, created.error().message()); // the image went away meanwhile
    if (created) {
        m_id = created->id;
        m_holder = holder;
        return true;
    }
    if (created.error().kind() != Kind::Conflict)
        return created.error();
    const auto other = waitOnLocalLoop(m_client->inspectContainer(m_name));
    if (!other) {
        // The name is taken but not inspectable: another process is creating (or removing)
        // its lease right now. Busy, never "no lease".
        if (other.error().kind() != Kind::NotFound)
            return other.error();
        m_holder = QStringLiteral("a process creating its lease");
        return false;
    }
    m_holder = other->labels.value(oplabels::leaseHolder());
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    qint64 expires = other->labels.value(oplabels::leaseExpires()).toLongLong();
    if (expires <= now) // only a lease past its first term can have been renewed
        expires = qMax(expires, renewedUntil(other->id));
    const bool holderDead = opholder::liveness(m_holder) == opholder::Liveness::Dead;
    if (!mayTakeOver || (expires > now && !holderDead))
        return false;
    // Expired (or its holder died on this host): removed by id, so that a lease someone
    // else took over meanwhile is not; then created anew, atomically again.
    (void)waitOnLocalLoop(m_client->removeContainer(other->id, true));
    removeRenewals(m_client, other->id);
    return tryCreate(false);
}

qint64 EngineLease::renewedUntil(const QString &leaseId) const
{
    const auto volumes = waitOnLocalLoop(m_client->listVolumes(
        {{QStringLiteral("label"), {oplabels::leaseOf() + QLatin1Char('=') + leaseId}}}));
    qint64 until = 0;
    if (volumes)
        for (const docker::VolumeInfo &v : volumes.value())
            until = qMax(until, v.labels.value(oplabels::leaseExpires()).toLongLong());
    return until;
}

Result<bool> EngineLease::renew()
{
    if (m_id.isEmpty())
        return acquire();
    const auto current = waitOnLocalLoop(m_client->inspectContainer(m_name));
    if (!current && current.error().kind() != Kind::NotFound)
        return current.error(); // the engine is unwell: keep what is held, say why
    if (!current || current->id != m_id) {
        // Someone took it over (this holder was late beyond the TTL): what is left of it
        // is theirs to clean up.
        m_id.clear();
        m_renewal.clear();
        m_holder = current ? current->labels.value(oplabels::leaseHolder()) : QString();
        return false;
    }
    const qint64 expires = QDateTime::currentSecsSinceEpoch() + m_ttlSec;
    const QString volume =
        QStringLiteral("%1.renew.%2.%3").arg(m_name, m_id.left(12)).arg(expires);
    QMap<QString, QString> l = m_labels;
    l.insert(oplabels::leaseOf(), m_id);
    l.insert(oplabels::leaseExpires(), QString::number(expires));
    const auto made = waitOnLocalLoop(m_client->createVolume(volume, l));
    if (!made)
        return made.error();
    if (!m_renewal.isEmpty() && m_renewal != volume)
        (void)waitOnLocalLoop(m_client->removeVolume(m_renewal, true));
    m_renewal = volume;
    return true;
}

void EngineLease::release()
{
    if (m_id.isEmpty() || !m_client)
        return;
    const QString id = std::exchange(m_id, QString());
    m_renewal.clear();
    (void)waitOnLocalLoop(m_client->removeContainer(id, true));
    removeRenewals(m_client, id);
}

} // namespace bc::boxes
