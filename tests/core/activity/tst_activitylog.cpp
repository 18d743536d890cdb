#include "core/activity/activitylog.h"
#include "core/activity/specparams.h"
#include "core/security/boxspec.h"
#include "support/testutil.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QtConcurrent>

using namespace bc;
using namespace bc::activity;
using bc::util::json::Json;

namespace {

// The child process of concurrentProcesses: appends `count` records to the log named by
// the environment, as boxctl or the service would while the console writes too.
int writerMain()
{
    ActivityLog log(qEnvironmentVariable("BC_ACTIVITY_WRITER_DB"));
    const int count = qEnvironmentVariableIntValue("BC_ACTIVITY_WRITER_COUNT");
    const QString who = qEnvironmentVariable("BC_ACTIVITY_WRITER_NAME");
    for (int i = 0; i < count; ++i) {
        ActivityRecord r = ActivityRecord::make(actions::stop(), QStringLiteral("docker:test"),
                                                who + QString::number(i));
        r.actor = who;
        if (!log.append(r)) {
            fprintf(stderr, "append failed\n");
            return 1;
        }
    }
    return 0;
}

// The canonical form as records were hashed before core moved off Qt's JSON classes:
// records already in a log are checked against these bytes.
QByteArray qtCanonical(qint64 seq, const QStringList &columns)
{
    QJsonArray a{QJsonValue(seq)};
    for (const QString &c : columns)
        a.append(c);
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

// Qt's writer prints `text` (a compact document) unchanged: what nlohmann writes now reads
// the same as what Qt wrote before.
bool qtPrintsTheSame(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).toJson(QJsonDocument::Compact) == text;
}

// Raw access to the file, as someone with sqlite3 would have.
class RawDb
{
public:
    explicit RawDb(const QString &path)
    {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        m_db.setDatabaseName(path);
        if (!m_db.open())
            qFatal("cannot open %s", qPrintable(path));
    }
    ~RawDb()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    }
    // Empty on success, else the error text.
    QString exec(const QString &sql)
    {
        QSqlQuery q(m_db);
        return q.exec(sql) ? QString() : q.lastError().text();
    }
    // A row as an earlier version appended it (the columns from time to error).
    QString insert(qint64 seq, const QStringList &columns, const QByteArray &prevHash,
                   const QByteArray &hash)
    {
        QSqlQuery q(m_db);
        q.prepare(QStringLiteral("INSERT INTO activity (seq, time, actor, action, backend, box, "
                                 "params, result, error, prev_hash, hash) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        q.addBindValue(seq);
        for (const QString &c : columns)
            q.addBindValue(c);
        q.addBindValue(QString::fromLatin1(prevHash));
        q.addBindValue(QString::fromLatin1(hash));
        return q.exec() ? QString() : q.lastError().text();
    }

private:
    QSqlDatabase m_db;
};

} // namespace

class tst_ActivityLog : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void chainLinksEveryRecord();
    void emptyLogVerifies();
    void triggersRefuseUpdateAndDelete();
    void verifyNamesAnEditedRecord();
    void verifyNamesADeletedRecord();
    void verifyNamesARewrittenPredecessor();
    void queryFilters();
    void recordFromWorkerThreadsKeepsOneChain();
    void concurrentProcessesKeepOneChain();
    void defaultsFromEnvironment();
    void noSecretValues();
    void fileIsPrivate();
    void canonicalMatchesQtWriter_data();
    void canonicalMatchesQtWriter();
    void chainWrittenByQtWriterVerifies();
    void paramsTextMatchesQtWriter();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    QList<ActivityRecord> appendSome(ActivityLog &log, int n);
};

void tst_ActivityLog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("sub/activity.sqlite"));
}

void tst_ActivityLog::cleanup()
{
    m_dir.reset();
}

QList<ActivityRecord> tst_ActivityLog::appendSome(ActivityLog &log, int n)
{
    QList<ActivityRecord> out;
    for (int i = 1; i <= n; ++i) {
        ActivityRecord r = ActivityRecord::make(
            i % 2 ? actions::deploy() : actions::stop(), QStringLiteral("docker:unix:///x.sock"),
            QStringLiteral("box-%1").arg(i % 3), Json{{"i", i}});
        r.actor = i % 2 ? QStringLiteral("alice") : QStringLiteral("bob");
        r.time = QDateTime(QDate(2026, 12, 1), QTime(10, 0), Qt::UTC).addSecs(i * 3600);
        auto stored = log.append(r);
        if (!stored)
            qFatal("append: %s", qPrintable(stored.error().toString()));
        out << stored.value();
    }
    return out;
}

