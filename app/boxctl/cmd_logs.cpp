// `logs`: a container's output, stdout and stderr kept apart as `docker logs` does.

#include "app/boxctl/enginecli.h"

#include "core/docker/logoptions.h"
#include "core/docker/logstream.h"

#include <QEventLoop>

#include <cstdio>
#include <optional>

using namespace bc;
using namespace bc::docker;
using namespace bc::cli::engine;
using bc::cli::Context;

namespace {

int cmdLogs(Context &ctx)
{
    const cli::Args a =
        cli::parseArgs(ctx.args, {QStringLiteral("--tail"), QStringLiteral("--since")},
                       {QStringLiteral("--follow"), QStringLiteral("--timestamps")},
                       {{QStringLiteral("-f"), QStringLiteral("--follow")},
                        {QStringLiteral("-t"), QStringLiteral("--timestamps")},
                        {QStringLiteral("-n"), QStringLiteral("--tail")}});
    if (!a.error.isEmpty())
        return cli::usageError(ctx, a.error);
    if (a.positional.size() != 1)
        return cli::usageError(ctx, QStringLiteral("usage: boxctl logs NAME [-f] [--tail N] [-t]"));
    LogOptions options;
    options.follow = a.isSet(QStringLiteral("--follow"));
    options.timestamps = a.isSet(QStringLiteral("--timestamps"));
    if (a.isSet(QStringLiteral("--tail"))) {
        const QString t = a.value(QStringLiteral("--tail"));
        bool ok = true;
        options.tail = t == QLatin1String("all") ? -1 : t.toInt(&ok);
        if (!ok || options.tail < -1)
            return cli::usageError(ctx, QStringLiteral("--tail takes a number or 'all'"));
    }
    if (a.isSet(QStringLiteral("--since"))) {
        const Result<qint64> t = parseTime(a.value(QStringLiteral("--since")));
        if (!t)
            return cli::fail(ctx, t.error());
        options.since = *t / 1000000000LL;
    }
    Error error;
    auto client = connectEngine(ctx, &error);
    if (!client)
        return cli::fail(ctx, error);
    ctx.out.flush();
    LogStream *stream = client->logs(a.positional.first(), options);
    QEventLoop loop;
    std::optional<VoidResult> result;
    QObject::connect(stream, &LogStream::linesReceived, &loop, [&](const QList<LogLine> &lines) {
        for (const LogLine &l : lines) {
            FILE *f = l.stream == LogLine::Stream::Stderr || l.stream == LogLine::Stream::System
                          ? stderr
                          : stdout;
            std::fwrite(l.text.constData(), 1, size_t(l.text.size()), f);
            std::fflush(f);
        }
    });
    QObject::connect(stream, &LogStream::finished, &loop, [&](const VoidResult &r) {
        result = r;
        loop.quit();
    });
    loop.exec();
    if (result && !*result)
        return cli::fail(ctx, result->error());
    return 0;
}

const cli::Registrar regLogs({QStringLiteral("logs"),
                              QStringLiteral("logs NAME [-f] [--tail N] [-t]"),
                              QStringLiteral("Print a container's logs"), cmdLogs});

} // namespace
