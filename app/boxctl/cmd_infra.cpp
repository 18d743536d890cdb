// boxctl commands for the generators of core/infra: egress proxy configs, the box side of
// the egress policy, the egress log, Traefik labels and skill Dockerfiles. None of them
// touches an engine, so they also serve a proxy on another host (a Coolify server).
#include "app/boxctl/cli.h"

#include "core/boxes/consolesettings.h"
#include "core/infra/boxegressenvironment.h"
#include "core/infra/egressgrants.h"
#include "core/infra/egresslog.h"
#include "core/infra/egresspolicy.h"
#include "core/infra/egressproxycontrol.h"
#include "core/infra/egresssocketdirs.h"
#include "core/infra/envoyconfiggenerator.h"
#include "core/infra/haproxyconfiggenerator.h"
#include "core/infra/skilldockerfilegenerator.h"
#include "core/infra/traefiklabels.h"
#include "core/security/boxspec.h"
#include "core/security/hardeningprofile.h"

#include <QDateTime>
#include <QFile>
#include <QSaveFile>

#include <nlohmann/json.hpp>

namespace bc::cli {
namespace {

QString jsonText(const nlohmann::json &j)
{
    return QString::fromStdString(j.dump(2));
}

Result<bc::infra::EgressPolicy> loadPolicy(const Args &args)
{
    const QString path = args.value(QStringLiteral("--policy"));
    if (path.isEmpty())
        return bc::infra::EgressPolicy::defaultPolicy();
    return bc::infra::EgressPolicy::fromFile(path);
}

// The grants the config is for: a grants directory and/or --grant BOX=UP,UP arguments.
Result<QList<bc::infra::EgressGrant>> loadGrants(const Args &args, QStringList &warnings)
{
    QList<bc::infra::EgressGrant> grants;
    const QString dir = args.value(QStringLiteral("--grants"));
    if (!dir.isEmpty()) {
        auto read = bc::infra::EgressGrants(dir).readAll(&warnings);
        if (!read)
            return read.error();
        grants = read.value();
    }
    for (const QString &a : args.all(QStringLiteral("--grant"))) {
        auto g = bc::infra::EgressGrants::fromArgument(a);
        if (!g)
            return g.error();
        grants.removeIf([&](const bc::infra::EgressGrant &o) { return o.box == g->box; });
        grants << g.value();
    }
    return grants;
}

// A usage error: an option the command does not take, or any positional argument.
QString usageProblem(const Args &args)
{
    if (!args.error.isEmpty())
        return args.error;
    if (!args.positional.isEmpty())
        return QStringLiteral("unexpected argument '%1'").arg(args.positional.first());
    return {};
}

int proxyConfig(Context &ctx)
{
    const Args args = parseArgs(
        ctx.args,
        {QStringLiteral("--policy"), QStringLiteral("--format"), QStringLiteral("--socket-dir"),
         QStringLiteral("--ca-file"), QStringLiteral("--grants"), QStringLiteral("--grant"),
         QStringLiteral("--gid"), QStringLiteral("--output"), QStringLiteral("--reload-pidfile"),
         QStringLiteral("--access-log")},
        {QStringLiteral("--no-resolvers"), QStringLiteral("--prepare-dirs")});
    if (const QString problem = usageProblem(args); !problem.isEmpty())
        return usageError(ctx, problem);
    const QString format = args.value(QStringLiteral("--format"), QStringLiteral("haproxy"));
    if (format != QLatin1String("haproxy") && format != QLatin1String("envoy"))
        return usageError(ctx, QStringLiteral("--format must be haproxy or envoy"));
    int gid = -1;
    if (args.isSet(QStringLiteral("--gid"))) {
        bool ok = false;
        gid = args.value(QStringLiteral("--gid")).toInt(&ok);
        if (!ok || gid < 1)
            return usageError(ctx, QStringLiteral("--gid takes a group id above 0"));
    }
    if (args.isSet(QStringLiteral("--reload-pidfile")) && format != QLatin1String("haproxy"))
        return usageError(ctx, QStringLiteral("--reload-pidfile is for haproxy (-W)"));
    if (args.isSet(QStringLiteral("--access-log")) && format != QLatin1String("envoy"))
        return usageError(ctx, QStringLiteral("--access-log is for envoy; haproxy logs to "
                                              "stdout, which its service appends to the file"));
    auto policy = loadPolicy(args);
    if (!policy)
        return fail(ctx, policy.error());
    QStringList warnings;
    auto loaded = loadGrants(args, warnings);
    if (!loaded)
        return loaded.error().kind() == Error::Kind::Invalid
                   ? usageError(ctx, loaded.error().message())
                   : fail(ctx, loaded.error());
    const auto grants =
        bc::infra::EgressGrants::restrictTo(loaded.value(), policy.value(), &warnings);
    for (const QString &w : warnings)
        ctx.err << "boxctl: " << w << Qt::endl;

    // Directories first: the proxy binds into them as soon as it reads the new config, and
    // a box whose directory is not right is left out of it.
    QList<bc::infra::EgressGrant> served = grants;
    if (args.isSet(QStringLiteral("--prepare-dirs"))) {
        const QString root = args.value(QStringLiteral("--socket-dir"),
                                        format == QLatin1String("haproxy")
                                            ? bc::infra::HaproxyConfigGenerator::Options().socketDir
                                            : bc::infra::EnvoyConfigGenerator::Options().socketDir);
        QStringList actions, failed;
        const auto prepared =
            bc::infra::EgressSocketDirs::prepare(root, grants, gid, &actions, &failed);
        for (const QString &a : actions)
            ctx.err << "boxctl: " << a << Qt::endl;
        if (!prepared)
            return fail(ctx, prepared.error());
        served.removeIf([&](const bc::infra::EgressGrant &g) { return failed.contains(g.box); });
    }

    Result<QString> text = QString();
    if (format == QLatin1String("haproxy")) {
        bc::infra::HaproxyConfigGenerator::Options o;
        o.socketDir = args.value(QStringLiteral("--socket-dir"), o.socketDir);
        o.caFile = args.value(QStringLiteral("--ca-file"), o.caFile);
        o.dnsResolvers = !args.isSet(QStringLiteral("--no-resolvers"));
        o.socketGroup = gid;
        text = bc::infra::HaproxyConfigGenerator(o).generate(policy.value(), served);
    } else {
        bc::infra::EnvoyConfigGenerator::Options o;
        o.socketDir = args.value(QStringLiteral("--socket-dir"), o.socketDir);
        o.caFile = args.value(QStringLiteral("--ca-file"), o.caFile);
        o.accessLogPath = args.value(QStringLiteral("--access-log"));
        text = bc::infra::EnvoyConfigGenerator(o).generate(policy.value(), served);
    }
    if (!text)
        return text.error().kind() == Error::Kind::Invalid ? usageError(ctx, text.error().message())
                                                           : fail(ctx, text.error());

    const QString output = args.value(QStringLiteral("--output"));
    if (output.isEmpty()) {
        ctx.out << text.value();
    } else {
        QSaveFile f(output);
        if (!f.open(QIODevice::WriteOnly))
            return fail(ctx,
                        Error(Error::Kind::Io,
                              QStringLiteral("cannot write %1: %2").arg(output, f.errorString())));
        f.write(text->toUtf8());
        if (!f.commit())
            return fail(ctx,
                        Error(Error::Kind::Io,
                              QStringLiteral("cannot write %1: %2").arg(output, f.errorString())));
    }
    const QString pidFile = args.value(QStringLiteral("--reload-pidfile"));
    if (!pidFile.isEmpty()) {
        if (auto r = bc::infra::EgressProxyControl::signalReload(pidFile); !r)
            return fail(ctx, r.error());
    }
    return 0;
}

int egressLog(Context &ctx)
{
    const Args args = parseArgs(ctx.args, {QStringLiteral("--limit"), QStringLiteral("--log")}, {});
    if (!args.error.isEmpty())
        return usageError(ctx, args.error);
    if (args.positional.size() != 1)
        return usageError(ctx, QStringLiteral("egress-log needs exactly one BOX"));
    const QString box = args.positional.first();
    if (!bc::infra::EgressGrants::isBoxName(box))
        return usageError(ctx, QStringLiteral("box: must be a box name (a-z, 0-9, '-')"));
    int limit = 50;
    if (args.isSet(QStringLiteral("--limit"))) {
        bool ok = false;
        limit = args.value(QStringLiteral("--limit")).toInt(&ok);
        if (!ok || limit < 1 || limit > 100000)
            return usageError(ctx, QStringLiteral("--limit takes a number from 1 to 100000"));
    }
    QString logFile = args.value(QStringLiteral("--log"));
    if (logFile.isEmpty())
        logFile = bc::boxes::ConsoleSettings().egressLogFile();
    if (logFile.isEmpty())
        return fail(ctx, Error(Error::Kind::Io,
                               QStringLiteral("no egress log is configured (--log FILE, setting "
                                              "egress/logFile or BOX_EGRESS_LOG)")));
    auto entries = bc::infra::EgressLog::readRecent(logFile, box, limit);
    if (!entries)
        return fail(ctx, entries.error());
    if (ctx.global.json) {
        nlohmann::json arr = nlohmann::json::array();
        for (const auto &e : entries.value())
            arr.push_back({{"time", e.time.toString(Qt::ISODateWithMs).toStdString()},
                           {"box", e.box.toStdString()},
                           {"upstream", e.upstream.toStdString()},
                           {"method", e.method.toStdString()},
                           {"path", e.path.toStdString()},
                           {"allowed", e.allowed},
                           {"status", e.status}});
        ctx.out << jsonText(arr) << Qt::endl;
        return 0;
    }
    for (const auto &e : entries.value())
        ctx.out << e.time.toString(Qt::ISODateWithMs) << u' ' << e.upstream << u' ' << e.method
                << u' ' << e.path << u' ' << (e.allowed ? "allowed" : "denied") << u' '
                << (e.status > 0 ? QString::number(e.status) : QStringLiteral("-")) << Qt::endl;
    return 0;
}

int boxEgressEnv(Context &ctx)
{
    const Args args =
        parseArgs(ctx.args, {QStringLiteral("--policy"), QStringLiteral("--socket-dir")}, {});
    if (const QString problem = usageProblem(args); !problem.isEmpty())
        return usageError(ctx, problem);
    auto policy = loadPolicy(args);
    if (!policy)
        return fail(ctx, policy.error());
    bc::infra::BoxEgressEnvironment::Options o;
    o.socketDir = args.value(QStringLiteral("--socket-dir"), o.socketDir);
    const bc::infra::BoxEgressEnvironment box(o);
    auto env = box.environment(policy.value());
    if (!env)
        return fail(ctx, env.error());
    auto commands = box.forwarderCommands(policy.value());
    if (!commands)
        return fail(ctx, commands.error());
    auto snippet = box.entrypointSnippet(policy.value());
    if (!snippet)
        return fail(ctx, snippet.error());
    if (ctx.global.json) {
        nlohmann::json j{{"env", nlohmann::json::object()},
                         {"forwarders", nlohmann::json::array()}};
        for (auto it = env->cbegin(); it != env->cend(); ++it)
            j["env"][it.key().toStdString()] = it.value().toStdString();
        for (const QStringList &argv : commands.value()) {
            auto a = nlohmann::json::array();
            for (const QString &w : argv)
                a.push_back(w.toStdString());
            j["forwarders"].push_back(a);
        }
        j["entrypoint"] = snippet->toStdString();
        ctx.out << jsonText(j) << Qt::endl;
        return 0;
    }
    for (auto it = env->cbegin(); it != env->cend(); ++it)
        ctx.out << it.key() << u'=' << it.value() << Qt::endl;
    ctx.out << snippet.value();
    return 0;
}

int traefikLabels(Context &ctx)
{
    const Args args = parseArgs(ctx.args,
                                {QStringLiteral("--spec"), QStringLiteral("--domain"),
                                 QStringLiteral("--id"), QStringLiteral("--network"),
                                 QStringLiteral("--entrypoint"), QStringLiteral("--cert-resolver"),
                                 QStringLiteral("--priority"), QStringLiteral("--port")},
                                {});
    if (const QString problem = usageProblem(args); !problem.isEmpty())
        return usageError(ctx, problem);
    const QString specPath = args.value(QStringLiteral("--spec"));
    if (specPath.isEmpty())
        return usageError(ctx, QStringLiteral("--spec FILE is required"));
    QFile file(specPath);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ctx, Error(Error::Kind::Io, QStringLiteral("cannot read %1").arg(specPath)));
    auto spec = bc::security::BoxSpec::fromJsonText(file.readAll());
    if (!spec)
        return fail(ctx, spec.error().withContext(specPath));