void tst_ActivityLog::chainLinksEveryRecord()
{
    ActivityLog log(m_path);
    const auto stored = appendSome(log, 3);
    QByteArray prev;
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(stored[i].seq, i + 1);
        QCOMPARE(stored[i].prevHash, prev);
        QCryptographicHash h(QCryptographicHash::Sha256);
        h.addData(prev);
        h.addData(ActivityLog::canonical(stored[i]));
        QCOMPARE(stored[i].hash, h.result().toHex());
        prev = stored[i].hash;
    }
    // What is read back is what was hashed.
    const auto all = log.query();
    QVERIFY_RESULT(all);
    QCOMPARE(all->size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(all->at(i).hash, stored[i].hash);
        QCOMPARE(all->at(i).time, stored[i].time);
        QVERIFY(all->at(i).params == stored[i].params);
        QCOMPARE(ActivityLog::canonical(all->at(i)), ActivityLog::canonical(stored[i]));
    }
    const auto v = log.verify();
    QVERIFY_RESULT(v);
    QVERIFY(v->intact);
    QCOMPARE(v->count, 3);
    QCOMPARE(v->headHash, stored.last().hash);
}

void tst_ActivityLog::emptyLogVerifies()
{
    ActivityLog log(m_path);
    const auto v = log.verify();
    QVERIFY_RESULT(v);
    QVERIFY(v->intact);
    QCOMPARE(v->count, 0);
    QVERIFY(!QFile::exists(m_path)); // reading never creates the file
    const auto q = log.query();
    QVERIFY_RESULT(q);
    QVERIFY(q->isEmpty());
}

void tst_ActivityLog::triggersRefuseUpdateAndDelete()
{
    ActivityLog log(m_path);
    appendSome(log, 2);
    RawDb raw(m_path);
    QVERIFY(raw.exec(QStringLiteral("UPDATE activity SET box = 'other' WHERE seq = 1"))
                .contains(QLatin1String("append-only")));
    QVERIFY(raw.exec(QStringLiteral("DELETE FROM activity WHERE seq = 2"))
                .contains(QLatin1String("append-only")));
    QVERIFY(
        raw.exec(QStringLiteral("DELETE FROM activity")).contains(QLatin1String("append-only")));
    const auto v = log.verify();
    QVERIFY_RESULT(v);
    QVERIFY(v->intact);
    QCOMPARE(v->count, 2);
}

void tst_ActivityLog::verifyNamesAnEditedRecord()
{
    ActivityLog log(m_path);
    appendSome(log, 4);
    {
        RawDb raw(m_path);
        QCOMPARE(raw.exec(QStringLiteral("DROP TRIGGER activity_no_update")), QString());
        QCOMPARE(raw.exec(QStringLiteral("UPDATE activity SET actor = 'mallory' WHERE seq = 3")),
                 QString());
    }
    const auto v = log.verify();
    QVERIFY_RESULT(v);
    QVERIFY(!v->intact);
    QCOMPARE(v->firstBadSeq, 3);
    QVERIFY2(v->problem.contains(QLatin1String("record 3")) &&
                 v->problem.contains(QLatin1String("modified")),
             qPrintable(v->problem));
    QCOMPARE(v->count, 2); // the records before it still check out

    // A later append re-arms the trigger it needs.
    QVERIFY_RESULT(log.append(ActivityRecord::make(actions::start(), {}, QStringLiteral("b"))));
    RawDb raw(m_path);
    QVERIFY(!raw.exec(QStringLiteral("UPDATE activity SET box = 'x' WHERE seq = 1")).isEmpty());
}

void tst_ActivityLog::verifyNamesADeletedRecord()
{
    ActivityLog log(m_path);
    appendSome(log, 5);
    {
        RawDb raw(m_path);
        QCOMPARE(raw.exec(QStringLiteral("DROP TRIGGER activity_no_delete")), QString());
        QCOMPARE(raw.exec(QStringLiteral("DELETE FROM activity WHERE seq = 2")), QString());
    }
    const auto v = log.verify();
    QVERIFY_RESULT(v);
    QVERIFY(!v->intact);
    QCOMPARE(v->firstBadSeq, 2);
    QVERIFY2(v->problem.contains(QLatin1String("record 2 is missing")), qPrintable(v->problem));

    // Deleting and renumbering to hide the gap breaks the chain at the same place.
    {
        RawDb raw(m_path);
        QCOMPARE(raw.exec(QStringLiteral("DROP TRIGGER activity_no_update")), QString());
        QCOMPARE(raw.exec(QStringLiteral("UPDATE activity SET seq = seq - 1 WHERE seq > 2")),
                 QString());
    }
    const auto v2 = log.verify();
    QVERIFY_RESULT(v2);
    QVERIFY(!v2->intact);
    QCOMPARE(v2->firstBadSeq, 2);
}

