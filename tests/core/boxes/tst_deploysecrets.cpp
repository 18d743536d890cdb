// ctest: labels=docker timeout=300
#include "boxtestsupport.h"

#include "core/boxes/boxegress.h"
#include "core/boxes/boxsecrets.h"
#include "core/boxes/dockerbackend.h"
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

// spec.secrets and spec.egress on the real engine: values reach the container's Env and
// nothing else; refused specs create nothing.
class tst_DeploySecrets : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void secretNames();
    void secretReachesEnvOnly();
    void missingSecretCreatesNothing();
    void providerKeyAsSecretRefused();
    void egressEnvAndSocketMount();
    void egressPicksOneUpstream();
    void unknownPolicyCreatesNothing();
    void missingSocketDirCreatesNothing();
    void noPolicyFileCreatesNothing();
    void entrypointStartsForwardersFromEnv();
    void boxctlSecretCommands();

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
    m_backend = std::make_unique<DockerBackend>(http::Endpoint{}, testOptions());
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

void tst_DeploySecrets::secretReachesEnvOnly()
{
    const QString value = randomValue();
    QVERIFY(await(BoxSecrets::set(QStringLiteral("GIT_TOKEN"), value)).ok());
    const QString name = uniqueName(QStringLiteral("bxs"));
    auto spec = agentSpec(name);
    spec.secrets = {QStringLiteral("GIT_TOKEN")};
    spec.env.insert(QStringLiteral("PLAIN"), QStringLiteral("1"));
    const Outcome o = deploy(*m_backend, spec);
    QVERIFY2(o.result.ok(), qPrintable(o.texts.join(QStringLiteral(" | "))));

    const json c = inspectContainer(name);
    QVERIFY(c.is_object());
    const QStringList env = envOf(c);
    QVERIFY2(env.contains(QStringLiteral("GIT_TOKEN=") + value),
             qPrintable(QStringLiteral("GIT_TOKEN missing from Env")));
    QVERIFY(env.contains(QStringLiteral("PLAIN=1")));
    // Only in Env: not in labels (hash included), not in any text the deploy showed.
    QVERIFY(!QString::fromStdString(c["Config"]["Labels"].dump()).contains(value));
    QVERIFY(!QString::fromStdString(c["Config"]["Cmd"].dump()).contains(value));
    for (const QString &t : o.texts)
        QVERIFY2(!t.contains(value), "a deploy text holds the secret value");
    QVERIFY(o.texts.join(u' ').contains(QLatin1String("GIT_TOKEN"))); // the name is fine
    QCOMPARE(o.result->name, name);
    // The spec hash is the same as without the secret's value: names only.
    QCOMPARE(QString::fromStdString(c["Config"]["Labels"].value("box-console.spec-hash", "")),
             spec.hash());
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
    QVERIFY2(o.result.error().message().contains(QLatin1String("secrets.ANTHROPIC_API_KEY")) &&
                 o.result.error().message().contains(QLatin1String("egress proxy")),
             qPrintable(o.result.error().toString()));
    for (const QString &t : o.texts)
        QVERIFY(!t.contains(value));
    verifyNothingCreated(name);
    QVERIFY(
        await(util::SecretStore::remove(BoxSecrets::storeKey(QStringLiteral("ANTHROPIC_API_KEY"))))
            .ok());
}

void tst_DeploySecrets::egressEnvAndSocketMount()
{
    DockerBackend backend(http::Endpoint{}, egressOptions());
    const QString name = uniqueName(QStringLiteral("bxe"));
    auto spec = agentSpec(name);
    spec.egress = QStringLiteral("all");
    const Outcome o = deploy(backend, spec);
    QVERIFY2(o.result.ok(), qPrintable(o.texts.join(QStringLiteral(" | "))));

    const json c = inspectContainer(name);
    const QStringList env = envOf(c);
    QVERIFY2(env.contains(QStringLiteral("ANTHROPIC_BASE_URL=http://127.0.0.1:8081")),
             qPrintable(env.join(u' ')));
    QVERIFY(env.contains(QStringLiteral("RESEND_BASE_URL=http://127.0.0.1:8082")));
    QVERIFY(env.contains(QStringLiteral("BOX_EGRESS_DIR=/run/egress")));
    QVERIFY(env.contains(QStringLiteral("BOX_EGRESS_FORWARDERS=8081:anthropic 8082:resend")));
    for (const QString &e : env) {
        const QString key = e.section(u'=', 0, 0);
        QVERIFY2(!key.endsWith(QLatin1String("_API_KEY")) && !key.endsWith(QLatin1String("TOKEN")),
                 qPrintable(key));
    }

    int binds = 0;
    for (const auto &m : c["Mounts"]) {
        if (m.value("Type", "") != "bind")
            continue;
        ++binds;
        QCOMPARE(QString::fromStdString(m.value("Source", "")),
                 QDir::cleanPath(m_socketDir.path()));
        QCOMPARE(QString::fromStdString(m.value("Destination", "")),
                 QString::fromLatin1(security::HardeningProfile::ProxySocketTarget));
        QCOMPARE(m.value("RW", true), false);
    }
    QCOMPARE(binds, 1);
}

void tst_DeploySecrets::egressPicksOneUpstream()
{
    const auto one =
        BoxEgress::resolve(QStringLiteral("anthropic"), m_policyFile, m_socketDir.path());
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

    const auto egress = BoxEgress::resolve(QStringLiteral("all"), m_policyFile, m_socketDir.path());
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

QTEST_GUILESS_MAIN(tst_DeploySecrets)
#include "tst_deploysecrets.moc"
