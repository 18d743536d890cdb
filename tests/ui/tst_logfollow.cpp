// ctest: labels=docker timeout=300
// Following a real box's log at a high rate through the console's path (LogStream into
// a shown LogView, wired as the detail pane wires it): a box prints numbered lines at
// about 20,000 a second on stdout and stderr; every line arrives, once, in order, and
// the view's model shows them all; a small cap keeps the newest lines behind a marker.

#include "core/docker/dockerclient.h"
#include "core/docker/logstream.h"
#include "support/dockerendpoint.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"
#include "ui/loglinemodel.h"
#include "ui/logstore.h"
#include "ui/logview.h"

#include <QTest>

using namespace bc;

namespace {

// `lines` lines, 200 every 10 ms on stdout (even steps) and stderr (odd steps), each
// "%09d …" with its number.
QString pacedScript(int lines)
{
    return QStringLiteral("gen() { awk -v s=$1 'BEGIN{for(i=s;i<s+200;i++) printf "
                          "\"%09d payload of a chatty agent box\\n\", i}'; }; "
                          "k=0; read up _ < /proc/uptime; t0=${up%%.*}${up#*.}; while [ $k -lt ") +
           QString::number(lines / 200) +
           QStringLiteral(" ]; do read up _ < /proc/uptime; now=${up%%.*}${up#*.}; "
                          "if [ $now -lt $((t0+k)) ]; then usleep 2000; continue; fi; "
                          "if [ $((k%2)) = 1 ]; then gen $((k*200)) >&2; else gen $((k*200)); fi; "
                          "k=$((k+1)); done");
}

struct Follower
{
    ui::LogView view;
    bool finished = false;
    QString error;

    void start(docker::DockerClient *client, const QString &box)
    {
        docker::LogOptions options;
        options.follow = true;
        auto *stream = client->logs(box, options);
        QObject::connect(stream, &docker::LogStream::linesReceived, &view,
                         [this](const QList<docker::LogLine> &lines) {
                             for (const docker::LogLine &l : lines)
                                 view.appendText(QString::fromUtf8(l.text),
                                                 l.stream == docker::LogLine::Stream::Stderr);
                         });
        QObject::connect(stream, &docker::LogStream::finished, &view, [this](const VoidResult &r) {
            finished = true;
            if (!r)
                error = r.error().toString();
        });
    }
};

} // namespace

class tst_LogFollow : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::LabelledCleanup> m_cleanup;
    std::unique_ptr<docker::DockerClient> m_client;

    QString runBox(const QString &script)
    {
        const QString name = test::uniqueName(QStringLiteral("logfollow"));
        int code = -1;
        QString err;
        test::runDocker({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"),
                         name, QStringLiteral("--label"), test::testLabel(),
                         QStringLiteral("--network"), QStringLiteral("none"), test::testImage(),
                         QStringLiteral("sh"), QStringLiteral("-c"), script},
                        &code, &err);
        return code == 0 ? name : QString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(test::dockerAvailable());
        m_cleanup = std::make_unique<test::LabelledCleanup>();
        m_client = std::make_unique<docker::DockerClient>(test::defaultEndpoint());
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_cleanup.reset();
    }

    void noLineLostAtHighRate()
    {
        constexpr int Lines = 100'000;
        Follower f;
        f.view.resize(800, 500);
        f.view.show();
        const QString box = runBox(pacedScript(Lines));
        QVERIFY(!box.isEmpty());
        f.start(m_client.get(), box);
        QVERIFY(test::waitUntil([&] { return f.finished; }, 120000));
        QVERIFY2(f.error.isEmpty(), qPrintable(f.error));
        QTRY_COMPARE(f.view.model()->rowCount(), Lines);
        const ui::LogStore *store = f.view.store();
        QCOMPARE(store->endSeq(), Lines);
        QCOMPARE(store->droppedLines(), 0);
        // stdout and stderr are separate streams: each is in order, and together they hold
        // every number once.
        std::vector<char> seen(Lines, 0);
        qint64 lastOut = -1, lastErr = -1;
        for (qint64 seq = 0; seq < Lines; ++seq) {
            const QByteArrayView line = store->line(seq);
            bool ok = false;
            const qint64 n = line.first(9).toByteArray().toLongLong(&ok);
            QVERIFY2(ok && n >= 0 && n < Lines, qPrintable(QString::fromUtf8(line)));
            QVERIFY2(!seen[size_t(n)], qPrintable(QStringLiteral("line %1 twice").arg(n)));
            seen[size_t(n)] = 1;
            const bool err = store->isStderr(seq);
            QCOMPARE(err, (n / 200) % 2 == 1);
            qint64 &last = err ? lastErr : lastOut;
            QVERIFY2(n > last, qPrintable(QStringLiteral("%1 after %2").arg(n).arg(last)));
            last = n;
        }
    }

    void capKeepsNewestBehindMarker()
    {
        constexpr int Lines = 20'000;
        Follower f;
        f.view.store()->setLimits(5000, 1 << 30);
        f.view.show();
        const QString box = runBox(QStringLiteral("seq 0 ") + QString::number(Lines - 1));
        QVERIFY(!box.isEmpty());
        // The cap is what this checks, so the whole log is there before it is read (a follow
        // racing the box's exit is tst_logcatchup's and noLineLostAtHighRate's part).
        test::runDocker({QStringLiteral("wait"), box});
        f.start(m_client.get(), box);
        QVERIFY(test::waitUntil([&] { return f.finished; }, 60000));
        QTRY_VERIFY(f.view.model()->rowCount() == f.view.store()->lineCount() + 1);
        const ui::LogStore *store = f.view.store();
        QCOMPARE(store->endSeq(), Lines);
        QVERIFY(store->lineCount() <= 5000);
        QVERIFY(f.view.model()->hasMarker());
        QVERIFY(f.view.model()->index(0).data().toString().contains(
            QLocale().toString(store->droppedLines())));
        QCOMPARE(f.view.model()->lineAt(1), QString::number(store->firstSeq()));
        QCOMPARE(f.view.model()->lineAt(f.view.model()->rowCount() - 1),
                 QString::number(Lines - 1));
    }
};

QTEST_MAIN(tst_LogFollow)
#include "tst_logfollow.moc"
