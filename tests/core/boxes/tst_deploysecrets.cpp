// ctest: labels=docker timeout=300
#include "boxtestsupport.h"

#include "core/boxes/boxegress.h"
#include "core/boxes/boxsecrets.h"
#include "core/boxes/dockerbackend.h"
#include "core/docker/dockerclient.h"
#include "core/docker/eventstream.h"
#include "core/docker/memorytar.h"
#include "core/security/postureaudit.h"
#include "core/util/secretstore.h"
#include "support/paths.h"
#include "support/testutil.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace bc;
using namespace bc::boxes;
using namespace bc::test;
using namespace bc::test::boxes;
using nlohmann::json;

// spec.secrets and spec.egress on the real engine: a secret's value reaches one read-only
// file in the box and nothing else (not `docker inspect`, not a label, not a text);
// refused specs create nothing.
class tst_DeploySecrets : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void secretNames();
    void secretIsAReadOnlyFileNeverInInspect();
    void redeployAndDeleteRemoveSecrets();
    void cancelWhileWritingSecretsLeavesNothing();
    void failedDeployRemovesSecretsVolume();
    void putArchiveKeepsOwnersAndModes();
    void missingSecretCreatesNothing();
    void providerKeyAsSecretRefused();
    void egressWithoutGrantsCreatesNothing();
    void egressPicksOneUpstream();
    void unknownPolicyCreatesNothing();
    void missingSocketDirCreatesNothing();
    void noPolicyFileCreatesNothing();
    void entrypointStartsForwardersFromEnv();
    void entrypointKeepsRoutedBoxLocked();
    void boxctlSecretCommands();
    void boxctlRefusesReservedEnv();

private:
    struct Outcome
    {
        Result<BoxInfo> result = Error(Error::Kind::Cancelled, QString());
        QStringList texts; // every step and progress text
    };
    Outcome deploy(DockerBackend &backend, const security::BoxSpec &spec);
    DeployOptions egressOptions() const;
    void verifyNothingCreated(const QString &name);

    QTemporaryDir m_home;
    QTemporaryDir m_state;
    QTemporaryDir m_socketDir;
    QString m_policyFile;
    std::unique_ptr<DockerBackend> m_backend;
    std::unique_ptr<LabelledCleanup> m_guard;
};

void tst_DeploySecrets::initTestCase()
{
    QVERIFY(m_home.isValid() && m_state.isValid() && m_socketDir.isValid());
    // The 0600 file store under a throw-away config home: never the user's keychain.
    qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
    qputenv("BOX_SECRET_STORE", "file");
    qputenv("BOX_CONSOLE_STATE_DIR", m_state.path().toUtf8());
    QVERIFY(util::SecretStore::fallbackFilePath().startsWith(m_home.path()));

    m_policyFile = m_home.filePath(QStringLiteral("egress-policy.json"));
    const QString shipped =
        QDir(sourceDir()).filePath(QStringLiteral("infrastructure/proxy/egress-policy.json"));
    QVERIFY2(QFile::copy(shipped, m_policyFile), qPrintable(shipped));

    if (!dockerAvailable())
        QSKIP("no Docker engine");
    m_guard = std::make_unique<LabelledCleanup>();
    QString error;
    QVERIFY2(buildAgentImage(&error), qPrintable(error));
    DeployOptions o = testOptions();
    o.redeploy = true; // redeployAndDeleteRemoveSecrets replaces its box
    m_backend = std::make_unique<DockerBackend>(http::Endpoint{}, o);
}

void tst_DeploySecrets::cleanupTestCase()
{
    m_backend.reset();
    if (dockerAvailable())
        removeLabelled();
}

void tst_DeploySecrets::cleanup()
{
    if (dockerAvailable())
        removeLabelled();
}

tst_DeploySecrets::Outcome tst_DeploySecrets::deploy(DockerBackend &backend,
                                                     const security::BoxSpec &spec)
{
    Outcome out;
    BoxJob *job = backend.deploy(spec);
    connect(job, &BoxJob::stepStarted, this,
            [&out](const QString &step, const QString &text) { out.texts << step << text; });
    connect(job, &BoxJob::progress, this, [&out](const QString &text) { out.texts << text; });
    out.result = runJob(job);
    if (!out.result)
        out.texts << out.result.error().toString() << out.result.error().message()
                  << out.result.error().context();
    return out;
}

DeployOptions tst_DeploySecrets::egressOptions() const
{
    DeployOptions o = testOptions();
    o.egressPolicyFile = m_policyFile;
    o.proxySocketDir = m_socketDir.path();
    return o;
}

void tst_DeploySecrets::verifyNothingCreated(const QString &name)
{
    const QStringList left = objectsOf(name);
    QVERIFY2(left.isEmpty(), qPrintable(left.join(QStringLiteral(", "))));
}

