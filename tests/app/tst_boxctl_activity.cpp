// ctest: labels=app;docker timeout=300
// The activity log through boxctl as a user runs it: a real deploy (with a secret), exec,
// stop, start, a failed stop and a delete on the engine are each recorded once with actor,
// backend, params and result; `activity --json` has the documented shape and filters;
// `activity verify` exits 0 on the untouched log and 1 naming the first edited or missing
// record. No secret value and no env value reaches the database file.
#include "support/boxctlrunner.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace bc::test;

namespace {

const QByteArray SecretValue = "s3cret-value-9f1d2c";
const QByteArray EnvValue = "env-value-77aa01";
const QByteArray ExecEnvValue = "exec-env-value-31b7";

// Runs SQL on the log file directly, as someone with sqlite3 would.
QString rawExec(const QString &path, const QStringList &statements)
{
    QString error;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(path);
        if (!db.open())
            return db.lastError().text();
        QSqlQuery q(db);
        for (const QString &sql : statements) {
            if (!q.exec(sql)) {
                error = q.lastError().text();
                break;
            }
        }
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    return error;
}

QByteArray filesUnder(const QString &dir)
{
    QByteArray bytes;
    for (const QString &f : QDir(dir).entryList(QDir::Files)) {
        QFile file(QDir(dir).filePath(f));
        if (file.open(QIODevice::ReadOnly))
            bytes += file.readAll();
    }
    return bytes;
}

} // namespace

class tst_BoxctlActivity : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QProcessEnvironment m_env;
    QString m_name;
    QString m_spec;
    QString m_db;

    BoxctlRun run(const QStringList &args, const QByteArray &input = {})
    {
        return runBoxctl(args, m_env, input, 180000);
    }
    BoxctlRun docker(const QStringList &args)
    {
        return run(QStringList{QStringLiteral("--backend"), QStringLiteral("docker")} + args);
    }
    QJsonArray records(const QStringList &filter = {})
    {
        const BoxctlRun r =
            run(QStringList{QStringLiteral("activity"), QStringLiteral("--json")} + filter);
        if (r.exitCode != 0 || !r.json().isObject())
            qWarning("%s", qPrintable(r.describe()));
        return r.json().object().value(u"records").toArray();
    }
    void removeBox() { removeLabelled(QStringLiteral("box-console.box=") + m_name); }

