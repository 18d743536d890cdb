#pragma once

#include "core/boxes/boxbackend.h"
#include "core/boxes/consolesettings.h"
#include "core/boxes/coolifyengine.h"
#include "core/coolify/coolifyclient.h"
#include "core/coolify/coolifyconfig.h"
#include "core/coolify/coolifytypes.h"
#include "core/util/async.h"

#include <QDateTime>
#include <QHash>
#include <QTimer>

#include <optional>

namespace bc::boxes {

// Boxes on Coolify, of two kinds side by side: services (what deploy() creates: a compose
// document rendered from the hardening profile, recognised by their description, as
// GET /services cannot filter by tag) and applications tagged "box-console"
// (CoolifyConfig::boxTag) that earlier versions created, which can still be listed,
// started, stopped, restarted, deleted and read. Coolify pushes nothing, so changes come from
// polling the application list, started when someone connects to boxChanged/boxRemoved/
// connectionChanged (or setWatching(true)); a CLI `ls` polls nothing.
class CoolifyBackend : public BoxBackend
{
    Q_OBJECT
public:
    explicit CoolifyBackend(const coolify::CoolifyConfig &config, QObject *parent = nullptr);
    ~CoolifyBackend() override;

    QString id() const override;
    QString kind() const override { return QStringLiteral("coolify"); }
    QString displayHost() const override;

    QFuture<Result<QList<BoxInfo>>> list() override;
    QFuture<Result<BoxInfo>> status(const QString &boxId) override;
    BoxJob *deploy(const security::BoxSpec &spec) override;
    BoxJob *remove(const QString &boxId, bool keepData) override;
    QFuture<VoidResult> start(const QString &boxId) override;
    QFuture<VoidResult> stop(const QString &boxId) override;
    QFuture<VoidResult> restart(const QString &boxId) override;
    QFuture<Result<QStringList>> recentLogs(const QString &boxId, int tail) override;
    // recentLogs() that tells a stopped box (Coolify answers 400 "Application is not
    // running.") from a running one that logged nothing: nullopt when it is not running.
    QFuture<Result<std::optional<QStringList>>> recentLogsIfRunning(const QString &boxId, int tail);

    coolify::CoolifyClient *client() const { return m_client; }
    const coolify::CoolifyConfig &config() const { return m_client->config(); }

    void setWatching(bool on);
    bool isWatching() const { return m_pollTimer.isActive(); }

    // Live engine truth: the engines of the Coolify servers the admin consented to reach
    // over ssh (config().engines), created after the first GET /servers. A box whose
    // container is found there shows the engine's state, health, limits and stats; where
    // Coolify and the engine disagree the row says so (label engineDisagreementLabel() and
    // the status text), and a box container Coolify does not know is listed as well.
    // Without consent, or with the engine unreachable, boxes come from Coolify's API alone.
    QFuture<VoidResult> refreshEngines();
    QList<CoolifyEngine *> engines() const { return m_engines; }
    // The engine and container of a box (or of a container Coolify does not know), for the
    // audit, the log stream and the terminal; nullopt without engine truth for it.
    struct EngineTarget
    {
        CoolifyEngine *engine = nullptr;
        QString containerId;
    };
    std::optional<EngineTarget> engineTarget(const QString &boxId) const;
    // How often the boxes' engines are sampled (the console's setting; 0: not at all).
    void setStatsInterval(int ms);
    int statsInterval() const { return m_statsIntervalMs; }
    static QString engineLabel() { return QStringLiteral("box-console.engine"); }
    static QString engineDisagreementLabel()
    {
        return QStringLiteral("box-console.engine.disagreement");
    }
    void setPollIntervalMs(int ms);
    // After a deploy, Coolify reads running:unhealthy until its next status sync (about a
    // minute): within this window "unhealthy" is shown as starting.
    void setHealthGraceMs(int ms) { m_healthGraceMs = ms; }
    // How long deploy waits for the deployment and delete for the application to vanish.
    void setDeployTimeoutMs(int ms) { m_deployTimeoutMs = ms; }
    int deployTimeoutMs() const { return m_deployTimeoutMs; }
    void setDeleteTimeoutMs(int ms) { m_deleteTimeoutMs = ms; }
    int deleteTimeoutMs() const { return m_deleteTimeoutMs; }
    // This instance's fleet default policy and the owners' quotas (BackendFactory sets them
    // from the settings); the deploy job applies them.
    void setFleetRules(const FleetRules &rules) { m_fleet = rules; }
    const FleetRules &fleetRules() const { return m_fleet; }