static json inspectContainer(const QString &name)
{
    const json j = json::parse(
        runDocker({QStringLiteral("container"), QStringLiteral("inspect"), name}).toStdString(),
        nullptr, false);
    return j.is_array() && !j.empty() ? j[0] : json();
}

static QStringList envOf(const json &c)
{
    QStringList env;
    for (const auto &e : c["Config"]["Env"])
        env << QString::fromStdString(e.get<std::string>());
    return env;
}

static QString randomValue()
{
    return QStringLiteral("v4lue-") + QUuid::createUuid().toString(QUuid::Id128);
}

void tst_DeploySecrets::secretNames()
{
    QVERIFY(BoxSecrets::checkName(QStringLiteral("GIT_TOKEN")).ok());
    // Secret names may hold '.' and '-'; environment names may not.
    const auto dashed = BoxSecrets::checkName(QStringLiteral("git-token"));
    QVERIFY(!dashed.ok());
    QCOMPARE(dashed.error().kind(), Error::Kind::Invalid);
    for (const QString &provider :
         {QStringLiteral("ANTHROPIC_API_KEY"), QStringLiteral("OPENAI_API_KEY"),
          QStringLiteral("anthropic_auth_token")}) {
        const auto r = BoxSecrets::checkName(provider);
        QVERIFY2(!r.ok(), qPrintable(provider));
        QVERIFY(r.error().message().contains(QLatin1String("egress proxy")));
        QVERIFY(!await(BoxSecrets::set(provider, QStringLiteral("x"))).ok());
    }

    const QString value = randomValue();
    QVERIFY(await(BoxSecrets::set(QStringLiteral("LS_ONE"), value)).ok());
    QVERIFY(await(BoxSecrets::set(QStringLiteral("LS_TWO"), value)).ok());
    auto names = await(BoxSecrets::list());
    QVERIFY(names.ok());
    QVERIFY(names->contains(QStringLiteral("LS_ONE")) && names->contains(QStringLiteral("LS_TWO")));
    QCOMPARE(await(BoxSecrets::read(QStringLiteral("LS_ONE"))).value(), value);
    QVERIFY(await(BoxSecrets::remove(QStringLiteral("LS_ONE"))).ok());
    QVERIFY(await(BoxSecrets::remove(QStringLiteral("LS_ONE"))).ok()); // twice is fine
    names = await(BoxSecrets::list());
    QVERIFY(!names->contains(QStringLiteral("LS_ONE")) &&
            names->contains(QStringLiteral("LS_TWO")));
    const auto missing = await(BoxSecrets::read(QStringLiteral("LS_ONE")));
    QCOMPARE(missing.error().kind(), Error::Kind::Invalid);
    QCOMPARE(missing.error().message(),
             QStringLiteral("secrets.LS_ONE: not found in the secret store; store it with "
                            "`boxctl secret set LS_ONE`"));
    QVERIFY(await(BoxSecrets::remove(QStringLiteral("LS_TWO"))).ok());
}

static QString inBox(const QString &name, const QStringList &command, int *code = nullptr)
{
    return runDocker(QStringList{QStringLiteral("exec"), QStringLiteral("-u"),
                                 QStringLiteral("1000:1000"), name} +
                         command,
                     code)
        .trimmed();
}

