#pragma once

#include <QSettings>
#include <QString>
#include <QStringList>

#include <memory>

namespace bc::boxes {

// The console's own settings (QtCore only, so boxctl and the GUI share them). Deploy mode
// precedence: an explicit choice (boxctl --backend, the GUI) > the stored setting >
// DEPLOY_MODE in the environment > "coolify" (the original plan's default).
class ConsoleSettings
{
public:
    // The user's settings (organisation "box-console").
    ConsoleSettings();
    // A given settings file (tests, --config).
    explicit ConsoleSettings(const QString &iniFile);
    ~ConsoleSettings();

    static QStringList deployModes(); // coolify, docker, docker-dev
    static bool isValidDeployMode(const QString &mode);

    QString deployMode() const;
    // Where the effective mode came from: "setting", "environment" or "default".
    QString deployModeSource() const;
    void setDeployMode(const QString &mode); // empty = forget the stored value

    // Docker engines to list and deploy to: host URLs the user added (unix://, tcp://,
    // ssh://) and docker CLI contexts by name (resolved with their TLS material when the
    // backends are built, so `docker context update` applies without a settings change).
    // Both empty = the one the docker CLI would use (DOCKER_HOST, current context, socket).
    QStringList dockerEndpoints() const;
    void setDockerEndpoints(const QStringList &endpoints);
    QStringList dockerContexts() const;
    void setDockerContexts(const QStringList &names);
    // Neither list stored: the console follows the docker CLI's choice.
    bool followsDockerCli() const;

    QString coolifyUrl() const;
    void setCoolifyUrl(const QString &url);

    int statsIntervalMs() const; // default 2000; 0 = no stats
    void setStatsIntervalMs(int ms);
    int resyncIntervalMs() const; // default 30000
    void setResyncIntervalMs(int ms);
    int healthTimeoutMs() const; // default 120000
    void setHealthTimeoutMs(int ms);

    // Traefik: the container joined to routed boxes' networks, and the boxes' domain.
    QString traefikContainer() const;
    void setTraefikContainer(const QString &name);
    QString traefikDomain() const;
    void setTraefikDomain(const QString &domain);

    // Egress (see BoxEgress): the policy file spec.egress picks from (setting, else
    // BOX_EGRESS_POLICY, else none) and the host directory of the proxy's sockets, mounted
    // read-only into boxes with egress (setting, else BOX_EGRESS_SOCKET_DIR, else none).
    QString egressPolicyFile() const;
    void setEgressPolicyFile(const QString &path); // empty = forget the stored value
    QString proxySocketDir() const;
    void setProxySocketDir(const QString &dir); // empty = forget the stored value
    // Where the effective value comes from: "setting", "environment" or "none".
    QString egressPolicyFileSource() const;
    QString proxySocketDirSource() const;
    // The names of the environment variables the two fall back to.
    static QString egressPolicyFileEnv();
    static QString proxySocketDirEnv();

    // Per-box egress, each a setting, else an environment variable:
    //   egress/grantsDir      BOX_EGRESS_GRANTS_DIR  where deploys write their box's grant
    //   egress/reloadCommand  BOX_EGRESS_RELOAD      run after a grant changed (empty: the
    //                                                proxy's service watches the directory)
    //   egress/groupId        BOX_EGRESS_GID         group of the proxy's sockets (-1 none)
    //   egress/logFile        BOX_EGRESS_LOG         the proxy's request log (egress-log)
    //   egress/remoteEngine   BOX_EGRESS_REMOTE_ENGINE  "1": allow egress on remote engines
    QString egressGrantsDir() const;
    void setEgressGrantsDir(const QString &dir);
    QString egressReloadCommand() const;
    void setEgressReloadCommand(const QString &command);
    int egressGroupId() const;
    void setEgressGroupId(int gid); // -1 = forget
    QString egressLogFile() const;
    void setEgressLogFile(const QString &path);
    bool egressRemoteEngine() const;
    void setEgressRemoteEngine(bool allowed);

    QSettings &raw() { return *m_settings; }
    void sync();

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace bc::boxes
