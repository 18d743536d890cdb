// boxctl commands for the generators of core/infra: egress proxy configs, the box side of
// the egress policy, Traefik labels and skill Dockerfiles. All print to stdout and touch
// no engine.
#include "app/boxctl/cli.h"

#include "core/infra/boxegressenvironment.h"
#include "core/infra/egresspolicy.h"
#include "core/infra/envoyconfiggenerator.h"
#include "core/infra/haproxyconfiggenerator.h"
#include "core/infra/skilldockerfilegenerator.h"
#include "core/infra/traefiklabels.h"
#include "core/security/boxspec.h"
#include "core/security/hardeningprofile.h"

#include <QFile>

#include <nlohmann/json.hpp>

namespace bc::cli {
namespace {

// Options of the form --name VALUE / --name=VALUE; flags without value; positional rest.
struct Args
{
    QMap<QString, QStringList> values;
    QStringList flags;
    QString error;

    QString value(const QString &name, const QString &fallback = {}) const
    {
        const auto it = values.find(name);
        return it == values.end() || it->isEmpty() ? fallback : it->last();
    }
};

Args parseArgs(const QStringList &in, const QStringList &valued, const QStringList &flags,
               const QString &multi = {})
{
    Args args;
    QString collecting;
    for (int i = 0; i < in.size(); ++i) {
        QString a = in.at(i);
        QString inlineValue;
        bool hasInline = false;
        if (a.startsWith(QLatin1String("--")) && a.contains(u'=')) {
            inlineValue = a.mid(a.indexOf(u'=') + 1);
            a = a.left(a.indexOf(u'='));
            hasInline = true;
        }
        if (valued.contains(a)) {
            collecting.clear();
            if (hasInline) {
                args.values[a].append(inlineValue);
            } else if (i + 1 < in.size()) {
                args.values[a].append(in.at(++i));
            } else {
                args.error = a + QStringLiteral(" needs a value");
                return args;
            }
            if (a == multi)
                collecting = a;
        } else if (flags.contains(a) && !hasInline) {
            collecting.clear();
            args.flags.append(a);
        } else if (!collecting.isEmpty() && !a.startsWith(QLatin1String("--"))) {
            args.values[collecting].append(a);
        } else {
            args.error = QStringLiteral("unknown argument '%1'").arg(a);
            return args;
        }
    }
    return args;
}

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

int proxyConfig(Context &ctx)
{
    const Args args = parseArgs(ctx.args,
                                {QStringLiteral("--policy"), QStringLiteral("--format"),
                                 QStringLiteral("--socket-dir"), QStringLiteral("--ca-file")},
                                {QStringLiteral("--no-resolvers")});
    if (!args.error.isEmpty())
        return usageError(ctx, args.error);
    auto policy = loadPolicy(args);
    if (!policy)
        return fail(ctx, policy.error());
    const QString format = args.value(QStringLiteral("--format"), QStringLiteral("haproxy"));
    Result<QString> text = QString();
    if (format == QLatin1String("haproxy")) {
        bc::infra::HaproxyConfigGenerator::Options o;
        o.socketDir = args.value(QStringLiteral("--socket-dir"), o.socketDir);
        o.caFile = args.value(QStringLiteral("--ca-file"), o.caFile);
        o.dnsResolvers = !args.flags.contains(QStringLiteral("--no-resolvers"));
        text = bc::infra::HaproxyConfigGenerator(o).generate(policy.value());
    } else if (format == QLatin1String("envoy")) {
        bc::infra::EnvoyConfigGenerator::Options o;
        o.socketDir = args.value(QStringLiteral("--socket-dir"), o.socketDir);
        o.caFile = args.value(QStringLiteral("--ca-file"), o.caFile);
        text = bc::infra::EnvoyConfigGenerator(o).generate(policy.value());
    } else {
        return usageError(ctx, QStringLiteral("--format must be haproxy or envoy"));
    }
    if (!text)
        return fail(ctx, text.error());
    ctx.out << text.value();
    return 0;
}

int boxEgressEnv(Context &ctx)
{
    const Args args =
        parseArgs(ctx.args, {QStringLiteral("--policy"), QStringLiteral("--socket-dir")}, {});
    if (!args.error.isEmpty())
        return usageError(ctx, args.error);
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
    if (!args.error.isEmpty())
        return usageError(ctx, args.error);
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
    if (args.values.contains(QStringLiteral("--priority")))
        route.priority = args.value(QStringLiteral("--priority")).toInt(&ok);
    if (ok && args.values.contains(QStringLiteral("--port")))
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
    const Args args = parseArgs(ctx.args, {QStringLiteral("--skills"), QStringLiteral("--base")},
                                {}, QStringLiteral("--skills"));
    if (!args.error.isEmpty())
        return usageError(ctx, args.error);
    const QStringList dirs = args.values.value(QStringLiteral("--skills"));
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
     QStringLiteral("proxy-config [--policy FILE] [--format haproxy|envoy] "
                    "[--socket-dir DIR] [--ca-file F] [--no-resolvers]"),
     QStringLiteral("Generate the egress proxy config from an egress policy"), proxyConfig});
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
