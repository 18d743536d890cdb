#include "core/http/responseparser.h"

#include <QTest>

using bc::http::HttpResponse;
using bc::http::ResponseParser;

namespace {

// Keeps embedded NUL bytes, which QByteArray(const char *) would cut at.
template <qsizetype N> QByteArray bytes(const char (&s)[N])
{
    return QByteArray(s, N - 1);
}

struct Collected
{
    int heads = 0;
    int completes = 0;
    HttpResponse head;
    QByteArray body;
    QByteArray leftover;
    bool error = false;
    bool upgraded = false;
    bool keepAlive = false;
};

// Feeds `wire` in two pieces split at `split`, then EOF if asked.
Collected parse(const QByteArray &wire, qsizetype split, bool eof, bool headRequest = false)
{
    Collected c;
    ResponseParser p;
    p.reset(headRequest);
    p.onHead = [&](const HttpResponse &h) {
        ++c.heads;
        c.head = h;
    };
    p.onBody = [&](const char *d, qsizetype n) { c.body.append(d, n); };
    p.onComplete = [&] { ++c.completes; };
    const QByteArray parts[2] = {wire.left(split), wire.mid(split)};
    for (const QByteArray &part : parts) {
        if (c.error || part.isEmpty())
            continue;
        auto consumed = p.feed(part.constData(), part.size());
        if (!consumed) {
            c.error = true;
            break;
        }
        if (p.upgraded())
            c.leftover += part.mid(*consumed);
    }
    if (eof && !c.error && !p.messageComplete())
        c.error = !p.finishEof().ok();
    c.upgraded = p.upgraded();
    c.keepAlive = p.keepAlive();
    return c;
}

} // namespace

class tst_ResponseParser final : public QObject
{
    Q_OBJECT
private slots:
    void everySplit_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<bool>("eof");
        QTest::addColumn<bool>("headRequest");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("keepAlive");
        QTest::addColumn<QByteArray>("leftover");

        QTest::newRow("content-length")
            << QByteArray(
                   "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
                   "Content-Length: 11\r\n\r\n{\"a\":\"b\"}\n\n")
            << false << false << 200 << QByteArray("{\"a\":\"b\"}\n\n") << true << QByteArray();
        QTest::newRow("chunked with CRLF at chunk edges")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "5\r\nhello\r\n2\r\n\r\n\r\n1a\r\n{\"status\":\"x\"}\r\n{\"id\":1}"
                          "\r\n\r\n0\r\n\r\n")
            << false << false << 200 << QByteArray("hello\r\n{\"status\":\"x\"}\r\n{\"id\":1}\r\n")
            << true << QByteArray();
        QTest::newRow("chunked with extension and trailer")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "3;ext=1\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n")
            << false << false << 200 << QByteArray("abc") << true << QByteArray();
        QTest::newRow("close-delimited")
            << QByteArray("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nraw stream bytes") << true
            << false << 200 << QByteArray("raw stream bytes") << false << QByteArray();
        QTest::newRow("204 no body")
            << QByteArray("HTTP/1.1 204 No Content\r\nServer: Docker\r\n\r\n") << false << false
            << 204 << QByteArray() << true << QByteArray();
        QTest::newRow("304 no body") << QByteArray("HTTP/1.1 304 Not Modified\r\n\r\n") << false
                                     << false << 304 << QByteArray() << true << QByteArray();
        QTest::newRow("HEAD ignores content-length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nApi-Version: 1.41\r\n\r\n")
            << false << true << 200 << QByteArray() << true << QByteArray();
        QTest::newRow("404 text/plain")
            << QByteArray("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: "
                          "9\r\n\r\nnot found")
            << false << false << 404 << QByteArray("not found") << true << QByteArray();
        QTest::newRow("100 continue then 200")
            << QByteArray(
                   "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            << false << false << 200 << QByteArray("ok") << true << QByteArray();
        QTest::newRow("101 upgrade with leftover")
            << bytes(
                   "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                   "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n\x01\x00\x00\x00\x00\x00\x00\x02hi")
            << false << false << 101 << QByteArray() << false
            << bytes("\x01\x00\x00\x00\x00\x00\x00\x02hi");
    }

    void everySplit()
    {
        QFETCH(QByteArray, wire);
        QFETCH(bool, eof);
        QFETCH(bool, headRequest);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, keepAlive);
        QFETCH(QByteArray, leftover);
        for (qsizetype split = 0; split <= wire.size(); ++split) {
            const Collected c = parse(wire, split, eof, headRequest);
            const QByteArray where = "split at " + QByteArray::number(split);
            QVERIFY2(!c.error, where.constData());
            QCOMPARE(c.heads, 1);
            QCOMPARE(c.completes, 1);
            QCOMPARE(c.head.status, status);
            QCOMPARE(c.body, body);
            QCOMPARE(c.keepAlive, keepAlive);
            QCOMPARE(c.leftover, leftover);
            QCOMPARE(c.upgraded, status == 101);
        }
    }

    void byteByByte()
    {
        const QByteArray wire(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nApi-Version: 1.41\r\n\r\n"
            "4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n");
        ResponseParser p;
        QByteArray body;
        HttpResponse head;
        p.onHead = [&](const HttpResponse &h) { head = h; };
        p.onBody = [&](const char *d, qsizetype n) { body.append(d, n); };
        for (char ch : wire)
            QVERIFY(p.feed(&ch, 1).ok());
        QVERIFY(p.messageComplete());
        QCOMPARE(body, QByteArray("Wikipedia"));
        QCOMPARE(head.headers.value("api-version"), QByteArray("1.41"));
        QCOMPARE(head.reason, QByteArray("OK"));
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("garbage") << QByteArray("SSH-2.0-OpenSSH\r\n");
        QTest::newRow("bad chunk size")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        QTest::newRow("bad content-length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n");
        QTest::newRow("truncated body at eof")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        QTest::newRow("truncated headers at eof") << QByteArray("HTTP/1.1 200 OK\r\nContent-Le");
        QTest::newRow("truncated chunk at eof")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab");
    }
    void malformed()
    {
        QFETCH(QByteArray, wire);
        for (qsizetype split = 0; split <= wire.size(); ++split)
            QVERIFY(parse(wire, split, true).error);
    }

    void eofBeforeAnythingIsTransportError()
    {
        ResponseParser p;
        const auto r = p.finishEof();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), bc::Error::Kind::Transport);
    }

    void reuseAfterReset()
    {
        ResponseParser p;
        int completes = 0;
        p.onComplete = [&] { ++completes; };
        const QByteArray one("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na");
        QVERIFY(p.feed(one).ok());
        p.reset();
        QVERIFY(p.feed(one).ok());
        QCOMPARE(completes, 2);
    }
};

QTEST_GUILESS_MAIN(tst_ResponseParser)
#include "tst_responseparser.moc"
