// ctest: timeout=60
// A followed log whose follow ends before the engine sent its last lines (Docker 20.10 does
// this now and then when a box exits while the reader is behind): LogStream reads once more
// from the last line's timestamp, drops what it already delivered (lines at that very
// nanosecond are counted, not compared), and finishes with every line once, in order. The
// timestamps it asked for only for this are taken off the lines. Against a scripted daemon,
// so that each case happens every time.

#include "core/docker/dockerclient.h"
#include "core/docker/logoptions.h"
#include "core/docker/logstream.h"
#include "support/fakehttpserver.h"
#include "support/testutil.h"

#include <QTest>
#include <QUrlQuery>

using namespace bc;
using namespace bc::docker;
using bc::test::FakeHttpServer;

namespace {

QByteArray frame(int stream, const QByteArray &payload)
{
    return bc::test::stdcopyFrame(stream, payload);
}

QByteArray chunked(const QByteArray &body)
{
    return QByteArray::number(body.size(), 16) + "\r\n" + body + "\r\n0\r\n\r\n";
}

struct Line
{
    const char *stamp;
    int stream;
    const char *text;
};

QByteArray frames(const QList<Line> &lines, bool stamps)
{
    QByteArray out;
    for (const Line &l : lines)
        out += frame(l.stream, (stamps ? QByteArray(l.stamp) + ' ' : QByteArray()) + l.text);
    return out;
}

// The engine: /_ping (API 1.41), inspect (no TTY), and /logs answered by `logs` with the
// query it was asked.
class ScriptedDaemon
{
public:
    std::function<QByteArray(const QUrlQuery &)> logs;
    QList<QUrlQuery> logQueries;

    ScriptedDaemon()
    {
        m_server.listenUnix();
        m_server.handler = [this](QIODevice *socket, const FakeHttpServer::Request &r) {
            const QByteArray target = r.target;
            if (target.endsWith("/_ping")) {
                socket->write(FakeHttpServer::response(200, r.method == "HEAD" ? "" : "OK",
                                                       "text/plain", "Api-Version: 1.41\r\n"));
            } else if (target.contains("/json")) {
                socket->write(FakeHttpServer::response(
                    200, R"({"Id":"c1","Name":"/box","Config":{"Tty":false},"State":{}})"));
            } else if (target.contains("/logs?")) {
                const QUrlQuery q(QString::fromLatin1(target.mid(target.indexOf('?') + 1)));
                logQueries << q;
                const QByteArray body = logs(q);
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: "
                              "application/vnd.docker.multiplexed-stream\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n" +
                              chunked(body));
            } else {
                socket->write(FakeHttpServer::response(404, R"({"message":"no such thing"})"));
            }
        };
    }
    http::Endpoint endpoint() const
    {
        http::Endpoint ep;
        ep.socketPath = m_server.socketPath();
        return ep;
    }

private:
    FakeHttpServer m_server;
};

struct Collected
{
    QList<QByteArray> texts;
    QList<LogLine::Stream> streams;
    std::optional<VoidResult> result;
};

Collected follow(DockerClient &client, LogOptions options)
{
    Collected c;
    LogStream *s = client.logs(QStringLiteral("box"), options);
    QObject::connect(s, &LogStream::linesReceived, [&c](const QList<LogLine> &lines) {
        for (const LogLine &l : lines) {
            c.texts << l.text;
            c.streams << l.stream;
        }
    });
    QObject::connect(s, &LogStream::finished, [&c](const VoidResult &r) { c.result = r; });
    (void)bc::test::waitUntil([&c] { return c.result.has_value(); }, 20000);
    return c;
}

const QList<Line> All = {
    {"2026-12-07T03:00:00.1Z", 1, "one\n"},
    {"2026-12-07T03:00:00.12Z", 2, "two\n"},
    // Three lines in the same nanosecond, on both streams.
    {"2026-12-07T03:00:01.000000005Z", 1, "three\n"},
    {"2026-12-07T03:00:01.000000005Z", 2, "four\n"},
    {"2026-12-07T03:00:01.000000005Z", 1, "five\n"},
    {"2026-12-07T03:00:02Z", 1, "six\n"},
    {"2026-12-07T03:00:03.5Z", 2, "seven\n"},
};

} // namespace

