#pragma once

#include "core/boxes/boxinfo.h"
#include "core/boxes/deployoptions.h"
#include "core/policy/boxpolicy.h"
#include "core/policy/webhooksender.h"

#include <QDateTime>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>

namespace bc::docker {
class DockerClient;
class EventWatcher;
struct Event;
struct ContainerInspect;
} // namespace bc::docker

namespace bc::boxes {
class BoxBackend;
class EngineLease;
} // namespace bc::boxes

namespace bc::activity {
class ActivityLog;
struct ActivityRecord;
} // namespace bc::activity

namespace bc::policy {

struct PolicyServiceOptions
{
    QString actor;               // "policy-service@<host>"
    QString backendId;           // recorded with each action ("docker:unix:///var/run/docker.sock")
    boxes::DeployOptions deploy; // journal and stop timeout of a policy delete
    // The per-engine lease: only its holder acts; the others wait and take it over when
    // the holder goes away (at once on this host, after the TTL from another host).
    QString leaseName = QStringLiteral("box-console-policy-lease");
    QMap<QString, QString> leaseLabels;
    int leaseTtlSec = 60;
    int pollIntervalMs = 30000;      // Coolify: how often the list is read
    int coolifyClaimSettleMs = 2000; // Coolify: see core/policy/coolifyclaim.h
    qint64 maxTimerMs = 3600 * 1000; // a far deadline is looked at again after this
    int actionMarginMs = 200;        // after a deadline before it is read again
    int restartAlertCount = 3;       // starts within restartAlertWindowSec: "restarting"
    int restartAlertWindowSec = 120;
    int quotaPollMs = 5000; // the activity log, for quota refusals to alert
};

// Enforces box lifetime policies with no console running: idle stop, expiry and delete
// after stopped (computeDeadlines), on one Docker engine or one Coolify instance.
//
// Docker: follows the engine's events (EventWatcher: reconnects, resyncs after a restart)
// instead of polling boxes; each box with a policy gets one timer at its next deadline.
// When it fires the box is inspected again (state, the agent's last activity from its
// health check output, the keep-alive record) and the rule applied to what is true now,
// so a box that became active, was kept alive, stopped or went away is left alone.
// Only the holder of the engine's policy lease acts; the engine-side state read right
// before each action makes a repeated action a no-op (stop of a stopped box, delete of
// a deleted one is never attempted).
//
// Coolify: its API pushes nothing, so the list is read every pollIntervalMs.
class PolicyService : public QObject
{
    Q_OBJECT
public:
    PolicyService(docker::DockerClient *client, PolicyServiceOptions options,
                  QObject *parent = nullptr);
    PolicyService(boxes::BoxBackend *coolify, PolicyServiceOptions options,
                  QObject *parent = nullptr);
    ~PolicyService() override;

    void setWebhookSender(WebhookSender *sender) { m_webhooks = sender; }
    void setActivityLog(activity::ActivityLog *log) { m_log = log; }

    void start();
    void stop();
    bool isLeader() const { return m_leader; }
    int trackedCount() const { return int(m_timers.size()); }

    // "policy-service@<host name>"
    static QString defaultActor();
    // The agent's last activity from a health check's output ({"lastActivity": <unix s>});
    // invalid when none says so.
    static QDateTime lastActivityFrom(const docker::ContainerInspect &c);

signals:
    void leaderChanged(bool leader);
    void scheduled(const QString &box, const QString &action, const QDateTime &at);
    void acted(const QString &box, const QString &action, bool ok, const QString &error);
    void message(const QString &line);

private:
    // Docker
    void leaseTick();
    void becomeLeader();
    void loseLeadership(const QString &why);
    void resync();
    void onEvent(const docker::Event &event);
    void evaluateSoon(const QString &containerId);
    void evaluate(const QString &containerId);
    void decide(const docker::ContainerInspect &c, const QDateTime &keepAlive);
    void schedule(const QString &containerId, const QString &box, const PolicyDeadlines &d);
    void unschedule(const QString &containerId);
    void stopBox(const docker::ContainerInspect &c, PolicyAction action, const PolicyDeadlines &d,
                 const BoxPolicy &p);
    void deleteBox(const docker::ContainerInspect &c, const PolicyDeadlines &d, const BoxPolicy &p);
    // Coolify
    void pollCoolify();
    void decideCoolify(const boxes::BoxInfo &box);
    // Both
    void reportAction(PolicyAction action, const QString &box, const PolicyDeadlines &d,
                      const util::json::Json &params, const VoidResult &r,
                      const QString &alertMessage);
    void record(activity::ActivityRecord record);
    void alert(const Alert &alert);
    void pollQuotaRefusals();

    QPointer<docker::DockerClient> m_client;
    QPointer<boxes::BoxBackend> m_coolify;
    PolicyServiceOptions m_options;
    QPointer<WebhookSender> m_webhooks;
    activity::ActivityLog *m_log = nullptr;
    std::unique_ptr<boxes::EngineLease> m_lease;
    QPointer<docker::EventWatcher> m_watcher;
    QTimer m_leaseTimer;
    QTimer m_pollTimer;
    QTimer m_quotaTimer;
    bool m_running = false;
    bool m_leader = false;
    bool m_inLease = false;
    QHash<QString, QTimer *> m_timers;      // container id (or Coolify uuid) -> deadline timer
    QSet<QString> m_pending;                // evaluations queued or running
    QSet<QString> m_acting;                 // an action in flight
    QHash<QString, qint64> m_stoppedByUs;   // container id -> when (no "died" alert for it)
    QHash<QString, qint64> m_killedAt;      // container id -> last kill/stop event
    QHash<QString, QList<qint64>> m_starts; // container id -> recent start times
    QHash<QString, QDateTime> m_coolifyStoppedSince;
    qint64 m_quotaSeq = -1;
};

} // namespace bc::policy
