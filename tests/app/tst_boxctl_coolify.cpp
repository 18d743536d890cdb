// ctest: labels=app;coolify timeout=180
// Coolify commands and the Coolify backend of the box commands, run as processes against
// the fake Coolify (tests/support/coolify): exit status, --json shapes (docs/boxctl-json.md),
// status/stop/start/restart/audit of a Coolify box by name,
// a missing or refused token and a refused URL are failures (1), never an empty success.
#include "support/boxctlrunner.h"
#include "support/coolify/fakecoolify.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace bc::test;

class tst_BoxctlCoolify : public QObject
{
    Q_OBJECT

    FakeCoolify m_fake;
    QTemporaryDir m_home;
    QProcessEnvironment m_env;

    BoxctlRun run(const QStringList &args, const QString &token = QStringLiteral("5|rwd"),
                  const QByteArray &input = {})
    {
        QProcessEnvironment env = m_env;
        if (!token.isEmpty())
            env.insert(QStringLiteral("COOLIFY_TOKEN"), token);
        return runBoxctl(QStringList{QStringLiteral("--coolify-url"), m_fake.url().toString()} +
                             args,
                         env, input, 60000);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_fake.start(), "the fake Coolify did not start");
        m_env = isolatedEnvironment(m_home.path());
        // Box commands must not wander to a Docker engine here.
        m_env.insert(QStringLiteral("DOCKER_HOST"),
                     QStringLiteral("unix://") + m_home.filePath(QStringLiteral("no.sock")));
        m_env.insert(QStringLiteral("COOLIFY_SERVER_UUID"), QStringLiteral("srv-main"));
        m_env.insert(QStringLiteral("COOLIFY_PROJECT_UUID"), QStringLiteral("proj-boxes"));
        m_env.insert(QStringLiteral("COOLIFY_ENV_NAME"), QStringLiteral("production"));
    }

    void servers()
    {
        const BoxctlRun r =
            run({QStringLiteral("coolify"), QStringLiteral("servers"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonArray list = r.json().array();
        QVERIFY2(!list.isEmpty(), qPrintable(r.describe()));
        bool main = false;
        for (const QJsonValue &s : list) {
            for (const char *key : {"uuid", "name", "description", "ip"})
                QVERIFY2(s[QLatin1String(key)].isString(), key);
            for (const char *key : {"reachable", "usable", "build_server", "can_host_boxes"})
                QVERIFY2(s[QLatin1String(key)].isBool(), key);
            main = main || s[u"uuid"].toString() == u"srv-main";
        }
        QVERIFY(main);
        const BoxctlRun text = run({QStringLiteral("coolify"), QStringLiteral("servers")});
        QVERIFY2(text.exitCode == 0 && text.out.contains("srv-main"), qPrintable(text.describe()));
    }

    void projectsAndEnvironments()
    {
        BoxctlRun r =
            run({QStringLiteral("coolify"), QStringLiteral("projects"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        bool boxes = false;
        for (const QJsonValue &p : r.json().array()) {
            QVERIFY(p[u"uuid"].isString() && p[u"name"].isString());
            boxes = boxes || p[u"uuid"].toString() == u"proj-boxes";
        }
        QVERIFY2(boxes, qPrintable(r.describe()));
        r = run({QStringLiteral("coolify"), QStringLiteral("environments"),
                 QStringLiteral("--project"), QStringLiteral("proj-boxes"),
                 QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonArray envs = r.json().array();
        QVERIFY(!envs.isEmpty());
        for (const QJsonValue &e : envs)
            QVERIFY(e[u"uuid"].isString() && e[u"name"].isString() && e[u"project"].isString());
    }

    void version()
    {
        const BoxctlRun r =
            run({QStringLiteral("coolify"), QStringLiteral("version"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject o = r.json().object();
        QCOMPARE(o[u"version"].toString(), QStringLiteral("4.3.11"));
        QVERIFY(o[u"url"].toString().startsWith(u"http://127.0.0.1:"));
        QCOMPARE(o[u"healthy"].toBool(), true);
    }

    void refusedTokensFail_data()
    {
        QTest::addColumn<QString>("token");
        QTest::newRow("none") << QString();
        QTest::newRow("expired") << QStringLiteral("9|expired");
        QTest::newRow("no team") << QStringLiteral("7|noteam");
    }

    void refusedTokensFail()
    {
        QFETCH(QString, token);
        BoxctlRun r =
            run({QStringLiteral("coolify"), QStringLiteral("servers"), QStringLiteral("--json")},
                token);
        QVERIFY2(r.exitCode == 1 && r.out.isEmpty(), qPrintable(r.describe()));
        QVERIFY(r.err.contains("boxctl: "));
        // The defect: ls without a usable token exited 0.
        r = run({QStringLiteral("--backend"), QStringLiteral("coolify"), QStringLiteral("ls"),
                 QStringLiteral("--json")},
                token);
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        const QJsonArray errors = r.json()[u"errors"].toArray();
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.at(0)[u"backend"].toString(), QStringLiteral("coolify"));
        QVERIFY(!r.err.contains(token.toUtf8()) || token.isEmpty());
        QVERIFY(!r.out.contains(token.toUtf8()) || token.isEmpty());
    }

    // The exact command: a plain-http Coolify URL that is not loopback.
    void refusedUrlFails()
    {
        QProcessEnvironment env = m_env;
        env.insert(QStringLiteral("COOLIFY_TOKEN"), QStringLiteral("5|rwd"));
        const BoxctlRun r = runBoxctl({QStringLiteral("--backend"), QStringLiteral("coolify"),
                                       QStringLiteral("--coolify-url"),
                                       QStringLiteral("http://coolify.example.test"),
                                       QStringLiteral("ls"), QStringLiteral("--json")},
                                      env);
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        const QJsonObject o = r.json().object();
        QCOMPARE(o[u"boxes"].toArray().size(), 0);
        QCOMPARE(o[u"errors"].toArray().size(), 1);
        QCOMPARE(o[u"errors"][0][u"host"].toString(),
                 QStringLiteral("http://coolify.example.test"));
    }

    void lsWithToken()
    {
        const BoxctlRun r = run({QStringLiteral("--backend"), QStringLiteral("coolify"),
                                 QStringLiteral("ls"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject o = r.json().object();
        QVERIFY(o[u"boxes"].isArray());
        QCOMPARE(o[u"errors"].toArray().size(), 0);
        for (const QJsonValue &b : o[u"boxes"].toArray())
            QCOMPARE(b[u"backend"].toString(), QStringLiteral("coolify"));
    }

    // status, stop, start, restart and audit on a Coolify box, by its name, as a user types
    // them; each one's effect is read back from the fake's own state.
    void boxCommandsOnACoolifyBox()
    {
        const QString uuid =
            m_fake
                .control(QStringLiteral("app"),
                         {{QStringLiteral("name"), QStringLiteral("cli-nina")},
                          {QStringLiteral("tags"), QJsonArray{QStringLiteral("box-console")}},
                          {QStringLiteral("status"), QStringLiteral("running:healthy")}})
                .object()
                .value(QStringLiteral("uuid"))
                .toString();
        QVERIFY(!uuid.isEmpty());
        const auto coolify = [this](QStringList args) {
            return run(QStringList{QStringLiteral("--backend"), QStringLiteral("coolify")} + args);
        };
        const auto state = [&] {
            const BoxctlRun r = coolify(
                {QStringLiteral("status"), QStringLiteral("cli-nina"), QStringLiteral("--json")});
            return r.exitCode == 0 ? r.json()[u"state"].toString()
                                   : QStringLiteral("exit %1: %2")
                                         .arg(r.exitCode)
                                         .arg(QString::fromUtf8(r.err));
        };
        BoxctlRun r = coolify(
            {QStringLiteral("status"), QStringLiteral("cli-nina"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject box = r.json().object();
        QCOMPARE(box[u"name"].toString(), QStringLiteral("cli-nina"));
        QCOMPARE(box[u"id"].toString(), uuid);
        QCOMPARE(box[u"backend"].toString(), QStringLiteral("coolify"));
        QCOMPARE(box[u"state"].toString(), QStringLiteral("running"));
        QCOMPARE(box[u"health"].toString(), QStringLiteral("healthy"));

        r = coolify({QStringLiteral("stop"), QStringLiteral("cli-nina"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.json()[u"ok"].toBool(), true);
        QCOMPARE(r.json()[u"action"].toString(), QStringLiteral("stop"));
        QCOMPARE(state(), QStringLiteral("exited"));

        r = coolify({QStringLiteral("start"), QStringLiteral("cli-nina")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.out.trimmed(), QByteArray("start: cli-nina"));
        QTRY_COMPARE_WITH_TIMEOUT(state(), QStringLiteral("running"), 20000);
        r = coolify({QStringLiteral("restart"), QStringLiteral("cli-nina")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QTRY_COMPARE_WITH_TIMEOUT(state(), QStringLiteral("running"), 20000);

        // A name Coolify does not have: a failure said on stderr, not an empty success.
        for (const char *verb : {"status", "stop", "start", "restart"}) {
            r = coolify({QLatin1String(verb), QStringLiteral("cli-nobody")});
            QVERIFY2(r.exitCode == 1 && r.out.isEmpty() && r.err.startsWith("boxctl: "),
                     qPrintable(QLatin1String(verb) + QLatin1Char(' ') + r.describe()));
        }
        // audit reads a container's inspect, which Coolify's API does not give: refused,
        // naming what to use instead.
        r = coolify({QStringLiteral("audit"), QStringLiteral("cli-nina")});
        QVERIFY2(r.exitCode == 2 && r.out.isEmpty(), qPrintable(r.describe()));
        QVERIFY2(r.err.contains("use a Docker backend"), qPrintable(r.describe()));
    }

    void loginAndLogout()
    {
        BoxctlRun r =
            run({QStringLiteral("coolify"), QStringLiteral("login"), QStringLiteral("--json")},
                QString(), "5|rwd\n");
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.json()[u"stored"].toBool(), true);
        QVERIFY(!r.out.contains("5|rwd") && !r.err.contains("5|rwd"));
        // The stored token is used without COOLIFY_TOKEN.
        r = run({QStringLiteral("coolify"), QStringLiteral("servers")}, QString());
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        r = run({QStringLiteral("coolify"), QStringLiteral("logout")}, QString());
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        r = run({QStringLiteral("coolify"), QStringLiteral("servers")}, QString());
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        r = run({QStringLiteral("coolify"), QStringLiteral("login")}, QString(), "9|expired\n");
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
    }
};

QTEST_GUILESS_MAIN(tst_BoxctlCoolify)
#include "tst_boxctl_coolify.moc"