void tst_ActivityLog::verifyNamesARewrittenPredecessor()
{
    // Someone edits record 2 and recomputes its own hash: record 2 checks out alone, so
    // the break shows where record 3 no longer follows it.
    ActivityLog log(m_path);
    const auto stored = appendSome(log, 3);
    ActivityRecord forged = stored[1];
    forged.box = QStringLiteral("innocent");
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(forged.prevHash);
    h.addData(ActivityLog::canonical(forged));
    {
        RawDb raw(m_path);
        QCOMPARE(raw.exec(QStringLiteral("DROP TRIGGER activity_no_update")), QString());
        QCOMPARE(raw.exec(QStringLiteral("UPDATE activity SET box = 'innocent', hash = '%1' "
                                         "WHERE seq = 2")
                              .arg(QString::fromLatin1(h.result().toHex()))),
                 QString());
    }
    const auto v = log.verify();
    QVERIFY_RESULT(v);
    QVERIFY(!v->intact);
    QCOMPARE(v->firstBadSeq, 3);
    QVERIFY2(v->problem.contains(QLatin1String("does not follow record 2")),
             qPrintable(v->problem));
}

void tst_ActivityLog::queryFilters()
{
    ActivityLog log(m_path);
    appendSome(log, 6); // seq i: box-(i%3), deploy/alice when odd, stop/bob when even
    auto seqs = [&](const ActivityFilter &f) {
        QList<qint64> out;
        const auto r = log.query(f);
        if (!r)
            qFatal("query: %s", qPrintable(r.error().toString()));
        for (const auto &rec : r.value())
            out << rec.seq;
        return out;
    };
    ActivityFilter f;
    f.box = QStringLiteral("box-1");
    QCOMPARE(seqs(f), (QList<qint64>{1, 4}));
    f = {};
    f.actor = QStringLiteral("bob");
    QCOMPARE(seqs(f), (QList<qint64>{2, 4, 6}));
    f = {};
    f.action = QStringLiteral("deploy");
    f.box = QStringLiteral("box-2");
    QCOMPARE(seqs(f), (QList<qint64>{5}));
    f = {};
    f.since = QDateTime(QDate(2026, 12, 1), QTime(13, 0), Qt::UTC); // seq 3 on
    f.until = QDateTime(QDate(2026, 12, 1), QTime(15, 0), Qt::UTC);
    QCOMPARE(seqs(f), (QList<qint64>{3, 4}));
    f = {};
    f.limit = 2;
    QCOMPARE(seqs(f), (QList<qint64>{5, 6}));
    f = {};
    f.afterSeq = 4;
    QCOMPARE(seqs(f), (QList<qint64>{5, 6}));
    f = {};
    f.box = QStringLiteral("box-1");
    f.backend = QStringLiteral("docker:unix:///x.sock");
    QCOMPARE(seqs(f), (QList<qint64>{1, 4}));
    f.backend = QStringLiteral("coolify:https://c.example");
    QVERIFY(seqs(f).isEmpty());
    f = {};
    f.box = QStringLiteral("no such box");
    QVERIFY(seqs(f).isEmpty());
}

void tst_ActivityLog::recordFromWorkerThreadsKeepsOneChain()
{
    ActivityLog log(m_path);
    // record() from many threads at once (as from the console's workers), and append()
    // through a second instance of the same file, concurrently.
    ActivityLog other(m_path);
    QList<QFuture<void>> workers;
    for (int t = 0; t < 4; ++t) {
        workers << QtConcurrent::run([&log, &other, t] {
            for (int i = 0; i < 10; ++i) {
                const auto r = ActivityRecord::make(actions::restart(), {},
                                                    QStringLiteral("t%1-%2").arg(t).arg(i));
                if (t % 2)
                    (void)log.record(r);
                else if (!other.append(r))
                    qFatal("append failed");
            }
        });
    }
    for (auto &w : workers)
        w.waitForFinished();
    QVERIFY(log.flush());
    const auto v = log.verify();
    QVERIFY_RESULT(v);
    QVERIFY2(v->intact, qPrintable(v->problem));
    QCOMPARE(v->count, 40);
}

