#include "app/boxctl/cli.h"

#include <QCoreApplication>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

using namespace bc::cli;

static void printHelp(QTextStream &out)
{
    out << "usage: boxctl [--host URL] [--context NAME] [--backend KIND] [--coolify-url URL] "
           "[--json] COMMAND [ARGS]\n\ncommands:\n";
    auto list = commands();
    std::sort(list.begin(), list.end(),
              [](const Command &a, const Command &b) { return a.name < b.name; });
    for (const Command &c : list)
        out << "  " << c.usage.leftJustified(52) << " " << c.summary << "\n";
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("boxctl"));
    QCoreApplication::setOrganizationName(QStringLiteral("box-console"));
    QTextStream out(stdout);
    QTextStream err(stderr);

    GlobalOptions global;
    QStringList rest;
    const QStringList argsIn = app.arguments().mid(1);
    for (int i = 0; i < argsIn.size(); ++i) {
        const QString &a = argsIn.at(i);
        auto takeValue = [&](const QString &flag, QString &into) {
            if (a == flag) {
                if (i + 1 >= argsIn.size())
                    return false;
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
        } else if ((beforeCommand
                    && (takeValue(QStringLiteral("--host"), global.host)
                        || takeValue(QStringLiteral("-H"), global.host)
                        || takeValue(QStringLiteral("--context"), global.context)))
                   || takeValue(QStringLiteral("--backend"), global.backend)
                   || takeValue(QStringLiteral("--coolify-url"), global.coolifyUrl)) {
        } else {
            rest << a;
        }
    }
    if (rest.isEmpty() || rest.first() == QLatin1String("help")
        || rest.first() == QLatin1String("--help") || rest.first() == QLatin1String("-h")) {
        printHelp(out);
        return rest.isEmpty() ? 2 : 0;
    }

    // Longest match wins so that "coolify servers" beats a hypothetical "coolify".
    const Command *best = nullptr;
    int bestWords = 0;
    for (const Command &c : commands()) {
        const QStringList words = c.name.split(QLatin1Char(' '));
        if (words.size() <= rest.size() && rest.mid(0, words.size()) == words
            && words.size() > bestWords) {
            best = &c;
            bestWords = int(words.size());
        }
    }
    if (!best) {
        err << "boxctl: unknown command '" << rest.first() << "'\n";
        printHelp(err);
        return 2;
    }
    Context ctx{global, rest.mid(bestWords), out, err};
    const int status = best->run(ctx);
    out.flush();
    err.flush();
    return status;
}
