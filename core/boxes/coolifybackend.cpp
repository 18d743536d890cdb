#include "core/boxes/coolifybackend.h"

#include "core/boxes/coolifydeletejob.h"
#include "core/boxes/coolifydeployjob.h"
#include "core/security/boxlabels.h"
#include "core/util/async.h"
#include "core/util/futureutil.h"

#include <QMetaMethod>
#include <QSet>
#include <QUrl>

namespace bc::boxes {

using coolify::CoolifyApplication;
using coolify::CoolifyService;
using coolify::CoolifyStatus;

static const QString kDescriptionPrefix = QStringLiteral("box-console box");

// Settles once every future has: with the first error, else success.
static QFuture<VoidResult> allOf(QObject *guard, const QList<QFuture<VoidResult>> &futures)
{
    AsyncResult<void> async;
    if (futures.isEmpty()) {
        async.finish(VoidResult());
        return async.future();
    }
    auto remaining = std::make_shared<int>(int(futures.size()));
    auto firstError = std::make_shared<std::optional<Error>>();
    for (const QFuture<VoidResult> &f : futures)
        onFinished(f, guard, [async, remaining, firstError](const VoidResult &r) {
            if (!r && !*firstError)
                *firstError = r.error();
            if (--*remaining == 0)
                async.finish(*firstError ? VoidResult(**firstError) : VoidResult());
        });
    return async.future();
}

CoolifyBackend::CoolifyBackend(const coolify::CoolifyConfig &config, QObject *parent)
    : BoxBackend(parent)
    , m_client(new coolify::CoolifyClient(config, this))
{
    // 200 requests a minute per token is Coolify's default limit: one list every 10 s
    // leaves room for deploys and other consoles sharing the token.
    m_pollTimer.setInterval(std::max(config.pollIntervalMs, 10000));
    connect(&m_pollTimer, &QTimer::timeout, this, &CoolifyBackend::poll);
}

CoolifyBackend::~CoolifyBackend() = default;

QString CoolifyBackend::id() const
{
    return QStringLiteral("coolify:") +
           config().baseUrl.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
}

QString CoolifyBackend::displayHost() const
{
    return config().baseUrl.toDisplayString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
}

QString CoolifyBackend::describe(const QMap<QString, QString> &meta)
{
    QStringList parts{kDescriptionPrefix};
    for (auto it = meta.begin(); it != meta.end(); ++it) {
        if (!it.value().isEmpty())
            parts << it.key() + QLatin1Char('=') + it.value();
    }
    return parts.join(QStringLiteral("; "));
}

QString CoolifyBackend::policyMeta(const QMap<QString, QString> &policyLabels)
{
    namespace l = security::labels;
    if (policyLabels.isEmpty())
        return {};
    return QStringList{policyLabels.value(l::policyIdleStop(), QStringLiteral("0")),
                       policyLabels.value(l::policyMaxLifetime(), QStringLiteral("0")),
                       policyLabels.value(l::policyDeleteAfterStopped(), QStringLiteral("0")),
                       policyLabels.value(l::policySource())}
        .join(QLatin1Char('/'));
}

QMap<QString, QString> CoolifyBackend::policyLabels(const QString &policyMeta)
{
    namespace l = security::labels;
    const QStringList parts = policyMeta.split(QLatin1Char('/'));
    if (parts.size() != 4)
        return {};
    // BoxPolicy::fromLabels checks each number as it does a Docker label's.
    QMap<QString, QString> out{{l::policyIdleStop(), parts[0]},
                               {l::policyMaxLifetime(), parts[1]},
                               {l::policyDeleteAfterStopped(), parts[2]}};
    if (!parts[3].isEmpty())
        out.insert(l::policySource(), parts[3]);
    return out;
}

QMap<QString, QString> CoolifyBackend::parseDescription(const QString &description)
{
    QMap<QString, QString> meta;
    if (!description.startsWith(kDescriptionPrefix))
        return meta;
    for (const QString &part : description.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        if (eq > 0)
            meta.insert(part.left(eq).trimmed(), part.mid(eq + 1).trimmed());
    }
    return meta;
}

QString CoolifyBackend::domainFor(const QString &subdomain) const
{
    if (config().domain.isEmpty() || subdomain.isEmpty())
        return {};
    return QStringLiteral("https://%1.%2:8080").arg(subdomain, config().domain);
}

void CoolifyBackend::noteDeployed(const QString &uuid)
{
    m_deployedAt.insert(uuid, QDateTime::currentDateTimeUtc());
}

void CoolifyBackend::markRemoved(const QString &uuid)
{
    m_known.remove(uuid);
    m_deployedAt.remove(uuid);
    emit boxRemoved(id(), uuid);
}

static BoxInfo::State mapState(CoolifyStatus::State state)
{
    using S = CoolifyStatus::State;
    switch (state) {
    case S::Running:
        return BoxInfo::State::Running;
    case S::Starting:
        return BoxInfo::State::Starting;
    case S::Restarting:
        return BoxInfo::State::Restarting;
    // A running/exited mix or a crash loop: something a person has to look at.
    case S::Degraded:
        return BoxInfo::State::Failed;
    case S::Paused:
        return BoxInfo::State::Paused;
    case S::Exited:
        return BoxInfo::State::Exited;
    case S::Created:
        return BoxInfo::State::Created;
    case S::Dead:
        return BoxInfo::State::Dead;
    case S::Removing:
        return BoxInfo::State::Removing;
    case S::Unknown:
        return BoxInfo::State::Unknown;
    }
    return BoxInfo::State::Unknown;
}

BoxInfo CoolifyBackend::toBoxInfo(const CoolifyApplication &app) const
{
    BoxInfo box;
    box.backendId = id();
    box.backendKind = kind();
    box.host = displayHost();
    box.id = app.uuid;
    box.name = app.name;
    const QMap<QString, QString> meta = parseDescription(app.description);
    box.owner = meta.value(QStringLiteral("owner"));
    box.subdomain = meta.value(QStringLiteral("subdomain"));
    if (!app.domains.isEmpty()) {
        QUrl url(app.domains.first());
        box.url = app.domains.first();
        if (box.subdomain.isEmpty())
            box.subdomain = url.host().section(QLatin1Char('.'), 0, 0);
        // The :port only tells Coolify's proxy where to route; people use the plain URL.
        url.setPort(-1);
        box.url = url.toString();
    }
    if (!app.imageName.isEmpty())
        box.image = app.imageTag.isEmpty() ? app.imageName
                                           : app.imageName + QLatin1Char(':') + app.imageTag;
    else
        box.image = app.buildPack;
    box.state = mapState(app.status.state);
    box.statusText = app.status.raw;
    if (!app.status.isLive()) {
        // "exited:unhealthy" is Coolify's default, not a health verdict.
        box.health = BoxInfo::Health::None;
    } else {
        switch (app.status.health) {
        case CoolifyStatus::Health::Healthy:
            box.health = BoxInfo::Health::Healthy;
            break;
        case CoolifyStatus::Health::Starting:
            box.health = BoxInfo::Health::Starting;
            break;
        case CoolifyStatus::Health::Unhealthy:
            // Old servers say unhealthy for apps without a health check; fresh deploys read
            // unhealthy until the next sync.
            if (!app.healthCheckEnabled)
                box.health = BoxInfo::Health::None;
            else if (m_deployedAt.contains(app.uuid) &&
                     m_deployedAt.value(app.uuid).msecsTo(QDateTime::currentDateTimeUtc()) <
                         m_healthGraceMs)
                box.health = BoxInfo::Health::Starting;
            else
                box.health = BoxInfo::Health::Unhealthy;
            break;
        case CoolifyStatus::Health::Unknown:
            box.health = app.healthCheckEnabled ? BoxInfo::Health::Unknown : BoxInfo::Health::None;
            break;
        }
    }
    box.createdAt = app.createdAt;
    box.labels.insert(QStringLiteral("coolify.uuid"), app.uuid);
    box.labels.insert(QStringLiteral("coolify.build_pack"), app.buildPack);
    box.labels.insert(QStringLiteral("coolify.kind"), QStringLiteral("application"));
    if (app.status.excluded)
        box.labels.insert(QStringLiteral("coolify.health_excluded"), QStringLiteral("true"));
    for (auto it = meta.begin(); it != meta.end(); ++it) {
        if (it.key() == QLatin1String("policy")) {
            const auto policy = policyLabels(it.value());
            for (auto p = policy.begin(); p != policy.end(); ++p)
                box.labels.insert(p.key(), p.value());
        } else {
            box.labels.insert(QStringLiteral("box-console.") + it.key(), it.value());
        }
    }
    if (!app.limitsMemory.isEmpty() && app.limitsMemory != QLatin1String("0"))
        box.labels.insert(QStringLiteral("coolify.limits_memory"), app.limitsMemory);
    if (!app.limitsCpus.isEmpty() && app.limitsCpus != QLatin1String("0"))
        box.labels.insert(QStringLiteral("coolify.limits_cpus"), app.limitsCpus);
    return box;
}

BoxInfo CoolifyBackend::toBoxInfo(const coolify::CoolifyService &service) const
{
    // The same mapping as an application's, from the fields a service has.
    CoolifyApplication app;
    app.uuid = service.uuid;
    app.name = service.name;
    app.description = service.description;
    app.status = service.status;
    app.healthCheckEnabled = true; // the rendered compose always has a healthcheck
    app.createdAt = service.createdAt;
    app.updatedAt = service.updatedAt;
    BoxInfo box = toBoxInfo(app);
    const QMap<QString, QString> meta = parseDescription(service.description);
    box.image = meta.value(QStringLiteral("image"));
    // Recorded at deploy so that quotas can sum a Coolify owner's boxes.
    box.cpuLimit = meta.value(QStringLiteral("cpus")).toDouble();
    if (const qint64 memory = meta.value(QStringLiteral("memory")).toLongLong(); memory > 0)
        box.resources.memoryLimit = memory;
    box.labels.remove(QStringLiteral("coolify.build_pack"));
    box.labels.insert(QStringLiteral("coolify.kind"), QStringLiteral("service"));
    return box;
}

QFuture<Result<QList<BoxInfo>>> CoolifyBackend::list()
{
    AsyncResult<QList<BoxInfo>> async;
    onFinished(m_client->applications(QLatin1String(coolify::CoolifyConfig::boxTag)), this,
               [this, async](const Result<QList<CoolifyApplication>> &apps) {
                   if (!apps) {
                       async.finish(apps.error().withContext(QStringLiteral("list Coolify boxes")));
                       return;
                   }
                   QList<BoxInfo> boxes;
                   for (const CoolifyApplication &app : apps.value())
                       boxes << toBoxInfo(app);
                   onFinished(m_client->services(), this,
                              [this, async, boxes](const Result<QList<CoolifyService>> &services) {
                                  if (!services) {
                                      async.finish(services.error().withContext(
                                          QStringLiteral("list Coolify boxes")));
                                      return;
                                  }
                                  QList<BoxInfo> all = boxes;
                                  for (const CoolifyService &svc : services.value()) {
                                      if (isBoxService(svc))
                                          all << toBoxInfo(svc);
                                  }
                                  m_apiBoxes = all;
                                  m_haveApiBoxes = true;
                                  if (config().engines.isEmpty()) {
                                      async.finish(all);
                                      return;
                                  }
                                  // An engine that follows its events is current; the
                                  // others are asked now. A failing engine leaves its boxes
                                  // as Coolify's API tells them.
                                  onFinished(ensureEngines(), this,
                                             [this, async, all](const VoidResult &) {
                                                 QList<QFuture<VoidResult>> pending;
                                                 for (CoolifyEngine *e : std::as_const(m_engines))
                                                     if (!e->isWatching() || !e->hasSnapshot())
                                                         pending << e->refresh();
                                                 onFinished(allOf(this, pending), this,
                                                            [this, async, all](const VoidResult &) {
                                                                async.finish(withEngineTruth(all));
                                                            });
                                             });
                              });
               });
    return async.future();
}

bool CoolifyBackend::isBoxService(const CoolifyService &service)
{
    return service.description.startsWith(kDescriptionPrefix + QLatin1Char(';')) ||
           service.description == kDescriptionPrefix;
}

QFuture<Result<CoolifyBackend::BoxRef>> CoolifyBackend::boxRef(const QString &boxId)
{
    AsyncResult<BoxRef> async;
    onFinished(m_client->services(), this,
               [this, async, boxId](const Result<QList<CoolifyService>> &services) {
                   if (!services) {
                       async.finish(services.error());
                       return;
                   }
                   for (const CoolifyService &svc : services.value()) {
                       if (isBoxService(svc) && (svc.uuid == boxId || svc.name == boxId)) {
                           BoxRef ref;
                           ref.isService = true;
                           ref.service = svc;
                           async.finish(ref);
                           return;
                       }
                   }
                   onFinished(boxApplication(boxId), this,
                              [async](const Result<CoolifyApplication> &app) {
                                  if (!app) {
                                      async.finish(app.error());
                                      return;
                                  }
                                  BoxRef ref;
                                  ref.app = app.value();
                                  async.finish(ref);
                              });
               });
    return async.future();
}

QFuture<Result<CoolifyApplication>> CoolifyBackend::boxApplication(const QString &boxId)
{
    AsyncResult<CoolifyApplication> async;
    // GET /applications/{uuid} carries no tags: check membership through the tagged list.
    onFinished(m_client->applications(QLatin1String(coolify::CoolifyConfig::boxTag)), this,
               [async, boxId](const Result<QList<CoolifyApplication>> &apps) {
                   if (!apps) {
                       async.finish(apps.error());
                       return;
                   }
                   for (const CoolifyApplication &app : apps.value()) {
                       if (app.uuid == boxId || app.name == boxId) {
                           async.finish(app);
                           return;
                       }
                   }
                   async.finish(
                       Error(Error::Kind::NotFound,
                             QStringLiteral("no box '%1' on Coolify (applications tagged '%2')")
                                 .arg(boxId, QLatin1String(coolify::CoolifyConfig::boxTag))));
               });
    return async.future();
}

QFuture<Result<BoxInfo>> CoolifyBackend::status(const QString &boxId)
{
    AsyncResult<BoxInfo> async;
    const QString context = QStringLiteral("status of %1").arg(boxId);
    onFinished(boxRef(boxId), this, [this, async, context](const Result<BoxRef> &ref) {
        if (!ref) {
            async.finish(ref.error().withContext(context));
            return;
        }
        if (ref->isService) {
            onFinished(m_client->service(ref->service.uuid), this,
                       [this, async, context](const Result<CoolifyService> &svc) {
                           if (!svc)
                               async.finish(svc.error().withContext(context));
                           else
                               async.finish(toBoxInfo(svc.value()));
                       });
            return;
        }
        // The full record has fields (health check settings) the list may lack on old
        // servers.
        onFinished(m_client->application(ref->app.uuid), this,
                   [this, async, context](const Result<CoolifyApplication> &full) {
                       if (!full)
                           async.finish(full.error().withContext(context));
                       else
                           async.finish(toBoxInfo(full.value()));
                   });
    });
    return async.future();
}

BoxJob *CoolifyBackend::deploy(const security::BoxSpec &spec)
{
    return new CoolifyDeployJob(this, spec, this);
}

BoxJob *CoolifyBackend::remove(const QString &boxId, bool keepData)
{
    return new CoolifyDeleteJob(this, boxId, keepData, this);
}

QFuture<VoidResult> CoolifyBackend::followed(
    const QString &boxId, const QString &what,
    std::function<QFuture<Result<coolify::CoolifyDeployRequest>>(const QString &)> call)
{
    AsyncResult<void> async;
    const QString context = QStringLiteral("%1 %2").arg(what, boxId);
    onFinished(boxRef(boxId), this, [this, async, call, context, what](const Result<BoxRef> &ref) {
        if (!ref) {
            async.finish(ref.error().withContext(context));
            return;
        }
        if (ref->isService) {
            const QString uuid = ref->service.uuid;
            QFuture<VoidResult> queued = what == QLatin1String("restart")
                                             ? m_client->restartService(uuid)
                                             : m_client->startService(uuid);
            onFinished(followedService(uuid, context, queued), this,
                       [async](const VoidResult &r) { async.finish(r); });
            return;
        }
        const QString uuid = ref->app.uuid;
        onFinished(
            call(uuid), this,
            [this, async, uuid, context](const Result<coolify::CoolifyDeployRequest> &queued) {
                if (!queued) {
                    async.finish(queued.error().withContext(context));
                    return;
                }
                followQueued(uuid, queued->deploymentUuid, context, async);
            });
    });
    return async.future();
}

QFuture<VoidResult> CoolifyBackend::followedService(const QString &uuid, const QString &context,
                                                    QFuture<VoidResult> queued)
{
    AsyncResult<void> async;
    onFinished(queued, this, [this, async, uuid, context](const VoidResult &r) {
        // 400 "Service is already running.": nothing to start, still worth a health check.
        if (!r && r.error().httpStatus() != 400) {
            async.finish(r.error().withContext(context));
            return;
        }
        onFinished(m_client->followService(uuid, m_deployTimeoutMs), this,
                   [this, async, uuid, context](const Result<CoolifyService> &done) {
                       if (!done) {
                           async.finish(done.error().withContext(context));
                           return;
                       }
                       noteDeployed(uuid);
                       async.finish(VoidResult());
                   });
    });
    return async.future();
}

void CoolifyBackend::followQueued(const QString &uuid, const QString &deploymentUuid,
                                  const QString &context, AsyncResult<void> async)
{
    onFinished(m_client->followDeployment(uuid, deploymentUuid, m_deployTimeoutMs), this,
               [this, async, uuid, context](const Result<coolify::CoolifyDeployment> &done) {
                   if (!done) {
                       async.finish(done.error().withContext(context));
                   } else if (done->status != coolify::CoolifyDeployment::Status::Finished) {
                       async.finish(Error(Error::Kind::Server,
                                          QStringLiteral("deployment %1 %2")
                                              .arg(done->deploymentUuid, done->statusText))
                                        .withContext(context));
                   } else {
                       noteDeployed(uuid);
                       async.finish(VoidResult());
                   }
               });
}

QFuture<VoidResult> CoolifyBackend::start(const QString &boxId)
{
    return followed(boxId, QStringLiteral("start"),
                    [this](const QString &uuid) { return m_client->start(uuid); });
}

QFuture<VoidResult> CoolifyBackend::restart(const QString &boxId)
{
    return followed(boxId, QStringLiteral("restart"),
                    [this](const QString &uuid) { return m_client->restart(uuid); });
}

QFuture<VoidResult> CoolifyBackend::stop(const QString &boxId)
{
    AsyncResult<void> async;
    const QString context = QStringLiteral("stop %1").arg(boxId);
    onFinished(boxRef(boxId), this, [this, async, context](const Result<BoxRef> &ref) {
        if (!ref) {
            async.finish(ref.error().withContext(context));
            return;
        }
        const bool service = ref->isService;
        QFuture<VoidResult> stopped =
            service ? m_client->stopService(ref->uuid()) : m_client->stop(ref->uuid());
        onFinished(stopped, this, [async, context, service](const VoidResult &r) {
            // 400 "Service is already stopped.": what was asked for.
            if (!r && !(service && r.error().httpStatus() == 400))
                async.finish(r.error().withContext(context));
            else
                async.finish(VoidResult());
        });
    });
    return async.future();
}

QFuture<Result<std::optional<QStringList>>>
CoolifyBackend::recentLogsIfRunning(const QString &boxId, int tail)
{
    using MaybeLines = std::optional<QStringList>;
    AsyncResult<MaybeLines> async;
    const QString context = QStringLiteral("logs of %1").arg(boxId);
    onFinished(boxRef(boxId), this, [this, async, context, tail](const Result<BoxRef> &ref) {
        if (!ref) {
            async.finish(ref.error().withContext(context));
            return;
        }
        const bool service = ref->isService;
        // A service box's container is its compose service, named after the box.
        QFuture<Result<QStringList>> lines =
            service ? m_client->serviceLogs(ref->service.uuid, ref->service.name, tail)
                    : m_client->logs(ref->app.uuid, tail);
        onFinished(lines, this, [async, context, service](const Result<QStringList> &got) {
            // "Application is not running." / "Container is not running." (400) and, for a
            // service never started, "Container not found." (404): a state, not a failure.
            if (!got &&
                (got.error().httpStatus() == 400 || (service && got.error().httpStatus() == 404)))
                async.finish(MaybeLines());
            else if (!got)
                async.finish(got.error().withContext(context));
            else
                async.finish(MaybeLines(got.value()));
        });
    });
    return async.future();
}

QFuture<Result<QStringList>> CoolifyBackend::recentLogs(const QString &boxId, int tail)
{
    AsyncResult<QStringList> async;
    // A stopped box has nothing to show, which is not a failure.
    onFinished(recentLogsIfRunning(boxId, tail), this,
               [async](const Result<std::optional<QStringList>> &lines) {
                   if (!lines)
                       async.finish(lines.error());
                   else
                       async.finish(lines->value_or(QStringList()));
               });
    return async.future();
}

// --- watching -------------------------------------------------------------------------------

void CoolifyBackend::connectNotify(const QMetaMethod &signal)
{
    if (signal == QMetaMethod::fromSignal(&BoxBackend::boxChanged) ||
        signal == QMetaMethod::fromSignal(&BoxBackend::boxRemoved) ||
        signal == QMetaMethod::fromSignal(&BoxBackend::connectionChanged))
        QMetaObject::invokeMethod(
            this, [this] { setWatching(true); }, Qt::QueuedConnection);
}

void CoolifyBackend::setPollIntervalMs(int ms)
{
    m_pollTimer.setInterval(std::max(ms, 10));
}

void CoolifyBackend::setWatching(bool on)
{
    if (on == m_pollTimer.isActive())
        return;
    for (CoolifyEngine *e : std::as_const(m_engines))
        e->setWatching(on);
    if (!on) {
        m_pollTimer.stop();
        return;
    }
    m_pollTimer.start();
    poll();
}

void CoolifyBackend::poll()
{
    if (m_polling) // a slow answer must not stack requests
        return;
    m_polling = true;
    onFinished(list(), this, [this](const Result<QList<BoxInfo>> &boxes) {
        m_polling = false;
        if (!boxes) {
            if (m_connected || !m_everPolled)
                emit connectionChanged(false, boxes.error().toString());
            m_connected = false;
            m_everPolled = true;
            return;
        }
        if (!m_connected)
            emit connectionChanged(true, {});
        m_connected = true;
        m_everPolled = true;
        publish(boxes.value());
    });
}

void CoolifyBackend::publish(const QList<BoxInfo> &boxes)
{
    QHash<QString, BoxInfo> seen;
    for (const BoxInfo &box : boxes) {
        seen.insert(box.id, box);
        const auto known = m_known.constFind(box.id);
        if (known == m_known.constEnd() || !(known.value() == box))
            emit boxChanged(box);
    }
    for (auto it = m_known.constBegin(); it != m_known.constEnd(); ++it) {
        if (!seen.contains(it.key()))
            emit boxRemoved(id(), it.key());
    }
    m_known = seen;
}

// --- engine truth ---------------------------------------------------------------------------

void CoolifyBackend::setStatsInterval(int ms)
{
    m_statsIntervalMs = ms;
    for (CoolifyEngine *e : std::as_const(m_engines))
        e->setStatsInterval(ms);
}

QFuture<VoidResult> CoolifyBackend::ensureEngines()
{
    AsyncResult<void> async;
    bool wanted = false;
    for (const coolify::CoolifyEngineAccess &a : config().engines)
        wanted = wanted || a.enabled;
    if (m_enginesResolved || !wanted) {
        async.finish(VoidResult());
        return async.future();
    }
    onFinished(m_client->servers(), this,
               [this, async](const Result<QList<coolify::CoolifyServer>> &servers) {
                   if (!servers) {
                       // Asked again with the next list.
                       async.finish(servers.error().withContext(
                           QStringLiteral("Coolify servers for engine access")));
                       return;
                   }
                   if (m_enginesResolved) {
                       async.finish(VoidResult());
                       return;
                   }
                   m_enginesResolved = true;
                   for (const coolify::CoolifyEngineAccess &a : config().engines) {
                       if (!a.enabled)
                           continue;
                       for (const coolify::CoolifyServer &server : servers.value()) {
                           if (server.uuid != a.serverUuid)
                               continue;
                           auto *engine = new CoolifyEngine(server, a, this);
                           engine->setStatsInterval(m_statsIntervalMs);
                           connect(engine, &CoolifyEngine::changed, this,
                                   &CoolifyBackend::scheduleEnginePublish);
                           connect(engine, &CoolifyEngine::reachabilityChanged, this,
                                   &CoolifyBackend::scheduleEnginePublish);
                           m_engines << engine;
                           if (isWatching())
                               engine->setWatching(true);
                       }
                   }
                   async.finish(VoidResult());
               });
    return async.future();
}

QFuture<VoidResult> CoolifyBackend::refreshEngines()
{
    AsyncResult<void> async;
    onFinished(ensureEngines(), this, [this, async](const VoidResult &ensured) {
        if (!ensured) {
            async.finish(ensured);
            return;
        }
        QList<QFuture<VoidResult>> pending;
        for (CoolifyEngine *e : std::as_const(m_engines))
            pending << e->refresh();
        onFinished(allOf(this, pending), this, [async](const VoidResult &r) { async.finish(r); });
    });
    return async.future();
}

void CoolifyBackend::scheduleEnginePublish()
{
    if (m_enginePublishQueued || !m_haveApiBoxes || !isWatching())
        return;
    m_enginePublishQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_enginePublishQueued = false;
            publish(withEngineTruth(m_apiBoxes));
        },
        Qt::QueuedConnection);
}

