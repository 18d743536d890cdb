// Engine-level commands (any container, boxes or not), shaped like the docker CLI's:
// version, ps, stats, events, logs, build.

#include "app/boxctl/cli.h"

#include "core/docker/buildjob.h"
#include "core/docker/buildoptions.h"
#include "core/docker/dockerclient.h"
#include "core/docker/endpointresolver.h"
#include "core/docker/eventstream.h"
#include "core/docker/eventwatcher.h"
#include "core/docker/logoptions.h"
#include "core/docker/logstream.h"
#include "core/http/httpclient.h"
#include "core/util/jsonwriter.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <optional>

#include <unistd.h>

using namespace bc;
using namespace bc::docker;
using bc::cli::Context;

namespace {

// ---- connection

std::unique_ptr<DockerClient> connectEngine(Context &ctx, Error *error)
{
    Result<ResolvedEndpoint> resolved =
        EndpointResolver::resolve(ResolveInputs::fromProcess(ctx.global.host, ctx.global.context));
    if (!resolved) {
        *error = resolved.error();
        return nullptr;
    }
    for (const QString &w : resolved->warnings)
        ctx.err << "boxctl: warning: " << w << Qt::endl;
    auto client = std::make_unique<DockerClient>(resolved->endpoint);
    const QByteArray pinned = qgetenv("DOCKER_API_VERSION");
    if (!pinned.isEmpty())
        client->setApiVersion(QString::fromLatin1(pinned));
    return client;
}

// ---- argument helpers

struct Args
{
    QStringList positional;
    QMultiMap<QString, QString> values; // --flag VALUE / --flag=VALUE
    QSet<QString> flags;                // --flag
    QString bad;                        // first unknown option
};

// `valued` lists options that take a value; `boolean` those that do not. Short aliases
// are mapped by the caller through `aliases`.
Args parseArgs(const QStringList &in, const QStringList &valued, const QStringList &boolean,
               const QMap<QString, QString> &aliases = {})
{
    Args a;
    // Combined short flags as the docker CLI takes them: -aq is -a -q.
    QStringList expanded;
    for (const QString &arg : in) {
        bool combined = arg.size() > 2 && arg.startsWith(QLatin1Char('-')) &&
                        !arg.startsWith(QLatin1String("--"));
        for (int k = 1; combined && k < arg.size(); ++k)
            combined = boolean.contains(aliases.value(QStringLiteral("-") + arg.at(k)));
        if (combined) {
            for (int k = 1; k < arg.size(); ++k)
                expanded << QStringLiteral("-") + arg.at(k);
        } else {
            expanded << arg;
        }
    }
    for (int i = 0; i < expanded.size(); ++i) {
        QString arg = expanded.at(i);
        QString value;
        bool hasValue = false;
        if (arg.startsWith(QLatin1String("--")) && arg.contains(QLatin1Char('='))) {
            value = arg.mid(arg.indexOf(QLatin1Char('=')) + 1);
            arg = arg.left(arg.indexOf(QLatin1Char('=')));
            hasValue = true;
        }
        arg = aliases.value(arg, arg);
        if (valued.contains(arg)) {
            if (!hasValue) {
                if (i + 1 >= expanded.size()) {
                    a.bad = arg + QStringLiteral(" needs a value");
                    return a;
                }
                value = expanded.at(++i);
            }
            a.values.insert(arg, value);
        } else if (boolean.contains(arg) && !hasValue) {
            a.flags.insert(arg);
        } else if (arg.startsWith(QLatin1Char('-')) && arg.size() > 1) {
            a.bad = QStringLiteral("unknown option %1").arg(arg);
            return a;
        } else {
            a.positional << expanded.at(i);
        }
    }
    return a;
}

Result<Filters> parseFilters(const QStringList &specs)
{
    Filters f;
    for (const QString &s : specs) {
        const int eq = int(s.indexOf(QLatin1Char('=')));
        if (eq <= 0)
            return Error(
                Error::Kind::Invalid,
                QStringLiteral("bad filter '%1': expected KEY=VALUE, e.g. label=box-console.test=1")
                    .arg(s));
        f[s.left(eq)].append(s.mid(eq + 1));
    }
    return f;
}

// ---- formatting like the docker CLI (go-units)

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

QString humanDuration(qint64 seconds)
{
    if (seconds < 1)
        return QStringLiteral("Less than a second");
    if (seconds == 1)
        return QStringLiteral("1 second");
    if (seconds < 60)
        return QStringLiteral("%1 seconds").arg(seconds);
    const qint64 minutes = seconds / 60;
    if (minutes == 1)
        return QStringLiteral("About a minute");
    if (minutes < 60)
        return QStringLiteral("%1 minutes").arg(minutes);
    const qint64 hours = qint64(double(seconds) / 3600.0 + 0.5);
    if (hours == 1)
        return QStringLiteral("About an hour");
    if (hours < 48)
        return QStringLiteral("%1 hours").arg(hours);
    if (hours < 24 * 7 * 2)
        return QStringLiteral("%1 days").arg(hours / 24);
    if (hours < 24 * 30 * 2)
        return QStringLiteral("%1 weeks").arg(hours / 24 / 7);
    if (hours < 24 * 365 * 2)
        return QStringLiteral("%1 months").arg(hours / 24 / 30);
    return QStringLiteral("%1 years").arg(hours / 24 / 365);
}

QString ellipsis(const QString &s, int max)
{
    return s.size() <= max ? s : s.left(max - 1) + QChar(0x2026);
}

// Columns padded like text/tabwriter with padding 3, the last one unpadded.
void printTable(QTextStream &out, const QStringList &header, const QList<QStringList> &rows)
{
    QList<int> widths;
    for (const QString &h : header)
        widths << int(h.size());
    for (const QStringList &r : rows)
        for (int i = 0; i < r.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], int(r.at(i).size()));
    auto line = [&](const QStringList &cells) {
        QString text;
        for (int i = 0; i < cells.size(); ++i)
            text += i + 1 < cells.size() ? cells.at(i).leftJustified(widths[i] + 3) : cells.at(i);
        out << text << '\n';
    };
    line(header);
    for (const QStringList &r : rows)
        line(r);
    out.flush();
}

