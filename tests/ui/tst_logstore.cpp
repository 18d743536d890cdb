// The log line store, its model and the log view without an engine: a million numbered
// lines fed in ragged pieces arrive whole and in order; the cap drops the oldest lines
// behind a marker row that says how many; plain and regular-expression search find
// exactly the matching lines (case, anchors, UTF-8, invalid patterns); saving streams
// every kept line; the view's search runs off the GUI thread and moves to the hits.

#include "ui/loglinemodel.h"
#include "ui/logstore.h"
#include "ui/logview.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QListView>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace bc::ui;

namespace {

QByteArray numbered(qint64 from, qint64 to)
{
    QByteArray out;
    for (qint64 i = from; i < to; ++i)
        out += "seq=" + QByteArray::number(i) + " payload " + QByteArray(int(i % 40), 'x') + '\n';
    return out;
}

// Every kept line is "seq=N …" with N its sequence number.
bool inSequence(const LogStore &store, QString *why)
{
    for (qint64 seq = store.firstSeq(); seq < store.endSeq(); ++seq) {
        const QByteArrayView line = store.line(seq);
        const QByteArray expect = "seq=" + QByteArray::number(seq) + ' ';
        if (!line.startsWith(expect)) {
            *why = QStringLiteral("line %1 is %2").arg(seq).arg(QString::fromUtf8(line));
            return false;
        }
    }
    return true;
}

} // namespace

class tst_LogStore : public QObject
{
    Q_OBJECT

private slots:
    void noLineLostInRaggedPieces()
    {
        LogStore store;
        const QByteArray all = numbered(0, 1'000'000);
        QRandomGenerator rng(42);
        qsizetype at = 0;
        while (at < all.size()) {
            const qsizetype n = std::min<qsizetype>(all.size() - at, rng.bounded(1, 9000));
            store.append(QByteArrayView(all).sliced(at, n));
            at += n;
        }
        QCOMPARE(store.endSeq(), 1'000'000);
        QCOMPARE(store.droppedLines(), 0);
        QString why;
        QVERIFY2(inSequence(store, &why), qPrintable(why));
        // stdout and stderr keep their own partial lines.
        LogStore mixed;
        mixed.append("out-a", false);
        mixed.append("err-a", true);
        mixed.append("\r\n", false);
        mixed.append("\n", true);
        QCOMPARE(mixed.lineCount(), 2);
        QCOMPARE(mixed.line(0), QByteArrayView("out-a"));
        QVERIFY(!mixed.isStderr(0));
        QCOMPARE(mixed.line(1), QByteArrayView("err-a"));
        QVERIFY(mixed.isStderr(1));
    }

