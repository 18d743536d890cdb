// ctest: labels=docker;crash timeout=400
// Crash consistency of deploy, redeploy and delete on the real engine: `boxctl` is killed
// with SIGKILL at seeded, reproducible points (after its Nth engine call, sweeping N over
// every call of the operation, and at random times), then `boxctl gc` recovers; nothing may
// be left except complete, running boxes and kept data with its record.
//
// Short form (the suite): 10 runs per operation (the default), about a minute.
// Long form:  BOX_CRASH_RUNS=60 BOX_CRASH_SEED=7 build/tests/tst_crash_crashconsistency
#include "support/boxctlrunner.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace bc::test;

namespace {
const QString CrashLabel = QStringLiteral("box-console.crash-test=1");

struct Counts
{
    int runs = 0;
    int killed = 0;        // the process died by the kill (did not finish by itself)
    int completeBoxes = 0; // after recovery: the box complete and running
    int nothingLeft = 0;   // after recovery: no trace of the box
    int keptData = 0;      // after recovery: kept volumes with their record
    int leftovers = 0;     // anything else: must stay 0
    int maxCall = 0;       // the last engine call a sweep killed after
};

QStringList lines(const QString &out)
{
    return out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}
} // namespace

class tst_CrashConsistency : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void deploy();
    void redeploy();
    void deleteBox();

private:
    enum class Op { Deploy, Redeploy, Delete };
    void runOp(Op op, Counts &counts);
    // Runs boxctl, killing it per the plan; true when it was killed.
    bool runKilled(const QStringList &args, int killAfterCall, int killAfterMs);
    void recover();
    // Checks the invariants for box `name`; returns the outcome or a leftover description.
    QString judge(const QString &name, bool keepData, Counts &counts);
    QString specFile(const QString &name, bool routed, bool failing = false);
    void print(const char *op, const Counts &c);

    QTemporaryDir m_home;
    QProcessEnvironment m_env;
    QRandomGenerator m_rng;
    int m_runs = 10;
    quint32 m_seed = 1;
};

void tst_CrashConsistency::initTestCase()
{
    QVERIFY2(dockerAvailable(), "no Docker engine");
    QVERIFY(m_home.isValid());
    m_env = isolatedEnvironment(m_home.path());
    m_env.insert(QStringLiteral("BOX_CONSOLE_STATE_DIR"), m_home.filePath(QStringLiteral("state")));
    m_env.insert(QStringLiteral("BOX_CONSOLE_EXTRA_LABELS"),
                 testLabel() + QLatin1Char(',') + CrashLabel);
    if (qEnvironmentVariableIsSet("BOX_CRASH_RUNS"))
        m_runs = qMax(1, qEnvironmentVariableIntValue("BOX_CRASH_RUNS"));
    if (qEnvironmentVariableIsSet("BOX_CRASH_SEED"))
        m_seed = quint32(qEnvironmentVariableIntValue("BOX_CRASH_SEED"));
    m_rng.seed(m_seed);
    qInfo("crash consistency: seed %u, %d run(s) per operation", m_seed, m_runs);
    removeLabelled(CrashLabel);
}

void tst_CrashConsistency::cleanupTestCase()
{
    removeLabelled(CrashLabel);
}

QString tst_CrashConsistency::specFile(const QString &name, bool routed, bool failing)
{
    const QString path = m_home.filePath(name + (failing ? QStringLiteral("-bad") : QString()) +
                                         QStringLiteral(".json"));
    QString spec =
        QStringLiteral(R"({"name":"%1","owner":"crash@example.com","image":"%2",)"
                       R"("memory":134217728,"cpus":0.5,%3)"
                       R"("healthcheck":{"test":["CMD-SHELL","%4"],"interval":500,)"
                       R"("timeout":2000,"retries":2}})")
            .arg(name, boxTestImage(),
                 routed ? QStringLiteral(R"("isolation":"routed","subdomain":"%1",)").arg(name)
                        : QString(),
                 failing ? QStringLiteral("false")
                         : QStringLiteral("printf 'GET /health HTTP/1.0\\\\r\\\\n"
                                          "\\\\r\\\\n' | nc -w 2 127.0.0.1 9999 | "
                                          "head -n 1 | grep -q ' 200 '"));
    writeFile(path, spec.toUtf8());
    return path;
}

