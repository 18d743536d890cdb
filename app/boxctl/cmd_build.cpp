// `build`: an image from a context directory with the classic builder (offline).

#include "app/boxctl/enginecli.h"

#include "core/docker/buildjob.h"
#include "core/docker/buildoptions.h"

#include <QEventLoop>

#include <algorithm>
#include <optional>

using namespace bc;
using namespace bc::docker;
using namespace bc::cli::engine;
using bc::cli::Context;

namespace {

int cmdBuild(Context &ctx)
{
    const cli::Args a = cli::parseArgs(ctx.args,
                                       {QStringLiteral("--context"), QStringLiteral("--file"),
                                        QStringLiteral("--tag"), QStringLiteral("--build-arg"),
                                        QStringLiteral("--label")},
                                       {QStringLiteral("--no-cache"), QStringLiteral("--quiet")},
                                       {{QStringLiteral("-f"), QStringLiteral("--file")},
                                        {QStringLiteral("-t"), QStringLiteral("--tag")},
                                        {QStringLiteral("-q"), QStringLiteral("--quiet")}});
    if (!a.error.isEmpty())
        return cli::usageError(ctx, a.error);
    BuildOptions options;
    options.contextDir = a.value(QStringLiteral("--context"));
    if (options.contextDir.isEmpty() && a.positional.size() == 1)
        options.contextDir = a.positional.first();
    if (options.contextDir.isEmpty())
        return cli::usageError(
            ctx, QStringLiteral("usage: boxctl build --context DIR [--file Dockerfile] --tag TAG"));
    options.dockerfile = a.value(QStringLiteral("--file"));
    options.tags = a.all(QStringLiteral("--tag"));
    std::reverse(options.tags.begin(), options.tags.end()); // QMultiMap: newest first
    for (const QString &kv : a.all(QStringLiteral("--build-arg"))) {
        const int eq = int(kv.indexOf(QLatin1Char('=')));
        if (eq <= 0)
            return cli::usageError(ctx, QStringLiteral("--build-arg takes KEY=VALUE"));
        options.buildArgs.insert(kv.left(eq), kv.mid(eq + 1));
    }
    for (const QString &kv : a.all(QStringLiteral("--label"))) {
        const int eq = int(kv.indexOf(QLatin1Char('=')));
        if (eq <= 0)
            return cli::usageError(ctx, QStringLiteral("--label takes KEY=VALUE"));
        options.labels.insert(kv.left(eq), kv.mid(eq + 1));
    }
    options.noCache = a.isSet(QStringLiteral("--no-cache"));
    Error error;
    auto client = connectEngine(ctx, &error);
    if (!client)
        return cli::fail(ctx, error);
    const bool quiet = a.isSet(QStringLiteral("--quiet"));
    BuildJob *job = client->build(options);
    QEventLoop loop;
    std::optional<Result<QString>> result;
    QObject::connect(job, &BuildJob::output, &loop, [&](const QString &text) {
        if (!quiet) {
            ctx.err << text;
            ctx.err.flush();
        }
    });
    QObject::connect(job, &BuildJob::finished, &loop, [&](const Result<QString> &r) {
        result = r;
        loop.quit();
    });
    loop.exec();
    if (!result)
        return cli::fail(ctx, Error(Error::Kind::Cancelled, QStringLiteral("build abandoned")));
    if (!*result)
        return cli::fail(ctx, result->error());
    if (ctx.global.json)
        writeJson(ctx.out,
                  {{"ID", toStd(result->value())}, {"Tags", [&] {
                                                        nlohmann::json t = nlohmann::json::array();
                                                        for (const QString &tag : options.tags)
                                                            t.push_back(toStd(tag));
                                                        return t;
                                                    }()}});
    else
        ctx.out << result->value() << Qt::endl;
    return 0;
}

const cli::Registrar
    regBuild({QStringLiteral("build"), QStringLiteral("build --context DIR [--file F] --tag TAG"),
              QStringLiteral("Build an image (classic builder, offline)"), cmdBuild});

} // namespace
