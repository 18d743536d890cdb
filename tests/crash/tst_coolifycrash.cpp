// ctest: labels=coolify;crash timeout=400
// Crash consistency of deploy and delete on Coolify (the fake, tests/support/coolify):
// `boxctl --backend coolify` is killed with SIGKILL at seeded, reproducible points (after
// its Nth Coolify call, sweeping N over every call of the operation, and at random times),
// then `boxctl gc` recovers from Coolify alone (no journal file exists for Coolify work);
// no service or application may be left except complete boxes, and deleted ones whose
// volumes were kept on purpose.
//
// Short form (the suite): 10 runs per operation (the default).
// Long form:  BOX_CRASH_RUNS=60 BOX_CRASH_SEED=7 build/tests/tst_crash_coolifycrash
#include "support/boxctlrunner.h"
#include "support/coolify/fakecoolify.h"
#include "support/testutil.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace bc::test;

namespace {

struct Counts
{
    int runs = 0;
    int killed = 0;        // the process died by the kill (did not finish by itself)
    int completeBoxes = 0; // after recovery: the service complete and healthy
    int nothingLeft = 0;   // after recovery: no service of that name
    int keptData = 0;      // after recovery: deleted with its volumes kept, as asked
    int leftovers = 0;     // anything else: must stay 0
    int maxCall = 0;       // the last Coolify call a sweep killed after
};

} // namespace

class tst_CoolifyCrash : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void deploy();
    void deleteBox();
    void liveOperationLeftAlone();

private:
    enum class Op { Deploy, Delete };
    void runOp(Op op, Counts &counts);
    bool runKilled(const QStringList &args, int killAfterCall, int killAfterMs);
    void recover();
    QJsonObject services(); // uuid -> record, those Coolify still lists
    QString uuidOf(const QString &name);
    QString judge(const QString &name, const QString &uuid, bool keepData, Counts &counts);
    QString specFile(const QString &name);
    BoxctlRun boxctl(const QStringList &args, const QProcessEnvironment &env);
    void print(const char *op, const Counts &c);

    FakeCoolify m_fake;
    QTemporaryDir m_home;
    QProcessEnvironment m_env;
    QRandomGenerator m_rng;
    int m_runs = 10;
    quint32 m_seed = 1;
};

void tst_CoolifyCrash::initTestCase()
{
    QVERIFY2(m_fake.start(), "the fake Coolify did not start");
    QVERIFY(m_home.isValid());
    m_env = isolatedEnvironment(m_home.path());
    // Nothing here may reach a Docker engine.
    m_env.insert(QStringLiteral("DOCKER_HOST"),
                 QStringLiteral("unix://") + m_home.filePath(QStringLiteral("no.sock")));
    m_env.insert(QStringLiteral("COOLIFY_TOKEN"), QStringLiteral("5|rwd"));
    m_env.insert(QStringLiteral("COOLIFY_SERVER_UUID"), QStringLiteral("srv-main"));
    m_env.insert(QStringLiteral("COOLIFY_PROJECT_UUID"), QStringLiteral("proj-boxes"));
    m_env.insert(QStringLiteral("COOLIFY_ENV_NAME"), QStringLiteral("production"));
    m_env.insert(QStringLiteral("COOLIFY_POLL_MS"), QStringLiteral("50"));
    m_env.insert(QStringLiteral("BOX_CONSOLE_STATE_DIR"), m_home.filePath(QStringLiteral("state")));
    if (qEnvironmentVariableIsSet("BOX_CRASH_RUNS"))
        m_runs = qMax(1, qEnvironmentVariableIntValue("BOX_CRASH_RUNS"));
    if (qEnvironmentVariableIsSet("BOX_CRASH_SEED"))
        m_seed = quint32(qEnvironmentVariableIntValue("BOX_CRASH_SEED"));
    m_rng.seed(m_seed);
    qInfo("coolify crash consistency: seed %u, %d run(s) per operation", m_seed, m_runs);
    m_fake.control(QStringLiteral("reset"));
    // A few status polls until healthy, and a deletion that takes a few more: the kills
    // land in the waits as well as between the calls.
    m_fake.control(QStringLiteral("deployment"), {{QStringLiteral("polls"), 3}});
    m_fake.control(QStringLiteral("delete_delay"), {{QStringLiteral("polls"), 2}});
}

