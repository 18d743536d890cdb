#pragma once

#include "core/boxes/boxbackend.h"
#include "core/boxes/deployoptions.h"
#include "core/docker/dockerclient.h"
#include "core/docker/dockertypes.h"
#include "core/http/endpoint.h"

#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>

namespace bc::docker {
class DockerClient;
class EventWatcher;
class StatsSampler;
} // namespace bc::docker

namespace bc::boxes {

// Boxes on one Docker engine: containers labelled box-console.box. Pushes changes from a
// reconnecting event stream (started when someone connects to boxChanged/boxRemoved/
// connectionChanged), so a CLI `ls` opens no stream at all.
class DockerBackend : public BoxBackend
{
    Q_OBJECT
public:
    // Owns a client for the endpoint.
    DockerBackend(const http::Endpoint &endpoint, DeployOptions options = {},
                  QObject *parent = nullptr);
    // Uses the caller's client (not owned).
    DockerBackend(docker::DockerClient *client, DeployOptions options = {},
                  QObject *parent = nullptr);
    ~DockerBackend() override;

    QString id() const override;
    QString kind() const override { return QStringLiteral("docker"); }
    QString displayHost() const override;

    QFuture<Result<QList<BoxInfo>>> list() override;
    QFuture<Result<BoxInfo>> status(const QString &boxId) override;
    BoxJob *deploy(const security::BoxSpec &spec) override;
    BoxJob *remove(const QString &boxId, bool keepData) override;
    QFuture<VoidResult> start(const QString &boxId) override;
    QFuture<VoidResult> stop(const QString &boxId) override;
    QFuture<VoidResult> restart(const QString &boxId) override;
    QFuture<Result<QStringList>> recentLogs(const QString &boxId, int tail) override;

    // Docker only.
    docker::DockerClient *client() const { return m_client; }
    const DeployOptions &deployOptions() const { return m_options; }
    void setDeployOptions(const DeployOptions &options) { m_options = options; }
    // The full inspect of a box (for the posture audit); refuses non-box containers.
    QFuture<Result<docker::ContainerInspect>> inspect(const QString &boxId);
    // Resource samples of this engine's boxes (one-shot, CPU % against the previous one).
    docker::StatsSampler *stats() const { return m_stats; }

    // How long list() waits for the engine before it fails with a Timeout naming the
    // engine, so a hung engine never holds up the others; 0 = no limit. Default: the
    // environment's BOX_ENGINE_TIMEOUT_MS, else DefaultListTimeoutMs.
    static constexpr int DefaultListTimeoutMs = 5000;
    void setListTimeout(int ms) { m_listTimeoutMs = ms; }
    int listTimeout() const { return m_listTimeoutMs; }

    void setWatching(bool on);
    bool isWatching() const { return m_watcher != nullptr; }
    bool isConnected() const { return m_connected; }

protected:
    void connectNotify(const QMetaMethod &signal) override;
    // Which labelled containers belong to this backend (docker vs docker-dev on one engine).
    virtual bool accepts(const QMap<QString, QString> &labels) const;
    // The engine-side filter of list(): the narrower it is, the less the engine sends.
    virtual docker::Filters listFilters() const;
    BoxInfo base() const;

private:
    void init();
    void onEvent(const docker::Event &event);
    void refreshPending();
    void noteDestroyed(const QString &containerId);
    void markStopped(BoxInfo &box) const;
    QFuture<VoidResult> boxCall(const QString &boxId, const QString &what,
                                std::function<QFuture<VoidResult>(const QString &id)> call);

    std::unique_ptr<docker::DockerClient> m_ownedClient;
    QPointer<docker::DockerClient> m_client;
    DeployOptions m_options;
    docker::StatsSampler *m_stats = nullptr;
    docker::EventWatcher *m_watcher = nullptr;
    QSet<QString> m_pendingRefresh;
    QSet<QString> m_known; // ids this backend has reported, for boxRemoved
    // A "stop" event follows "die" only when someone stopped the box on purpose: a died
    // box is reported once its stop event came or StopEventWaitMs passed.
    static constexpr int StopEventWaitMs = 500;
    QSet<QString> m_stopped; // stopped through the API since their last start
    QSet<QString> m_dying;   // died, their stop event (if any) not yet seen
    QTimer m_refreshTimer;
    bool m_connected = false;
    int m_listTimeoutMs = DefaultListTimeoutMs;
    int m_listsInFlight = 0;
    bool m_watchAfterList = false; // a watch was asked for while a list was in flight
    // Containers whose destroy event came (id -> when): a list or inspect answered later,
    // made before the removal, must not bring them back.
    QHash<QString, qint64> m_destroyed;
    // One set per re-list in flight: the boxes events named meanwhile.
    QList<std::shared_ptr<QSet<QString>>> m_touchedWhileListing;
};

} // namespace bc::boxes
