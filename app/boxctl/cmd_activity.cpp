// boxctl activity: the per-user activity log (who did what to which box, with what
// result), and `activity verify`, which checks the hash chain for modified or missing
// records.

#include "app/boxctl/activityhooks.h"

#include <QRegularExpression>

using namespace bc;
using namespace bc::activity;

namespace bc::cli {

void recordActivity(Context &ctx, ActivityRecord record)
{
    const auto stored = ActivityLog::instance().append(record);
    if (!stored)
        ctx.err << "boxctl: warning: " << stored.error().toString() << Qt::endl;
}

void recordActivity(Context &ctx, ActivityRecord record, const Error *error)
{
    record.withOutcome(error);
    recordActivity(ctx, std::move(record));
}

void recordJob(Context &ctx, const boxes::BoxJob *job, ActivityRecord record)
{
    if (!job->isFinished()) {
        const Error abandoned(Error::Kind::Cancelled, QStringLiteral("did not finish"));
        recordActivity(ctx, std::move(record), &abandoned);
        return;
    }
    const Result<boxes::BoxInfo> &r = job->result();
    recordActivity(ctx, std::move(record), r ? nullptr : &r.error());
}

} // namespace bc::cli

namespace {

const QString Usage = QStringLiteral("activity [--json] [--box B] [--actor A] [--action X] "
                                     "[--since DURATION|ISO] [--limit N]");

// "90s", "30m", "12h", "7d", "2w" or plain seconds back from now; else an ISO 8601 time
// (local time unless it carries Z or an offset).
Result<QDateTime> parseSince(const QString &text, const QDateTime &now)
{
    static const QRegularExpression duration(QStringLiteral("^(\\d{1,9})([smhdw]?)$"));
    if (const auto m = duration.match(text.trimmed()); m.hasMatch()) {
        const qint64 n = m.captured(1).toLongLong();
        const QString unit = m.captured(2);
        const qint64 factor = unit == QLatin1String("m")   ? 60
                              : unit == QLatin1String("h") ? 3600
                              : unit == QLatin1String("d") ? 86400
                              : unit == QLatin1String("w") ? 7 * 86400
                                                           : 1;
        return now.addSecs(-n * factor);
    }
    QDateTime t = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text.trimmed(), Qt::ISODate);
    if (!t.isValid())
        return Error(Error::Kind::Invalid,
                     QStringLiteral("--since: expected a duration (30m, 12h, 7d) or an ISO 8601 "
                                    "time, got %1")
                         .arg(text));
    return t.toUTC();
}

int cmdActivity(cli::Context &ctx)
{
    const cli::Args args = cli::parseArgs(
        ctx.args, {QStringLiteral("--box"), QStringLiteral("--actor"), QStringLiteral("--action"),
                   QStringLiteral("--since"), QStringLiteral("--limit")});
    if (!args.error.isEmpty() || !args.positional.isEmpty())
        return cli::usageError(
            ctx, (!args.error.isEmpty()
                      ? args.error
                      : QStringLiteral("unexpected argument %1").arg(args.positional.first())) +
                     QStringLiteral("\nusage: boxctl ") + Usage);
    ActivityFilter filter;
    filter.box = args.value(QStringLiteral("--box"));
    filter.actor = args.value(QStringLiteral("--actor"));
    filter.action = args.value(QStringLiteral("--action"));
    const QString since = args.value(QStringLiteral("--since"));
    const QString limit = args.value(QStringLiteral("--limit"));
    if (!since.isEmpty()) {
        const auto t = parseSince(since, QDateTime::currentDateTimeUtc());
        if (!t)
            return cli::fail(ctx, t.error());
        filter.since = t.value();
    }
    if (!limit.isEmpty()) {
        bool ok = false;
        filter.limit = limit.toInt(&ok);
        if (!ok || filter.limit <= 0)
            return cli::fail(ctx, Error(Error::Kind::Invalid,
                                        QStringLiteral("--limit: expected a positive number, "
                                                       "got %1")
                                            .arg(limit)));
    }
    const auto records = ActivityLog::instance().query(filter);
    if (!records)
        return cli::fail(ctx, records.error());
    if (ctx.global.json) {
        auto a = util::json::Json::array();
        for (const ActivityRecord &r : records.value())
            a.push_back(r.toJson());
        ctx.out << QString::fromUtf8(util::json::dump({{"records", a}}, 4)) << Qt::endl;
        return 0;
    }
    QList<QStringList> rows;
    rows << QStringList{QStringLiteral("SEQ"),     QStringLiteral("TIME"), QStringLiteral("ACTOR"),
                        QStringLiteral("ACTION"),  QStringLiteral("BOX"),  QStringLiteral("RESULT"),
                        QStringLiteral("BACKEND"), QStringLiteral("ERROR")};
    for (const ActivityRecord &r : records.value())
        rows << QStringList{QString::number(r.seq),
                            r.time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss'Z'")),
                            r.actor,
                            r.action,
                            r.box.isEmpty() ? QStringLiteral("-") : r.box,
                            r.result,
                            r.backend.isEmpty() ? QStringLiteral("-") : r.backend,
                            r.error.simplified()};
    cli::printTable(ctx.out, rows);
    return 0;
}

int cmdVerify(cli::Context &ctx)
{
    if (!ctx.args.isEmpty())
        return cli::usageError(ctx, QStringLiteral("usage: boxctl activity verify [--json]"));
    const auto report = ActivityLog::instance().verify();
    if (!report)
        return cli::fail(ctx, report.error());
    const VerifyReport &v = report.value();
    if (ctx.global.json) {
        util::json::Json o{{"intact", v.intact},
                           {"count", v.count},
                           {"path", util::json::utf8(ActivityLog::instance().path())}};
        if (v.intact) {
            o["head"] = v.headHash.toStdString();
        } else {
            o["firstBad"] = v.firstBadSeq;
            o["problem"] = util::json::utf8(v.problem);
        }
        ctx.out << QString::fromUtf8(util::json::dump(o, 4)) << Qt::endl;
        return v.intact ? 0 : 1;
    }
    if (v.intact) {
        ctx.out << v.count << (v.count == 1 ? " record" : " records") << ", chain intact"
                << Qt::endl;
        if (!v.headHash.isEmpty())
            ctx.out << "head " << QString::fromLatin1(v.headHash) << Qt::endl;
        return 0;
    }
    ctx.out << "chain broken: " << v.problem << " (" << v.count
            << (v.count == 1 ? " record" : " records") << " before it intact)" << Qt::endl;
    return 1;
}

const cli::Registrar regActivity({QStringLiteral("activity"), Usage,
                                  QStringLiteral("Who did what to which box: the activity log "
                                                 "(--since 30m|12h|7d or an ISO time)"),
                                  cmdActivity});
const cli::Registrar regVerify({QStringLiteral("activity verify"),
                                QStringLiteral("activity verify [--json]"),
                                QStringLiteral("Check the activity log's hash chain (exit 1 "
                                               "names the first modified or missing record)"),
                                cmdVerify});

} // namespace
