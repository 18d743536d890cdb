#include "core/boxes/coolifydeployjob.h"

#include "core/boxes/boxegress.h"
#include "core/boxes/boxsecrets.h"
#include "core/boxes/coolifybackend.h"
#include "core/boxes/coolifycomposerenderer.h"
#include "core/boxes/coolifyrecovery.h"
#include "core/infra/boxegressenvironment.h"
#include "core/infra/egresspolicy.h"
#include "core/policy/quotacheck.h"
#include "core/security/hardeningprofile.h"
#include "core/util/futureutil.h"

#include <QPointer>
#include <QTimer>

namespace bc::boxes {

using namespace bc::coolify;

namespace {

Error egressError(const QString &why)
{
    return Error(Error::Kind::Invalid, QStringLiteral("egress: ") + why);
}

// The box side of spec.egress for a box on the Coolify server: the base URLs and
// forwarders of the picked upstreams of the policy the server's proxy runs. The socket
// directory is on the Coolify server, so unlike on Docker it cannot be checked from here.
Result<QMap<QString, QString>> coolifyEgressEnv(const QString &egress, const QString &policyFile)
{
    if (policyFile.isEmpty())
        return egressError(
            QStringLiteral("the box asks for egress policy %1 but no egress policy file is "
                           "configured (BOX_EGRESS_POLICY or egress/policyFile: the policy the "
                           "Coolify server's proxy runs)")
                .arg(egress));
    const auto loaded = infra::EgressPolicy::fromFile(policyFile);
    if (!loaded)
        return egressError(QStringLiteral("cannot use the policy file %1: %2")
                               .arg(policyFile, loaded.error().message()));
    nlohmann::json j = loaded->toJson();
    nlohmann::json picked = nlohmann::json::array();
    QStringList known;
    for (const nlohmann::json &u : j["upstreams"]) {
        const QString name = QString::fromStdString(u.value("name", std::string()));
        known << name;
        if (egress == QLatin1String(BoxEgress::AllUpstreams) || egress == name)
            picked.push_back(u);
    }
    if (picked.empty())
        return egressError(QStringLiteral("unknown egress policy %1 (known: %2, or \"all\")")
                               .arg(egress, known.join(QStringLiteral(", "))));
    j["upstreams"] = picked;
    const auto policy = infra::EgressPolicy::fromJson(j);
    if (!policy)
        return egressError(policy.error().message());
    const auto computed = infra::BoxEgressEnvironment().environment(policy.value());
    if (!computed)
        return egressError(computed.error().message());
    QMap<QString, QString> env = computed.value();
    QStringList forwarders;
    for (const infra::EgressUpstream &u : policy->upstreams())
        forwarders << QStringLiteral("%1:%2").arg(u.localPort).arg(u.name);
    env.insert(QStringLiteral("BOX_EGRESS_DIR"),
               QString::fromLatin1(security::HardeningProfile::ProxySocketTarget));
    env.insert(QStringLiteral("BOX_EGRESS_FORWARDERS"), forwarders.join(QLatin1Char(' ')));
    return env;
}

CoolifyEnvVar secretVar(const QString &key, const QString &value)
{
    CoolifyEnvVar v;
    v.key = key;
    v.value = value;
    // The API never shows the value again, to any token.
    v.isShownOnce = true;
    v.isLiteral = true; // no Coolify variable interpolation inside the value
    v.isBuildtime = false;
    return v;
}

} // namespace

CoolifyDeployJob::CoolifyDeployJob(CoolifyBackend *backend, const security::BoxSpec &spec,
                                   QObject *parent)
    : BoxJob(parent)
    , m_backend(backend)
    , m_spec(spec)
{
    // Start on the next turn so the caller can connect to the signals first.
    QTimer::singleShot(0, this, &CoolifyDeployJob::begin);
}

Result<QByteArray> CoolifyDeployJob::composeFor(const security::BoxSpec &spec,
                                                const CoolifyBackend &backend)
{
    const CoolifyConfig &config = backend.config();
    CoolifyComposeRenderer::Inputs inputs;
    inputs.egressSocketRoot = config.egressSocketRoot;
    inputs.egressGroupId = config.egressGroupId;
    inputs.policyDefault = backend.fleetRules().policyDefault;
    if (!spec.egress.isEmpty() && !config.egressSocketRoot.isEmpty()) {
        auto env = coolifyEgressEnv(spec.egress, config.egressPolicyFile);
        if (!env)
            return env.error();
        inputs.env = env.value();
    }
    auto document = CoolifyComposeRenderer::render(spec, security::HardeningProfile(), inputs);
    if (!document)
        return document.error();
    return CoolifyComposeRenderer::toYaml(document.value());
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
    // Coolify has no deployment record for a service start to cancel: while following,
    // delete at once; before that, the next step boundary does.
    if (m_step == JobStep::Health)
        rollback(Error(Error::Kind::Cancelled, QStringLiteral("deploy cancelled")));
}

void CoolifyDeployJob::fail(const Error &error, JobStep step)
{
    m_vars.clear();
    const QString name = jobStepName(step);
    const Error withStep = error.context().startsWith(name) ? error : error.withContext(name);
    if (!m_serviceUuid.isEmpty())
        rollback(withStep);
    else
        finish(withStep);
}

void CoolifyDeployJob::rollback(const Error &error)
{
    if (m_rollingBack || isFinished())
        return;
    m_rollingBack = true;
    m_vars.clear();
    if (m_serviceUuid.isEmpty() || !m_backend) {
        finish(error);
        return;
    }
    startStep(JobStep::Rollback,
              QStringLiteral("Deleting service %1 created by this deploy").arg(m_serviceUuid));
    CoolifyDeleteOptions everything;
    CoolifyClient *client = m_backend->client();
    const QString uuid = m_serviceUuid;
    const int timeout = m_backend->deleteTimeoutMs();
    onFinished(
        client->deleteService(uuid, everything), this,
        [this, client, uuid, error, timeout](const VoidResult &deleted) {
            if (!deleted && deleted.error().kind() != Error::Kind::NotFound) {
                finish(error.withContext(
                    QStringLiteral("rollback failed too (%1)").arg(deleted.error().toString())));
                return;
            }
            onFinished(client->waitUntilServiceGone(uuid, timeout), this,
                       [this, error](const VoidResult &gone) {
                           if (!gone)
                               emit progress(QStringLiteral("service still being deleted: %1")
                                                 .arg(gone.error().toString()));
                           finish(error);
                       });
        });
}

void CoolifyDeployJob::begin()
{
    // The settings first, as their own step: a missing server is not a fault of the spec.
    m_step = JobStep::Settings;
    startStep(m_step, QStringLiteral("Checking the Coolify settings"));
    if (!m_backend) {
        finish(Error(Error::Kind::Cancelled, QStringLiteral("backend gone")));
        return;
    }
    if (stopIfCancelled())
        return;
    const CoolifyConfig &config = m_backend->config();
    if (config.serverUuid.isEmpty() || config.projectUuid.isEmpty()) {
        fail(Error(Error::Kind::Invalid,
                   QStringLiteral(
                       "Coolify server and project are not configured (COOLIFY_SERVER_UUID, "
                       "COOLIFY_PROJECT_UUID, or coolify/server and coolify/project, which the "
                       "console's Settings pick from the API; 'boxctl coolify servers' and "
                       "'boxctl coolify projects' list them)")),
             m_step);
        return;
    }
    m_step = JobStep::Validate;
    startStep(m_step, QStringLiteral("Checking the box spec and what Coolify can enforce"));
    auto compose = composeFor(m_spec, *m_backend);
    if (!compose) {
        fail(compose.error(), m_step);
        return;
    }
    m_compose = compose.value();
    // Secret names first, all of them: a provider credential or a console secret (the
    // Coolify token) is refused before any value is read.
    for (const QString &name : std::as_const(m_spec.secrets)) {
        if (auto ok = BoxSecrets::checkName(name); !ok) {
            fail(ok.error(), m_step);
            return;
        }
        if (m_spec.env.contains(name)) {
            fail(Error(Error::Kind::Invalid,
                       QStringLiteral("secrets.%1: also set in env; a secret's value comes only "
                                      "from the secret store")
                           .arg(name)),
                 m_step);
            return;
        }
    }
    checkQuota();
}

// Before any secret is read or anything created: the owner's boxes on this instance.
void CoolifyDeployJob::checkQuota()
{
    const FleetRules &rules = m_backend->fleetRules();
    if (!rules.error.isEmpty()) {
        fail(Error(Error::Kind::Invalid, QStringLiteral("settings: ") + rules.error), m_step);
        return;
    }
    const OwnerQuota quota = ConsoleSettings::quotaFor(rules.quotas, m_spec.owner);
    const auto readSecrets = [this] {
        if (!m_spec.secrets.isEmpty())
            emit progress(CoolifyComposeRenderer::secretVisibility());
        m_vars.clear();
        m_pendingSecrets = m_spec.secrets;
        readNextSecret();
    };
    if (quota.isUnlimited()) {
        readSecrets();
        return;
    }
    m_step = JobStep::Quota;
    startStep(m_step, QStringLiteral("Checking the quota of owner %1").arg(m_spec.owner));
    onFinished(m_backend->list(), this,
               [this, quota, readSecrets](const Result<QList<BoxInfo>> &list) {
                   if (stopIfCancelled())
                       return;
                   if (!list) {
                       fail(list.error(), m_step);
                       return;
                   }
                   const auto usage = policy::usageOf(list.value(), m_spec.owner, m_spec.name);
                   if (auto ok = policy::checkQuota(quota, usage, m_spec); !ok) {
                       policy::recordRefusal(m_backend->id(), m_spec, ok.error());
                       fail(ok.error(), m_step);
                       return;
                   }
                   readSecrets();
               });
}

// Every value is read before anything is created: a missing secret refuses the deploy.
void CoolifyDeployJob::readNextSecret()
{
    if (stopIfCancelled())
        return;
    if (m_pendingSecrets.isEmpty()) {
        resolveEnvironment();
        return;
    }
    const QString name = m_pendingSecrets.takeFirst();
    onFinished(BoxSecrets::read(name), this, [this, name](const Result<QString> &value) {
        if (!value) {
            fail(value.error(), m_step);
            return;
        }
        m_vars << secretVar(name, value.value());
        readNextSecret();
    });
}

void CoolifyDeployJob::resolveEnvironment()
{
    const CoolifyConfig &config = m_backend->config();
    if (!config.environmentUuid.isEmpty()) {
        m_environmentUuid = config.environmentUuid;
        create();
        return;
    }
    m_step = JobStep::Environment;
    startStep(m_step, QStringLiteral("Looking up environment %1").arg(config.environmentName));
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
    m_step = JobStep::Create;
    startStep(m_step, QStringLiteral("Creating service %1").arg(m_spec.name));
    const CoolifyConfig &config = m_backend->config();
    CoolifyServiceCreate req;
    req.serverUuid = config.serverUuid;
    req.projectUuid = config.projectUuid;
    req.environmentName = config.environmentName;
    req.environmentUuid = m_environmentUuid;
    req.destinationUuid = config.destinationUuid;
    req.name = m_spec.name;
    req.description = CoolifyBackend::describe(
        {{QStringLiteral("owner"), m_spec.owner},
         {QStringLiteral("subdomain"), m_spec.subdomain},
         {QStringLiteral("image"), m_spec.image},
         {QStringLiteral("cpus"), QString::number(m_spec.cpus)},
         {QStringLiteral("memory"), QString::number(m_spec.memoryBytes)},
         {QStringLiteral("spec"), m_spec.hash()},
         {QStringLiteral("policy"),
          CoolifyBackend::policyMeta(m_spec.policyLabels(m_backend->fleetRules().policyDefault))},
         {QStringLiteral("keep-data"),
          m_spec.keepDataOnDelete ? QStringLiteral("true") : QString()}});
    // Marked as in flight in the very request that creates it: if this process dies before
    // the mark is cleared, recovery finds the service from Coolify alone and deletes it.
    m_description = req.description;
    m_opId = CoolifyRecovery::newOpId();
    req.description = CoolifyRecovery::marked(m_description, QStringLiteral("deploy"), m_opId);
    req.compose = m_compose;
    req.tags = {QLatin1String(CoolifyConfig::boxTag)};
    // Started only after the secrets are set.
    req.instantDeploy = false;
    onFinished(m_backend->client()->createService(req), this, [this](const Result<QString> &uuid) {
        if (!uuid) {
            fail(uuid.error(), m_step);
            return;
        }
        m_serviceUuid = uuid.value();
        emit progress(QStringLiteral("service %1 created").arg(m_serviceUuid));
        if (stopIfCancelled())
            return;
        setEnv();
    });
}

void CoolifyDeployJob::setEnv()
{
    m_step = JobStep::Env;
    startStep(m_step, QStringLiteral("Setting %1 secrets").arg(m_vars.size()));
    onFinished(m_backend->client()->setServiceEnvVars(m_serviceUuid, m_vars), this,
               [this](const VoidResult &set) {
                   m_vars.clear(); // holds secret values: keep them no longer than needed
                   if (stopIfCancelled())
                       return;
                   if (!set) {
                       fail(set.error(), m_step);
                       return;
                   }
                   startService();
               });
}

void CoolifyDeployJob::startService()
{
    m_step = JobStep::Start;
    startStep(m_step, QStringLiteral("Starting service %1").arg(m_serviceUuid));
    onFinished(m_backend->client()->startService(m_serviceUuid), this,
               [this](const VoidResult &queued) {
                   if (stopIfCancelled())
                       return;
                   if (!queued) {
                       fail(queued.error(), m_step);
                       return;
                   }
                   follow();
               });
}

void CoolifyDeployJob::follow()
{
    m_step = JobStep::Health;
    startStep(m_step, QStringLiteral("Waiting for service %1 to be healthy").arg(m_serviceUuid));
    auto observer = [self = QPointer<CoolifyDeployJob>(this)](const CoolifyService &s) {
        if (self)
            emit self->progress(QStringLiteral("service %1: %2").arg(s.uuid, s.status.raw));
    };
    onFinished(
        m_backend->client()->followService(m_serviceUuid, m_backend->deployTimeoutMs(), observer),
        this, [this](const Result<CoolifyService> &done) {
            if (m_rollingBack || isFinished())
                return;
            if (stopIfCancelled())
                return;
            if (!done) {
                fail(done.error(), m_step);
                return;
            }
            succeed();
        });
}

void CoolifyDeployJob::succeed()
{
    // The commit: a service without the mark is a complete box.
    m_step = JobStep::Commit;
    onFinished(m_backend->client()->setDescription(m_serviceUuid, true, m_description), this,
               [this](const VoidResult &committed) {
                   if (m_rollingBack || isFinished())
                       return;
                   if (!committed) {
                       fail(committed.error(), m_step);
                       return;
                   }
                   report();
               });
}

void CoolifyDeployJob::report()
{
    m_backend->noteDeployed(m_serviceUuid);
    const bool hasSecrets = !m_spec.secrets.isEmpty();
    onFinished(m_backend->client()->service(m_serviceUuid), this,
               [this, hasSecrets](const Result<CoolifyService> &svc) {
                   if (!svc) {
                       fail(svc.error(), JobStep::Status);
                       return;
                   }
                   BoxInfo box = m_backend->toBoxInfo(svc.value());
                   if (hasSecrets)
                       box.labels.insert(QStringLiteral("coolify.secret_exposure"),
                                         CoolifyComposeRenderer::secretVisibility());
                   finish(box);
               });
}

} // namespace bc::boxes
