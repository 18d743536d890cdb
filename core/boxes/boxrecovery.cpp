#include "core/boxes/boxrecovery.h"

#include "core/boxes/boxlabels.h"
#include "core/boxes/deployjournal.h"
#include "core/boxes/enginelease.h"
#include "core/boxes/opholder.h"
#include "core/boxes/oplabels.h"
#include "core/docker/dockerclient.h"
#include "core/security/hardeningprofile.h"

#include "core/util/futureutil.h"

#include <QDateTime>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QSet>
#include <QThread>
#include <QtConcurrent>

namespace bc::boxes {

using Kind = Error::Kind;
using security::HardeningProfile;

namespace {

QString ageOf(const QString &iso)
{
    const QDateTime t = QDateTime::fromString(iso, Qt::ISODate);
    if (!t.isValid())
        return QStringLiteral("unknown age");
    const qint64 s = t.secsTo(QDateTime::currentDateTimeUtc());
    if (s >= 86400)
        return QStringLiteral("%1 d").arg(s / 86400);
    if (s >= 3600)
        return QStringLiteral("%1 h").arg(s / 3600);
    if (s >= 60)
        return QStringLiteral("%1 min").arg(s / 60);
    return QStringLiteral("%1 s").arg(qMax<qint64>(0, s));
}

docker::Filters labelFilter(const QString &label)
{
    docker::Filters f;
    f.insert(QStringLiteral("label"), {label});
    return f;
}

bool isDev(const QMap<QString, QString> &l)
{
    return l.value(labels::dev()) == QLatin1String("1");
}

// One recovery pass over one engine.
class Pass
{
public:
    Pass(docker::DockerClient &client, const BoxRecovery::Options &options, RecoveryReport &report)
        : c(client)
        , o(options)
        , rep(report)
        , journal(options.journalDir)
    {}

    Result<void> run();

private:
    // Runs (unless dry-run) and reports one removal; false when it failed.
    bool act(const QString &what, const std::function<VoidResult()> &call)
    {
        if (o.dryRun) {
            rep.actions << QStringLiteral("would %1").arg(what);
            return true;
        }
        const VoidResult r = call();
        if (!r && r.error().kind() != Kind::NotFound) {
            rep.actions << QStringLiteral("could not %1: %2").arg(what, r.error().message());
            return false;
        }
        rep.actions << what;
        if (r)
            ++rep.removed;
        return true;
    }
    bool removeContainer(const QString &id, const QString &why)
    {
        return act(QStringLiteral("remove container %1 (%2)").arg(id.left(12), why),
                   [&]() -> VoidResult {
                       VoidResult r = waitOnLocalLoop(c.removeContainer(id, true, true));
                       // A killed process's removal the engine is still carrying out
                       // ("removal … already in progress"): done once it is gone.
                       for (int i = 0; i < 60 && !r && r.error().kind() == Kind::Conflict &&
                                       r.error().message().contains(QLatin1String("progress"));
                            ++i) {
                           QThread::msleep(500);
                           const auto still = waitOnLocalLoop(c.inspectContainer(id));
                           if (!still && still.error().kind() == Kind::NotFound)
                               return VoidResult();
                           r = waitOnLocalLoop(c.removeContainer(id, true, true));
                       }
                       return r;
                   });
    }
    bool removeVolume(const QString &name, const QString &why)
    {
        return act(QStringLiteral("remove volume %1 (%2)").arg(name, why),
                   [&] { return waitOnLocalLoop(c.removeVolume(name, true)); });
    }
    bool removeNetwork(const QString &name, const QString &why)
    {
        return act(QStringLiteral("remove network %1 (%2)").arg(name, why), [&]() -> VoidResult {
            const auto n = waitOnLocalLoop(c.inspectNetwork(name));
            if (!n)
                return n.error();
            // Traefik (or anything else attached) would keep it alive.
            for (const QString &attached : n->containerIds)
                (void)waitOnLocalLoop(c.disconnectNetwork(name, attached, true));
            return waitOnLocalLoop(c.removeNetwork(n->id));
        });
    }

    bool rollbackDeploy(const docker::VolumeInfo &marker);
    bool finishDelete(const docker::VolumeInfo &marker);

