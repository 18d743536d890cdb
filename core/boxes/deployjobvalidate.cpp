#include "core/boxes/deployjobpipeline.h"

#include "core/boxes/boxegress.h"
#include "core/boxes/boxlabels.h"
#include "core/boxes/boxsecrets.h"
#include "core/boxes/opholder.h"
#include "core/boxes/oplabels.h"
#include "core/policy/quotacheck.h"

#include <QDateTime>
#include <QtConcurrent>

namespace bc::boxes {

using docker::ContainerInspect;
using Kind = Error::Kind;
using namespace deploy;

// ---- validate ---------------------------------------------------------------------------

void DeployJob::begin()
{
    if (isFinished())
        return;
    enter(JobStep::Validate, QStringLiteral("Checking the spec of %1").arg(m_spec.name));
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
    enter(JobStep::Quota, QStringLiteral("Checking the quota of owner %1").arg(m_spec.owner));
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

} // namespace bc::boxes
