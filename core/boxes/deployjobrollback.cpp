#include "core/boxes/deployjobpipeline.h"

#include "core/boxes/boxegress.h"
#include "core/boxes/boxlabels.h"
#include "core/boxes/oplabels.h"
#include "core/docker/eventstream.h"
#include "core/docker/logoptions.h"
#include "core/docker/logstream.h"

#include <QtConcurrent>

namespace bc::boxes {

// How long a rollback waits before trusting an engine that may be restarting.
static constexpr int EngineSettleMs = 5000;

using docker::ContainerInspect;
using Kind = Error::Kind;
using namespace deploy;

// ---- failure and rollback ---------------------------------------------------------------

void DeployJob::fail(const Error &error)
{
    if (m_failed || isFinished())
        return;
    m_failed = true;
    m_failure = error;
    m_secretValues.clear(); // no secret value outlives the attempt in memory
    m_failedStep = m_step;
    m_healthSettled = true;
    m_healthTimer.stop();
    if (m_events)
        m_events->cancel();
    captureFailedLogs();
}

void DeployJob::captureFailedLogs()
{
    // Before the rollback removes the container: the logs say why it failed.
    if (m_logsCaptured || m_containerId.isEmpty() || !m_client ||
        m_failure.kind() == Kind::Cancelled || m_options.failedLogLines <= 0) {
        keepFailedContainer();
        return;
    }
    m_logsCaptured = true;
    docker::LogOptions options;
    options.tail = m_options.failedLogLines;
    auto *stream = m_client->logs(m_containerId, options);
    auto buffer = std::make_shared<QByteArray>();
    connect(stream, &docker::LogStream::linesReceived, this,
            [buffer](const QList<docker::LogLine> &lines) {
                for (const auto &l : lines)
                    if (buffer->size() < 64 * 1024)
                        buffer->append(l.text);
            });
    auto done = std::make_shared<bool>(false);
    auto proceedOnce = [this, buffer, done] {
        if (*done)
            return;
        *done = true;
        m_failedLogs = QString::fromUtf8(*buffer).trimmed();
        keepFailedContainer();
    };
    connect(stream, &docker::LogStream::finished, this, proceedOnce);
    QTimer::singleShot(5000, this, proceedOnce); // an engine gone away answers nothing
}

void DeployJob::keepFailedContainer()
{
    if (!m_options.keepFailed || m_failedKept || m_containerId.isEmpty() || !m_client ||
        m_failure.kind() == Kind::Cancelled) {
        rollback();
        return;
    }
    m_failedKept = true;
    const QString failedName = oplabels::failedName(m_spec.name, m_deployId);
    emit progress(QStringLiteral("Keeping the failed container as %1 (stopped)").arg(failedName));
    then(m_client->stopContainer(m_containerId, m_options.stopTimeoutSec), [this, failedName](
                                                                               const VoidResult &) {
        if (!m_client) {
            rollback();
            return;
        }
        then(m_client->renameContainer(m_containerId, failedName), [this](const VoidResult &r) {
            if (r) {
                // Kept for inspection, with what it mounts; `delete` removes it.
                m_created.containers.removeAll(m_containerId);
                m_created.volumes.clear();
                m_created.networks.clear();
                m_created.images.clear();
                record();
            }
            rollback();
        });
    });
}

void DeployJob::rollback()
{
    if (m_created.isEmpty()) {
        finishFailure();
        return;
    }
    enter(JobStep::Rollback, QStringLiteral("Removing what this deploy created"));
    // A rollback after the engine went away must not wait for in-flight calls that may
    // never return; rollbackNext works from the recorded list only.
    rollbackNext();
}

void DeployJob::rollbackNext()
{
    if (!m_client) {
        finishFailure();
        return;
    }
    using Entry = DeployJournal::Entry;
    if (!m_created.containers.isEmpty()) {
        const QString id = m_created.containers.first();
        emit progress(QStringLiteral("Removing container %1").arg(id.left(12)));
        rollbackRemove(m_client->removeContainer(id, true, true), &Entry::containers, id);
        return;
    }
    if (!m_created.networks.isEmpty()) {
        const QString net = m_created.networks.first();
        emit progress(QStringLiteral("Removing network %1").arg(net));
        if (m_options.traefikContainer.isEmpty()) {
            rollbackRemove(m_client->removeNetwork(net), &Entry::networks, net);
        } else {
            then(m_client->disconnectNetwork(net, m_options.traefikContainer, true),
                 [this, net](const VoidResult &) {
                     if (!m_client) {
                         finishFailure();
                         return;
                     }
                     rollbackRemove(m_client->removeNetwork(net), &Entry::networks, net);
                 });
        }
        return;
    }
    if (!m_created.volumes.isEmpty()) {
        const QString vol = m_created.volumes.first();
        emit progress(QStringLiteral("Removing volume %1").arg(vol));
        rollbackRemove(m_client->removeVolume(vol, true), &Entry::volumes, vol);
        return;
    }
    if (!m_created.images.isEmpty()) {
        const QString image = m_created.images.takeFirst();
        then(m_client->removeImage(image), [this](const VoidResult &) {
            record();
            rollbackNext();
        });
        return;
    }
    if (!m_replaceId.isEmpty() && !m_previousRestored) {
        restorePrevious();
        return;
    }
    if (!m_created.marker.isEmpty()) {
        const QString marker = m_created.marker;
        then(m_client->removeVolume(marker, true), [this, marker](const VoidResult &r) {
            if (!r && r.error().kind() != Kind::NotFound) {
                if (isTransport(r.error()) || r.error().kind() == Kind::Cancelled) {
                    rollbackWaitForEngine(r.error());
                    return;
                }
                m_rollbackErrors << flatten(r.error());
            }
            m_created.marker.clear();
            m_marker.clear();
            record();
            rollbackNext();
        });
        return;
    }
    if (m_verifyPending) {
        verifyRollback();
        return;
    }
    finishFailure();
}

void DeployJob::rollbackRemove(QFuture<VoidResult> removal, QStringList DeployJournal::Entry::*list,
                               const QString &name)
{
    then(std::move(removal), [this, list, name](const VoidResult &r) {
        const bool gone = r || r.error().kind() == Kind::NotFound;
        if (!gone && (isTransport(r.error()) || r.error().kind() == Kind::Cancelled)) {
            rollbackWaitForEngine(r.error());
            return;
        }
        // Anything else (in use, refused): note it, keep it journalled, go on.
        if (!gone)
            m_rollbackErrors << flatten(r.error());
        (m_created.*list).removeAll(name);
        (m_removed.*list) << name;
        if (gone) {
            m_verifyPending = true;
            record();
        }
        rollbackNext();
    });
}

void DeployJob::restorePrevious()
{
    emit progress(QStringLiteral("Restoring the previous container of %1").arg(m_spec.name));
    // Idempotent, from what the engine says: renamed back unless it already is, started
    // when it was running before.
    then(m_client->inspectContainer(m_replaceId), [this](const Result<ContainerInspect> &c) {
        if (!c && c.error().kind() == Kind::NotFound) {
            m_rollbackErrors << QStringLiteral("the previous container is gone");
            m_previousRestored = true;
            rollbackNext();
            return;
        }
        if (!c) {
            rollbackWaitForEngine(c.error());
            return;
        }
        auto start = [this, running = c->running] {
            if (!m_previousRunning || running || !m_client) {
                m_previousRestored = true;
                m_created.previous.clear();
                record();
                rollbackNext();
                return;
            }
            then(m_client->startContainer(m_replaceId), [this](const VoidResult &r) {
                if (!r && isTransport(r.error())) {
                    rollbackWaitForEngine(r.error());
                    return;
                }
                if (!r)
                    m_rollbackErrors << flatten(r.error());
                m_previousRestored = true;
                m_created.previous.clear();
                record();
                rollbackNext();
            });
        };
        if (c->name.mid(c->name.startsWith(QLatin1Char('/')) ? 1 : 0) == m_spec.name) {
            start();
            return;
        }
        then(m_client->renameContainer(m_replaceId, m_spec.name),
             [this, start](const VoidResult &r) {
                 if (!r && (isTransport(r.error()) || r.error().kind() == Kind::Cancelled)) {
                     rollbackWaitForEngine(r.error());
                     return;
                 }
                 if (!r)
                     m_rollbackErrors << flatten(r.error());
                 start();
             });
    });
}

void DeployJob::noteExternalStop(int exitCode)
{
    // SIGTERM/SIGKILL from outside during the health wait: most often dockerd stopping.
    if (exitCode == 128 + 15 || exitCode == 128 + 9)
        m_engineMayRestart = true;
}

void DeployJob::verifyRollback()
{
    // A daemon that is shutting down answers removals without persisting them, and its
    // inspect says "gone" too; after the restart the objects are back. When the box was
    // killed from outside, check only once the engine has settled (and answers a ping).
    if (m_engineMayRestart) {
        m_engineMayRestart = false;
        emit progress(QStringLiteral("The box was stopped from outside (engine restart?); "
                                     "checking the clean-up once the engine has settled"));
        QTimer::singleShot(EngineSettleMs, this,
                           [this] { whenEngineAnswers([this] { verifyRollback(); }); });
        return;
    }
    if (!m_client) {
        finishFailure();
        return;
    }
    m_verifyPending = false;
    const DeployJournal::Entry removed = std::exchange(m_removed, DeployJournal::Entry{});
    auto remaining = std::make_shared<int>(
        int(removed.containers.size() + removed.networks.size() + removed.volumes.size()));
    auto failedCheck = std::make_shared<bool>(false);
    if (*remaining == 0) {
        finishFailure();
        return;
    }
    // Inspects one removed object; what is still there goes back into m_created.
    auto check = [this, remaining, failedCheck](auto inspection,
                                                QStringList DeployJournal::Entry::*list,
                                                const QString &name) {
        then(std::move(inspection), [this, remaining, failedCheck, list, name](const auto &r) {
            const bool gone = !r && r.error().kind() == Kind::NotFound;
            if (!gone) {
                (m_created.*list).append(name);
                record();
            }
            if (!r && !gone)
                *failedCheck = true;
            if (--*remaining > 0)
                return;
            if (m_created.isEmpty()) {
                finishFailure();
            } else {
                emit progress(QStringLiteral("Some objects are still there; retrying"));
                rollbackWaitForEngine(
                    Error(Kind::Transport,
                          *failedCheck ? QStringLiteral("the engine did not answer")
                                       : QStringLiteral("removed objects are still there")));
            }
        });
    };
    using Entry = DeployJournal::Entry;
    for (const QString &c : removed.containers)
        check(m_client->inspectContainer(c), &Entry::containers, c);
    for (const QString &n : removed.networks)
        check(m_client->inspectNetwork(n), &Entry::networks, n);
    for (const QString &v : removed.volumes)
        check(m_client->inspectVolume(v), &Entry::volumes, v);
}

void DeployJob::rollbackWaitForEngine(const Error &why)
{
    if (!m_engineWait.isValid()) {
        m_engineWait.start();
        emit progress(
            QStringLiteral("The engine is unreachable (%1); waiting up to %2 s to clean up")
                .arg(flatten(why))
                .arg(m_options.engineWaitMs / 1000));
    }
    if (m_engineWait.elapsed() > m_options.engineWaitMs) {
        m_rollbackErrors << flatten(why);
        finishFailure();
        return;
    }
    disconnect(&m_retryTimer, nullptr, this, nullptr);
    connect(&m_retryTimer, &QTimer::timeout, this,
            [this] { whenEngineAnswers([this] { rollbackNext(); }); });
    m_retryTimer.start(1000);
}

void DeployJob::whenEngineAnswers(const std::function<void()> &next)
{
    if (!m_client) {
        finishFailure();
        return;
    }
    // The daemon may have come back as another version: negotiate again.
    m_client->resetNegotiation();
    then(m_client->ping(), [this, next](const Result<docker::PingInfo> &p) {
        if (!p) {
            rollbackWaitForEngine(p.error()); // retries, then goes on with the rollback
            return;
        }
        next();
    });
}

void DeployJob::finishFailure()
{
    if (m_egressGrant) {
        // The proxy stops serving the box (or serves what it had before this deploy).
        const BoxEgress::GrantChange change = *m_egressGrant;
        m_egressGrant.reset();
        const DeployOptions options = m_options;
        then(QtConcurrent::run([change, options] { return BoxEgress::revert(change, options); }),
             [this](const VoidResult &r) {
                 if (!r)
                     emit progress(QStringLiteral("Could not restore the egress grant: %1")
                                       .arg(r.error().message()));
                 finishFailure();
             });
        return;
    }
    const bool wasCancelled = m_failure.kind() == Kind::Cancelled;
    QString message = flatten(m_failure);
    if (m_previousRestored && !m_replaceId.isEmpty())
        message += QStringLiteral("; the previous box was restored");
    if (m_failedKept)
        message += QStringLiteral("; the failed container is kept (stopped) as %1")
                       .arg(oplabels::failedName(m_spec.name, m_deployId));
    if (m_created.isEmpty()) {
        m_journal.remove(m_endpoint, m_spec.name);
        // Validation fails before anything exists: "rolled back" would suggest otherwise.
        if (m_failedStep == JobStep::Validate)
            message += QStringLiteral("; nothing was created");
        else
            message += wasCancelled ? QStringLiteral("; nothing left behind")
                                    : QStringLiteral("; rolled back");
    } else {
        record();
        QStringList left;
        for (const QString &c : m_created.containers)
            left << QStringLiteral("container %1").arg(c.left(12));
        for (const QString &n : m_created.networks)
            left << QStringLiteral("network %1").arg(n);
        for (const QString &v : m_created.volumes)
            left << QStringLiteral("volume %1").arg(v);
        message +=
            QStringLiteral("; rollback incomplete (%1), left behind: %2 (recorded: the next deploy "
                           "or delete of %3 removes them; all labelled box-console.deploy=%4)")
                .arg(m_rollbackErrors.isEmpty() ? QStringLiteral("engine unreachable")
                                                : m_rollbackErrors.last(),
                     left.join(QStringLiteral(", ")), m_spec.name, m_deployId);
    }
    if (!m_failedLogs.isEmpty())
        message += QStringLiteral("\nlast %1 log lines of the failed container:\n%2")
                       .arg(m_failedLogs.count(QLatin1Char('\n')) + 1)
                       .arg(m_failedLogs);
    Error e =
        Error(m_failure.kind(), message, m_failure.httpStatus())
            .withContext(jobStepName(m_failedStep))
            .withContext(QStringLiteral("deploy %1")
                             .arg(m_spec.name.isEmpty() ? QStringLiteral("box") : m_spec.name));
    finish(e);
}

void DeployJob::cleanupLeftovers()
{
    // A previous deploy of this box that could not roll back (engine gone, process killed).
    const DeployJournal::Entry old = m_journal.read(m_endpoint, m_spec.name);
    if (old.isEmpty() || old.deployId == m_deployId) {
        checkNames();
        return;
    }
    if (!old.previous.isEmpty() || old.kind == QLatin1String("delete")) {
        // A redeploy must restore its previous box, a delete must finish: recovery's job.
        fail(Error(Kind::Conflict,
                   QStringLiteral("an interrupted %1 of %2 (%3) is not recovered yet; run "
                                  "`boxctl gc` or restart the console")
                       .arg(old.kind, m_spec.name, old.deployId)));
        return;
    }
    emit progress(
        QStringLiteral("Removing leftovers of an interrupted deploy (%1)").arg(old.deployId));
    auto state = std::make_shared<DeployJournal::Entry>(old);
    if (!state->marker.isEmpty())
        state->volumes << state->marker; // last: it says the rest may still be there
    auto step = std::make_shared<std::function<void()>>();
    *step = [this, state, step] {
        auto done = [this, state, step](const VoidResult &r) {
            if (!r && r.error().kind() != Kind::NotFound && isTransport(r.error())) {
                fail(r.error().withContext(QStringLiteral("remove leftovers")));
                return;
            }
            (*step)();
        };
        if (!state->containers.isEmpty()) {
            then(m_client->removeContainer(state->containers.takeFirst(), true), done);
        } else if (!state->networks.isEmpty()) {
            then(m_client->removeNetwork(state->networks.takeFirst()), done);
        } else if (!state->volumes.isEmpty()) {
            then(m_client->removeVolume(state->volumes.takeFirst()), done);
        } else {
            state->images.clear(); // images are a cache, not a leftover worth failing on
            m_journal.remove(m_endpoint, m_spec.name);
            *step = nullptr; // break the self-reference
            checkNames();
        }
    };
    (*step)();
}

} // namespace bc::boxes