    docker::DockerClient &c;
    const BoxRecovery::Options &o;
    RecoveryReport &rep;
    DeployJournal journal;
};

bool Pass::rollbackDeploy(const docker::VolumeInfo &marker)
{
    const QString op = marker.labels.value(oplabels::op());
    const QString box = marker.labels.value(oplabels::opBox());
    const QString previous = marker.labels.value(oplabels::opPrevious());
    const bool previousRunning =
        marker.labels.value(oplabels::opPreviousRunning()) == QLatin1String("1");
    const QString why = QStringLiteral("interrupted deploy %1 of %2").arg(op, box);
    const QString deployLabel = labels::deployId() + QLatin1Char('=') + op;
    bool ok = true;
    const auto containers = waitOnLocalLoop(c.listContainers(true, labelFilter(deployLabel)));
    const auto networks = waitOnLocalLoop(c.listNetworks(labelFilter(deployLabel)));
    const auto volumes = waitOnLocalLoop(c.listVolumes(labelFilter(deployLabel)));
    if (!containers || !networks || !volumes)
        return false;
    for (const auto &ct : containers.value())
        if (ct.id != previous)
            ok = removeContainer(ct.id, why) && ok;
    for (const auto &n : networks.value())
        ok = removeNetwork(n.name, why) && ok;
    for (const auto &v : volumes.value())
        ok = removeVolume(v.name, why) && ok;
    if (!o.dryRun) // a cache, not worth failing on
        if (const auto images = waitOnLocalLoop(c.listImages(labelFilter(deployLabel))))
            for (const auto &i : images.value())
                (void)waitOnLocalLoop(c.removeImage(i.id));
    if (!previous.isEmpty()) {
        const auto prev = waitOnLocalLoop(c.inspectContainer(previous));
        if (!prev && prev.error().kind() != Kind::NotFound)
            return false;
        if (prev) {
            const QString what = QStringLiteral("restore the previous container of %1 (%2)")
                                     .arg(box, previous.left(12));
            if (o.dryRun) {
                rep.actions << QStringLiteral("would %1").arg(what);
            } else {
                VoidResult r;
                if (prev->name != box)
                    r = waitOnLocalLoop(c.renameContainer(previous, box));
                if (r && previousRunning && !prev->running)
                    r = waitOnLocalLoop(c.startContainer(previous));
                if (!r) {
                    rep.actions
                        << QStringLiteral("could not %1: %2").arg(what, r.error().message());
                    return false;
                }
                rep.actions << what;
                ++rep.restored;
            }
        }
    }
    if (!ok)
        return false; // the marker stays: the next recovery tries again
    return removeVolume(marker.name, QStringLiteral("marker of %1").arg(why));
}

bool Pass::finishDelete(const docker::VolumeInfo &marker)
{
    const QString op = marker.labels.value(oplabels::op());
    const QString box = marker.labels.value(oplabels::opBox());
    const bool keep = marker.labels.value(oplabels::opKeepData()) == QLatin1String("1");
    const bool dev = marker.labels.value(oplabels::opDev()) == QLatin1String("1");
    const QString why = QStringLiteral("interrupted delete %1 of %2").arg(op, box);
    const QString boxLabel = labels::box() + QLatin1Char('=') + box;
    bool ok = true;
    const auto containers = waitOnLocalLoop(c.listContainers(true, labelFilter(boxLabel)));
    const auto volumes = waitOnLocalLoop(c.listVolumes(labelFilter(boxLabel)));
    if (!containers || !volumes)
        return false;
    for (const auto &ct : containers.value())
        if (isDev(ct.labels) == dev)
            ok = removeContainer(ct.id, why) && ok;
    const QString secrets = HardeningProfile::secretsVolumeName(box);
    if (keep) {
        QMap<QString, QString> l = o.extraLabels;
        l.insert(oplabels::kept(), marker.labels.value(oplabels::opStarted()));
        l.insert(oplabels::keptBox(), box);
        if (marker.labels.contains(labels::owner()))
            l.insert(labels::owner(), marker.labels.value(labels::owner()));
        if (dev)
            l.insert(labels::dev(), QStringLiteral("1"));
        ok = act(QStringLiteral("record the kept data of %1").arg(box),
                 [&]() -> VoidResult {
                     const auto r = waitOnLocalLoop(c.createVolume(oplabels::keptVolume(box), l));
                     return r ? VoidResult() : VoidResult(r.error());
                 }) &&
             ok;
    }
    for (const auto &v : volumes.value())
        if (!keep || v.name == secrets)
            ok = removeVolume(v.name, why) && ok;
    if (!dev) {
        const QString net = HardeningProfile::networkName(box);
        const auto n = waitOnLocalLoop(c.inspectNetwork(net));
        if (n && n->labels.value(labels::box()) == box)
            ok = removeNetwork(net, why) && ok;
    }
    if (!ok)
        return false;
    return removeVolume(marker.name, QStringLiteral("marker of %1").arg(why));
}

Result<void> Pass::run()
{
    const QString url = c.endpoint().toUrl();
    const auto markers = waitOnLocalLoop(c.listVolumes(labelFilter(oplabels::op())));
    if (!markers)
        return markers.error();
    QSet<QString> liveOps;   // markers left alone (their process is alive)
    QSet<QString> busyBoxes; // boxes with an operation in flight
    QSet<QString> markerOps; // every marker seen
    for (const auto &m : markers.value()) {
        const QString op = m.labels.value(oplabels::op());
        const QString box = m.labels.value(oplabels::opBox());
        const QString kind = m.labels.value(oplabels::opKind());
        markerOps.insert(op);
        const auto live = opholder::liveness(m.labels.value(oplabels::opHolder()));
        const QDateTime started =
            QDateTime::fromString(m.labels.value(oplabels::opStarted()), Qt::ISODate);
        const bool fresh =
            started.isValid() && started.secsTo(QDateTime::currentDateTimeUtc()) < o.staleAfterSec;
        if (live == opholder::Liveness::Alive || (live == opholder::Liveness::Unknown && fresh)) {
            liveOps.insert(op);
            busyBoxes.insert(box);
            rep.inProgress << QStringLiteral("%1 %2 of %3 (%4)")
                                  .arg(kind, op, box, m.labels.value(oplabels::opHolder()));
            continue;
        }
        busyBoxes.insert(box); // handled here: its objects are not judged below
        if (kind == QLatin1String("delete")) {
            if (finishDelete(m))
                ++rep.finished;
        } else if (rollbackDeploy(m)) {
            ++rep.rolledBack;
        }
    }

    // Journal entries of operations from before markers existed, and of operations whose
    // marker is gone (finished, or recovered above): only the former list anything to do.
    for (const DeployJournal::Entry &e : journal.all()) {
        if (e.endpoint != url || liveOps.contains(e.deployId))
            continue;
        if (e.marker.isEmpty() && e.previous.isEmpty()) {
            const QString why =
                QStringLiteral("recorded leftover of deploy %1 of %2").arg(e.deployId, e.box);
            bool ok = true;
            for (const QString &ct : e.containers)
                ok = removeContainer(ct, why) && ok;
            for (const QString &n : e.networks)
                ok = removeNetwork(n, why) && ok;
            for (const QString &v : e.volumes)
                ok = removeVolume(v, why) && ok;
            if (!ok)
                continue;
        }
        if (!o.dryRun)
            journal.remove(e.endpoint, e.box);
    }

    const auto containers = waitOnLocalLoop(c.listContainers(true, labelFilter(labels::box())));
    const auto volumes = waitOnLocalLoop(c.listVolumes(labelFilter(labels::box())));
    const auto networks = waitOnLocalLoop(c.listNetworks(labelFilter(labels::box())));
    const auto records = waitOnLocalLoop(c.listVolumes(labelFilter(oplabels::kept())));
    if (!containers || !volumes || !networks || !records)
        return Error(Kind::Transport, QStringLiteral("cannot list the engine's box objects"));

    QSet<QString> withContainer;
    for (const auto &ct : containers.value()) {
        const QString box = ct.labels.value(labels::box());
        const auto m = oplabels::previousPattern().match(ct.name());
        if (m.hasMatch() && m.captured(1) == box) { // a box may be named like that too
            // A redeploy whose marker is gone committed: its previous container is surplus.
            if (!markerOps.contains(m.captured(2)))
                removeContainer(ct.id, QStringLiteral("previous container of %1, replaced by "
                                                      "redeploy %2")
                                           .arg(box, m.captured(2)));
            continue;
        }
        withContainer.insert(box);
    }

    QMap<QString, docker::VolumeInfo> kept;
    for (const auto &r : records.value()) {
        const QString box = r.labels.value(oplabels::keptBox());
        if (withContainer.contains(box) && !busyBoxes.contains(box))
            removeVolume(r.name, QStringLiteral("kept-data record of %1, in use again").arg(box));
        else
            kept.insert(box, r);
    }

    for (const auto &n : networks.value()) {
        const QString box = n.labels.value(labels::box());
        if (box.isEmpty() || withContainer.contains(box) || busyBoxes.contains(box))
            continue;
        // A network holds no data: without its box it is a leftover.
        removeNetwork(n.name, QStringLiteral("network of %1, which has no container").arg(box));
    }

    QMap<QString, QStringList> keptVolumes, orphanVolumes;
    for (const auto &v : volumes.value()) {
        const QString box = v.labels.value(labels::box());
        if (withContainer.contains(box) || busyBoxes.contains(box))
            continue;
        if (v.name == HardeningProfile::secretsVolumeName(box)) {
            removeVolume(v.name, QStringLiteral("secrets of %1, which has no container").arg(box));
            continue;
        }
        if (kept.contains(box)) {
            if (o.removeKept)
                removeVolume(v.name, QStringLiteral("kept data of %1 (asked for)").arg(box));
            else
                keptVolumes[box] << v.name;
        } else if (o.removeOrphans) {
            removeVolume(v.name, QStringLiteral("unrecorded data of %1 (asked for)").arg(box));
        } else {
            orphanVolumes[box] << v.name;
        }
    }
    for (auto it = kept.cbegin(); it != kept.cend(); ++it) {
        const QString owner = it->labels.value(labels::owner());
        if (o.removeKept && !withContainer.contains(it.key())) {
            removeVolume(it->name, QStringLiteral("kept-data record of %1").arg(it.key()));
            continue;
        }
        if (withContainer.contains(it.key()))
            continue;
        rep.kept << QStringLiteral("box %1: kept data %2 (owner %3, kept %4 ago)")
                        .arg(it.key(),
                             keptVolumes.value(it.key()).isEmpty()
                                 ? QStringLiteral("(no volumes left)")
                                 : keptVolumes.value(it.key()).join(QStringLiteral(", ")),
                             owner.isEmpty() ? QStringLiteral("-") : owner,
                             ageOf(it->labels.value(oplabels::kept())));
    }
    for (auto it = orphanVolumes.cbegin(); it != orphanVolumes.cend(); ++it)
        rep.orphans << QStringLiteral("box %1 has no container and no kept-data record: %2")
                           .arg(it.key(), it.value().join(QStringLiteral(", ")));
    return {};
}

} // namespace

QString RecoveryReport::summary() const
{
    if (leaseBusy)
        return QStringLiteral("%1: another process (%2) is recovering this engine")
            .arg(endpoint, leaseHolder);
    return QStringLiteral("%1: %2 interrupted deploy(s) rolled back (%3 previous box(es) "
                          "restored), %4 interrupted delete(s) finished, %5 object(s) removed")
        .arg(endpoint)
        .arg(rolledBack)
        .arg(restored)
        .arg(finished)
        .arg(removed);
}

Result<RecoveryReport> BoxRecovery::runNow(const http::Endpoint &endpoint, const Options &options)
{
    docker::DockerClient client(endpoint);
    RecoveryReport report;
    report.endpoint = endpoint.toUrl();
    EngineLease lease(&client, options.extraLabels, options.leaseTtlSec);
    if (!options.dryRun) {
        const auto held = lease.acquire();
        // No image at all: no container can exist either, and nobody else can hold a lease.
        if (!held && held.error().kind() != Kind::NotFound)
            return held.error().withContext(QStringLiteral("recovery lease"));
        if (held && !held.value()) {
            report.leaseBusy = true;
            report.leaseHolder = lease.holder();
            return report;
        }
    }
    Pass pass(client, options, report);
    const auto r = pass.run();
    lease.release();
    if (!r)
        return r.error().withContext(QStringLiteral("recover %1").arg(report.endpoint));
    return report;
}

QFuture<Result<RecoveryReport>> BoxRecovery::run(const http::Endpoint &endpoint,
                                                 const Options &options)
{
    return QtConcurrent::run([endpoint, options] { return runNow(endpoint, options); });
}

} // namespace bc::boxes
