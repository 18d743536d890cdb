// Deploy -> healthy through box-console versus the shell baseline: `docker run` of the same
// image with the same health check and hardening flags, then a `docker inspect` wait loop
// (the original plan's approach, at a 100 ms poll instead of 5 s). Prints the medians of
// several runs and their ratio (target <= 1.1x). Usage: bench_deploy [RUNS]
#include "core/boxes/boxtestsupport.h"

#include "core/boxes/dockerbackend.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace bc;
using namespace bc::boxes;
using namespace bc::test;
using namespace bc::test::boxes;

static double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n == 0 ? 0 : (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

static double shellRun(const QString &name, const security::BoxSpec &spec)
{
    const QString health = spec.healthcheck->test.at(1);
    QString script = QStringLiteral(
        "set -e\n"
        "docker run -d -q --name \"$1\" --label box-console.test=1 --user 1000:1000 --read-only "
        "--cap-drop ALL --security-opt no-new-privileges:true --init --network none "
        "--memory 128m --memory-swap 128m --cpus 0.5 --pids-limit 100 "
        "--tmpfs /tmp:rw,noexec,nosuid,size=100m "
        "-v \"$1-config:/home/coder/.config\" -v \"$1-cache:/home/coder/.cache\" -v "
        "\"$1-inbox:/home/coder/inbox\" "
        "--health-cmd \"$2\" --health-interval 500ms --health-timeout 2s --health-retries 3 "
        "--health-start-period 0s \"$3\" >/dev/null\n"
        "until [ \"$(docker inspect -f '{{.State.Health.Status}}' \"$1\")\" = healthy ]; do sleep "
        "0.1; done\n");
    QElapsedTimer t;
    t.start();
    QProcess p;
    p.start(QStringLiteral("sh"),
            {QStringLiteral("-c"), script, QStringLiteral("sh"), name, health, spec.image});
    p.waitForFinished(120000);
    const double ms = double(t.nsecsElapsed()) / 1e6;
    if (p.exitCode() != 0)
        std::fprintf(stderr, "shell run failed: %s\n", p.readAllStandardError().constData());
    runDocker({QStringLiteral("rm"), QStringLiteral("-f"), name});
    for (const char *suffix : {"-config", "-cache", "-inbox"})
        runDocker({QStringLiteral("volume"), QStringLiteral("rm"), name + QLatin1String(suffix)});
    return ms;
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, atoi(argv[1])) : 7;
    if (!dockerAvailable()) {
        std::printf("bench_deploy: no Docker engine, skipped\n");
        return 0;
    }
    QTemporaryDir state;
    qputenv("BOX_CONSOLE_STATE_DIR", state.path().toUtf8());
    LabelledCleanup guard;
    QString error;
    if (!buildAgentImage(&error)) {
        std::fprintf(stderr, "bench_deploy: %s\n", qPrintable(error));
        return 1;
    }
    DockerBackend backend(http::Endpoint{}, testOptions());
    QList<double> ours, shell;
    for (int i = 0; i < runs + 1; ++i) { // run 0 warms caches up and is not counted
        const QString a = uniqueName(QStringLiteral("bench"));
        const QString b = uniqueName(QStringLiteral("bench"));
        auto specA = agentSpec(a);
        double oursMs = 0, shellMs = 0;
        auto deployOnce = [&] {
            QElapsedTimer t;
            t.start();
            const auto r = runJob(backend.deploy(specA));
            oursMs = double(t.nsecsElapsed()) / 1e6;
            if (!r.ok())
                std::fprintf(stderr, "deploy failed: %s\n", qPrintable(r.error().toString()));
            if (const auto removed = runJob(backend.remove(a, false)); !removed.ok())
                std::fprintf(stderr, "remove failed: %s\n", qPrintable(removed.error().toString()));
        };
        // Alternate the order so that neither side always runs on a warmer engine.
        if (i % 2) {
            shellMs = shellRun(b, agentSpec(b));
            deployOnce();
        } else {
            deployOnce();
            shellMs = shellRun(b, agentSpec(b));
        }
        if (i == 0)
            continue;
        ours << oursMs;
        shell << shellMs;
        std::printf("run %d: box-console %.0f ms, docker run + inspect loop %.0f ms\n", i, oursMs,
                    shellMs);
    }
    const double mo = median(ours), ms = median(shell);
    std::printf("median deploy -> healthy: box-console %.0f ms, shell %.0f ms, ratio %.2fx (target "
                "<= 1.1x: %s)\n",
                mo, ms, mo / ms, mo / ms <= 1.1 ? "met" : "not met");
    removeLabelled();
    return 0;
}
