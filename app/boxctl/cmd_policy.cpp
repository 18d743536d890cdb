// boxctl keepalive: pushes a box's idle stop (and delete after stopped) past a time, like
// a "bump". Stored on the engine (core/policy/keepalive.h) so the policy service sees it
// wherever it runs.

#include "app/boxctl/activityhooks.h"
#include "app/boxctl/backendoverrides.h"
#include "app/boxctl/cli.h"

#include "core/boxes/backendfactory.h"
#include "core/boxes/boxlabels.h"
#include "core/boxes/consolesettings.h"
#include "core/docker/dockerclient.h"
#include "core/policy/boxpolicy.h"
#include "core/policy/keepalive.h"
#include "core/policy/policyservice.h"
#include "core/security/boxspec.h"
#include "core/security/validators.h"

#include <nlohmann/json.hpp>

using namespace bc;

namespace {

// The spec's duration grammar ("90", "90s", "30m", "8h", "7d"), but a keep-alive of
// nothing or of more than a year is a typing error, not a wish.
Result<qint64> parseKeepAlive(const QString &text, const QString &field)
{
    const auto v = security::BoxSpec::Policy::parseDuration(text.trimmed(), field);
    if (!v && text.trimmed().startsWith(QLatin1Char('-')))
        return v.error();
    if (!v) // the spec's own hint offers "0 = off", which is no keep-alive
        return Error(Error::Kind::Invalid,
                     QStringLiteral("%1: invalid duration %2: use e.g. \"90s\", \"30m\", \"8h\" "
                                    "or \"7d\"")
                         .arg(field, security::Validators::printable(text)));
    if (*v <= 0 || *v > 366 * 86400)
        return Error(Error::Kind::Invalid,
                     QStringLiteral("%1: must be between 1s and 366d").arg(field));
    return *v;
}

int runKeepalive(cli::Context &ctx)
{
    const cli::Args args = cli::parseArgs(ctx.args, {QStringLiteral("--for")});
    const QString forText = args.value(QStringLiteral("--for"), QStringLiteral("1h"));
    if (!args.error.isEmpty() || args.positional.size() != 1)
        return cli::usageError(ctx, args,
                               QStringLiteral("usage: boxctl keepalive BOX [--for DURATION]"));
    const QString box = args.positional.first();
    const auto secs = parseKeepAlive(forText, QStringLiteral("--for"));
    if (!secs)
        return cli::fail(ctx, secs.error());
    if (ctx.global.backend == QLatin1String("coolify"))
        return cli::fail(ctx, Error(Error::Kind::Invalid,
                                    QStringLiteral("keepalive: Coolify boxes have no engine-side "
                                                   "record; it works on Docker backends")));

    boxes::ConsoleSettings settings;
    const boxes::BackendFactory factory(settings, cli::backendOverrides(ctx));
    const auto endpoints = factory.dockerEndpoints();
    if (!endpoints)
        return cli::fail(ctx, endpoints.error());
    if (endpoints->isEmpty())
        return cli::fail(ctx, Error(Error::Kind::NotFound, QStringLiteral("no Docker engine")));
    docker::DockerClient client(endpoints->first());
    const QString backendId = QStringLiteral("docker:") + client.endpoint().toUrl();

    docker::Filters f;
    f.insert(QStringLiteral("label"), {boxes::labels::box() + QLatin1Char('=') + box});
    const auto found = cli::await(client.listContainers(true, f));
    if (!found)
        return cli::fail(ctx, found.error());
    QString containerId;
    for (const auto &c : *found)
        if (c.labels.value(boxes::labels::role(), QStringLiteral("container")) ==
            QLatin1String("container"))
            containerId = c.id;
    if (containerId.isEmpty())
        return cli::fail(ctx,
                         Error(Error::Kind::NotFound, QStringLiteral("no box named %1").arg(box)));

    const QDateTime until = QDateTime::currentDateTimeUtc().addSecs(*secs);
    QObject guard;
    const auto set = cli::await(policy::KeepAlive::set(&client, &guard, box, until));
    auto rec = activity::ActivityRecord::make(
        activity::actions::keepalive(), backendId, box,
        util::json::Json{{"for", util::json::utf8(forText)},
                         {"until", util::json::utf8(until.toString(Qt::ISODate))}});
    cli::recordActivity(ctx, rec, set ? nullptr : &set.error());
    if (!set)
        return cli::fail(ctx, set.error());

    // What now applies, by the same rule the service acts on.
    QString next;
    if (const auto c = cli::await(client.inspectContainer(containerId))) {
        policy::PolicyClock clock;
        clock.created = QDateTime::fromString(
            QString::fromStdString(c->raw.value("Created", std::string())), Qt::ISODateWithMs);
        clock.started = c->startedAt;
        clock.lastActivity = policy::PolicyService::lastActivityFrom(*c);
        clock.keepAliveUntil = until;
        clock.running = c->running;
        clock.stoppedAt = c->running ? QDateTime() : c->finishedAt;
        clock.now = QDateTime::currentDateTimeUtc();
        const auto d = policy::computeDeadlines(policy::BoxPolicy::fromLabels(c->labels), clock);
        next = policy::describeDeadline(d, clock.now);
    }
    if (ctx.global.json) {
        nlohmann::json j = {{"box", box.toStdString()},
                            {"until", until.toString(Qt::ISODate).toStdString()},
                            {"next", next.toStdString()}};
        ctx.out << QString::fromStdString(j.dump()) << Qt::endl;
    } else {
        ctx.out << box << ": kept alive until " << until.toString(Qt::ISODate);
        if (!next.isEmpty())
            ctx.out << " (" << next << ")";
        ctx.out << Qt::endl;
    }
    return 0;
}

const cli::Registrar regKeepalive(
    {QStringLiteral("keepalive"), QStringLiteral("keepalive BOX [--for DURATION] [--json]"),
     QStringLiteral("Keep a box from idle stop (and policy delete) for a while (default 1h)"),
     runKeepalive});

} // namespace