void tst_DeploySecrets::secretIsAReadOnlyFileNeverInInspect()
{
    const QString value = randomValue();
    QVERIFY(await(BoxSecrets::set(QStringLiteral("GIT_TOKEN"), value)).ok());
    const QString name = uniqueName(QStringLiteral("bxs"));
    auto spec = agentSpec(name);
    spec.secrets = {QStringLiteral("GIT_TOKEN")};
    spec.env.insert(QStringLiteral("PLAIN"), QStringLiteral("1"));
    const Outcome o = deploy(*m_backend, spec);
    QVERIFY2(o.result.ok(), qPrintable(o.texts.join(QStringLiteral(" | "))));

    // Nowhere in what the Engine API shows: container, its secrets volume, its other objects.
    const QString raw = runDocker({QStringLiteral("container"), QStringLiteral("inspect"), name});
    QVERIFY(raw.contains(name));
    QVERIFY2(!raw.contains(value), "docker inspect shows the secret value");
    const QString volume = security::HardeningProfile::secretsVolumeName(name);
    const QString volumeRaw =
        runDocker({QStringLiteral("volume"), QStringLiteral("inspect"), volume});
    QVERIFY(volumeRaw.contains(volume));
    QVERIFY(!volumeRaw.contains(value));
    const json c = inspectContainer(name);
    QVERIFY(c.is_object());
    const QStringList env = envOf(c);
    QVERIFY2(env.contains(QStringLiteral("GIT_TOKEN_FILE=/run/secrets/GIT_TOKEN")),
             qPrintable(env.join(u' ')));
    for (const QString &e : env)
        QVERIFY2(!e.startsWith(QLatin1String("GIT_TOKEN=")), "GIT_TOKEN is in the environment");
    QVERIFY(env.contains(QStringLiteral("PLAIN=1")));
    // Mounted read-only at /run/secrets.
    bool mounted = false;
    for (const auto &m : c["Mounts"]) {
        if (m.value("Destination", "") != "/run/secrets")
            continue;
        mounted = true;
        QCOMPARE(QString::fromStdString(m.value("Name", "")), volume);
        QCOMPARE(m.value("RW", true), false);
    }
    QVERIFY(mounted);

    // Inside: the box user reads it; it is 0400 and owned by 1000:1000; it cannot be changed.
    int code = -1;
    QCOMPARE(inBox(name, {QStringLiteral("cat"), QStringLiteral("/run/secrets/GIT_TOKEN")}, &code),
             value);
    QCOMPARE(code, 0);
    QCOMPARE(inBox(name, {QStringLiteral("stat"), QStringLiteral("-c"), QStringLiteral("%a %u %g"),
                          QStringLiteral("/run/secrets/GIT_TOKEN")}),
             QStringLiteral("400 1000 1000"));
    inBox(name,
          {QStringLiteral("sh"), QStringLiteral("-c"),
           QStringLiteral("echo x > /run/secrets/GIT_TOKEN")},
          &code);
    QVERIFY(code != 0);
    inBox(name, {QStringLiteral("touch"), QStringLiteral("/run/secrets/NEW")}, &code);
    QVERIFY(code != 0);
    QCOMPARE(inBox(name, {QStringLiteral("sh"), QStringLiteral("-c"),
                          QStringLiteral("cat \"$GIT_TOKEN_FILE\"")}),
             value);

    // Not in labels (hash included), not in any text the deploy showed.
    QVERIFY(!QString::fromStdString(c["Config"]["Labels"].dump()).contains(value));
    for (const QString &t : o.texts)
        QVERIFY2(!t.contains(value), "a deploy text holds the secret value");
    QVERIFY(o.texts.join(u' ').contains(QLatin1String("GIT_TOKEN"))); // the name is fine
    QCOMPARE(o.result->name, name);
    QCOMPARE(QString::fromStdString(c["Config"]["Labels"].value("box-console.spec-hash", "")),
             spec.hash());
    // The writer that filled the volume is gone.
    QCOMPARE(runDocker({QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--filter"),
                        QStringLiteral("label=box-console.role=secrets-writer")})
                 .trimmed(),
             QString());
    // And the audit of this box finds nothing about secrets.
    const auto findings = security::PostureAudit::audit(c);
    for (const auto &f : findings)
        QVERIFY2(!f.id.startsWith(QLatin1String("BOX-ENV")) &&
                     f.id != QLatin1String("BOX-SECRETS-WRITABLE"),
                 qPrintable(f.id + u' ' + f.detail));
}

void tst_DeploySecrets::redeployAndDeleteRemoveSecrets()
{
    QVERIFY(await(BoxSecrets::set(QStringLiteral("NPM_TOKEN"), randomValue())).ok());
    const QString name = uniqueName(QStringLiteral("bxs"));
    const QString volume = security::HardeningProfile::secretsVolumeName(name);
    auto spec = agentSpec(name);
    spec.secrets = {QStringLiteral("NPM_TOKEN")};
    Outcome o = deploy(*m_backend, spec);
    QVERIFY2(o.result.ok(), qPrintable(o.texts.join(QStringLiteral(" | "))));
    int code = -1;
    runDocker({QStringLiteral("volume"), QStringLiteral("inspect"), volume}, &code);
    QCOMPARE(code, 0);

    // A redeploy without the secret leaves no file of it behind.
    spec.secrets.clear();
    o = deploy(*m_backend, spec);
    QVERIFY2(o.result.ok(), qPrintable(o.texts.join(QStringLiteral(" | "))));
    runDocker({QStringLiteral("volume"), QStringLiteral("inspect"), volume}, &code);
    QVERIFY(code != 0);
    QVERIFY(!envOf(inspectContainer(name)).join(u' ').contains(QLatin1String("NPM_TOKEN")));

    // With it again, then deleted keeping the data: the secrets go, the data stays.
    spec.secrets = {QStringLiteral("NPM_TOKEN")};
    o = deploy(*m_backend, spec);
    QVERIFY2(o.result.ok(), qPrintable(o.texts.join(QStringLiteral(" | "))));
    const auto removed = runJob(m_backend->remove(name, true));
    QVERIFY2(removed.ok(), qPrintable(removed.ok() ? QString() : removed.error().toString()));
    runDocker({QStringLiteral("volume"), QStringLiteral("inspect"), volume}, &code);
    QVERIFY2(code != 0, "the secrets volume survived a keep-data delete");
    for (const QString &kept : security::HardeningProfile::volumeNames(name)) {
        runDocker({QStringLiteral("volume"), QStringLiteral("inspect"), kept}, &code);
        QVERIFY2(code == 0, qPrintable(kept));
    }
    QVERIFY(runJob(m_backend->remove(name, false)).ok());
    verifyNothingCreated(name);
}

