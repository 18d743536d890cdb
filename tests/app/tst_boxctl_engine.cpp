// ctest: labels=app;docker timeout=300
// Engine commands run as processes against the real engine: version, ps, logs, stats,
// events, build. Exit status, --json shapes (docs/boxctl-json.md), stdout kept clean.
#include "support/boxctlrunner.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace bc::test;

class tst_BoxctlEngine : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QProcessEnvironment m_env;
    LabelledCleanup m_cleanup;
    QString m_name;
    QString m_id;

    BoxctlRun run(const QStringList &args) { return runBoxctl(args, m_env, {}, 120000); }

private slots:
    void initTestCase()
    {
        QVERIFY2(dockerAvailable(), "no Docker engine");
        m_env = isolatedEnvironment(m_home.path());
        m_name = uniqueName(QStringLiteral("bcctl-eng"));
        int code = -1;
        m_id = runDocker({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"),
                          m_name, QStringLiteral("--label"), testLabel(),
                          QStringLiteral("--network"), QStringLiteral("none"), testImage(),
                          QStringLiteral("sh"), QStringLiteral("-c"),
                          QStringLiteral("echo out-line; echo err-line >&2; sleep 600")},
                         &code);
        QCOMPARE(code, 0);
    }

    void version()
    {
        const BoxctlRun r = run({QStringLiteral("version"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject o = r.json().object();
        QVERIFY(o[u"Client"][u"ApiVersion"].isString());
        QVERIFY(o[u"Client"][u"Endpoint"].toString().startsWith(u"unix://"));
        QCOMPARE(o[u"Server"][u"Version"].toString(),
                 runDocker({QStringLiteral("version"), QStringLiteral("-f"),
                            QStringLiteral("{{.Server.Version}}")}));
        const BoxctlRun text = run({QStringLiteral("version")});
        QVERIFY2(text.exitCode == 0 && text.out.contains("Engine version:"),
                 qPrintable(text.describe()));
    }

    void ps()
    {
        const QString filter = QStringLiteral("label=") + testLabel();
        BoxctlRun r = run(
            {QStringLiteral("ps"), QStringLiteral("--filter"), filter, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonArray list = r.json().array();
        bool found = false;
        for (const QJsonValue &c : list) {
            for (const char *key : {"Id", "Image", "ImageID", "Command", "State", "Status"})
                QVERIFY2(c[QLatin1String(key)].isString(), key);
            QVERIFY(c[u"Names"].isArray() && c[u"Ports"].isArray() && c[u"Networks"].isArray());
            QVERIFY(c[u"Labels"].isObject() && c[u"Created"].isDouble());
            found = found || c[u"Id"].toString() == m_id;
        }
        QVERIFY2(found, qPrintable(r.describe()));
        r = run({QStringLiteral("ps"), QStringLiteral("-q"), QStringLiteral("--no-trunc"),
                 QStringLiteral("-f"), QStringLiteral("name=") + m_name});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(QString::fromUtf8(r.out.trimmed()), m_id);
        r = run({QStringLiteral("ps"), QStringLiteral("-f"), QStringLiteral("name=") + m_name});
        QVERIFY(r.out.startsWith("CONTAINER ID"));
        QVERIFY(r.out.contains(m_name.toUtf8()));
        // The docker CLI's spellings: combined short flags, --option=value, options after
        // others' values.
        r = run({QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--no-trunc"),
                 QStringLiteral("--filter=name=") + m_name});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(QString::fromUtf8(r.out.trimmed()), m_id);
    }

    void logs()
    {
        const BoxctlRun r = run({QStringLiteral("logs"), m_name});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.out, QByteArray("out-line\n"));
        QCOMPARE(r.err, QByteArray("err-line\n"));
        const BoxctlRun missing = run({QStringLiteral("logs"), QStringLiteral("bcctl-no-such")});
        QVERIFY2(missing.exitCode == 1 && missing.out.isEmpty(), qPrintable(missing.describe()));
    }

    void stats()
    {
        const BoxctlRun r = run({QStringLiteral("stats"), QStringLiteral("--no-stream"),
                                 QStringLiteral("--json"), m_name});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonArray list = r.json().array();
        QCOMPARE(list.size(), 1);
        const QJsonObject s = list.at(0).toObject();
        QCOMPARE(s[u"ID"].toString(), m_id);
        QCOMPARE(s[u"Name"].toString(), m_name);
        for (const char *key : {"CPUPerc", "MemUsage", "MemLimit", "MemPerc", "NetRx", "NetTx",
                                "BlockRead", "BlockWrite", "PIDs"})
            QVERIFY2(s[QLatin1String(key)].isDouble(), key);
        QVERIFY(s[u"PIDs"].toDouble() >= 1);
    }

    void events()
    {
        QProcess p;
        p.setProcessEnvironment(m_env);
        const QString since = QString::number(QDateTime::currentSecsSinceEpoch() - 1);
        p.start(boxctlPath(),
                {QStringLiteral("events"), QStringLiteral("--json"), QStringLiteral("--since"),
                 since, QStringLiteral("--filter"), QStringLiteral("container=") + m_name});
        QVERIFY(p.waitForStarted());
        QTest::qWait(500);
        runDocker({QStringLiteral("kill"), QStringLiteral("-s"), QStringLiteral("USR1"), m_name});
        QByteArray out;
        QDeadlineTimer deadline(20000);
        while (!out.contains("\"kill\"") && !deadline.hasExpired()) {
            p.waitForReadyRead(200);
            out += p.readAllStandardOutput();
        }
        p.terminate();
        p.waitForFinished(5000);
        const QByteArray firstLine = out.left(out.indexOf('\n'));
        const QJsonObject e = QJsonDocument::fromJson(firstLine).object();
        QVERIFY2(!e.isEmpty(), out.constData());
        QCOMPARE(e[u"Type"].toString(), QStringLiteral("container"));
        QCOMPARE(e[u"Actor"][u"ID"].toString(), m_id);
        QVERIFY(e[u"Actor"][u"Attributes"].isObject());
        QVERIFY(e[u"time"].isDouble() && e[u"timeNano"].isDouble());
        QVERIFY2(out.contains("\"Action\":\"kill\""), out.constData());
        QVERIFY(p.readAllStandardError().isEmpty());
    }

    void build()
    {
        QTemporaryDir ctx;
        writeFile(ctx.filePath(QStringLiteral("Dockerfile")),
                  "FROM bctest/busybox:latest\nLABEL box-console.test=1\nRUN echo built > /f\n");
        const QString tag =
            QStringLiteral("bctest/boxctl-build:%1").arg(uniqueName(QStringLiteral("t")));
        BoxctlRun r = run({QStringLiteral("build"), QStringLiteral("--context"), ctx.path(),
                           QStringLiteral("--tag"), tag, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject o = r.json().object();
        QVERIFY2(o[u"ID"].toString().startsWith(u"sha256:"), qPrintable(r.describe()));
        QCOMPARE(o[u"Tags"].toArray().at(0).toString(), tag);
        QVERIFY(!r.err.isEmpty()); // the build's output goes to stderr, not into the JSON
        QCOMPARE(runDocker({QStringLiteral("image"), QStringLiteral("inspect"),
                            QStringLiteral("-f"), QStringLiteral("{{.Id}}"), tag}),
                 o[u"ID"].toString());

        writeFile(ctx.filePath(QStringLiteral("Dockerfile")),
                  "FROM bctest/busybox:latest\nRUN exit 3\n");
        r = run({QStringLiteral("build"), QStringLiteral("--context"), ctx.path(),
                 QStringLiteral("--tag"), tag + QStringLiteral("-bad"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 1 && r.out.isEmpty(), qPrintable(r.describe()));
    }
};

QTEST_GUILESS_MAIN(tst_BoxctlEngine)
#include "tst_boxctl_engine.moc"
