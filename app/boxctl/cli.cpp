#include "app/boxctl/cli.h"

#include <QCommandLineParser>
#include <QFileDevice>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace bc::cli {

QList<Command> &commands()
{
    static QList<Command> list;
    return list;
}

int fail(Context &ctx, const Error &error)
{
    ctx.err << "boxctl: " << error.toString() << Qt::endl;
    return error.kind() == Error::Kind::Invalid ? 2 : 1;
}

void writeUtf8(QTextStream &out, std::string_view text)
{
    out.flush();
    if (QIODevice *device = out.device()) {
        device->write(text.data(), qint64(text.size()));
        if (auto *file = qobject_cast<QFileDevice *>(device))
            file->flush();
        return;
    }
    out << QString::fromUtf8(text.data(), qsizetype(text.size()));
}

void exitNow(Context &ctx, int status)
{
    for (QTextStream *s : {&ctx.out, &ctx.err}) {
        s->flush();
        if (auto *file = qobject_cast<QFileDevice *>(s->device()))
            file->flush();
    }
    std::fflush(nullptr);
    std::_Exit(status);
}

int usageError(Context &ctx, const QString &message)
{
    ctx.err << "boxctl: " << message << Qt::endl;
    return 2;
}

int usageError(Context &ctx, const Args &args, const QString &usage)
{
    return usageError(ctx, args.error.isEmpty() ? usage : args.error + QLatin1Char('\n') + usage);
}

void printTable(QTextStream &out, const QList<QStringList> &rows, int gap)
{
    if (rows.isEmpty())
        return;
    QList<int> widths;
    for (const QStringList &r : rows) {
        if (widths.size() < r.size())
            widths.resize(r.size(), 0);
        for (int i = 0; i < r.size(); ++i)
            widths[i] = std::max(widths[i], int(r[i].size()));
    }
    for (const QStringList &r : rows) {
        QString line;
        for (int i = 0; i < r.size(); ++i)
            line += i + 1 == r.size() ? r[i] : r[i].leftJustified(widths[i] + gap);
        out << line << '\n';
    }
    out.flush();
}

namespace {

QList<Command> sortedCommands(const QString &group = {})
{
    QList<Command> list;
    for (const Command &c : commands())
        if (group.isEmpty() || c.name.section(QLatin1Char(' '), 0, 0) == group)
            list << c;
    std::sort(list.begin(), list.end(),
              [](const Command &a, const Command &b) { return a.name < b.name; });
    return list;
}

void printCommandList(QTextStream &out, const QList<Command> &list)
{
    for (const Command &c : list)
        out << "  " << c.usage.leftJustified(52) << " " << c.summary << "\n";
    out.flush();
}

void printHelp(QTextStream &out)
{
    out << "usage: boxctl [--host URL] [--context NAME] [--backend KIND] [--coolify-url URL] "
           "[--json] COMMAND [ARGS]\n\n"
           "Exit status: 0 success, 1 runtime failure, 2 invalid input or usage.\n"
           "`boxctl COMMAND --help` shows one command's usage.\n\ncommands:\n";
    printCommandList(out, sortedCommands());
}

void printCommandHelp(QTextStream &out, const Command &c)
{
    out << "usage: boxctl " << c.usage << "\n\n" << c.summary << "\n";
    out.flush();
}

bool isHelpFlag(const QString &a)
{
    return a == QLatin1String("--help") || a == QLatin1String("-h");
}

const Command *findCommand(const QStringList &rest, int *words)
{
    // Longest match wins so that "build --spec" beats "build".
    const Command *best = nullptr;
    *words = 0;
    for (const Command &c : commands()) {
        const QStringList w = c.name.split(QLatin1Char(' '));
        if (w.size() <= rest.size() && rest.mid(0, w.size()) == w && w.size() > *words) {
            best = &c;
            *words = int(w.size());
        }
    }
    return best;
}

} // namespace

