// boxctl exec: a command in a running box over the Engine API's exec, with the exit status
// of the command and its streams kept apart as `docker exec` keeps them.

#include "app/boxctl/activityhooks.h"
#include "app/boxctl/backendoverrides.h"
#include "app/boxctl/cli.h"

#include "core/boxes/backendfactory.h"
#include "core/boxes/consolesettings.h"
#include "core/boxes/coolifybackend.h"
#include "core/boxes/coolifyengine.h"
#include "core/docker/dockerclient.h"
#include "core/docker/execsession.h"
#include "core/docker/exectarget.h"

#include <QEventLoop>
#include <QRegularExpression>
#include <QSocketNotifier>

#include <algorithm>
#include <csignal>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

using namespace bc;

namespace {

const QString Usage = QStringLiteral(
    "usage: boxctl exec [-i] [-t] [-u USER] [-w DIR] [-e K=V]... BOX [--] CMD [ARG...]");

int g_signalPipe[2] = {-1, -1};

extern "C" void onExecSignal(int signo)
{
    const unsigned char b = static_cast<unsigned char>(signo);
    if (g_signalPipe[1] >= 0) [[maybe_unused]]
        auto n = ::write(g_signalPipe[1], &b, 1);
}

void writeAll(int fd, const QByteArray &data)
{
    const char *p = data.constData();
    qsizetype left = data.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, size_t(left));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                usleep(1000);
                continue;
            }
            return; // a closed pipe: the reader is gone, like docker exec we drop output
        }
        p += n;
        left -= n;
    }
}

// Raw local terminal while -t runs, restored however we leave.
class RawTerminal
{
public:
    bool enter(int fd)
    {
        if (!isatty(fd) || tcgetattr(fd, &m_saved) != 0)
            return false;
        termios raw = m_saved;
        cfmakeraw(&raw);
        if (tcsetattr(fd, TCSANOW, &raw) != 0)
            return false;
        m_fd = fd;
        return true;
    }
    ~RawTerminal()
    {
        if (m_fd >= 0)
            tcsetattr(m_fd, TCSANOW, &m_saved);
    }

private:
    int m_fd = -1;
    termios m_saved{};
};

bool terminalSize(int *cols, int *rows)
{
    winsize ws{};
    for (int fd : {STDOUT_FILENO, STDIN_FILENO, STDERR_FILENO}) {
        if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
            *cols = ws.ws_col;
            *rows = ws.ws_row;
            return true;
        }
    }
    return false;
}

struct Parsed
{
    bool interactive = false;
    bool tty = false;
    QString user;
    QString workdir;
    QStringList env;
    QString box;
    QStringList cmd;
};

// docker's short-option rules: -it, -u USER, -uUSER, --user=USER; options end at BOX.
Result<Parsed> parse(const QStringList &args)
{
    Parsed p;
    int i = 0;
    auto value = [&](const QString &a, const QString &shortFlag, const QString &longFlag,
                     QString *into) -> std::optional<VoidResult> {
        if (a == shortFlag || a == longFlag) {
            if (i + 1 >= args.size())
                return VoidResult(
                    Error(Error::Kind::Invalid, a + QStringLiteral(" needs a value")));
            *into = args.at(++i);
            return VoidResult();
        }
        if (a.startsWith(longFlag + QLatin1Char('='))) {
            *into = a.mid(longFlag.size() + 1);
            return VoidResult();
        }
        if (a.startsWith(shortFlag) && a.size() > 2) {
            *into = a.mid(2);
            return VoidResult();
        }
        return std::nullopt;
    };
    for (; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == QLatin1String("--"))
            return Error(Error::Kind::Invalid, QStringLiteral("no box named"));
        if (!a.startsWith(QLatin1Char('-')) || a == QLatin1String("-"))
            break;
        QString v;
        if (auto r = value(a, QStringLiteral("-u"), QStringLiteral("--user"), &p.user)) {
            if (!*r)
                return r->error();
            continue;
        }
        if (auto r = value(a, QStringLiteral("-w"), QStringLiteral("--workdir"), &p.workdir)) {
            if (!*r)
                return r->error();
            continue;
        }
        if (auto r = value(a, QStringLiteral("-e"), QStringLiteral("--env"), &v)) {
            if (!*r)
                return r->error();
            if (!v.contains(QLatin1Char('=')) || v.startsWith(QLatin1Char('=')))
                return Error(Error::Kind::Invalid,
                             QStringLiteral("-e %1: expected NAME=VALUE").arg(v));
            p.env << v;
            continue;
        }
        if (a == QLatin1String("--interactive")) {
            p.interactive = true;
            continue;
        }
        if (a == QLatin1String("--tty")) {
            p.tty = true;
            continue;
        }
        // Grouped single-letter flags: -i, -t, -it, -ti.
        static const QRegularExpression flags(QStringLiteral("^-[it]+$"));
        if (flags.match(a).hasMatch()) {
            p.interactive |= a.contains(QLatin1Char('i'));
            p.tty |= a.contains(QLatin1Char('t'));
            continue;
        }
        return Error(Error::Kind::Invalid, QStringLiteral("unknown option %1").arg(a));
    }
    if (i >= args.size())
        return Error(Error::Kind::Invalid, QStringLiteral("no box named"));
    p.box = args.at(i++);
    if (i < args.size() && args.at(i) == QLatin1String("--"))
        ++i;
    p.cmd = args.mid(i);
    if (p.cmd.isEmpty())
        return Error(Error::Kind::Invalid, QStringLiteral("no command given"));
    return p;
}