    void capDropsOldestBehindMarker()
    {
        LogStore store;
        store.setLimits(1000, 1 << 30);
        LogLineModel model(&store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        store.append(numbered(0, 500));
        model.sync();
        QVERIFY(!model.hasMarker());
        QCOMPARE(model.rowCount(), 500);
        store.append(numbered(500, 5000));
        model.sync();
        QVERIFY(store.droppedLines() > 0);
        QVERIFY(store.lineCount() <= 1000);
        QCOMPARE(store.endSeq(), 5000);
        QVERIFY(model.hasMarker());
        QCOMPARE(model.rowCount(), int(store.lineCount()) + 1);
        const QString marker = model.index(0).data().toString();
        QVERIFY2(marker.contains(QLocale().toString(store.droppedLines())), qPrintable(marker));
        QVERIFY(model.index(0).data(LogLineModel::MarkerRole).toBool());
        QCOMPARE(model.index(1).data(LogLineModel::SequenceRole).toLongLong(), store.firstSeq());
        QString why;
        QVERIFY2(inSequence(store, &why), qPrintable(why));
        for (int row = 1; row < model.rowCount(); ++row)
            QVERIFY(model.lineAt(row).startsWith(
                QStringLiteral("seq=%1 ").arg(store.firstSeq() + row - 1)));
        // More drops keep one marker and update its count.
        const qint64 before = store.droppedLines();
        store.append(numbered(5000, 9000));
        model.sync();
        QVERIFY(store.droppedLines() > before);
        QCOMPARE(model.rowCount(), int(store.lineCount()) + 1);
        QVERIFY(
            model.index(0).data().toString().contains(QLocale().toString(store.droppedLines())));
        // The byte cap works the same way.
        LogStore small;
        small.setLimits(1'000'000, 64 * 1024);
        small.append(numbered(0, 20000));
        QVERIFY(small.textBytes() <= 64 * 1024);
        QVERIFY(small.droppedLines() > 0);
        QCOMPARE(small.endSeq(), 20000);
        QVERIFY2(inSequence(small, &why), qPrintable(why));
    }

    void searchFindsExactlyTheMatchingLines_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("regex");
        QTest::addColumn<QList<qint64>>("hits");
        QTest::newRow("plain, any case")
            << QStringLiteral("ERROR") << false << QList<qint64>{1, 3, 6};
        QTest::newRow("plain, regex characters are literal")
            << QStringLiteral("a.b(") << false << QList<qint64>{4};
        QTest::newRow("regex, any case")
            << QStringLiteral("err[o]r: (disk|net)") << true << QList<qint64>{1, 3, 6};
        QTest::newRow("regex anchors are per line")
            << QStringLiteral("^warn.*done$") << true << QList<qint64>{2};
        QTest::newRow("regex, case-sensitive on request")
            << QStringLiteral("(?-i)error") << true << QList<qint64>{1, 6};
        QTest::newRow("UTF-8 plain, any case")
            << QStringLiteral("GRÜSSE") << false << QList<qint64>{5};
        QTest::newRow("UTF-8 regex dot is one character")
            << QStringLiteral("gr.sse") << true << QList<qint64>{5};
        QTest::newRow("no match") << QStringLiteral("absent") << false << QList<qint64>{};
        QTest::newRow("two matches in a line count once")
            << QStringLiteral("x") << false << QList<qint64>{4, 7};
    }

    void searchFindsExactlyTheMatchingLines()
    {
        QFETCH(QString, pattern);
        QFETCH(bool, regex);
        QFETCH(QList<qint64>, hits);
        LogStore store;
        store.setLimits(1000, 1 << 30);
        // Filler first, so that the searched lines sit after dropped chunks.
        store.append(numbered(0, 3000));
        const qint64 base = store.endSeq();
        store.append("start\n"
                     "error: disk full\n"
                     "warn: retry done\n"
                     "ERROR: Net\n"
                     "a.b( x x\n");
        store.append("grüsse\n", true);
        store.append("error: net down\n"
                     "tail x\n");
        LogStore::Snapshot snapshot = store.snapshot();
        const LogStore::SearchResult result = LogStore::search(snapshot, pattern, regex);
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        std::vector<qint64> found;
        for (qint64 seq : result.hits)
            if (seq >= base)
                found.push_back(seq - base);
            else
                QVERIFY2(store.line(seq).contains(pattern.toUtf8()) || regex,
                         qPrintable(QString::fromUtf8(store.line(seq))));
        QCOMPARE(QList<qint64>(found.begin(), found.end()), hits);
        QVERIFY(std::is_sorted(result.hits.begin(), result.hits.end()));
        QCOMPARE(result.searchedLines, store.lineCount());
    }

    void invalidRegexIsAnError()
    {
        LogStore store;
        store.append("a(b\n");
        const auto result = LogStore::search(store.snapshot(), QStringLiteral("a(b"), true);
        QVERIFY(!result.error.isEmpty());
        QVERIFY(result.hits.empty());
        QCOMPARE(LogStore::search(store.snapshot(), QStringLiteral("a(b"), false).hits.size(),
                 size_t(1));
    }

