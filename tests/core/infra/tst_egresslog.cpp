#include "core/infra/egressgrants.h"
#include "core/infra/egresslog.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace bc::infra;

// The egress log is written from what boxes send (the path) and read by the console and
// boxctl: parsing must name the right box or nothing, whatever the line holds.
class tst_EgressLog : public QObject
{
    Q_OBJECT

private slots:
    void parsesHaproxyLine()
    {
        const auto e = EgressLog::parseLine(
            "box-egress 1796526783.972 frontend=egress.alice.anthropic method=POST status=200 "
            "verdict=allowed path=/v1/messages\n");
        QVERIFY(e);
        QCOMPARE(e->box, QStringLiteral("alice"));
        QCOMPARE(e->upstream, QStringLiteral("anthropic"));
        QCOMPARE(e->method, QStringLiteral("POST"));
        QCOMPARE(e->status, 200);
        QVERIFY(e->allowed);
        QCOMPARE(e->path, QStringLiteral("/v1/messages"));
        QCOMPARE(e->time.toMSecsSinceEpoch(), Q_INT64_C(1796526783972));
        QCOMPARE(e->time.timeSpec(), Qt::UTC);
    }

    void parsesDeniedAndPrefixedLines()
    {
        // HAProxy logs "-" for a variable that was never set: the request did not pass.
        auto e = EgressLog::parseLine("Dec 06 03:13:03 host haproxy[12]: box-egress 1796526783 "
                                      "frontend=egress.box-b.resend method=GET status=403 "
                                      "verdict=- path=/a/..;/b");
        QVERIFY(e);
        QCOMPARE(e->box, QStringLiteral("box-b"));
        QVERIFY(!e->allowed);
        QCOMPARE(e->status, 403);
        QCOMPARE(e->path, QStringLiteral("/a/..;/b"));
        // Envoy: route name as the verdict, path with its query (removed here).
        e = EgressLog::parseLine("box-egress 1796526783.5 frontend=egress.x.anthropic "
                                 "method=POST status=403 verdict=denied path=/v1/files?a=b c");
        QVERIFY(e);
        QVERIFY(!e->allowed);
        QCOMPARE(e->path, QStringLiteral("/v1/files"));
        QCOMPARE(e->time.toMSecsSinceEpoch(), Q_INT64_C(1796526783500));
        // A request HAProxy could not parse.
        e = EgressLog::parseLine("box-egress 1 frontend=egress.x.anthropic method=<BADREQ> "
                                 "status=400 verdict=- path=");
        QVERIFY(e);
        QCOMPARE(e->method, QStringLiteral("-"));
        QCOMPARE(e->status, 400);
    }

