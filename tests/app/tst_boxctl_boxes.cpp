// ctest: labels=app;docker timeout=300
// Box commands run as processes against the real engine, the way a user runs them: deploy,
// ls, status, stop, start, restart, audit, gc, build --spec, delete. Checks exit status, the --json
// shapes of docs/boxctl-json.md, and that errors go to stderr only. ls with a failing backend
// beside a working one prints the working one's boxes, an error entry for the other, and exits 1.
#include "support/boxctlrunner.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace bc::test;

class tst_BoxctlBoxes : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QProcessEnvironment m_env;
    QString m_name;
    QString m_spec;

    BoxctlRun run(const QStringList &args, const QProcessEnvironment *env = nullptr)
    {
        return runBoxctl(args, env ? *env : m_env, {}, 180000);
    }
    BoxctlRun docker(QStringList args)
    {
        return run(QStringList{QStringLiteral("--backend"), QStringLiteral("docker")} + args);
    }
    void removeBox()
    {
        // boxctl deploy does not add the test label: clean up by the box's own label.
        removeLabelled(QStringLiteral("box-console.box=") + m_name);
    }

    static void checkBoxShape(const QJsonObject &b)
    {
        for (const char *key : {"backend", "backendId", "host", "id", "image", "name", "owner",
                                "state", "health", "status", "subdomain", "url"})
            QVERIFY2(b.value(QLatin1String(key)).isString(), key);
        QVERIFY(b.value(u"labels").isObject());
        for (const char *key :
             {"cpuPercent", "memoryUsage", "memoryLimit", "pids", "createdAt", "startedAt"})
            QVERIFY2(b.contains(QLatin1String(key)), key);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(dockerAvailable(), "no Docker engine");
        QVERIFY(m_home.isValid());
        m_env = isolatedEnvironment(m_home.path());
        m_name = uniqueName(QStringLiteral("bcctl")).toLower();
        m_spec = m_home.filePath(QStringLiteral("spec.json"));
        const QByteArray spec =
            QStringLiteral(
                R"({"name":"%1","subdomain":"%1","owner":"tester@example.com",)"
                R"("image":"bctest/box:latest","memory":134217728,"cpus":0.5,"healthcheck":)"
                R"({"test":["CMD-SHELL","printf 'GET /health HTTP/1.0\\r\\n\\r\\n' | nc -w 2 )"
                R"(127.0.0.1 9999 | head -n 1 | grep -q ' 200 '"],"interval":500,)"
                R"("timeout":2000,"retries":3}})")
                .arg(m_name)
                .toUtf8();
        writeFile(m_spec, spec);
        removeBox();
    }
    void cleanupTestCase() { removeBox(); }

    void deployPrintsJsonLines()
    {
        const BoxctlRun r = docker(
            {QStringLiteral("deploy"), QStringLiteral("--spec"), m_spec, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QVERIFY(lines.size() >= 3);
        for (const QByteArray &line : lines) {
            const QJsonObject e = QJsonDocument::fromJson(line).object();
            QVERIFY2(e.value(u"event").isString(), line.constData());
        }
        const QJsonObject last = QJsonDocument::fromJson(lines.last()).object();
        QCOMPARE(last.value(u"event").toString(), QStringLiteral("finished"));
        QCOMPARE(last.value(u"ok").toBool(), true);
        checkBoxShape(last.value(u"box").toObject());
        QCOMPARE(last[u"box"][u"name"].toString(), m_name);
        QCOMPARE(last[u"box"][u"health"].toString(), QStringLiteral("healthy"));
    }

    void lsAndStatus()
    {
        BoxctlRun r = docker({QStringLiteral("ls"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(u"errors").toArray().size(), 0);
        bool found = false;
        for (const QJsonValue &v : o.value(u"boxes").toArray()) {
            checkBoxShape(v.toObject());
            if (v[u"name"].toString() == m_name) {
                found = true;
                QCOMPARE(v[u"state"].toString(), QStringLiteral("running"));
                QVERIFY(v[u"memoryUsage"].toDouble() > 0);
            }
        }
        QVERIFY2(found, qPrintable(r.describe()));

        r = docker({QStringLiteral("ls")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY(r.out.startsWith("NAME"));
        QVERIFY(r.out.contains(m_name.toUtf8()));

        r = docker({QStringLiteral("status"), m_name, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        checkBoxShape(r.json().object());
        QCOMPARE(r.json()[u"name"].toString(), m_name);

        r = docker({QStringLiteral("status"), QStringLiteral("bcctl-no-such-box")});
        QVERIFY2(r.exitCode == 1 && r.out.isEmpty(), qPrintable(r.describe()));
        QVERIFY(r.err.startsWith("boxctl: "));
    }

    // The defect: a Coolify that cannot be used made ls print its error and exit 0.
    void lsWithOneFailedBackend()
    {
        QProcessEnvironment env = m_env;
        env.insert(QStringLiteral("COOLIFY_URL"), QStringLiteral("http://coolify.example.test"));
        BoxctlRun r = run(
            {QStringLiteral("ls"), QStringLiteral("--json"), QStringLiteral("--no-stats")}, &env);
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        const QJsonObject o = r.json().object();
        QVERIFY2(!o.isEmpty(), qPrintable(r.describe()));
        bool found = false;
        for (const QJsonValue &v : o.value(u"boxes").toArray())
            found = found || v[u"name"].toString() == m_name;
        QVERIFY2(found, qPrintable(r.describe()));
        const QJsonArray errors = o.value(u"errors").toArray();
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.at(0)[u"backend"].toString(), QStringLiteral("coolify"));
        QVERIFY(errors.at(0)[u"error"][u"message"].toString().contains(u"https"));
        QVERIFY(r.err.contains("boxctl: coolify"));

        // The same in the table: the box is listed, the failure on stderr, exit 1.
        r = run({QStringLiteral("ls"), QStringLiteral("--no-stats")}, &env);
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        QVERIFY(r.out.contains(m_name.toUtf8()));
        QVERIFY(!r.out.contains("coolify.example.test"));
    }

    void stopStartRestart()
    {
        for (const QString &verb :
             {QStringLiteral("stop"), QStringLiteral("start"), QStringLiteral("restart")}) {
            BoxctlRun r = docker({verb, m_name, QStringLiteral("--json")});
            QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
            const QJsonObject o = r.json().object();
            QCOMPARE(o.value(u"ok").toBool(), true);
            QCOMPARE(o.value(u"action").toString(), verb);
            QCOMPARE(o.value(u"name").toString(), m_name);
            const QString state = runDocker({QStringLiteral("inspect"), QStringLiteral("-f"),
                                             QStringLiteral("{{.State.Status}}"), m_name});
            QCOMPARE(state, verb == u"stop" ? QStringLiteral("exited") : QStringLiteral("running"));
        }
        BoxctlRun r = docker({QStringLiteral("stop"), QStringLiteral("bcctl-no-such-box"),
                              QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        QCOMPARE(r.json()[u"ok"].toBool(), false);
        QVERIFY(r.json()[u"error"][u"message"].isString());
        r = docker({QStringLiteral("start"), QStringLiteral("bcctl-no-such-box")});
        QVERIFY2(r.exitCode == 1 && r.out.isEmpty(), qPrintable(r.describe()));
    }

    void audit()
    {
        BoxctlRun r = docker({QStringLiteral("audit"), m_name, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(u"name").toString(), m_name);
        QCOMPARE(o.value(u"highSeverity").toBool(), false);
        for (const QJsonValue &f : o.value(u"findings").toArray())
            for (const char *key : {"id", "severity", "title", "detail"})
                QVERIFY2(f[QLatin1String(key)].isString(), key);
        r = docker({QStringLiteral("audit"), QStringLiteral("bcctl-no-such-box")});
        QVERIFY2(r.exitCode == 1 && r.out.isEmpty(), qPrintable(r.describe()));
    }

    void gcDryRun()
    {
        const BoxctlRun r = docker({QStringLiteral("gc"), QStringLiteral("--dry-run")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    }

    void invalidSpecIsUsage()
    {
        writeFile(m_home.filePath(QStringLiteral("bad.json")), R"({"name":"Not A Name!"})");
        const BoxctlRun r = docker({QStringLiteral("deploy"), QStringLiteral("--spec"),
                                    m_home.filePath(QStringLiteral("bad.json"))});
        QVERIFY2(r.exitCode == 2 && r.out.isEmpty(), qPrintable(r.describe()));
    }

    // build --spec: the spec's skills become an image on the local engine, from a base that
    // is already there (never pulled); text and --json output, and each refusal.
    void buildFromSpec()
    {
        const QString dir = m_home.filePath(QStringLiteral("buildspec"));
        writeFile(dir + QStringLiteral("/skills/notes/SKILL.md"), "# notes\nTake notes.\n");
        writeFile(dir + QStringLiteral("/skills/notes/skill.json"),
                  R"({"apt": [], "npm": [], "pip": []})");
        const QString spec = dir + QStringLiteral("/spec.json");
        writeFile(spec, QStringLiteral(R"({"name":"%1","owner":"tester@example.com",)"
                                       R"("skills":["skills/notes"]})")
                            .arg(m_name)
                            .toUtf8());
        const QString tag = QStringLiteral("bctest/%1-skills:1").arg(m_name);
        BoxctlRun r = run({QStringLiteral("build"), QStringLiteral("--spec"), spec,
                           QStringLiteral("--base"), QStringLiteral("bctest/box:latest"),
                           QStringLiteral("--tag"), tag, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QVERIFY2(lines.size() >= 2, qPrintable(r.describe()));
        for (const QByteArray &line : lines.first(lines.size() - 1)) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            QCOMPARE(o.value(u"event").toString(), QStringLiteral("output"));
            QVERIFY(o.value(u"text").isString());
        }
        const QJsonObject last = QJsonDocument::fromJson(lines.last()).object();
        QCOMPARE(last.value(u"event").toString(), QStringLiteral("finished"));
        QCOMPARE(last.value(u"ok").toBool(), true);
        QCOMPARE(last.value(u"image").toString(), tag);
        const QString id = last.value(u"id").toString();
        QVERIFY2(id.startsWith(u"sha256:"), qPrintable(r.describe()));
        // The image is the one the engine now has under that tag, labelled with the box.
        QCOMPARE(runDocker({QStringLiteral("image"), QStringLiteral("inspect"),
                            QStringLiteral("-f"), QStringLiteral("{{.Id}}"), tag}),
                 id);
        QCOMPARE(
            runDocker({QStringLiteral("image"), QStringLiteral("inspect"), QStringLiteral("-f"),
                       QStringLiteral("{{index .Config.Labels \"box-console.box\"}}"), tag}),
            m_name);
        // And it holds the skill where the agent looks for it.
        QCOMPARE(
            runDocker({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"),
                       QStringLiteral("none"), QStringLiteral("--label"), testLabel(),
                       QStringLiteral("--entrypoint"), QStringLiteral("cat"), tag,
                       QStringLiteral("/home/coder/.skills/notes/SKILL.md")}),
            QStringLiteral("# notes\nTake notes."));

        // The text form: the build's output, then one line naming the image.
        r = run({QStringLiteral("build"), QStringLiteral("--spec"), spec, QStringLiteral("--base"),
                 QStringLiteral("bctest/box:latest"), QStringLiteral("--tag"), tag});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY2(r.out.trimmed().split('\n').last().startsWith(
                     QByteArray("built " + tag.toUtf8() + " (sha256:")),
                 qPrintable(r.describe()));

        // Refusals: the reason on stderr, nothing on stdout, nothing built.
        const QString untagged = QStringLiteral("bctest/%1-refused:1").arg(m_name);
        r = run({QStringLiteral("build"), QStringLiteral("--spec"), spec, QStringLiteral("--base"),
                 QStringLiteral("bctest/no-such-base:never"), QStringLiteral("--tag"), untagged});
        QVERIFY2(r.exitCode == 1 && r.out.isEmpty(), qPrintable(r.describe()));
        QVERIFY2(r.err.contains("base image bctest/no-such-base:never is not on this engine"),
                 qPrintable(r.describe()));
        writeFile(dir + QStringLiteral("/noskills.json"),
                  QStringLiteral(R"({"name":"%1","owner":"tester@example.com",)"
                                 R"("image":"bctest/box:latest"})")
                      .arg(m_name)
                      .toUtf8());
        // A spec without skills is invalid input: 2.
        r = run({QStringLiteral("build"), QStringLiteral("--spec"),
                 dir + QStringLiteral("/noskills.json"), QStringLiteral("--tag"), untagged});
        QVERIFY2(r.exitCode == 2 && r.out.isEmpty(), qPrintable(r.describe()));
        QVERIFY2(r.err.contains("the spec lists no skills"), qPrintable(r.describe()));
        writeFile(dir + QStringLiteral("/missing.json"),
                  QStringLiteral(R"({"name":"%1","owner":"tester@example.com",)"
                                 R"("skills":["skills/absent"]})")
                      .arg(m_name)
                      .toUtf8());
        r = run({QStringLiteral("build"), QStringLiteral("--spec"),
                 dir + QStringLiteral("/missing.json"), QStringLiteral("--base"),
                 QStringLiteral("bctest/box:latest"), QStringLiteral("--tag"), untagged});
        QVERIFY2(r.exitCode == 1 && r.out.isEmpty(), qPrintable(r.describe()));
        QVERIFY2(r.err.contains("absent"), qPrintable(r.describe()));
        r = run({QStringLiteral("build"), QStringLiteral("--spec")});
        QVERIFY2(r.exitCode == 2 && r.err.contains("usage: boxctl build --spec FILE"),
                 qPrintable(r.describe()));
        QCOMPARE(runDocker({QStringLiteral("images"), QStringLiteral("-q"), untagged}), QString());
    }

    void deleteRemovesEverything()
    {
        const BoxctlRun r = docker({QStringLiteral("delete"), m_name, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject last =
            QJsonDocument::fromJson(r.out.trimmed().split('\n').last()).object();
        QCOMPARE(last.value(u"event").toString(), QStringLiteral("finished"));
        QCOMPARE(last.value(u"ok").toBool(), true);
        const QString label = QStringLiteral("label=box-console.box=") + m_name;
        QCOMPARE(runDocker({QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--filter"),
                            label}),
                 QString());
        QCOMPARE(runDocker({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q"),
                            QStringLiteral("--filter"), label}),
                 QString());
        const BoxctlRun status = docker({QStringLiteral("status"), m_name});
        QCOMPARE(status.exitCode, 1);
    }
};

QTEST_GUILESS_MAIN(tst_BoxctlBoxes)
#include "tst_boxctl_boxes.moc"
