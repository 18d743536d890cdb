#include "core/boxes/coolifyengine.h"

#include "core/boxes/boxsecrets.h"
#include "core/boxes/dockerboxinfo.h"
#include "core/docker/dockerclient.h"
#include "core/docker/eventwatcher.h"
#include "core/docker/statssampler.h"
#include "core/util/async.h"
#include "core/util/futureutil.h"

namespace bc::boxes {

namespace {

const QString kManaged = QStringLiteral("coolify.managed");
const QString kComposeProject = QStringLiteral("com.docker.compose.project");
const QString kComposeService = QStringLiteral("com.docker.compose.service");
const QString kCoolifyName = QStringLiteral("coolify.name");
const QString kCoolifyType = QStringLiteral("coolify.type");
const QString kSubName = QStringLiteral("coolify.service.subName");

// ssh reads an -o value like a line of ssh_config: a path with a space needs quotes.
QString sshPath(const QString &path)
{
    return path.contains(QLatin1Char(' ')) ? QLatin1Char('"') + path + QLatin1Char('"') : path;
}

} // namespace

CoolifyEngine::CoolifyEngine(const coolify::CoolifyServer &server,
                             const coolify::CoolifyEngineAccess &access, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_access(access)
{
    const auto endpoint = endpointFor(access, server);
    if (endpoint) {
        m_client = std::make_unique<docker::DockerClient>(endpoint.value());
        m_stats = new docker::StatsSampler(m_client.get(), this);
    } else
        m_lastError = endpoint.error().message();
    m_statsTimer.setInterval(2000);
    connect(&m_statsTimer, &QTimer::timeout, this, &CoolifyEngine::pollStats);
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(50); // one refresh for the burst of events a start makes
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        const QSet<QString> ids = std::exchange(m_pendingRefresh, {});
        for (const QString &id : ids)
            refreshContainer(id);
    });
}

CoolifyEngine::~CoolifyEngine()
{
    setWatching(false);
}

Result<http::Endpoint> CoolifyEngine::endpointFor(const coolify::CoolifyEngineAccess &access,
                                                  const coolify::CoolifyServer &server)
{
    const QString name = server.name.isEmpty() ? server.uuid : server.name;
    const QString host = server.ip.trimmed();
    // ssh would read a word starting with '-' as an option.
    if (host.isEmpty() || host.startsWith(QLatin1Char('-')) || host.contains(QLatin1Char(' ')))
        return Error(
            Error::Kind::Invalid,
            QStringLiteral("Coolify server %1 has no usable address (ip \"%2\")").arg(name, host));
    if (server.user.startsWith(QLatin1Char('-')) || server.user.contains(QLatin1Char(' ')))
        return Error(Error::Kind::Invalid,
                     QStringLiteral("Coolify server %1 has an invalid ssh user").arg(name));
    http::Endpoint e;
    e.transport = http::Endpoint::Transport::Ssh;
    e.sshHost = host;
    e.sshUser = server.user.isEmpty() ? QStringLiteral("root") : server.user;
    e.sshPort = quint16(server.port > 0 && server.port < 65536 ? server.port : 22);
    e.sshRemoteSocket = access.remoteSocket;
    e.sshExtraArgs = {QStringLiteral("-o"), QStringLiteral("StrictHostKeyChecking=yes"),
                      QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                      QStringLiteral("-o"), QStringLiteral("UpdateHostKeys=no")};
    if (!access.identityFile.isEmpty())
        e.sshExtraArgs << QStringLiteral("-o") << QStringLiteral("IdentitiesOnly=yes")
                       << QStringLiteral("-o")
                       << QStringLiteral("IdentityFile=") + sshPath(access.identityFile);
    if (!access.knownHostsFile.isEmpty())
        e.sshExtraArgs << QStringLiteral("-o")
                       << QStringLiteral("UserKnownHostsFile=") + sshPath(access.knownHostsFile);
    e.contextName = QStringLiteral("coolify:") + name;
    return e;
}

QString CoolifyEngine::resourceOf(const QMap<QString, QString> &labels)
{
    if (labels.value(kManaged) != QLatin1String("true"))
        return {};
    const QString project = labels.value(kComposeProject);
    if (!project.isEmpty())
        return project;
    // An application container started without compose still names its application.
    if (labels.value(kCoolifyType) == QLatin1String("application"))
        return labels.value(kCoolifyName);
    return {};
}

QString CoolifyEngine::displayName() const
{
    const QString name = m_server.name.isEmpty() ? m_server.uuid : m_server.name;
    return m_client ? QStringLiteral("%1 (%2)").arg(name, m_client->endpoint().toUrl()) : name;
}