void tst_CoolifyCrash::cleanupTestCase()
{
    m_fake.stop();
}

BoxctlRun tst_CoolifyCrash::boxctl(const QStringList &args, const QProcessEnvironment &env)
{
    return runBoxctl(QStringList{QStringLiteral("--backend"), QStringLiteral("coolify"),
                                 QStringLiteral("--coolify-url"), m_fake.url().toString()} +
                         args,
                     env, {}, 120000);
}

QString tst_CoolifyCrash::specFile(const QString &name)
{
    const QString path = m_home.filePath(name + QStringLiteral(".json"));
    writeFile(path, QStringLiteral(R"({"name":"%1","owner":"crash@example.com",)"
                                   R"("image":"registry.example.com:5000/boxes/agent:2.1",)"
                                   R"("memory":134217728,"cpus":0.5})")
                        .arg(name)
                        .toUtf8());
    return path;
}

bool tst_CoolifyCrash::runKilled(const QStringList &args, int killAfterCall, int killAfterMs)
{
    QProcess p;
    QProcessEnvironment env = m_env;
    env.insert(QStringLiteral("BOX_CONSOLE_NO_RECOVERY"), QStringLiteral("1"));
    if (killAfterCall > 0)
        env.insert(QStringLiteral("BOX_TEST_KILL_AFTER_CALL"), QString::number(killAfterCall));
    p.setProcessEnvironment(env);
    p.start(boxctlPath(), QStringList{QStringLiteral("--backend"), QStringLiteral("coolify"),
                                      QStringLiteral("--coolify-url"), m_fake.url().toString()} +
                              args);
    if (!p.waitForStarted(10000))
        return false;
    if (killAfterMs > 0 && !p.waitForFinished(killAfterMs)) {
        ::kill(pid_t(p.processId()), SIGKILL);
        p.waitForFinished(10000);
        return true;
    }
    p.waitForFinished(120000);
    return p.exitStatus() == QProcess::CrashExit;
}

void tst_CoolifyCrash::recover()
{
    const BoxctlRun r = boxctl({QStringLiteral("gc")}, m_env);
    // gc also tries the (absent) Docker engine: only its Coolify lines matter here.
    const QString out = QString::fromUtf8(r.out);
    if (out.contains(QLatin1String("could not")) || !out.contains(m_fake.url().toString()))
        qWarning("gc: %s", qPrintable(r.describe()));
}

QJsonObject tst_CoolifyCrash::services()
{
    QJsonObject out;
    const QJsonObject all = m_fake.inspect(QStringLiteral("state"))
                                .object()
                                .value(QLatin1String("services"))
                                .toObject();
    for (auto it = all.begin(); it != all.end(); ++it)
        if (!it.value().toObject().value(QLatin1String("_gone")).toBool())
            out.insert(it.key(), it.value());
    return out;
}

QString tst_CoolifyCrash::uuidOf(const QString &name)
{
    const QJsonObject all = services();
    for (auto it = all.begin(); it != all.end(); ++it)
        if (it.value().toObject().value(QLatin1String("name")).toString() == name)
            return it.key();
    return {};
}

