// Coolify commands: what to put in the settings (servers, projects, environments), the
// instance's version, and the API token (login/logout). Box operations on Coolify go
// through the backend: boxctl --backend coolify ls|deploy|delete|...

#include "app/boxctl/cli.h"

#include "core/coolify/coolifyclient.h"
#include "core/coolify/coolifyconfig.h"
#include "core/util/secretstore.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <termios.h>
#include <unistd.h>

using namespace bc;
using namespace bc::coolify;
using bc::cli::Context;

namespace {

std::unique_ptr<CoolifyClient> makeClient(Context &ctx, Error *error)
{
    auto config = CoolifyConfig::load(ctx.global.coolifyUrl);
    if (!config) {
        *error = config.error();
        return nullptr;
    }
    return std::make_unique<CoolifyClient>(config.value());
}

void printJson(Context &ctx, const nlohmann::json &j)
{
    ctx.out << QString::fromStdString(j.dump(2)) << Qt::endl;
}

void printTable(Context &ctx, const QStringList &headers, const QList<QStringList> &rows)
{
    cli::printTable(ctx.out, QList<QStringList>{headers} + rows);
}

QString yesNo(bool b)
{
    return b ? QStringLiteral("yes") : QStringLiteral("no");
}

std::string s8(const QString &s)
{
    return s.toStdString();
}

int servers(Context &ctx)
{
    Error error;
    auto client = makeClient(ctx, &error);
    if (!client)
        return cli::fail(ctx, error);
    auto list = cli::await(client->servers());
    if (!list)
        return cli::fail(ctx, list.error());
    if (ctx.global.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const CoolifyServer &s : list.value())
            out.push_back({{"uuid", s8(s.uuid)},
                           {"name", s8(s.name)},
                           {"description", s8(s.description)},
                           {"ip", s8(s.ip)},
                           {"reachable", s.isReachable},
                           {"usable", s.isUsable},
                           {"build_server", s.isBuildServer},
                           {"can_host_boxes", s.canHost()}});
        printJson(ctx, out);
        return 0;
    }
    QList<QStringList> rows;
    for (const CoolifyServer &s : list.value())
        rows << QStringList{s.uuid,
                            s.name,
                            s.ip,
                            yesNo(s.isReachable),
                            yesNo(s.isUsable),
                            yesNo(s.isBuildServer),
                            yesNo(s.canHost())};
    printTable(ctx,
               {QStringLiteral("UUID"), QStringLiteral("NAME"), QStringLiteral("IP"),
                QStringLiteral("REACHABLE"), QStringLiteral("USABLE"), QStringLiteral("BUILD"),
                QStringLiteral("BOXES")},
               rows);
    return 0;
}

int projects(Context &ctx)
{
    Error error;
    auto client = makeClient(ctx, &error);
    if (!client)
        return cli::fail(ctx, error);
    auto list = cli::await(client->projects());
    if (!list)
        return cli::fail(ctx, list.error());
    if (ctx.global.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const CoolifyProject &p : list.value())
            out.push_back(
                {{"uuid", s8(p.uuid)}, {"name", s8(p.name)}, {"description", s8(p.description)}});
        printJson(ctx, out);
        return 0;
    }
    QList<QStringList> rows;
    for (const CoolifyProject &p : list.value())
        rows << QStringList{p.uuid, p.name, p.description};
    printTable(ctx, {QStringLiteral("UUID"), QStringLiteral("NAME"), QStringLiteral("DESCRIPTION")},
               rows);
    return 0;
}

int environments(Context &ctx)
{
    QString project;
    for (qsizetype i = 0; i < ctx.args.size(); ++i) {
        const QString &a = ctx.args.at(i);
        if (a == QLatin1String("--project") && i + 1 < ctx.args.size())
            project = ctx.args.at(++i);
        else if (a.startsWith(QLatin1String("--project=")))
            project = a.mid(10);
        else
            return cli::usageError(
                ctx, QStringLiteral("coolify environments: unexpected argument '%1'").arg(a));
    }
    Error error;
    auto client = makeClient(ctx, &error);
    if (!client)
        return cli::fail(ctx, error);
    if (project.isEmpty())
        project = client->config().projectUuid;
    if (project.isEmpty())
        return cli::usageError(ctx,
                               QStringLiteral("coolify environments: give --project UUID "
                                              "(or set COOLIFY_PROJECT_UUID / coolify/project)"));
    auto list = cli::await(client->environments(project));
    if (!list)
        return cli::fail(ctx, list.error());
    if (ctx.global.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const CoolifyEnvironment &e : list.value())
            out.push_back({{"uuid", s8(e.uuid)}, {"name", s8(e.name)}, {"project", s8(project)}});
        printJson(ctx, out);
        return 0;
    }
    QList<QStringList> rows;
    for (const CoolifyEnvironment &e : list.value())
        rows << QStringList{e.uuid, e.name};
    printTable(ctx, {QStringLiteral("UUID"), QStringLiteral("NAME")}, rows);
    return 0;
}