bool tst_CrashConsistency::runKilled(const QStringList &args, int killAfterCall, int killAfterMs)
{
    QProcess p;
    QProcessEnvironment env = m_env;
    env.insert(QStringLiteral("BOX_CONSOLE_NO_RECOVERY"), QStringLiteral("1"));
    if (killAfterCall > 0)
        env.insert(QStringLiteral("BOX_TEST_KILL_AFTER_CALL"), QString::number(killAfterCall));
    p.setProcessEnvironment(env);
    p.start(boxctlPath(),
            QStringList{QStringLiteral("--backend"), QStringLiteral("docker")} + args);
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

void tst_CrashConsistency::recover()
{
    const BoxctlRun r = runBoxctl(
        {QStringLiteral("--backend"), QStringLiteral("docker"), QStringLiteral("gc")}, m_env);
    if (r.exitCode != 0)
        qWarning("gc: %s", qPrintable(r.describe()));
}

QString tst_CrashConsistency::judge(const QString &name, bool keepData, Counts &counts)
{
    const QString box = QStringLiteral("label=box-console.box=") + name;
    const QStringList containers = lines(
        runDocker({QStringLiteral("ps"), QStringLiteral("-a"), QStringLiteral("--filter"), box,
                   QStringLiteral("--format"), QStringLiteral("{{.Names}} {{.State}}")}));
    const QStringList volumes =
        lines(runDocker({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q"),
                         QStringLiteral("--filter"), box}));
    const QStringList networks =
        lines(runDocker({QStringLiteral("network"), QStringLiteral("ls"), QStringLiteral("-q"),
                         QStringLiteral("--filter"), box}));
    const QStringList markers = lines(runDocker(
        {QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q"),
         QStringLiteral("--filter"), QStringLiteral("label=box-console.op-box=") + name}));
    const QStringList records = lines(runDocker(
        {QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q"),
         QStringLiteral("--filter"), QStringLiteral("label=box-console.kept-box=") + name}));
    const QStringList lease =
        lines(runDocker({QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--filter"),
                         QStringLiteral("name=^box-console-lease$"), QStringLiteral("--filter"),
                         QStringLiteral("label=box-console.crash-test=1")}));
    const QString state = QStringLiteral("containers [%1], volumes [%2], networks [%3], "
                                         "markers [%4], kept records [%5], lease [%6]")
                              .arg(containers.join(u','), volumes.join(u','), networks.join(u','),
                                   markers.join(u','), records.join(u','), lease.join(u','));
    if (!markers.isEmpty() || !lease.isEmpty())
        return state;
    if (containers.size() == 1 && containers.first() == name + QStringLiteral(" running") &&
        volumes.size() == 3 && records.isEmpty()) {
        ++counts.completeBoxes;
        return {};
    }
    if (containers.isEmpty() && networks.isEmpty() && volumes.isEmpty() && records.isEmpty()) {
        ++counts.nothingLeft;
        return {};
    }
    if (keepData && containers.isEmpty() && networks.isEmpty() && volumes.size() == 3 &&
        records.size() == 1) {
        ++counts.keptData;
        return {};
    }
    return state;
}

void tst_CrashConsistency::runOp(Op op, Counts &counts)
{
    const char *opName = op == Op::Deploy ? "deploy" : op == Op::Redeploy ? "redeploy" : "delete";
    int callCursor = 1;
    qint64 opMs = 1500;
    for (int i = 0; i < m_runs; ++i) {
        const QString name = QStringLiteral("bccrash-%1-%2").arg(QLatin1String(opName)).arg(i);
        const bool routed = (i % 2) == 0;
        const bool keepData = op == Op::Delete && (i % 3) == 1;
        const bool failing = op == Op::Redeploy && (i % 2) == 1;
        // Even runs sweep the engine call after which boxctl dies (1, 2, 3 … until a run
        // finishes before its call: the operation has no more, start again at 1), odd runs
        // die after a random time within the operation's usual duration.
        const int killAfterCall = (i % 2) == 0 ? callCursor : 0;
        const int killAfterMs = killAfterCall ? 0 : 20 + int(m_rng.bounded(quint32(opMs)));
        const QString spec = specFile(name, routed);
        if (op != Op::Deploy) {
            const BoxctlRun setup =
                runBoxctl({QStringLiteral("--backend"), QStringLiteral("docker"),
                           QStringLiteral("deploy"), QStringLiteral("--spec"), spec},
                          m_env);
            QVERIFY2(setup.exitCode == 0, qPrintable(setup.describe()));
        }
        QStringList args;
        if (op == Op::Delete) {
            args = {QStringLiteral("delete"), name};
            if (keepData)
                args << QStringLiteral("--keep-data");
        } else {
            args = {QStringLiteral("deploy"), QStringLiteral("--spec"),
                    op == Op::Redeploy && failing ? specFile(name, routed, true) : spec};
            if (op == Op::Redeploy)
                args << QStringLiteral("--redeploy");
        }
        ++counts.runs;
        QElapsedTimer took;
        took.start();
        const bool killed = runKilled(args, killAfterCall, killAfterMs);
        if (!killed) // how long the operation takes unharmed: random kills fall within it
            opMs = qBound(qint64(200), took.elapsed(), qint64(5000));
        if (killed)
            ++counts.killed;
        if (killAfterCall)
            callCursor = killed ? callCursor + 1 : 1;
        counts.maxCall = qMax(counts.maxCall, killed ? killAfterCall : 0);
        recover();
        const int before = counts.nothingLeft;
        QString leftover = judge(name, keepData, counts);
        if (op == Op::Redeploy && counts.nothingLeft > before)
            leftover = QStringLiteral("nothing: a redeploy lost the box");
        if (!leftover.isEmpty()) {
            ++counts.leftovers;
            qWarning("%s run %d (kill after call %d / %d ms): left %s", opName, i, killAfterCall,
                     killAfterMs, qPrintable(leftover));
        }
        removeLabelled(QStringLiteral("box-console.box=") + name);
        removeLabelled(CrashLabel);
    }
}

void tst_CrashConsistency::print(const char *op, const Counts &c)
{
    qInfo("%s: %d run(s), %d killed (after engine calls 1..%d and at random times); after "
          "recovery: %d complete box(es), %d with nothing left, %d kept data, %d leftover(s)",
          op, c.runs, c.killed, c.maxCall, c.completeBoxes, c.nothingLeft, c.keptData, c.leftovers);
}

void tst_CrashConsistency::deploy()
{
    Counts c;
    runOp(Op::Deploy, c);
    print("deploy", c);
    QCOMPARE(c.leftovers, 0);
    QVERIFY(c.killed > 0);
}

void tst_CrashConsistency::redeploy()
{
    Counts c;
    runOp(Op::Redeploy, c);
    print("redeploy", c);
    QCOMPARE(c.leftovers, 0);
    QVERIFY(c.killed > 0);
}

void tst_CrashConsistency::deleteBox()
{
    Counts c;
    runOp(Op::Delete, c);
    print("delete", c);
    QCOMPARE(c.leftovers, 0);
    QVERIFY(c.killed > 0);
}

QTEST_GUILESS_MAIN(tst_CrashConsistency)
#include "tst_crashconsistency.moc"