void tst_ActivityLog::concurrentProcessesKeepOneChain()
{
    ActivityLog log(m_path);
    appendSome(log, 1); // the schema exists; the writers race on appends only
    QList<QProcess *> children;
    for (const char *name : {"p1-", "p2-"}) {
        auto *p = new QProcess(this);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("BC_ACTIVITY_WRITER_DB"), m_path);
        env.insert(QStringLiteral("BC_ACTIVITY_WRITER_COUNT"), QStringLiteral("40"));
        env.insert(QStringLiteral("BC_ACTIVITY_WRITER_NAME"), QString::fromLatin1(name));
        p->setProcessEnvironment(env);
        p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p->start(QCoreApplication::applicationFilePath(), {});
        children << p;
    }
    for (int i = 0; i < 40; ++i) // and this process at the same time
        QVERIFY_RESULT(
            log.append(ActivityRecord::make(actions::start(), {}, QStringLiteral("me"))));
    for (QProcess *p : children) {
        QVERIFY(p->waitForFinished(60000));
        QCOMPARE(p->exitStatus(), QProcess::NormalExit);
        QCOMPARE(p->exitCode(), 0);
    }
    const auto v = log.verify();
    QVERIFY_RESULT(v);
    QVERIFY2(v->intact, qPrintable(v->problem));
    QCOMPARE(v->count, 121);
    ActivityFilter f;
    f.actor = QStringLiteral("p1-");
    QCOMPARE(log.query(f)->size(), 40);
}