Error CoolifyEngine::explain(const Error &error) const
{
    const QString text = error.message();
    const QString where =
        QStringLiteral("the Docker engine of Coolify server %1").arg(displayName());
    if (text.contains(QLatin1String("Host key verification failed")) ||
        text.contains(QLatin1String("HOST IDENTIFICATION HAS CHANGED")) ||
        text.contains(QLatin1String("host key is known")))
        return Error(Error::Kind::Unauthorized,
                     QStringLiteral("refused to reach %1: its ssh host key is not the one in "
                                    "known_hosts%2 (or it has none there). Check the server's key "
                                    "and add it to known_hosts yourself; box-console never "
                                    "accepts an unverified key. ssh said: %3")
                         .arg(where,
                              m_access.knownHostsFile.isEmpty()
                                  ? QString()
                                  : QStringLiteral(" (%1)").arg(m_access.knownHostsFile),
                              text));
    if (text.contains(QLatin1String("Permission denied")))
        return Error(Error::Kind::Unauthorized,
                     QStringLiteral("ssh refused the login to %1: %2").arg(where, text));
    if (error.kind() == Error::Kind::Transport || error.kind() == Error::Kind::Timeout)
        return Error(error.kind(),
                     QStringLiteral("%1 is unreachable over ssh: %2").arg(where, text));
    return error.withContext(where);
}

QFuture<Result<security::AuditOptions>> CoolifyEngine::auditOptions(const QString &proxySocketDir)
{
    AsyncResult<security::AuditOptions> async;
    security::AuditOptions options;
    options.proxySocketDir = proxySocketDir;
    if (!m_client) {
        async.finish(options);
        return async.future();
    }
    onFinished(m_client->info(), this,
               [this, async, options](const Result<docker::SystemInfo> &info) mutable {
                   // Without AppArmor on the server no container has a profile: no drift.
                   if (info)
                       options.appArmorAvailable =
                           security::AuditOptions::appArmorIn(info->securityOptions);
                   onFinished(BoxSecrets::list(), this,
                              [async, options](const Result<QStringList> &names) mutable {
                                  if (names)
                                      options.knownSecretNames = names.value();
                                  async.finish(options);
                              });
               });
    return async.future();
}

void CoolifyEngine::setReachable(bool reachable, const QString &reason)
{
    m_lastError = reachable ? QString() : reason;
    if (reachable == m_reachable && (reachable || !m_refreshed))
        return;
    m_reachable = reachable;
    emit reachabilityChanged(reachable, reason);
}

QFuture<VoidResult> CoolifyEngine::refresh()
{
    AsyncResult<void> async;
    if (!m_client) {
        async.finish(Error(Error::Kind::Invalid, m_lastError));
        return async.future();
    }
    docker::Filters filters;
    filters.insert(QStringLiteral("label"), {kManaged + QStringLiteral("=true")});
    onFinished(m_client->listContainers(true, filters), this,
               [this, async](const Result<QList<docker::ContainerSummary>> &list) {
                   if (!list) {
                       const Error e = explain(list.error());
                       setReachable(false, e.message());
                       m_refreshed = true;
                       async.finish(e);
                       return;
                   }
                   QSet<QString> seen;
                   QList<QString> ids;
                   for (const docker::ContainerSummary &c : list.value()) {
                       if (resourceOf(c.labels).isEmpty())
                           continue;
                       seen.insert(c.id);
                       ids << c.id;
                   }
                   QSet<QString> touched;
                   for (auto it = m_containers.begin(); it != m_containers.end();) {
                       if (!seen.contains(it.key())) {
                           touched.insert(it->resourceUuid);
                           m_stats->forget(it.key());
                           it = m_containers.erase(it);
                       } else {
                           ++it;
                       }
                   }
                   auto remaining = std::make_shared<int>(int(ids.size()));
                   const auto done = [this, async, touched] {
                       m_refreshed = true;
                       setReachable(true, {});
                       for (const QString &uuid : touched)
                           emit changed(uuid);
                       async.finish(VoidResult());
                   };
                   if (ids.isEmpty()) {
                       done();
                       return;
                   }
                   for (const QString &id : ids) {
                       onFinished(
                           m_client->inspectContainer(id), this,
                           [this, remaining, done](const Result<docker::ContainerInspect> &r) {
                               if (r)
                                   applyInspect(r.value());
                               if (--*remaining == 0)
                                   done();
                           });
                   }
               });
    return async.future();
}

