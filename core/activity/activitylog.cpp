#include "core/activity/activitylog.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThreadPool>
#include <QtConcurrent>

#include <atomic>
#include <pwd.h>
#include <unistd.h>

namespace bc::activity {

using util::json::Json;

namespace {

constexpr int BusyTimeoutMs = 10000;

// A connection of its own for every call: Qt SQL connections belong to the thread that
// opened them, callers come from any thread, and opening an SQLite file costs far less
// than the fsync of the append it precedes.
class Connection
{
public:
    explicit Connection(const QString &path)
        : m_name(QStringLiteral("bc-activity-%1").arg(s_counter.fetch_add(1)))
    {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        m_db.setDatabaseName(path);
        m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(BusyTimeoutMs));
    }
    ~Connection()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    QSqlDatabase &db() { return m_db; }

private:
    static inline std::atomic<quint64> s_counter{0};
    QString m_name;
    QSqlDatabase m_db;
};

Error sqlError(const QString &what, const QSqlError &e)
{
    return Error(Error::Kind::Io, QStringLiteral("activity log: %1: %2").arg(what, e.text()));
}

Result<bool> exec(QSqlQuery &q, const QString &sql)
{
    if (!q.exec(sql))
        return sqlError(sql.section(QLatin1Char(' '), 0, 2), q.lastError());
    return true;
}

// A null QString binds as SQL NULL; the columns hold text, empty or not.
QString notNull(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

QString timeText(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QByteArray paramsText(const Json &params)
{
    return util::json::dump(params.is_object() ? params : Json::object());
}

QByteArray chainHash(const QByteArray &prevHash, const QByteArray &canonical)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(prevHash);
    h.addData(canonical);
    return h.result().toHex();
}

const char *const Columns =
    "seq, time, actor, action, backend, box, params, result, error, prev_hash, hash";

ActivityRecord fromRow(const QSqlQuery &q)
{
    ActivityRecord r;
    r.seq = q.value(0).toLongLong();
    r.time = QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs).toUTC();
    r.actor = q.value(2).toString();
    r.action = q.value(3).toString();
    r.backend = q.value(4).toString();
    r.box = q.value(5).toString();
    const auto params = util::json::parse(q.value(6).toString().toUtf8(), QString());
    r.params = params && params->is_object() ? params.value() : Json::object();
    r.result = q.value(7).toString();
    r.error = q.value(8).toString();
    r.prevHash = q.value(9).toString().toLatin1();
    r.hash = q.value(10).toString().toLatin1();
    return r;
}

// A JSON string exactly as the chain's first records were hashed (by Qt's JSON writer):
// nlohmann escapes valid text the same way, but a lone surrogate has no UTF-8 form, and
// Qt wrote it as a \uXXXX escape.
void appendQuoted(std::string &out, const QString &s)
{
    const auto escapedRun = [&out](const QString &run) {
        const std::string quoted = Json(util::json::utf8(run)).dump();
        out.append(quoted, 1, quoted.size() - 2);
    };
    out += '"';
    qsizetype start = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c.isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate()) {
            ++i;
            continue;
        }
        if (!c.isSurrogate())
            continue;
        escapedRun(s.mid(start, i - start));
        out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0')).toStdString();
        start = i + 1;
    }
    escapedRun(s.mid(start));
    out += '"';
}

// The canonical bytes from the stored column values themselves, so that verify hashes
// exactly what is on disk and a JSON re-serialisation can never change a hash: the compact
// array [seq, time, actor, action, backend, box, params, result, error].
QByteArray canonicalFromColumns(qint64 seq, const QString &time, const QString &actor,
                                const QString &action, const QString &backend, const QString &box,
                                const QString &params, const QString &result, const QString &error)
{
    std::string out = '[' + std::to_string(seq);
    for (const QString *s : {&time, &actor, &action, &backend, &box, &params, &result, &error}) {
        out += ',';
        appendQuoted(out, *s);
    }
    out += ']';
    return QByteArray::fromStdString(out);
}