void tst_DeploySecrets::cancelWhileWritingSecretsLeavesNothing()
{
    const QString value = randomValue();
    QVERIFY(await(BoxSecrets::set(QStringLiteral("GIT_TOKEN"), value)).ok());
    const QString name = uniqueName(QStringLiteral("bxs"));
    auto spec = agentSpec(name);
    spec.secrets = {QStringLiteral("GIT_TOKEN")};

    // Cancelled the moment the engine has made the secrets writer: the secrets volume
    // exists, the writer too, the upload may be in flight. The rollback removes both.
    docker::DockerClient client(http::Endpoint{});
    docker::Filters filters;
    filters.insert(QStringLiteral("type"), {QStringLiteral("container")});
    filters.insert(QStringLiteral("label"), {QStringLiteral("box-console.role=secrets-writer"),
                                             QStringLiteral("box-console.box=") + name});
    auto *events = client.events(filters);
    QSignalSpy subscribed(events, &docker::EventStream::connected);
    QVERIFY(subscribed.wait(10000));
    BoxJob *job = m_backend->deploy(spec);
    bool sawWriter = false;
    connect(events, &docker::EventStream::eventReceived, this,
            [&sawWriter, job](const docker::Event &e) {
                if (e.action == QLatin1String("create") && !sawWriter) {
                    sawWriter = true;
                    job->cancel();
                }
            });
    QStringList texts;
    connect(job, &BoxJob::progress, this, [&texts](const QString &text) { texts << text; });
    const auto r = runJob(job);
    QVERIFY2(sawWriter, qPrintable(texts.join(QStringLiteral(" | "))));
    QVERIFY2(!r.ok(), "the deploy finished although it was cancelled");
    QCOMPARE(r.error().kind(), Error::Kind::Cancelled);
    QVERIFY2(r.error().message().contains(QLatin1String("nothing left behind")),
             qPrintable(r.error().toString()));
    for (const QString &t : texts)
        QVERIFY(!t.contains(value));
    verifyNothingCreated(name);
    QCOMPARE(runDocker({QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--filter"),
                        QStringLiteral("label=box-console.role=secrets-writer")})
                 .trimmed(),
             QString());
}

void tst_DeploySecrets::failedDeployRemovesSecretsVolume()
{
    QVERIFY(await(BoxSecrets::set(QStringLiteral("GIT_TOKEN"), randomValue())).ok());
    const QString name = uniqueName(QStringLiteral("bxs"));
    auto spec = agentSpec(name);
    spec.secrets = {QStringLiteral("GIT_TOKEN")};
    spec.command = {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("exit 3")};
    const Outcome o = deploy(*m_backend, spec);
    QVERIFY(!o.result.ok());
    QVERIFY2(o.texts.join(u' ').contains(QLatin1String("Wrote 1 secret file")),
             qPrintable(o.texts.join(QStringLiteral(" | "))));
    verifyNothingCreated(name);
}

void tst_DeploySecrets::putArchiveKeepsOwnersAndModes()
{
    // The client call on its own: a created (never started) container, a long name (PAX).
    const QString name = uniqueName(QStringLiteral("bxa"));
    int code = -1;
    runDocker({QStringLiteral("create"), QStringLiteral("--label"), testLabel(),
               QStringLiteral("--name"), name, agentImage()},
              &code);
    QCOMPARE(code, 0);
    const QString longName = QString(120, u'L');
    const auto tar = docker::MemoryTar::pack(
        {{QStringLiteral("a"), "alpha", 0400, 1000, 1000}, {longName, "beta", 0640, 1234, 5678}});
    QVERIFY(tar.ok());
    docker::DockerClient client(http::Endpoint{});
    const auto put = await(client.putArchive(name, QStringLiteral("/www"), tar.value()));
    QVERIFY2(put.ok(), qPrintable(put.ok() ? QString() : put.error().toString()));
    runDocker({QStringLiteral("start"), name}, &code);
    QCOMPARE(code, 0);
    const QString listing =
        runDocker({QStringLiteral("exec"), name, QStringLiteral("sh"), QStringLiteral("-c"),
                   QStringLiteral("stat -c '%n %a %u %g' /www/a /www/") + longName +
                       QStringLiteral("; cat /www/a")});
    QVERIFY2(listing.contains(QStringLiteral("/www/a 400 1000 1000")), qPrintable(listing));
    QVERIFY2(listing.contains(QStringLiteral("/www/%1 640 1234 5678").arg(longName)),
             qPrintable(listing));
    QVERIFY(listing.trimmed().endsWith(QLatin1String("alpha")));
    // A missing container is NotFound, and the error names no content.
    const auto missing = await(
        client.putArchive(name + QStringLiteral("-gone"), QStringLiteral("/www"), tar.value()));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().kind(), Error::Kind::NotFound);
    QVERIFY(!missing.error().toString().contains(QLatin1String("alpha")));
}

