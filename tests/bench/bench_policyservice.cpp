// Policy service benchmark (not a unit test): what `boxctl serve` watching N boxes costs
// the engine, against `docker stats` streaming the same boxes, side by side in one run;
// and how late an idle stop comes after its deadline.
//
//   bench_policyservice [--boxctl PATH] [--count 100] [--watch 60] [--idle-stop 20]
//
// N labelled busybox boxes (`sleep 3600`, no health check) with a one-hour idle stop, so
// the service tracks every one of them, plus one box whose idle stop is --idle-stop
// seconds after its start. Engine CPU is utime+stime of dockerd, containerd and
// containerd-shim* from /proc over --watch seconds: idle, while the service runs (from
// its start: the initial resync is counted), while `docker stats` streams. Prints the
// figures, the ratios (target <= 0.2x) and the idle-stop latency (target <= 30 s).
// Containers, the service's lease and its keep-alive records are removed at the end and
// on SIGINT/SIGTERM.

#include "core/docker/dockerclient.h"
#include "core/http/httpclient.h"
#include "support/enginecpu.h"
#include "support/testutil.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <atomic>
#include <csignal>
#include <cstdio>

#include <unistd.h>

using namespace bc;
using bc::test::EngineCpu;
using namespace bc::docker;

namespace {

std::atomic<bool> g_interrupted{false};

void onSignal(int)
{
    g_interrupted = true;
}

const char *BenchLabel = "box-console.bench";
const char *BenchValue = "policy";

void sleepSeconds(int seconds)
{
    for (int i = 0; i < seconds * 10 && !g_interrupted; ++i)
        QThread::msleep(100);
}

// Engine CPU over `seconds` while `p` (already set up) runs; then SIGINT, like Ctrl-C.
double engineCpuDuring(QProcess &p, const QString &program, const QStringList &args, int seconds)
{
    const EngineCpu before = EngineCpu::now();
    p.start(program, args);
    p.waitForStarted();
    sleepSeconds(seconds);
    const double spent = EngineCpu::now().totalSince(before);
    ::kill(pid_t(p.processId()), SIGINT);
    if (!p.waitForFinished(10000)) {
        p.kill();
        p.waitForFinished(2000);
    }
    return spent;
}

void removeBenchObjects(DockerClient &client)
{
    const Filters filter{
        {QStringLiteral("label"),
         {QString::fromLatin1(BenchLabel) + QLatin1Char('=') + QString::fromLatin1(BenchValue)}}};
    const auto list = bc::test::await(client.listContainers(true, filter), 120000);
    if (list) {
        QList<QFuture<VoidResult>> pending;
        for (const ContainerSummary &c : *list) {
            pending << client.removeContainer(c.id, true);
            if (pending.size() >= 10) {
                for (const auto &f : pending)
                    (void)bc::test::await(f, 120000);
                pending.clear();
            }
        }
        for (const auto &f : pending)
            (void)bc::test::await(f, 120000);
        std::printf("removed %lld benchmark containers\n", qlonglong(list->size()));
    }
    (void)bc::test::await(client.removeContainer(QStringLiteral("box-console-policy-lease"), true),
                          30000);
    const Filters ka{{QStringLiteral("label"), {QStringLiteral("box-console.keepalive-box")}}};
    if (const auto vols = bc::test::await(client.listVolumes(ka), 30000))
        for (const auto &v : *vols)
            if (v.name.startsWith(QLatin1String("box-console-keepalive.bc-pbench-")))
                (void)bc::test::await(client.removeVolume(v.name, true), 30000);
}

Result<QString> createBox(DockerClient &client, const QString &name, int idleStop,
                          const QStringList &cmd)
{
    nlohmann::json labels = {{"box-console.test", "1"},
                             {BenchLabel, BenchValue},
                             {"box-console.box", name.toStdString()},
                             {"box-console.role", "container"},
                             {"box-console.policy.idle-stop", std::to_string(idleStop)}};
    nlohmann::json c = nlohmann::json::array();
    for (const QString &a : cmd)
        c.push_back(a.toStdString());
    nlohmann::json body = {{"Image", "bctest/busybox:latest"},
                           {"Cmd", c},
                           {"StopTimeout", 2},
                           {"Labels", labels},
                           {"HostConfig", {{"NetworkMode", "none"}}}};
    const auto created = bc::test::await(client.createContainer(name, body), 120000);
    if (!created)
        return created.error();
    return created->id;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);