VoidResult ensureSchema(QSqlDatabase &db)
{
    QSqlQuery q(db);
    static const char *const statements[] = {
        "CREATE TABLE IF NOT EXISTS activity ("
        " seq INTEGER PRIMARY KEY, time TEXT NOT NULL, actor TEXT NOT NULL,"
        " action TEXT NOT NULL, backend TEXT NOT NULL, box TEXT NOT NULL,"
        " params TEXT NOT NULL, result TEXT NOT NULL, error TEXT NOT NULL,"
        " prev_hash TEXT NOT NULL, hash TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS activity_box ON activity(box, seq)",
        "CREATE INDEX IF NOT EXISTS activity_time ON activity(time)",
        "CREATE TRIGGER IF NOT EXISTS activity_no_update BEFORE UPDATE ON activity"
        " BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END",
        "CREATE TRIGGER IF NOT EXISTS activity_no_delete BEFORE DELETE ON activity"
        " BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END",
    };
    // Checked first so that the common case takes no write lock.
    if (!q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name IN "
                               "('activity', 'activity_box', 'activity_time', "
                               "'activity_no_update', 'activity_no_delete')")))
        return sqlError(QStringLiteral("schema"), q.lastError());
    if (q.next() && q.value(0).toInt() == int(std::size(statements)))
        return {};
    // WAL lets the console read while boxctl or the service appends; it is a property of
    // the file, set once when the file gets its schema.
    (void)q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    for (const char *sql : statements) {
        if (const auto r = exec(q, QString::fromLatin1(sql)); !r)
            return r.error();
    }
    return {};
}

bool tableExists(QSqlDatabase &db)
{
    QSqlQuery q(db);
    return q.exec(QStringLiteral(
               "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'activity'")) &&
           q.next();
}

QString osUser()
{
    if (const passwd *pw = getpwuid(geteuid()); pw && pw->pw_name && *pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? QStringLiteral("uid:%1").arg(geteuid()) : user;
}

ActivityLog *s_instance = nullptr;

void flushInstanceAtExit()
{
    if (s_instance)
        s_instance->flush();
}

} // namespace

// ---- ActivityRecord -----------------------------------------------------------------------

ActivityRecord ActivityRecord::make(const QString &action, const QString &backend,
                                    const QString &box, const Json &params)
{
    ActivityRecord r;
    r.action = action;
    r.backend = backend;
    r.box = box;
    r.params = params.is_object() ? params : Json::object();
    r.result = results::ok();
    return r;
}

ActivityRecord ActivityRecord::make(const QString &action, const QString &backend,
                                    const QString &box, const QVariantMap &params)
{
    return make(action, backend, box, util::json::fromVariant(params));
}

ActivityRecord &ActivityRecord::succeeded()
{
    result = results::ok();
    error.clear();
    return *this;
}

ActivityRecord &ActivityRecord::failedWith(const QString &message)
{
    result = results::failed();
    error = message;
    return *this;
}

ActivityRecord &ActivityRecord::refusedWith(const QString &message)
{
    result = results::refused();
    error = message;
    return *this;
}

ActivityRecord &ActivityRecord::withOutcome(const Error *e)
{
    if (!e)
        return succeeded();
    const bool refused =
        e->kind() == Error::Kind::Invalid || e->kind() == Error::Kind::Unauthorized;
    return refused ? refusedWith(e->toString()) : failedWith(e->toString());
}

Json ActivityRecord::toJson() const
{
    using util::json::utf8;
    return Json{
        {"seq", seq},
        {"time", utf8(timeText(time))},
        {"actor", utf8(actor)},
        {"action", utf8(action)},
        {"backend", utf8(backend)},
        {"box", utf8(box)},
        {"params", params},
        {"result", utf8(result)},
        {"error", error.isEmpty() ? Json() : Json(utf8(error))},
        {"hash", hash.toStdString()},
    };
}

// ---- ActivityLog --------------------------------------------------------------------------

struct ActivityLog::Private
{
    QString path;
    QThreadPool writer; // one thread: queued records keep their order
};

ActivityLog::ActivityLog(QString path)
    : d(std::make_unique<Private>())
{
    d->path = std::move(path);
    d->writer.setMaxThreadCount(1);
}

ActivityLog::~ActivityLog()
{
    d->writer.waitForDone();
    if (s_instance == this)
        s_instance = nullptr;
}

ActivityLog &ActivityLog::instance()
{
    static ActivityLog log(defaultPath());
    static const bool registered = [] {
        s_instance = &log;
        // Queued records are written before the application (and Qt SQL's plugins) go.
        if (QCoreApplication::instance())
            qAddPostRoutine(flushInstanceAtExit);
        return true;
    }();
    Q_UNUSED(registered);
    return log;
}

QString ActivityLog::defaultPath()
{
    const QString explicitPath = qEnvironmentVariable("BOX_ACTIVITY_DB");
    if (!explicitPath.isEmpty())
        return explicitPath;
    QString base = qEnvironmentVariable("XDG_DATA_HOME");
    if (base.isEmpty() || !QDir::isAbsolutePath(base))
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return base + QStringLiteral("/box-console/activity.sqlite");
}

