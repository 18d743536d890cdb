// ctest: labels=unit timeout=60
// LogWindowMerge: what a poll of a log's last N lines adds to the previous poll's window.
#include "core/boxes/logwindowmerge.h"

#include "support/testutil.h"

#include <QTest>

using bc::boxes::LogWindowMerge;

using bc::test::numbered;

namespace {

// "a b c" -> {"a","b","c"}; "_" stands for a blank line, "" for an empty window.
QStringList w(const char *words)
{
    QStringList out;
    for (const QString &word :
         QString::fromLatin1(words).split(QLatin1Char(' '), Qt::SkipEmptyParts))
        out << (word == QLatin1String("_") ? QString() : word);
    return out;
}

} // namespace

class tst_LogWindowMerge final : public QObject
{
    Q_OBJECT
private slots:
    void merge_data();
    void merge();
    void windowCarriesOver();
    void pollSequenceShowsEveryLineOnce();
};

void tst_LogWindowMerge::merge_data()
{
    QTest::addColumn<QStringList>("previous");
    QTest::addColumn<QStringList>("next");
    QTest::addColumn<int>("tail");
    QTest::addColumn<QStringList>("newLines");
    QTest::addColumn<bool>("mayHaveGap");
    QTest::addColumn<bool>("restarted");
    QTest::addColumn<QStringList>("window");

    // clang-format off
    QTest::newRow("first poll")
        << w("") << w("a b c") << 5 << w("a b c") << false << false << w("a b c");
    QTest::newRow("first poll, full window: the tail, not a gap")
        << w("") << w("c d e") << 3 << w("c d e") << false << false << w("c d e");
    QTest::newRow("both empty")
        << w("") << w("") << 5 << w("") << false << false << w("");
    QTest::newRow("empty answer keeps the previous window")
        << w("a b") << w("") << 5 << w("") << false << false << w("a b");
    QTest::newRow("no new lines")
        << w("a b c") << w("a b c") << 5 << w("") << false << false << w("a b c");
    QTest::newRow("no new lines, full window")
        << w("a b c") << w("a b c") << 3 << w("") << false << false << w("a b c");
    QTest::newRow("some new lines")
        << w("a b c") << w("a b c d e") << 10 << w("d e") << false << false << w("a b c d e");
    QTest::newRow("some new lines, window sliding")
        << w("a b c") << w("b c d") << 3 << w("d") << false << false << w("b c d");
    QTest::newRow("as many new lines as the window")
        << w("a b c") << w("d e f") << 3 << w("d e f") << true << false << w("d e f");
    QTest::newRow("more new lines than the window: gap")
        << w("a b c") << w("x y z") << 3 << w("x y z") << true << false << w("x y z");
    QTest::newRow("gap after a short log")
        << w("a") << w("k l m") << 3 << w("k l m") << true << false << w("k l m");
    QTest::newRow("unknown window size: no overlap may be a gap")
        << w("a b") << w("c") << 0 << w("c") << true << false << w("c");
    // The old code searched the new window for the previous last line ("tick"): it found
    // the last tick and dropped the two new ones.
    QTest::newRow("repeated line, log shorter than the window")
        << w("start tick") << w("start tick tick tick") << 10 << w("tick tick") << false
        << false << w("start tick tick tick");
    QTest::newRow("repeated line only")
        << w("tick tick") << w("tick tick tick tick tick") << 10 << w("tick tick tick")
        << false << false << w("tick tick tick tick tick");
    QTest::newRow("identical blank lines")
        << w("a _ _") << w("a _ _ _ b _ _") << 10 << w("_ b _ _") << false << false
        << w("a _ _ _ b _ _");
    QTest::newRow("repeats in a sliding window")
        << w("x tick tick") << w("tick tick tick") << 3 << w("tick") << false << false
        << w("tick tick tick");
    QTest::newRow("previous last line repeated earlier in the new window")
        << w("a b") << w("a b c b") << 10 << w("c b") << false << false << w("a b c b");
    // Inherently ambiguous: 0 to 3 (or more) new ticks fit; the largest overlap shows none
    // rather than showing old ticks twice.
    QTest::newRow("wholly periodic full windows: conservative")
        << w("tick tick tick") << w("tick tick tick") << 3 << w("") << false << false
        << w("tick tick tick");
    QTest::newRow("window shrinking: container restarted")
        << w("a b c d") << w("s1 s2") << 4 << w("s1 s2") << false << true << w("s1 s2");
    QTest::newRow("restarted, log not full before either")
        << w("a b") << w("s1") << 10 << w("s1") << false << true << w("s1");
    QTest::newRow("restarted with the same first line")
        << w("boot a b") << w("boot") << 10 << w("boot") << false << true << w("boot");
    // clang-format on
}

void tst_LogWindowMerge::merge()
{
    QFETCH(QStringList, previous);
    QFETCH(QStringList, next);
    QFETCH(int, tail);
    const LogWindowMerge m = LogWindowMerge::merge(previous, next, tail);
    QTEST(m.newLines, "newLines");
    QTEST(m.mayHaveGap, "mayHaveGap");
    QTEST(m.restarted, "restarted");
    QTEST(m.window, "window");
}

void tst_LogWindowMerge::windowCarriesOver()
{
    // An empty answer in between (box restarting) must not make old lines new again.
    const int tail = 10;
    LogWindowMerge m = LogWindowMerge::merge({}, w("a b c"), tail);
    m = LogWindowMerge::merge(m.window, {}, tail);
    QVERIFY(m.newLines.isEmpty());
    m = LogWindowMerge::merge(m.window, w("a b c d"), tail);
    QCOMPARE(m.newLines, w("d"));
    QVERIFY(!m.restarted);
}

void tst_LogWindowMerge::pollSequenceShowsEveryLineOnce()
{
    // A growing log polled with a small tail, with repeats and blank lines, never more
    // than `tail` lines between polls: what is shown is exactly the log, in order.
    const int tail = 6;
    const QList<QStringList> batches = {
        w("boot"),           w("tick tick"), w(""),         w("tick _ _"),
        w("tick tick tick"), w("x"),         w("_ _ tick"), numbered(QStringLiteral("n"), 1, 5),
        w("tick"),
    };
    QStringList log;
    QStringList shown;
    QStringList window;
    for (const QStringList &batch : batches) {
        log += batch;
        const QStringList next = log.mid(std::max<qsizetype>(0, log.size() - tail));
        const LogWindowMerge m = LogWindowMerge::merge(window, next, tail);
        QVERIFY(!m.mayHaveGap);
        QVERIFY(!m.restarted);
        shown += m.newLines;
        window = m.window;
    }
    QCOMPARE(shown, log);

    // Then more than `tail` lines at once: the gap is reported and the newest lines shown.
    const QStringList burst = numbered(QStringLiteral("b"), 1, 9);
    log += burst;
    const LogWindowMerge m = LogWindowMerge::merge(window, log.mid(log.size() - tail), tail);
    QVERIFY(m.mayHaveGap);
    QCOMPARE(m.newLines, burst.mid(3));
}

QTEST_GUILESS_MAIN(tst_LogWindowMerge)
#include "tst_logwindowmerge.moc"
