#include "core/policy/keepalive.h"

#include "core/docker/dockerclient.h"
#include "core/util/async.h"
#include "core/util/futureutil.h"

#include <memory>

namespace bc::policy {

namespace {

QMap<QString, QDateTime> latestByBox(const QList<docker::VolumeInfo> &volumes)
{
    QMap<QString, QDateTime> latest;
    for (const auto &v : volumes) {
        const QString box = v.labels.value(KeepAlive::boxLabel());
        bool ok = false;
        const qint64 secs = v.labels.value(KeepAlive::untilLabel()).toLongLong(&ok);
        if (box.isEmpty() || !ok || secs <= 0)
            continue;
        const QDateTime t = QDateTime::fromSecsSinceEpoch(secs, Qt::UTC);
        if (!latest.contains(box) || latest.value(box) < t)
            latest.insert(box, t);
    }
    return latest;
}

// Removes the given volumes one after the other; what is already gone is done.
void removeEach(docker::DockerClient *client, QObject *guard, QStringList names,
                AsyncResult<void> async)
{
    if (names.isEmpty()) {
        async.finish(VoidResult{});
        return;
    }
    const QString name = names.takeFirst();
    onFinished(client->removeVolume(name, true), guard,
               [client, guard, names, async](const VoidResult &r) {
                   if (!r && r.error().kind() != Error::Kind::NotFound &&
                       r.error().kind() != Error::Kind::Conflict) {
                       async.finish(r.error());
                       return;
                   }
                   removeEach(client, guard, names, async);
               });
}

} // namespace

QString KeepAlive::boxLabel()
{
    return QStringLiteral("box-console.keepalive-box");
}

QString KeepAlive::untilLabel()
{
    return QStringLiteral("box-console.keepalive-until");
}

QString KeepAlive::namePrefix()
{
    return QStringLiteral("box-console-keepalive.");
}

QString KeepAlive::volumeName(const QString &box, qint64 untilSecs)
{
    return namePrefix() + box + QLatin1Char('.') + QString::number(untilSecs);
}

QString KeepAlive::boxOfVolume(const QString &volumeName)
{
    if (!volumeName.startsWith(namePrefix()))
        return {};
    const QString rest = volumeName.mid(namePrefix().size());
    const int dot = rest.lastIndexOf(QLatin1Char('.'));
    return dot > 0 ? rest.left(dot) : QString();
}

QFuture<Result<QDateTime>> KeepAlive::read(docker::DockerClient *client, QObject *guard,
                                           const QString &box)
{
    AsyncResult<QDateTime> async;
    docker::Filters f;
    f.insert(QStringLiteral("label"), {boxLabel() + QLatin1Char('=') + box});
    onFinished(client->listVolumes(f), guard,
               [async, box](const Result<QList<docker::VolumeInfo>> &r) {
                   if (!r) {
                       async.finish(r.error());
                       return;
                   }
                   async.finish(latestByBox(*r).value(box));
               });
    return async.future();
}

QFuture<Result<QMap<QString, QDateTime>>> KeepAlive::readAll(docker::DockerClient *client,
                                                             QObject *guard)
{
    AsyncResult<QMap<QString, QDateTime>> async;
    docker::Filters f;
    f.insert(QStringLiteral("label"), {boxLabel()});
    onFinished(client->listVolumes(f), guard, [async](const Result<QList<docker::VolumeInfo>> &r) {
        if (!r) {
            async.finish(r.error());
            return;
        }
        async.finish(latestByBox(*r));
    });
    return async.future();
}

QFuture<VoidResult> KeepAlive::set(docker::DockerClient *client, QObject *guard, const QString &box,
                                   const QDateTime &until,
                                   const QMap<QString, QString> &extraLabels)
{
    AsyncResult<void> async;
    const qint64 secs = until.toSecsSinceEpoch();
    QMap<QString, QString> l = extraLabels;
    l.insert(boxLabel(), box);
    l.insert(untilLabel(), QString::number(secs));
    const QString name = volumeName(box, secs);
    onFinished(client->createVolume(name, l), guard,
               [client, guard, box, name, async](const Result<docker::VolumeInfo> &r) {
                   if (!r) {
                       async.finish(r.error());
                       return;
                   }
                   docker::Filters f;
                   f.insert(QStringLiteral("label"), {boxLabel() + QLatin1Char('=') + box});
                   onFinished(
                       client->listVolumes(f), guard,
                       [client, guard, name, async](const Result<QList<docker::VolumeInfo>> &list) {
                           // The new record is in place: a failed clean-up of older
                           // ones leaves records that only ever lose to it.
                           if (!list) {
                               async.finish(VoidResult{});
                               return;
                           }
                           QStringList old;
                           for (const auto &v : *list)
                               if (v.name != name)
                                   old << v.name;
                           AsyncResult<void> cleanup;
                           removeEach(client, guard, old, cleanup);
                           onFinished(cleanup.future(), guard,
                                      [async](const VoidResult &) { async.finish(VoidResult{}); });
                       });
               });
    return async.future();
}

QFuture<VoidResult> KeepAlive::clear(docker::DockerClient *client, QObject *guard,
                                     const QString &box)
{
    AsyncResult<void> async;
    docker::Filters f;
    f.insert(QStringLiteral("label"), {boxLabel() + QLatin1Char('=') + box});
    onFinished(client->listVolumes(f), guard,
               [client, guard, async](const Result<QList<docker::VolumeInfo>> &r) {
                   if (!r) {
                       async.finish(r.error());
                       return;
                   }
                   QStringList names;
                   for (const auto &v : *r)
                       names << v.name;
                   removeEach(client, guard, names, async);
               });
    return async.future();
}

} // namespace bc::policy