QString shortId(QString id)
{
    if (id.startsWith(QLatin1String("sha256:")))
        id = id.mid(7);
    return id.left(12);
}

void writeJson(QTextStream &out, const nlohmann::json &j)
{
    out << QString::fromStdString(j.dump()) << '\n';
    out.flush();
}

nlohmann::json labelsJson(const QMap<QString, QString> &labels)
{
    nlohmann::json j = nlohmann::json::object();
    for (auto it = labels.begin(); it != labels.end(); ++it)
        j[it.key().toStdString()] = it.value().toStdString();
    return j;
}

std::string s(const QString &q)
{
    return q.toStdString();
}

// ---- version

QString clientVersion()
{
    const QString v = QCoreApplication::applicationVersion();
    return v.isEmpty() ? QStringLiteral("dev") : v;
}

int cmdVersion(Context &ctx)
{
    Error error;
    auto client = connectEngine(ctx, &error);
    if (!client)
        return cli::fail(ctx, error);
    const Result<VersionInfo> v = cli::await(client->version());
    if (!v)
        return cli::fail(ctx, v.error());
    if (ctx.global.json) {
        writeJson(ctx.out, {{"Client",
                             {{"Version", s(clientVersion())},
                              {"MaxApiVersion", DockerClient::MaxApiVersion},
                              {"ApiVersion", s(v->negotiatedApiVersion)},
                              {"Endpoint", s(client->endpoint().toUrl())}}},
                            {"Server",
                             {{"Version", s(v->version)},
                              {"ApiVersion", s(v->apiVersion)},
                              {"MinAPIVersion", s(v->minApiVersion)},
                              {"Os", s(v->os)},
                              {"Arch", s(v->arch)},
                              {"KernelVersion", s(v->kernelVersion)}}}});
        return 0;
    }
    ctx.out << "Client:\n"
            << " Version:           " << clientVersion() << " (boxctl)\n"
            << " API version:       " << v->negotiatedApiVersion << " (max "
            << DockerClient::MaxApiVersion << ")\n"
            << " Endpoint:          " << client->endpoint().toUrl() << "\n\n"
            << "Server:\n"
            << " Engine version:    " << v->version << '\n'
            << " API version:       " << v->apiVersion << " (minimum version " << v->minApiVersion
            << ")\n"
            << " OS/Arch:           " << v->os << '/' << v->arch << '\n'
            << " Kernel version:    " << v->kernelVersion << '\n';
    ctx.out.flush();
    return 0;
}

