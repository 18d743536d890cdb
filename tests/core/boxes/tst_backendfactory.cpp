// How BackendFactory turns the stored Docker choice (context names and added URLs) into
// engines, against a docker CLI context store written here (DOCKER_CONFIG).
#include "core/boxes/backendfactory.h"
#include "core/boxes/consolesettings.h"
#include "core/docker/endpointresolver.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace bc;
using boxes::BackendFactory;
using boxes::ConsoleSettings;

namespace {

void addContext(const QString &configDir, const QString &name, const QString &host)
{
    const QString dir =
        configDir + u"/contexts/meta/" + docker::EndpointResolver::contextHash(name);
    QVERIFY(QDir().mkpath(dir));
    QFile f(dir + u"/meta.json");
    QVERIFY(f.open(QIODevice::WriteOnly));
    const nlohmann::json meta = {{"Name", name.toStdString()},
                                 {"Endpoints", {{"docker", {{"Host", host.toStdString()}}}}}};
    f.write(QByteArray::fromStdString(meta.dump()));
}

} // namespace

class tst_BackendFactory final : public QObject
{
    Q_OBJECT
    QTemporaryDir m_docker;
    QTemporaryDir m_work;
    int m_n = 0;

    std::unique_ptr<ConsoleSettings> settings()
    {
        return std::make_unique<ConsoleSettings>(
            m_work.filePath(QStringLiteral("s%1.ini").arg(++m_n)));
    }

private slots:
    void initTestCase()
    {
        qputenv("DOCKER_CONFIG", m_docker.path().toUtf8());
        for (const char *v : {"DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_TLS",
                              "DOCKER_CERT_PATH"})
            qunsetenv(v);
        addContext(m_docker.path(), QStringLiteral("remote"), QStringLiteral("tcp://remote:2376"));
        addContext(m_docker.path(), QStringLiteral("local"),
                   QStringLiteral("unix:///var/run/docker.sock"));
        QFile config(m_docker.path() + u"/config.json");
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(R"({"currentContext": "remote"})");
    }

    void init() { qunsetenv("DOCKER_HOST"); }

    void nothingStoredFollowsTheCli()
    {
        auto s = settings();
        QVERIFY(s->followsDockerCli());
        const auto e = BackendFactory(*s).dockerEndpoints();
        QVERIFY(e.ok());
        QCOMPARE(e->size(), 1);
        QCOMPARE(e->first().toUrl(), QStringLiteral("tcp://remote:2376"));
    }

    void contextsThenUrlsInStoredOrderWithoutDuplicates()
    {
        auto s = settings();
        s->setDockerContexts({QStringLiteral("remote"), QStringLiteral("local")});
        // The same engine as context "local" and as "default": listed once.
        s->setDockerEndpoints({QStringLiteral("ssh://me@far"), QStringLiteral("unix://")});
        QVERIFY(!s->followsDockerCli());
        const auto e = BackendFactory(*s).dockerEndpoints();
        QVERIFY(e.ok());
        QStringList urls;
        for (const http::Endpoint &x : e.value())
            urls << x.toUrl();
        QCOMPARE(urls, (QStringList{QStringLiteral("tcp://remote:2376"),
                                    QStringLiteral("unix:///var/run/docker.sock"),
                                    QStringLiteral("ssh://me@far")}));
    }

    void defaultContextIsDockerHost()
    {
        // As for the CLI: the "default" context is DOCKER_HOST when it is set.
        qputenv("DOCKER_HOST", "tcp://from-env:2375");
        auto e = BackendFactory::contextEndpoint(QStringLiteral("default"));
        QVERIFY(e.ok());
        QCOMPARE(e->toUrl(), QStringLiteral("tcp://from-env:2375"));
        qunsetenv("DOCKER_HOST");
        e = BackendFactory::contextEndpoint(QStringLiteral("default"));
        QVERIFY(e.ok());
        QCOMPARE(e->toUrl(), QStringLiteral("unix:///var/run/docker.sock"));
    }

    void missingContextIsAWarningOrAnError()
    {
        auto s = settings();
        s->setDockerContexts({QStringLiteral("gone"), QStringLiteral("remote")});
        BackendFactory f(*s);
        // Strict (boxctl): the whole list fails, naming the context.
        auto strict = f.dockerEndpoints();
        QVERIFY(!strict.ok());
        QVERIFY2(strict.error().toString().contains(QStringLiteral("\"gone\"")),
                 qPrintable(strict.error().toString()));
        // Lenient (the console): skipped with a warning, the rest still used.
        QStringList warnings;
        auto lenient = f.dockerEndpoints(&warnings);
        QVERIFY(lenient.ok());
        QCOMPARE(lenient->size(), 1);
        QCOMPARE(warnings.size(), 1);

        s->setDockerContexts({QStringLiteral("gone")});
        warnings.clear();
        auto none = BackendFactory(*s).dockerEndpoints(&warnings);
        QVERIFY(!none.ok());
        QCOMPARE(warnings.size(), 1);
    }

    void commandLineBeatsTheSettings()
    {
        auto s = settings();
        s->setDockerContexts({QStringLiteral("local")});
        BackendFactory::Overrides o;
        o.context = QStringLiteral("remote");
        const auto e = BackendFactory(*s, o).dockerEndpoints();
        QVERIFY(e.ok());
        QCOMPARE(e->size(), 1);
        QCOMPARE(e->first().toUrl(), QStringLiteral("tcp://remote:2376"));
    }

    // A fresh install has never configured Coolify: listing must not add a Coolify backend
    // that can only fail (and make `boxctl ls` exit 1 on every machine without Coolify).
    void unconfiguredCoolifyIsNotListed()
    {
        qunsetenv("COOLIFY_URL");
        qunsetenv("DEPLOY_MODE");
        auto s = settings();
        QCOMPARE(s->deployModeSource(), QStringLiteral("default"));
        QObject owner;
        const auto all = BackendFactory(*s).createAll(&owner);
        QVERIFY(!all.isEmpty());
        for (const auto *b : all)
            QVERIFY2(b->kind() != QLatin1String("coolify"), qPrintable(b->kind()));
        // Chosen on purpose, it is listed (and its missing URL reported).
        s->setDeployMode(QStringLiteral("coolify"));
        QStringList warnings;
        const auto chosen = BackendFactory(*s).createAll(&owner, &warnings);
        bool listed = false;
        for (const auto *b : chosen)
            listed = listed || b->kind() == QLatin1String("coolify");
        QVERIFY(listed || !warnings.isEmpty());
    }

    void emptyListsAreRemovedNotStored()
    {
        const QString file = m_work.filePath(QStringLiteral("empty.ini"));
        ConsoleSettings s(file);
        s.setDockerContexts({QStringLiteral("remote")});
        s.setDockerEndpoints({QStringLiteral("ssh://me@far")});
        s.setDockerContexts({});
        s.setDockerEndpoints({QStringLiteral(" ")});
        s.setStatsIntervalMs(3000); // so that the file exists
        s.sync();
        QVERIFY(s.followsDockerCli());
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(!f.readAll().contains("docker"));
    }
};

QTEST_GUILESS_MAIN(tst_BackendFactory)
#include "tst_backendfactory.moc"
