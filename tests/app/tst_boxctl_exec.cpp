// ctest: labels=app;docker timeout=300
// `boxctl exec` as a process against the real engine, side by side with `docker exec`:
// the same exit codes (0, 3, 126, the stopped box, the unknown user; 127 for a missing
// command, which Docker 20.10 reports as 126), the same split of stdout and stderr, stdin
// with -i, a TTY with -t, refusal of root, and nothing left running in the box afterwards.

#include "support/boxctlrunner.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace bc::test;

class tst_BoxctlExec : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QProcessEnvironment m_env;
    std::unique_ptr<LabelledCleanup> m_cleanup;
    QString m_box;     // box name (label) of the running box
    QString m_stopped; // a stopped box

    BoxctlRun exec(const QStringList &args, const QByteArray &input = {})
    {
        return runBoxctl(QStringList{QStringLiteral("--backend"), QStringLiteral("docker"),
                                     QStringLiteral("exec")} +
                             args,
                         m_env, input, 60000);
    }

    struct DockerRun
    {
        int code = -1;
        QByteArray out;
        QByteArray err;
    };
    DockerRun dockerExec(const QStringList &args, const QByteArray &input = {})
    {
        QProcess p;
        p.start(QStringLiteral("docker"), QStringList{QStringLiteral("exec")} + args);
        p.waitForStarted();
        p.write(input);
        p.closeWriteChannel();
        p.waitForFinished(60000);
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                p.readAllStandardOutput(), p.readAllStandardError()};
    }

    QStringList stray()
    {
        QStringList left;
        int code = -1;
        const QString top = runDocker({QStringLiteral("top"), m_box + QStringLiteral("-c"),
                                       QStringLiteral("-o"), QStringLiteral("pid,args")},
                                      &code);
        if (code != 0)
            return {QStringLiteral("docker top failed")};
        for (const QString &line : top.split(QLatin1Char('\n')).mid(1))
            if (!line.contains(QLatin1String("box-agent")) &&
                !line.contains(QLatin1String("httpd")) && !line.trimmed().isEmpty())
                left << line.trimmed();
        return left;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dockerAvailable());
        QVERIFY(m_home.isValid());
        m_env = isolatedEnvironment(m_home.path());
        m_cleanup = std::make_unique<LabelledCleanup>();
        m_box = uniqueName(QStringLiteral("bx"));
        int code = -1;
        QString err;
        runDocker({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"),
                   m_box + QStringLiteral("-c"), QStringLiteral("--label"), testLabel(),
                   QStringLiteral("--label"), QStringLiteral("box-console.box=") + m_box,
                   QStringLiteral("--label"), QStringLiteral("box-console.role=container"),
                   QStringLiteral("--read-only"), QStringLiteral("--network"),
                   // no health-check processes among the ones counted as strays
                   QStringLiteral("none"), QStringLiteral("--no-healthcheck"), boxTestImage()},
                  &code, &err);
        QVERIFY2(code == 0, qPrintable(err));
        m_stopped = uniqueName(QStringLiteral("bx-stopped"));
        runDocker({QStringLiteral("create"), QStringLiteral("--name"), m_stopped,
                   QStringLiteral("--label"), testLabel(), QStringLiteral("--label"),
                   QStringLiteral("box-console.box=") + m_stopped, boxTestImage()},
                  &code, &err);
        QVERIFY2(code == 0, qPrintable(err));
    }

    void cleanupTestCase() { m_cleanup.reset(); }

    void matchesDockerExec_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addRow("success") << QStringList{QStringLiteral("true")};
        QTest::addRow("exit 3") << QStringList{QStringLiteral("sh"), QStringLiteral("-c"),
                                               QStringLiteral("echo out; echo err >&2; exit 3")};
        QTest::addRow("not executable") << QStringList{QStringLiteral("/etc")};
        QTest::addRow("streams") << QStringList{
            QStringLiteral("sh"), QStringLiteral("-c"),
            QStringLiteral("i=0; while [ $i -lt 200 ]; do echo o$i; echo e$i >&2; "
                           "i=$((i+1)); done")};
    }

    void matchesDockerExec()
    {
        QFETCH(QStringList, args);
        const BoxctlRun ours = exec(QStringList{m_box, QStringLiteral("--")} + args);
        const DockerRun theirs =
            dockerExec(QStringList{QStringLiteral("-u"), QStringLiteral("1000:1000"),
                                   m_box + QStringLiteral("-c")} +
                       args);
        QCOMPARE(ours.exitCode, theirs.code);
        if (theirs.code < 126) {
            QCOMPARE(ours.out, theirs.out);
            QCOMPARE(ours.err, theirs.err);
        }
    }

    void missingCommandIs127()
    {
        const BoxctlRun r = exec({m_box, QStringLiteral("no-such-command")});
        QCOMPARE(r.exitCode, 127);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains("not found"), qPrintable(r.describe()));
        // Docker 20.10 folds this into 126; newer engines answer 127 like a shell.
        const DockerRun d =
            dockerExec({m_box + QStringLiteral("-c"), QStringLiteral("no-such-command")});
        QVERIFY(d.code == 126 || d.code == 127);
    }

    void unknownUser()
    {
        const BoxctlRun r =
            exec({QStringLiteral("-u"), QStringLiteral("nosuch"), m_box, QStringLiteral("true")});
        const DockerRun d = dockerExec({QStringLiteral("-u"), QStringLiteral("nosuch"),
                                        m_box + QStringLiteral("-c"), QStringLiteral("true")});
        QCOMPARE(r.exitCode, d.code);
        QVERIFY(r.out.isEmpty()); // the engine's words go to stderr here, not stdout
        QVERIFY2(r.err.contains("nosuch"), qPrintable(r.describe()));
    }

    void stoppedBoxAndUnknownBox()
    {
        BoxctlRun r = exec({m_stopped, QStringLiteral("true")});
        const DockerRun d = dockerExec({m_stopped, QStringLiteral("true")});
        QCOMPARE(r.exitCode, d.code);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("not running"), qPrintable(r.describe()));
        QVERIFY(r.out.isEmpty());
        r = exec({QStringLiteral("no-such-box-h13"), QStringLiteral("true")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no such box"), qPrintable(r.describe()));
    }

    void rootIsRefusedByTheProfile()
    {
        const BoxctlRun r =
            exec({QStringLiteral("-u"), QStringLiteral("root"), m_box, QStringLiteral("id")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("root is not allowed"), qPrintable(r.describe()));
        QVERIFY(r.out.isEmpty());
    }

    void usageErrors()
    {
        QCOMPARE(exec({}).exitCode, 2);
        QCOMPARE(exec({m_box}).exitCode, 2);
        QCOMPARE(exec({QStringLiteral("--bogus"), m_box, QStringLiteral("true")}).exitCode, 2);
        QCOMPARE(
            exec({QStringLiteral("-e"), QStringLiteral("NOEQUALS"), m_box, QStringLiteral("true")})
                .exitCode,
            2);
    }

    void optionsAndArgumentsPassThrough()
    {
        const BoxctlRun r =
            exec({QStringLiteral("-e"), QStringLiteral("GREETING=hi there"), QStringLiteral("-w"),
                  QStringLiteral("/www"), m_box, QStringLiteral("--"), QStringLiteral("sh"),
                  QStringLiteral("-c"), QStringLiteral("echo \"$GREETING\" $(pwd) \"$0\""),
                  QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("hi there /www --json\n"));
    }

    void stdinWithInteractive()
    {
        const QByteArray input = "alpha\nbeta\n";
        const BoxctlRun r = exec({QStringLiteral("-i"), m_box, QStringLiteral("cat")}, input);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, input);
        // Without -i the command's stdin is empty, as with docker exec.
        const BoxctlRun n = exec({m_box, QStringLiteral("cat")}, input);
        QCOMPARE(n.exitCode, 0);
        QVERIFY(n.out.isEmpty());
    }

    void ttyMergesStreams()
    {
        const BoxctlRun r =
            exec({QStringLiteral("-t"), m_box, QStringLiteral("sh"), QStringLiteral("-c"),
                  QStringLiteral("echo out; echo err >&2; exit 4")});
        QCOMPARE(r.exitCode, 4);
        QCOMPARE(r.out, QByteArray("out\r\nerr\r\n"));
        QVERIFY(r.err.isEmpty());
    }

    void interruptedExecLeavesNothingRunning()
    {
        QProcess p;
        p.setProcessEnvironment(m_env);
        p.start(boxctlPath(),
                {QStringLiteral("--backend"), QStringLiteral("docker"), QStringLiteral("exec"),
                 m_box, QStringLiteral("sleep"), QStringLiteral("100")});
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(
            stray().join(QLatin1Char(' ')).contains(QLatin1String("sleep 100")), 20000);
        p.terminate(); // SIGTERM, as a user's Ctrl+C or a closed terminal would end it
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 128 + 15);
        QTRY_VERIFY_WITH_TIMEOUT(stray().isEmpty(), 15000);
    }
};

QTEST_GUILESS_MAIN(tst_BoxctlExec)
#include "tst_boxctl_exec.moc"