// ---- ps

QString portsText(const QList<PortBinding> &ports)
{
    QStringList parts;
    for (const PortBinding &p : ports) {
        if (p.publicPort > 0)
            parts << QStringLiteral("%1:%2->%3/%4")
                         .arg(p.ip.isEmpty() ? QStringLiteral("0.0.0.0") : p.ip)
                         .arg(p.publicPort)
                         .arg(p.privatePort)
                         .arg(p.type);
        else
            parts << QStringLiteral("%1/%2").arg(p.privatePort).arg(p.type);
    }
    return parts.join(QStringLiteral(", "));
}

int cmdPs(Context &ctx)
{
    const Args a = parseArgs(
        ctx.args, {QStringLiteral("--filter")},
        {QStringLiteral("--all"), QStringLiteral("--quiet"), QStringLiteral("--no-trunc")},
        {{QStringLiteral("-a"), QStringLiteral("--all")},
         {QStringLiteral("-f"), QStringLiteral("--filter")},
         {QStringLiteral("-q"), QStringLiteral("--quiet")}});
    if (!a.bad.isEmpty() || !a.positional.isEmpty())
        return cli::usageError(ctx,
                               a.bad.isEmpty() ? QStringLiteral("ps takes no arguments") : a.bad);
    const Result<Filters> filters = parseFilters(a.values.values(QStringLiteral("--filter")));
    if (!filters)
        return cli::fail(ctx, filters.error());
    Error error;
    auto client = connectEngine(ctx, &error);
    if (!client)
        return cli::fail(ctx, error);
    const auto list =
        cli::await(client->listContainers(a.flags.contains(QStringLiteral("--all")), *filters));
    if (!list)
        return cli::fail(ctx, list.error());
    const bool noTrunc = a.flags.contains(QStringLiteral("--no-trunc"));
    if (a.flags.contains(QStringLiteral("--quiet"))) {
        for (const ContainerSummary &c : *list)
            ctx.out << (noTrunc ? c.id : shortId(c.id)) << '\n';
        cli::exitNow(ctx, 0);
    }
    if (ctx.global.json) {
        // Written from the records as they are, keys in nlohmann's (sorted) order: the same
        // text a dump of a document would give, without building one.
        JsonWriter w;
        w.reserve(std::size_t(list->size()) * 640);
        w.beginArray();
        for (const ContainerSummary &c : *list) {
            w.beginObject();
            w.key("Command");
            w.value(c.command);
            w.key("Created");
            w.value(std::int64_t(c.created));
            w.key("Id");
            w.value(c.id);
            w.key("Image");
            w.value(c.image);
            w.key("ImageID");
            w.value(c.imageId);
            w.key("Labels");
            w.beginObject();
            for (auto it = c.labels.cbegin(); it != c.labels.cend(); ++it) {
                w.key(it.key());
                w.value(it.value());
            }
            w.endObject();
            w.key("Names");
            w.beginArray();
            for (const QString &n : c.names)
                w.value(n);
            w.endArray();
            w.key("Networks");
            w.beginArray();
            for (const QString &n : c.networks)
                w.value(n);
            w.endArray();
            w.key("Ports");
            w.beginArray();
            for (const PortBinding &p : c.ports) {
                w.beginObject();
                w.key("IP");
                w.value(p.ip);
                w.key("PrivatePort");
                w.value(p.privatePort);
                w.key("PublicPort");
                w.value(p.publicPort);
                w.key("Type");
                w.value(p.type);
                w.endObject();
            }
            w.endArray();
            w.key("State");
            w.value(c.state);
            w.key("Status");
            w.value(c.status);
            w.endObject();
        }
        w.endArray();
        std::string text = w.take();
        text += '\n';
        cli::writeUtf8(ctx.out, text);
        cli::exitNow(ctx, 0);
    }
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QList<QStringList> rows;
    for (const ContainerSummary &c : *list) {
        rows << QStringList{noTrunc ? c.id : shortId(c.id),
                            c.image,
                            QLatin1Char('"') + (noTrunc ? c.command : ellipsis(c.command, 20)) +
                                QLatin1Char('"'),
                            humanDuration(now - c.created) + QStringLiteral(" ago"),
                            c.status,
                            portsText(c.ports),
                            c.names.join(QLatin1Char(','))};
    }
    printTable(ctx.out,
               {QStringLiteral("CONTAINER ID"), QStringLiteral("IMAGE"), QStringLiteral("COMMAND"),
                QStringLiteral("CREATED"), QStringLiteral("STATUS"), QStringLiteral("PORTS"),
                QStringLiteral("NAMES")},
               rows);
    cli::exitNow(ctx, 0);
}