    // The mapping of one application or service (public for tests and the deploy job).
    BoxInfo toBoxInfo(const coolify::CoolifyApplication &app) const;
    BoxInfo toBoxInfo(const coolify::CoolifyService &service) const;
    // A service box is one whose description starts like describe()'s.
    static bool isBoxService(const coolify::CoolifyService &service);
    // "box-console box; owner=alice; subdomain=alice; spec=…" <-> key/value pairs.
    static QString describe(const QMap<QString, QString> &meta);
    static QMap<QString, QString> parseDescription(const QString &description);
    // The lifecycle policy labels a Docker box carries, in the description as one pair
    // "policy=IDLE/LIFETIME/DELETE/SOURCE" (seconds), and back: the policy service reads a
    // Coolify box's policy from its labels as it does a Docker box's.
    static QString policyMeta(const QMap<QString, QString> &policyLabels);
    static QMap<QString, QString> policyLabels(const QString &policyMeta);
    // https://<subdomain>.<domain>:<port>; the port tells Coolify's proxy which container
    // port to route to (code-server, 8080).
    QString domainFor(const QString &subdomain) const;
    void noteDeployed(const QString &uuid);
    // A delete finished: tell the views now instead of at the next poll.
    void markRemoved(const QString &uuid);

protected:
    void connectNotify(const QMetaMethod &signal) override;

private:
    // A box: either an application (earlier versions) or a service.
    struct BoxRef
    {
        bool isService = false;
        coolify::CoolifyApplication app;
        coolify::CoolifyService service;
        QString uuid() const { return isService ? service.uuid : app.uuid; }
    };
    QFuture<Result<BoxRef>> boxRef(const QString &boxId);
    QFuture<VoidResult> followedService(const QString &uuid, const QString &context,
                                        QFuture<VoidResult> queued);

    void poll();
    void publish(const QList<BoxInfo> &boxes);
    QFuture<VoidResult> ensureEngines();
    QList<BoxInfo> withEngineTruth(const QList<BoxInfo> &apiBoxes) const;
    BoxInfo withEngineTruth(const BoxInfo &api) const;
    void scheduleEnginePublish();
    friend class CoolifyDeleteJob;
    // Refuses applications that are not tagged as boxes, so that start/stop/delete never
    // touch someone else's application.
    QFuture<Result<coolify::CoolifyApplication>> boxApplication(const QString &boxId);
    QFuture<VoidResult>
    followed(const QString &boxId, const QString &what,
             std::function<QFuture<Result<coolify::CoolifyDeployRequest>>(const QString &)> call);
    void followQueued(const QString &uuid, const QString &deploymentUuid, const QString &context,
                      AsyncResult<void> async);

    coolify::CoolifyClient *m_client = nullptr;
    QTimer m_pollTimer;
    bool m_polling = false;
    bool m_connected = false;
    bool m_everPolled = false;
    QHash<QString, BoxInfo> m_known;
    QHash<QString, QDateTime> m_deployedAt;
    int m_healthGraceMs = 120000;
    int m_deployTimeoutMs = 20 * 60 * 1000;
    int m_deleteTimeoutMs = 5 * 60 * 1000;
    FleetRules m_fleet;
    QList<CoolifyEngine *> m_engines;
    bool m_enginesResolved = false;
    QList<BoxInfo> m_apiBoxes; // the last list as Coolify's API told it
    bool m_haveApiBoxes = false;
    bool m_enginePublishQueued = false;
    int m_statsIntervalMs = 2000;
};

} // namespace bc::boxes
