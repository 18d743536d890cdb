// Box secrets: values a box spec lists by name under "secrets"; a deploy writes each into a
// read-only file /run/secrets/NAME of the box (NAME_FILE in its environment, never the
// value). Values are read from stdin (hidden on a terminal), never from argv, and never
// printed.

#include "app/boxctl/cli.h"

#include "core/boxes/boxsecrets.h"
#include "core/util/secretstore.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <iterator>
#include <string>

#include <termios.h>
#include <unistd.h>

using namespace bc;
using bc::boxes::BoxSecrets;
using bc::cli::Context;

namespace {

// On a terminal: one line, without echo. Piped: all of stdin (multi-line keys work) minus
// one trailing newline.
QString readValue(Context &ctx, const QString &name)
{
    std::string value;
    if (::isatty(STDIN_FILENO)) {
        ctx.err << "Value of " << name << " (input hidden): " << Qt::flush;
        termios saved{};
        ::tcgetattr(STDIN_FILENO, &saved);
        termios silent = saved;
        silent.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
        std::getline(std::cin, value);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        ctx.err << Qt::endl;
    } else {
        value.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
        if (!value.empty() && value.back() == '\n')
            value.pop_back();
    }
    if (!value.empty() && value.back() == '\r')
        value.pop_back();
    return QString::fromStdString(value);
}

QString where()
{
    return util::SecretStore::usingFallback()
               ? QStringLiteral("file %1").arg(util::SecretStore::fallbackFilePath())
               : QStringLiteral("system keychain");
}

int cmdSet(Context &ctx)
{
    if (ctx.args.size() != 1)
        return cli::usageError(ctx,
                               QStringLiteral("secret set NAME (the value is read from stdin)"));
    const QString name = ctx.args.first();
    if (auto c = BoxSecrets::checkName(name); !c)
        return cli::fail(ctx, c.error());
    const QString value = readValue(ctx, name);
    if (value.isEmpty())
        return cli::usageError(ctx, QStringLiteral("secret set: no value on stdin"));
    auto stored = cli::await(BoxSecrets::set(name, value));
    if (!stored)
        return cli::fail(ctx, stored.error());
    if (ctx.global.json)
        ctx.out << QString::fromStdString(nlohmann::json{{"stored", name.toStdString()},
                                                         {"where", where().toStdString()}}
                                              .dump())
                << Qt::endl;
    else
        ctx.out << "Secret " << name << " stored in the " << where() << Qt::endl;
    return 0;
}

int cmdRm(Context &ctx)
{
    if (ctx.args.size() != 1)
        return cli::usageError(ctx, QStringLiteral("secret rm NAME"));
    auto removed = cli::await(BoxSecrets::remove(ctx.args.first()));
    if (!removed)
        return cli::fail(ctx, removed.error());
    if (!ctx.global.json)
        ctx.out << "Secret " << ctx.args.first() << " removed" << Qt::endl;
    return 0;
}

int cmdLs(Context &ctx)
{
    if (!ctx.args.isEmpty())
        return cli::usageError(ctx, QStringLiteral("secret ls [--json]"));
    auto names = cli::await(BoxSecrets::list());
    if (!names)
        return cli::fail(ctx, names.error());
    if (ctx.global.json) {
        nlohmann::json arr = nlohmann::json::array();
        for (const QString &n : names.value())
            arr.push_back(n.toStdString());
        ctx.out << QString::fromStdString(arr.dump()) << Qt::endl;
    } else {
        for (const QString &n : names.value())
            ctx.out << n << "\n";
        ctx.out << Qt::flush;
    }
    return 0;
}

const cli::Registrar regSet({QStringLiteral("secret set"), QStringLiteral("secret set NAME"),
                             QStringLiteral("Store a box secret (value from stdin, not echoed)"),
                             cmdSet});
const cli::Registrar regRm({QStringLiteral("secret rm"), QStringLiteral("secret rm NAME"),
                            QStringLiteral("Remove a box secret"), cmdRm});
const cli::Registrar regLs({QStringLiteral("secret ls"), QStringLiteral("secret ls [--json]"),
                            QStringLiteral("Names of the stored box secrets (never values)"),
                            cmdLs});

} // namespace
