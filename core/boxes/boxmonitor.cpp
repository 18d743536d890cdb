#include "core/boxes/boxmonitor.h"

#include "core/util/futureutil.h"

#include "core/boxes/coolifybackend.h"
#include "core/boxes/dockerbackend.h"
#include "core/boxes/dockerboxinfo.h"

#include <QHash>
#include <QTimer>

#include <memory>

namespace bc::boxes {

struct BoxMonitor::Private
{
    struct Backend
    {
        QPointer<BoxBackend> backend;
        QString id;
        bool connected = true;
        QString reason;
        bool resyncing = false;
        bool resyncAgain = false;
        bool statsInFlight = false;
        // While a re-list is on its way: the boxes the backend reported on meanwhile, whose
        // news is newer than what the list will say of them.
        std::shared_ptr<QSet<QString>> touchedWhileListing;
        QList<QMetaObject::Connection> connections;
    };

    BoxMonitor *q;
    QList<Backend> backends;
    QHash<QString, BoxInfo> boxes;
    QHash<QString, docker::StatsSample> samples; // by key: the previous one-shot sample
    QTimer resyncTimer;
    QTimer statsTimer;
    int statsMs = 2000;
    bool running = false;
    static constexpr int MaxInspects = 4;
    QList<std::pair<QString, QString>> inspectQueue; // backend id, box id
    int inspectsInFlight = 0;

    Backend *find(const QString &id)
    {
        for (Backend &b : backends)
            if (b.id == id)
                return &b;
        return nullptr;
    }

    void setConnected(Backend &b, bool connected, const QString &reason)
    {
        if (b.connected == connected && b.reason == reason)
            return;
        const bool reconnected = connected && !b.connected;
        b.connected = connected;
        b.reason = connected ? QString() : reason;
        emit q->backendConnectionChanged(b.id, connected, b.reason);
        if (reconnected)
            resync(b.id); // events were lost while away
    }

    void alerts(const BoxInfo *previous, const BoxInfo &box)
    {
        using S = BoxInfo::State;
        const bool oom = box.statusText.contains(QLatin1String("OOM"));
        const bool wasOom = previous && previous->statusText.contains(QLatin1String("OOM"));
        if (box.health == BoxInfo::Health::Unhealthy &&
            (!previous || previous->health != BoxInfo::Health::Unhealthy))
            emit q->boxAlert(box, QStringLiteral("unhealthy"));
        if (oom && !wasOom)
            emit q->boxAlert(box, QStringLiteral("OOM killed"));
        else if (previous && (previous->state == S::Running || previous->state == S::Restarting) &&
                 (box.state == S::Exited || box.state == S::Dead))
            emit q->boxAlert(box, QStringLiteral("died"));
    }

    void merge(BoxInfo box)
    {
        const QString key = box.key();
        auto it = boxes.find(key);
        if (it == boxes.end()) {
            boxes.insert(key, box);
            emit q->boxAdded(box);
            alerts(nullptr, box);
            if (!box.detailed)
                inspect(box);
            return;
        }
        const BoxInfo previous = it.value();
        // Events and lists carry no resource figures: keep the last ones while running.
        if (box.state == BoxInfo::State::Running) {
            if (box.cpuPercent < 0)
                box.cpuPercent = previous.cpuPercent;
            if (box.memoryUsage < 0)
                box.memoryUsage = previous.memoryUsage;
            if (box.memoryLimit < 0)
                box.memoryLimit = previous.memoryLimit;
            if (box.pids < 0)
                box.pids = previous.pids;
            if (box.netRx < 0) {
                box.netRx = previous.netRx;
                box.netTx = previous.netTx;
                box.blockRead = previous.blockRead;
                box.blockWrite = previous.blockWrite;
            }
        } else {
            samples.remove(key);
        }
        if (!box.startedAt.isValid() && box.state == previous.state)
            box.startedAt = previous.startedAt;
        // A list entry lacks what only an inspect tells: keep it while the state holds.
        if (!box.detailed && previous.detailed && box.state == previous.state) {
            box.detailed = true;
            if (box.exitCode < 0)
                box.exitCode = previous.exitCode;
            box.oomKilled = previous.oomKilled;
            box.hasHealthCheck = previous.hasHealthCheck;
            box.lastHealth = previous.lastHealth;
            box.finishedAt = previous.finishedAt;
            box.cpuLimit = previous.cpuLimit;
            box.memoryUnlimited = previous.memoryUnlimited;
            if (box.memoryUnlimited)
                box.memoryLimit = -1;
        }
        if (box == previous)
            return;
        it.value() = box;
        emit q->boxUpdated(previous, box);
        alerts(&previous, box);
    }

