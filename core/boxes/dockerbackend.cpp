#include "core/boxes/dockerbackend.h"

#include "core/boxes/boxlabels.h"
#include "core/boxes/deletejob.h"
#include "core/boxes/deployjob.h"
#include "core/boxes/dockerboxinfo.h"
#include "core/docker/dockerclient.h"
#include "core/docker/eventwatcher.h"
#include "core/docker/logstream.h"
#include "core/docker/statssampler.h"
#include "core/util/futureutil.h"

#include <QDateTime>
#include <QMetaMethod>

namespace bc::boxes {

using Kind = Error::Kind;

DockerBackend::DockerBackend(const http::Endpoint &endpoint, DeployOptions options, QObject *parent)
    : BoxBackend(parent)
    , m_ownedClient(std::make_unique<docker::DockerClient>(endpoint))
    , m_client(m_ownedClient.get())
    , m_options(std::move(options))
{
    init();
}

DockerBackend::DockerBackend(docker::DockerClient *client, DeployOptions options, QObject *parent)
    : BoxBackend(parent)
    , m_client(client)
    , m_options(std::move(options))
{
    init();
}

DockerBackend::~DockerBackend()
{
    setWatching(false);
}

void DockerBackend::init()
{
    m_stats = new docker::StatsSampler(m_client, this);
    bool ok = false;
    const int envTimeout = qEnvironmentVariableIntValue("BOX_ENGINE_TIMEOUT_MS", &ok);
    if (ok && envTimeout >= 0)
        m_listTimeoutMs = envTimeout;
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(50); // coalesces the bursts of one start (create, start, …)
    connect(&m_refreshTimer, &QTimer::timeout, this, &DockerBackend::refreshPending);
}

QString DockerBackend::id() const
{
    return kind() + QLatin1Char(':') + (m_client ? m_client->endpoint().toUrl() : QString());
}

QString DockerBackend::displayHost() const
{
    if (!m_client)
        return {};
    // Admins know their engines by context name ("prod"), the URL says where it is.
    const http::Endpoint &e = m_client->endpoint();
    return e.contextName.isEmpty() ? e.toUrl()
                                   : QStringLiteral("%1 (%2)").arg(e.contextName, e.toUrl());
}

BoxInfo DockerBackend::base() const
{
    BoxInfo b;
    b.backendId = id();
    b.backendKind = kind();
    b.host = displayHost();
    return b;
}

bool DockerBackend::accepts(const QMap<QString, QString> &l) const
{
    return l.contains(labels::box()) && l.value(labels::dev()) != QLatin1String("1");
}

docker::Filters DockerBackend::listFilters() const
{
    docker::Filters filters;
    filters.insert(QStringLiteral("label"), {labels::box()});
    return filters;
}

QFuture<Result<QList<BoxInfo>>> DockerBackend::list()
{
    AsyncResult<QList<BoxInfo>> async;
    ++m_listsInFlight;
    onFinished(
        m_client->listContainers(true, listFilters()), this,
        [this, async](const Result<QList<docker::ContainerSummary>> &r) {
            if (--m_listsInFlight == 0 && m_watchAfterList) {
                m_watchAfterList = false;
                QMetaObject::invokeMethod(
                    this, [this] { setWatching(true); }, Qt::QueuedConnection);
            }
            if (!r) {
                async.finish(r.error());
                return;
            }
            QList<BoxInfo> out;
            const BoxInfo b = base();
            for (const auto &c : r.value())
                if (accepts(c.labels) && !m_destroyed.contains(c.id)) {
                    out << dockerinfo::fromSummary(c, b);
                    markStopped(out.last());
                }
            async.finish(out);
        },
        WhenReady::RunNow);
    if (m_listTimeoutMs > 0 && !async.isFinished()) {
        // The request itself keeps its own (long) limits; this answer wins the race. The
        // timer is the backend's child: deleting the backend must cancel the list at once,
        // not hold its result open until the timer would have fired.
        const int ms = m_listTimeoutMs;
        auto *timer = new QTimer(this);
        timer->setSingleShot(true);
        timer->setTimerType(Qt::PreciseTimer); // a coarse one may fire up to 5 % early
        connect(timer, &QTimer::timeout, this, [async, ms, timer, host = displayHost()] {
            async.finish(
                Error(Kind::Timeout, QStringLiteral("no answer from the engine at %1 within %2 s")
                                         .arg(host)
                                         .arg(ms / 1000.0)));
            timer->deleteLater();
        });
        onFinished(async.future(), timer,
                   [timer](const Result<QList<BoxInfo>> &) { timer->deleteLater(); });
        timer->start(ms);
    }
    return async.future();
}

QFuture<Result<docker::ContainerInspect>> DockerBackend::inspect(const QString &boxId)
{
    AsyncResult<docker::ContainerInspect> async;
    onFinished(
        m_client->inspectContainer(boxId), this,
        [this, async, boxId](const Result<docker::ContainerInspect> &r) {
            if (r && !accepts(r->labels)) {
                async.finish(Error(Kind::NotFound,
                                   QStringLiteral("%1 is not a box of this backend").arg(boxId)));
                return;
            }
            async.finish(r);
        },
        WhenReady::RunNow);
    return async.future();
}

QFuture<Result<BoxInfo>> DockerBackend::status(const QString &boxId)
{
    AsyncResult<BoxInfo> async;
    onFinished(
        inspect(boxId), this,
        [this, async](const Result<docker::ContainerInspect> &r) {
            if (!r)
                async.finish(r.error());
            else {
                BoxInfo info = dockerinfo::fromInspect(r.value(), base());
                markStopped(info);
                async.finish(info);
            }
        },
        WhenReady::RunNow);
    return async.future();
}

BoxJob *DockerBackend::deploy(const security::BoxSpec &spec)
{
    return new DeployJob(m_client, spec, m_options, base(), this);
}

BoxJob *DockerBackend::remove(const QString &boxId, bool keepData)
{
    return new DeleteJob(m_client, boxId, keepData, m_options, base(), this);
}

QFuture<VoidResult> DockerBackend::boxCall(const QString &boxId, const QString &what,
                                           std::function<QFuture<VoidResult>(const QString &)> call)
{
    AsyncResult<void> async;
    onFinished(
        inspect(boxId), this,
        [this, async, call, what, boxId](const Result<docker::ContainerInspect> &r) {
            if (!r) {
                async.finish(r.error().withContext(what + QLatin1Char(' ') + boxId));
                return;
            }
            onFinished(
                call(r->id), this, [async](const VoidResult &v) { async.finish(v); },
                WhenReady::RunNow);
        },
        WhenReady::RunNow);
    return async.future();
}

QFuture<VoidResult> DockerBackend::start(const QString &boxId)
{
    return boxCall(boxId, QStringLiteral("start"),
                   [this](const QString &id) { return m_client->startContainer(id); });
}

QFuture<VoidResult> DockerBackend::stop(const QString &boxId)
{
    return boxCall(boxId, QStringLiteral("stop"), [this](const QString &id) {
        return m_client->stopContainer(id, m_options.stopTimeoutSec);
    });
}

QFuture<VoidResult> DockerBackend::restart(const QString &boxId)
{
    return boxCall(boxId, QStringLiteral("restart"), [this](const QString &id) {
        return m_client->restartContainer(id, m_options.stopTimeoutSec);
    });
}

QFuture<Result<QStringList>> DockerBackend::recentLogs(const QString &boxId, int tail)
{
    AsyncResult<QStringList> async;
    onFinished(
        inspect(boxId), this,
        [this, async, tail](const Result<docker::ContainerInspect> &r) {
            if (!r) {
                async.finish(r.error());
                return;
            }
            docker::LogOptions options;
            options.tail = tail;
            options.tty = r->tty;
            auto *stream = m_client->logs(r->id, options);
            auto buffer = std::make_shared<QByteArray>();
            connect(stream, &docker::LogStream::linesReceived, this,
                    [buffer](const QList<docker::LogLine> &lines) {
                        for (const auto &l : lines)
                            if (buffer->size() < 4 * 1024 * 1024)
                                buffer->append(l.text);
                    });
            connect(stream, &docker::LogStream::finished, this,
                    [async, buffer](const VoidResult &v) {
                        if (!v) {
                            async.finish(v.error());
                            return;
                        }
                        QStringList lines = QString::fromUtf8(*buffer).split(QLatin1Char('\n'));
                        if (!lines.isEmpty() && lines.last().isEmpty())
                            lines.removeLast();
                        async.finish(lines);
                    });
        },
        WhenReady::RunNow);
    return async.future();
}

void DockerBackend::connectNotify(const QMetaMethod &signal)
{
    if (signal == QMetaMethod::fromSignal(&BoxBackend::boxChanged) ||
        signal == QMetaMethod::fromSignal(&BoxBackend::boxRemoved) ||
        signal == QMetaMethod::fromSignal(&BoxBackend::connectionChanged))
        QMetaObject::invokeMethod(
            this,
            [this] {
                // The watcher re-lists once subscribed; while a first list is on its way
                // (a console starting), that second full list would compete with it for
                // the engine. Subscribe when the first one is in: its re-list still runs
                // after the subscription, so nothing is missed.
                if (m_listsInFlight > 0)
                    m_watchAfterList = true;
                else
                    setWatching(true);
            },
            Qt::QueuedConnection);
}

void DockerBackend::setWatching(bool on)
{
    if (!on)
        m_watchAfterList = false;
    if (on == (m_watcher != nullptr) || !m_client)
        return;
    if (!on) {
        m_watcher->stop();
        delete m_watcher;
        m_watcher = nullptr;
        return;
    }
    docker::Filters filters;
    filters.insert(QStringLiteral("type"), {QStringLiteral("container")});
    filters.insert(QStringLiteral("label"), {labels::box()});
    m_watcher = new docker::EventWatcher(m_client, filters, this);
    connect(m_watcher, &docker::EventWatcher::eventReceived, this, &DockerBackend::onEvent);
    connect(m_watcher, &docker::EventWatcher::connected, this, [this] {
        if (!m_connected) {
            m_connected = true;
            emit connectionChanged(true, QString());
        }
    });
    connect(m_watcher, &docker::EventWatcher::disconnected, this, [this](const QString &reason) {
        if (m_connected) {
            m_connected = false;
            emit connectionChanged(false, reason);
        }
    });
    // Events were possibly missed (first subscription, reconnect): re-list and report
    // every box, and the ones that disappeared meanwhile.
    connect(m_watcher, &docker::EventWatcher::resyncNeeded, this, [this] {
        // A box an event names while the list is on its way may be listed as it was before
        // (a removed one as still there, a new one as missing): the event's word is newer.
        auto touched = std::make_shared<QSet<QString>>();
        m_touchedWhileListing << touched;
        onFinished(
            list(), this,
            [this, touched](const Result<QList<BoxInfo>> &r) {
                m_touchedWhileListing.removeOne(touched);
                if (!r)
                    return;
                QSet<QString> seen;
                for (const BoxInfo &b : r.value()) {
                    seen.insert(b.id);
                    if (touched->contains(b.id))
                        continue;
                    m_known.insert(b.id);
                    emit boxChanged(b);
                }
                const QSet<QString> gone = m_known - seen - *touched;
                m_known -= gone;
                for (const QString &id : gone)
                    emit boxRemoved(this->id(), id);
            },
            WhenReady::RunNow);
    });
    m_watcher->start();
}

void DockerBackend::onEvent(const docker::Event &event)
{
    // Health probes are execs: one create/start/die triple per interval, no state change.
    if (event.action.startsWith(QLatin1String("exec_")))
        return;
    if (!accepts(event.attributes))
        return;
    const QString cid = event.actorId;
    for (const auto &touched : std::as_const(m_touchedWhileListing))
        touched->insert(cid);
    if (event.action == QLatin1String("destroy")) {
        noteDestroyed(cid);
        m_pendingRefresh.remove(cid);
        m_known.remove(cid);
        m_stopped.remove(cid);
        m_dying.remove(cid);
        emit boxRemoved(id(), cid);
        return;
    }
    if (event.action == QLatin1String("start")) {
        m_stopped.remove(cid);
        m_dying.remove(cid);
    } else if (event.action == QLatin1String("stop")) {
        m_stopped.insert(cid);
        m_dying.remove(cid);
    } else if (event.action == QLatin1String("die")) {
        // `docker stop` sends kill, die, then stop: a box reported exited at "die" would
        // read as a crash. `docker rm -f` sends destroy instead, and a crash nothing.
        m_dying.insert(cid);
        QTimer::singleShot(StopEventWaitMs, this, [this, cid] {
            if (!m_dying.remove(cid))
                return;
            m_pendingRefresh.insert(cid);
            if (!m_refreshTimer.isActive())
                m_refreshTimer.start();
        });
        return;
    }
    m_pendingRefresh.insert(cid);
    if (!m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void DockerBackend::noteDestroyed(const QString &containerId)
{
    // Engines never reuse a container id, so this only has to outlive the answers that
    // were on their way when the destroy event came: minutes, not the console's lifetime.
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (m_destroyed.size() >= 4096)
        m_destroyed.removeIf([now](const auto &it) { return now - it.value() > 600; });
    m_destroyed.insert(containerId, now);
}

void DockerBackend::refreshPending()
{
    const QSet<QString> ids = std::exchange(m_pendingRefresh, {});
    for (const QString &cid : ids) {
        onFinished(
            status(cid), this,
            [this, cid](const Result<BoxInfo> &r) {
                // Inspected before its destroy event, answered after it ("removing").
                if (m_destroyed.contains(cid))
                    return;
                if (r) {
                    // Exited but its stop event may still come: reported when it does.
                    if (m_dying.contains(cid) && r->state != BoxInfo::State::Running)
                        return;
                    m_known.insert(cid);
                    emit boxChanged(r.value());
                } else if (r.error().kind() == Kind::NotFound && m_known.remove(cid)) {
                    emit boxRemoved(id(), cid);
                }
            },
            WhenReady::RunNow);
    }
}

void DockerBackend::markStopped(BoxInfo &box) const
{
    if ((box.state == BoxInfo::State::Exited || box.state == BoxInfo::State::Dead) &&
        m_stopped.contains(box.id))
        box.stoppedBy = QStringLiteral("docker stop");
}

} // namespace bc::boxes