    void rejectsWhatIsNotAnEntry_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("other log") << QByteArray("127.0.0.1 GET /x 200");
        QTest::newRow("marker inside a word")
            << QByteArray("xbox-egress 1 frontend=egress.a.b method=GET status=1 verdict=- path=/");
        QTest::newRow("health frontend")
            << QByteArray("box-egress 1 frontend=egress_health method=GET status=200 verdict=- "
                          "path=/");
        QTest::newRow("dot in box") << QByteArray("box-egress 1 frontend=egress.a.b.c method=GET "
                                                  "status=200 verdict=- path=/");
        QTest::newRow("upper-case box") << QByteArray("box-egress 1 frontend=egress.Alice.b "
                                                      "method=GET status=200 verdict=- path=/");
        QTest::newRow("bad time") << QByteArray("box-egress 1e9 frontend=egress.a.b method=GET "
                                                "status=200 verdict=- path=/");
        QTest::newRow("huge time") << QByteArray("box-egress 999999999999999 frontend=egress.a.b "
                                                 "method=GET status=200 verdict=- path=/");
        QTest::newRow("fields out of order")
            << QByteArray("box-egress 1 method=GET frontend=egress.a.b status=200 verdict=- "
                          "path=/");
        QTest::newRow("no path") << QByteArray("box-egress 1 frontend=egress.a.b method=GET "
                                               "status=200 verdict=-");
        QTest::newRow("too long")
            << QByteArray("box-egress 1 frontend=egress.a.b method=GET status=200 verdict=- "
                          "path=/") +
                   QByteArray(EgressLog::MaxLineBytes, 'a');
    }

    void rejectsWhatIsNotAnEntry()
    {
        QFETCH(QByteArray, line);
        QVERIFY(!EgressLog::parseLine(line));
    }

    void pathFromTheBoxCannotForgeAnything()
    {
        // A path holding a whole second entry stays the path of the first.
        const auto e = EgressLog::parseLine(
            "box-egress 1 frontend=egress.evil.anthropic method=POST status=403 verdict=- "
            "path=/x verdict=allowed box-egress 2 frontend=egress.alice.anthropic method=POST "
            "status=200 verdict=allowed path=/v1/messages\x1b[2J\x07");
        QVERIFY(e);
        QCOMPARE(e->box, QStringLiteral("evil"));
        QVERIFY(!e->allowed);
        QVERIFY(e->path.startsWith(QLatin1String("/x verdict=allowed")));
        for (const QChar c : e->path)
            QVERIFY(c.category() != QChar::Other_Control);
        // Long paths are cut.
        const QByteArray longLine =
            "box-egress 1 frontend=egress.a.b method=GET status=200 verdict=- path=/" +
            QByteArray(5000, 'x');
        const auto longOne = EgressLog::parseLine(longLine);
        QVERIFY(longOne);
        QVERIFY(longOne->path.size() <= EgressLog::MaxPathChars + 1);
    }

    void randomInputNeverYieldsAnInvalidEntry()
    {
        const QByteArray seed = "box-egress 1796526783.972 frontend=egress.alice.anthropic "
                                "method=POST status=200 verdict=allowed path=/v1/messages";
        auto *rng = QRandomGenerator::global();
        for (int i = 0; i < 20000; ++i) {
            QByteArray line = seed;
            const int edits = 1 + int(rng->bounded(6));
            for (int k = 0; k < edits; ++k) {
                const int pos = int(rng->bounded(line.size() + 1));
                switch (rng->bounded(3)) {
                case 0:
                    line.insert(pos, char(rng->bounded(256)));
                    break;
                case 1:
                    if (pos < line.size())
                        line.remove(pos, 1 + int(rng->bounded(4)));
                    break;
                default:
                    if (pos < line.size())
                        line[pos] = char(rng->bounded(256));
                }
            }
            const auto e = EgressLog::parseLine(line);
            if (!e)
                continue;
            QVERIFY(EgressGrants::isBoxName(e->box));
            QVERIFY(EgressGrants::check({e->box, {e->upstream}}).ok());
            QVERIFY(e->status == 0 || (e->status >= 100 && e->status <= 599));
            QVERIFY(e->time.isValid());
            QVERIFY(e->path.size() <= EgressLog::MaxPathChars + 1);
        }
    }

    void readRecentFiltersAndLimits()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("egress.log")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (int i = 0; i < 30; ++i)
            f.write(QStringLiteral("box-egress %1 frontend=egress.%2.anthropic method=POST "
                                   "status=200 verdict=allowed path=/v1/messages/%3\n")
                        .arg(1000 + i)
                        .arg(i % 3 == 0 ? QStringLiteral("alice") : QStringLiteral("bob"))
                        .arg(i)
                        .toUtf8());
        f.write("garbage line\n");
        f.write("box-egress 2000 frontend=egress.alice.resend method=GET status=403 verdict=- "
                "path=/x"); // no final newline
        f.close();
        auto all = EgressLog::readRecent(f.fileName(), QStringLiteral("alice"), 100);
        QVERIFY(all.ok());
        QCOMPARE(all->size(), 11);
        QCOMPARE(all->first().path, QStringLiteral("/v1/messages/0"));
        QCOMPARE(all->last().upstream, QStringLiteral("resend"));
        auto three = EgressLog::readRecent(f.fileName(), QStringLiteral("alice"), 3);
        QVERIFY(three.ok());
        QCOMPARE(three->size(), 3);
        QCOMPARE(three->at(0).path, QStringLiteral("/v1/messages/24")); // oldest first
        QCOMPARE(three->at(2).path, QStringLiteral("/x"));
        // A window that starts mid-line skips that line.
        auto tail = EgressLog::readRecent(f.fileName(), QString(), 100, 200);
        QVERIFY(tail.ok());
        QVERIFY(!tail->isEmpty() && tail->size() <= 3);
        QCOMPARE(tail->last().path, QStringLiteral("/x"));

        auto missing =
            EgressLog::readRecent(dir.filePath(QStringLiteral("none")), QStringLiteral("alice"), 5);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().kind(), bc::Error::Kind::Io);
    }
};

QTEST_GUILESS_MAIN(tst_EgressLog)
#include "tst_egresslog.moc"