class tst_LogCatchUp : public QObject
{
    Q_OBJECT

private slots:
    void followThatEndsEarlyIsCompleted()
    {
        ScriptedDaemon daemon;
        daemon.logs = [](const QUrlQuery &q) {
            if (q.hasQueryItem(QStringLiteral("follow")))
                return frames(All.mid(0, 4), true); // ends after "four"
            // The engine's own since rule: every line at or after the instant.
            QList<Line> from;
            for (const Line &l : All)
                if (QByteArray(l.stamp) >= QByteArray("2026-12-07T03:00:01.000000005Z"))
                    from << l;
            return frames(from, true);
        };
        DockerClient client(daemon.endpoint());
        LogOptions options;
        options.follow = true;
        const Collected c = follow(client, options);
        QVERIFY(c.result.has_value());
        QVERIFY2(c.result->ok(), qPrintable(c.result->error().toString()));
        QCOMPARE(c.texts, (QList<QByteArray>{"one\n", "two\n", "three\n", "four\n", "five\n",
                                             "six\n", "seven\n"}));
        QCOMPARE(c.streams.at(1), LogLine::Stream::Stderr);
        QCOMPARE(c.streams.at(4), LogLine::Stream::Stdout);
        QCOMPARE(daemon.logQueries.size(), 2);
        // The follow asked for timestamps (not wanted by the caller: taken off above) ...
        QCOMPARE(daemon.logQueries[0].queryItemValue(QStringLiteral("timestamps")),
                 QStringLiteral("1"));
        // ... and the catch-up reads from the last delivered line's instant, to the end.
        const QUrlQuery &again = daemon.logQueries[1];
        QVERIFY(!again.hasQueryItem(QStringLiteral("follow")));
        QCOMPARE(again.queryItemValue(QStringLiteral("since")),
                 QString::number(
                     QDateTime::fromString(QStringLiteral("2026-12-07T03:00:01Z"), Qt::ISODate)
                         .toSecsSinceEpoch()) +
                     QStringLiteral(".000000005"));
        QCOMPARE(again.queryItemValue(QStringLiteral("tail")), QStringLiteral("all"));
    }

    // A caller that asked for timestamps gets them, on the catch-up's lines too.
    void timestampsAskedForStay()
    {
        ScriptedDaemon daemon;
        daemon.logs = [](const QUrlQuery &q) {
            return q.hasQueryItem(QStringLiteral("follow")) ? frames(All.mid(0, 6), true)
                                                            : frames(All.mid(5), true);
        };
        DockerClient client(daemon.endpoint());
        LogOptions options;
        options.follow = true;
        options.timestamps = true;
        const Collected c = follow(client, options);
        QVERIFY(c.result && c.result->ok());
        QCOMPARE(c.texts.size(), All.size());
        QCOMPARE(c.texts.last(), QByteArray("2026-12-07T03:00:03.5Z seven\n"));
    }

    // A follow that delivered nothing reads again with the caller's own tail.
    void emptyFollowReadsTheTail()
    {
        ScriptedDaemon daemon;
        daemon.logs = [](const QUrlQuery &q) {
            return q.hasQueryItem(QStringLiteral("follow")) ? QByteArray()
                                                            : frames(All.mid(5), true);
        };
        DockerClient client(daemon.endpoint());
        LogOptions options;
        options.follow = true;
        options.tail = 2;
        const Collected c = follow(client, options);
        QVERIFY(c.result && c.result->ok());
        QCOMPARE(c.texts, (QList<QByteArray>{"six\n", "seven\n"}));
        QCOMPARE(daemon.logQueries.at(1).queryItemValue(QStringLiteral("tail")),
                 QStringLiteral("2"));
        QVERIFY(!daemon.logQueries.at(1).hasQueryItem(QStringLiteral("since")));
    }

    // Not following: one read, nothing more, and no timestamps asked for.
    void plainReadIsOneRequest()
    {
        ScriptedDaemon daemon;
        daemon.logs = [](const QUrlQuery &) { return frames(All, false); };
        DockerClient client(daemon.endpoint());
        const Collected c = follow(client, LogOptions());
        QVERIFY(c.result && c.result->ok());
        QCOMPARE(c.texts.size(), All.size());
        QCOMPARE(daemon.logQueries.size(), 1);
        QVERIFY(!daemon.logQueries[0].hasQueryItem(QStringLiteral("timestamps")));
    }
};

QTEST_MAIN(tst_LogCatchUp)
#include "tst_logcatchup.moc"