    void searchSeesEveryLineOfAMillion()
    {
        LogStore store;
        store.append(numbered(0, 1'000'000));
        const auto snapshot = store.snapshot();
        const auto plain = LogStore::search(snapshot, QStringLiteral("SEQ=99999"), false);
        // seq=99999 and seq=999990 … seq=999999
        QCOMPARE(plain.hits.size(), size_t(11));
        QCOMPARE(plain.hits.front(), 99999);
        QCOMPARE(plain.hits.back(), 999999);
        QVERIFY(std::is_sorted(plain.hits.begin(), plain.hits.end())); // parts merged in order
        const auto regex =
            LogStore::search(snapshot, QStringLiteral("^seq=\\d*7 payload x{6}$"), true);
        // A payload of 6 x's means i % 40 == 6, which never ends in 7: no line matches.
        qint64 expect = 0;
        for (qint64 i = 0; i < 1'000'000; ++i)
            if (i % 10 == 7 && i % 40 == 6)
                ++expect;
        QCOMPARE(qint64(regex.hits.size()), expect);
        const auto some =
            LogStore::search(snapshot, QStringLiteral("^seq=\\d+7 payload x{7}$"), true);
        expect = 0;
        for (qint64 i = 0; i < 1'000'000; ++i)
            if (i % 10 == 7 && i % 40 == 7 && i >= 10)
                ++expect;
        QCOMPARE(qint64(some.hits.size()), expect);
        for (qint64 seq : some.hits)
            QVERIFY(seq % 40 == 7);
    }

    void saveStreamsEveryKeptLine()
    {
        LogStore store;
        store.setLimits(1000, 1 << 30);
        store.append(numbered(0, 4000));
        store.append("unterminated");
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QVERIFY(LogStore::write(store.snapshot(), &buffer));
        const QList<QByteArray> lines = buffer.data().split('\n');
        QVERIFY(lines.first().contains(
            QByteArray(QByteArray::number(store.droppedLines()) + " older lines")));
        QCOMPARE(lines.size() - 2, store.lineCount()); // the marker line and the empty tail
        QCOMPARE(lines.at(1), store.line(store.firstSeq()).toByteArray());
        QCOMPARE(lines.at(lines.size() - 2), numbered(3999, 4000).chopped(1));
    }

    void viewFollowsSearchesAndSaves()
    {
        LogView view;
        view.resize(600, 400);
        view.show();
        QAbstractItemModelTester tester(view.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int i = 0; i < 200; ++i)
            view.appendBytes(numbered(i * 1000, (i + 1) * 1000), i % 2 == 1);
        QTRY_COMPARE(view.model()->rowCount(), 200'000);
        QVERIFY(view.isFollowing());
        QCOMPARE(view.model()->index(1000).data(LogLineModel::StderrRole).toBool(), true);

        QSignalSpy searched(&view, &LogView::searchFinished);
        view.setSearchText(QStringLiteral("seq=1234\\d payload"), true);
        QVERIFY(view.findNext(false));
        QVERIFY(searched.wait(10000));
        QCOMPARE(searched.first().at(0).toInt(), 10); // seq=12340 … seq=12349
        QVERIFY(
            view.view()->currentIndex().data().toString().startsWith(QLatin1String("seq=1234")));
        const int first = view.view()->currentIndex().row();
        QVERIFY(view.findNext(false)); // same pattern, no new lines: no new search
        QCOMPARE(searched.count(), 1);
        QVERIFY(view.view()->currentIndex().row() > first);
        QVERIFY(view.findNext(true));
        QCOMPARE(view.view()->currentIndex().row(), first);

        // Paused: lines wait in the store, none is lost, and they show on resume.
        view.setPaused(true);
        view.appendBytes(numbered(200'000, 210'000));
        QTest::qWait(250);
        QCOMPARE(view.model()->rowCount(), 200'000);
        view.setPaused(false);
        QCOMPARE(view.model()->rowCount(), 210'000);

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("box.log"));
        QSignalSpy saved(&view, &LogView::saved);
        view.saveInBackground(path);
        QVERIFY(saved.wait(10000));
        QVERIFY(saved.first().at(0).toBool());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), numbered(0, 210'000));
    }
};

QTEST_MAIN(tst_LogStore)
#include "tst_logstore.moc"
