#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QFuture>
#include <QMap>
#include <QObject>
#include <QString>

namespace bc::docker {
class DockerClient;
}

namespace bc::policy {

// "Keep this box alive until T", stored on the engine so that a policy service on another
// machine sees it. A container's labels cannot change, so each bump creates a small
// volume named box-console-keepalive.<box>.<until> labelled with the box and the time,
// then removes the box's older ones: the newest record is in place before the old one
// goes, so a reader never sees a gap. A volume needs no image and no running process, and
// its create event tells a service following volume events to look at the box again.
class KeepAlive
{
public:
    static QString boxLabel();   // box-console.keepalive-box
    static QString untilLabel(); // box-console.keepalive-until (unix seconds)
    static QString namePrefix(); // "box-console-keepalive."
    static QString volumeName(const QString &box, qint64 untilSecs);
    // The box a keep-alive volume belongs to ("" when the name is not one).
    static QString boxOfVolume(const QString &volumeName);

    // The latest keep-alive of a box; invalid when none.
    static QFuture<Result<QDateTime>> read(docker::DockerClient *client, QObject *guard,
                                           const QString &box);
    // Every box's keep-alive in one call (a resync of a whole engine).
    static QFuture<Result<QMap<QString, QDateTime>>> readAll(docker::DockerClient *client,
                                                             QObject *guard);
    // Records `until` (extra labels such as a test marker go on the volume too) and drops
    // the box's older records.
    static QFuture<VoidResult> set(docker::DockerClient *client, QObject *guard, const QString &box,
                                   const QDateTime &until,
                                   const QMap<QString, QString> &extraLabels = {});
    // Drops every record of the box (after it was deleted).
    static QFuture<VoidResult> clear(docker::DockerClient *client, QObject *guard,
                                     const QString &box);
};

} // namespace bc::policy