void tst_DeploySecrets::missingSecretCreatesNothing()
{
    const QString name = uniqueName(QStringLiteral("bxs"));
    auto spec = agentSpec(name);
    spec.secrets = {QStringLiteral("NOT_STORED_ANYWHERE")};
    const Outcome o = deploy(*m_backend, spec);
    QVERIFY(!o.result.ok());
    QCOMPARE(o.result.error().kind(), Error::Kind::Invalid);
    QVERIFY2(o.result.error().message().contains(
                 QLatin1String("secrets.NOT_STORED_ANYWHERE: not found in the secret store; "
                               "store it with `boxctl secret set NOT_STORED_ANYWHERE`")),
             qPrintable(o.result.error().toString()));
    QVERIFY(!o.texts.contains(QStringLiteral("volumes")));
    verifyNothingCreated(name);
}

void tst_DeploySecrets::providerKeyAsSecretRefused()
{
    // Stored behind the store's back (BoxSecrets refuses it), so the refusal is about the
    // name and not about a missing secret.
    const QString value = randomValue();
    QVERIFY(await(util::SecretStore::write(
                      BoxSecrets::storeKey(QStringLiteral("ANTHROPIC_API_KEY")), value))
                .ok());
    const QString name = uniqueName(QStringLiteral("bxs"));
    auto spec = agentSpec(name);
    spec.secrets = {QStringLiteral("ANTHROPIC_API_KEY")};
    const Outcome o = deploy(*m_backend, spec);
    QVERIFY(!o.result.ok());
    QCOMPARE(o.result.error().kind(), Error::Kind::Invalid);
    QVERIFY2(o.result.error().message().contains(
                 QLatin1String("secrets[0]: ANTHROPIC_API_KEY is a provider credential")) &&
                 o.result.error().message().contains(QLatin1String("egress proxy")),
             qPrintable(o.result.error().toString()));
    for (const QString &t : o.texts)
        QVERIFY(!t.contains(value));
    verifyNothingCreated(name);
    QVERIFY(
        await(util::SecretStore::remove(BoxSecrets::storeKey(QStringLiteral("ANTHROPIC_API_KEY"))))
            .ok());
}

// The environment and the per-box mount of an egress box, with a real proxy serving its
// grant, are checked end to end in tst_egressdeploy; here: without a grants directory the
// proxy could never learn of the box, so the deploy is refused and leaves nothing.
void tst_DeploySecrets::egressWithoutGrantsCreatesNothing()
{
    DeployOptions options = egressOptions();
    options.egressGrantsDir.clear();
    DockerBackend backend(http::Endpoint{}, options);
    const QString name = uniqueName(QStringLiteral("bxe"));
    auto spec = agentSpec(name);
    spec.egress = QStringLiteral("all");
    const Outcome o = deploy(backend, spec);
    QVERIFY(!o.result.ok());
    QCOMPARE(o.result.error().kind(), Error::Kind::Invalid);
    QVERIFY2(o.result.error().toString().contains(QLatin1String("grants")),
             qPrintable(o.result.error().toString()));
    verifyNothingCreated(name);
}

void tst_DeploySecrets::egressPicksOneUpstream()
{
    const auto one = BoxEgress::resolve(QStringLiteral("anthropic"), m_policyFile,
                                        m_socketDir.path(), QStringLiteral("bx-egress"));
    QVERIFY2(one.ok(), qPrintable(one.ok() ? QString() : one.error().toString()));
    QCOMPARE(one->policy.upstreams().size(), 1);
    QCOMPARE(one->env.value(QStringLiteral("BOX_EGRESS_FORWARDERS")),
             QStringLiteral("8081:anthropic"));
    QVERIFY(one->env.contains(QStringLiteral("ANTHROPIC_BASE_URL")));
    QVERIFY(!one->env.contains(QStringLiteral("RESEND_BASE_URL")));

    // A box without egress has no host path at all, even with a socket dir configured.
    DockerBackend backend(http::Endpoint{}, egressOptions());
    const QString name = uniqueName(QStringLiteral("bxe"));
    const Outcome o = deploy(backend, agentSpec(name));
    QVERIFY2(o.result.ok(), qPrintable(o.texts.join(QStringLiteral(" | "))));
    const json c = inspectContainer(name);
    for (const auto &m : c["Mounts"])
        QVERIFY(m.value("Type", "") != "bind");
    QVERIFY(!envOf(c).join(u' ').contains(QLatin1String("BOX_EGRESS")));
}

