// ctest: labels=app timeout=120
// boxctl as a user runs it, without an engine: help for every command, the exit status
// contract (0 success, 1 runtime failure, 2 invalid input or usage), errors only on
// stderr, and the commands that only generate files (proxy-config, box-egress-env,
// traefik-labels, dockerfile) with their --json shapes (docs/boxctl-json.md).
#include "support/boxctlrunner.h"
#include "support/paths.h"
#include "support/testutil.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace bc::test;

class tst_BoxctlCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QProcessEnvironment m_env;

    BoxctlRun run(const QStringList &args, const QByteArray &input = {})
    {
        return runBoxctl(args, m_env, input, 60000);
    }

    // Every command boxctl has; the test fails when one is added without being listed.
    static QStringList allCommands()
    {
        return {QStringLiteral("version"),
                QStringLiteral("ps"),
                QStringLiteral("stats"),
                QStringLiteral("events"),
                QStringLiteral("logs"),
                QStringLiteral("build"),
                QStringLiteral("build --spec"),
                QStringLiteral("ls"),
                QStringLiteral("deploy"),
                QStringLiteral("delete"),
                QStringLiteral("start"),
                QStringLiteral("stop"),
                QStringLiteral("restart"),
                QStringLiteral("status"),
                QStringLiteral("audit"),
                QStringLiteral("gc"),
                QStringLiteral("coolify servers"),
                QStringLiteral("coolify projects"),
                QStringLiteral("coolify environments"),
                QStringLiteral("coolify version"),
                QStringLiteral("coolify login"),
                QStringLiteral("coolify logout"),
                QStringLiteral("secret set"),
                QStringLiteral("secret rm"),
                QStringLiteral("secret ls"),
                QStringLiteral("proxy-config"),
                QStringLiteral("egress-log"),
                QStringLiteral("box-egress-env"),
                QStringLiteral("traefik-labels"),
                QStringLiteral("dockerfile"),
                QStringLiteral("exec"),
                QStringLiteral("activity"),
                QStringLiteral("activity verify"),
                QStringLiteral("spec check"),
                QStringLiteral("spec-schema"),
                QStringLiteral("completion"),
                QStringLiteral("man"),
                QStringLiteral("serve"),
                QStringLiteral("keepalive")};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        m_env = isolatedEnvironment(m_home.path());
        // Nothing may reach an engine by accident: a socket that does not exist.
        m_env.insert(QStringLiteral("DOCKER_HOST"),
                     QStringLiteral("unix://") + m_home.filePath(QStringLiteral("no.sock")));
    }

    void generalHelpListsEveryCommand()
    {
        const BoxctlRun r = run({QStringLiteral("--help")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.describe()));
        int listed = 0;
        for (const QByteArray &line : r.out.split('\n'))
            if (line.startsWith("  ") && line.size() > 2 && line.at(2) != ' ')
                ++listed;
        QCOMPARE(listed, int(allCommands().size()));
        for (const QString &c : allCommands())
            QVERIFY2(r.out.contains(QByteArray(QByteArray("  ") + c.toUtf8())), qPrintable(c));
        QCOMPARE(run({QStringLiteral("help")}).out, r.out);
    }

    void commandHelp_data()
    {
        QTest::addColumn<QString>("command");
        for (const QString &c : allCommands())
            QTest::newRow(qPrintable(c)) << c;
    }

    // `boxctl COMMAND --help` (and -h, and `help COMMAND`): usage on stdout, exit 0,
    // nothing run (no engine is reachable here, so running would fail).
    void commandHelp()
    {
        QFETCH(QString, command);
        const QStringList words = command.split(u' ');
        for (const QStringList &args : {words + QStringList{QStringLiteral("--help")},
                                        words + QStringList{QStringLiteral("-h")},
                                        QStringList{QStringLiteral("help")} + words}) {
            const BoxctlRun r = run(args);
            QVERIFY2(r.exitCode == 0, qPrintable(args.join(u' ') + u'\n' + r.describe()));
            QVERIFY2(r.out.startsWith(QByteArray(QByteArray("usage: boxctl ") + command.toUtf8())),
                     qPrintable(r.describe()));
            QVERIFY2(r.err.isEmpty(), qPrintable(r.describe()));
        }
    }

    // What follows the box of `exec` is the command's: its -h is not boxctl's help.
    void execPassesHelpFlagsThrough()
    {
        const BoxctlRun r = run({QStringLiteral("exec"), QStringLiteral("somebox"),
                                 QStringLiteral("ls"), QStringLiteral("-h")});
        QVERIFY2(!r.out.startsWith("usage: boxctl exec"), qPrintable(r.describe()));
        QVERIFY2(r.exitCode != 0, qPrintable(r.describe())); // no engine here
    }

    void groupsListTheirSubcommands()
    {
        BoxctlRun r = run({QStringLiteral("coolify"), QStringLiteral("--help")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY(r.out.contains("coolify servers"));
        QVERIFY(r.out.contains("coolify login"));
        r = run({QStringLiteral("secret")});
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QVERIFY(r.out.isEmpty());
        QVERIFY(r.err.contains("secret set"));
    }

    void usageErrorsExit2_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("no command") << QStringList{} << QByteArray("usage: boxctl");
        QTest::newRow("unknown command")
            << QStringList{QStringLiteral("frobnicate")} << QByteArray("unknown command");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("ps"), QStringLiteral("--bogus")}
            << QByteArray("unknown option --bogus");
        QTest::newRow("ps argument")
            << QStringList{QStringLiteral("ps"), QStringLiteral("x")} << QByteArray("no arguments");
        QTest::newRow("bad filter")
            << QStringList{QStringLiteral("ps"), QStringLiteral("--filter"), QStringLiteral("x")}
            << QByteArray("bad filter");
        QTest::newRow("events bad since")
            << QStringList{QStringLiteral("events"), QStringLiteral("--since"),
                           QStringLiteral("yesterday-ish")}
            << QByteArray("bad time");
        QTest::newRow("logs without name")
            << QStringList{QStringLiteral("logs")} << QByteArray("usage: boxctl logs");
        QTest::newRow("stats interval")
            << QStringList{QStringLiteral("stats"), QStringLiteral("--interval"),
                           QStringLiteral("5")}
            << QByteArray("--interval");
        QTest::newRow("build without context")
            << QStringList{QStringLiteral("build")} << QByteArray("usage: boxctl build");
        QTest::newRow("ls argument")
            << QStringList{QStringLiteral("ls"), QStringLiteral("x")} << QByteArray("unexpected");
        QTest::newRow("ls bad backend")
            << QStringList{QStringLiteral("--backend"), QStringLiteral("kubernetes"),
                           QStringLiteral("ls")}
            << QByteArray("--backend");
        QTest::newRow("deploy without spec")
            << QStringList{QStringLiteral("deploy")} << QByteArray("usage: boxctl deploy");
        QTest::newRow("delete without name")
            << QStringList{QStringLiteral("delete")} << QByteArray("usage: boxctl delete");
        QTest::newRow("start two names")
            << QStringList{QStringLiteral("start"), QStringLiteral("a"), QStringLiteral("b")}
            << QByteArray("usage: boxctl start");
        QTest::newRow("status without name")
            << QStringList{QStringLiteral("status")} << QByteArray("usage: boxctl status");
        QTest::newRow("audit without name")
            << QStringList{QStringLiteral("audit")} << QByteArray("usage: boxctl audit");
        QTest::newRow("gc argument") << QStringList{QStringLiteral("gc"), QStringLiteral("x")}
                                     << QByteArray("usage: boxctl gc");
        // One option reader for every command: the same words for the same mistakes.
        QTest::newRow("gc unknown option")
            << QStringList{QStringLiteral("gc"), QStringLiteral("--bogus")}
            << QByteArray("unknown option --bogus");
        QTest::newRow("activity option without value")
            << QStringList{QStringLiteral("activity"), QStringLiteral("--limit")}
            << QByteArray("--limit needs a value");
        QTest::newRow("logs option without value")
            << QStringList{QStringLiteral("logs"), QStringLiteral("box"), QStringLiteral("--tail")}
            << QByteArray("--tail needs a value");
        QTest::newRow("proxy-config argument")
            << QStringList{QStringLiteral("proxy-config"), QStringLiteral("x")}
            << QByteArray("unexpected argument 'x'");
        QTest::newRow("dockerfile directories without --skills")
            << QStringList{QStringLiteral("dockerfile"), QStringLiteral("dir")}
            << QByteArray("follow --skills");
        QTest::newRow("global option without value")
            << QStringList{QStringLiteral("ps"), QStringLiteral("--backend")}
            << QByteArray("--backend needs a value");
        QTest::newRow("traefik-labels without spec")
            << QStringList{QStringLiteral("traefik-labels")} << QByteArray("--spec");
        // keepalive: each bad duration named and explained, before any engine is asked.
        const auto keepalive = [](const char *forText) {
            return QStringList{QStringLiteral("keepalive"), QStringLiteral("box"),
                               QStringLiteral("--for"), QLatin1String(forText)};
        };
        QTest::newRow("keepalive without box")
            << QStringList{QStringLiteral("keepalive")} << QByteArray("usage: boxctl keepalive");
        QTest::newRow("keepalive negative")
            << keepalive("-5m") << QByteArray("--for: must not be negative");
        QTest::newRow("keepalive zero")
            << keepalive("0") << QByteArray("--for: must be between 1s and 366d");
        QTest::newRow("keepalive too long")
            << keepalive("400d") << QByteArray("--for: must be between 1s and 366d");
        QTest::newRow("keepalive unit")
            << keepalive("5w") << QByteArray("--for: invalid duration '5w': use e.g.");
        QTest::newRow("keepalive two boxes")
            << QStringList{QStringLiteral("keepalive"), QStringLiteral("a"), QStringLiteral("b")}
            << QByteArray("usage: boxctl keepalive");
        QTest::newRow("secret ls argument")
            << QStringList{QStringLiteral("secret"), QStringLiteral("ls"), QStringLiteral("x")}
            << QByteArray("secret ls [--json]");
    }

    void usageErrorsExit2()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, message);
        const BoxctlRun r = run(args);
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.describe()));
        QVERIFY2(r.err.contains(message), qPrintable(r.describe()));
    }

    // secret set/ls/rm as processes: names listed (text and --json), never values.
    void secretsListedByName()
    {
        QProcessEnvironment env = m_env;
        env.insert(QStringLiteral("BOX_SECRET_STORE"), QStringLiteral("file"));
        const auto set = [&](const char *name, const QByteArray &value) {
            return runBoxctl({QStringLiteral("secret"), QStringLiteral("set"), QLatin1String(name),
                              QStringLiteral("--json")},
                             env, value);
        };
        BoxctlRun r = set("CLI_ALPHA", "alpha-value-1\n");
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject stored = r.json().object();
        QCOMPARE(stored.value(u"stored").toString(), QStringLiteral("CLI_ALPHA"));
        QVERIFY2(stored.value(u"where").toString().startsWith(u"file "), qPrintable(r.describe()));
        QVERIFY2(set("CLI_BETA", "beta-value-2").exitCode == 0, "set CLI_BETA");
        r = set("bad name", "x");
        QVERIFY2(r.exitCode == 2 && r.out.isEmpty(), qPrintable(r.describe()));
        r = set("CLI_EMPTY", "");
        QVERIFY2(r.exitCode == 2 && r.err.contains("no value on stdin"), qPrintable(r.describe()));

        r = runBoxctl({QStringLiteral("secret"), QStringLiteral("ls"), QStringLiteral("--json")},
                      env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.json().array(),
                 (QJsonArray{QStringLiteral("CLI_ALPHA"), QStringLiteral("CLI_BETA")}));
        r = runBoxctl({QStringLiteral("secret"), QStringLiteral("ls")}, env);
        QCOMPARE(r.out, QByteArray("CLI_ALPHA\nCLI_BETA\n"));
        QVERIFY(!r.out.contains("value") && !r.err.contains("value"));

        r = runBoxctl({QStringLiteral("secret"), QStringLiteral("rm"), QStringLiteral("CLI_ALPHA")},
                      env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        r = runBoxctl({QStringLiteral("secret"), QStringLiteral("ls"), QStringLiteral("--json")},
                      env);
        QCOMPARE(r.json().array(), (QJsonArray{QStringLiteral("CLI_BETA")}));
        r = runBoxctl({QStringLiteral("secret"), QStringLiteral("rm"), QStringLiteral("CLI_BETA")},
                      env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        r = runBoxctl({QStringLiteral("secret"), QStringLiteral("ls"), QStringLiteral("--json")},
                      env);
        QCOMPARE(r.json().array(), QJsonArray{});
    }

    // An engine that is not there is a runtime failure (1), said on stderr only.
    void unreachableEngineExits1_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("version") << QStringList{QStringLiteral("version")};
        QTest::newRow("ps") << QStringList{QStringLiteral("ps"), QStringLiteral("--json")};
        QTest::newRow("events") << QStringList{QStringLiteral("events")};
        QTest::newRow("logs") << QStringList{QStringLiteral("logs"), QStringLiteral("x")};
        QTest::newRow("stats") << QStringList{QStringLiteral("stats"),
                                              QStringLiteral("--no-stream")};
        QTest::newRow("status") << QStringList{QStringLiteral("--backend"),
                                               QStringLiteral("docker"), QStringLiteral("status"),
                                               QStringLiteral("x")};
        QTest::newRow("gc") << QStringList{QStringLiteral("--backend"), QStringLiteral("docker"),
                                           QStringLiteral("gc"), QStringLiteral("--dry-run")};
    }

    void unreachableEngineExits1()
    {
        QFETCH(QStringList, args);
        const BoxctlRun r = run(args);
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.describe()));
        QVERIFY2(r.err.startsWith("boxctl: "), qPrintable(r.describe()));
    }

    // ls with every backend failing: exit 1, and --json still prints the documented object
    // with one error entry per failed backend (stdout stays parseable JSON).
    void lsWithFailedDockerBackend()
    {
        const BoxctlRun r = run({QStringLiteral("--backend"), QStringLiteral("docker"),
                                 QStringLiteral("ls"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        const QJsonObject o = r.json().object();
        QVERIFY2(o.value(u"boxes").isArray(), qPrintable(r.describe()));
        QCOMPARE(o.value(u"boxes").toArray().size(), 0);
        const QJsonArray errors = o.value(u"errors").toArray();
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.at(0)[u"backend"].toString(), QStringLiteral("docker"));
        QVERIFY(errors.at(0)[u"error"][u"message"].toString().size() > 0);
        QVERIFY(errors.at(0)[u"error"][u"kind"].isString());
        QVERIFY(r.err.contains("boxctl: docker"));
    }

    void traefikLabelsJson()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("s.json")),
                  R"({"name":"box1","subdomain":"box1","image":"bctest/busybox:latest"})");
        const BoxctlRun r = run({QStringLiteral("traefik-labels"), QStringLiteral("--spec"),
                                 dir.filePath(QStringLiteral("s.json")), QStringLiteral("--domain"),
                                 QStringLiteral("example.test"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject labels = r.json().object();
        QVERIFY2(!labels.isEmpty(), qPrintable(r.describe()));
        bool rule = false;
        for (auto it = labels.begin(); it != labels.end(); ++it) {
            QVERIFY2(it.value().isString(), qPrintable(it.key()));
            QVERIFY(it.key().startsWith(u"traefik."));
            rule = rule || it.value().toString().contains(u"box1.example.test");
        }
        QVERIFY2(rule, qPrintable(r.describe()));

        const BoxctlRun missing = run({QStringLiteral("traefik-labels"), QStringLiteral("--spec"),
                                       dir.filePath(QStringLiteral("nope.json")),
                                       QStringLiteral("--domain"), QStringLiteral("example.test")});
        QVERIFY2(missing.exitCode == 1, qPrintable(missing.describe()));
        QVERIFY(missing.out.isEmpty());
    }

    void dockerfileJson()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("py/SKILL.md")), "# python\n");
        const BoxctlRun r = run({QStringLiteral("dockerfile"), QStringLiteral("--skills"),
                                 dir.filePath(QStringLiteral("py")), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject o = r.json().object();
        QVERIFY(o.value(u"dockerfile").toString().contains(u"FROM box-console/box-base:latest"));
        QCOMPARE(o.value(u"files").toObject().value(u"skills/py/SKILL.md").toString(),
                 dir.filePath(QStringLiteral("py/SKILL.md")));
        const BoxctlRun text = run({QStringLiteral("dockerfile"), QStringLiteral("--skills"),
                                    dir.filePath(QStringLiteral("py"))});
        QVERIFY2(text.exitCode == 0 && text.out.startsWith("# Generated"),
                 qPrintable(text.describe()));
        // Several directories after one --skills.
        writeFile(dir.filePath(QStringLiteral("js/SKILL.md")), "# node\n");
        const BoxctlRun two = run({QStringLiteral("dockerfile"), QStringLiteral("--skills"),
                                   dir.filePath(QStringLiteral("py")),
                                   dir.filePath(QStringLiteral("js")), QStringLiteral("--json")});
        QVERIFY2(two.exitCode == 0, qPrintable(two.describe()));
        const QJsonObject files = two.json().object().value(u"files").toObject();
        QVERIFY(files.contains(u"skills/py/SKILL.md") && files.contains(u"skills/js/SKILL.md"));
        const BoxctlRun bad = run({QStringLiteral("dockerfile"), QStringLiteral("--skills"),
                                   dir.filePath(QStringLiteral("nope"))});
        QVERIFY2(bad.exitCode == 1 && bad.out.isEmpty(), qPrintable(bad.describe()));
    }

    void proxyConfigAndEgressEnv()
    {
        const QString policy =
            sourceDir() + QStringLiteral("/infrastructure/proxy/egress-policy.json");
        const BoxctlRun haproxy =
            run({QStringLiteral("proxy-config"), QStringLiteral("--policy"), policy});
        QVERIFY2(haproxy.exitCode == 0, qPrintable(haproxy.describe()));
        QVERIFY(haproxy.out.contains("frontend") || haproxy.out.contains("backend"));
        const BoxctlRun env = run({QStringLiteral("box-egress-env"), QStringLiteral("--policy"),
                                   policy, QStringLiteral("--json")});
        QVERIFY2(env.exitCode == 0, qPrintable(env.describe()));
        const QJsonObject o = env.json().object();
        QVERIFY(o.value(u"env").isObject());
        QVERIFY(o.value(u"forwarders").isArray());
        QVERIFY(o.value(u"entrypoint").isString());
        const BoxctlRun missing = run({QStringLiteral("proxy-config"), QStringLiteral("--policy"),
                                       m_home.filePath(QStringLiteral("nope.json"))});
        QVERIFY2(missing.exitCode == 1 && missing.out.isEmpty(), qPrintable(missing.describe()));
    }
};

QTEST_GUILESS_MAIN(tst_BoxctlCli)
#include "tst_boxctl_cli.moc"
