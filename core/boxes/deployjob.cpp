#include "core/boxes/deployjobpipeline.h"

#include "core/boxes/boxcreatebody.h"
#include "core/boxes/boxegress.h"
#include "core/boxes/boxlabels.h"
#include "core/boxes/dockerboxinfo.h"
#include "core/boxes/oplabels.h"
#include "core/docker/buildjob.h"
#include "core/docker/eventstream.h"
#include "core/docker/memorytar.h"
#include "core/infra/skilldockerfilegenerator.h"
#include "core/security/hardeningprofile.h"
#include "core/util/async.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QUuid>
#include <QtConcurrent>

namespace bc::boxes {

using docker::ContainerInspect;
using Kind = Error::Kind;
using namespace deploy;
using security::HardeningProfile;

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

void DeployJob::enter(JobStep step, const QString &text)
{
    m_step = step;
    startStep(step, text);
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
    if (m_step == JobStep::Health || m_pending == 0)
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

// ---- volumes, network -------------------------------------------------------------------

void DeployJob::volumes(int index)
{
    if (index == 0)
        enter(JobStep::Volumes, QStringLiteral("Preparing volumes"));
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
        enter(JobStep::Network,
              QStringLiteral("Joining the dev network %1").arg(m_options.devNetwork));
        devNetwork();
        return;
    }
    if (m_spec.isolation == security::BoxSpec::Isolation::Isolated) {
        enter(JobStep::Network, QStringLiteral("No network (isolated)"));
        if (cancelled())
            return;
        create();
        return;
    }
    m_networkName = HardeningProfile::networkName(m_spec.name);
    enter(JobStep::Network, QStringLiteral("Preparing internal network %1").arg(m_networkName));
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
    enter(JobStep::Create, QStringLiteral("Creating container %1").arg(m_spec.name));
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
    enter(JobStep::Start, QStringLiteral("Starting %1").arg(m_spec.name));
    if (cancelled())
        return;
    proceed(m_client->startContainer(m_containerId), [this](const VoidResult &) { waitHealthy(); });
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
        enter(JobStep::Commit, QStringLiteral("Committing %1").arg(m_spec.name));
        then(m_client->removeVolume(m_marker, true), [this, inspect](const VoidResult &r) {
            if (!r && r.error().kind() != Kind::NotFound) {
                m_healthSettled = false;
                fail(r.error().withContext(jobStepName(JobStep::Commit)));
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
    enter(JobStep::Running, QStringLiteral("%1 is healthy").arg(m_spec.name));
    finish(dockerinfo::fromInspect(inspect, m_base));
}

// ---- build ------------------------------------------------------------------------------

void DeployJob::build()
{
    enter(JobStep::Build,
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
