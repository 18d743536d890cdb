#include "core/boxes/deletejob.h"

#include "core/boxes/boxegress.h"
#include "core/boxes/boxlabels.h"
#include "core/boxes/opholder.h"
#include "core/boxes/oplabels.h"
#include "core/docker/dockerclient.h"
#include "core/security/hardeningprofile.h"
#include "core/security/validators.h"
#include "core/util/futureutil.h"

#include <QDateTime>
#include <QUuid>
#include <QtConcurrent>

namespace bc::boxes {

using Kind = Error::Kind;

DeleteJob::DeleteJob(docker::DockerClient *client, QString boxId, bool keepData,
                     DeployOptions options, const BoxInfo &base, QObject *parent)
    : BoxJob(parent)
    , m_client(client)
    , m_boxId(std::move(boxId))
    , m_keepData(keepData)
    , m_options(std::move(options))
    , m_info(base)
    , m_journal(m_options.journalDir)
    , m_opId(QUuid::createUuid().toString(QUuid::WithoutBraces).left(12))
{
    QMetaObject::invokeMethod(this, &DeleteJob::begin, Qt::QueuedConnection);
}

void DeleteJob::cancel()
{
    m_cancelRequested = true;
}

bool DeleteJob::cancelled(JobStep step)
{
    if (!m_cancelRequested)
        return false;
    fail(Error(Kind::Cancelled, QStringLiteral("cancelled")), step);
    return true;
}

void DeleteJob::fail(const Error &error, JobStep step)
{
    const QString inner = error.context().isEmpty()
                              ? error.message()
                              : error.context() + QStringLiteral(": ") + error.message();
    finish(Error(error.kind(), inner, error.httpStatus())
               .withContext(jobStepName(step))
               .withContext(QStringLiteral("delete %1").arg(m_name.isEmpty() ? m_boxId : m_name)));
}

template <typename Call>
void DeleteJob::forEach(QStringList items, JobStep step, Call call, std::function<void()> next)
{
    if (items.isEmpty()) {
        next();
        return;
    }
    const QString item = items.takeFirst();
    onFinished(
        call(item), this,
        [this, items, step, call, next](const VoidResult &r) {
            if (!r && r.error().kind() != Kind::NotFound) {
                fail(r.error(), step);
                return;
            }
            forEach(items, step, call, next);
        },
        WhenReady::RunNow);
}

void DeleteJob::begin()
{
    startStep(JobStep::Stop, QStringLiteral("Stopping %1").arg(m_boxId));
    if (cancelled(JobStep::Stop))
        return;
    if (!m_client) {
        fail(Error(Kind::Invalid, QStringLiteral("no Docker client")), JobStep::Stop);
        return;
    }
    onFinished(
        m_client->inspectContainer(m_boxId), this,
        [this](const Result<docker::ContainerInspect> &c) {
            if (c) {
                const QString box = c->labels.value(labels::box());
                if (box.isEmpty()) {
                    fail(Error(Kind::Invalid,
                               QStringLiteral("%1 is not a box-console box").arg(m_boxId)),
                         JobStep::Stop);
                    return;
                }
                if (m_options.dev != (c->labels.value(labels::dev()) == QLatin1String("1"))) {
                    fail(Error(Kind::Invalid,
                               QStringLiteral("%1 belongs to the %2 backend")
                                   .arg(m_boxId, m_options.dev ? QStringLiteral("docker")
                                                               : QStringLiteral("docker-dev"))),
                         JobStep::Stop);
                    return;
                }
                m_name = box;
                m_containerId = c->id;
                if (c->labels.value(labels::keepData()) == QLatin1String("true"))
                    m_keepData = true;
                m_info.id = c->id;
                m_info.name = box;
                m_info.labels = c->labels;
                m_owner = c->labels.value(labels::owner());
                createMarker([this] { stopBox(); });
                return;
            }
            if (c.error().kind() != Kind::NotFound) {
                fail(c.error(), JobStep::Stop);
                return;
            }
            // No container: the box is gone or half-deployed. Its other objects are found by
            // name, so the name must be a valid box name (never delete arbitrary volumes).
            const auto valid = security::Validators::validateBoxName(m_boxId);
            if (!valid) {
                fail(valid.error().withContext(QStringLiteral("name")), JobStep::Stop);
                return;
            }
            m_name = m_boxId;
            m_info.name = m_name;
            createMarker([this] { removeContainers(); });
        },
        WhenReady::RunNow);
}

void DeleteJob::createMarker(std::function<void()> next)
{
    const QString endpoint = m_client->endpoint().toUrl();
    // What an interrupted deploy of this box left: removed by this delete (removeLeftovers).
    const DeployJournal::Entry previous = m_journal.read(endpoint, m_name);
    if (!previous.previous.isEmpty()) {
        fail(Error(Kind::Conflict,
                   QStringLiteral("an interrupted redeploy of %1 (%2) is not recovered yet; run "
                                  "`boxctl gc` or restart the console")
                       .arg(m_name, previous.deployId)),
             JobStep::Stop);
        return;
    }
    m_entry = previous;
    m_previousMarker = previous.marker;
    m_entry.deployId = m_opId;
    m_entry.endpoint = endpoint;
    m_entry.box = m_name;
    m_entry.kind = QStringLiteral("delete");
    m_entry.marker = oplabels::markerVolume(m_opId);
    m_journal.write(m_entry); // the intent, before the marker is sent
    QMap<QString, QString> l = m_options.extraLabels;
    l.insert(oplabels::op(), m_opId);
    l.insert(oplabels::opKind(), QStringLiteral("delete"));
    l.insert(oplabels::opBox(), m_name);
    l.insert(oplabels::opStarted(), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    l.insert(oplabels::opHolder(), opholder::current());
    if (m_keepData)
        l.insert(oplabels::opKeepData(), QStringLiteral("1"));
    if (m_options.dev)
        l.insert(oplabels::opDev(), QStringLiteral("1"));
    if (!m_owner.isEmpty())
        l.insert(labels::owner(), m_owner);
    onFinished(
        m_client->createVolume(m_entry.marker, l), this,
        [this, next](const Result<docker::VolumeInfo> &r) {
            if (!r) {
                fail(r.error().withContext(QStringLiteral("record the operation on the engine")),
                     JobStep::Stop);
                return;
            }
            next();
        },
        WhenReady::RunNow);
}

void DeleteJob::writeKeptRecord()
{
    // Volume labels cannot change: the record is a volume of its own, which says that the
    // box's volumes are kept on purpose (and since when, for whom).
    QMap<QString, QString> l = m_options.extraLabels;
    l.insert(oplabels::kept(), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    l.insert(oplabels::keptBox(), m_name);
    if (!m_owner.isEmpty())
        l.insert(labels::owner(), m_owner);
    if (m_options.dev)
        l.insert(labels::dev(), QStringLiteral("1"));
    m_entry.volumes.removeAll(oplabels::keptVolume(m_name));
    m_journal.write(m_entry);
    onFinished(
        m_client->createVolume(oplabels::keptVolume(m_name), l), this,
        [this](const Result<docker::VolumeInfo> &r) {
            if (!r) {
                fail(r.error(), JobStep::Remove);
                return;
            }
            removeVolumes();
        },
        WhenReady::RunNow);
}

void DeleteJob::removeMarker()
{
    if (!m_previousMarker.isEmpty()) { // the interrupted deploy's, whose leftovers are gone
        onFinished(
            m_client->removeVolume(std::exchange(m_previousMarker, QString()), true), this,
            [this](const VoidResult &) { removeMarker(); }, WhenReady::RunNow);
        return;
    }
    onFinished(
        m_client->removeVolume(m_entry.marker, true), this,
        [this](const VoidResult &r) {
            if (!r && r.error().kind() != Kind::NotFound) {
                fail(r.error(), JobStep::Remove);
                return;
            }
            m_journal.remove(m_client->endpoint().toUrl(), m_name);
            m_info.state = BoxInfo::State::Removing;
            m_info.health = BoxInfo::Health::None;
            finish(m_info);
        },
        WhenReady::RunNow);
}

void DeleteJob::stopBox()
{
    onFinished(
        m_client->stopContainer(m_containerId, m_options.stopTimeoutSec), this,
        [this](const VoidResult &r) {
            if (!r && r.error().kind() != Kind::NotFound) {
                fail(r.error(), JobStep::Stop);
                return;
            }
            removeContainers();
        },
        WhenReady::RunNow);
}

void DeleteJob::removeContainers()
{
    startStep(JobStep::Remove, QStringLiteral("Removing %1").arg(m_name));
    if (cancelled(JobStep::Remove))
        return;
    docker::Filters filters;
    filters.insert(QStringLiteral("label"), {labels::box() + QLatin1Char('=') + m_name});
    onFinished(
        m_client->listContainers(true, filters), this,
        [this](const Result<QList<docker::ContainerSummary>> &list) {
            if (!list) {
                fail(list.error(), JobStep::Remove);
                return;
            }
            QStringList ids;
            if (!m_containerId.isEmpty())
                ids << m_containerId;
            for (const auto &c : list.value())
                if (!ids.contains(c.id) &&
                    m_options.dev == (c.labels.value(labels::dev()) == QLatin1String("1")))
                    ids << c.id;
            auto *client = m_client.data();
            forEach(
                ids, JobStep::Remove,
                [client](const QString &id) { return client->removeContainer(id, true, true); },
                [this] { removeLeftovers(); });
        },
        WhenReady::RunNow);
}

void DeleteJob::removeLeftovers()
{
    // What an interrupted deploy of this box recorded but could not remove.
    const DeployJournal::Entry e = m_journal.read(m_client->endpoint().toUrl(), m_name);
    auto *client = m_client.data();
    forEach(
        e.containers, JobStep::Remove,
        [client](const QString &id) { return client->removeContainer(id, true, true); },
        [this, e, client] {
            // Secrets are never user data: gone with the box even when its data is kept.
            const QString secrets = security::HardeningProfile::secretsVolumeName(m_name);
            forEach(
                m_keepData ? (e.volumes.contains(secrets) ? QStringList{secrets} : QStringList())
                           : e.volumes,
                JobStep::Remove,
                [client](const QString &v) { return client->removeVolume(v, true); },
                [this] {
                    if (m_keepData)
                        writeKeptRecord();
                    else
                        removeVolumes();
                });
        });
}

void DeleteJob::removeVolumes()
{
    // The secrets volume goes even with keep-data: it holds no user data, and secrets must
    // not outlive the box.
    QStringList names = {security::HardeningProfile::secretsVolumeName(m_name)};
    if (m_keepData) {
        emit progress(QStringLiteral("Keeping the volumes of %1 (not its secrets)").arg(m_name));
    } else {
        emit progress(QStringLiteral("Removing the volumes of %1").arg(m_name));
        names = security::HardeningProfile::volumeNames(m_name) + names;
    }
    auto *client = m_client.data();
    const QString name = m_name;
    // Only volumes that carry this box's label: a same-named volume of someone else stays.
    forEach(
        names, JobStep::Remove,
        [client, name](const QString &v) {
            AsyncResult<void> async;
            onFinished(
                client->inspectVolume(v), client,
                [client, async, name, v](const Result<docker::VolumeInfo> &info) {
                    if (!info) {
                        async.finish(info.error());
                        return;
                    }
                    if (info->labels.value(labels::box()) != name) {
                        async.finish(VoidResult());
                        return;
                    }
                    onFinished(
                        client->removeVolume(v, true), client,
                        [async](const VoidResult &r) { async.finish(r); }, WhenReady::RunNow);
                },
                WhenReady::RunNow);
            return async.future();
        },
        [this] { removeNetworks(); });
}

void DeleteJob::removeNetworks()
{
    if (m_options.dev) {
        done(); // the dev network is shared by all dev boxes
        return;
    }
    const QString net = security::HardeningProfile::networkName(m_name);
    auto *client = m_client.data();
    const QString name = m_name;
    onFinished(
        client->inspectNetwork(net), this,
        [this, client, net, name](const Result<docker::NetworkInfo> &n) {
            if (!n) {
                if (n.error().kind() == Kind::NotFound)
                    done();
                else
                    fail(n.error(), JobStep::Remove);
                return;
            }
            if (n->labels.value(labels::box()) != name) {
                done();
                return;
            }
            emit progress(QStringLiteral("Removing network %1").arg(net));
            // Traefik (or anything else still attached) would keep the network alive.
            QStringList attached = n->containerIds;
            forEach(
                attached, JobStep::Remove,
                [client, net](const QString &c) { return client->disconnectNetwork(net, c, true); },
                [this, client, net] {
                    forEach(
                        {net}, JobStep::Remove,
                        [client](const QString &network) { return client->removeNetwork(network); },
                        [this] { done(); });
                });
        },
        WhenReady::RunNow);
}

void DeleteJob::done()
{
    // Grants are per box name on this host (see DeployJob::resolveEgress): a box of the
    // same name on a remote engine never had this one's.
    const bool egressHere = m_client->endpoint().transport == http::Endpoint::Transport::Unix ||
                            m_options.egressRemoteEngine;
    if (!m_egressRevoked && egressHere && !m_options.egressGrantsDir.isEmpty()) {
        m_egressRevoked = true;
        const QString box = m_name;
        const DeployOptions options = m_options;
        onFinished(
            QtConcurrent::run([box, options] { return BoxEgress::revoke(box, options); }), this,
            [this](const VoidResult &r) {
                if (!r) {
                    fail(r.error(), JobStep::RevokeEgress);
                    return;
                }
                done();
            },
            WhenReady::RunNow);
        return;
    }
    removeMarker();
}

} // namespace bc::boxes