    // A box first seen in a list has no start time, exit code or limits: one inspect.
    // A few at a time: at start-up with 1,000 boxes, 1,000 inspects at once would hold
    // their answers in memory together and hold up the other engines' lists.
    void inspect(const BoxInfo &box)
    {
        inspectQueue.append({box.backendId, box.id});
        inspectNext();
    }

    void inspectNext()
    {
        while (inspectsInFlight < MaxInspects && !inspectQueue.isEmpty()) {
            const auto [backendId, boxId] = inspectQueue.takeFirst();
            Backend *b = find(backendId);
            auto *docker = b ? qobject_cast<DockerBackend *>(b->backend.data()) : nullptr;
            if (!docker || !boxes.contains(backendId + QLatin1Char('/') + boxId))
                continue;
            ++inspectsInFlight;
            onFinished(docker->status(boxId), q, [this](const Result<BoxInfo> &r) {
                --inspectsInFlight;
                if (r && boxes.contains(r->key()))
                    merge(r.value());
                inspectNext();
            });
        }
    }

    void touch(const QString &backendId, const QString &key)
    {
        if (Backend *b = find(backendId); b && b->touchedWhileListing)
            b->touchedWhileListing->insert(key);
    }

    void removeKey(const QString &key)
    {
        samples.remove(key);
        if (boxes.remove(key))
            emit q->boxRemoved(key);
    }

    void resync(const QString &backendId)
    {
        Backend *b = find(backendId);
        if (!b || !b->backend)
            return;
        if (b->resyncing) {
            b->resyncAgain = true;
            return;
        }
        b->resyncing = true;
        auto touched = std::make_shared<QSet<QString>>();
        b->touchedWhileListing = touched;
        QPointer<BoxBackend> backend = b->backend;
        onFinished(backend->list(), q, [this, backendId, touched](const Result<QList<BoxInfo>> &r) {
            Backend *entry = find(backendId);
            if (!entry)
                return;
            entry->resyncing = false;
            entry->touchedWhileListing.reset();
            if (!r) {
                setConnected(*entry, false, r.error().toString());
                emit q->backendListed(backendId, 0, r.error().toString());
            } else {
                QSet<QString> seen;
                for (const BoxInfo &box : r.value()) {
                    seen.insert(box.key());
                    if (!touched->contains(box.key()))
                        merge(box);
                }
                QStringList gone;
                for (auto it = boxes.cbegin(); it != boxes.cend(); ++it)
                    if (it->backendId == backendId && !seen.contains(it.key()) &&
                        !touched->contains(it.key()))
                        gone << it.key();
                for (const QString &key : std::as_const(gone))
                    removeKey(key);
                setConnected(*entry, true, QString());
                emit q->backendListed(backendId, int(r->size()), QString());
            }
            entry = find(backendId); // a handler may have removed it
            if (!entry)
                return;
            if (entry->resyncAgain) {
                entry->resyncAgain = false;
                resync(backendId);
            }
        });
    }