BoxInfo CoolifyBackend::withEngineTruth(const BoxInfo &api) const
{
    for (CoolifyEngine *engine : m_engines) {
        const auto c = engine->boxContainer(api.id, api.name);
        if (!c)
            continue;
        const BoxInfo &e = c->info;
        BoxInfo b = api;
        b.state = e.state;
        b.health = e.health;
        b.startedAt = e.startedAt;
        b.exitCode = e.exitCode;
        b.oomKilled = e.oomKilled;
        b.hasHealthCheck = e.hasHealthCheck;
        b.lastHealth = e.lastHealth;
        b.cpuLimit = e.cpuLimit;
        b.memoryUnlimited = e.memoryUnlimited;
        b.resources = e.resources;
        b.detailed = true;
        b.labels.insert(engineLabel(), engine->displayName());
        b.labels.insert(engineLabel() + QStringLiteral(".container"), c->inspect.name);
        const bool engineLive =
            e.state == BoxInfo::State::Running || e.state == BoxInfo::State::Restarting;
        // statusText is Coolify's raw status string (toBoxInfo).
        if (CoolifyStatus::parse(api.statusText).isLive() != engineLive) {
            const QString differ = QStringLiteral("Coolify says %1, the engine says %2")
                                       .arg(api.statusText, e.statusText);
            b.labels.insert(engineDisagreementLabel(), differ);
            b.statusText = differ;
        } else {
            b.statusText = QStringLiteral("%1; engine: %2").arg(api.statusText, e.statusText);
        }
        return b;
    }
    return api;
}