// ---- stats

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
            QString::asprintf("%.2f%%", x.cpuPercent),
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
            nlohmann::json o = {{"ID", s(r.id)}, {"Name", s(r.name)}};
            if (r.sample) {
                const StatsSample &x = *r.sample;
                o.update({{"CPUPerc", x.cpuPercent},
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
    printTable(ctx.out,
               {QStringLiteral("CONTAINER ID"), QStringLiteral("NAME"), QStringLiteral("CPU %"),
                QStringLiteral("MEM USAGE / LIMIT"), QStringLiteral("MEM %"),
                QStringLiteral("NET I/O"), QStringLiteral("BLOCK I/O"), QStringLiteral("PIDS")},
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
// samples every container every second and encodes a document per stream. Polling with
// one-shot requests at the refresh interval (CPU % from our own previous sample) costs
// the engine a fraction of that, and the list of running containers comes along with it.
int statsLive(Context &ctx, DockerClient &client, const QStringList &names, bool all,
              int intervalMs)
{
    QHash<QString, StatsSample> previous;
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
                if (previous.contains(r.id))
                    r.sample = previous.value(r.id);
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
        for (auto it = previous.begin(); it != previous.end();)
            it = live.contains(it.key()) ? std::next(it) : previous.erase(it);
        for (const StatsRow &r : *rows) {
            const QString id = r.id;
            const StatsSample *prev = previous.contains(id) ? &previous[id] : nullptr;
            client.stats(id, true, prev)
                .then(&client, [&, id, pending, render](const Result<StatsSample> &x) {
                    if (x) {
                        StatsSample sample = *x;
                        // The first one-shot sample has no precpu: its CPU % is unknown, not 0.
                        previous.insert(id, sample);
                        if (!sample.name.isEmpty())
                            nameOf.insert(id, sample.name.startsWith(QLatin1Char('/'))
                                                  ? sample.name.mid(1)
                                                  : sample.name);
                    } else {
                        previous.remove(id);
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
    const Args a = parseArgs(ctx.args, {QStringLiteral("--interval")},
                             {QStringLiteral("--no-stream"), QStringLiteral("--all")},
                             {{QStringLiteral("-a"), QStringLiteral("--all")}});
    if (!a.bad.isEmpty())
        return cli::usageError(ctx, a.bad);
    bool okInterval = true;
    const int interval = a.values.contains(QStringLiteral("--interval"))
                             ? a.values.value(QStringLiteral("--interval")).toInt(&okInterval)
                             : DefaultLiveStatsIntervalMs;
    if (!okInterval || interval < 200)
        return cli::usageError(ctx, QStringLiteral("--interval takes milliseconds (>= 200)"));
    Error error;
    auto client = connectEngine(ctx, &error);
    if (!client)
        return cli::fail(ctx, error);
    // Many short requests at once: keep their connections for the next round.
    client->http()->setMaxIdleConnections(256);
    const bool all = a.flags.contains(QStringLiteral("--all"));
    if (a.flags.contains(QStringLiteral("--no-stream")))
        return statsOnce(ctx, *client, a.positional, all);
    return statsLive(ctx, *client, a.positional, all, interval);
}

// ---- events

Result<qint64> parseTime(const QString &text)
{
    bool ok = false;
    const double secs = text.toDouble(&ok);
    if (ok)
        return qint64(secs * 1e9);
    static const QRegularExpression duration(QStringLiteral("^(\\d+)(s|m|h)$"));
    const auto m = duration.match(text);
    if (m.hasMatch()) {
        const qint64 n = m.captured(1).toLongLong();
        const qint64 unit = m.captured(2) == QLatin1String("s")   ? 1
                            : m.captured(2) == QLatin1String("m") ? 60
                                                                  : 3600;
        return (QDateTime::currentSecsSinceEpoch() - n * unit) * 1000000000LL;
    }
    const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (t.isValid())
        return t.toMSecsSinceEpoch() * 1000000LL;
    return Error(Error::Kind::Invalid,
                 QStringLiteral("bad time '%1': use unix seconds, RFC 3339 or a duration like 10m")
                     .arg(text));
}

QString eventTime(qint64 ns)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ns / 1000000, Qt::UTC);
    return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.")) +
           QString::number(ns % 1000000000LL).rightJustified(9, QLatin1Char('0')) +
           QLatin1Char('Z');
}

void printEvent(Context &ctx, const Event &e)
{
    if (ctx.global.json) {
        writeJson(ctx.out,
                  {{"Type", s(e.type)},
                   {"Action", s(e.action)},
                   {"Actor", {{"ID", s(e.actorId)}, {"Attributes", labelsJson(e.attributes)}}},
                   {"scope", s(e.scope)},
                   {"time", e.timeNano / 1000000000LL},
                   {"timeNano", e.timeNano}});
        return;
    }
    QStringList attrs;
    for (auto it = e.attributes.begin(); it != e.attributes.end(); ++it)
        attrs << it.key() + QLatin1Char('=') + it.value();
    ctx.out << eventTime(e.timeNano) << ' ' << e.type << ' ' << e.action << ' ' << e.actorId;
    if (!attrs.isEmpty())
        ctx.out << " (" << attrs.join(QStringLiteral(", ")) << ')';
    ctx.out << '\n';
    ctx.out.flush();
}

// Follows the engine across restarts: when the stream is lost it says so on stderr, retries
// with backoff, and resumes from the last event seen (since= is inclusive, so that one is
// dropped once). The daemon keeps only recent events in memory, so what happened while it
// was down is gone: the notice says so. --no-reconnect ends on disconnect, as docker does.
int cmdEvents(Context &ctx)
{
    const Args a = parseArgs(ctx.args, {QStringLiteral("--filter"), QStringLiteral("--since")},
                             {QStringLiteral("--no-reconnect")},
                             {{QStringLiteral("-f"), QStringLiteral("--filter")}});
    if (!a.bad.isEmpty() || !a.positional.isEmpty())
        return cli::usageError(ctx, a.bad.isEmpty() ? QStringLiteral("events takes no arguments")
                                                    : a.bad);
    const Result<Filters> filters = parseFilters(a.values.values(QStringLiteral("--filter")));
    if (!filters)
        return cli::fail(ctx, filters.error());
    qint64 since = 0;
    if (a.values.contains(QStringLiteral("--since"))) {
        const Result<qint64> t = parseTime(a.values.value(QStringLiteral("--since")));
        if (!t)
            return cli::fail(ctx, t.error());
        since = *t;
    }
    const bool reconnect = !a.flags.contains(QStringLiteral("--no-reconnect"));
    Error error;
    auto client = connectEngine(ctx, &error);
    if (!client)
        return cli::fail(ctx, error);

    QEventLoop loop;
    std::optional<VoidResult> result;
    qint64 lastNano = 0;
    bool everConnected = false;
    bool connected = false;
    constexpr int InitialBackoffMs = 250;
    constexpr int MaxBackoffMs = 4000;
    int backoffMs = InitialBackoffMs;
    QTimer retry;
    retry.setSingleShot(true);
    std::function<void()> connectNow = [&] {
        if (everConnected)
            client->resetNegotiation(); // the engine may have been upgraded meanwhile
        EventStream *stream = client->events(*filters, lastNano > 0 ? lastNano : since);
        QObject::connect(stream, &EventStream::connected, &loop, [&] {
            if (everConnected) {
                ctx.err << "boxctl: reconnected to the engine; events while it was away are "
                           "not in its history and are missing"
                        << Qt::endl;
            }
            everConnected = true;
            connected = true;
            backoffMs = InitialBackoffMs;
        });
        QObject::connect(stream, &EventStream::eventReceived, &loop, [&](const Event &e) {
            if (e.timeNano != 0 && e.timeNano <= lastNano)
                return;
            lastNano = std::max(lastNano, e.timeNano);
            printEvent(ctx, e);
        });
        QObject::connect(stream, &EventStream::finished, &loop, [&](const VoidResult &r) {
            const bool wasConnected = connected;
            connected = false;
            if (!everConnected || !reconnect) {
                result = r;
                loop.quit();
                return;
            }
            if (wasConnected) {
                ctx.err << "boxctl: lost the engine ("
                        << (r ? QStringLiteral("the daemon closed the event stream")
                              : r.error().toString())
                        << "); reconnecting" << Qt::endl;
            }
            retry.start(backoffMs);
            backoffMs = std::min(MaxBackoffMs, backoffMs * 2);
        });
    };
    QObject::connect(&retry, &QTimer::timeout, &loop, [&] { connectNow(); });
    connectNow();
    loop.exec();
    if (result && !*result)
        return cli::fail(ctx, result->error());
    return 0;
}

// ---- logs

int cmdLogs(Context &ctx)
{
    const Args a = parseArgs(ctx.args, {QStringLiteral("--tail"), QStringLiteral("--since")},
                             {QStringLiteral("--follow"), QStringLiteral("--timestamps")},
                             {{QStringLiteral("-f"), QStringLiteral("--follow")},
                              {QStringLiteral("-t"), QStringLiteral("--timestamps")},
                              {QStringLiteral("-n"), QStringLiteral("--tail")}});
    if (!a.bad.isEmpty())
        return cli::usageError(ctx, a.bad);
    if (a.positional.size() != 1)
        return cli::usageError(ctx, QStringLiteral("usage: boxctl logs NAME [-f] [--tail N] [-t]"));
    LogOptions options;
    options.follow = a.flags.contains(QStringLiteral("--follow"));
    options.timestamps = a.flags.contains(QStringLiteral("--timestamps"));
    if (a.values.contains(QStringLiteral("--tail"))) {
        const QString t = a.values.value(QStringLiteral("--tail"));
        bool ok = true;
        options.tail = t == QLatin1String("all") ? -1 : t.toInt(&ok);
        if (!ok || options.tail < -1)
            return cli::usageError(ctx, QStringLiteral("--tail takes a number or 'all'"));
    }
    if (a.values.contains(QStringLiteral("--since"))) {
        const Result<qint64> t = parseTime(a.values.value(QStringLiteral("--since")));
        if (!t)
            return cli::fail(ctx, t.error());
        options.since = *t / 1000000000LL;
    }
    Error error;
    auto client = connectEngine(ctx, &error);
    if (!client)
        return cli::fail(ctx, error);
    ctx.out.flush();
    LogStream *stream = client->logs(a.positional.first(), options);
    QEventLoop loop;
    std::optional<VoidResult> result;
    QObject::connect(stream, &LogStream::linesReceived, &loop, [&](const QList<LogLine> &lines) {
        for (const LogLine &l : lines) {
            FILE *f = l.stream == LogLine::Stream::Stderr || l.stream == LogLine::Stream::System
                          ? stderr
                          : stdout;
            std::fwrite(l.text.constData(), 1, size_t(l.text.size()), f);
            std::fflush(f);
        }
    });
    QObject::connect(stream, &LogStream::finished, &loop, [&](const VoidResult &r) {
        result = r;
        loop.quit();
    });
    loop.exec();
    if (result && !*result)
        return cli::fail(ctx, result->error());
    return 0;
}

// ---- build

int cmdBuild(Context &ctx)
{
    const Args a =
        parseArgs(ctx.args,
                  {QStringLiteral("--context"), QStringLiteral("--file"), QStringLiteral("--tag"),
                   QStringLiteral("--build-arg"), QStringLiteral("--label")},
                  {QStringLiteral("--no-cache"), QStringLiteral("--quiet")},
                  {{QStringLiteral("-f"), QStringLiteral("--file")},
                   {QStringLiteral("-t"), QStringLiteral("--tag")},
                   {QStringLiteral("-q"), QStringLiteral("--quiet")}});
    if (!a.bad.isEmpty())
        return cli::usageError(ctx, a.bad);
    BuildOptions options;
    options.contextDir = a.values.value(QStringLiteral("--context"));
    if (options.contextDir.isEmpty() && a.positional.size() == 1)
        options.contextDir = a.positional.first();
    if (options.contextDir.isEmpty())
        return cli::usageError(
            ctx, QStringLiteral("usage: boxctl build --context DIR [--file Dockerfile] --tag TAG"));
    options.dockerfile = a.values.value(QStringLiteral("--file"));
    options.tags = a.values.values(QStringLiteral("--tag"));
    std::reverse(options.tags.begin(), options.tags.end()); // QMultiMap: newest first
    for (const QString &kv : a.values.values(QStringLiteral("--build-arg"))) {
        const int eq = int(kv.indexOf(QLatin1Char('=')));
        if (eq <= 0)
            return cli::usageError(ctx, QStringLiteral("--build-arg takes KEY=VALUE"));
        options.buildArgs.insert(kv.left(eq), kv.mid(eq + 1));
    }
    for (const QString &kv : a.values.values(QStringLiteral("--label"))) {
        const int eq = int(kv.indexOf(QLatin1Char('=')));
        if (eq <= 0)
            return cli::usageError(ctx, QStringLiteral("--label takes KEY=VALUE"));
        options.labels.insert(kv.left(eq), kv.mid(eq + 1));
    }
    options.noCache = a.flags.contains(QStringLiteral("--no-cache"));
    Error error;
    auto client = connectEngine(ctx, &error);
    if (!client)
        return cli::fail(ctx, error);
    const bool quiet = a.flags.contains(QStringLiteral("--quiet"));
    BuildJob *job = client->build(options);
    QEventLoop loop;
    std::optional<Result<QString>> result;
    QObject::connect(job, &BuildJob::output, &loop, [&](const QString &text) {
        if (!quiet) {
            ctx.err << text;
            ctx.err.flush();
        }
    });
    QObject::connect(job, &BuildJob::finished, &loop, [&](const Result<QString> &r) {
        result = r;
        loop.quit();
    });
    loop.exec();
    if (!result)
        return cli::fail(ctx, Error(Error::Kind::Cancelled, QStringLiteral("build abandoned")));
    if (!*result)
        return cli::fail(ctx, result->error());
    if (ctx.global.json)
        writeJson(ctx.out, {{"ID", s(result->value())}, {"Tags", [&] {
                                                             nlohmann::json t =
                                                                 nlohmann::json::array();
                                                             for (const QString &tag : options.tags)
                                                                 t.push_back(s(tag));
                                                             return t;
                                                         }()}});
    else
        ctx.out << result->value() << Qt::endl;
    return 0;
}

const cli::Registrar regVersion({QStringLiteral("version"), QStringLiteral("version"),
                                 QStringLiteral("Show the Docker engine's and boxctl's versions"),
                                 cmdVersion});
const cli::Registrar regPs({QStringLiteral("ps"),
                            QStringLiteral("ps [--all|-a] [--filter K=V]... [-q]"),
                            QStringLiteral("List containers (any, not only boxes)"), cmdPs});
const cli::Registrar regStats({QStringLiteral("stats"),
                               QStringLiteral("stats [--no-stream] [--interval MS] [NAME...]"),
                               QStringLiteral("Resource use of running containers"), cmdStats});
const cli::Registrar
    regEvents({QStringLiteral("events"),
               QStringLiteral("events [--filter K=V]... [--since T] [--no-reconnect]"),
               QStringLiteral("Stream engine events (follows engine restarts)"), cmdEvents});
const cli::Registrar regLogs({QStringLiteral("logs"),
                              QStringLiteral("logs NAME [-f] [--tail N] [-t]"),
                              QStringLiteral("Print a container's logs"), cmdLogs});
const cli::Registrar
    regBuild({QStringLiteral("build"), QStringLiteral("build --context DIR [--file F] --tag TAG"),
              QStringLiteral("Build an image (classic builder, offline)"), cmdBuild});

} // namespace
