#include "core/boxes/deployjob.h"

#include "core/boxes/boxcreatebody.h"
#include "core/boxes/boxegress.h"
#include "core/boxes/boxlabels.h"
#include "core/boxes/boxsecrets.h"
#include "core/boxes/dockerboxinfo.h"
#include "core/boxes/opholder.h"
#include "core/boxes/oplabels.h"
#include "core/docker/buildjob.h"
#include "core/docker/dockerclient.h"
#include "core/docker/eventstream.h"
#include "core/docker/logoptions.h"
#include "core/docker/logstream.h"
#include "core/docker/memorytar.h"
#include "core/policy/quotacheck.h"
#include "core/security/hardeningprofile.h"
#include "core/util/async.h"
#include "core/util/futureutil.h"

#include "core/infra/skilldockerfilegenerator.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QUuid>
#include <QtConcurrent>

namespace bc::boxes {

// How long a rollback waits before trusting an engine that may be restarting.
static constexpr int EngineSettleMs = 5000;

using docker::ContainerInspect;
using Kind = Error::Kind;

using security::HardeningProfile;

namespace {
bool isTransport(const Error &e)
{
    return e.kind() == Kind::Transport || e.kind() == Kind::Timeout;
}

QString flatten(const Error &e)
{
    return e.context().isEmpty() ? e.message() : e.context() + QStringLiteral(": ") + e.message();
}

QString cap(QString text, int n = 300)
{
    text = text.trimmed();
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text.size() > n ? text.left(n) + QStringLiteral("…") : text;
}

bool isNotFound(const Error &e)
{
    return e.kind() == Kind::NotFound;
}

// For the steps that name what they were doing when it failed.
std::function<Error(const Error &)> inContext(const QString &context)
{
    return [context](const Error &e) { return e.withContext(context); };
}
} // namespace

DeployJob::DeployJob(docker::DockerClient *client, security::BoxSpec spec, DeployOptions options,
                     const BoxInfo &base, QObject *parent)
    : BoxJob(parent)
    , m_client(client)
    , m_spec(std::move(spec))
    , m_options(std::move(options))
    , m_base(base)
    , m_journal(m_options.journalDir)
    , m_endpoint(client ? client->endpoint().toUrl() : QString())
    , m_deployId(QUuid::createUuid().toString(QUuid::WithoutBraces).left(12))
{
    m_created.deployId = m_deployId;
    m_created.endpoint = m_endpoint;
    m_created.box = m_spec.name;
    m_healthTimer.setSingleShot(true);
    connect(&m_healthTimer, &QTimer::timeout, this, [this] {
        if (m_failed || isFinished())
            return;
        const QString last = m_lastHealthOutput.isEmpty()
                                 ? QString()
                                 : QStringLiteral(" (last probe: %1)").arg(m_lastHealthOutput);
        fail(Error(Kind::Timeout, QStringLiteral("not healthy after %1 s%2")
                                      .arg(m_options.healthTimeoutMs / 1000.0)
                                      .arg(last)));
    });
    m_retryTimer.setSingleShot(true);
    // Started on the next loop turn so that callers can connect to the signals first.
    QMetaObject::invokeMethod(this, &DeployJob::begin, Qt::QueuedConnection);
}

DeployJob::~DeployJob()
{
    // Their finished would start a rollback from this destructor: a destroyed job only
    // stops; its journal entry lets the next deploy or delete of the box clean up.
    if (m_events) {
        disconnect(m_events, nullptr, this, nullptr);
        m_events->cancel();
    }
    if (m_build) {
        disconnect(m_build, nullptr, this, nullptr);
        m_build->cancel();
    }
    if (!m_buildDir.isEmpty())
        QDir(m_buildDir).removeRecursively();
}

template <typename T, typename F> void DeployJob::then(QFuture<T> future, F &&handler)
{
    ++m_pending;
    onFinished(
        future, this,
        [this, handler = std::forward<F>(handler)](const T &result) mutable {
            --m_pending;
            handler(result);
        },
        WhenReady::RunNow);
}

template <typename T, typename Next>
void DeployJob::proceed(QFuture<Result<T>> future, Next &&next, StepErrors errors)
{
    proceedCreating(std::move(future), nullptr, std::forward<Next>(next), std::move(errors));
}

template <typename T, typename Created, typename Next>
void DeployJob::proceedCreating(QFuture<Result<T>> future, Created &&created, Next &&next,
                                StepErrors errors)
{
    then(std::move(future),
         [this, created = std::forward<Created>(created), next = std::forward<Next>(next),
          errors = std::move(errors)](const Result<T> &r) mutable {
             if constexpr (!std::is_null_pointer_v<std::decay_t<Created>>) {
                 if (r)
                     created(r.value());
             }
             if (cancelled())
                 return;
             if (!r && !(errors.expected && errors.expected(r.error()))) {
                 fail(errors.rephrase ? errors.rephrase(r.error()) : r.error());
                 return;
             }
             // A call that does not go to the engine (secret store, disk) may outlive the client.
             if (!m_client) {
                 fail(Error(Kind::Cancelled, QStringLiteral("Docker client closed")));
                 return;
             }
             next(r);
         });
}

void DeployJob::enter(const QString &step, const QString &text)
{
    m_step = step;
    emit stepStarted(step, text);
}

bool DeployJob::cancelled()
{
    if (m_failed)
        return true;
    if (m_cancelRequested) {
        fail(Error(Kind::Cancelled, QStringLiteral("cancelled")));
        return true;
    }
    return false;
}

void DeployJob::cancel()
{
    if (isFinished() || m_cancelRequested)
        return;
    m_cancelRequested = true;
    if (m_failed)
        return; // already rolling back; the result will say why
    if (m_build) {
        m_build->cancel(); // its finished (Cancelled) drives the rollback
        return;
    }
    // Nothing in flight (waiting for health, or not started): roll back now. Otherwise the
    // pending call's handler sees the flag after recording what it created.
    if (m_step == QLatin1String("health") || m_pending == 0)
        fail(Error(Kind::Cancelled, QStringLiteral("cancelled")));
}

void DeployJob::record()
{
    if (m_created.isEmpty())
        m_journal.remove(m_endpoint, m_spec.name);
    else
        m_journal.write(m_created);
}

QMap<QString, QString> DeployJob::objectLabels(const QString &role) const
{
    QMap<QString, QString> l = m_options.extraLabels;
    l.insert(labels::box(), m_spec.name);
    l.insert(labels::deployId(), m_deployId);
    l.insert(labels::role(), role);
    if (!m_spec.owner.isEmpty())
        l.insert(labels::owner(), m_spec.owner);
    if (!m_spec.subdomain.isEmpty())
        l.insert(labels::subdomain(), m_spec.subdomain);
    if (m_options.dev)
        l.insert(labels::dev(), QStringLiteral("1"));
    return l;
}

// ---- validate ---------------------------------------------------------------------------

void DeployJob::begin()
{
    if (isFinished())
        return;
    enter(QStringLiteral("validate"), QStringLiteral("Checking the spec of %1").arg(m_spec.name));
    if (cancelled())
        return;
    if (!m_client) {
        fail(Error(Kind::Invalid, QStringLiteral("no Docker client")));
        return;
    }
    // Validated here, whoever built the spec (a file, the GUI's form, code): nothing may
    // reach the engine unchecked.
    if (auto valid = m_spec.validate(); !valid) {
        fail(valid.error());
        return;
    }
    checkQuota();
}

// Before anything is read or created: the owner's boxes on this engine, whichever backend
// made them.
void DeployJob::checkQuota()
{
    const auto readAll = [this] {
        m_extraEnv.clear();
        m_secretValues.clear();
        readSecrets(0);
    };
    if (!m_options.fleet.error.isEmpty()) {
        fail(Error(Kind::Invalid, QStringLiteral("settings: ") + m_options.fleet.error));
        return;
    }
    const OwnerQuota quota = ConsoleSettings::quotaFor(m_options.fleet.quotas, m_spec.owner);
    if (quota.isUnlimited()) {
        readAll();
        return;
    }
    enter(QStringLiteral("quota"),
          QStringLiteral("Checking the quota of owner %1").arg(m_spec.owner));
    proceed(policy::engineUsage(m_client, m_spec.owner, m_spec.name, this),
            [this, quota, readAll](const Result<policy::QuotaUsage> &usage) {
                if (auto ok = policy::checkQuota(quota, usage.value(), m_spec); !ok) {
                    const QString backendId = (m_options.dev ? QStringLiteral("docker-dev:")
                                                             : QStringLiteral("docker:")) +
                                              m_endpoint;
                    policy::recordRefusal(backendId, m_spec, ok.error());
                    fail(ok.error());
                    return;
                }
                readAll();
            });
}

void DeployJob::readSecrets(int index)
{
    if (cancelled())
        return;
    if (index >= m_spec.secrets.size()) {
        if (!m_spec.secrets.isEmpty())
            emit progress(QStringLiteral("Read %1 secret(s) from the secret store: %2")
                              .arg(m_spec.secrets.size())
                              .arg(m_spec.secrets.join(QStringLiteral(", "))));
        resolveEgress();
        return;
    }
    const QString name = m_spec.secrets.at(index);
    // Its error names the secret, never holds a value.
    proceed(BoxSecrets::read(name), [this, name, index](const Result<QString> &value) {
        m_secretValues.insert(name, value.value());
        readSecrets(index + 1);
    });
}

void DeployJob::resolveEgress()
{
    if (m_spec.egress.isEmpty()) {
        cleanupLeftovers();
        return;
    }
    // The proxy, its socket directories and the grants live on this host; a remote engine
    // would mount a directory of its own host, empty or someone else's.
    if (m_client && m_client->endpoint().transport != http::Endpoint::Transport::Unix &&
        !m_options.egressRemoteEngine) {
        fail(Error(Kind::Invalid,
                   QStringLiteral("egress: the engine %1 is not on this host, and the egress "
                                  "proxy's per-box sockets are; deploy boxes with egress on "
                                  "the local engine (or set egress/remoteEngine when the proxy "
                                  "runs on the engine's host and shares the grants and socket "
                                  "directories)")
                       .arg(m_endpoint)));
        return;
    }
    const QString egress = m_spec.egress;
    const QString policyFile = m_options.egressPolicyFile;
    const QString socketDir = m_options.proxySocketDir;
    const QString box = m_spec.name;
    // Reads the policy file and stats the socket directory: off the GUI thread.
    proceed(QtConcurrent::run([egress, policyFile, socketDir, box] {
                return BoxEgress::resolve(egress, policyFile, socketDir, box);
            }),
            [this, box](const Result<BoxEgress> &resolved) {
                for (auto it = resolved->env.cbegin(); it != resolved->env.cend(); ++it) {
                    if (m_extraEnv.contains(it.key())) {
                        fail(
                            Error(Kind::Invalid,
                                  QStringLiteral("secrets.%1: the egress policy sets this variable")
                                      .arg(it.key())));
                        return;
                    }
                    m_extraEnv.insert(it.key(), it.value());
                }
                m_egressSocketDir = resolved->socketDir;
                QStringList names;
                for (const auto &u : resolved->policy.upstreams())
                    names << u.name;
                emit progress(
                    QStringLiteral("Granting %1 egress through %2; waiting for the "
                                   "proxy's sockets in %3")
                        .arg(m_spec.name, names.join(QStringLiteral(", ")), m_egressSocketDir));
                const BoxEgress resolvedEgress = resolved.value();
                const DeployOptions options = m_options;
                // Writes the grant, reloads the proxy, waits for the sockets: blocking.
                // Kept even when the deploy was cancelled meanwhile: the failure path
                // reverts it.
                proceedCreating(
                    QtConcurrent::run([resolvedEgress, box, options] {
                        return BoxEgress::grant(resolvedEgress, box, options);
                    }),
                    [this](const BoxEgress::GrantChange &change) { m_egressGrant = change; },
                    [this](const Result<BoxEgress::GrantChange> &) { cleanupLeftovers(); });
            });
}

void DeployJob::cleanupLeftovers()
{
    // A previous deploy of this box that could not roll back (engine gone, process killed).
    const DeployJournal::Entry old = m_journal.read(m_endpoint, m_spec.name);
    if (old.isEmpty() || old.deployId == m_deployId) {
        checkNames();
        return;
    }
    if (!old.previous.isEmpty() || old.kind == QLatin1String("delete")) {
        // A redeploy must restore its previous box, a delete must finish: recovery's job.
        fail(Error(Kind::Conflict,
                   QStringLiteral("an interrupted %1 of %2 (%3) is not recovered yet; run "
                                  "`boxctl gc` or restart the console")
                       .arg(old.kind, m_spec.name, old.deployId)));
        return;
    }
    emit progress(
        QStringLiteral("Removing leftovers of an interrupted deploy (%1)").arg(old.deployId));
    auto state = std::make_shared<DeployJournal::Entry>(old);
    if (!state->marker.isEmpty())
        state->volumes << state->marker; // last: it says the rest may still be there
    auto step = std::make_shared<std::function<void()>>();
    *step = [this, state, step] {
        auto done = [this, state, step](const VoidResult &r) {
            if (!r && r.error().kind() != Kind::NotFound && isTransport(r.error())) {
                fail(r.error().withContext(QStringLiteral("remove leftovers")));
                return;
            }
            (*step)();
        };
        if (!state->containers.isEmpty()) {
            then(m_client->removeContainer(state->containers.takeFirst(), true), done);
        } else if (!state->networks.isEmpty()) {
            then(m_client->removeNetwork(state->networks.takeFirst()), done);
        } else if (!state->volumes.isEmpty()) {
            then(m_client->removeVolume(state->volumes.takeFirst()), done);
        } else {
            state->images.clear(); // images are a cache, not a leftover worth failing on
            m_journal.remove(m_endpoint, m_spec.name);
            *step = nullptr; // break the self-reference
            checkNames();
        }
    };
    (*step)();
}

void DeployJob::checkNames()
{
    if (cancelled())
        return;
    docker::Filters filters;
    filters.insert(QStringLiteral("label"), {labels::box()});
    proceed(
        m_client->listContainers(true, filters),
        [this](const Result<QList<docker::ContainerSummary>> &list) {
            QList<int> usedOffsets;
            for (const auto &c : list.value()) {
                const QString box = c.labels.value(labels::box());
                if (box == m_spec.name)
                    continue;
                const QString sub = c.labels.value(labels::subdomain());
                if (!m_spec.subdomain.isEmpty() &&
                    sub.compare(m_spec.subdomain, Qt::CaseInsensitive) == 0) {
                    fail(Error(Kind::Conflict,
                               QStringLiteral("subdomain: %1 is already used by box %2")
                                   .arg(m_spec.subdomain, box)));
                    return;
                }
                bool ok = false;
                const int off = c.labels.value(labels::devPortOffset()).toInt(&ok);
                if (ok)
                    usedOffsets << off;
            }
            while (usedOffsets.contains(m_devPortOffset))
                ++m_devPortOffset;
            proceed(
                m_client->inspectContainer(m_spec.name),
                [this](const Result<ContainerInspect> &existing) {
                    if (existing) {
                        const auto &c = existing.value();
                        if (c.labels.value(labels::box()) != m_spec.name) {
                            fail(Error(Kind::Conflict,
                                       QStringLiteral("name: a container named %1 exists and is "
                                                      "not a box-console box")
                                           .arg(m_spec.name)));
                            return;
                        }
                        const QString owner = c.labels.value(labels::owner());
                        if (!owner.isEmpty() && !m_spec.owner.isEmpty() && owner != m_spec.owner) {
                            fail(Error(Kind::Conflict,
                                       QStringLiteral("name: box %1 belongs to another owner")
                                           .arg(m_spec.name)));
                            return;
                        }
                        if (m_options.dev !=
                            (c.labels.value(labels::dev()) == QLatin1String("1"))) {
                            fail(Error(Kind::Conflict,
                                       QStringLiteral("name: box %1 exists on the %2 backend")
                                           .arg(m_spec.name, m_options.dev
                                                                 ? QStringLiteral("docker")
                                                                 : QStringLiteral("docker-dev"))));
                            return;
                        }
                        if (!m_options.redeploy) {
                            fail(Error(Kind::Conflict,
                                       QStringLiteral("box %1 exists; use redeploy to replace it "
                                                      "(the running box is kept until the new "
                                                      "one is healthy)")
                                           .arg(m_spec.name)));
                            return;
                        }
                        m_replaceId = c.id;
                        m_previousRunning = c.running;
                        emit progress(QStringLiteral("Box %1 exists: its container is kept aside "
                                                     "until the new one is healthy, its volumes "
                                                     "are kept")
                                          .arg(m_spec.name));
                    }
                    createMarker();
                },
                {.expected = isNotFound});
        });
}

void DeployJob::createMarker()
{
    if (cancelled())
        return;
    // Before anything is created or changed: recovery rolls back every operation whose
    // marker is still on the engine. Journalled first, as an intent.
    m_marker = oplabels::markerVolume(m_deployId);
    m_created.marker = m_marker;
    m_created.kind = m_replaceId.isEmpty() ? QStringLiteral("deploy") : QStringLiteral("redeploy");
    m_created.previous = m_replaceId;
    m_created.previousRunning = m_previousRunning;
    record();
    QMap<QString, QString> l = m_options.extraLabels;
    l.insert(oplabels::op(), m_deployId);
    l.insert(oplabels::opKind(), m_created.kind);
    l.insert(oplabels::opBox(), m_spec.name);
    l.insert(oplabels::opStarted(), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    l.insert(oplabels::opHolder(), opholder::current());
    if (!m_replaceId.isEmpty()) {
        l.insert(oplabels::opPrevious(), m_replaceId);
        l.insert(oplabels::opPreviousRunning(),
                 m_previousRunning ? QStringLiteral("1") : QStringLiteral("0"));
    }
    if (m_options.dev)
        l.insert(oplabels::opDev(), QStringLiteral("1"));
    proceed(m_client->createVolume(m_marker, l),
            [this](const Result<docker::VolumeInfo> &) { checkImage(); },
            {.rephrase = inContext(QStringLiteral("record the operation on the engine"))});
}

void DeployJob::checkImage()
{
    if (!m_spec.skills.isEmpty()) {
        build();
        return;
    }
    m_image = m_spec.image;
    proceed(m_client->inspectImage(m_image),
            [this](const Result<docker::ImageInspect> &img) {
                // The image's own HEALTHCHECK knows what "ready" means for it; the default
                // probe (curl/wget on the box-agent) fails in images without those tools.
                const auto &hc = img->healthcheck;
                if (!m_spec.healthcheck && hc.is_object() && hc.contains("Test") &&
                    hc["Test"].is_array() && !hc["Test"].empty() && hc["Test"][0].is_string() &&
                    hc["Test"][0] != "NONE") {
                    security::BoxSpec::Healthcheck h;
                    h.test.clear();
                    for (const auto &t : hc["Test"])
                        if (t.is_string())
                            h.test << QString::fromStdString(t.get<std::string>());
                    auto ms = [&hc](const char *key, qint64 fallback) {
                        const qint64 ns = hc.value(key, qint64(0));
                        return ns > 0 ? ns / 1000000 : fallback;
                    };
                    h.intervalMs = ms("Interval", h.intervalMs);
                    h.timeoutMs = ms("Timeout", h.timeoutMs);
                    h.startPeriodMs = ms("StartPeriod", h.startPeriodMs);
                    if (hc.value("Retries", 0) > 0)
                        h.retries = hc.value("Retries", 3);
                    if (h.test.first() == QLatin1String("CMD") ||
                        h.test.first() == QLatin1String("CMD-SHELL")) {
                        m_imageHealth = h;
                        emit progress(QStringLiteral("Using the image's own health check"));
                    }
                }
                volumes(0);
            },
            {.rephrase = [this](const Error &e) {
                return isNotFound(e)
                           ? Error(
                                 Kind::NotFound,
                                 QStringLiteral("image: %1 is not on this engine "
                                                "(box-console never pulls; build or load it first)")
                                     .arg(m_image))
                           : e;
            }});
}

// ---- volumes, network -------------------------------------------------------------------

void DeployJob::volumes(int index)
{
    if (index == 0)
        enter(QStringLiteral("volumes"), QStringLiteral("Preparing volumes"));
    if (cancelled())
        return;
    const QStringList names = HardeningProfile::volumeNames(m_spec.name);
    if (index >= names.size()) {
        network();
        return;
    }
    const QString name = names.at(index);
    proceed(m_client->inspectVolume(name),
            [this, name, index](const Result<docker::VolumeInfo> &v) {
                if (v) {
                    if (v->labels.value(labels::box()) != m_spec.name) {
                        fail(Error(Kind::Conflict,
                                   QStringLiteral("volume %1 exists and does not belong to box %2")
                                       .arg(name, m_spec.name)));
                        return;
                    }
                    emit progress(QStringLiteral("Keeping volume %1").arg(name));
                    volumes(index + 1);
                    return;
                }
                m_created.volumes << name; // intent: journalled before it is sent
                record();
                proceed(m_client->createVolume(name, objectLabels(QStringLiteral("volume"))),
                        [this, name, index](const Result<docker::VolumeInfo> &) {
                            emit progress(QStringLiteral("Created volume %1").arg(name));
                            volumes(index + 1);
                        });
            },
            {.expected = isNotFound});
}

void DeployJob::network()
{
    if (m_options.dev) {
        enter(QStringLiteral("network"),
              QStringLiteral("Joining the dev network %1").arg(m_options.devNetwork));
        devNetwork();
        return;
    }
    if (m_spec.isolation == security::BoxSpec::Isolation::Isolated) {
        enter(QStringLiteral("network"), QStringLiteral("No network (isolated)"));
        if (cancelled())
            return;
        create();
        return;
    }
    m_networkName = HardeningProfile::networkName(m_spec.name);
    enter(QStringLiteral("network"),
          QStringLiteral("Preparing internal network %1").arg(m_networkName));
    if (cancelled())
        return;
    proceed(m_client->inspectNetwork(m_networkName),
            [this](const Result<docker::NetworkInfo> &n) {
                if (n) {
                    if (n->labels.value(labels::box()) != m_spec.name || !n->internal) {
                        fail(Error(Kind::Conflict,
                                   QStringLiteral(
                                       "network %1 exists and is not this box's internal network")
                                       .arg(m_networkName)));
                        return;
                    }
                    connectTraefik();
                    return;
                }
                m_created.networks << m_networkName; // intent, before it is sent
                record();
                proceed(m_client->createNetwork(m_networkName, true,
                                                objectLabels(QStringLiteral("network"))),
                        [this](const Result<QString> &) {
                            emit progress(QStringLiteral("Created network %1").arg(m_networkName));
                            connectTraefik();
                        });
            },
            {.expected = isNotFound});
}

void DeployJob::connectTraefik()
{
    if (m_options.traefikContainer.isEmpty()) {
        create();
        return;
    }
    // 403 "already exists in network" on a re-deploy is fine.
    proceed(
        m_client->connectNetwork(m_networkName, m_options.traefikContainer),
        [this](const VoidResult &) { create(); },
        {.expected =
             [](const Error &e) { return e.message().contains(QLatin1String("already exists")); },
         .rephrase =
             inContext(QStringLiteral("connect Traefik (%1)").arg(m_options.traefikContainer))});
}

void DeployJob::devNetwork()
{
    if (cancelled())
        return;
    m_networkName = m_options.devNetwork;
    proceed(m_client->inspectNetwork(m_networkName),
            [this](const Result<docker::NetworkInfo> &n) {
                if (n) {
                    create();
                    return;
                }
                // Shared by every dev box, so never rolled back; labelled for gc.
                QMap<QString, QString> l = m_options.extraLabels;
                l.insert(labels::dev(), QStringLiteral("1"));
                l.insert(labels::role(), QStringLiteral("network"));
                proceed(m_client->createNetwork(m_networkName, false, l),
                        [this](const Result<QString> &) { create(); },
                        {.expected = [](const Error &e) { return e.kind() == Kind::Conflict; }});
            },
            {.expected = isNotFound});
}

// ---- create, start ----------------------------------------------------------------------

void DeployJob::create()
{
    enter(QStringLiteral("create"), QStringLiteral("Creating container %1").arg(m_spec.name));
    if (cancelled())
        return;
    if (m_replaceId.isEmpty()) {
        secrets();
        return;
    }
    // The data volumes are shared by name: the previous box stops before the new one
    // starts, and gives up its name; it is kept (and restored on failure) until the new one
    // is healthy. The marker already names it, so recovery restores it too.
    emit progress(QStringLiteral("Stopping the previous container (kept until the new one is "
                                 "healthy)"));
    proceed(m_client->stopContainer(m_replaceId, m_options.stopTimeoutSec),
            [this](const VoidResult &) {
                proceed(
                    m_client->renameContainer(m_replaceId,
                                              oplabels::previousName(m_spec.name, m_deployId)),
                    [this](const VoidResult &) { secrets(); },
                    {.rephrase = inContext(QStringLiteral("set the previous container aside"))});
            },
            {.rephrase = inContext(QStringLiteral("stop previous container"))});
}

// ---- secrets ----------------------------------------------------------------------------

void DeployJob::secrets()
{
    if (cancelled())
        return;
    // A previous deploy's secrets go first, so that a secret dropped from the spec does
    // not stay readable; its container is gone by now.
    const QString volume = HardeningProfile::secretsVolumeName(m_spec.name);
    proceed(
        m_client->inspectVolume(volume),
        [this, volume](const Result<docker::VolumeInfo> &v) {
            if (!v) {
                createSecretsVolume();
                return;
            }
            if (v->labels.value(labels::box()) != m_spec.name) {
                fail(Error(Kind::Conflict, QStringLiteral("volume %1 exists and does not belong "
                                                          "to box %2")
                                               .arg(volume, m_spec.name)));
                return;
            }
            if (!m_replaceId.isEmpty()) {
                // Still mounted by the previous container, which may come back: the files
                // are rewritten in place (removed with the previous box when no longer used).
                if (m_spec.secrets.isEmpty())
                    createNow();
                else
                    createSecretsWriter(volume);
                return;
            }
            proceed(m_client->removeVolume(volume, true),
                    [this](const VoidResult &) { createSecretsVolume(); },
                    {.expected = isNotFound,
                     .rephrase = inContext(QStringLiteral("remove the previous secrets volume"))});
        },
        {.expected = isNotFound});
}

void DeployJob::createSecretsVolume()
{
    if (m_spec.secrets.isEmpty()) {
        createNow();
        return;
    }
    // Part of the create step: the files exist only for the container about to be made.
    emit progress(QStringLiteral("Writing %1 secret file(s)").arg(m_spec.secrets.size()));
    if (cancelled())
        return;
    const QString volume = HardeningProfile::secretsVolumeName(m_spec.name);
    m_created.volumes << volume; // intent
    record();
    proceed(m_client->createVolume(volume, objectLabels(labels::secretsRole())),
            [this, volume](const Result<docker::VolumeInfo> &) { createSecretsWriter(volume); });
}

void DeployJob::createSecretsWriter(const QString &volume)
{
    // A container that is never started, only there to hold the volume writable for the
    // engine's archive upload: the box mounts it read-only, and the engine refuses to
    // extract into a read-only mount or root. Made from the box's own image: no pull.
    using nlohmann::json;
    json body = {
        {"Image", m_image.toStdString()},
        {"User", HardeningProfile::User},
        {"Cmd", json::array({"true"})},
        {"NetworkDisabled", true},
        {"Labels", json::object()},
        {"HostConfig",
         {{"NetworkMode", "none"},
          {"ReadonlyRootfs", true},
          {"CapDrop", json::array({"ALL"})},
          {"SecurityOpt", json::array({"no-new-privileges:true"})},
          {"Mounts", json::array({{{"Type", "volume"},
                                   {"Source", volume.toStdString()},
                                   {"Target", HardeningProfile::SecretsTarget},
                                   {"ReadOnly", false},
                                   {"VolumeOptions", {{"NoCopy", true}}}}})}}},
    };
    const auto l = objectLabels(QStringLiteral("secrets-writer"));
    for (auto it = l.cbegin(); it != l.cend(); ++it)
        body["Labels"][it.key().toStdString()] = it.value().toStdString();
    // Named, so that the intent can be journalled before the id exists.
    const QString writerName = m_spec.name + QStringLiteral(".secrets-") + m_deployId;
    m_created.containers << writerName;
    record();
    proceedCreating(
        m_client->createContainer(writerName, body),
        [this, writerName](const docker::CreatedContainer &c) {
            m_created.containers.replace(m_created.containers.indexOf(writerName), c.id);
            record();
        },
        [this](const Result<docker::CreatedContainer> &c) { writeSecrets(c->id); },
        {.rephrase = inContext(QStringLiteral("create the secrets writer"))});
}

void DeployJob::writeSecrets(const QString &writerId)
{
    QList<docker::MemoryTar::File> files;
    for (auto it = m_secretValues.cbegin(); it != m_secretValues.cend(); ++it)
        files.append(
            {it.key(), it.value().toUtf8(), 0400, HardeningProfile::Uid, HardeningProfile::Gid});
    m_secretValues.clear(); // from here on only in the tar
    // Loading libarchive is disk I/O: off the GUI thread. The tar stays in memory.
    proceed(
        QtConcurrent::run([files] { return docker::MemoryTar::pack(files); }),
        [this, writerId, count = files.size()](const Result<QByteArray> &tar) {
            proceed(
                m_client->putArchive(writerId, QLatin1String(HardeningProfile::SecretsTarget),
                                     tar.value()),
                [this, writerId, count](const VoidResult &) {
                    proceed(
                        m_client->removeContainer(writerId, true, true),
                        [this, writerId, count](const VoidResult &) {
                            m_created.containers.removeAll(writerId);
                            record();
                            emit progress(
                                QStringLiteral("Wrote %1 secret file(s) into volume %2 (read-only "
                                               "in the box at %3)")
                                    .arg(count)
                                    .arg(HardeningProfile::secretsVolumeName(m_spec.name),
                                         QLatin1String(HardeningProfile::SecretsTarget)));
                            createNow();
                        },
                        {.expected = isNotFound,
                         .rephrase = inContext(QStringLiteral("remove the secrets writer"))});
                },
                {.rephrase = inContext(QStringLiteral("write the secret files"))});
        },
        {.rephrase = inContext(QStringLiteral("pack the secret files"))});
}

void DeployJob::createNow()
{
    CreateInputs inputs;
    inputs.image = m_image;
    inputs.networkName = m_networkName;
    inputs.labels = objectLabels(QStringLiteral("container"));
    inputs.labels.insert(labels::specHash(), m_spec.hash());
    {
        // What a redeploy starts from: a spec made from skills is recorded with the image it
        // became (its skill folders are on the machine that built it, not in the box).
        security::BoxSpec recorded = m_spec;
        if (!recorded.skills.isEmpty()) {
            recorded.skills.clear();
            recorded.image = m_image;
        }
        inputs.labels.insert(labels::spec(), QString::fromStdString(recorded.toJson().dump()));
    }
    inputs.labels.insert(labels::isolation(),
                         m_spec.isolation == security::BoxSpec::Isolation::Routed
                             ? QStringLiteral("routed")
                             : QStringLiteral("isolated"));
    if (m_spec.keepDataOnDelete)
        inputs.labels.insert(labels::keepData(), QStringLiteral("true"));
    if (m_spec.isolation == security::BoxSpec::Isolation::Routed &&
        !m_options.traefikDomain.isEmpty() && !m_options.dev)
        inputs.labels.insert(
            labels::url(),
            QStringLiteral("https://%1.%2").arg(m_spec.subdomain, m_options.traefikDomain));
    inputs.env = m_extraEnv;
    if (m_options.dev) {
        inputs.devPortOffset = m_devPortOffset;
        inputs.labels.insert(labels::devPortOffset(), QString::number(m_devPortOffset));
        inputs.labels.insert(
            labels::url(),
            QStringLiteral("http://127.0.0.1:%1").arg(devCodeServerHostPort(m_devPortOffset)));
        // The pipeline's own variables, not the spec's: a spec may not set BOX_* or a
        // password, the docker-dev backend may (when the spec leaves a name unset).
        for (auto it = m_options.devEnv.cbegin(); it != m_options.devEnv.cend(); ++it)
            if (!m_spec.env.contains(it.key()) && !inputs.env.contains(it.key()))
                inputs.env.insert(it.key(), it.value());
    }
    inputs.proxySocketDir = m_egressSocketDir;
    security::BoxSpec bodySpec = m_spec;
    if (!bodySpec.healthcheck && m_imageHealth)
        bodySpec.healthcheck = m_imageHealth;
    const auto body = boxCreateBody(bodySpec, m_options, inputs);
    if (!body) {
        fail(body.error());
        return;
    }
    // Intent by name (the name is free: checked, or the previous box was renamed aside);
    // an answer that says the create did not happen withdraws it, so a rollback never
    // removes someone else's container of that name.
    m_created.containers << m_spec.name;
    record();
    then(m_client->createContainer(m_spec.name, body.value()),
         [this](const Result<docker::CreatedContainer> &r) {
             const qsizetype at = m_created.containers.indexOf(m_spec.name);
             if (r) {
                 m_containerId = r->id;
                 if (at >= 0)
                     m_created.containers.replace(at, r->id);
                 record();
             } else if (!isTransport(r.error()) && at >= 0) {
                 m_created.containers.removeAt(at);
                 record();
             }
             if (cancelled())
                 return;
             if (!r) {
                 const Error &e = r.error();
                 fail(e.kind() == Kind::Conflict
                          ? Error(Kind::Conflict,
                                  QStringLiteral("name conflict: %1").arg(flatten(e)),
                                  e.httpStatus())
                          : e);
                 return;
             }
             if (!m_client) {
                 fail(Error(Kind::Cancelled, QStringLiteral("Docker client closed")));
                 return;
             }
             for (const QString &w : r->warnings)
                 emit progress(QStringLiteral("Engine warning: %1").arg(w));
             startContainer();
         });
}

void DeployJob::startContainer()
{
    enter(QStringLiteral("start"), QStringLiteral("Starting %1").arg(m_spec.name));
    if (cancelled())
        return;
    proceed(m_client->startContainer(m_containerId), [this](const VoidResult &) { waitHealthy(); });
}

// ---- health -----------------------------------------------------------------------------

void DeployJob::waitHealthy()
{
    enter(QStringLiteral("health"),
          QStringLiteral("Waiting for %1 to become healthy").arg(m_spec.name));
    if (cancelled())
        return;
    // Subscribe first, then inspect once the subscription is in place: a health_status
    // event between the two cannot be missed, and one that came before is in the inspect.
    docker::Filters filters;
    filters.insert(QStringLiteral("type"), {QStringLiteral("container")});
    filters.insert(QStringLiteral("container"), {m_containerId});
    m_events = m_client->events(filters);
    connect(m_events, &docker::EventStream::connected, this, [this] { checkHealthNow(true); });
    connect(m_events, &docker::EventStream::eventReceived, this, &DeployJob::onHealthEvent);
    connect(m_events, &docker::EventStream::finished, this, [this](const VoidResult &r) {
        if (m_failed || isFinished() || m_healthSettled)
            return;
        fail(r ? Error(Kind::Transport, QStringLiteral("the engine closed the event stream"))
               : Error(r.error().kind() == Kind::Cancelled ? Kind::Transport : r.error().kind(),
                       QStringLiteral("lost the connection to the engine: %1")
                           .arg(flatten(r.error()))));
    });
    m_healthTimer.start(m_options.healthTimeoutMs);
}

// 137 and 143 are signals from outside the box, and usually its stop (or an engine shutting
// down, which stops every container), not the box's own failure: say so.
static QString exitedBeforeHealthy(int code)
{
    QString why;
    if (code == 137)
        why = QStringLiteral(" (killed: SIGKILL)");
    else if (code == 143)
        why = QStringLiteral(" (terminated: SIGTERM, as sent by a stop or by the engine "
                             "shutting down)");
    return QStringLiteral("container exited with code %1%2 before becoming healthy")
        .arg(code)
        .arg(why);
}

void DeployJob::onHealthEvent(const docker::Event &event)
{
    if (m_failed || isFinished() || m_healthSettled)
        return;
    const QString action = event.action;
    if (action == QLatin1String("die")) {
        const QString code =
            event.attributes.value(QStringLiteral("exitCode"), QStringLiteral("?"));
        noteExternalStop(code.toInt());
        fail(Error(Kind::Server, exitedBeforeHealthy(code.toInt())));
        return;
    }
    if (action == QLatin1String("oom")) {
        fail(Error(
            Kind::Server,
            QStringLiteral("container ran out of memory (OOM killed) before becoming healthy")));
        return;
    }
    if (action.startsWith(QLatin1String("health_status")) || action == QLatin1String("start"))
        checkHealthNow(false);
}

void DeployJob::checkHealthNow(bool /*fromSubscribe*/)
{
    if (m_healthChecking)
        return; // one inspect at a time; the next event triggers another
    m_healthChecking = true;
    then(m_client->inspectContainer(m_containerId), [this](const Result<ContainerInspect> &r) {
        m_healthChecking = false;
        healthDone(r);
    });
}

void DeployJob::healthDone(const Result<ContainerInspect> &result)
{
    if (m_failed || isFinished() || m_healthSettled)
        return;
    if (!result) {
        fail(result.error());
        return;
    }
    const ContainerInspect &c = result.value();
    if (!c.healthLog.isEmpty())
        m_lastHealthOutput = cap(c.healthLog.last().output, 200);
    if (c.oomKilled) {
        fail(Error(
            Kind::Server,
            QStringLiteral("container ran out of memory (OOM killed) before becoming healthy")));
        return;
    }
    if (!c.running && (c.state == QLatin1String("exited") || c.state == QLatin1String("dead"))) {
        noteExternalStop(c.exitCode);
        fail(Error(Kind::Server, exitedBeforeHealthy(c.exitCode)));
        return;
    }
    if (c.health == QLatin1String("healthy")) {
        succeed(c);
        return;
    }
    if (c.health == QLatin1String("unhealthy")) {
        fail(Error(Kind::Server, QStringLiteral("container is unhealthy (last probe: %1)")
                                     .arg(m_lastHealthOutput.isEmpty() ? QStringLiteral("no output")
                                                                       : m_lastHealthOutput)));
        return;
    }
    if (c.health.isEmpty() && c.running) {
        emit progress(QStringLiteral("The image has no health check: running counts as ready"));
        succeed(c);
        return;
    }
    emit progress(QStringLiteral("Health: %1").arg(c.health.isEmpty() ? c.state : c.health));
}

void DeployJob::succeed(const ContainerInspect &inspect)
{
    m_healthSettled = true;
    m_healthTimer.stop();
    if (m_events)
        m_events->cancel();
    commit(inspect);
}

void DeployJob::commit(const ContainerInspect &inspect)
{
    // Removing the marker is the commit point: until it is gone, recovery would roll the
    // new box back and restore the previous one; after it, a previous container left
    // renamed aside is only removed.
    if (!m_marker.isEmpty()) {
        enter(QStringLiteral("commit"), QStringLiteral("Committing %1").arg(m_spec.name));
        then(m_client->removeVolume(m_marker, true), [this, inspect](const VoidResult &r) {
            if (!r && r.error().kind() != Kind::NotFound) {
                m_healthSettled = false;
                fail(r.error().withContext(QStringLiteral("commit")));
                return;
            }
            // Committed: nothing of this deploy may be rolled back any more; only the
            // previous container (if any) is left to remove.
            m_marker.clear();
            m_created.marker.clear();
            m_created.containers.clear();
            m_created.volumes.clear();
            m_created.networks.clear();
            m_created.images.clear();
            record();
            commit(inspect);
        });
        return;
    }
    if (!m_replaceId.isEmpty() && m_client) {
        emit progress(QStringLiteral("Removing the previous container"));
        const QString previous = std::exchange(m_replaceId, QString());
        then(m_client->removeContainer(previous, true), [this, inspect](const VoidResult &r) {
            if (!r && r.error().kind() != Kind::NotFound)
                emit progress(QStringLiteral("Could not remove the previous container (gc "
                                             "removes it): %1")
                                  .arg(flatten(r.error())));
            // Unused now when the new box has no secrets.
            if (m_spec.secrets.isEmpty() && m_client)
                then(m_client->removeVolume(HardeningProfile::secretsVolumeName(m_spec.name)),
                     [](const VoidResult &) {});
            commit(inspect);
        });
        return;
    }
    if (m_client) // data kept by an earlier delete is in use again
        then(m_client->removeVolume(oplabels::keptVolume(m_spec.name)), [](const VoidResult &) {});
    m_journal.remove(m_endpoint, m_spec.name);
    m_created = DeployJournal::Entry{};
    m_created.deployId = m_deployId;
    m_created.endpoint = m_endpoint;
    m_created.box = m_spec.name;
    m_egressGrant.reset();
    // A box redeployed without egress keeps no grant from an earlier deploy (best effort:
    // a stale grant only serves sockets that nothing mounts).
    if (m_spec.egress.isEmpty() && !m_options.egressGrantsDir.isEmpty() && m_client &&
        (m_client->endpoint().transport == http::Endpoint::Transport::Unix ||
         m_options.egressRemoteEngine)) {
        const QString box = m_spec.name;
        const DeployOptions options = m_options;
        then(QtConcurrent::run([box, options] { return BoxEgress::revoke(box, options); }),
             [](const VoidResult &) {});
    }
    enter(QStringLiteral("running"), QStringLiteral("%1 is healthy").arg(m_spec.name));
    finish(dockerinfo::fromInspect(inspect, m_base));
}

// ---- failure and rollback ---------------------------------------------------------------

void DeployJob::fail(const Error &error)
{
    if (m_failed || isFinished())
        return;
    m_failed = true;
    m_failure = error;
    m_secretValues.clear(); // no secret value outlives the attempt in memory
    m_failedStep = m_step.isEmpty() ? QStringLiteral("validate") : m_step;
    m_healthSettled = true;
    m_healthTimer.stop();
    if (m_events)
        m_events->cancel();
    captureFailedLogs();
}

void DeployJob::captureFailedLogs()
{
    // Before the rollback removes the container: the logs say why it failed.
    if (m_logsCaptured || m_containerId.isEmpty() || !m_client ||
        m_failure.kind() == Kind::Cancelled || m_options.failedLogLines <= 0) {
        keepFailedContainer();
        return;
    }
    m_logsCaptured = true;
    docker::LogOptions options;
    options.tail = m_options.failedLogLines;
    auto *stream = m_client->logs(m_containerId, options);
    auto buffer = std::make_shared<QByteArray>();
    connect(stream, &docker::LogStream::linesReceived, this,
            [buffer](const QList<docker::LogLine> &lines) {
                for (const auto &l : lines)
                    if (buffer->size() < 64 * 1024)
                        buffer->append(l.text);
            });
    auto done = std::make_shared<bool>(false);
    auto proceedOnce = [this, buffer, done] {
        if (*done)
            return;
        *done = true;
        m_failedLogs = QString::fromUtf8(*buffer).trimmed();
        keepFailedContainer();
    };
    connect(stream, &docker::LogStream::finished, this, proceedOnce);
    QTimer::singleShot(5000, this, proceedOnce); // an engine gone away answers nothing
}

void DeployJob::keepFailedContainer()
{
    if (!m_options.keepFailed || m_failedKept || m_containerId.isEmpty() || !m_client ||
        m_failure.kind() == Kind::Cancelled) {
        rollback();
        return;
    }
    m_failedKept = true;
    const QString failedName = oplabels::failedName(m_spec.name, m_deployId);
    emit progress(QStringLiteral("Keeping the failed container as %1 (stopped)").arg(failedName));
    then(m_client->stopContainer(m_containerId, m_options.stopTimeoutSec), [this, failedName](
                                                                               const VoidResult &) {
        if (!m_client) {
            rollback();
            return;
        }
        then(m_client->renameContainer(m_containerId, failedName), [this](const VoidResult &r) {
            if (r) {
                // Kept for inspection, with what it mounts; `delete` removes it.
                m_created.containers.removeAll(m_containerId);
                m_created.volumes.clear();
                m_created.networks.clear();
                m_created.images.clear();
                record();
            }
            rollback();
        });
    });
}

void DeployJob::rollback()
{
    if (m_created.isEmpty()) {
        finishFailure();
        return;
    }
    enter(QStringLiteral("rollback"), QStringLiteral("Removing what this deploy created"));
    // A rollback after the engine went away must not wait for in-flight calls that may
    // never return; rollbackNext works from the recorded list only.
    rollbackNext();
}

void DeployJob::rollbackNext()
{
    if (!m_client) {
        finishFailure();
        return;
    }
    using Entry = DeployJournal::Entry;
    if (!m_created.containers.isEmpty()) {
        const QString id = m_created.containers.first();
        emit progress(QStringLiteral("Removing container %1").arg(id.left(12)));
        rollbackRemove(m_client->removeContainer(id, true, true), &Entry::containers, id);
        return;
    }
    if (!m_created.networks.isEmpty()) {
        const QString net = m_created.networks.first();
        emit progress(QStringLiteral("Removing network %1").arg(net));
        if (m_options.traefikContainer.isEmpty()) {
            rollbackRemove(m_client->removeNetwork(net), &Entry::networks, net);
        } else {
            then(m_client->disconnectNetwork(net, m_options.traefikContainer, true),
                 [this, net](const VoidResult &) {
                     if (!m_client) {
                         finishFailure();
                         return;
                     }
                     rollbackRemove(m_client->removeNetwork(net), &Entry::networks, net);
                 });
        }
        return;
    }
    if (!m_created.volumes.isEmpty()) {
        const QString vol = m_created.volumes.first();
        emit progress(QStringLiteral("Removing volume %1").arg(vol));
        rollbackRemove(m_client->removeVolume(vol, true), &Entry::volumes, vol);
        return;
    }
    if (!m_created.images.isEmpty()) {
        const QString image = m_created.images.takeFirst();
        then(m_client->removeImage(image), [this](const VoidResult &) {
            record();
            rollbackNext();
        });
        return;
    }
    if (!m_replaceId.isEmpty() && !m_previousRestored) {
        restorePrevious();
        return;
    }
    if (!m_created.marker.isEmpty()) {
        const QString marker = m_created.marker;
        then(m_client->removeVolume(marker, true), [this, marker](const VoidResult &r) {
            if (!r && r.error().kind() != Kind::NotFound) {
                if (isTransport(r.error()) || r.error().kind() == Kind::Cancelled) {
                    rollbackWaitForEngine(r.error());
                    return;
                }
                m_rollbackErrors << flatten(r.error());
            }
            m_created.marker.clear();
            m_marker.clear();
            record();
            rollbackNext();
        });
        return;
    }
    if (m_verifyPending) {
        verifyRollback();
        return;
    }
    finishFailure();
}

void DeployJob::rollbackRemove(QFuture<VoidResult> removal, QStringList DeployJournal::Entry::*list,
                               const QString &name)
{
    then(std::move(removal), [this, list, name](const VoidResult &r) {
        const bool gone = r || r.error().kind() == Kind::NotFound;
        if (!gone && (isTransport(r.error()) || r.error().kind() == Kind::Cancelled)) {
            rollbackWaitForEngine(r.error());
            return;
        }
        // Anything else (in use, refused): note it, keep it journalled, go on.
        if (!gone)
            m_rollbackErrors << flatten(r.error());
        (m_created.*list).removeAll(name);
        (m_removed.*list) << name;
        if (gone) {
            m_verifyPending = true;
            record();
        }
        rollbackNext();
    });
}

void DeployJob::restorePrevious()
{
    emit progress(QStringLiteral("Restoring the previous container of %1").arg(m_spec.name));
    // Idempotent, from what the engine says: renamed back unless it already is, started
    // when it was running before.
    then(m_client->inspectContainer(m_replaceId), [this](const Result<ContainerInspect> &c) {
        if (!c && c.error().kind() == Kind::NotFound) {
            m_rollbackErrors << QStringLiteral("the previous container is gone");
            m_previousRestored = true;
            rollbackNext();
            return;
        }
        if (!c) {
            rollbackWaitForEngine(c.error());
            return;
        }
        auto start = [this, running = c->running] {
            if (!m_previousRunning || running || !m_client) {
                m_previousRestored = true;
                m_created.previous.clear();
                record();
                rollbackNext();
                return;
            }
            then(m_client->startContainer(m_replaceId), [this](const VoidResult &r) {
                if (!r && isTransport(r.error())) {
                    rollbackWaitForEngine(r.error());
                    return;
                }
                if (!r)
                    m_rollbackErrors << flatten(r.error());
                m_previousRestored = true;
                m_created.previous.clear();
                record();
                rollbackNext();
            });
        };
        if (c->name.mid(c->name.startsWith(QLatin1Char('/')) ? 1 : 0) == m_spec.name) {
            start();
            return;
        }
        then(m_client->renameContainer(m_replaceId, m_spec.name),
             [this, start](const VoidResult &r) {
                 if (!r && (isTransport(r.error()) || r.error().kind() == Kind::Cancelled)) {
                     rollbackWaitForEngine(r.error());
                     return;
                 }
                 if (!r)
                     m_rollbackErrors << flatten(r.error());
                 start();
             });
    });
}

void DeployJob::noteExternalStop(int exitCode)
{
    // SIGTERM/SIGKILL from outside during the health wait: most often dockerd stopping.
    if (exitCode == 128 + 15 || exitCode == 128 + 9)
        m_engineMayRestart = true;
}

void DeployJob::verifyRollback()
{
    // A daemon that is shutting down answers removals without persisting them, and its
    // inspect says "gone" too; after the restart the objects are back. When the box was
    // killed from outside, check only once the engine has settled (and answers a ping).
    if (m_engineMayRestart) {
        m_engineMayRestart = false;
        emit progress(QStringLiteral("The box was stopped from outside (engine restart?); "
                                     "checking the clean-up once the engine has settled"));
        QTimer::singleShot(EngineSettleMs, this,
                           [this] { whenEngineAnswers([this] { verifyRollback(); }); });
        return;
    }
    if (!m_client) {
        finishFailure();
        return;
    }
    m_verifyPending = false;
    const DeployJournal::Entry removed = std::exchange(m_removed, DeployJournal::Entry{});
    auto remaining = std::make_shared<int>(
        int(removed.containers.size() + removed.networks.size() + removed.volumes.size()));
    auto failedCheck = std::make_shared<bool>(false);
    if (*remaining == 0) {
        finishFailure();
        return;
    }
    // Inspects one removed object; what is still there goes back into m_created.
    auto check = [this, remaining, failedCheck](auto inspection,
                                                QStringList DeployJournal::Entry::*list,
                                                const QString &name) {
        then(std::move(inspection), [this, remaining, failedCheck, list, name](const auto &r) {
            const bool gone = !r && r.error().kind() == Kind::NotFound;
            if (!gone) {
                (m_created.*list).append(name);
                record();
            }
            if (!r && !gone)
                *failedCheck = true;
            if (--*remaining > 0)
                return;
            if (m_created.isEmpty()) {
                finishFailure();
            } else {
                emit progress(QStringLiteral("Some objects are still there; retrying"));
                rollbackWaitForEngine(
                    Error(Kind::Transport,
                          *failedCheck ? QStringLiteral("the engine did not answer")
                                       : QStringLiteral("removed objects are still there")));
            }
        });
    };
    using Entry = DeployJournal::Entry;
    for (const QString &c : removed.containers)
        check(m_client->inspectContainer(c), &Entry::containers, c);
    for (const QString &n : removed.networks)
        check(m_client->inspectNetwork(n), &Entry::networks, n);
    for (const QString &v : removed.volumes)
        check(m_client->inspectVolume(v), &Entry::volumes, v);
}

void DeployJob::rollbackWaitForEngine(const Error &why)
{
    if (!m_engineWait.isValid()) {
        m_engineWait.start();
        emit progress(
            QStringLiteral("The engine is unreachable (%1); waiting up to %2 s to clean up")
                .arg(flatten(why))
                .arg(m_options.engineWaitMs / 1000));
    }
    if (m_engineWait.elapsed() > m_options.engineWaitMs) {
        m_rollbackErrors << flatten(why);
        finishFailure();
        return;
    }
    disconnect(&m_retryTimer, nullptr, this, nullptr);
    connect(&m_retryTimer, &QTimer::timeout, this,
            [this] { whenEngineAnswers([this] { rollbackNext(); }); });
    m_retryTimer.start(1000);
}

void DeployJob::whenEngineAnswers(const std::function<void()> &next)
{
    if (!m_client) {
        finishFailure();
        return;
    }
    // The daemon may have come back as another version: negotiate again.
    m_client->resetNegotiation();
    then(m_client->ping(), [this, next](const Result<docker::PingInfo> &p) {
        if (!p) {
            rollbackWaitForEngine(p.error()); // retries, then goes on with the rollback
            return;
        }
        next();
    });
}

void DeployJob::finishFailure()
{
    if (m_egressGrant) {
        // The proxy stops serving the box (or serves what it had before this deploy).
        const BoxEgress::GrantChange change = *m_egressGrant;
        m_egressGrant.reset();
        const DeployOptions options = m_options;
        then(QtConcurrent::run([change, options] { return BoxEgress::revert(change, options); }),
             [this](const VoidResult &r) {
                 if (!r)
                     emit progress(QStringLiteral("Could not restore the egress grant: %1")
                                       .arg(r.error().message()));
                 finishFailure();
             });
        return;
    }
    const bool wasCancelled = m_failure.kind() == Kind::Cancelled;
    QString message = flatten(m_failure);
    if (m_previousRestored && !m_replaceId.isEmpty())
        message += QStringLiteral("; the previous box was restored");
    if (m_failedKept)
        message += QStringLiteral("; the failed container is kept (stopped) as %1")
                       .arg(oplabels::failedName(m_spec.name, m_deployId));
    if (m_created.isEmpty()) {
        m_journal.remove(m_endpoint, m_spec.name);
        // Validation fails before anything exists: "rolled back" would suggest otherwise.
        if (m_failedStep == QLatin1String("validate"))
            message += QStringLiteral("; nothing was created");
        else
            message += wasCancelled ? QStringLiteral("; nothing left behind")
                                    : QStringLiteral("; rolled back");
    } else {
        record();
        QStringList left;
        for (const QString &c : m_created.containers)
            left << QStringLiteral("container %1").arg(c.left(12));
        for (const QString &n : m_created.networks)
            left << QStringLiteral("network %1").arg(n);
        for (const QString &v : m_created.volumes)
            left << QStringLiteral("volume %1").arg(v);
        message +=
            QStringLiteral("; rollback incomplete (%1), left behind: %2 (recorded: the next deploy "
                           "or delete of %3 removes them; all labelled box-console.deploy=%4)")
                .arg(m_rollbackErrors.isEmpty() ? QStringLiteral("engine unreachable")
                                                : m_rollbackErrors.last(),
                     left.join(QStringLiteral(", ")), m_spec.name, m_deployId);
    }
    if (!m_failedLogs.isEmpty())
        message += QStringLiteral("\nlast %1 log lines of the failed container:\n%2")
                       .arg(m_failedLogs.count(QLatin1Char('\n')) + 1)
                       .arg(m_failedLogs);
    Error e =
        Error(m_failure.kind(), message, m_failure.httpStatus())
            .withContext(m_failedStep)
            .withContext(QStringLiteral("deploy %1")
                             .arg(m_spec.name.isEmpty() ? QStringLiteral("box") : m_spec.name));
    finish(e);
}

// ---- build ------------------------------------------------------------------------------

void DeployJob::build()
{
    enter(QStringLiteral("build"),
          QStringLiteral("Building the image from %1 skill(s)").arg(m_spec.skills.size()));
    if (cancelled())
        return;
    const QDir root(m_options.skillsDir.isEmpty() ? QDir::currentPath() : m_options.skillsDir);
    QStringList dirs;
    for (const QString &s : std::as_const(m_spec.skills))
        dirs << QDir::cleanPath(root.absoluteFilePath(s));
    const QString base = m_options.skillBaseImage;
    // A FROM image missing locally would make the daemon try a pull: check first.
    proceed(
        m_client->inspectImage(base),
        [this, dirs, base](const Result<docker::ImageInspect> &) {
            // Reading skills and writing the context touch the disk: off the GUI thread.
            proceedCreating(
                QtConcurrent::run([dirs, base]() -> Result<QString> {
                    infra::SkillDockerfileGenerator::Options o;
                    o.baseImage = base;
                    const auto out =
                        infra::SkillDockerfileGenerator(o).generateFromDirectories(dirs);
                    if (!out)
                        return out.error();
                    QTemporaryDir tmp(QDir::tempPath() + QStringLiteral("/box-build-XXXXXX"));
                    if (!tmp.isValid())
                        return Error(Kind::Io, QStringLiteral("cannot create a build directory"));
                    tmp.setAutoRemove(false);
                    const QDir ctx(tmp.path());
                    QFile df(ctx.filePath(QStringLiteral("Dockerfile")));
                    if (!df.open(QIODevice::WriteOnly) || df.write(out->dockerfile.toUtf8()) < 0)
                        return Error(Kind::Io, QStringLiteral("cannot write the Dockerfile"));
                    df.close();
                    for (const auto &[inside, source] : out->files) {
                        const QString target = ctx.filePath(inside);
                        QDir().mkpath(QFileInfo(target).absolutePath());
                        if (!QFile::copy(source, target))
                            return Error(Kind::Io,
                                         QStringLiteral("cannot copy %1 into the build context")
                                             .arg(inside));
                    }
                    return tmp.path();
                }),
                [this](const QString &context) { m_buildDir = context; },
                [this](const Result<QString> &) { runBuild(); });
        },
        {.rephrase = [base](const Error &e) {
            return isNotFound(e)
                       ? Error(Kind::NotFound, QStringLiteral("base image %1 is not on this engine "
                                                              "(box-console never pulls)")
                                                   .arg(base))
                       : e;
        }});
}

void DeployJob::runBuild()
{
    const QString tag =
        QStringLiteral("box-console/%1:%2").arg(m_spec.name, m_spec.hash().left(12));
    // Whether the tag was there before: the rollback removes only an image this deploy made.
    proceed(m_client->inspectImage(tag),
            [this, tag](const Result<docker::ImageInspect> &existing) {
                const bool existed = existing.ok();
                docker::BuildOptions o;
                o.contextDir = m_buildDir;
                o.tags = {tag};
                o.labels = objectLabels(QStringLiteral("image"));
                o.pull = false;
                m_build = m_client->build(o);
                connect(m_build, &docker::BuildJob::output, this, [this](const QString &text) {
                    const QString t = text.trimmed();
                    if (!t.isEmpty())
                        emit progress(t);
                });
                // A future, so that the build is a step like the others; also finishes
                // (Cancelled) when the build job dies with its client without a word.
                AsyncResult<QString> built;
                connect(m_build, &docker::BuildJob::finished, this,
                        [this, built](const Result<QString> &r) {
                            m_build = nullptr;
                            QDir(m_buildDir).removeRecursively();
                            m_buildDir.clear();
                            built.finish(r);
                        });
                proceedCreating(
                    built.future(),
                    [this, tag, existed](const QString &) {
                        if (!existed) {
                            m_created.images << tag;
                            record();
                        }
                    },
                    [this, tag](const Result<QString> &) {
                        m_image = tag;
                        emit progress(QStringLiteral("Built %1").arg(tag));
                        volumes(0);
                    });
            },
            {.expected = [](const Error &) { return true; }});
}

} // namespace bc::boxes
