#include "core/docker/jsonstreamdecoder.h"

#include <QElapsedTimer>
#include <QTest>

using bc::Error;
using bc::docker::JsonStreamDecoder;
using nlohmann::json;

namespace {

// Decodes `stream` fed in the given pieces; returns the dumped values, "ERROR" on failure.
QStringList decodePieces(const QList<QByteArray> &pieces, bool *failed = nullptr)
{
    JsonStreamDecoder decoder;
    QStringList values;
    for (const QByteArray &piece : pieces) {
        auto r = decoder.feed(piece);
        if (!r) {
            if (failed)
                *failed = true;
            return values;
        }
        for (const json &v : r.value())
            values.append(QString::fromStdString(v.dump()));
    }
    auto f = decoder.finish();
    if (!f && failed)
        *failed = true;
    for (const json &v : decoder.takeTrailing())
        values.append(QString::fromStdString(v.dump()));
    return values;
}

QByteArray sampleStream()
{
    // Build progress as dockerd writes it (CRLF), events as ndjson, json-seq records,
    // strings holding braces, quotes, escapes and multi-byte UTF-8 to split inside.
    QByteArray s;
    s += "{\"stream\":\"Step 1/3 : FROM scratch\\n\"}\r\n";
    s += "{\"stream\":\" ---> Using cache {}[]\\\"\\\\\"}\r\n";
    s += "{\"aux\":{\"ID\":\"sha256:0123abc\"}}\r\n";
    s += "{\"status\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3\",\"id\":\"x\"}\n";
    s += "\x1e{\"Type\":\"container\",\"Action\":\"start\",\"timeNano\":1700000000123456789}\n";
    s += "\x1e[1,2,{\"a\":[]}]\n";
    s += "  {\"big\":18446744073709551615,\"neg\":-5,\"f\":1.5e3,\"n\":null,\"t\":true}";
    s += "\"top-level string with } and \\\" inside\"";
    s += "{\"errorDetail\":{\"message\":\"boom\"},\"error\":\"boom\"}\r\n";
    return s;
}

} // namespace

class tst_JsonStreamDecoder final : public QObject
{
    Q_OBJECT
private slots:
    void decodesWholeStream()
    {
        bool failed = false;
        const QStringList values = decodePieces({sampleStream()}, &failed);
        QVERIFY(!failed);
        QCOMPARE(values.size(), 9);
        QCOMPARE(values.at(2), QStringLiteral("{\"aux\":{\"ID\":\"sha256:0123abc\"}}"));
        const json status = json::parse(values.at(3).toStdString());
        QCOMPARE(QString::fromStdString(status["status"].get<std::string>()),
                 QString::fromUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3"));
        const json big = json::parse(values.at(6).toStdString());
        QCOMPARE(big["big"].get<quint64>(), std::numeric_limits<quint64>::max());
        QCOMPARE(values.at(7), QStringLiteral("\"top-level string with } and \\\" inside\""));
    }

    void everySplitPointGivesSameValues()
    {
        const QByteArray s = sampleStream();
        const QStringList expected = decodePieces({s});
        for (qsizetype k = 0; k <= s.size(); ++k) {
            bool failed = false;
            const QStringList got = decodePieces({s.left(k), s.mid(k)}, &failed);
            QVERIFY2(!failed, qPrintable(QString::number(k)));
            QCOMPARE(got, expected);
        }
        // Two cuts: every pair would be quadratic in test time; stride through them.
        for (qsizetype a = 0; a <= s.size(); a += 3) {
            for (qsizetype b = a; b <= s.size(); b += 7) {
                const QStringList got = decodePieces({s.left(a), s.mid(a, b - a), s.mid(b)});
                QCOMPARE(got, expected);
            }
        }
    }

    void byteByByte()
    {
        const QByteArray s = sampleStream();
        QList<QByteArray> pieces;
        for (char c : s)
            pieces.append(QByteArray(1, c));
        QCOMPARE(decodePieces(pieces), decodePieces({s}));
    }

    void crlfSplitBetweenChunksLeavesNoStrayByte()
    {
        JsonStreamDecoder d;
        auto r1 = d.feed("{\"a\":1}\r");
        QVERIFY(r1.ok());
        QCOMPARE(r1.value().size(), size_t(1));
        QVERIFY(!d.hasPartial());
        auto r2 = d.feed("\n{\"a\":2}\r\n");
        QVERIFY(r2.ok());
        QCOMPARE(r2.value().size(), size_t(1));
        QCOMPARE(r2.value().front()["a"].get<int>(), 2);
        QVERIFY(d.finish().ok());
    }

    void partialAndFinish()
    {
        JsonStreamDecoder d;
        auto r = d.feed("{\"a\":\"unterminated");
        QVERIFY(r.ok());
        QVERIFY(r.value().empty());
        QVERIFY(d.hasPartial());
        auto f = d.finish();
        QVERIFY(!f.ok());
        QCOMPARE(f.error().kind(), Error::Kind::Protocol);

        JsonStreamDecoder clean;
        QVERIFY(clean.feed("{}\r\n").ok());
        QVERIFY(!clean.hasPartial());
        QVERIFY(clean.finish().ok());

        JsonStreamDecoder scalar;
        auto s = scalar.feed("1 2 3");
        QVERIFY(s.ok());
        QCOMPARE(s.value().size(), size_t(2));
        QVERIFY(scalar.hasPartial());
        QVERIFY(scalar.finish().ok());
        const auto trailing = scalar.takeTrailing();
        QCOMPARE(trailing.size(), size_t(1));
        QCOMPARE(trailing.front().get<int>(), 3);
    }

    void rejectsGarbage_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("text") << QByteArray("hello");
        QTest::newRow("stray close") << QByteArray("{\"a\":1}}");
        QTest::newRow("unquoted key") << QByteArray("{a:1}");
        QTest::newRow("bad literal") << QByteArray("nul ");
        QTest::newRow("trailing comma") << QByteArray("[1,2,]");
        QTest::newRow("html error page") << QByteArray("<html>502</html>");
        QTest::newRow("nul byte") << QByteArray("{}\0{}", 5);
        QTest::newRow("invalid utf8 in string") << QByteArray("{\"a\":\"\xff\xfe\"}");
        QTest::newRow("number then brace") << QByteArray("12}");
    }
    void rejectsGarbage()
    {
        QFETCH(QByteArray, input);
        JsonStreamDecoder d;
        auto r = d.feed(input);
        if (r.ok()) {
            // A literal is only known to be bad once its end is seen.
            auto f = d.finish();
            QVERIFY(!f.ok());
            QCOMPARE(f.error().kind(), Error::Kind::Protocol);
            return;
        }
        QCOMPARE(r.error().kind(), Error::Kind::Protocol);
        // Sticky: the stream is out of sync for good.
        auto again = d.feed("{}");
        QVERIFY(!again.ok());
        QCOMPARE(again.error().kind(), Error::Kind::Protocol);
    }

