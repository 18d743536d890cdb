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

Args parseArgs(const QStringList &in, const QStringList &valued, const QStringList &boolean,
               const QMap<QString, QString> &aliases)
{
    Args a;
    // Combined short flags as the docker CLI takes them: -aq is -a -q.
    QStringList expanded;
    for (const QString &arg : in) {
        bool combined = arg.size() > 2 && arg.startsWith(QLatin1Char('-')) &&
                        !arg.startsWith(QLatin1String("--"));
        for (int k = 1; combined && k < arg.size(); ++k)
            combined = boolean.contains(aliases.value(QStringLiteral("-") + arg.at(k)));
        if (combined) {
            for (int k = 1; k < arg.size(); ++k)
                expanded << QStringLiteral("-") + arg.at(k);
        } else {
            expanded << arg;
        }
    }
    for (int i = 0; i < expanded.size(); ++i) {
        QString arg = expanded.at(i);
        QString value;
        bool hasValue = false;
        if (arg.startsWith(QLatin1String("--")) && arg.contains(QLatin1Char('='))) {
            value = arg.mid(arg.indexOf(QLatin1Char('=')) + 1);
            arg = arg.left(arg.indexOf(QLatin1Char('=')));
            hasValue = true;
        }
        arg = aliases.value(arg, arg);
        if (valued.contains(arg)) {
            if (!hasValue) {
                if (i + 1 >= expanded.size()) {
                    a.bad = arg + QStringLiteral(" needs a value");
                    return a;
                }
                value = expanded.at(++i);
            }
            a.values.insert(arg, value);
        } else if (boolean.contains(arg) && !hasValue) {
            a.flags.insert(arg);
        } else if (arg.startsWith(QLatin1Char('-')) && arg.size() > 1) {
            a.bad = QStringLiteral("unknown option %1").arg(arg);
            return a;
        } else {
            a.positional << expanded.at(i);
        }
    }
    return a;
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
