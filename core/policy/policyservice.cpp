#include "core/policy/policyservice.h"

#include "core/activity/activitylog.h"
#include "core/boxes/boxbackend.h"
#include "core/boxes/boxlabels.h"
#include "core/boxes/coolifybackend.h"
#include "core/boxes/deletejob.h"
#include "core/boxes/enginelease.h"
#include "core/docker/dockerclient.h"
#include "core/docker/eventwatcher.h"
#include "core/policy/coolifyclaim.h"
#include "core/policy/keepalive.h"
#include "core/policy/webhooksender.h"
#include "core/util/futureutil.h"

#include <QHostInfo>
#include <QRegularExpression>

namespace bc::policy {

namespace labels = bc::boxes::labels;
namespace actions = bc::activity::actions;
using Kind = Error::Kind;

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString activityAction(PolicyAction a)
{
    switch (a) {
    case PolicyAction::IdleStop:
        return actions::policyIdleStop();
    case PolicyAction::Expire:
        return actions::policyExpire();
    case PolicyAction::Delete:
        return actions::policyDelete();
    case PolicyAction::None:
        break;
    }
    return {};
}

QString iso(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

// A box container: labelled as a box, not a secrets writer or a lease.
bool isBoxContainer(const QMap<QString, QString> &l)
{
    if (!l.contains(labels::box()))
        return false;
    const QString role = l.value(labels::role());
    return role.isEmpty() || role == QLatin1String("container");
}

util::json::Json policyParams(const BoxPolicy &p, const PolicyDeadlines &d)
{
    util::json::Json o = util::json::Json::object();
    if (p.idleStopSecs > 0)
        o["idleStopSecs"] = p.idleStopSecs;
    if (p.maxLifetimeSecs > 0)
        o["maxLifetimeSecs"] = p.maxLifetimeSecs;
    if (p.deleteAfterStoppedSecs > 0)
        o["deleteAfterStoppedSecs"] = p.deleteAfterStoppedSecs;
    if (d.at.isValid())
        o["deadline"] = util::json::utf8(iso(d.at));
    return o;
}

} // namespace

PolicyService::PolicyService(docker::DockerClient *client, PolicyServiceOptions options,
                             QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_options(std::move(options))
{
    if (m_options.actor.isEmpty())
        m_options.actor = defaultActor();
    m_leaseTimer.setSingleShot(true);
    connect(&m_leaseTimer, &QTimer::timeout, this, &PolicyService::leaseTick);
    m_quotaTimer.setInterval(m_options.quotaPollMs);
    connect(&m_quotaTimer, &QTimer::timeout, this, &PolicyService::pollQuotaRefusals);
}

PolicyService::PolicyService(boxes::BoxBackend *coolify, PolicyServiceOptions options,
                             QObject *parent)
    : QObject(parent)
    , m_coolify(coolify)
    , m_options(std::move(options))
{
    if (m_options.actor.isEmpty())
        m_options.actor = defaultActor();
    m_pollTimer.setInterval(m_options.pollIntervalMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &PolicyService::pollCoolify);
    m_quotaTimer.setInterval(m_options.quotaPollMs);
    connect(&m_quotaTimer, &QTimer::timeout, this, &PolicyService::pollQuotaRefusals);
}

PolicyService::~PolicyService()
{
    stop();
}

QString PolicyService::defaultActor()
{
    return QStringLiteral("policy-service@") + QHostInfo::localHostName();
}

QDateTime PolicyService::lastActivityFrom(const docker::ContainerInspect &c)
{
    static const QRegularExpression re(QStringLiteral("\"lastActivity\"\\s*:\\s*(\\d+)"));
    qint64 best = 0;
    for (const auto &entry : c.healthLog) {
        const auto m = re.match(entry.output);
        if (m.hasMatch())
            best = qMax(best, m.captured(1).toLongLong());
    }
    return best > 0 ? QDateTime::fromSecsSinceEpoch(best, Qt::UTC) : QDateTime();
}

void PolicyService::start()
{
    if (m_running)
        return;
    m_running = true;
    if (m_coolify) {
        // No engine to hold a lease on: the state read right before each action is what
        // keeps a second instance from repeating it.
        m_leader = true;
        emit leaderChanged(true);
        m_pollTimer.start();
        QTimer::singleShot(0, this, &PolicyService::pollCoolify);
    } else {
        m_lease = std::make_unique<boxes::EngineLease>(m_client, m_options.leaseLabels,
                                                       m_options.leaseTtlSec, m_options.leaseName);
        m_leaseTimer.start(0);
    }
    if (m_log) {
        activity::ActivityFilter f;
        f.limit = 1;
        const auto last = m_log->query(f);
        m_quotaSeq = last && !last->isEmpty() ? last->last().seq : 0;
        m_quotaTimer.start();
    }
}

void PolicyService::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_pollTimer.stop();
    m_quotaTimer.stop();
    m_leaseTimer.stop();
    if (m_leader && !m_coolify)
        loseLeadership(QStringLiteral("stopping"));
    m_leader = false;
    if (m_lease)
        m_lease->release();
    m_lease.reset();
}

// Takes the lease, or renews the one held (without letting go of it: a release and a new
// acquire would hand it to a stand-by in between, and leadership would flap mid-action).
void PolicyService::leaseTick()
{
    if (!m_running || !m_lease || m_inLease)
        return;
    m_inLease = true;
    const auto got = m_lease->renew();
    m_inLease = false;
    if (!m_running)
        return;
    if (got && *got) {
        if (!m_leader)
            becomeLeader();
    } else if (m_leader) {
        loseLeadership(got ? QStringLiteral("the lease is held by %1").arg(m_lease->holder())
                           : got.error().toString());
    } else if (got) {
        emit message(QStringLiteral("standing by: the lease is held by %1").arg(m_lease->holder()));
    } else {
        emit message(QStringLiteral("lease: %1").arg(got.error().toString()));
    }
    // Renew at a third of the TTL; stand-bys look as often, to take over soon after the
    // holder went away.
    m_leaseTimer.start(qMax(1000, m_options.leaseTtlSec * 1000 / 3));
}

void PolicyService::becomeLeader()
{
    m_leader = true;
    emit message(QStringLiteral("holding the policy lease; following engine events"));
    emit leaderChanged(true);
    docker::Filters f;
    f.insert(QStringLiteral("type"), {QStringLiteral("container"), QStringLiteral("volume")});
    m_watcher = new docker::EventWatcher(m_client, f, this);
    connect(m_watcher, &docker::EventWatcher::eventReceived, this, &PolicyService::onEvent);
    connect(m_watcher, &docker::EventWatcher::resyncNeeded, this, &PolicyService::resync);
    connect(m_watcher, &docker::EventWatcher::disconnected, this, [this](const QString &why) {
        emit message(QStringLiteral("engine events lost (%1); reconnecting").arg(why));
    });
    m_watcher->start();
}

void PolicyService::loseLeadership(const QString &why)
{
    emit message(QStringLiteral("not acting: %1").arg(why));
    m_leader = false;
    if (m_watcher) {
        m_watcher->stop();
        m_watcher->deleteLater();
    }
    for (QTimer *t : std::as_const(m_timers))
        t->deleteLater();
    m_timers.clear();
    m_pending.clear();
    emit leaderChanged(false);
}

void PolicyService::resync()
{
    if (!m_leader || !m_client)
        return;
    docker::Filters f;
    f.insert(QStringLiteral("label"), {labels::box()});
    onFinished(m_client->listContainers(true, f), this,
               [this](const Result<QList<docker::ContainerSummary>> &r) {
                   if (!r) {
                       emit message(QStringLiteral("resync: %1").arg(r.error().toString()));
                       return;
                   }
                   QSet<QString> present;
                   for (const auto &c : *r) {
                       if (!isBoxContainer(c.labels) || BoxPolicy::fromLabels(c.labels).isEmpty())
                           continue;
                       present.insert(c.id);
                       evaluateSoon(c.id);
                   }
                   for (const QString &id : m_timers.keys())
                       if (!present.contains(id))
                           unschedule(id);
               });
}

void PolicyService::onEvent(const docker::Event &e)
{
    if (e.type == QLatin1String("volume")) {
        const QString box = KeepAlive::boxOfVolume(e.actorId);
        if (box.isEmpty() || e.action != QLatin1String("create"))
            return;
        // A keep-alive was set: look at that box again.
        docker::Filters f;
        f.insert(QStringLiteral("label"), {labels::box() + QLatin1Char('=') + box});
        onFinished(m_client->listContainers(true, f), this,
                   [this](const Result<QList<docker::ContainerSummary>> &r) {
                       if (r)
                           for (const auto &c : *r)
                               if (isBoxContainer(c.labels))
                                   evaluateSoon(c.id);
                   });
        return;
    }
    if (e.type != QLatin1String("container") || !isBoxContainer(e.attributes))
        return;
    const QString id = e.actorId;
    const QString box = e.attributes.value(labels::box());
    const qint64 now = nowMs();
    const QString action = e.action;
    const QString eventId =
        QStringLiteral("%1/%2/%3/%4").arg(m_options.backendId, id.left(12), action).arg(e.timeNano);
    auto makeAlert = [&](const QString &kind, const QString &text) {
        Alert a;
        a.id = eventId;
        a.kind = kind;
        a.backend = m_options.backendId;
        a.box = box;
        a.message = text;
        a.time = QDateTime::fromMSecsSinceEpoch(e.timeNano / 1000000, Qt::UTC);
        return a;
    };
    if (action == QLatin1String("destroy")) {
        unschedule(id);
        m_stoppedByUs.remove(id);
        m_killedAt.remove(id);
        m_starts.remove(id);
        return;
    }
    if (action == QLatin1String("kill") || action == QLatin1String("stop")) {
        m_killedAt.insert(id, now);
    } else if (action == QLatin1String("oom")) {
        alert(makeAlert(QStringLiteral("oom-killed"),
                        QStringLiteral("%1 was killed: out of memory").arg(box)));
    } else if (action.startsWith(QLatin1String("health_status")) &&
               action.contains(QLatin1String("unhealthy"))) {
        alert(makeAlert(QStringLiteral("unhealthy"), QStringLiteral("%1 is unhealthy").arg(box)));
    } else if (action == QLatin1String("die")) {
        const int exitCode = e.attributes.value(QStringLiteral("exitCode")).toInt();
        const bool asked =
            now - m_killedAt.value(id, 0) < 30000 || now - m_stoppedByUs.value(id, 0) < 60000;
        if (exitCode != 0 && !asked)
            alert(makeAlert(QStringLiteral("died"),
                            QStringLiteral("%1 exited with code %2").arg(box).arg(exitCode)));
    } else if (action == QLatin1String("start")) {
        auto &starts = m_starts[id];
        starts.append(now);
        const qint64 window = qint64(m_options.restartAlertWindowSec) * 1000;
        starts.erase(std::remove_if(starts.begin(), starts.end(),
                                    [&](qint64 t) { return now - t > window; }),
                     starts.end());
        if (starts.size() >= m_options.restartAlertCount) {
            Alert a = makeAlert(QStringLiteral("restarting"),
                                QStringLiteral("%1 restarted %2 times within %3 s")
                                    .arg(box)
                                    .arg(starts.size())
                                    .arg(m_options.restartAlertWindowSec));
            starts.clear(); // one alert per burst
            alert(a);
        }
    }
    if (!BoxPolicy::fromLabels(e.attributes).isEmpty())
        evaluateSoon(id);
}

void PolicyService::evaluateSoon(const QString &containerId)
{
    if (!m_leader || m_pending.contains(containerId))
        return;
    m_pending.insert(containerId);
    // Coalesces the burst of events one change makes (kill, die, stop).
    QTimer::singleShot(100, this, [this, containerId]() { evaluate(containerId); });
}

void PolicyService::evaluate(const QString &containerId)
{
    if (!m_leader || !m_client) {
        m_pending.remove(containerId);
        return;
    }
    onFinished(m_client->inspectContainer(containerId), this,
               [this, containerId](const Result<docker::ContainerInspect> &r) {
                   if (!r) {
                       m_pending.remove(containerId);
                       if (r.error().kind() == Kind::NotFound)
                           unschedule(containerId);
                       else
                           emit message(QStringLiteral("inspect %1: %2")
                                            .arg(containerId.left(12), r.error().toString()));
                       return;
                   }
                   const docker::ContainerInspect c = *r;
                   const QString box = c.labels.value(labels::box());
                   onFinished(KeepAlive::read(m_client, this, box), this,
                              [this, c, containerId](const Result<QDateTime> &k) {
                                  m_pending.remove(containerId);
                                  decide(c, k ? *k : QDateTime());
                              });
               });
}

void PolicyService::decide(const docker::ContainerInspect &c, const QDateTime &keepAlive)
{
    if (!m_leader || !isBoxContainer(c.labels))
        return;
    const QString box = c.labels.value(labels::box());
    const BoxPolicy p = BoxPolicy::fromLabels(c.labels);
    PolicyClock clock;
    clock.created = QDateTime::fromString(
        QString::fromStdString(c.raw.value("Created", std::string())), Qt::ISODateWithMs);
    clock.started = c.startedAt;
    clock.lastActivity = lastActivityFrom(c);
    clock.keepAliveUntil = keepAlive;
    clock.running = c.running || c.state == QLatin1String("restarting");
    clock.stoppedAt =
        c.finishedAt.isValid() && c.finishedAt.toSecsSinceEpoch() > 0 ? c.finishedAt : QDateTime();
    if (!clock.running && !clock.stoppedAt.isValid() && c.state == QLatin1String("created"))
        clock.stoppedAt = clock.created; // never started: stopped since it was made
    clock.now = QDateTime::currentDateTimeUtc();
    const PolicyDeadlines d = computeDeadlines(p, clock);
    if (d.next == PolicyAction::None) {
        unschedule(c.id);
        return;
    }
    if (!d.isDue(clock.now)) {
        schedule(c.id, box, d);
        return;
    }
    unschedule(c.id);
    if (m_acting.contains(c.id))
        return;
    if (d.next == PolicyAction::Delete)
        deleteBox(c, d, p);
    else
        stopBox(c, d.next, d, p);
}

void PolicyService::schedule(const QString &containerId, const QString &box,
                             const PolicyDeadlines &d)
{
    QTimer *t = m_timers.value(containerId);
    if (!t) {
        t = new QTimer(this);
        t->setSingleShot(true);
        t->setTimerType(Qt::PreciseTimer);
        connect(t, &QTimer::timeout, this, [this, containerId]() { evaluateSoon(containerId); });
        m_timers.insert(containerId, t);
    }
    const qint64 ms = QDateTime::currentDateTimeUtc().msecsTo(d.at) + m_options.actionMarginMs;
    t->start(int(qBound<qint64>(0, ms, m_options.maxTimerMs)));
    emit scheduled(box, actionName(d.next), d.at);
}

void PolicyService::unschedule(const QString &containerId)
{
    if (QTimer *t = m_timers.take(containerId))
        t->deleteLater();
}

void PolicyService::stopBox(const docker::ContainerInspect &c, PolicyAction action,
                            const PolicyDeadlines &d, const BoxPolicy &p)
{
    const QString box = c.labels.value(labels::box());
    const QString id = c.id;
    m_acting.insert(id);
    m_stoppedByUs.insert(id, nowMs());
    emit message(QStringLiteral("%1: %2 (deadline %3)").arg(box, actionName(action), iso(d.at)));
    util::json::Json params = policyParams(p, d);
    if (action == PolicyAction::IdleStop) {
        const QDateTime last = lastActivityFrom(c);
        if (last.isValid())
            params["lastActivity"] = util::json::utf8(iso(last));
    }
    // No timeout: the engine uses the box's own stop grace period (StopTimeout).
    onFinished(m_client->stopContainer(id, -1), this,
               [this, id, box, action, d, params](const VoidResult &r) {
                   m_acting.remove(id);
                   reportAction(action, box, d, params, r,
                                action == PolicyAction::Expire
                                    ? QStringLiteral("%1 was stopped: its lifetime ended").arg(box)
                                    : QStringLiteral("%1 was stopped after being idle").arg(box));
                   evaluateSoon(id); // a delete-after-stopped starts counting now
               });
}

void PolicyService::deleteBox(const docker::ContainerInspect &c, const PolicyDeadlines &d,
                              const BoxPolicy &p)
{
    const QString box = c.labels.value(labels::box());
    const QString id = c.id;
    m_acting.insert(id);
    emit message(
        QStringLiteral("%1: delete (deadline %2)%3")
            .arg(box, iso(d.at), p.keepData ? QStringLiteral(", keeping data") : QString()));
    boxes::DeployOptions options = m_options.deploy;
    options.dev = c.labels.value(labels::dev()) == QLatin1String("1");
    boxes::BoxInfo base;
    base.backendId = m_options.backendId;
    base.backendKind = options.dev ? QStringLiteral("docker-dev") : QStringLiteral("docker");
    auto *job = new boxes::DeleteJob(m_client, box, p.keepData, options, base, this);
    util::json::Json params = policyParams(p, d);
    params["keepData"] = p.keepData;
    connect(job, &boxes::BoxJob::finished, this,
            [this, job, id, box, d, params](const Result<boxes::BoxInfo> &r) {
                job->deleteLater();
                m_acting.remove(id);
                if (r)
                    (void)KeepAlive::clear(m_client, this, box);
                reportAction(PolicyAction::Delete, box, d, params,
                             r ? VoidResult{} : VoidResult(r.error()),
                             QStringLiteral("%1 was deleted after being stopped").arg(box));
            });
}

void PolicyService::pollCoolify()
{
    if (!m_coolify || !m_running)
        return;
    onFinished(m_coolify->list(), this, [this](const Result<QList<boxes::BoxInfo>> &r) {
        if (!r) {
            emit message(QStringLiteral("coolify: %1").arg(r.error().toString()));
            return;
        }
        QSet<QString> present;
        for (const auto &b : *r) {
            present.insert(b.id);
            decideCoolify(b);
        }
        for (const QString &id : m_coolifyStoppedSince.keys())
            if (!present.contains(id))
                m_coolifyStoppedSince.remove(id);
    });
}

void PolicyService::decideCoolify(const boxes::BoxInfo &b)
{
    const BoxPolicy p = BoxPolicy::fromLabels(b.labels);
    if (p.isEmpty() || m_acting.contains(b.id))
        return;
    using S = boxes::BoxInfo::State;
    const bool running = b.state == S::Running || b.state == S::Starting ||
                         b.state == S::Restarting || b.state == S::Deploying;
    PolicyClock clock;
    clock.created = b.createdAt;
    clock.started = b.startedAt;
    clock.running = running;
    clock.now = QDateTime::currentDateTimeUtc();
    if (running) {
        m_coolifyStoppedSince.remove(b.id);
    } else {
        // Coolify reports no stop time: counted from when this service first saw it stopped.
        if (!m_coolifyStoppedSince.contains(b.id))
            m_coolifyStoppedSince.insert(b.id, clock.now);
        clock.stoppedAt = m_coolifyStoppedSince.value(b.id);
    }
    const PolicyDeadlines d = computeDeadlines(p, clock);
    if (!d.isDue(clock.now))
        return;
    const QString id = b.id;
    const QString box = b.name;
    m_acting.insert(id);
    const util::json::Json params = policyParams(p, d);
    auto finish = [this, id, box, d, params](PolicyAction action, const VoidResult &r) {
        m_acting.remove(id);
        reportAction(action, box, d, params, r,
                     QStringLiteral("%1: %2 by policy").arg(box, actionName(action)));
    };
    const PolicyAction action = d.next;
    auto act = [this, id, keepData = p.keepData,
                action](std::function<void(const VoidResult &)> done) {
        if (action == PolicyAction::Delete) {
            boxes::BoxJob *job = m_coolify->remove(id, keepData);
            connect(job, &boxes::BoxJob::finished, this,
                    [job, done](const Result<boxes::BoxInfo> &r) {
                        job->deleteLater();
                        done(r ? VoidResult{} : VoidResult(r.error()));
                    });
        } else {
            onFinished(m_coolify->stop(id), this, [done](const VoidResult &r) { done(r); });
        }
    };
    auto *coolifyBackend = qobject_cast<boxes::CoolifyBackend *>(m_coolify.data());
    if (!coolifyBackend) {
        // A backend without a Coolify behind it (tests): nothing to claim on.
        act([finish, action](const VoidResult &r) { finish(action, r); });
        return;
    }
    // Another service may poll the same instance: the box is claimed first, and what the
    // claim read last decides whether the action is still due.
    auto *claim = new CoolifyClaim(
        coolifyBackend->client(),
        b.labels.value(QStringLiteral("coolify.kind")) == QLatin1String("service"), id, this);
    onFinished(claim->claim(m_options.coolifyClaimSettleMs), this,
               [this, claim, id, box, action, act, finish](const Result<CoolifyClaim::Outcome> &c) {
                   const bool live = c && c->status.isLive();
                   if (!c || !c->held || (action == PolicyAction::Delete) == live) {
                       m_acting.remove(id);
                       emit message(QStringLiteral("%1: %2 not taken: %3")
                                        .arg(box, actionName(action),
                                             !c        ? c.error().toString()
                                             : c->held ? QStringLiteral("no longer due")
                                                       : c->reason));
                       if (c && c->held)
                           onFinished(claim->release(), this,
                                      [claim](const VoidResult &) { claim->deleteLater(); });
                       else
                           claim->deleteLater();
                       return;
                   }
                   act([this, claim, box, action, finish](const VoidResult &r) {
                       const int untilStopped = r && action != PolicyAction::Delete ? 60000 : 0;
                       onFinished(
                           claim->release(untilStopped), this,
                           [this, claim, box, action, finish, r](const VoidResult &released) {
                               claim->deleteLater();
                               if (!released)
                                   emit message(QStringLiteral("%1: could not clear the policy "
                                                               "claim: %2")
                                                    .arg(box, released.error().toString()));
                               finish(action, r);
                           });
                   });
               });
}

// One action's outcome: the activity record, the acted() signal and, when it happened, the
// alert (its id names the deadline, so a second report of the same action is a duplicate).
void PolicyService::reportAction(PolicyAction action, const QString &box, const PolicyDeadlines &d,
                                 const util::json::Json &params, const VoidResult &r,
                                 const QString &alertMessage)
{
    auto rec =
        activity::ActivityRecord::make(activityAction(action), m_options.backendId, box, params);
    rec.withOutcome(r ? nullptr : &r.error());
    record(rec);
    emit acted(box, actionName(action), bool(r), r ? QString() : r.error().toString());
    if (!r)
        return;
    Alert a;
    a.id = QStringLiteral("%1/%2/%3/%4")
               .arg(m_options.backendId, box, actionName(action))
               .arg(d.at.toSecsSinceEpoch());
    a.kind = activityAction(action);
    a.backend = m_options.backendId;
    a.box = box;
    a.time = QDateTime::currentDateTimeUtc();
    a.message = alertMessage;
    a.details = params;
    alert(a);
}

void PolicyService::record(activity::ActivityRecord rec)
{
    rec.actor = m_options.actor;
    if (m_log)
        (void)m_log->record(rec);
}

void PolicyService::alert(const Alert &a)
{
    if (m_webhooks && m_leader)
        m_webhooks->send(a);
}

// Quota refusals happen in whichever console or boxctl deployed; they reach the log that
// this service shares with them on this host, so it is read for new ones.
void PolicyService::pollQuotaRefusals()
{
    if (!m_log || !m_leader || m_quotaSeq < 0)
        return;
    activity::ActivityFilter f;
    f.action = actions::quotaRefused();
    f.afterSeq = m_quotaSeq;
    const auto r = m_log->query(f);
    if (!r)
        return;
    for (const auto &rec : *r) {
        m_quotaSeq = qMax(m_quotaSeq, rec.seq);
        Alert a;
        a.id = QStringLiteral("activity/%1/%2").arg(QString::fromLatin1(rec.hash)).arg(rec.seq);
        a.kind = actions::quotaRefused();
        a.backend = rec.backend;
        a.box = rec.box;
        a.time = rec.time;
        a.message =
            QStringLiteral("deploy of %1 by %2 refused: %3").arg(rec.box, rec.actor, rec.error);
        alert(a);
    }
    // Later records of other actions need not be read again.
    activity::ActivityFilter all;
    all.limit = 1;
    all.afterSeq = m_quotaSeq;
    if (const auto last = m_log->query(all); last && !last->isEmpty())
        m_quotaSeq = qMax(m_quotaSeq, last->last().seq);
}

} // namespace bc::policy
