#include "core/docker/stdcopydecoder.h"
#include "support/testutil.h"

#include <QTest>

using bc::Error;
using bc::docker::LogLine;
using bc::docker::StdcopyDecoder;

namespace {

QByteArray frame(int stream, const QByteArray &payload)
{
    return bc::test::stdcopyFrame(stream, payload);
}

QByteArray sampleStream()
{
    QByteArray s;
    s += frame(1, "hello stdout\n");
    s += frame(2, "oops on stderr\n");
    s += frame(1, QByteArray()); // empty frames carry nothing and are dropped
    s += frame(0, "stdin echo");
    s += frame(3, "exec failed: no such file");
    s += frame(1, QByteArray(300, 'x') + "\n");
    s += frame(2, "caf\xc3\xa9\n");
    return s;
}

// Feeds pieces and merges consecutive payloads of the same stream, since where a payload
// is cut is not meaningful, only the bytes per stream and their order.
QList<QPair<int, QByteArray>> decode(const QList<QByteArray> &pieces, StdcopyDecoder &d)
{
    QList<QPair<int, QByteArray>> out;
    for (const QByteArray &p : pieces) {
        auto r = d.feed(p);
        if (!r)
            return {{-1, r.error().message().toUtf8()}};
        for (const LogLine &l : r.value())
            out.append({int(l.stream), l.text});
    }
    return out;
}

} // namespace

class tst_StdcopyDecoder final : public QObject
{
    Q_OBJECT
private slots:
    void decodesFrames()
    {
        StdcopyDecoder d;
        const auto got = decode({sampleStream()}, d);
        QCOMPARE(got.size(), 6);
        QCOMPARE(got.at(0).first, int(LogLine::Stream::Stdout));
        QCOMPARE(got.at(0).second, QByteArray("hello stdout\n"));
        QCOMPARE(got.at(1).first, int(LogLine::Stream::Stderr));
        QCOMPARE(got.at(2).first, int(LogLine::Stream::Stdin));
        QCOMPARE(got.at(3).first, int(LogLine::Stream::System));
        QCOMPARE(got.at(3).second, QByteArray("exec failed: no such file"));
        QCOMPARE(got.at(4).second.size(), 301);
        QVERIFY(!d.hasPartial());
    }

    void everySplitPoint()
    {
        const QByteArray s = sampleStream();
        StdcopyDecoder whole;
        const auto expected = decode({s}, whole);
        for (qsizetype k = 0; k <= s.size(); ++k) {
            StdcopyDecoder d;
            QCOMPARE(decode({s.left(k), s.mid(k)}, d), expected);
            QVERIFY(!d.hasPartial());
        }
        for (qsizetype a = 0; a <= s.size(); a += 5) {
            for (qsizetype b = a; b <= s.size(); b += 11) {
                StdcopyDecoder d;
                QCOMPARE(decode({s.left(a), s.mid(a, b - a), s.mid(b)}, d), expected);
            }
        }
    }

    void byteByByte()
    {
        const QByteArray s = sampleStream();
        QList<QByteArray> pieces;
        for (char c : s)
            pieces.append(QByteArray(1, c));
        StdcopyDecoder d;
        StdcopyDecoder whole;
        QCOMPARE(decode(pieces, d), decode({s}, whole));
    }

    void partialState()
    {
        StdcopyDecoder d;
        const QByteArray f = frame(1, "abc");
        auto r = d.feed(f.left(5));
        QVERIFY(r.ok());
        QVERIFY(r.value().isEmpty());
        QVERIFY(d.hasPartial());
        r = d.feed(f.mid(5, 4));
        QVERIFY(r.ok());
        QVERIFY(r.value().isEmpty());
        QVERIFY(d.hasPartial());
        r = d.feed(f.mid(9));
        QVERIFY(r.ok());
        QCOMPARE(r.value().size(), 1);
        QVERIFY(!d.hasPartial());
    }

    void rejectsUnknownStreamType()
    {
        StdcopyDecoder d;
        auto r = d.feed(frame(1, "ok") + frame(4, "bad"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), Error::Kind::Protocol);
        // Text from a TTY container read as multiplexed: 'h' is no stream type.
        StdcopyDecoder t;
        auto r2 = t.feed("hello world, this is a tty\n");
        QVERIFY(!r2.ok());
        QCOMPARE(r2.error().kind(), Error::Kind::Protocol);
        QVERIFY(!t.feed(frame(1, "x")).ok()); // sticky
    }

    void capsFrameSize()
    {
        QByteArray header(8, '\0');
        header[0] = 1;
        const quint32 over = StdcopyDecoder::MaxFrameSize + 1;
        header[4] = char(over >> 24);
        header[5] = char(over >> 16);
        header[6] = char(over >> 8);
        header[7] = char(over);
        StdcopyDecoder d;
        auto r = d.feed(header);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), Error::Kind::Protocol);

        // Exactly at the cap is accepted (and waits for its payload).
        const quint32 at = StdcopyDecoder::MaxFrameSize;
        header[4] = char(at >> 24);
        header[5] = char(at >> 16);
        header[6] = char(at >> 8);
        header[7] = char(at);
        StdcopyDecoder ok;
        auto r2 = ok.feed(header + QByteArray(1000, 'z'));
        QVERIFY(r2.ok());
        QVERIFY(ok.hasPartial());
    }

    void ttyPassesThrough()
    {
        StdcopyDecoder d(true);
        const QByteArray raw = frame(2, "looks multiplexed but is tty");
        auto r = d.feed(raw);
        QVERIFY(r.ok());
        QCOMPARE(r.value().size(), 1);
        QCOMPARE(r.value().first().stream, LogLine::Stream::Stdout);
        QCOMPARE(r.value().first().text, raw);
        QVERIFY(!d.hasPartial());
        QVERIFY(d.feed(QByteArray()).value().isEmpty());
    }

    void largeFrameInSmallChunks()
    {
        const QByteArray payload(4 * 1024 * 1024, 'p');
        const QByteArray s = frame(1, payload) + frame(2, "end");
        StdcopyDecoder d;
        int frames = 0;
        for (qsizetype off = 0; off < s.size(); off += 1500) {
            auto r = d.feed(s.mid(off, 1500));
            QVERIFY(r.ok());
            for (const LogLine &l : r.value()) {
                ++frames;
                if (frames == 1)
                    QCOMPARE(l.text.size(), payload.size());
            }
        }
        QCOMPARE(frames, 2);
    }
};

QTEST_GUILESS_MAIN(tst_StdcopyDecoder)
#include "tst_stdcopydecoder.moc"
