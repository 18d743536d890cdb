#include "core/boxes/coolifydeployjob.h"

#include "core/boxes/coolifybackend.h"
#include "core/util/futureutil.h"
#include "core/util/secretstore.h"

#include <QPointer>
#include <QTimer>

#include <memory>

namespace bc::boxes {

using namespace bc::coolify;

CoolifyDeployJob::CoolifyDeployJob(CoolifyBackend *backend, const security::BoxSpec &spec,
                                   QObject *parent)
    : BoxJob(parent)
    , m_backend(backend)
    , m_spec(spec)
{
    // Start on the next turn so the caller can connect to the signals first.
    QTimer::singleShot(0, this, &CoolifyDeployJob::begin);
}

static void splitImage(const QString &image, QString *name, QString *tag)
{
    // registry:5000/repo:tag -> the tag is after the last ':' only if that is after the last '/'.
    *name = image;
    tag->clear();
    if (image.contains(QLatin1Char('@')))
        return; // a digest: Coolify splits name@sha256:… itself
    const qsizetype slash = image.lastIndexOf(QLatin1Char('/'));
    const qsizetype colon = image.lastIndexOf(QLatin1Char(':'));
    if (colon > slash) {
        *name = image.left(colon);
        *tag = image.mid(colon + 1);
    }
}

CoolifyAppCreate CoolifyDeployJob::createRequest(const security::BoxSpec &spec,
                                                 const CoolifyBackend &backend)
{
    const CoolifyConfig &config = backend.config();
    CoolifyAppCreate req;
    req.serverUuid = config.serverUuid;
    req.projectUuid = config.projectUuid;
    req.environmentName = config.environmentName;
    req.environmentUuid = config.environmentUuid;
    req.destinationUuid = config.destinationUuid;
    req.name = spec.name;
    req.description = CoolifyBackend::describe({{QStringLiteral("owner"), spec.owner},
                                                {QStringLiteral("subdomain"), spec.subdomain},
                                                {QStringLiteral("spec"), spec.hash()}});
    splitImage(spec.image, &req.image, &req.imageTag);
    // code-server and the box-agent.
    req.portsExposes = QStringLiteral("8080,9999");
    const QString domain = backend.domainFor(spec.subdomain);
    if (!domain.isEmpty())
        req.domains = {domain};
    req.tags = {QLatin1String(CoolifyConfig::boxTag)};
    // Coolify probes over HTTP; the box-agent's /health is what the box's own HEALTHCHECK
    // probes too (design decision 5).
    req.healthCheckEnabled = true;
    req.healthCheckPath = QStringLiteral("/health");
    req.healthCheckPort = QStringLiteral("9999");
    const qint64 mib = std::max<qint64>(spec.memoryBytes / (1024 * 1024), 6);
    req.limitsMemory = QString::number(mib) + QLatin1Char('m');
    req.limitsMemorySwap = req.limitsMemory; // no swap beyond memory (decision 8)
    req.limitsCpus = QString::number(spec.cpus, 'g', 4);
    // The options Coolify passes through to docker run (it ignores those it does not know).
    req.customDockerRunOptions =
        QStringLiteral("--cap-drop=ALL --security-opt=no-new-privileges --init "
                       "--pids-limit=%1 --ulimit nofile=1024:4096")
            .arg(spec.pids);
    return req;
}

bool CoolifyDeployJob::stopIfCancelled()
{
    if (!m_cancelled)
        return false;
    rollback(Error(Error::Kind::Cancelled, QStringLiteral("deploy cancelled")));
    return true;
}

void CoolifyDeployJob::cancel()
{
    if (isFinished() || m_cancelled)
        return;
    m_cancelled = true;
    // A running deployment is cancelled in Coolify; the follow loop then sees
    // cancelled-by-user and rolls back. Before that, the next step boundary does.
    if (m_backend && !m_deploymentUuid.isEmpty())
        m_backend->client()->cancelDeployment(m_deploymentUuid);
}

void CoolifyDeployJob::fail(const Error &error, const QString &step)
{
    const Error withStep = error.context().startsWith(step) ? error : error.withContext(step);
    if (!m_appUuid.isEmpty())
        rollback(withStep);
    else
        finish(withStep);
}

void CoolifyDeployJob::rollback(const Error &error)
{
    if (m_rollingBack)
        return;
    m_rollingBack = true;
    if (m_appUuid.isEmpty() || !m_backend) {
        finish(error);
        return;
    }
    emit stepStarted(
        QStringLiteral("rollback"),
        QStringLiteral("Deleting application %1 created by this deploy").arg(m_appUuid));
    CoolifyDeleteOptions everything;
    CoolifyClient *client = m_backend->client();
    const QString uuid = m_appUuid;
    const int timeout = m_backend->deleteTimeoutMs();
    onFinished(
        client->deleteApplication(uuid, everything), this,
        [this, client, uuid, error, timeout](const VoidResult &deleted) {
            if (!deleted && deleted.error().kind() != Error::Kind::NotFound) {
                finish(error.withContext(
                    QStringLiteral("rollback failed too (%1)").arg(deleted.error().toString())));
                return;
            }
            onFinished(client->waitUntilGone(uuid, timeout), this,
                       [this, error](const VoidResult &gone) {
                           if (!gone)
                               emit progress(QStringLiteral("application still being deleted: %1")
                                                 .arg(gone.error().toString()));
                           finish(error);
                       });
        });
}

void CoolifyDeployJob::begin()
{
    m_step = QStringLiteral("validate");
    emit stepStarted(m_step, QStringLiteral("Checking the box spec and the Coolify settings"));
    if (!m_backend) {
        finish(Error(Error::Kind::Cancelled, QStringLiteral("backend gone")));
        return;
    }
    if (stopIfCancelled())
        return;
    const CoolifyConfig &config = m_backend->config();
    if (m_spec.image.isEmpty()) {
        fail(Error(Error::Kind::Invalid,
                   QStringLiteral("image: Coolify boxes deploy a prebuilt image; "
                                  "build it first (skills are built on Docker)")),
             m_step);
        return;
    }
    if (config.serverUuid.isEmpty() || config.projectUuid.isEmpty()) {
        fail(Error(Error::Kind::Invalid,
                   QStringLiteral(
                       "Coolify server and project are not configured (COOLIFY_SERVER_UUID, "
                       "COOLIFY_PROJECT_UUID or coolify/server, coolify/project in the settings; "
                       "'boxctl coolify servers' and 'boxctl coolify projects' list them)")),
             m_step);
        return;
    }
    if (config.domain.isEmpty())
        emit progress(QStringLiteral(
            "no box domain configured (AGENTS_DOMAIN / coolify/domain): the box gets no URL"));
    resolveEnvironment();
}

void CoolifyDeployJob::resolveEnvironment()
{
    m_step = QStringLiteral("environment");
    const CoolifyConfig &config = m_backend->config();
    if (!config.environmentUuid.isEmpty()) {
        m_environmentUuid = config.environmentUuid;
        create();
        return;
    }
    emit stepStarted(m_step,
                     QStringLiteral("Looking up environment %1").arg(config.environmentName));
    onFinished(m_backend->client()->environment(config.projectUuid, config.environmentName), this,
               [this](const Result<CoolifyEnvironment> &env) {
                   if (stopIfCancelled())
                       return;
                   if (!env) {
                       fail(env.error(), m_step);
                       return;
                   }
                   m_environmentUuid = env->uuid;
                   create();
               });
}

void CoolifyDeployJob::create()
{
    m_step = QStringLiteral("create");
    emit stepStarted(m_step, QStringLiteral("Creating application %1").arg(m_spec.name));
    CoolifyAppCreate req = createRequest(m_spec, *m_backend);
    req.environmentUuid = m_environmentUuid;
    onFinished(m_backend->client()->createApplication(req), this,
               [this](const Result<QString> &uuid) {
                   if (!uuid) {
                       fail(uuid.error(), m_step);
                       return;
                   }
                   m_appUuid = uuid.value();
                   emit progress(QStringLiteral("application %1 created").arg(m_appUuid));
                   if (stopIfCancelled())
                       return;
                   setEnv();
               });
}

static CoolifyEnvVar envVar(const QString &key, const QString &value, bool secret)
{
    CoolifyEnvVar v;
    v.key = key;
    v.value = value;
    // Secrets are write-only through the API afterwards; nobody reads them back.
    v.isShownOnce = secret;
    v.isLiteral = true; // no Coolify variable interpolation inside values
    v.isBuildtime = false;
    return v;
}

void CoolifyDeployJob::setEnv()
{
    m_step = QStringLiteral("env");
    emit stepStarted(m_step, QStringLiteral("Setting %1 environment variables and %2 secrets")
                                 .arg(m_spec.env.size() + 2)
                                 .arg(m_spec.secrets.size()));
    m_vars.clear();
    for (auto it = m_spec.env.begin(); it != m_spec.env.end(); ++it)
        m_vars << envVar(it.key(), it.value(), false);
    m_vars << envVar(QStringLiteral("BOX_NAME"), m_spec.name, false);
    m_vars << envVar(QStringLiteral("BOX_SUBDOMAIN"), m_spec.subdomain, false);
    m_pendingSecrets = m_spec.secrets;
    readNextSecret();
}

// Secrets are names in the SecretStore, read one after the other, then everything goes
// out in one bulk request.
void CoolifyDeployJob::readNextSecret()
{
    if (stopIfCancelled())
        return;
    if (m_pendingSecrets.isEmpty()) {
        onFinished(m_backend->client()->setEnvVars(m_appUuid, m_vars), this,
                   [this](const VoidResult &set) {
                       m_vars.clear(); // holds secret values: keep them no longer than needed
                       if (stopIfCancelled())
                           return;
                       if (!set) {
                           fail(set.error(), m_step);
                           return;
                       }
                       startDeployment();
                   });
        return;
    }
    const QString name = m_pendingSecrets.takeFirst();
    onFinished(util::SecretStore::read(name), this, [this, name](const Result<QString> &value) {
        if (!value) {
            m_vars.clear();
            fail(Error(value.error().kind() == Error::Kind::NotFound ? Error::Kind::Invalid
                                                                     : value.error().kind(),
                       QStringLiteral("secret '%1' is not in the secret store").arg(name)),
                 m_step);
            return;
        }
        m_vars << envVar(name, value.value(), true);
        readNextSecret();
    });
}

void CoolifyDeployJob::startDeployment()
{
    m_step = QStringLiteral("start");
    emit stepStarted(m_step, QStringLiteral("Queueing the first deployment"));
    onFinished(m_backend->client()->start(m_appUuid), this,
               [this](const Result<CoolifyDeployRequest> &queued) {
                   if (!queued) {
                       fail(queued.error(), m_step);
                       return;
                   }
                   m_deploymentUuid = queued->deploymentUuid;
                   // cancel() came while the start was in flight: cancel the deployment just
                   // queued; the follow loop then sees cancelled-by-user and rolls back.
                   if (m_cancelled && !m_deploymentUuid.isEmpty())
                       m_backend->client()->cancelDeployment(m_deploymentUuid);
                   follow(m_deploymentUuid);
               });
}

void CoolifyDeployJob::follow(const QString &deploymentUuid)
{
    m_step = QStringLiteral("health");
    emit stepStarted(m_step, QStringLiteral("Waiting for deployment %1").arg(deploymentUuid));
    // The client calls the observer from its own polling, which outlives a job deleted
    // before it finished.
    auto observer = [self = QPointer<CoolifyDeployJob>(this)](const CoolifyDeployment &d) {
        if (!self)
            return;
        if (!d.deploymentUuid.isEmpty() && d.deploymentUuid != self->m_deploymentUuid)
            self->m_deploymentUuid = d.deploymentUuid; // the fallback found the real one
        emit self->progress(
            QStringLiteral("deployment %1: %2").arg(d.deploymentUuid, d.statusText));
    };
    onFinished(
        m_backend->client()->followDeployment(m_appUuid, deploymentUuid,
                                              m_backend->deployTimeoutMs(), observer),
        this, [this](const Result<CoolifyDeployment> &done) {
            if (!done) {
                fail(done.error(), m_step);
                return;
            }
            if (done->status == CoolifyDeployment::Status::CancelledByUser || m_cancelled) {
                rollback(Error(Error::Kind::Cancelled, QStringLiteral("deploy cancelled")));
                return;
            }
            if (done->status != CoolifyDeployment::Status::Finished) {
                fail(Error(Error::Kind::Server,
                           QStringLiteral("Coolify deployment %1 %2 (see its logs in Coolify)")
                               .arg(done->deploymentUuid, done->statusText)),
                     m_step);
                return;
            }
            succeed();
        });
}

void CoolifyDeployJob::succeed()
{
    m_backend->noteDeployed(m_appUuid);
    onFinished(m_backend->client()->application(m_appUuid), this,
               [this](const Result<CoolifyApplication> &app) {
                   if (!app) {
                       fail(app.error(), QStringLiteral("status"));
                       return;
                   }
                   finish(m_backend->toBoxInfo(app.value()));
               });
}

} // namespace bc::boxes