int version(Context &ctx)
{
    Error error;
    auto client = makeClient(ctx, &error);
    if (!client)
        return cli::fail(ctx, error);
    auto health = cli::await(client->health());
    auto v = cli::await(client->version());
    if (!v)
        return cli::fail(ctx, v.error());
    if (ctx.global.json) {
        printJson(ctx, {{"url", s8(client->config().baseUrl.toDisplayString())},
                        {"version", s8(v->raw)},
                        {"healthy", health.ok()}});
        return 0;
    }
    ctx.out << "url:     " << client->config().baseUrl.toDisplayString() << "\n"
            << "version: " << v->raw << "\n"
            << "health:  " << (health ? QStringLiteral("ok") : health.error().toString())
            << Qt::endl;
    return 0;
}

// Reads one line without echo when stdin is a terminal; the token never reaches argv, the
// shell history or the screen.
QString readSecretLine(Context &ctx)
{
    const bool tty = ::isatty(STDIN_FILENO);
    termios saved{};
    if (tty) {
        ctx.err << "Coolify API token (input hidden): " << Qt::flush;
        ::tcgetattr(STDIN_FILENO, &saved);
        termios silent = saved;
        silent.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        ctx.err << Qt::endl;
    }
    return QString::fromStdString(line).trimmed();
}

int login(Context &ctx)
{
    bool verify = true;
    for (const QString &a : ctx.args) {
        if (a == QLatin1String("--no-verify"))
            verify = false;
        else
            return cli::usageError(ctx, QStringLiteral("coolify login reads the token from stdin; "
                                                       "unexpected argument"));
    }
    const QString token = readSecretLine(ctx);
    if (token.isEmpty())
        return cli::usageError(ctx, QStringLiteral("coolify login: no token on stdin"));
    if (!token.contains(QLatin1Char('|')))
        ctx.err << "boxctl: warning: Coolify tokens look like '<id>|<secret>'" << Qt::endl;

    auto config = CoolifyConfig::load(ctx.global.coolifyUrl);
    if (verify && config) {
        CoolifyConfig withToken = config.value();
        withToken.token = token;
        CoolifyClient client(withToken);
        auto check = cli::await(client.version());
        if (!check && check.error().kind() == Error::Kind::Unauthorized)
            return cli::fail(ctx, check.error().withContext(QStringLiteral("token not stored")));
        if (!check)
            ctx.err << "boxctl: warning: could not check the token: " << check.error().toString()
                    << Qt::endl;
    }
    auto stored =
        cli::await(util::SecretStore::write(QLatin1String(CoolifyConfig::tokenSecretKey), token));
    if (!stored)
        return cli::fail(ctx, stored.error());
    const QString where = util::SecretStore::usingFallback()
                              ? QStringLiteral("file %1").arg(util::SecretStore::fallbackFilePath())
                              : QStringLiteral("system keychain");
    if (ctx.global.json)
        printJson(ctx, {{"stored", true}, {"where", s8(where)}});
    else
        ctx.out << "Coolify token stored in the " << where << Qt::endl;
    return 0;
}

int logout(Context &ctx)
{
    auto removed =
        cli::await(util::SecretStore::remove(QLatin1String(CoolifyConfig::tokenSecretKey)));
    if (!removed)
        return cli::fail(ctx, removed.error());
    if (!ctx.global.json)
        ctx.out << "Coolify token removed" << Qt::endl;
    return 0;
}

cli::Registrar r1({QStringLiteral("coolify servers"), QStringLiteral("coolify servers [--json]"),
                   QStringLiteral("Coolify servers (which can host boxes)"), servers});
cli::Registrar r2({QStringLiteral("coolify projects"), QStringLiteral("coolify projects [--json]"),
                   QStringLiteral("Coolify projects"), projects});
cli::Registrar r3({QStringLiteral("coolify environments"),
                   QStringLiteral("coolify environments [--project UUID] [--json]"),
                   QStringLiteral("Environments of a Coolify project"), environments});
cli::Registrar r4({QStringLiteral("coolify version"), QStringLiteral("coolify version [--json]"),
                   QStringLiteral("Coolify URL, version and health"), version});
cli::Registrar r5({QStringLiteral("coolify login"),
                   QStringLiteral("coolify login [--no-verify] < token"),
                   QStringLiteral("Store the Coolify API token (read from stdin)"), login});
cli::Registrar r6({QStringLiteral("coolify logout"), QStringLiteral("coolify logout"),
                   QStringLiteral("Forget the stored Coolify API token"), logout});

} // namespace
