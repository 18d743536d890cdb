#pragma once

#include "core/util/futureutil.h"

#include "core/result.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFuture>
#include <QFutureWatcher>
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

// Takes "--flag VALUE" / "--flag=VALUE" out of a command's args. With `missing`, a flag
// given last without its value sets *missing (the caller reports it) instead of being left.
bool takeOption(QStringList &args, const QString &flag, QString *value, bool *missing = nullptr);
// Takes every "--flag" out of args; true when there was one.
bool takeFlag(QStringList &args, const QString &flag);

// Parses the global options, finds the command (longest match) and runs it. Exit status:
// 0 success, 1 runtime failure, 2 invalid input or usage. `COMMAND --help` (or -h, or
// `help COMMAND`) prints that command's usage on out and exits 0; a command group such as
// `coolify` or `secret` given alone lists its subcommands.
int dispatch(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace bc::cli
