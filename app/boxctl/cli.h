#pragma once

#include "core/util/futureutil.h"

#include "core/result.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFuture>
#include <QFutureWatcher>
#include <QHash>
#include <QMap>
#include <QSet>
#include <QStringList>
#include <QTextStream>

#include <functional>
#include <string_view>

namespace bc::cli {

// Options every command sees. Parsed from the front of argv by boxctl_main.
struct GlobalOptions
{
    QString host;       // --host / -H (else DOCKER_HOST, contexts, default socket)
    QString context;    // --context
    QString backend;    // --backend coolify|docker|docker-dev (else DEPLOY_MODE)
    QString coolifyUrl; // --coolify-url
    bool json = false;  // --json anywhere on the line
};

struct Context
{
    GlobalOptions global;
    QStringList args; // after the command name, global options removed
    QTextStream &out;
    QTextStream &err;
};

using CommandFn = std::function<int(Context &)>;

struct Command
{
    QString name;  // "ps", "coolify servers"
    QString usage; // "ps [--all] [--json] [--filter label=K=V]"
    QString summary;
    CommandFn run;
};

// Registration from each app/boxctl/cmd_*.cpp through a static Registrar.
QList<Command> &commands();
struct Registrar
{
    explicit Registrar(Command command) { commands().append(std::move(command)); }
};

// A CLI has no GUI to keep responsive: wait for a future on a local event loop.
template <typename T> T await(const QFuture<T> &future)
{
    return waitOnLocalLoop(future);
}

// Prints "boxctl: <error>" to err and returns the exit status for it (1; 2 for bad usage).
int fail(Context &ctx, const Error &error);
// Writes UTF-8 text (large JSON) to out's device as bytes, without a UTF-16 round trip
// through the stream; a stream on a string gets it converted.
void writeUtf8(QTextStream &out, std::string_view text);
int usageError(Context &ctx, const QString &message);
// Rows of cells in columns as wide as their widest cell plus `gap` spaces (the last column
// unpadded); the first row is the header.
void printTable(QTextStream &out, const QList<QStringList> &rows, int gap = 2);
// Flushes out and err and ends the process with `status` at once, skipping every destructor:
// after a listing is printed, freeing its thousands of records one by one (and tearing down
// the engine clients) is work nobody waits for but the caller of boxctl.
[[noreturn]] void exitNow(Context &ctx, int status);

// A command's options as QCommandLineParser reads them: "--name VALUE", "--name=VALUE",
// flags, combined short flags ("-aq"), options anywhere on the line, "--" ending them;
// everything else is positional. Names are given with their dashes ("--tail"), short
// aliases map to them ({"-a", "--all"}).
struct Args
{
    QStringList positional;
    QString error; // a usage error (unknown option, missing value); nothing else is set then

    bool isSet(const QString &name) const { return values.contains(name) || flags.contains(name); }
    // The last value given, or `fallback`.
    QString value(const QString &name, const QString &fallback = {}) const
    {
        const QStringList v = values.value(name);
        return v.isEmpty() ? fallback : v.last();
    }
    QStringList all(const QString &name) const { return values.value(name); }

    QHash<QString, QStringList> values;
    QSet<QString> flags;
};
Args parseArgs(const QStringList &in, const QStringList &valued, const QStringList &boolean = {},
               const QMap<QString, QString> &aliases = {});
// usageError with what the parser found wrong (if anything) before the command's usage.
int usageError(Context &ctx, const Args &args, const QString &usage);

// Parses the global options, finds the command (longest match) and runs it. Exit status:
// 0 success, 1 runtime failure, 2 invalid input or usage. `COMMAND --help` (or -h, or
// `help COMMAND`) prints that command's usage on out and exits 0; a command group such as
// `coolify` or `secret` given alone lists its subcommands.
int dispatch(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace bc::cli