void tst_ActivityLog::defaultsFromEnvironment()
{
    qputenv("BOX_ACTIVITY_DB", "/tmp/explicit.sqlite");
    QCOMPARE(ActivityLog::defaultPath(), QStringLiteral("/tmp/explicit.sqlite"));
    qunsetenv("BOX_ACTIVITY_DB");
    qputenv("XDG_DATA_HOME", "/data/home");
    QCOMPARE(ActivityLog::defaultPath(), QStringLiteral("/data/home/box-console/activity.sqlite"));
    qunsetenv("XDG_DATA_HOME");
    QCOMPARE(ActivityLog::defaultPath(),
             QDir::homePath() + QStringLiteral("/.local/share/box-console/activity.sqlite"));

    qputenv("BOX_ACTOR", "ci-bot@example.com");
    QCOMPARE(ActivityLog::defaultActor(), QStringLiteral("ci-bot@example.com"));
    ActivityLog log(m_path);
    const auto stored = log.append(ActivityRecord::make(actions::exec(), {}, QStringLiteral("b")));
    QVERIFY_RESULT(stored);
    QCOMPARE(stored->actor, QStringLiteral("ci-bot@example.com"));
    QCOMPARE(stored->time.timeSpec(), Qt::UTC);
    QVERIFY(qAbs(stored->time.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    qunsetenv("BOX_ACTOR");
    QVERIFY(!ActivityLog::defaultActor().isEmpty()); // the OS user
}

void tst_ActivityLog::noSecretValues()
{
    const QByteArray envValue = "env-value-4c0ffee";
    auto spec = security::BoxSpec::fromJson({{"name", "box-alice"},
                                             {"image", "bctest/busybox:latest"},
                                             {"env", {{"API_BASE", envValue.toStdString()}}},
                                             {"secrets", {"anthropic", "resend"}}});
    QVERIFY_RESULT(spec);
    const Json p = specParams(spec.value());
    QVERIFY(p["secrets"] == Json::array({"anthropic", "resend"}));
    QVERIFY(p["envKeys"] == Json::array({"API_BASE"}));
    QVERIFY(p["image"] == "bctest/busybox:latest");

    ActivityLog log(m_path);
    QVERIFY_RESULT(
        log.append(ActivityRecord::make(actions::deploy(), {}, QStringLiteral("box-alice"), p)));
    QByteArray bytes;
    for (const QString &f : QDir(QFileInfo(m_path).absolutePath()).entryList(QDir::Files)) {
        QFile file(QFileInfo(m_path).absolutePath() + QLatin1Char('/') + f);
        QVERIFY(file.open(QIODevice::ReadOnly));
        bytes += file.readAll();
    }
    QVERIFY(bytes.contains("anthropic")); // the names are there, as text …
    QVERIFY(!bytes.contains(envValue));   // … the values never
}

void tst_ActivityLog::fileIsPrivate()
{
    ActivityLog log(m_path);
    appendSome(log, 1);
    QCOMPARE(QFile::permissions(m_path) &
                 (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());
}

void tst_ActivityLog::canonicalMatchesQtWriter_data()
{
    QTest::addColumn<qint64>("seq");
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << qint64(1) << QStringLiteral("box-alice");
    QTest::newRow("empty") << qint64(2) << QString();
    QTest::newRow("quotes and backslashes") << qint64(3) << QStringLiteral("a\"b\\c/d");
    QTest::newRow("control characters")
        << qint64(4) << QString::fromUtf8("\b\f\n\r\t\x01\x1f\x7f end");
    QTest::newRow("non-ascii") << qint64(5)
                               << QString::fromUtf8("Gr\xc3\xbc\xc3\x9f"
                                                    "e \xf0\x9f\x93\xa6");
    QTest::newRow("lone surrogates")
        << qint64(6) << (QStringLiteral("a") + QChar(0xd800) + QStringLiteral("b") + QChar(0xdc01));
    QTest::newRow("large seq") << std::numeric_limits<qint64>::max() << QStringLiteral("x");
    QTest::newRow("params text") << qint64(8)
                                 << QStringLiteral(
                                        R"({"cpus":1.5,"envKeys":["A"],"memoryBytes":2147483648})");
}

void tst_ActivityLog::canonicalMatchesQtWriter()
{
    QFETCH(qint64, seq);
    QFETCH(QString, text);
    ActivityRecord r;
    r.seq = seq;
    r.time = QDateTime(QDate(2026, 12, 1), QTime(10, 0, 0, 123), Qt::UTC);
    r.actor = text;
    r.action = actions::exec();
    r.backend = text;
    r.box = text;
    r.result = results::failed();
    r.error = text;
    const QString params = QString::fromUtf8(util::json::dump(r.params));
    QCOMPARE(ActivityLog::canonical(r),
             qtCanonical(seq, {r.time.toString(Qt::ISODateWithMs), text, r.action, text, text,
                               params, r.result, text}));
}

void tst_ActivityLog::chainWrittenByQtWriterVerifies()
{
    // Records appended before the move to nlohmann: hashed over Qt's bytes, with params as
    // Qt wrote them. The log must still verify, and keep chaining after them.
    ActivityLog log(m_path);
    QByteArray prev = appendSome(log, 1).first().hash;
    {
        RawDb raw(m_path);
        for (qint64 seq = 2; seq <= 4; ++seq) {
            const QJsonObject params{{QStringLiteral("cpus"), 2.0},
                                     {QStringLiteral("note"), QStringLiteral("a/b\\c")}};
            const QStringList columns{
                QStringLiteral("2026-12-01T1%1:00:00.000Z").arg(seq),
                QStringLiteral("carol \"the admin\""),
                actions::deploy(),
                QStringLiteral("docker:unix:///x.sock"),
                QString::fromUtf8("box-\xc3\xa9t\xc3\xa9\t%1").arg(seq),
                QString::fromUtf8(QJsonDocument(params).toJson(QJsonDocument::Compact)),
                results::ok(),
                QStringLiteral("")};
            QCryptographicHash h(QCryptographicHash::Sha256);
            h.addData(prev);
            h.addData(qtCanonical(seq, columns));
            const QByteArray hash = h.result().toHex();
            QCOMPARE(raw.insert(seq, columns, prev, hash), QString());
            prev = hash;
        }
    }
    const auto v = log.verify();
    QVERIFY_RESULT(v);
    QVERIFY2(v->intact, qPrintable(v->problem));
    QCOMPARE(v->count, 4);
    const auto all = log.query();
    QVERIFY_RESULT(all);
    QVERIFY(all->at(1).params["cpus"] == 2);
    QVERIFY_RESULT(log.append(ActivityRecord::make(actions::stop(), {}, QStringLiteral("b"))));
    const auto after = log.verify();
    QVERIFY_RESULT(after);
    QVERIFY(after->intact);
    QCOMPARE(after->count, 5);
}

void tst_ActivityLog::paramsTextMatchesQtWriter()
{
    auto spec = security::BoxSpec::fromJson({{"name", "box-alice"},
                                             {"image", "bctest/busybox:latest"},
                                             {"cpus", 2},
                                             {"env", {{"B", "1"}, {"A", "2"}}},
                                             {"secrets", {"zeta", "alpha"}}});
    QVERIFY_RESULT(spec);
    for (const double cpus : {2.0, 1.5, 0.25, 16.0}) {
        security::BoxSpec s = spec.value();
        s.cpus = cpus;
        const QByteArray text = util::json::dump(specParams(s));
        QVERIFY2(qtPrintsTheSame(text), text.constData());
    }
    const QByteArray whole = util::json::dump(specParams(spec.value()));
    QVERIFY2(whole.contains(R"("cpus":2,)"), whole.constData());
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("BC_ACTIVITY_WRITER_DB"))
        return writerMain();
    tst_ActivityLog test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_activitylog.moc"