QString tst_CoolifyCrash::judge(const QString &name, const QString &uuid, bool keepData,
                                Counts &counts)
{
    QStringList found;
    QJsonObject only;
    const QJsonObject all = services();
    for (auto it = all.begin(); it != all.end(); ++it) {
        const QJsonObject s = it.value().toObject();
        if (s.value(QLatin1String("name")).toString() != name)
            continue;
        only = s;
        found << QStringLiteral("%1 [%2, %3%4]")
                     .arg(it.key(), s.value(QLatin1String("status")).toString(),
                          s.value(QLatin1String("description")).toString(),
                          s.value(QLatin1String("_deleting")).isDouble()
                              ? QStringLiteral(", being deleted")
                              : QString());
    }
    const QJsonObject apps =
        m_fake.inspect(QStringLiteral("state")).object().value(QLatin1String("apps")).toObject();
    for (auto it = apps.begin(); it != apps.end(); ++it)
        if (it.value().toObject().value(QLatin1String("name")).toString() == name)
            found << QStringLiteral("application ") + it.key();
    if (found.size() == 1 &&
        only.value(QLatin1String("status")).toString() == QLatin1String("running:healthy") &&
        !only.value(QLatin1String("_deleting")).isDouble() &&
        !only.value(QLatin1String("description")).toString().contains(QLatin1String("op="))) {
        ++counts.completeBoxes;
        return {};
    }
    if (!found.isEmpty())
        return found.join(QStringLiteral("; "));
    const QJsonObject deletes = m_fake.inspect(QStringLiteral("state"))
                                    .object()
                                    .value(QLatin1String("service_deletes"))
                                    .toObject();
    const QJsonValue volumesFlag =
        deletes.value(uuid).toObject().value(QLatin1String("delete_volumes"));
    const bool volumesKept = volumesFlag.toString() == QLatin1String("false");
    if (keepData && !uuid.isEmpty()) {
        if (!volumesKept)
            return QStringLiteral("deleted with its volumes although they were to be kept (%1)")
                .arg(volumesFlag.toString());
        ++counts.keptData;
        return {};
    }
    if (!uuid.isEmpty() && volumesKept)
        return QStringLiteral("deleted, but its volumes were kept");
    ++counts.nothingLeft;
    return {};
}

void tst_CoolifyCrash::runOp(Op op, Counts &counts)
{
    const char *opName = op == Op::Deploy ? "deploy" : "delete";
    int callCursor = 1;
    qint64 opMs = 1000;
    for (int i = 0; i < m_runs; ++i) {
        const QString name = QStringLiteral("cfcrash-%1-%2").arg(QLatin1String(opName)).arg(i);
        const bool keepData = op == Op::Delete && (i % 3) == 1;
        // Even runs sweep the Coolify call after which boxctl dies (1, 2, 3 … until a run
        // finishes before its call, then from 1 again); odd runs die after a random time
        // within the operation's usual duration.
        const int killAfterCall = (i % 2) == 0 ? callCursor : 0;
        const int killAfterMs = killAfterCall ? 0 : 10 + int(m_rng.bounded(quint32(opMs)));
        const QString spec = specFile(name);
        QString uuid;
        if (op == Op::Delete) {
            const BoxctlRun setup =
                boxctl({QStringLiteral("deploy"), QStringLiteral("--spec"), spec}, m_env);
            QVERIFY2(setup.exitCode == 0, qPrintable(setup.describe()));
            uuid = uuidOf(name);
            QVERIFY(!uuid.isEmpty());
        }
        QStringList args;
        if (op == Op::Delete) {
            args = {QStringLiteral("delete"), name};
            if (keepData)
                args << QStringLiteral("--keep-data");
        } else {
            args = {QStringLiteral("deploy"), QStringLiteral("--spec"), spec};
        }
        ++counts.runs;
        QElapsedTimer took;
        took.start();
        const bool killed = runKilled(args, killAfterCall, killAfterMs);
        if (!killed)
            opMs = qBound(qint64(100), took.elapsed(), qint64(5000));
        if (killed)
            ++counts.killed;
        if (killAfterCall)
            callCursor = killed ? callCursor + 1 : 1;
        counts.maxCall = qMax(counts.maxCall, killed ? killAfterCall : 0);
        if (op == Op::Deploy && uuid.isEmpty())
            uuid = uuidOf(name);
        recover();
        const QString leftover = judge(name, uuid, keepData, counts);
        if (!leftover.isEmpty()) {
            ++counts.leftovers;
            qWarning("%s run %d (kill after call %d / %d ms): left %s", opName, i, killAfterCall,
                     killAfterMs, qPrintable(leftover));
            QStringList calls;
            for (const QJsonValue &v : m_fake.inspect(QStringLiteral("requests")).array()) {
                const QJsonObject r = v.toObject();
                const QString path = r.value(QLatin1String("path")).toString();
                if (path == QLatin1String("/services") || (!uuid.isEmpty() && path.contains(uuid)))
                    calls << r.value(QLatin1String("method")).toString() + QLatin1Char(' ') + path;
            }
            qWarning("  Coolify calls: %s", qPrintable(calls.mid(calls.size() - 40).join(u", ")));
        }
    }
}

