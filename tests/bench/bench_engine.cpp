// Engine benchmark (not a unit test): boxctl against the docker CLI, side by side in one
// run, on N labelled idle busybox containers (`sleep 3600`, no health checks: a 1-second
// health check loads the daemon and skews every figure).
//
//   bench_engine [--boxctl PATH] [--count 100] [--reps 9] [--watch 20] [--keep]
//
// Prints, for each pair, the median wall time (or engine CPU) and the ratio boxctl/docker:
//   ps:     boxctl ps --all --json      vs docker ps -a --format json
//   stats:  boxctl stats --no-stream    vs docker stats --no-stream
//   watch:  engine CPU (dockerd + containerd + containerd-shim*, utime+stime from /proc)
//           while `boxctl stats` watches all containers for --watch seconds at its default
//           refresh vs while `docker stats` streams them.
// Containers are removed at the end and on SIGINT/SIGTERM.

#include "core/docker/dockerclient.h"
#include "core/http/httpclient.h"
#include "support/enginecpu.h"
#include "support/testutil.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>

#include <sys/resource.h>
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

double median(QList<double> v)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const qsizetype n = v.size();
    return n % 2 ? v.at(n / 2) : (v.at(n / 2 - 1) + v.at(n / 2)) / 2;
}

double childrenCpuSeconds()
{
    rusage ru{};
    getrusage(RUSAGE_CHILDREN, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

struct Timed
{
    double seconds = 0;
    double cpu = 0; // the client's own user+sys CPU: robust when the machine is loaded
    int exitCode = -1;
    QByteArray stderrTail;
};

Timed runTimed(const QString &program, const QStringList &args)
{
    QProcess p;
    p.setStandardOutputFile(QProcess::nullDevice());
    const double cpuBefore = childrenCpuSeconds();
    QElapsedTimer t;
    t.start();
    p.start(program, args);
    p.waitForFinished(300000);
    Timed r;
    r.seconds = double(t.nsecsElapsed()) / 1e9;
    r.cpu = childrenCpuSeconds() - cpuBefore;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.stderrTail = p.readAllStandardError().right(300);
    return r;
}

// Engine CPU spent while `program` runs for `seconds` (then SIGINT, like Ctrl-C).
double engineCpuDuring(const QString &program, const QStringList &args, int seconds)
{
    QProcess p;
    p.setStandardOutputFile(QProcess::nullDevice());
    p.setStandardErrorFile(QProcess::nullDevice());
    const EngineCpu before = EngineCpu::now();
    p.start(program, args);
    p.waitForStarted();
    for (int i = 0; i < seconds * 10 && !g_interrupted; ++i)
        QThread::msleep(100);
    ::kill(pid_t(p.processId()), SIGINT);
    if (!p.waitForFinished(5000)) {
        p.kill();
        p.waitForFinished(2000);
    }
    return EngineCpu::now().totalSince(before);
}

void removeBenchContainers(DockerClient &client)
{
    const Filters filter{
        {QStringLiteral("label"), {QString::fromLatin1(BenchLabel) + QStringLiteral("=engine")}}};
    const auto list = bc::test::await(client.listContainers(true, filter), 120000);
    if (!list)
        return;
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

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);

    QString boxctl = QCoreApplication::applicationDirPath() + QStringLiteral("/../bin/boxctl");
    int count = 100, reps = 9, watch = 20;
    bool keep = false;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--boxctl") && i + 1 < args.size())
            boxctl = args[++i];
        else if (args[i] == QLatin1String("--count") && i + 1 < args.size())
            count = args[++i].toInt();
        else if (args[i] == QLatin1String("--reps") && i + 1 < args.size())
            reps = args[++i].toInt();
        else if (args[i] == QLatin1String("--watch") && i + 1 < args.size())
            watch = args[++i].toInt();
        else if (args[i] == QLatin1String("--keep"))
            keep = true;
    }
    boxctl = QFileInfo(boxctl).canonicalFilePath();
    if (boxctl.isEmpty()) {
        std::fprintf(stderr, "bench_engine: boxctl not found (use --boxctl PATH)\n");
        return 2;
    }

    DockerClient client{http::Endpoint{}};
    client.http()->setMaxIdleConnections(32);
    removeBenchContainers(client);

    // Start the containers, ten at a time.
    std::printf("starting %d idle containers (bctest/busybox, sleep 3600, no health check)...\n",
                count);
    QElapsedTimer setup;
    setup.start();
    for (int i = 0; i < count && !g_interrupted; i += 10) {
        QList<QFuture<Result<CreatedContainer>>> created;
        for (int j = i; j < std::min(count, i + 10); ++j) {
            nlohmann::json body = {{"Image", "bctest/busybox:latest"},
                                   {"Cmd", {"sleep", "3600"}},
                                   {"Labels", {{"box-console.test", "1"}, {BenchLabel, "engine"}}},
                                   {"HostConfig", {{"NetworkMode", "none"}}}};
            created << client.createContainer(
                QStringLiteral("bc-bench-%1").arg(j, 3, 10, QLatin1Char('0')), body);
        }
        QList<QFuture<VoidResult>> started;
        for (const auto &f : created) {
            const auto r = bc::test::await(f, 120000);
            if (!r) {
                std::fprintf(stderr, "bench_engine: %s\n", qPrintable(r.error().toString()));
                removeBenchContainers(client);
                return 1;
            }
            started << client.startContainer(r->id);
        }
        for (const auto &f : started) {
            const auto r = bc::test::await(f, 120000);
            if (!r) {
                std::fprintf(stderr, "bench_engine: %s\n", qPrintable(r.error().toString()));
                removeBenchContainers(client);
                return 1;
            }
        }
    }
    std::printf("started in %.1f s; letting the engine settle...\n",
                double(setup.elapsed()) / 1000.0);
    QThread::sleep(5);

    const int procs = EngineCpu::now().processCount();
    std::printf("engine processes counted (dockerd, containerd, containerd-shim*): %d\n\n", procs);

    // 1. ps, interleaved so both see the same load.
    QList<double> psBox, psDocker, psBoxCpu, psDockerCpu;
    for (int i = 0; i < reps && !g_interrupted; ++i) {
        const Timed b = runTimed(
            boxctl, {QStringLiteral("ps"), QStringLiteral("--all"), QStringLiteral("--json")});
        const Timed d = runTimed(QStringLiteral("docker"),
                                 {QStringLiteral("ps"), QStringLiteral("-a"),
                                  QStringLiteral("--format"), QStringLiteral("json")});
        if (b.exitCode != 0)
            std::fprintf(stderr, "boxctl ps failed: %s\n", b.stderrTail.constData());
        psBox << b.seconds;
        psDocker << d.seconds;
        psBoxCpu << b.cpu;
        psDockerCpu << d.cpu;
    }

    // 2. stats --no-stream
    QList<double> stBox, stDocker, stBoxCpu, stDockerCpu;
    const int statsReps = std::max(3, reps / 3);
    for (int i = 0; i < statsReps && !g_interrupted; ++i) {
        const Timed b = runTimed(boxctl, {QStringLiteral("stats"), QStringLiteral("--no-stream")});
        const Timed d = runTimed(QStringLiteral("docker"),
                                 {QStringLiteral("stats"), QStringLiteral("--no-stream")});
        if (b.exitCode != 0)
            std::fprintf(stderr, "boxctl stats --no-stream failed: %s\n", b.stderrTail.constData());
        stBox << b.seconds;
        stDocker << d.seconds;
        stBoxCpu << b.cpu;
        stDockerCpu << d.cpu;
    }

    // 3. engine CPU while watching live, with an idle baseline of the same length.
    double idle = 0, watchBox = 0, watchDocker = 0;
    if (!g_interrupted) {
        const EngineCpu before = EngineCpu::now();
        for (int i = 0; i < watch * 10 && !g_interrupted; ++i)
            QThread::msleep(100);
        idle = EngineCpu::now().totalSince(before);
    }
    if (!g_interrupted)
        watchBox = engineCpuDuring(boxctl, {QStringLiteral("stats")}, watch);
    if (!g_interrupted)
        watchDocker = engineCpuDuring(QStringLiteral("docker"), {QStringLiteral("stats")}, watch);

    if (!g_interrupted) {
        const double mpb = median(psBox), mpd = median(psDocker);
        const double msb = median(stBox), msd = median(stDocker);
        std::printf("=== engine benchmark: %d idle containers, %d/%d repetitions, %d s watch ===\n",
                    count, reps, statsReps, watch);
        std::printf("%-44s %10s %10s %8s %8s\n", "measure", "boxctl", "docker", "ratio", "target");
        std::printf("%-44s %8.1fms %8.1fms %7.2fx %8s\n", "ps --all --json (median wall)",
                    mpb * 1000, mpd * 1000, mpb / mpd, "<=0.7x");
        std::printf("%-44s %9.2fs %9.2fs %7.2fx %8s\n", "stats --no-stream (median wall)", msb, msd,
                    msb / msd, "<=0.7x");
        std::printf("%-44s %8.1fms %8.1fms %7.2fx\n", "  client CPU of ps (median user+sys)",
                    median(psBoxCpu) * 1000, median(psDockerCpu) * 1000,
                    median(psDockerCpu) > 0 ? median(psBoxCpu) / median(psDockerCpu) : 0.0);
        std::printf("%-44s %8.1fms %8.1fms\n", "  client CPU of stats (median user+sys)",
                    median(stBoxCpu) * 1000, median(stDockerCpu) * 1000);
        std::printf("%-44s %9.2fs %9.2fs %7.2fx %8s\n", "engine CPU while watching live (total)",
                    watchBox, watchDocker, watchBox / watchDocker, "<=0.5x");
        std::printf("%-44s %8.1f%% %8.1f%%\n", "  = share of one core", 100 * watchBox / watch,
                    100 * watchDocker / watch);
        std::printf("%-44s %9.2fs (%.1f%% of a core)\n", "engine CPU idle baseline (same length)",
                    idle, 100 * idle / watch);
        const double nb = std::max(0.0, watchBox - idle), nd = std::max(0.0, watchDocker - idle);
        std::printf("%-44s %9.2fs %9.2fs %7.2fx\n", "engine CPU above idle", nb, nd,
                    nd > 0 ? nb / nd : 0.0);
        std::printf("raw ps samples (ms) boxctl:");
        for (double v : psBox)
            std::printf(" %.1f", v * 1000);
        std::printf("\nraw ps samples (ms) docker:");
        for (double v : psDocker)
            std::printf(" %.1f", v * 1000);
        std::printf("\nraw stats samples (s) boxctl:");
        for (double v : stBox)
            std::printf(" %.2f", v);
        std::printf("\nraw stats samples (s) docker:");
        for (double v : stDocker)
            std::printf(" %.2f", v);
        std::printf("\n");
    } else {
        std::printf("interrupted\n");
    }

    if (!keep)
        removeBenchContainers(client);
    return g_interrupted ? 130 : 0;
}