QList<BoxInfo> CoolifyBackend::withEngineTruth(const QList<BoxInfo> &apiBoxes) const
{
    QList<BoxInfo> out;
    QSet<QString> known;
    for (const BoxInfo &b : apiBoxes) {
        known.insert(b.id);
        out << withEngineTruth(b);
    }
    // A box container on the engine that none of Coolify's boxes accounts for: a leftover
    // of a deleted service, or something started by hand under Coolify's labels.
    for (CoolifyEngine *engine : m_engines) {
        for (const CoolifyEngine::Container &c : engine->containers()) {
            if (known.contains(c.resourceUuid) ||
                !c.inspect.labels.contains(QStringLiteral("box-console.box")))
                continue;
            BoxInfo b = c.info;
            b.backendId = id();
            b.backendKind = kind();
            b.host = engine->displayName();
            b.labels.insert(engineLabel(), engine->displayName());
            b.labels.insert(engineLabel() + QStringLiteral(".container"), c.inspect.name);
            const QString differ =
                QStringLiteral("a container Coolify does not know (Coolify resource %1): %2")
                    .arg(c.resourceUuid, c.info.statusText);
            b.labels.insert(engineDisagreementLabel(), differ);
            b.statusText = differ;
            out << b;
        }
    }
    return out;
}

std::optional<CoolifyBackend::EngineTarget> CoolifyBackend::engineTarget(const QString &boxId) const
{
    for (CoolifyEngine *engine : m_engines) {
        if (!engine->client())
            continue;
        for (const CoolifyEngine::Container &c : engine->containers())
            if (c.inspect.id == boxId)
                return EngineTarget{engine, c.inspect.id};
    }
    for (const BoxInfo &b : m_apiBoxes) {
        if (b.id != boxId && b.name != boxId)
            continue;
        for (CoolifyEngine *engine : m_engines) {
            if (!engine->client())
                continue;
            if (const auto c = engine->boxContainer(b.id, b.name))
                return EngineTarget{engine, c->inspect.id};
        }
    }
    // Not listed yet: the service uuid, or the box name the deploy put in its labels.
    for (CoolifyEngine *engine : m_engines) {
        if (!engine->client())
            continue;
        if (const auto c = engine->boxContainer(boxId, {}))
            return EngineTarget{engine, c->inspect.id};
        for (const CoolifyEngine::Container &c : engine->containers())
            if (c.inspect.labels.value(QStringLiteral("box-console.box")) == boxId)
                return EngineTarget{engine, c.inspect.id};
    }
    return std::nullopt;
}

} // namespace bc::boxes