QString ActivityLog::defaultActor()
{
    const QString env = qEnvironmentVariable("BOX_ACTOR").trimmed();
    if (!env.isEmpty())
        return env;
    const QString configured =
        QSettings(QStringLiteral("box-console"), QStringLiteral("box-console"))
            .value(QStringLiteral("activity/actor"))
            .toString()
            .trimmed();
    return configured.isEmpty() ? osUser() : configured;
}

QString ActivityLog::path() const
{
    return d->path;
}

QFuture<Result<ActivityRecord>> ActivityLog::record(const ActivityRecord &record)
{
    ActivityRecord r = record;
    // Stamped at the call, not when the writer gets to it.
    if (!r.time.isValid())
        r.time = QDateTime::currentDateTimeUtc();
    if (r.actor.isEmpty())
        r.actor = defaultActor();
    return QtConcurrent::run(&d->writer, [this, r]() -> Result<ActivityRecord> {
        Result<ActivityRecord> stored = append(r);
        if (!stored)
            qWarning("box-console: could not record %s of %s: %s", qUtf8Printable(r.action),
                     qUtf8Printable(r.box), qUtf8Printable(stored.error().toString()));
        return stored;
    });
}

bool ActivityLog::flush(int timeoutMs)
{
    return d->writer.waitForDone(timeoutMs);
}

QByteArray ActivityLog::canonical(const ActivityRecord &r)
{
    return canonicalFromColumns(r.seq, timeText(r.time), r.actor, r.action, r.backend, r.box,
                                QString::fromUtf8(paramsText(r.params)), r.result, r.error);
}