    void pollStats()
    {
        for (Backend &b : backends) {
            auto *docker = qobject_cast<DockerBackend *>(b.backend.data());
            if (!docker || b.statsInFlight || !b.connected)
                continue;
            QList<BoxInfo> runningBoxes;
            for (const BoxInfo &box : std::as_const(boxes))
                if (box.backendId == b.id && box.state == BoxInfo::State::Running)
                    runningBoxes << box;
            if (runningBoxes.isEmpty())
                continue;
            // One-shot requests in parallel: about one round trip for all boxes. With
            // one-shot=1 the engine skips the second sample it otherwise waits about a
            // second for (the CPU delta comes from the monitor's previous sample).
            b.statsInFlight = true;
            auto remaining = std::make_shared<int>(int(runningBoxes.size()));
            const QString backendId = b.id;
            for (const BoxInfo &box : runningBoxes) {
                const QString key = box.key();
                const auto prev = samples.constFind(key);
                const docker::StatsSample *previous =
                    prev == samples.constEnd() ? nullptr : &prev.value();
                const bool hasPrevious = previous != nullptr;
                onFinished(docker->stats(box.id, previous), q,
                           [this, key, backendId, remaining,
                            hasPrevious](const Result<docker::StatsSample> &s) {
                               if (--*remaining == 0)
                                   if (Backend *entry = find(backendId))
                                       entry->statsInFlight = false;
                               auto it = boxes.find(key);
                               if (!s || it == boxes.end() || it->state != BoxInfo::State::Running)
                                   return;
                               samples.insert(key, s.value());
                               BoxInfo updated = it.value();
                               dockerinfo::applySample(updated, s.value(), hasPrevious);
                               merge(updated);
                           });
            }
        }
    }
};

BoxMonitor::BoxMonitor(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->resyncTimer.setInterval(30000);
    connect(&d->resyncTimer, &QTimer::timeout, this, &BoxMonitor::resyncNow);
    d->statsTimer.setInterval(d->statsMs);
    connect(&d->statsTimer, &QTimer::timeout, this, [this] { d->pollStats(); });
}

BoxMonitor::~BoxMonitor()
{
    for (auto &b : d->backends)
        for (const auto &c : b.connections)
            disconnect(c);
}

void BoxMonitor::addBackend(BoxBackend *backend)
{
    if (!backend || d->find(backend->id()))
        return;
    Private::Backend b;
    b.backend = backend;
    b.id = backend->id();
    const QString id = b.id;
    b.connections << connect(backend, &BoxBackend::boxChanged, this, [this](const BoxInfo &box) {
        d->touch(box.backendId, box.key());
        d->merge(box);
    });
    b.connections << connect(backend, &BoxBackend::boxRemoved, this,
                             [this](const QString &backendId, const QString &boxId) {
                                 const QString key = backendId + QLatin1Char('/') + boxId;
                                 d->touch(backendId, key);
                                 d->removeKey(key);
                             });
    b.connections << connect(backend, &BoxBackend::connectionChanged, this,
                             [this, id](bool connected, const QString &reason) {
                                 if (Private::Backend *entry = d->find(id))
                                     d->setConnected(*entry, connected, reason);
                             });
    b.connections << connect(backend, &QObject::destroyed, this,
                             [this, backend] { removeBackend(backend); });
    d->backends << b;
    if (auto *coolify = qobject_cast<CoolifyBackend *>(backend))
        coolify->setStatsInterval(d->statsMs);
    if (d->running)
        d->resync(id);
}

void BoxMonitor::removeBackend(BoxBackend *backend)
{
    for (int i = 0; i < d->backends.size(); ++i) {
        if (d->backends[i].backend != backend && !(backend == nullptr && !d->backends[i].backend))
            continue;
        const QString id = d->backends[i].id;
        for (const auto &c : d->backends[i].connections)
            disconnect(c);
        d->backends.removeAt(i);
        const QList<QString> keys = d->boxes.keys();
        for (const QString &key : keys)
            if (d->boxes.value(key).backendId == id)
                d->removeKey(key);
        return;
    }
}

QList<BoxBackend *> BoxMonitor::backends() const
{
    QList<BoxBackend *> out;
    for (const auto &b : d->backends)
        if (b.backend)
            out << b.backend.data();
    return out;
}

void BoxMonitor::setResyncInterval(int ms)
{
    d->resyncTimer.setInterval(std::max(ms, 1000));
}

void BoxMonitor::setStatsInterval(int ms)
{
    d->statsMs = ms;
    // Coolify boxes' figures come from their server's engine, sampled by the backend.
    for (const auto &b : std::as_const(d->backends))
        if (auto *coolify = qobject_cast<CoolifyBackend *>(b.backend.data()))
            coolify->setStatsInterval(ms);
    if (ms <= 0) {
        d->statsTimer.stop();
        return;
    }
    d->statsTimer.setInterval(ms);
    if (d->running && !d->statsTimer.isActive())
        d->statsTimer.start();
}

void BoxMonitor::start()
{
    d->running = true;
    d->resyncTimer.start();
    if (d->statsMs > 0)
        d->statsTimer.start();
    resyncNow();
}

void BoxMonitor::stop()
{
    d->running = false;
    d->resyncTimer.stop();
    d->statsTimer.stop();
}

void BoxMonitor::resyncNow()
{
    const auto list = d->backends;
    for (const auto &b : list)
        d->resync(b.id);
}

QList<BoxInfo> BoxMonitor::boxes() const
{
    return d->boxes.values();
}

bool BoxMonitor::isConnected(const QString &backendId) const
{
    for (const auto &b : d->backends)
        if (b.id == backendId)
            return b.connected;
    return false;
}

QString BoxMonitor::disconnectReason(const QString &backendId) const
{
    for (const auto &b : d->backends)
        if (b.id == backendId)
            return b.reason;
    return {};
}

} // namespace bc::boxes