    bc::infra::TraefikRoute route;
    route.boxId = args.value(QStringLiteral("--id"), spec->name);
    route.subdomain = spec->subdomain;
    route.domain =
        args.value(QStringLiteral("--domain"), QString::fromLocal8Bit(qgetenv("BOX_DOMAIN")));
    if (route.domain.isEmpty())
        return usageError(ctx, QStringLiteral("--domain D (or BOX_DOMAIN) is required"));
    route.network = args.value(QStringLiteral("--network"),
                               bc::security::HardeningProfile::networkName(spec->name));
    route.entrypoint = args.value(QStringLiteral("--entrypoint"), route.entrypoint);
    route.certResolver = args.value(QStringLiteral("--cert-resolver"), route.certResolver);
    bool ok = true;
    if (args.isSet(QStringLiteral("--priority")))
        route.priority = args.value(QStringLiteral("--priority")).toInt(&ok);
    if (ok && args.isSet(QStringLiteral("--port")))
        route.servicePort = args.value(QStringLiteral("--port")).toInt(&ok);
    if (!ok)
        return usageError(ctx, QStringLiteral("--priority and --port take numbers"));
    auto labels = bc::infra::TraefikLabels::generate(route);
    if (!labels)
        return fail(ctx, labels.error());
    if (ctx.global.json) {
        nlohmann::json j = nlohmann::json::object();
        for (auto it = labels->cbegin(); it != labels->cend(); ++it)
            j[it.key().toStdString()] = it.value().toStdString();
        ctx.out << jsonText(j) << Qt::endl;
        return 0;
    }
    for (auto it = labels->cbegin(); it != labels->cend(); ++it)
        ctx.out << it.key() << u'=' << it.value() << Qt::endl;
    return 0;
}

int dockerfile(Context &ctx)
{
    const Args args = parseArgs(ctx.args, {QStringLiteral("--skills"), QStringLiteral("--base")});
    if (!args.error.isEmpty())
        return usageError(ctx, args.error);
    // `--skills DIR...`: the directories after the first are positional to the parser.
    if (!args.isSet(QStringLiteral("--skills")) && !args.positional.isEmpty())
        return usageError(ctx, QStringLiteral("skill directories follow --skills"));
    const QStringList dirs = args.all(QStringLiteral("--skills")) + args.positional;
    bc::infra::SkillDockerfileGenerator::Options o;
    o.baseImage = args.value(QStringLiteral("--base"), o.baseImage);
    auto out = bc::infra::SkillDockerfileGenerator(o).generateFromDirectories(dirs);
    if (!out)
        return fail(ctx, out.error());
    if (ctx.global.json) {
        nlohmann::json files = nlohmann::json::object();
        for (const auto &f : out->files)
            files[f.first.toStdString()] = f.second.toStdString();
        ctx.out << jsonText({{"dockerfile", out->dockerfile.toStdString()}, {"files", files}})
                << Qt::endl;
        return 0;
    }
    ctx.out << out->dockerfile;
    return 0;
}

const Registrar proxyConfigCmd(
    {QStringLiteral("proxy-config"),
     QStringLiteral("proxy-config [--policy FILE] [--format haproxy|envoy] [--socket-dir DIR] "
                    "[--grants DIR] [--grant BOX=UP[,UP]]... [--gid N] [--ca-file F] "
                    "[--no-resolvers] [--access-log F] [--output F] [--prepare-dirs] "
                    "[--reload-pidfile F]"),
     QStringLiteral("Egress proxy config for a policy and the boxes' grants (sockets per box)"),
     proxyConfig});
const Registrar egressLogCmd({QStringLiteral("egress-log"),
                              QStringLiteral("egress-log BOX [--limit N] [--log FILE] [--json]"),
                              QStringLiteral("A box's recent egress requests from the proxy's log"),
                              egressLog});
const Registrar boxEgressEnvCmd(
    {QStringLiteral("box-egress-env"),
     QStringLiteral("box-egress-env [--policy FILE] [--socket-dir DIR] [--json]"),
     QStringLiteral("Box environment and loopback forwarders for a policy"), boxEgressEnv});
const Registrar traefikLabelsCmd(
    {QStringLiteral("traefik-labels"),
     QStringLiteral("traefik-labels --spec FILE [--domain D] [--id ID] [--network NET] "
                    "[--entrypoint E] [--cert-resolver R] [--priority N] [--port P] [--json]"),
     QStringLiteral("Traefik v3 docker labels for a box spec"), traefikLabels});
const Registrar dockerfileCmd({QStringLiteral("dockerfile"),
                               QStringLiteral("dockerfile --skills DIR... [--base IMAGE] [--json]"),
                               QStringLiteral("Dockerfile for a box image from skill directories"),
                               dockerfile});

} // namespace
} // namespace bc::cli