Result<ActivityRecord> ActivityLog::append(const ActivityRecord &record)
{
    ActivityRecord r = record;
    if (!r.time.isValid())
        r.time = QDateTime::currentDateTimeUtc();
    r.time = r.time.toUTC();
    if (r.actor.isEmpty())
        r.actor = defaultActor();
    if (r.action.isEmpty())
        return Error(Error::Kind::Invalid,
                     QStringLiteral("activity log: a record needs an action"));
    if (r.result.isEmpty())
        r.result = results::ok();

    const QFileInfo info(d->path);
    const bool created = !info.exists();
    if (created && !QDir().mkpath(info.absolutePath()))
        return Error(Error::Kind::Io,
                     QStringLiteral("activity log: cannot create %1").arg(info.absolutePath()));
    Connection c(d->path);
    if (!c.db().open())
        return sqlError(QStringLiteral("open %1").arg(d->path), c.db().lastError());
    if (const auto schema = ensureSchema(c.db()); !schema)
        return schema.error();
    if (created) // who did what on which box is the user's own business
        QFile::setPermissions(d->path, QFile::ReadOwner | QFile::WriteOwner);

    QSqlQuery q(c.db());
    // IMMEDIATE takes the write lock before the previous hash is read: two writers (the
    // console, boxctl, the service) then queue up instead of both chaining to one record.
    if (const auto begin = exec(q, QStringLiteral("BEGIN IMMEDIATE")); !begin)
        return begin.error();
    const auto rollback = [&q](const Error &e) -> Result<ActivityRecord> {
        (void)q.exec(QStringLiteral("ROLLBACK"));
        return e;
    };
    if (!q.exec(QStringLiteral("SELECT seq, hash FROM activity ORDER BY seq DESC LIMIT 1")))
        return rollback(sqlError(QStringLiteral("read the chain head"), q.lastError()));
    r.seq = 1;
    r.prevHash.clear();
    if (q.next()) {
        r.seq = q.value(0).toLongLong() + 1;
        r.prevHash = q.value(1).toString().toLatin1();
    }
    q.finish();
    const QString params = QString::fromUtf8(paramsText(r.params));
    r.hash =
        chainHash(r.prevHash, canonicalFromColumns(r.seq, timeText(r.time), r.actor, r.action,
                                                   r.backend, r.box, params, r.result, r.error));
    q.prepare(QStringLiteral("INSERT INTO activity (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                  .arg(QLatin1String(Columns)));
    q.addBindValue(r.seq);
    q.addBindValue(timeText(r.time));
    q.addBindValue(notNull(r.actor));
    q.addBindValue(notNull(r.action));
    q.addBindValue(notNull(r.backend));
    q.addBindValue(notNull(r.box));
    q.addBindValue(notNull(params));
    q.addBindValue(notNull(r.result));
    q.addBindValue(notNull(r.error));
    q.addBindValue(notNull(QString::fromLatin1(r.prevHash)));
    q.addBindValue(QString::fromLatin1(r.hash));
    if (!q.exec())
        return rollback(sqlError(QStringLiteral("append"), q.lastError()));
    if (const auto commit = exec(q, QStringLiteral("COMMIT")); !commit)
        return rollback(commit.error());
    return r;
}

Result<QList<ActivityRecord>> ActivityLog::query(const ActivityFilter &filter) const
{
    if (!QFileInfo::exists(d->path))
        return QList<ActivityRecord>();
    Connection c(d->path);
    if (!c.db().open())
        return sqlError(QStringLiteral("open %1").arg(d->path), c.db().lastError());
    if (!tableExists(c.db()))
        return QList<ActivityRecord>();
    QStringList where;
    QVariantList values;
    const auto add = [&](const char *clause, const QVariant &v) {
        where << QString::fromLatin1(clause);
        values << v;
    };
    if (!filter.box.isEmpty())
        add("box = ?", filter.box);
    if (!filter.backend.isEmpty())
        add("backend = ?", filter.backend);
    if (!filter.actor.isEmpty())
        add("actor = ?", filter.actor);
    if (!filter.action.isEmpty())
        add("action = ?", filter.action);
    if (filter.since.isValid())
        add("time >= ?", timeText(filter.since));
    if (filter.until.isValid())
        add("time < ?", timeText(filter.until));
    if (filter.afterSeq > 0)
        add("seq > ?", filter.afterSeq);
    QString sql = QStringLiteral("SELECT %1 FROM activity").arg(QLatin1String(Columns));
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    // The newest `limit` records, handed back oldest first like the unlimited query.
    sql += filter.limit > 0 ? QStringLiteral(" ORDER BY seq DESC LIMIT %1").arg(filter.limit)
                            : QStringLiteral(" ORDER BY seq ASC");
    QSqlQuery q(c.db());
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return sqlError(QStringLiteral("query"), q.lastError());
    for (const QVariant &v : std::as_const(values))
        q.addBindValue(v);
    if (!q.exec())
        return sqlError(QStringLiteral("query"), q.lastError());
    QList<ActivityRecord> out;
    while (q.next())
        out << fromRow(q);
    if (filter.limit > 0)
        std::reverse(out.begin(), out.end());
    return out;
}

Result<VerifyReport> ActivityLog::verify() const
{
    VerifyReport report;
    if (!QFileInfo::exists(d->path))
        return report;
    Connection c(d->path);
    if (!c.db().open())
        return sqlError(QStringLiteral("open %1").arg(d->path), c.db().lastError());
    if (!tableExists(c.db()))
        return report;
    QSqlQuery q(c.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT seq, time, actor, action, backend, box, params, result, "
                               "error, prev_hash, hash FROM activity ORDER BY seq ASC")))
        return sqlError(QStringLiteral("verify"), q.lastError());
    QByteArray prev;
    qint64 expectedSeq = 1;
    const auto bad = [&report](qint64 seq, const QString &problem) {
        report.intact = false;
        report.firstBadSeq = seq;
        report.problem = problem;
    };
    while (q.next()) {
        const qint64 seq = q.value(0).toLongLong();
        const QString label = QStringLiteral("record %1 (%2 %3 %4 by %5)")
                                  .arg(seq)
                                  .arg(q.value(1).toString(), q.value(3).toString(),
                                       q.value(5).toString(), q.value(2).toString());
        if (seq != expectedSeq) {
            bad(expectedSeq, seq > expectedSeq
                                 ? QStringLiteral("record %1 is missing (the chain jumps to %2)")
                                       .arg(expectedSeq)
                                       .arg(seq)
                                 : QStringLiteral("%1 is out of sequence").arg(label));
            break;
        }
        const QByteArray storedPrev = q.value(9).toString().toLatin1();
        const QByteArray stored = q.value(10).toString().toLatin1();
        const QByteArray computed = chainHash(
            storedPrev, canonicalFromColumns(seq, q.value(1).toString(), q.value(2).toString(),
                                             q.value(3).toString(), q.value(4).toString(),
                                             q.value(5).toString(), q.value(6).toString(),
                                             q.value(7).toString(), q.value(8).toString()));
        if (computed != stored) {
            bad(seq, QStringLiteral("%1 was modified").arg(label));
            break;
        }
        if (storedPrev != prev) {
            // The record itself is consistent but does not follow its predecessor: the
            // predecessor was replaced, or records were removed and renumbered.
            bad(seq, QStringLiteral("%1 does not follow record %2 (a record before it was "
                                    "modified or removed)")
                         .arg(label)
                         .arg(seq - 1));
            break;
        }
        prev = stored;
        ++report.count;
        ++expectedSeq;
    }
    if (report.intact)
        report.headHash = prev;
    return report;
}

} // namespace bc::activity
