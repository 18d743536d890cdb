#pragma once

#include "core/boxes/boxinfo.h"
#include "core/boxes/boxjob.h"
#include "core/result.h"
#include "core/security/boxspec.h"

#include <QFuture>
#include <QList>
#include <QObject>

namespace bc::boxes {

// Where boxes live: a Docker engine (docker, docker-dev) or a Coolify instance.
// Implementations: DockerBackend, DockerDevBackend, CoolifyBackend. All calls are async.
class BoxBackend : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual QString id() const = 0;          // stable, used in BoxInfo::backendId
    virtual QString kind() const = 0;        // "docker" | "docker-dev" | "coolify"
    virtual QString displayHost() const = 0;

    virtual QFuture<Result<QList<BoxInfo>>> list() = 0;
    virtual QFuture<Result<BoxInfo>> status(const QString &boxId) = 0;
    virtual BoxJob *deploy(const security::BoxSpec &spec) = 0;
    virtual BoxJob *remove(const QString &boxId, bool keepData) = 0;
    virtual QFuture<VoidResult> start(const QString &boxId) = 0;
    virtual QFuture<VoidResult> stop(const QString &boxId) = 0;
    virtual QFuture<VoidResult> restart(const QString &boxId) = 0;
    // Last `tail` log lines (newest last); backends without logs return NotFound-free empty.
    virtual QFuture<Result<QStringList>> recentLogs(const QString &boxId, int tail) = 0;

signals:
    // Pushed changes (Docker events, Coolify polling) so views need no timer of their own.
    void boxChanged(const bc::boxes::BoxInfo &box);
    void boxRemoved(const QString &backendId, const QString &boxId);
    // Reachability: connected=false carries the reason; the backend retries on its own.
    void connectionChanged(bool connected, const QString &reason);
};

} // namespace bc::boxes