void tst_CoolifyCrash::print(const char *op, const Counts &c)
{
    qInfo("coolify %s: %d run(s), %d killed (after Coolify calls 1..%d and at random times); "
          "after recovery: %d complete box(es), %d with nothing left, %d kept data, %d "
          "leftover(s)",
          op, c.runs, c.killed, c.maxCall, c.completeBoxes, c.nothingLeft, c.keptData, c.leftovers);
}

void tst_CoolifyCrash::deploy()
{
    Counts c;
    runOp(Op::Deploy, c);
    print("deploy", c);
    QCOMPARE(c.leftovers, 0);
    QVERIFY(c.killed > 0);
}

void tst_CoolifyCrash::deleteBox()
{
    Counts c;
    runOp(Op::Delete, c);
    print("delete", c);
    QCOMPARE(c.leftovers, 0);
    QVERIFY(c.killed > 0);
}

// A recovery (another boxctl, a console starting) never touches a deploy whose process is
// alive; once that process is killed, the next recovery rolls it back.
void tst_CoolifyCrash::liveOperationLeftAlone()
{
    m_fake.control(QStringLiteral("deployment"), {{QStringLiteral("polls"), 100000}});
    const QString name = QStringLiteral("cfcrash-live");
    QProcess p;
    QProcessEnvironment env = m_env;
    env.insert(QStringLiteral("BOX_CONSOLE_NO_RECOVERY"), QStringLiteral("1"));
    p.setProcessEnvironment(env);
    p.start(boxctlPath(), {QStringLiteral("--backend"), QStringLiteral("coolify"),
                           QStringLiteral("--coolify-url"), m_fake.url().toString(),
                           QStringLiteral("deploy"), QStringLiteral("--spec"), specFile(name)});
    QVERIFY(p.waitForStarted(10000));
    QVERIFY(waitUntil([&] { return !uuidOf(name).isEmpty(); }, 20000));
    const QString uuid = uuidOf(name);

    BoxctlRun gc = boxctl({QStringLiteral("gc")}, m_env);
    QVERIFY2(QString::fromUtf8(gc.out).contains(QLatin1String("in progress, left alone")),
             qPrintable(gc.describe()));
    QCOMPARE(uuidOf(name), uuid);
    QCOMPARE(p.state(), QProcess::Running);

    ::kill(pid_t(p.processId()), SIGKILL);
    QVERIFY(p.waitForFinished(10000));
    m_fake.control(QStringLiteral("deployment"), {{QStringLiteral("polls"), 3}});
    gc = boxctl({QStringLiteral("gc")}, m_env);
    QVERIFY2(QString::fromUtf8(gc.out).contains(QLatin1String("of interrupted deploy")),
             qPrintable(gc.describe()));
    QCOMPARE(uuidOf(name), QString());
}

QTEST_GUILESS_MAIN(tst_CoolifyCrash)
#include "tst_coolifycrash.moc"
