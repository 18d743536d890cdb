#pragma once

#include "core/boxes/boxinfo.h"
#include "core/coolify/coolifyengineaccess.h"
#include "core/coolify/coolifytypes.h"
#include "core/docker/dockertypes.h"
#include "core/http/endpoint.h"
#include "core/result.h"
#include "core/security/postureaudit.h"

#include <QFuture>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>
#include <optional>

namespace bc::docker {
class DockerClient;
class EventWatcher;
class StatsSampler;
} // namespace bc::docker

namespace bc::boxes {

// One Coolify server's Docker engine, reached over ssh:// with the admin's consent
// (CoolifyEngineAccess), for what Coolify's API cannot tell: the containers' own state and
// health, their health log, resource use, posture, logs and a terminal.
//
// Coolify's containers are found by the labels Coolify and docker compose put on them
// (docs/coolify-engine.md): every one carries coolify.managed=true; a service's containers
// belong to the compose project named after the service's uuid (StartService runs
// `docker compose --project-name <uuid>`), an application's to the project named after the
// application's uuid, and an application container's coolify.name is that uuid.
class CoolifyEngine : public QObject
{
    Q_OBJECT
public:
    // One container Coolify runs, as the engine sees it.
    struct Container
    {
        QString resourceUuid; // the Coolify application or service it belongs to
        QString subName;      // the compose service (a service box: the box's name)
        docker::ContainerInspect inspect;
        BoxInfo info; // state, health, limits from the inspect; stats once sampled
    };

    CoolifyEngine(const coolify::CoolifyServer &server, const coolify::CoolifyEngineAccess &access,
                  QObject *parent = nullptr);
    ~CoolifyEngine() override;

    // ssh://user@ip:port for the server as GET /servers describes it, with strict host key
    // checking and batch mode forced on the command line (ssh keeps the first value it
    // reads, so no ssh_config can turn them off), and the access's key and known_hosts.
    static Result<http::Endpoint> endpointFor(const coolify::CoolifyEngineAccess &access,
                                              const coolify::CoolifyServer &server);
    // The resource a container belongs to, from its labels; empty when Coolify does not
    // manage it.
    static QString resourceOf(const QMap<QString, QString> &labels);

    const coolify::CoolifyServer &server() const { return m_server; }
    QString displayName() const; // "main (ssh://root@10.0.0.5:22)"
    // Null when the server's address cannot make an endpoint (lastError() says why).
    docker::DockerClient *client() const { return m_client.get(); }

    // Lists and inspects every container Coolify manages there. Fails with a message that
    // names the server and says what went wrong (host key, unreachable, no engine).
    QFuture<VoidResult> refresh();
    bool hasSnapshot() const { return m_refreshed; }
    bool isReachable() const { return m_reachable; }
    QString lastError() const { return m_lastError; }

    QList<Container> containers() const { return m_containers.values(); }
    QList<Container> containersOf(const QString &resourceUuid) const;
    // The box's own container: the compose service named like the box, else the newest.
    std::optional<Container> boxContainer(const QString &resourceUuid,
                                          const QString &boxName) const;

    // Follows the engine's container events (state, health) and samples stats of running
    // containers every statsIntervalMs (0: none).
    void setWatching(bool on);
    bool isWatching() const { return m_watcher != nullptr; }
    void setStatsInterval(int ms);

    // The posture audit's options for a box there: AppArmor from the engine's /info, the
    // egress socket root Coolify boxes mount from, the stored secret names. Never fails.
    QFuture<Result<security::AuditOptions>> auditOptions(const QString &proxySocketDir);

    // Error from the engine, rephrased for an admin: which server, and what to do.
    Error explain(const Error &error) const;

signals:
    // A container of this resource changed (created, state, health, stats) or vanished.
    void changed(const QString &resourceUuid);
    void reachabilityChanged(bool reachable, const QString &reason);

private:
    void setReachable(bool reachable, const QString &reason);
    void refreshContainer(const QString &containerId);
    void applyInspect(const docker::ContainerInspect &inspect);
    void pollStats();

    coolify::CoolifyServer m_server;
    coolify::CoolifyEngineAccess m_access;
    std::unique_ptr<docker::DockerClient> m_client;
    docker::EventWatcher *m_watcher = nullptr;
    QHash<QString, Container> m_containers;  // by container id
    docker::StatsSampler *m_stats = nullptr; // with m_client
    QTimer m_statsTimer;
    QTimer m_refreshTimer;
    QSet<QString> m_pendingRefresh;
    bool m_refreshed = false;
    bool m_reachable = false;
    bool m_statsInFlight = false;
    QString m_lastError;
};

} // namespace bc::boxes
