#include "app/boxctl/enginecli.h"

#include "core/docker/endpointresolver.h"

#include <QDateTime>
#include <QRegularExpression>

namespace bc::cli::engine {

using namespace bc::docker;

std::unique_ptr<DockerClient> connectEngine(Context &ctx, Error *error)
{
    Result<ResolvedEndpoint> resolved =
        EndpointResolver::resolve(ResolveInputs::fromProcess(ctx.global.host, ctx.global.context));
    if (!resolved) {
        *error = resolved.error();
        return nullptr;
    }
    for (const QString &w : resolved->warnings)
        ctx.err << "boxctl: warning: " << w << Qt::endl;
    auto client = std::make_unique<DockerClient>(resolved->endpoint);
    const QByteArray pinned = qgetenv("DOCKER_API_VERSION");
    if (!pinned.isEmpty())
        client->setApiVersion(QString::fromLatin1(pinned));
    return client;
}

Result<Filters> parseFilters(const QStringList &specs)
{
    Filters f;
    for (const QString &s : specs) {
        const int eq = int(s.indexOf(QLatin1Char('=')));
        if (eq <= 0)
            return Error(
                Error::Kind::Invalid,
                QStringLiteral("bad filter '%1': expected KEY=VALUE, e.g. label=box-console.test=1")
                    .arg(s));
        f[s.left(eq)].append(s.mid(eq + 1));
    }
    return f;
}

Result<qint64> parseTime(const QString &text)
{
    bool ok = false;
    const double secs = text.toDouble(&ok);
    if (ok)
        return qint64(secs * 1e9);
    static const QRegularExpression duration(QStringLiteral("^(\\d+)(s|m|h)$"));
    const auto m = duration.match(text);
    if (m.hasMatch()) {
        const qint64 n = m.captured(1).toLongLong();
        const qint64 unit = m.captured(2) == QLatin1String("s")   ? 1
                            : m.captured(2) == QLatin1String("m") ? 60
                                                                  : 3600;
        return (QDateTime::currentSecsSinceEpoch() - n * unit) * 1000000000LL;
    }
    const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (t.isValid())
        return t.toMSecsSinceEpoch() * 1000000LL;
    return Error(Error::Kind::Invalid,
                 QStringLiteral("bad time '%1': use unix seconds, RFC 3339 or a duration like 10m")
                     .arg(text));
}

void printDockerTable(QTextStream &out, const QStringList &header, QList<QStringList> rows)
{
    rows.prepend(header);
    cli::printTable(out, rows, 3);
}

QString shortId(QString id)
{
    if (id.startsWith(QLatin1String("sha256:")))
        id = id.mid(7);
    return id.left(12);
}

void writeJson(QTextStream &out, const nlohmann::json &j)
{
    out << QString::fromStdString(j.dump()) << '\n';
    out.flush();
}

} // namespace bc::cli::engine