private slots:
    void initTestCase()
    {
        QVERIFY2(dockerAvailable(), "no Docker engine");
        QVERIFY(m_home.isValid());
        m_env = isolatedEnvironment(m_home.path());
        m_db = m_home.filePath(QStringLiteral("log/activity.sqlite"));
        m_env.insert(QStringLiteral("BOX_ACTIVITY_DB"), m_db);
        m_env.insert(QStringLiteral("BOX_ACTOR"), QStringLiteral("tester@example.com"));
        m_env.insert(QStringLiteral("BOX_SECRET_STORE"), QStringLiteral("file"));
        m_name = uniqueName(QStringLiteral("bcact")).toLower();
        m_spec = m_home.filePath(QStringLiteral("spec.json"));
        const QByteArray spec =
            QStringLiteral(
                R"({"name":"%1","subdomain":"%1","owner":"tester@example.com",)"
                R"("image":"bctest/box:latest","memory":134217728,"cpus":0.5,)"
                R"("env":{"ACT_SETTING":"%2"},"secrets":["ACT_TOKEN"],"healthcheck":)"
                R"({"test":["CMD-SHELL","printf 'GET /health HTTP/1.0\\r\\n\\r\\n' | nc -w 2 )"
                R"(127.0.0.1 9999 | head -n 1 | grep -q ' 200 '"],"interval":500,)"
                R"("timeout":2000,"retries":3}})")
                .arg(m_name, QString::fromLatin1(EnvValue))
                .toUtf8();
        writeFile(m_spec, spec);
        removeBox();
        const BoxctlRun set =
            run({QStringLiteral("secret"), QStringLiteral("set"), QStringLiteral("ACT_TOKEN")},
                SecretValue);
        QVERIFY2(set.exitCode == 0, qPrintable(set.describe()));
    }
    void cleanupTestCase() { removeBox(); }

    void emptyLog()
    {
        QVERIFY(records().isEmpty());
        const BoxctlRun v = run({QStringLiteral("activity"), QStringLiteral("verify")});
        QVERIFY2(v.exitCode == 0 && v.out.startsWith("0 records, chain intact"),
                 qPrintable(v.describe()));
    }

    void actionsOnTheEngineAreRecorded()
    {
        BoxctlRun r = docker({QStringLiteral("deploy"), QStringLiteral("--spec"), m_spec});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        // The secret and an -e value reach the box, but not the log.
        r = run({QStringLiteral("exec"), QStringLiteral("-e"),
                 QStringLiteral("EXTRA=") + QString::fromLatin1(ExecEnvValue), m_name,
                 QStringLiteral("sh"), QStringLiteral("-c"),
                 QStringLiteral("cat \"$ACT_TOKEN_FILE\"; exit 3")});
        QVERIFY2(r.exitCode == 3 && r.out == SecretValue, qPrintable(r.describe()));
        for (const char *verb : {"stop", "start"}) {
            r = docker({QString::fromLatin1(verb), m_name});
            QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        }
        r = docker({QStringLiteral("stop"), QStringLiteral("bcact-no-such-box")});
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        r = docker({QStringLiteral("delete"), m_name});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));

        const QJsonArray all = records();
        QCOMPARE(all.size(), 6);
        const QStringList expected{QStringLiteral("deploy"), QStringLiteral("exec"),
                                   QStringLiteral("stop"),   QStringLiteral("start"),
                                   QStringLiteral("stop"),   QStringLiteral("delete")};
        for (int i = 0; i < all.size(); ++i) {
            const QJsonObject rec = all[i].toObject();
            QCOMPARE(rec.value(u"seq").toInteger(), i + 1);
            QCOMPARE(rec.value(u"action").toString(), expected[i]);
            QCOMPARE(rec.value(u"actor").toString(), QStringLiteral("tester@example.com"));
            QVERIFY2(rec.value(u"backend").toString().startsWith(QLatin1String("docker:")),
                     qPrintable(rec.value(u"backend").toString()));
            QVERIFY(rec.value(u"params").isObject());
            QCOMPARE(rec.value(u"hash").toString().size(), 64);
            const QDateTime t =
                QDateTime::fromString(rec.value(u"time").toString(), Qt::ISODateWithMs);
            QVERIFY(t.isValid() && t.timeSpec() == Qt::UTC);
            QVERIFY(qAbs(t.secsTo(QDateTime::currentDateTimeUtc())) < 600);
            const bool failed = i == 4;
            QCOMPARE(rec.value(u"result").toString(),
                     failed ? QStringLiteral("failed") : QStringLiteral("ok"));
            QCOMPARE(rec.value(u"box").toString(),
                     failed ? QStringLiteral("bcact-no-such-box") : m_name);
            if (failed)
                QVERIFY(
                    rec.value(u"error").toString().contains(QLatin1String("bcact-no-such-box")));
            else
                QVERIFY(rec.value(u"error").isNull());
        }
        const QJsonObject deploy = all[0].toObject().value(u"params").toObject();
        QCOMPARE(deploy.value(u"secrets").toArray(), QJsonArray{QStringLiteral("ACT_TOKEN")});
        QCOMPARE(deploy.value(u"envKeys").toArray(), QJsonArray{QStringLiteral("ACT_SETTING")});
        QCOMPARE(deploy.value(u"image").toString(), QStringLiteral("bctest/box:latest"));
        const QJsonObject exec = all[1].toObject().value(u"params").toObject();
        QCOMPARE(exec.value(u"command").toString(), QStringLiteral("sh"));
        QCOMPARE(exec.value(u"exitCode").toInt(), 3);
        QCOMPARE(exec.value(u"envKeys").toArray(), QJsonArray{QStringLiteral("EXTRA")});
        QCOMPARE(all[5].toObject()[u"params"][u"keepData"].toBool(), false);

        // Not in the file, not in its WAL: no secret value, no env value.
        const QByteArray bytes = filesUnder(QFileInfo(m_db).absolutePath());
        QVERIFY(bytes.contains("ACT_TOKEN"));
        QVERIFY(!bytes.contains(SecretValue));
        QVERIFY(!bytes.contains(EnvValue));
        QVERIFY(!bytes.contains(ExecEnvValue));
        QVERIFY(!bytes.contains("cat \"$ACT_TOKEN_FILE\""));
    }

    void filters()
    {
        QCOMPARE(records({QStringLiteral("--box"), m_name}).size(), 5);
        const QJsonArray stops = records({QStringLiteral("--action"), QStringLiteral("stop")});
        QCOMPARE(stops.size(), 2);
        QCOMPARE(stops[0][u"seq"].toInteger(), 3);
        QCOMPARE(records({QStringLiteral("--actor"), QStringLiteral("tester@example.com")}).size(),
                 6);
        QVERIFY(records({QStringLiteral("--actor"), QStringLiteral("someone-else")}).isEmpty());
        QCOMPARE(records({QStringLiteral("--since"), QStringLiteral("1h")}).size(), 6);
        QVERIFY(
            records({QStringLiteral("--since"), QStringLiteral("2099-01-01T00:00:00Z")}).isEmpty());
        const QJsonArray last = records({QStringLiteral("--limit"), QStringLiteral("2")});
        QCOMPARE(last.size(), 2);
        QCOMPARE(last[1][u"action"].toString(), QStringLiteral("delete"));
        QCOMPARE(records({QStringLiteral("--box"), m_name, QStringLiteral("--action"),
                          QStringLiteral("exec")})
                     .size(),
                 1);

        // The table form, and bad input.
        BoxctlRun r = run({QStringLiteral("activity"), QStringLiteral("--box"), m_name});
        QVERIFY2(r.exitCode == 0 && r.out.startsWith("SEQ") && r.out.contains("deploy"),
                 qPrintable(r.describe()));
        r = run({QStringLiteral("activity"), QStringLiteral("--since"), QStringLiteral("soon")});
        QVERIFY2(r.exitCode == 2 && r.err.contains("--since") && r.out.isEmpty(),
                 qPrintable(r.describe()));
        r = run({QStringLiteral("activity"), QStringLiteral("--limit"), QStringLiteral("0")});
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
    }

    void verifyDetectsAnEditedRecord()
    {
        BoxctlRun r = run({QStringLiteral("activity"), QStringLiteral("verify")});
        QVERIFY2(r.exitCode == 0 && r.out.startsWith("6 records, chain intact"),
                 qPrintable(r.describe()));
        // The trigger refuses an edit outright …
        QVERIFY(rawExec(m_db, {QStringLiteral("UPDATE activity SET actor = 'x' WHERE seq = 4")})
                    .contains(QLatin1String("append-only")));
        // … so a tamperer drops it first.
        QCOMPARE(rawExec(m_db, {QStringLiteral("DROP TRIGGER activity_no_update"),
                                QStringLiteral("UPDATE activity SET result = 'ok', error = '' "
                                               "WHERE seq = 5")}),
                 QString());
        r = run({QStringLiteral("activity"), QStringLiteral("verify")});
        QVERIFY2(r.exitCode == 1 && r.out.contains("record 5") && r.out.contains("modified"),
                 qPrintable(r.describe()));
        r = run({QStringLiteral("activity"), QStringLiteral("verify"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        QCOMPARE(r.json()[u"intact"].toBool(true), false);
        QCOMPARE(r.json()[u"firstBad"].toInteger(), 5);
        QCOMPARE(r.json()[u"count"].toInteger(), 4);
    }

    void verifyDetectsADeletedRecord()
    {
        // A log of its own: failed stops of boxes that do not exist are records too.
        m_env.insert(QStringLiteral("BOX_ACTIVITY_DB"),
                     m_home.filePath(QStringLiteral("second.sqlite")));
        for (int i = 1; i <= 4; ++i) {
            const BoxctlRun r =
                docker({QStringLiteral("stop"), QStringLiteral("bcact-none-%1").arg(i)});
            QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        }
        BoxctlRun r =
            run({QStringLiteral("activity"), QStringLiteral("verify"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.json()[u"count"].toInteger(), 4);
        QCOMPARE(r.json()[u"head"].toString().size(), 64);
        QCOMPARE(rawExec(m_home.filePath(QStringLiteral("second.sqlite")),
                         {QStringLiteral("DROP TRIGGER activity_no_delete"),
                          QStringLiteral("DELETE FROM activity WHERE seq = 2")}),
                 QString());
        r = run({QStringLiteral("activity"), QStringLiteral("verify")});
        QVERIFY2(r.exitCode == 1 && r.out.contains("record 2 is missing"),
                 qPrintable(r.describe()));
        m_env.insert(QStringLiteral("BOX_ACTIVITY_DB"), m_db);
    }
};

QTEST_GUILESS_MAIN(tst_BoxctlActivity)
#include "tst_boxctl_activity.moc"