void tst_DeploySecrets::unknownPolicyCreatesNothing()
{
    // With a stored secret too: a refusal after the secrets were read must not show them.
    const QString value = randomValue();
    QVERIFY(await(BoxSecrets::set(QStringLiteral("GIT_TOKEN"), value)).ok());
    DockerBackend backend(http::Endpoint{}, egressOptions());
    const QString name = uniqueName(QStringLiteral("bxe"));
    auto spec = agentSpec(name);
    spec.secrets = {QStringLiteral("GIT_TOKEN")};
    spec.egress = QStringLiteral("no-such-policy");
    const Outcome o = deploy(backend, spec);
    QVERIFY(!o.result.ok());
    QCOMPARE(o.result.error().kind(), Error::Kind::Invalid);
    QVERIFY2(o.result.error().message().contains(QLatin1String("no-such-policy")),
             qPrintable(o.result.error().toString()));
    for (const QString &t : o.texts)
        QVERIFY(!t.contains(value));
    verifyNothingCreated(name);
}

void tst_DeploySecrets::missingSocketDirCreatesNothing()
{
    DeployOptions opts = egressOptions();
    opts.proxySocketDir = m_home.filePath(QStringLiteral("no-proxy-here"));
    DockerBackend backend(http::Endpoint{}, opts);
    const QString name = uniqueName(QStringLiteral("bxe"));
    auto spec = agentSpec(name);
    spec.egress = QStringLiteral("all");
    const Outcome o = deploy(backend, spec);
    QVERIFY(!o.result.ok());
    QCOMPARE(o.result.error().kind(), Error::Kind::Invalid);
    QVERIFY2(o.result.error().message().contains(QLatin1String("does not exist")),
             qPrintable(o.result.error().toString()));
    verifyNothingCreated(name);
    QVERIFY(!QFileInfo::exists(opts.proxySocketDir));
}

void tst_DeploySecrets::noPolicyFileCreatesNothing()
{
    const QString name = uniqueName(QStringLiteral("bxe"));
    auto spec = agentSpec(name);
    spec.egress = QStringLiteral("all");
    const Outcome o = deploy(*m_backend, spec); // testOptions(): no policy file
    QVERIFY(!o.result.ok());
    QCOMPARE(o.result.error().kind(), Error::Kind::Invalid);
    QVERIFY(o.result.error().message().contains(QLatin1String("no egress policy file")));
    verifyNothingCreated(name);
}

// The box image's entrypoint starts one socat per BOX_EGRESS_FORWARDERS pair (what a deploy
// with egress sets); run on the host with a socat stand-in that records its arguments.
void tst_DeploySecrets::entrypointStartsForwardersFromEnv()
{
    const QString entrypoint =
        QDir(sourceDir()).filePath(QStringLiteral("infrastructure/box-base/entrypoint.sh"));
    QVERIFY(QFileInfo::exists(entrypoint));
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("bin")) &&
            QDir(dir.path()).mkpath(QStringLiteral("egress")));
    const QString log = dir.filePath(QStringLiteral("socat.log"));
    QFile stub(dir.filePath(QStringLiteral("bin/socat")));
    QVERIFY(stub.open(QIODevice::WriteOnly));
    stub.write("#!/bin/sh\necho \"$*\" >> \"$SOCAT_LOG\"\n");
    stub.close();
    stub.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

    const auto egress = BoxEgress::resolve(QStringLiteral("all"), m_policyFile, m_socketDir.path(),
                                           QStringLiteral("bx-egress"));
    QVERIFY(egress.ok());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PATH"),
               dir.filePath(QStringLiteral("bin")) + u':' + env.value(QStringLiteral("PATH")));
    env.insert(QStringLiteral("SOCAT_LOG"), log);
    env.insert(QStringLiteral("BOX_CODE_SERVER"), QStringLiteral("0"));
    env.insert(QStringLiteral("BOX_EGRESS_DIR"), dir.filePath(QStringLiteral("egress")));
    env.insert(QStringLiteral("BOX_EGRESS_FORWARDERS"),
               egress->env.value(QStringLiteral("BOX_EGRESS_FORWARDERS")) +
                   QStringLiteral(" 1:../x 2x:y"));
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("sh"), {entrypoint, QStringLiteral("true")});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 0);
    QDeadlineTimer deadline(5000);
    QStringList lines;
    while (!deadline.hasExpired()) {
        QFile f(log);
        if (f.open(QIODevice::ReadOnly))
            lines = QString::fromUtf8(f.readAll()).split(u'\n', Qt::SkipEmptyParts);
        if (lines.size() >= 3)
            break;
        QThread::msleep(50);
    }
    const QString egressDir = dir.filePath(QStringLiteral("egress"));
    QVERIFY2(lines.contains(QStringLiteral("TCP-LISTEN:8081,bind=127.0.0.1,fork,reuseaddr "
                                           "UNIX-CONNECT:%1/anthropic.sock")
                                .arg(egressDir)),
             qPrintable(lines.join(u'|')));
    QVERIFY(lines.contains(QStringLiteral("TCP-LISTEN:8082,bind=127.0.0.1,fork,reuseaddr "
                                          "UNIX-CONNECT:%1/resend.sock")
                               .arg(egressDir)));
    // Two forwarders and the box-agent; the malformed pairs were refused.
    QCOMPARE(lines.size(), 3);
    QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(QLatin1String("bad forwarder")));
}