int dispatch(const QStringList &argsIn, QTextStream &out, QTextStream &err)
{
    GlobalOptions global;
    QStringList rest;
    for (int i = 0; i < argsIn.size(); ++i) {
        const QString &a = argsIn.at(i);
        if (a == QLatin1String("--") && !rest.isEmpty()) {
            rest << argsIn.mid(i); // the command's own words (`exec BOX -- CMD --json`)
            break;
        }
        bool missingValue = false;
        auto takeValue = [&](const QString &flag, QString &into) {
            if (a == flag) {
                if (i + 1 >= argsIn.size()) {
                    missingValue = true;
                    return false;
                }
                into = argsIn.at(++i);
                return true;
            }
            if (a.startsWith(flag + QLatin1Char('='))) {
                into = a.mid(flag.size() + 1);
                return true;
            }
            return false;
        };
        // Engine selection (--host, --context) comes before the command, as with docker:
        // after it, `build --context DIR` means the build context. --json, --backend and
        // --coolify-url are accepted anywhere.
        const bool beforeCommand = rest.isEmpty();
        if (a == QLatin1String("--json")) {
            global.json = true;
        } else if ((beforeCommand && (takeValue(QStringLiteral("--host"), global.host) ||
                                      takeValue(QStringLiteral("-H"), global.host) ||
                                      takeValue(QStringLiteral("--context"), global.context))) ||
                   takeValue(QStringLiteral("--backend"), global.backend) ||
                   takeValue(QStringLiteral("--coolify-url"), global.coolifyUrl)) {
        } else if (missingValue) {
            err << "boxctl: " << a << " needs a value" << Qt::endl;
            return 2;
        } else {
            rest << a;
        }
    }
    if (rest.isEmpty()) {
        printHelp(err);
        return 2;
    }
    if (rest.first() == QLatin1String("--version")) {
        out << "boxctl " << QCoreApplication::applicationVersion() << Qt::endl;
        return 0;
    }
    if (isHelpFlag(rest.first()) || rest.first() == QLatin1String("help")) {
        // `help COMMAND...` is `COMMAND --help`.
        if (rest.size() > 1 && rest.first() == QLatin1String("help")) {
            rest = rest.mid(1);
            rest << QStringLiteral("--help");
        } else {
            printHelp(out);
            return 0;
        }
    }

    int words = 0;
    const Command *best = findCommand(rest, &words);
    // --help right after the command always asks for help; further on only up to "--", and
    // not at all for a command that hands its arguments to another program (usage
    // "… [--] CMD [ARG...]", as exec): `boxctl exec box ls -h` runs `ls -h`.
    const QStringList after = rest.mid(best ? words : 1);
    bool wantsHelp = !after.isEmpty() && isHelpFlag(after.first());
    if (!wantsHelp && !(best && best->usage.contains(QLatin1String("[--] CMD")))) {
        for (const QString &a : after) {
            if (a == QLatin1String("--"))
                break;
            wantsHelp = wantsHelp || isHelpFlag(a);
        }
    }
    if (!best) {
        const QList<Command> group = sortedCommands(rest.first());
        if (!group.isEmpty()) {
            QTextStream &to = wantsHelp ? out : err;
            to << "usage: boxctl " << rest.first() << " SUBCOMMAND\n\nsubcommands:\n";
            printCommandList(to, group);
            return wantsHelp ? 0 : 2;
        }
        err << "boxctl: unknown command '" << rest.first() << "'\n";
        printHelp(err);
        return 2;
    }
    if (wantsHelp) {
        printCommandHelp(out, *best);
        return 0;
    }
    Context ctx{global, rest.mid(words), out, err};
    const int status = best->run(ctx);
    out.flush();
    err.flush();
    return status;
}

Args parseArgs(const QStringList &in, const QStringList &valued, const QStringList &boolean,
               const QMap<QString, QString> &aliases)
{
    // QCommandLineParser names options without their dashes.
    const auto names = [&aliases](const QString &name) {
        QStringList n{name.mid(2)};
        for (auto it = aliases.cbegin(); it != aliases.cend(); ++it)
            if (it.value() == name)
                n << it.key().mid(1);
        return n;
    };
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsCompactedShortOptions);
    for (const QString &name : valued)
        parser.addOption(QCommandLineOption(names(name), QString(), QStringLiteral("value")));
    for (const QString &name : boolean)
        parser.addOption(QCommandLineOption(names(name)));
    Args a;
    if (!parser.parse(QStringList{QStringLiteral("boxctl")} + in)) {
        // Qt's wording ("Unknown option 'x'.") without the dashes: say it as typed.
        const QStringList unknown = parser.unknownOptionNames();
        if (!unknown.isEmpty()) {
            const QString &u = unknown.first();
            a.error = QStringLiteral("unknown option %1%2")
                          .arg(u.size() == 1 ? QStringLiteral("-") : QStringLiteral("--"), u);
        } else {
            const QString text = parser.errorText(); // "Missing value after '--tail'."
            const QString prefix = QStringLiteral("Missing value after '");
            const qsizetype end = text.lastIndexOf(QLatin1Char('\''));
            a.error = text.startsWith(prefix) && end > prefix.size()
                          ? text.mid(prefix.size(), end - prefix.size()) +
                                QStringLiteral(" needs a value")
                          : text;
        }
        return a;
    }
    for (const QString &name : valued)
        if (parser.isSet(name.mid(2)))
            a.values.insert(name, parser.values(name.mid(2)));
    for (const QString &name : boolean)
        if (parser.isSet(name.mid(2)))
            a.flags.insert(name);
    a.positional = parser.positionalArguments();
    return a;
}

} // namespace bc::cli
