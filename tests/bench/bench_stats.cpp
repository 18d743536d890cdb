// Stats benchmark (not a unit test): what sampling the resource use of running containers
// costs the engine, streamed against polled, for the same containers at the same rate.
//
//   bench_stats [--count 10] [--seconds 30] [--rounds 1]
//
// Starts --count labelled busybox containers (`sleep 3600`, no network, never a pull) and,
// for --seconds each, samples all of them with one mechanism at a time:
//   idle        nothing (the engine's own baseline)
//   stream      GET /containers/{id}/stats?stream=1, one connection per container: the
//               daemon sends a sample a second (StatsStream)
//   one-shot    GET …/stats?stream=0&one-shot=1 (API >= 1.41) every 1, 2 and 3 s: the
//               console monitor polls every 2 s, `boxctl stats` refreshes every 3 s
//   stream=0    GET …/stats?stream=0 every 1 s: the daemon answers after two of its
//               collection cycles (how `docker stats --no-stream` and older APIs sample)
// and prints, per mechanism, the requests sent, the samples received and the CPU time
// (utime+stime from /proc) of dockerd and of the whole engine (dockerd, containerd and
// the shims), with dockerd's cost per sample above its idle baseline. With --rounds N the
// mechanisms run N times in turn and the medians are printed last.
// The containers carry box-console.test=1 and box-console.bench=stats and are removed at
// the start, at the end, on a failure and on SIGINT/SIGTERM/SIGHUP.

#include "core/docker/dockerclient.h"
#include "core/docker/statsstream.h"
#include "core/http/httpclient.h"
#include "support/dockerfixture.h"
#include "support/enginecpu.h"
#include "support/testutil.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QHash>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>

using namespace bc;
using namespace bc::docker;
using bc::test::EngineCpu;

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void onSignal(int)
{
    g_interrupted = true;
}

const QString BenchLabel = QStringLiteral("box-console.bench=stats");

enum class Mechanism { Idle, Stream, OneShot, NoStream };

struct Phase
{
    const char *name;
    Mechanism mechanism;
    int intervalMs; // polling only
};

const Phase Phases[] = {
    {"idle", Mechanism::Idle, 0},
    {"stream=1, one stream per container", Mechanism::Stream, 0},
    {"stream=0&one-shot=1, every 1 s", Mechanism::OneShot, 1000},
    {"stream=0, every 1 s", Mechanism::NoStream, 1000},
    {"stream=0&one-shot=1, every 2 s", Mechanism::OneShot, 2000},
    {"stream=0&one-shot=1, every 3 s", Mechanism::OneShot, 3000},
};

struct Measured
{
    int requests = 0;
    int samples = 0; // received within the window
    int errors = 0;
    double dockerd = 0; // CPU seconds
    double engine = 0;
};

// Runs the event loop for `ms`, or less when interrupted: a blocking wait, so the
// benchmark's own process does not compete with the engine for the two cores.
void runFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&loop] {
        if (g_interrupted)
            loop.quit();
    });
    poll.start(100);
    loop.exec();
}

// One mechanism over `seconds`; the CPU window covers opening the streams or sending the
// requests, not tearing them down afterwards.
Measured measure(DockerClient &client, const QStringList &ids, const Phase &phase, int seconds)
{
    auto m = std::make_shared<Measured>();
    auto measuring = std::make_shared<bool>(true);
    QObject guard; // continuations end with it: nothing runs after this function returns
    QList<QPointer<StatsStream>> streams;
    QTimer timer;
    auto previous = std::make_shared<QHash<QString, StatsSample>>();
    auto inFlight = std::make_shared<QHash<QString, int>>(); // requests out, per container
    auto poll = [&] {
        for (const QString &id : ids) {
            // stream=0 takes two collection cycles (1-2 s): to keep a sample a second it
            // overlaps, as a poller at that rate would; one-shot answers at once.
            if (phase.mechanism == Mechanism::OneShot && inFlight->value(id) > 0)
                continue;
            const bool oneShot = phase.mechanism == Mechanism::OneShot;
            const StatsSample *prev =
                oneShot && previous->contains(id) ? &previous->find(id).value() : nullptr;
            ++m->requests;
            ++(*inFlight)[id];
            client.stats(id, oneShot, prev)
                .then(&guard, [m, measuring, previous, inFlight, id](const Result<StatsSample> &r) {
                    if (--(*inFlight)[id] == 0)
                        inFlight->remove(id);
                    if (!*measuring)
                        return;
                    if (r) {
                        ++m->samples;
                        previous->insert(id, *r);
                    } else {
                        ++m->errors;
                    }
                });
        }
    };

    const EngineCpu before = EngineCpu::now();
    if (phase.mechanism == Mechanism::Stream) {
        for (const QString &id : ids) {
            StatsStream *s = client.statsStream(id);
            ++m->requests;
            QObject::connect(s, &StatsStream::sampleReceived, &guard, [m, measuring] {
                if (*measuring)
                    ++m->samples;
            });
            QObject::connect(s, &StatsStream::finished, &guard,
                             [m, measuring](const VoidResult &r) {
                                 if (*measuring && !r)
                                     ++m->errors;
                             });
            streams << s;
        }
    } else if (phase.mechanism != Mechanism::Idle) {
        QObject::connect(&timer, &QTimer::timeout, &guard, poll);
        poll();
        timer.start(phase.intervalMs);
    }
    runFor(seconds * 1000);
    const EngineCpu after = EngineCpu::now();
    *measuring = false;
    timer.stop();
    for (const QPointer<StatsStream> &s : std::as_const(streams))
        if (s)
            s->cancel();
    // Let the last requests finish before the next mechanism starts.
    bc::test::waitUntil([&] { return inFlight->isEmpty(); }, 10000);
    m->dockerd = after.dockerdSince(before);
    m->engine = after.totalSince(before);
    return *m;
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    const qsizetype n = v.size();
    return n == 0 ? 0 : n % 2 ? v.at(n / 2) : (v.at(n / 2 - 1) + v.at(n / 2)) / 2;
}