// Defence in depth behind the spec's validation: whatever the environment says (an image's
// ENV, a hand-made container), the entrypoint of a routed box keeps code-server's password,
// the box-agent on loopback and sshd off. Run on the host with recording stand-ins.
void tst_DeploySecrets::entrypointKeepsRoutedBoxLocked()
{
    const QString entrypoint =
        QDir(sourceDir()).filePath(QStringLiteral("infrastructure/box-base/entrypoint.sh"));
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("bin")));
    const QString log = dir.filePath(QStringLiteral("calls.log"));
    // ssh-keygen is the first thing the sshd branch runs: its stand-in fails, so a broken
    // refusal ends the script before this host's sshd could start.
    for (const char *tool : {"socat", "code-server", "ssh-keygen"}) {
        QFile stub(dir.filePath(QStringLiteral("bin/") + QLatin1String(tool)));
        QVERIFY(stub.open(QIODevice::WriteOnly));
        stub.write(QByteArray("#!/bin/sh\necho \"") + tool + " $* password=${PASSWORD:-}\" >> " +
                   "\"$CALL_LOG\"\n" + (qstrcmp(tool, "ssh-keygen") == 0 ? "exit 1\n" : ""));
        stub.close();
        stub.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    // The secret CODE_SERVER_PASSWORD, as a deploy mounts it.
    const QString passwordFile = dir.filePath(QStringLiteral("CODE_SERVER_PASSWORD"));
    QFile password(passwordFile);
    QVERIFY(password.open(QIODevice::WriteOnly));
    password.write("s3cret-pw");
    password.close();
    auto run = [&](const QString &isolation, QString *stderrText) {
        QFile::remove(log);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PATH"),
                   dir.filePath(QStringLiteral("bin")) + u':' + env.value(QStringLiteral("PATH")));
        env.insert(QStringLiteral("CALL_LOG"), log);
        env.insert(QStringLiteral("BOX_EGRESS_DIR"), dir.filePath(QStringLiteral("none")));
        env.insert(QStringLiteral("BOX_CODE_SERVER_AUTH"), QStringLiteral("none"));
        env.insert(QStringLiteral("BOX_AGENT_BIND"), QStringLiteral("0.0.0.0"));
        // Only where the entrypoint refuses it: elsewhere it would start this host's sshd.
        if (isolation == QLatin1String("routed"))
            env.insert(QStringLiteral("BOX_DEV_SSH"), QStringLiteral("1"));
        if (!isolation.isEmpty())
            env.insert(QStringLiteral("BOX_ISOLATION"), isolation);
        env.remove(QStringLiteral("PASSWORD"));
        env.insert(QStringLiteral("CODE_SERVER_PASSWORD_FILE"), passwordFile);
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral("sh"), {entrypoint, QStringLiteral("true")});
        if (!p.waitForFinished(10000) || p.exitCode() != 0)
            return QStringList{QStringLiteral("entrypoint failed")};
        *stderrText = QString::fromUtf8(p.readAllStandardError());
        QStringList lines;
        QDeadlineTimer deadline(5000);
        while (!deadline.hasExpired()) {
            QFile f(log);
            if (f.open(QIODevice::ReadOnly))
                lines = QString::fromUtf8(f.readAll()).split(u'\n', Qt::SkipEmptyParts);
            if (lines.size() >= 2)
                break;
            QThread::msleep(50);
        }
        return lines;
    };
    QString err;
    const QStringList routed = run(QStringLiteral("routed"), &err);
    QVERIFY2(routed.size() == 2, qPrintable(routed.join(u'|')));
    const QString codeServer = routed.filter(QStringLiteral("code-server ")).value(0);
    QVERIFY2(codeServer.contains(QLatin1String("--auth password")), qPrintable(codeServer));
    QVERIFY2(codeServer.endsWith(QLatin1String("password=s3cret-pw")), qPrintable(codeServer));
    QVERIFY2(
        routed.filter(QStringLiteral("socat ")).value(0).contains(QLatin1String("bind=127.0.0.1,")),
        qPrintable(routed.join(u'|')));
    QVERIFY(err.contains(QLatin1String("BOX_CODE_SERVER_AUTH refused in a routed box")));
    QVERIFY(err.contains(QLatin1String("BOX_AGENT_BIND refused")));
    QVERIFY(err.contains(QLatin1String("BOX_DEV_SSH refused")));

    // Not routed (docker-dev, the dev compose file): the developer switches still work.
    const QStringList isolated = run(QString(), &err);
    QVERIFY2(isolated.filter(QStringLiteral("code-server "))
                 .value(0)
                 .contains(QLatin1String("--auth none")),
             qPrintable(isolated.join(u'|')));
    QVERIFY(isolated.filter(QStringLiteral("socat "))
                .value(0)
                .contains(QLatin1String("bind=0.0.0.0,")));
}