// What the activity log keeps of an exec: the program, not its arguments, and the -e
// keys, not their values (either may carry a credential).
util::json::Json activityParams(const Parsed &p)
{
    QStringList envKeys;
    for (const QString &kv : p.env)
        envKeys << kv.section(QLatin1Char('='), 0, 0);
    return {{"command", util::json::utf8(p.cmd.first())},
            {"args", int(p.cmd.size() - 1)},
            {"user", util::json::utf8(p.user)},
            {"tty", p.tty},
            {"interactive", p.interactive},
            {"envKeys", util::json::array(envKeys)}};
}

int cmdExec(cli::Context &ctx)
{
    const auto parsed = parse(ctx.args);
    if (!parsed)
        return cli::usageError(ctx, parsed.error().message() + QLatin1Char('\n') + Usage);
    const Parsed &p = parsed.value();
    auto act =
        activity::ActivityRecord::make(activity::actions::exec(), {}, p.box, activityParams(p));
    const auto fail = [&](const Error &e) {
        cli::recordActivity(ctx, act, &e);
        return cli::fail(ctx, e);
    };

    boxes::ConsoleSettings settings;
    const boxes::BackendFactory factory(settings, cli::backendOverrides(ctx));

    QObject owner;
    std::unique_ptr<docker::DockerClient> ownedClient;
    docker::DockerClient *client = nullptr;
    std::optional<docker::ExecTarget> target;
    if (ctx.global.backend == QLatin1String("coolify")) {
        // A Coolify box runs on its server's engine, reached over ssh with the admin's
        // consent (Settings → Coolify → engine access); the exec goes there.
        auto backend = factory.createForMode(QStringLiteral("coolify"), &owner);
        if (!backend)
            return fail(backend.error());
        auto *coolify = qobject_cast<boxes::CoolifyBackend *>(*backend);
        act.backend = coolify->id();
        const auto listed = cli::await(coolify->list());
        if (!listed)
            return fail(listed.error());
        const auto &engines = coolify->config().engines;
        if (std::none_of(engines.cbegin(), engines.cend(),
                         [](const coolify::CoolifyEngineAccess &a) { return a.enabled; }))
            return fail(Error(Error::Kind::Invalid,
                              QStringLiteral("%1 is a Coolify box, and no Coolify server's engine "
                                             "may be reached: allow it in Settings → Coolify → "
                                             "Engine access (docs/coolify-engine.md)")
                                  .arg(p.box)));
        if (const auto refreshed = cli::await(coolify->refreshEngines()); !refreshed)
            return fail(refreshed.error());
        const auto where = coolify->engineTarget(p.box);
        if (!where)
            return fail(Error(Error::Kind::NotFound,
                              QStringLiteral("no container of %1 on the engines of the Coolify "
                                             "servers this console may reach")
                                  .arg(p.box)));
        client = where->engine->client();
        const auto t = cli::await(docker::resolveExecTarget(client, where->containerId));
        if (!t)
            return fail(t.error());
        target = t.value();
    } else {
        const auto endpoints = factory.dockerEndpoints();
        if (!endpoints)
            return fail(endpoints.error());
        // The first engine that knows the box; a box is on one engine.
        Error lastError(Error::Kind::NotFound, QStringLiteral("no such box: %1").arg(p.box));
        for (const http::Endpoint &endpoint : endpoints.value()) {
            auto c = std::make_unique<docker::DockerClient>(endpoint);
            const auto t = cli::await(docker::resolveExecTarget(c.get(), p.box));
            if (t) {
                ownedClient = std::move(c);
                target = t.value();
                break;
            }
            if (t.error().kind() != Error::Kind::NotFound)
                lastError = t.error();
        }
        if (!target)
            return fail(lastError);
        client = ownedClient.get();
        act.backend = QStringLiteral("docker:") + client->endpoint().toUrl();
    }
    if (const auto running = docker::checkRunning(*target); !running)
        return fail(running.error());
    const auto user = docker::execpolicy::chooseUser(*target, p.user);
    if (!user)
        return fail(user.error());

    docker::ExecOptions options;
    options.cmd = p.cmd;
    options.env = p.env;
    options.user = user.value();
    options.workingDir = p.workdir;
    options.tty = p.tty;
    options.attachStdin = p.interactive;
    if (p.tty)
        terminalSize(&options.cols, &options.rows);

    RawTerminal raw;
    if (p.tty && p.interactive)
        raw.enter(STDIN_FILENO);

    ctx.out.flush();
    ctx.err.flush();
    docker::ExecSession session(client, target->containerId, options);
    std::optional<Result<int>> result;
    QEventLoop loop;
    QObject::connect(&session, &docker::ExecSession::stdoutReceived, &loop,
                     [](const QByteArray &d) { writeAll(STDOUT_FILENO, d); });
    QObject::connect(&session, &docker::ExecSession::stderrReceived, &loop,
                     [](const QByteArray &d) { writeAll(STDERR_FILENO, d); });
    QObject::connect(&session, &docker::ExecSession::finished, &loop, [&](const Result<int> &r) {
        result = r;
        loop.quit();
    });

    std::unique_ptr<QSocketNotifier> stdinNotifier;
    if (p.interactive) {
        stdinNotifier = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
        QObject::connect(stdinNotifier.get(), &QSocketNotifier::activated, &loop, [&] {
            char buf[65536];
            const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
            if (n > 0) {
                session.write(QByteArray(buf, qsizetype(n)));
                return;
            }
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                return;
            stdinNotifier->setEnabled(false);
            session.closeStdin();
        });
    }

    // Signals arrive through a pipe so the handler does nothing but write a byte.
    int signalExit = 0;
    QFuture<VoidResult> ending;
    std::unique_ptr<QSocketNotifier> signalNotifier;
    if (::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) == 0) {
        struct sigaction sa
        {
        };
        sa.sa_handler = onExecSignal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        for (int s : {SIGINT, SIGTERM, SIGHUP, SIGWINCH})
            sigaction(s, &sa, nullptr);
        signalNotifier = std::make_unique<QSocketNotifier>(g_signalPipe[0], QSocketNotifier::Read);
        QObject::connect(signalNotifier.get(), &QSocketNotifier::activated, &loop, [&] {
            unsigned char b = 0;
            while (::read(g_signalPipe[0], &b, 1) == 1) {
                if (b == SIGWINCH) {
                    int cols = 0, rows = 0;
                    if (p.tty && terminalSize(&cols, &rows))
                        session.resize(cols, rows);
                    continue;
                }
                // Ending the session hangs up the TTY (or closes stdin) in the box.
                signalExit = 128 + b;
                ending = session.terminate();
            }
        });
    }

    session.start();
    if (!result)
        loop.exec();
    signalNotifier.reset();
    stdinNotifier.reset();
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGWINCH})
        std::signal(s, SIG_DFL);
    if (g_signalPipe[0] >= 0) {
        ::close(g_signalPipe[0]);
        ::close(g_signalPipe[1]);
        g_signalPipe[0] = g_signalPipe[1] = -1;
    }
    if (signalExit) {
        if (ending.isValid())
            (void)cli::await(ending); // the box's processes are told to end before we exit
        act.params["exitCode"] = signalExit;
        cli::recordActivity(ctx, act);
        return signalExit;
    }
    if (!result || !*result)
        return fail(result ? result->error()
                           : Error(Error::Kind::Cancelled, QStringLiteral("exec abandoned")));
    act.params["exitCode"] = result->value();
    cli::recordActivity(ctx, act);
    return result->value();
}

const cli::Registrar regExec({QStringLiteral("exec"), Usage.mid(14),
                              QStringLiteral("Run a command in a running box (exit status of "
                                             "the command; 126 cannot run, 127 not found)"),
                              cmdExec});

} // namespace
