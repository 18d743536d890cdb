#include "core/boxes/boxmonitor.h"

#include "core/util/futureutil.h"

#include "core/boxes/coolifybackend.h"
#include "core/boxes/dockerbackend.h"
#include "core/boxes/dockerboxinfo.h"
#include "core/docker/statssampler.h"

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
        // Whether boxChanged/boxRemoved/connectionChanged reach the monitor yet: see
        // StartRound.
        bool pushConnected = false;
        // While a re-list is on its way: the boxes the backend reported on meanwhile, whose
        // news is newer than what the list will say of them.
        std::shared_ptr<QSet<QString>> touchedWhileListing;
        QList<QMetaObject::Connection> connections;
    };

    BoxMonitor *q;
    QList<Backend> backends;
    QHash<QString, BoxInfo> boxes;
    QTimer resyncTimer;
    QTimer statsTimer;
    int statsMs = 2000;
    bool running = false;
    static constexpr int MaxInspects = 4;
    QList<std::pair<QString, QString>> inspectQueue; // backend id, box id
    int inspectsInFlight = 0;

    // The start's round of first lists. Whatever one engine's list sets off (its rows
    // painted, an inspect per box, its event subscription with the re-list that follows
    // it) would otherwise run on the GUI thread and on the engines while the other
    // engines' lists are still on their way, and delay them: with three engines the
    // console took about 35 ms longer to its complete list of 100 boxes than with one,
    // where all of that comes after the list. So the answers are held until every
    // backend's first list has answered or failed, then merged together, and the
    // backends' pushed changes (which start their event streams) are connected after.
    // A slow engine (up to its list timeout, 5 s) must not hide the others' rows for
    // long: the held answers are merged at the latest FirstListHoldMs after the first.
    static constexpr int FirstListHoldMs = 250;
    struct HeldList
    {
        QString backendId;
        Result<QList<BoxInfo>> result;
        std::shared_ptr<QSet<QString>> touched;
    };
    bool startRound = false;
    QSet<QString> roundPending; // backend ids whose first list has not answered yet
    QList<HeldList> held;
    QTimer holdTimer;

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
        if (box.state == BoxInfo::State::Running)
            box.resources.fillUnknownFrom(previous.resources);
        else
            forgetSample(box);
        box.keepDetailsFrom(previous);
        if (box == previous)
            return;
        it.value() = box;
        if (onlyResourcesDiffer(previous, box)) {
            emit q->resourcesUpdated(key, box.resources);
            return;
        }
        emit q->boxUpdated(previous, box);
        alerts(&previous, box);
    }

    static bool onlyResourcesDiffer(const BoxInfo &a, BoxInfo b)
    {
        b.resources = a.resources;
        return a == b;
    }

    // Its counters start over when it runs again: CPU % must not be taken against them.
    void forgetSample(const BoxInfo &box)
    {
        if (Backend *b = find(box.backendId))
            if (auto *docker = qobject_cast<DockerBackend *>(b->backend.data()))
                docker->stats()->forget(box.id);
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
        if (const auto it = boxes.constFind(key); it != boxes.cend())
            forgetSample(it.value());
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
            if (startRound && roundPending.remove(backendId)) {
                held.append({backendId, r, touched});
                if (roundPending.isEmpty())
                    endStartRound();
                else if (!holdTimer.isActive())
                    holdTimer.start();
                return;
            }
            applyList(backendId, r, *touched);
        });
    }

    // One backend's list answered: merged, and the boxes it no longer has removed.
    void applyList(const QString &backendId, const Result<QList<BoxInfo>> &r,
                   const QSet<QString> &touched)
    {
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
                if (!touched.contains(box.key()))
                    merge(box);
            }
            QStringList gone;
            for (auto it = boxes.cbegin(); it != boxes.cend(); ++it)
                if (it->backendId == backendId && !seen.contains(it.key()) &&
                    !touched.contains(it.key()))
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
    }

    void beginStartRound()
    {
        roundPending.clear();
        for (const Backend &b : std::as_const(backends))
            if (b.backend && !b.pushConnected)
                roundPending.insert(b.id);
        startRound = !roundPending.isEmpty();
    }

    // Every first list is in (or the hold ran out): merge what was held, in the order it
    // came, then let the backends push changes.
    void endStartRound()
    {
        if (!startRound)
            return;
        startRound = false;
        roundPending.clear();
        holdTimer.stop();
        const QList<HeldList> answers = std::exchange(held, {});
        for (const HeldList &h : answers)
            applyList(h.backendId, h.result, *h.touched);
        for (Backend &b : backends)
            connectPush(b);
    }

    void connectPush(Backend &b)
    {
        if (b.pushConnected || !b.backend)
            return;
        b.pushConnected = true;
        BoxBackend *backend = b.backend.data();
        const QString id = b.id;
        b.connections << connect(backend, &BoxBackend::boxChanged, q, [this](const BoxInfo &box) {
            touch(box.backendId, box.key());
            merge(box);
        });
        b.connections << connect(backend, &BoxBackend::boxRemoved, q,
                                 [this](const QString &backendId, const QString &boxId) {
                                     const QString key = backendId + QLatin1Char('/') + boxId;
                                     touch(backendId, key);
                                     removeKey(key);
                                 });
        b.connections << connect(backend, &BoxBackend::connectionChanged, q,
                                 [this, id](bool connected, const QString &reason) {
                                     if (Backend *entry = find(id))
                                         setConnected(*entry, connected, reason);
                                 });
    }

    void pollStats()
    {
        for (Backend &b : backends) {
            auto *docker = qobject_cast<DockerBackend *>(b.backend.data());
            if (!docker || b.statsInFlight || !b.connected)
                continue;
            QList<BoxInfo> runningBoxes;
            QSet<QString> runningIds;
            for (const BoxInfo &box : std::as_const(boxes))
                if (box.backendId == b.id && box.state == BoxInfo::State::Running) {
                    runningBoxes << box;
                    runningIds.insert(box.id);
                }
            docker->stats()->keepOnly(runningIds);
            if (runningBoxes.isEmpty())
                continue;
            // One-shot requests in parallel: about one round trip for all boxes. With
            // one-shot=1 the engine skips the second sample it otherwise waits about a
            // second for (the CPU delta comes from the sampler's previous sample).
            b.statsInFlight = true;
            auto remaining = std::make_shared<int>(int(runningBoxes.size()));
            const QString backendId = b.id;
            for (const BoxInfo &box : std::as_const(runningBoxes)) {
                const QString key = box.key();
                onFinished(docker->stats()->sample(box.id), q,
                           [this, key, backendId, remaining](const Result<docker::StatsSample> &s) {
                               if (--*remaining == 0)
                                   if (Backend *entry = find(backendId))
                                       entry->statsInFlight = false;
                               auto it = boxes.find(key);
                               if (!s || it == boxes.end() || it->state != BoxInfo::State::Running)
                                   return;
                               BoxResources resources = it->resources;
                               dockerinfo::applySample(resources, s.value(), it->memoryUnlimited);
                               if (resources == it->resources)
                                   return;
                               it->resources = resources;
                               emit q->resourcesUpdated(key, resources);
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
    d->holdTimer.setSingleShot(true);
    d->holdTimer.setInterval(Private::FirstListHoldMs);
    connect(&d->holdTimer, &QTimer::timeout, this, [this] { d->endStartRound(); });
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
    b.connections << connect(backend, &QObject::destroyed, this,
                             [this, backend] { removeBackend(backend); });
    d->backends << b;
    if (auto *coolify = qobject_cast<CoolifyBackend *>(backend))
        coolify->setStatsInterval(d->statsMs);
    else if (auto *docker = qobject_cast<DockerBackend *>(backend))
        docker->stats()->setInterval(d->statsMs);
    // Added before start(): its pushes wait for the start's round of first lists. Added
    // later (the settings changed): no round, it is listed and followed at once.
    if (d->running) {
        d->connectPush(d->backends.last());
        d->resync(id);
    }
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
        d->held.removeIf([&id](const Private::HeldList &h) { return h.backendId == id; });
        if (d->startRound && d->roundPending.remove(id) && d->roundPending.isEmpty())
            d->endStartRound();
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
    for (const auto &b : std::as_const(d->backends)) {
        if (auto *coolify = qobject_cast<CoolifyBackend *>(b.backend.data()))
            coolify->setStatsInterval(ms);
        else if (auto *docker = qobject_cast<DockerBackend *>(b.backend.data()))
            docker->stats()->setInterval(ms);
    }
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
    if (!d->running)
        d->beginStartRound();
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
    d->endStartRound(); // what was held is still the engines' word
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