void tst_DeploySecrets::boxctlSecretCommands()
{
    const QString boxctl = QDir(binDir()).filePath(QStringLiteral("boxctl"));
    if (!QFileInfo(boxctl).isExecutable())
        QSKIP("boxctl not built");
    const QString value = randomValue();
    auto run = [&](const QStringList &args, const QByteArray &input, QString *out) {
        QProcess p;
        p.start(boxctl, args);
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(30000))
            return -1;
        *out = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
        return p.exitCode();
    };
    QString out;
    QCOMPARE(run({QStringLiteral("secret"), QStringLiteral("set"), QStringLiteral("CLI_TOKEN")},
                 value.toUtf8() + '\n', &out),
             0);
    QVERIFY(!out.contains(value));
    QCOMPARE(await(BoxSecrets::read(QStringLiteral("CLI_TOKEN"))).value(), value);
    QCOMPARE(run({QStringLiteral("secret"), QStringLiteral("ls")}, {}, &out), 0);
    QVERIFY(out.split(u'\n').contains(QStringLiteral("CLI_TOKEN")));
    QVERIFY(!out.contains(value));
    QVERIFY(
        run({QStringLiteral("secret"), QStringLiteral("set"), QStringLiteral("ANTHROPIC_API_KEY")},
            value.toUtf8(), &out) != 0);
    QVERIFY(!out.contains(value));
    QCOMPARE(run({QStringLiteral("secret"), QStringLiteral("rm"), QStringLiteral("CLI_TOKEN")}, {},
                 &out),
             0);
    QCOMPARE(run({QStringLiteral("secret"), QStringLiteral("ls")}, {}, &out), 0);
    QVERIFY(!out.contains(QLatin1String("CLI_TOKEN")));
}

// The reproduction through the CLI: a spec switching protections off is refused with
// the field and the rule, exit 2, and nothing on the engine.
void tst_DeploySecrets::boxctlRefusesReservedEnv()
{
    const QString boxctl = QDir(binDir()).filePath(QStringLiteral("boxctl"));
    QVERIFY2(QFileInfo(boxctl).isExecutable(), qPrintable(boxctl));
    const QString name = uniqueName(QStringLiteral("bxr"));
    const struct
    {
        const char *key;
        const char *value;
        const char *secret;
    } cases[] = {{"BOX_CODE_SERVER_AUTH", "none", nullptr},
                 {"BOX_AGENT_BIND", "0.0.0.0", nullptr},
                 {"BOX_DEV_SSH", "1", nullptr},
                 {nullptr, nullptr, "ANTHROPIC_API_KEY"}};
    for (const auto &c : cases) {
        json spec = {{"name", name.toStdString()},
                     {"subdomain", name.toLower().toStdString()},
                     {"isolation", "routed"},
                     {"image", agentImage().toStdString()}};
        if (c.key)
            spec["env"] = {{c.key, c.value}};
        if (c.secret)
            spec["secrets"] = {c.secret};
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("spec.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray::fromStdString(spec.dump()));
        f.close();
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DEPLOY_MODE"), QStringLiteral("docker"));
        p.setProcessEnvironment(env);
        p.start(boxctl, {QStringLiteral("deploy"), QStringLiteral("--spec"), file});
        QVERIFY(p.waitForFinished(30000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), 2);
        const QString expected =
            c.key ? QStringLiteral("env.%1: reserved: BOX_* variables").arg(QLatin1String(c.key))
                  : QStringLiteral("secrets[0]: ANTHROPIC_API_KEY is a provider credential");
        QVERIFY2(err.contains(expected), qPrintable(err));
        verifyNothingCreated(name);
    }
}

QTEST_GUILESS_MAIN(tst_DeploySecrets)
#include "tst_deploysecrets.moc"