void CoolifyEngine::applyInspect(const docker::ContainerInspect &inspect)
{
    const QString resource = resourceOf(inspect.labels);
    if (resource.isEmpty())
        return;
    Container c;
    c.resourceUuid = resource;
    c.subName = inspect.labels.value(kComposeService, inspect.labels.value(kSubName));
    c.inspect = inspect;
    BoxInfo base;
    base.host = displayName();
    c.info = dockerinfo::fromInspect(inspect, base);
    const auto old = m_containers.constFind(inspect.id);
    // Stats stay while it runs: an inspect carries none.
    if (old != m_containers.constEnd() && c.info.state == BoxInfo::State::Running)
        c.info.resources.fillUnknownFrom(old->info.resources);
    if (c.info.state != BoxInfo::State::Running)
        m_stats->forget(inspect.id);
    m_containers.insert(inspect.id, c);
    emit changed(resource);
}

void CoolifyEngine::refreshContainer(const QString &containerId)
{
    if (!m_client)
        return;
    onFinished(m_client->inspectContainer(containerId), this,
               [this, containerId](const Result<docker::ContainerInspect> &r) {
                   if (r) {
                       applyInspect(r.value());
                       return;
                   }
                   if (r.error().kind() == Error::Kind::NotFound) {
                       const auto it = m_containers.constFind(containerId);
                       if (it == m_containers.constEnd())
                           return;
                       const QString resource = it->resourceUuid;
                       m_containers.remove(containerId);
                       m_stats->forget(containerId);
                       emit changed(resource);
                   }
               });
}

QList<CoolifyEngine::Container> CoolifyEngine::containersOf(const QString &resourceUuid) const
{
    QList<Container> out;
    for (const Container &c : m_containers)
        if (c.resourceUuid == resourceUuid)
            out << c;
    return out;
}

std::optional<CoolifyEngine::Container> CoolifyEngine::boxContainer(const QString &resourceUuid,
                                                                    const QString &boxName) const
{
    std::optional<Container> best;
    for (const Container &c : m_containers) {
        if (c.resourceUuid != resourceUuid)
            continue;
        if (!boxName.isEmpty() && c.subName == boxName)
            return c;
        // Applications get a new container per deploy (uuid-<time>): the newest is current.
        if (!best || c.info.createdAt > best->info.createdAt)
            best = c;
    }
    return best;
}

void CoolifyEngine::setStatsInterval(int ms)
{
    if (m_stats)
        m_stats->setInterval(ms);
    if (ms <= 0) {
        m_statsTimer.stop();
        m_statsTimer.setInterval(0);
        return;
    }
    m_statsTimer.setInterval(ms);
    if (m_watcher && !m_statsTimer.isActive())
        m_statsTimer.start();
}

void CoolifyEngine::setWatching(bool on)
{
    if (on == (m_watcher != nullptr) || !m_client)
        return;
    if (!on) {
        m_statsTimer.stop();
        m_watcher->stop();
        delete m_watcher;
        m_watcher = nullptr;
        return;
    }
    docker::Filters filters;
    filters.insert(QStringLiteral("type"), {QStringLiteral("container")});
    filters.insert(QStringLiteral("label"), {kManaged + QStringLiteral("=true")});
    m_watcher = new docker::EventWatcher(m_client.get(), filters, this);
    connect(m_watcher, &docker::EventWatcher::eventReceived, this,
            [this](const docker::Event &event) {
                // Health probes are execs, as are our terminals: no state change.
                if (event.action.startsWith(QLatin1String("exec_")))
                    return;
                m_pendingRefresh.insert(event.actorId);
                if (!m_refreshTimer.isActive())
                    m_refreshTimer.start();
            });
    connect(m_watcher, &docker::EventWatcher::disconnected, this, [this](const QString &reason) {
        setReachable(false, explain(Error(Error::Kind::Transport, reason)).message());
    });
    // First subscription or a reconnect: events may have been missed.
    connect(m_watcher, &docker::EventWatcher::resyncNeeded, this, [this] { refresh(); });
    m_watcher->start();
    if (m_statsTimer.interval() > 0)
        m_statsTimer.start();
}

void CoolifyEngine::pollStats()
{
    if (m_statsInFlight || !m_client || !m_reachable)
        return;
    QList<QString> running;
    for (auto it = m_containers.cbegin(); it != m_containers.cend(); ++it)
        if (it->info.state == BoxInfo::State::Running)
            running << it.key();
    m_stats->keepOnly(QSet<QString>(running.cbegin(), running.cend()));
    if (running.isEmpty())
        return;
    m_statsInFlight = true;
    auto remaining = std::make_shared<int>(int(running.size()));
    for (const QString &id : running) {
        onFinished(
            m_stats->sample(id), this, [this, id, remaining](const Result<docker::StatsSample> &s) {
                if (--*remaining == 0)
                    m_statsInFlight = false;
                auto it = m_containers.find(id);
                if (!s || it == m_containers.end() || it->info.state != BoxInfo::State::Running)
                    return;
                dockerinfo::applySample(it->info.resources, s.value(), it->info.memoryUnlimited);
                emit changed(it->resourceUuid);
            });
    }
}

} // namespace bc::boxes