void printHeader()
{
    std::printf("%-36s %8s %8s %11s %11s %20s\n", "mechanism", "requests", "samples", "dockerd ms",
                "engine ms", "dockerd ms/sample*");
}

void printRow(const char *name, double requests, double samples, double dockerd, double engine,
              double idleDockerd)
{
    std::printf("%-36s %8.0f %8.0f %11.0f %11.0f", name, requests, samples, dockerd * 1000,
                engine * 1000);
    if (samples > 0)
        std::printf(" %20.2f", (dockerd - idleDockerd) * 1000 / samples);
    std::printf("\n");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
        std::signal(sig, onSignal);

    int count = 10, seconds = 30, rounds = 1;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--count"))
            count = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--seconds"))
            seconds = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--rounds"))
            rounds = args[i + 1].toInt();
    }
    if (count < 1 || seconds < 1 || rounds < 1) {
        std::fprintf(stderr, "usage: bench_stats [--count N] [--seconds S] [--rounds R]\n");
        return 2;
    }
    if (!bc::test::dockerAvailable()) {
        std::fprintf(stderr, "bench_stats: no Docker engine\n");
        return 1;
    }
    int code = -1;
    bc::test::runDocker({QStringLiteral("image"), QStringLiteral("inspect"), bc::test::testImage()},
                        &code);
    if (code != 0) {
        std::fprintf(stderr, "bench_stats: %s is missing (scripts/test-images.sh builds it)\n",
                     qPrintable(bc::test::testImage()));
        return 1;
    }
    if (!EngineCpu::now().hasDockerd()) {
        std::fprintf(stderr, "bench_stats: no dockerd process in /proc\n");
        return 1;
    }

    // Removes what an earlier run left, and everything this one creates when main returns.
    const bc::test::LabelledCleanup cleanup(BenchLabel);
    std::printf("starting %d containers (%s, sleep 3600)...\n", count,
                qPrintable(bc::test::testImage()));
    QStringList ids;
    for (int i = 0; i < count && !g_interrupted; ++i) {
        QString error;
        const QString id = bc::test::runDocker(
            {QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--pull"),
             QStringLiteral("never"), QStringLiteral("--label"), bc::test::testLabel(),
             QStringLiteral("--label"), BenchLabel, QStringLiteral("--network"),
             QStringLiteral("none"), QStringLiteral("--name"),
             bc::test::uniqueName(QStringLiteral("bc-sbench")), bc::test::testImage(),
             QStringLiteral("sleep"), QStringLiteral("3600")},
            &code, &error);
        if (code != 0) {
            std::fprintf(stderr, "bench_stats: docker run: %s\n", qPrintable(error));
            return 1;
        }
        ids << id;
    }

    DockerClient client{http::Endpoint{}};
    client.http()->setMaxIdleConnections(2 * count + 8); // polls reuse their connections
    const auto version = bc::test::await(client.version(), 30000);
    if (!version) {
        std::fprintf(stderr, "bench_stats: %s\n", qPrintable(version.error().toString()));
        return 1;
    }
    std::printf("engine %s, API %s (one-shot=1 needs 1.41); letting it settle...\n",
                qPrintable(version->version), qPrintable(version->negotiatedApiVersion));
    runFor(5000);

    const int phaseCount = int(std::size(Phases));
    QList<QList<Measured>> results(phaseCount);
    for (int round = 1; round <= rounds && !g_interrupted; ++round) {
        std::printf("\n=== round %d of %d: %d running containers, %d s per mechanism ===\n", round,
                    rounds, count, seconds);
        printHeader();
        double idleDockerd = 0;
        for (int p = 0; p < phaseCount && !g_interrupted; ++p) {
            const Measured m = measure(client, ids, Phases[p], seconds);
            if (g_interrupted)
                break;
            if (m.errors > 0) {
                std::fprintf(stderr, "bench_stats: %d failed samples (%s)\n", m.errors,
                             Phases[p].name);
                return 1;
            }
            if (Phases[p].mechanism == Mechanism::Idle)
                idleDockerd = m.dockerd;
            printRow(Phases[p].name, m.requests, m.samples, m.dockerd, m.engine, idleDockerd);
            results[p] << m;
            runFor(3000); // the daemon drops its collectors of ended streams
        }
    }
    if (g_interrupted) {
        std::printf("interrupted\n");
        return 130;
    }

    std::printf("\n=== medians of %d round(s) ===\n", rounds);
    printHeader();
    QList<double> idle;
    for (const Measured &m : std::as_const(results[0]))
        idle << m.dockerd;
    const double idleDockerd = median(idle);
    for (int p = 0; p < phaseCount; ++p) {
        QList<double> requests, samples, dockerd, engine;
        for (const Measured &m : std::as_const(results[p])) {
            requests << m.requests;
            samples << m.samples;
            dockerd << m.dockerd;
            engine << m.engine;
        }
        printRow(Phases[p].name, median(requests), median(samples), median(dockerd), median(engine),
                 idleDockerd);
    }
    std::printf("* dockerd CPU above its idle baseline, per sample received\n");
    return 0;
}