    QString boxctl = QCoreApplication::applicationDirPath() + QStringLiteral("/../bin/boxctl");
    int count = 100, watch = 60, idleStop = 20;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--boxctl") && i + 1 < args.size())
            boxctl = args[++i];
        else if (args[i] == QLatin1String("--count") && i + 1 < args.size())
            count = args[++i].toInt();
        else if (args[i] == QLatin1String("--watch") && i + 1 < args.size())
            watch = args[++i].toInt();
        else if (args[i] == QLatin1String("--idle-stop") && i + 1 < args.size())
            idleStop = args[++i].toInt();
    }
    boxctl = QFileInfo(boxctl).canonicalFilePath();
    if (boxctl.isEmpty()) {
        std::fprintf(stderr, "bench_policyservice: boxctl not found (use --boxctl PATH)\n");
        return 2;
    }
    if (idleStop >= watch) {
        std::fprintf(stderr, "bench_policyservice: --idle-stop must be below --watch\n");
        return 2;
    }

    DockerClient client{http::Endpoint{}};
    client.http()->setMaxIdleConnections(32);
    removeBenchObjects(client);

    std::printf("starting %d boxes (bctest/busybox, sleep 3600, idle stop in 1 h)...\n", count);
    QElapsedTimer setup;
    setup.start();
    for (int i = 0; i < count && !g_interrupted; i += 10) {
        QStringList ids;
        for (int j = i; j < std::min(count, i + 10); ++j) {
            const auto id =
                createBox(client, QStringLiteral("bc-pbench-%1").arg(j, 3, 10, QLatin1Char('0')),
                          3600, {QStringLiteral("sleep"), QStringLiteral("3600")});
            if (!id) {
                std::fprintf(stderr, "bench_policyservice: %s\n",
                             qPrintable(id.error().toString()));
                removeBenchObjects(client);
                return 1;
            }
            ids << *id;
        }
        QList<QFuture<VoidResult>> started;
        for (const QString &id : ids)
            started << client.startContainer(id);
        for (const auto &f : started)
            if (const auto r = bc::test::await(f, 120000); !r) {
                std::fprintf(stderr, "bench_policyservice: %s\n", qPrintable(r.error().toString()));
                removeBenchObjects(client);
                return 1;
            }
    }
    std::printf("started in %.1f s; letting the engine settle...\n",
                double(setup.elapsed()) / 1000.0);
    sleepSeconds(5);

    // 1. idle baseline
    const EngineCpu idleBefore = EngineCpu::now();
    sleepSeconds(watch);
    const double idle = EngineCpu::now().totalSince(idleBefore);

    // 2. the service, with one more box whose idle stop falls inside the window
    QTemporaryDir home;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("BOX_ACTIVITY_DB"), home.filePath(QStringLiteral("activity.sqlite")));
    const QString probe = QStringLiteral("bc-pbench-idle");
    const auto probeId =
        createBox(client, probe, idleStop,
                  {QStringLiteral("sh"), QStringLiteral("-c"),
                   QStringLiteral("trap 'exit 0' TERM; while :; do sleep 1; done")});
    if (!probeId || !bc::test::await(client.startContainer(*probeId), 60000)) {
        std::fprintf(stderr, "bench_policyservice: cannot start the idle-stop probe box\n");
        removeBenchObjects(client);
        return 1;
    }
    QProcess service;
    service.setProcessEnvironment(env);
    service.setStandardOutputFile(home.filePath(QStringLiteral("serve.log")));
    service.setStandardErrorFile(QProcess::nullDevice());
    const double serveCpu = engineCpuDuring(
        service, boxctl,
        {QStringLiteral("--backend"), QStringLiteral("docker"), QStringLiteral("serve")}, watch);
    double latency = -1;
    if (const auto c = bc::test::await(client.inspectContainer(*probeId), 30000);
        c && !c->running) {
        const QDateTime deadline = c->startedAt.addSecs(idleStop);
        latency = double(deadline.msecsTo(c->finishedAt)) / 1000.0;
    }

    // 3. docker stats streaming the same boxes
    QProcess stats;
    stats.setStandardOutputFile(QProcess::nullDevice());
    stats.setStandardErrorFile(QProcess::nullDevice());
    const double statsCpu =
        engineCpuDuring(stats, QStringLiteral("docker"), {QStringLiteral("stats")}, watch);

    if (!g_interrupted) {
        std::printf("\n=== policy service benchmark: %d boxes, %d s per measurement ===\n", count,
                    watch);
        std::printf("%-46s %9s %9s %8s %8s\n", "", "service", "docker", "ratio", "target");
        std::printf("%-46s %8.2fs %8.2fs %7.3fx %8s\n", "engine CPU while watching (total)",
                    serveCpu, statsCpu, statsCpu > 0 ? serveCpu / statsCpu : 0.0, "<=0.2x");
        const double ns = std::max(0.0, serveCpu - idle), nd = std::max(0.0, statsCpu - idle);
        std::printf("%-46s %8.2fs %8.2fs %7.3fx %8s\n", "engine CPU above the idle baseline", ns,
                    nd, nd > 0 ? ns / nd : 0.0, "<=0.2x");
        std::printf("%-46s %8.2fs (%.1f%% of a core)\n", "engine CPU idle baseline (same length)",
                    idle, 100 * idle / watch);
        if (latency >= 0)
            std::printf("%-46s %8.2fs %26s\n", "idle stop: box stopped after its deadline", latency,
                        "<=30s");
        else
            std::printf("idle stop: the probe box was NOT stopped within %d s\n", watch);
    } else {
        std::printf("interrupted\n");
    }
    removeBenchObjects(client);
    return g_interrupted ? 130 : (latency < 0 ? 1 : 0);
}
