// `stats`: resource use of running containers, once or as a live view like `docker stats`.

#include "app/boxctl/enginecli.h"

#include "core/docker/eventwatcher.h"
#include "core/docker/statssampler.h"
#include "core/http/httpclient.h"

#include <QEventLoop>
#include <QHash>
#include <QSet>
#include <QTimer>

#include <memory>
#include <optional>
#include <unistd.h>

using namespace bc;
using namespace bc::docker;
using namespace bc::cli::engine;
using bc::cli::Context;

namespace {

// Sizes in the docker CLI's units (go-units): decimal for I/O, binary for memory.

QString humanSize(double size, int precision = 4)
{
    static const char *units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    int i = 0;
    while (size >= 1000.0 && i < 5) {
        size /= 1000.0;
        ++i;
    }
    return QString::asprintf("%.*g%s", precision, size, units[i]);
}

QString bytesSize(double size)
{
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int i = 0;
    while (size >= 1024.0 && i < 5) {
        size /= 1024.0;
        ++i;
    }
    return QString::asprintf("%.4g%s", size, units[i]);
}

struct StatsRow
{
    QString id;
    QString name;
    std::optional<StatsSample> sample;
};

QStringList statsCells(const StatsRow &r)
{
    if (!r.sample)
        return {shortId(r.id),        r.name,
                QStringLiteral("--"), QStringLiteral("-- / --"),
                QStringLiteral("--"), QStringLiteral("--"),
                QStringLiteral("--"), QStringLiteral("--")};
    const StatsSample &x = *r.sample;
    return {shortId(r.id),
            r.name,
            x.cpuKnown ? QString::asprintf("%.2f%%", x.cpuPercent) : QStringLiteral("--"),
            bytesSize(double(x.memoryUsage)) + QStringLiteral(" / ") +
                bytesSize(double(x.memoryLimit)),
            QString::asprintf("%.2f%%", x.memoryPercent),
            humanSize(double(x.netRx), 3) + QStringLiteral(" / ") + humanSize(double(x.netTx), 3),
            humanSize(double(x.blockRead), 3) + QStringLiteral(" / ") +
                humanSize(double(x.blockWrite), 3),
            QString::number(x.pids)};
}

void printStats(Context &ctx, const QList<StatsRow> &rows, bool clear)
{
    if (ctx.global.json) {
        nlohmann::json arr = nlohmann::json::array();
        for (const StatsRow &r : rows) {
            nlohmann::json o = {{"ID", toStd(r.id)}, {"Name", toStd(r.name)}};
            if (r.sample) {
                const StatsSample &x = *r.sample;
                o.update({{"CPUPerc", x.cpuKnown ? nlohmann::json(x.cpuPercent) : nullptr},
                          {"MemUsage", x.memoryUsage},
                          {"MemLimit", x.memoryLimit},
                          {"MemPerc", x.memoryPercent},
                          {"NetRx", x.netRx},
                          {"NetTx", x.netTx},
                          {"BlockRead", x.blockRead},
                          {"BlockWrite", x.blockWrite},
                          {"PIDs", x.pids}});
            }
            arr.push_back(o);
        }
        writeJson(ctx.out, arr);
        return;
    }
    if (clear)
        ctx.out << "\033[2J\033[H";
    QList<QStringList> cells;
    for (const StatsRow &r : rows)
        cells << statsCells(r);
    printDockerTable(ctx.out,
                     {QStringLiteral("CONTAINER ID"), QStringLiteral("NAME"),
                      QStringLiteral("CPU %"), QStringLiteral("MEM USAGE / LIMIT"),
                      QStringLiteral("MEM %"), QStringLiteral("NET I/O"),
                      QStringLiteral("BLOCK I/O"), QStringLiteral("PIDS")},
                     cells);
}

// Targets: the named containers, or every running one.
Result<QList<StatsRow>> statsTargets(DockerClient &client, const QStringList &names, bool all)
{
    QList<StatsRow> rows;
    if (!names.isEmpty()) {
        for (const QString &n : names)
            rows << StatsRow{n, n, std::nullopt};
        return rows;
    }
    const auto list = cli::await(client.listContainers(all));
    if (!list)
        return list.error();
    for (const ContainerSummary &c : *list)
        rows << StatsRow{c.id, c.name(), std::nullopt};
    return rows;
}

int statsOnce(Context &ctx, DockerClient &client, const QStringList &names, bool all)
{
    Result<QList<StatsRow>> targets = statsTargets(client, names, all);
    if (!targets)
        return cli::fail(ctx, targets.error());
    QList<StatsRow> rows = targets.value();
    // Two samples a collection cycle apart, taken by the daemon (stream=false without
    // one-shot), exactly as `docker stats --no-stream`; all containers in parallel.
    QList<QFuture<Result<StatsSample>>> futures;
    for (const StatsRow &r : rows)
        futures << client.stats(r.id, false);
    int status = 0;
    for (int i = 0; i < rows.size(); ++i) {
        const Result<StatsSample> sample = cli::await(futures.at(i));
        if (sample) {
            rows[i].sample = *sample;
            if (!sample->name.isEmpty())
                rows[i].name =
                    sample->name.startsWith(QLatin1Char('/')) ? sample->name.mid(1) : sample->name;
            if (!sample->id.isEmpty())
                rows[i].id = sample->id;
        } else if (!names.isEmpty()) {
            ctx.err << "boxctl: " << sample.error().toString() << Qt::endl;
            status = 1;
        }
    }
    printStats(ctx, rows, false);
    return status;
}

// A one-shot sample costs the engine about 1.3x a streamed one (measured: 2.4 vs 1.8 ms
// of engine CPU), so 3 s keeps a live view under half of `docker stats`'s cost while
// refreshing faster than the GUI consoles' usual 5 s (Portainer, Docker Desktop, Dockge).
constexpr int DefaultLiveStatsIntervalMs = 3000;

// Live view. The docker CLI keeps one stats stream per container open: the daemon then
// samples every container every second and encodes a document per stream. At the default
// refresh the sampler polls with one-shot requests instead, which costs the engine a
// fraction of that (with --interval below StatsSampler::StreamBelowMs it streams, the
// cheaper way at that rate); the list of running containers follows the event stream.
int statsLive(Context &ctx, DockerClient &client, const QStringList &names, bool all,
              int intervalMs)
{
    StatsSampler sampler(&client);
    sampler.setInterval(intervalMs);
    QHash<QString, StatsSample> latest;
    QHash<QString, QString> nameOf;
    const bool clear = isatty(STDOUT_FILENO) && !ctx.global.json;
    QEventLoop loop;
    int status = 0;
    QTimer timer;
    timer.setInterval(intervalMs);
    bool inRound = false;
    // The set of running containers follows the event stream instead of a list request
    // every round: a list of 100 containers costs the daemon more than an idle stream.
    bool targetsDirty = true;
    QList<StatsRow> cachedTargets;
    EventWatcher watcher(&client, {{QStringLiteral("type"), {QStringLiteral("container")}}});
    QObject::connect(&watcher, &EventWatcher::resyncNeeded, &loop, [&] { targetsDirty = true; });
    QObject::connect(&watcher, &EventWatcher::disconnected, &loop, [&] { targetsDirty = true; });
    QObject::connect(&watcher, &EventWatcher::eventReceived, &loop, [&](const Event &e) {
        static const QSet<QString> changes{QStringLiteral("start"),   QStringLiteral("die"),
                                           QStringLiteral("destroy"), QStringLiteral("rename"),
                                           QStringLiteral("pause"),   QStringLiteral("unpause")};
        if (changes.contains(e.action))
            targetsDirty = true;
    });
    if (names.isEmpty())
        watcher.start();
    auto round = [&] {
        if (inRound)
            return; // the previous round is still out; skip a beat rather than pile up
        inRound = true;
        if (targetsDirty || !names.isEmpty()) {
            // Events told us the set changed (or this is the first round): list again.
            targetsDirty = false;
            Result<QList<StatsRow>> targets = statsTargets(client, names, all);
            if (!targets) {
                ctx.err << "boxctl: " << targets.error().toString() << Qt::endl;
                status = 1;
                loop.quit();
                return;
            }
            cachedTargets = targets.value();
        }
        auto rows = std::make_shared<QList<StatsRow>>(cachedTargets);
        auto pending = std::make_shared<int>(int(rows->size()));
        auto render = [&, rows] {
            for (StatsRow &r : *rows) {
                if (latest.contains(r.id))
                    r.sample = latest.value(r.id);
                if (nameOf.contains(r.id))
                    r.name = nameOf.value(r.id);
            }
            printStats(ctx, *rows, clear);
            inRound = false;
        };
        if (rows->isEmpty()) {
            render();
            return;
        }
        // Forget containers that went away so the table does not keep stale rows.
        QSet<QString> live;
        for (const StatsRow &r : *rows)
            live.insert(r.id);
        sampler.keepOnly(live);
        latest.removeIf([&live](const auto &it) { return !live.contains(it.key()); });
        for (const StatsRow &r : *rows) {
            const QString id = r.id;
            sampler.sample(id).then(
                &client, [&, id, pending, render](const Result<StatsSample> &x) {
                    if (x) {
                        const StatsSample &sample = *x;
                        latest.insert(id, sample);
                        if (!sample.name.isEmpty())
                            nameOf.insert(id, sample.name.startsWith(QLatin1Char('/'))
                                                  ? sample.name.mid(1)
                                                  : sample.name);
                    } else {
                        latest.remove(id);
                    }
                    if (--*pending == 0)
                        render();
                });
        }
    };
    QObject::connect(&timer, &QTimer::timeout, &loop, round);
    // A first sample right away, then a second one a short beat later so CPU % shows
    // without waiting a whole interval.
    round();
    QTimer::singleShot(std::min(intervalMs, 1000), &loop, [&] {
        round();
        timer.start();
    });
    loop.exec();
    return status;
}

int cmdStats(Context &ctx)
{
    const cli::Args a = cli::parseArgs(ctx.args, {QStringLiteral("--interval")},
                                       {QStringLiteral("--no-stream"), QStringLiteral("--all")},
                                       {{QStringLiteral("-a"), QStringLiteral("--all")}});
    if (!a.error.isEmpty())
        return cli::usageError(ctx, a.error);
    bool okInterval = true;
    const int interval = a.isSet(QStringLiteral("--interval"))
                             ? a.value(QStringLiteral("--interval")).toInt(&okInterval)
                             : DefaultLiveStatsIntervalMs;
    if (!okInterval || interval < 200)
        return cli::usageError(ctx, QStringLiteral("--interval takes milliseconds (>= 200)"));
    Error error;
    auto client = connectEngine(ctx, &error);
    if (!client)
        return cli::fail(ctx, error);
    // Many short requests at once: keep their connections for the next round.
    client->http()->setMaxIdleConnections(256);
    const bool all = a.isSet(QStringLiteral("--all"));
    if (a.isSet(QStringLiteral("--no-stream")))
        return statsOnce(ctx, *client, a.positional, all);
    return statsLive(ctx, *client, a.positional, all, interval);
}

const cli::Registrar regStats({QStringLiteral("stats"),
                               QStringLiteral("stats [--no-stream] [--interval MS] [NAME...]"),
                               QStringLiteral("Resource use of running containers"), cmdStats});

} // namespace
