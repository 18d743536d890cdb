// `events`: the engine's event stream, followed across engine restarts.

#include "app/boxctl/enginecli.h"

#include "core/docker/eventstream.h"

#include <QDateTime>
#include <QEventLoop>
#include <QTimer>

#include <functional>
#include <optional>

using namespace bc;
using namespace bc::docker;
using namespace bc::cli::engine;
using bc::cli::Context;

namespace {

nlohmann::json labelsJson(const QMap<QString, QString> &labels)
{
    nlohmann::json j = nlohmann::json::object();
    for (auto it = labels.begin(); it != labels.end(); ++it)
        j[it.key().toStdString()] = it.value().toStdString();
    return j;
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
                  {{"Type", toStd(e.type)},
                   {"Action", toStd(e.action)},
                   {"Actor", {{"ID", toStd(e.actorId)}, {"Attributes", labelsJson(e.attributes)}}},
                   {"scope", toStd(e.scope)},
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
    const cli::Args a = cli::parseArgs(
        ctx.args, {QStringLiteral("--filter"), QStringLiteral("--since")},
        {QStringLiteral("--no-reconnect")}, {{QStringLiteral("-f"), QStringLiteral("--filter")}});
    if (!a.error.isEmpty() || !a.positional.isEmpty())
        return cli::usageError(ctx, a.error.isEmpty() ? QStringLiteral("events takes no arguments")
                                                      : a.error);
    const Result<Filters> filters = parseFilters(a.all(QStringLiteral("--filter")));
    if (!filters)
        return cli::fail(ctx, filters.error());
    qint64 since = 0;
    if (a.isSet(QStringLiteral("--since"))) {
        const Result<qint64> t = parseTime(a.value(QStringLiteral("--since")));
        if (!t)
            return cli::fail(ctx, t.error());
        since = *t;
    }
    const bool reconnect = !a.isSet(QStringLiteral("--no-reconnect"));
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

const cli::Registrar
    regEvents({QStringLiteral("events"),
               QStringLiteral("events [--filter K=V]... [--since T] [--no-reconnect]"),
               QStringLiteral("Stream engine events (follows engine restarts)"), cmdEvents});

} // namespace
