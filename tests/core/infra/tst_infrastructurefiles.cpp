#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <nlohmann/json.hpp>

using nlohmann::json;

// The compose files under infrastructure/ hold security promises (no image pulled in dev,
// loopback-only ports, hardened test box, proxy socket directory read-only, no provider
// key in any container environment, Traefik without an open API). They are parsed as YAML
// (python3-yaml) and checked by structure; tst_devenvironment runs the dev file for real.
class tst_InfrastructureFiles : public QObject
{
    Q_OBJECT

    QString m_python;

    json loadYaml(const QString &relative)
    {
        QProcess p;
        p.start(m_python, {QStringLiteral("-c"),
                           QStringLiteral("import sys, json, yaml; "
                                          "print(json.dumps(yaml.safe_load(open(sys.argv[1]))))"),
                           QString::fromLocal8Bit(qgetenv("BOX_SOURCE_DIR")) + u'/' + relative});
        if (!p.waitForFinished(20000) || p.exitCode() != 0)
            return json();
        const QByteArray out = p.readAllStandardOutput();
        return json::parse(out.constBegin(), out.constEnd(), nullptr, false);
    }

    static bool hasString(const json &list, const std::string &value)
    {
        if (!list.is_array())
            return false;
        for (const json &item : list) {
            if (item.is_string() && item.get<std::string>() == value)
                return true;
        }
        return false;
    }

private slots:
    void initTestCase()
    {
        m_python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        QVERIFY2(!m_python.isEmpty(), "python3 missing (scripts/setup.sh test installs it)");
        QProcess p;
        p.start(m_python, {QStringLiteral("-c"), QStringLiteral("import yaml")});
        QVERIFY2(p.waitForFinished(20000) && p.exitCode() == 0,
                 "python3 cannot import yaml (scripts/setup.sh test installs python3-yaml)");
    }

    void devComposeBuildsLocallyAndIsHardened()
    {
        const json c = loadYaml(QStringLiteral("infrastructure/docker-compose.dev.yml"));
        QVERIFY(c.is_object());
        const json &services = c["services"];
        QVERIFY(services.contains("test-box") && services.contains("egress-proxy"));
        for (const auto &[name, s] : services.items()) {
            // The policy service's image comes from a build tree's boxctl
            // (infrastructure/policy-service/build-image.sh), so it is opt-in (a profile)
            // and never pulled; every default service builds from this repository.
            if (name == "policy-service") {
                QVERIFY(hasString(s["profiles"], "policy"));
                QVERIFY(s.contains("image"));
            } else {
                QVERIFY2(s.contains("build"), name.c_str());
                QVERIFY2(!s.contains("profiles"), name.c_str());
            }
            QVERIFY2(s.value("pull_policy", "") == "never", name.c_str());
            // Keys never in a container environment.
            const std::string env = s.value("environment", json::object()).dump();
            QVERIFY2(env.find("API_KEY") == std::string::npos, name.c_str());
            QVERIFY(s.value("read_only", false));
            QVERIFY(hasString(s["cap_drop"], "ALL"));
        }
        const json &box = services["test-box"];
        QCOMPARE(QString::fromStdString(box["user"]), QStringLiteral("1000:1000"));
        for (const json &port : box["ports"]) {
            const QString p = QString::fromStdString(port);
            QVERIFY2(p.startsWith(QLatin1String("127.0.0.1:")), qPrintable(p));
        }
        // Ports can be moved (a test runs its own copy), never off loopback.
        QVERIFY(hasString(box["ports"], "127.0.0.1:${BOX_DEV_SSH_PORT:-2222}:2222"));
        QVERIFY(hasString(box["ports"], "127.0.0.1:${BOX_DEV_CODE_PORT:-8080}:8080"));
        QVERIFY(hasString(box["ports"], "127.0.0.1:${BOX_DEV_AGENT_PORT:-9999}:9999"));
        QVERIFY(hasString(box["volumes"], "egress-sockets:/run/egress:ro"));
        QVERIFY(box["mem_limit"] == box["memswap_limit"]);
        QVERIFY(box.value("init", false));
        // docker-compose 1.29 (Debian 12) refuses a top-level name:, and a fixed
        // container_name would clash with a second copy of the environment.
        QVERIFY(!c.contains("name"));
        QVERIFY(!box.contains("container_name"));
        // Its instructions use commands Debian 12 has.
        QFile file(QString::fromLocal8Bit(qgetenv("BOX_SOURCE_DIR")) +
                   QStringLiteral("/infrastructure/docker-compose.dev.yml"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("docker-compose -p box-console-dev -f "
                              "infrastructure/docker-compose.dev.yml up -d --build"));
        QVERIFY(!text.contains("docker compose -f"));
    }

    void productionTraefikIsClosed()
    {
        const json c = loadYaml(QStringLiteral("infrastructure/traefik/docker-compose.yml"));
        QVERIFY(c.is_object());
        const json &cmd = c["services"]["traefik"]["command"];
        QVERIFY(hasString(cmd, "--providers.docker.exposedByDefault=false"));
        QVERIFY(hasString(cmd, "--entryPoints.web.http.redirections.entryPoint.to=websecure"));
        QVERIFY(hasString(cmd, "--certificatesResolvers.le.acme.httpChallenge.entryPoint=web"));
        for (const json &arg : cmd)
            QVERIFY(arg.get<std::string>().find("api.insecure") == std::string::npos);
        const json &proxy = c["services"]["egress-proxy"];
        QVERIFY(!proxy.contains("environment"));
        QVERIFY(hasString(proxy["secrets"], "egress_env"));
        QVERIFY(hasString(proxy["volumes"], "/run/box-egress:/run/box-egress"));
    }
};

QTEST_GUILESS_MAIN(tst_InfrastructureFiles)
#include "tst_infrastructurefiles.moc"