    void capsPartialValueNotThroughput()
    {
        JsonStreamDecoder d(100);
        // Many complete values in one chunk, far more than the cap: fine.
        QByteArray many;
        for (int i = 0; i < 1000; ++i)
            many += "{\"n\":" + QByteArray::number(i) + "}\r\n";
        auto r = d.feed(many);
        QVERIFY(r.ok());
        QCOMPARE(r.value().size(), size_t(1000));
        // One unfinished value beyond the cap: refused.
        QVERIFY(d.feed("{\"x\":\"" + QByteArray(60, 'a')).ok());
        auto over = d.feed(QByteArray(60, 'a'));
        QVERIFY(!over.ok());
        QCOMPARE(over.error().kind(), Error::Kind::Protocol);
    }

    void capsNesting()
    {
        JsonStreamDecoder d;
        auto r = d.feed(QByteArray(JsonStreamDecoder::MaxDepth + 1, '['));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), Error::Kind::Protocol);
        JsonStreamDecoder ok;
        const int depth = JsonStreamDecoder::MaxDepth;
        auto r2 = ok.feed(QByteArray(depth, '[') + QByteArray(depth, ']'));
        QVERIFY(r2.ok());
        QCOMPARE(r2.value().size(), size_t(1));
    }

    void bigValueInSmallChunksIsLinear()
    {
        // 8 MiB value in 4 KiB chunks: a decoder that re-parses its buffer per chunk would
        // do ~2000 parses of up to 8 MiB here.
        QByteArray big = "{\"data\":[";
        while (big.size() < 8 * 1024 * 1024)
            big += "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa{}[]\\\"\",";
        big += "1]}\r\n";
        JsonStreamDecoder d;
        QElapsedTimer t;
        t.start();
        size_t values = 0;
        for (qsizetype off = 0; off < big.size(); off += 4096) {
            auto r = d.feed(big.mid(off, 4096));
            QVERIFY(r.ok());
            values += r.value().size();
        }
        QCOMPARE(values, size_t(1));
        qInfo() << "8 MiB value in 4 KiB chunks:" << t.elapsed() << "ms";
        QVERIFY(t.elapsed() < 5000);
    }

    void manySmallValues()
    {
        QByteArray events;
        for (int i = 0; i < 100000; ++i)
            events += "{\"Type\":\"container\",\"Action\":\"start\",\"timeNano\":" +
                      QByteArray::number(i) + "}\n";
        JsonStreamDecoder d;
        QElapsedTimer t;
        t.start();
        size_t values = 0;
        for (qsizetype off = 0; off < events.size(); off += 1000) {
            auto r = d.feed(events.mid(off, 1000));
            QVERIFY(r.ok());
            values += r.value().size();
        }
        QCOMPARE(values, size_t(100000));
        qInfo() << "100000 events:" << t.elapsed() << "ms";
        QVERIFY(d.finish().ok());
    }
};

QTEST_GUILESS_MAIN(tst_JsonStreamDecoder)
#include "tst_jsonstreamdecoder.moc"
