// `ps`: any container, boxes or not, in the docker CLI's table or as its JSON.

#include "app/boxctl/enginecli.h"

#include "core/util/jsonwriter.h"

#include <QDateTime>

using namespace bc;
using namespace bc::docker;
using namespace bc::cli::engine;
using bc::cli::Context;

namespace {

// An age in the docker CLI's words (go-units HumanDuration).
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

// A command cut to `max` characters the way the docker CLI's table cuts it.
QString ellipsis(const QString &s, int max)
{
    return s.size() <= max ? s : s.left(max - 1) + QChar(0x2026);
}

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
    const cli::Args a = cli::parseArgs(
        ctx.args, {QStringLiteral("--filter")},
        {QStringLiteral("--all"), QStringLiteral("--quiet"), QStringLiteral("--no-trunc")},
        {{QStringLiteral("-a"), QStringLiteral("--all")},
         {QStringLiteral("-f"), QStringLiteral("--filter")},
         {QStringLiteral("-q"), QStringLiteral("--quiet")}});
    if (!a.error.isEmpty() || !a.positional.isEmpty())
        return cli::usageError(ctx, a.error.isEmpty() ? QStringLiteral("ps takes no arguments")
                                                      : a.error);
    const Result<Filters> filters = parseFilters(a.all(QStringLiteral("--filter")));
    if (!filters)
        return cli::fail(ctx, filters.error());
    Error error;
    auto client = connectEngine(ctx, &error);
    if (!client)
        return cli::fail(ctx, error);
    const auto list =
        cli::await(client->listContainers(a.isSet(QStringLiteral("--all")), *filters));
    if (!list)
        return cli::fail(ctx, list.error());
    const bool noTrunc = a.isSet(QStringLiteral("--no-trunc"));
    if (a.isSet(QStringLiteral("--quiet"))) {
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
            w.value(c.labels);
            w.key("Names");
            w.value(c.names);
            w.key("Networks");
            w.value(c.networks);
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
    printDockerTable(ctx.out,
                     {QStringLiteral("CONTAINER ID"), QStringLiteral("IMAGE"),
                      QStringLiteral("COMMAND"), QStringLiteral("CREATED"),
                      QStringLiteral("STATUS"), QStringLiteral("PORTS"), QStringLiteral("NAMES")},
                     std::move(rows));
    cli::exitNow(ctx, 0);
}

const cli::Registrar regPs({QStringLiteral("ps"),
                            QStringLiteral("ps [--all|-a] [--filter K=V]... [-q]"),
                            QStringLiteral("List containers (any, not only boxes)"), cmdPs});

} // namespace
