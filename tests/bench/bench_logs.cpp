// Logs that keep up, measured side by side in one run on the local engine:
//  1. throughput: reading a finished box's whole log (L lines) with `docker logs -f >
//     /dev/null` against the console's path (LogStream -> LogView, as the detail pane
//     wires it, until every line is in the view's model), each twice, alternating;
//  2. following a box that prints R lines a second for S seconds: lines received and in
//     sequence, the GUI thread's stalls (gaps between 1 ms timer ticks: p50, p99, max),
//     the store's size;
//  3. search over the followed log's first 1,000,000 lines and over all of it: plain and
//     regular expression, on the store directly and through the view (off the GUI thread).
//
// bench_logs [S seconds, default 60] [R lines/s, default 20000] [L lines, default 1200000]

#include "core/docker/dockerclient.h"
#include "core/docker/logstream.h"
#include "support/dockerfixture.h"
#include "ui/loglinemodel.h"
#include "ui/logstore.h"
#include "ui/logview.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QListView>
#include <QProcess>
#include <QSignalSpy>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace bc;

namespace {

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

qint64 rssKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return -1;
}

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    return done();
}

QString runBox(const QString &name, const QString &script)
{
    int code = -1;
    QString err;
    test::runDocker({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), name,
                     QStringLiteral("--label"), test::testLabel(), QStringLiteral("--label"),
                     QStringLiteral("box-console.bench=logs"), QStringLiteral("--network"),
                     QStringLiteral("none"), test::testImage(), QStringLiteral("sh"),
                     QStringLiteral("-c"), script},
                    &code, &err);
    return code == 0 ? QString() : err;
}

// Lines "%09d agent: step …", 74 bytes each, as fast as awk writes them. (Built by
// concatenation: QString::arg would take "%09d" for a place marker.)
const QString LineFormat =
    QStringLiteral(R"("%09d agent: step tool=read_file path=/home/box/src/main.rs status=ok\n")");

QString burstScript(qint64 lines)
{
    return QStringLiteral("awk 'BEGIN{for(i=0;i<") + QString::number(lines) +
           QStringLiteral(";i++) printf ") + LineFormat + QStringLiteral(", i}'");
}

// `rate` lines a second in 10 ms steps paced on /proc/uptime (centiseconds), catching up
// when late, for `seconds`.
QString paceScript(int seconds, int rate)
{
    return QStringLiteral("per=") + QString::number(rate / 100) +
           QStringLiteral("; read up _ < /proc/uptime; t0=${up%%.*}${up#*.}; k=0; "
                          "while [ $k -lt ") +
           QString::number(seconds * 100) +
           QStringLiteral(" ]; do read up _ < /proc/uptime; now=${up%%.*}${up#*.}; "
                          "if [ $now -lt $((t0+k)) ]; then usleep 3000; continue; fi; "
                          "awk -v s=$((k*per)) -v n=$per 'BEGIN{for(i=s;i<s+n;i++) printf ") +
           LineFormat + QStringLiteral(", i}'; k=$((k+1)); done");
}

// The console's side: a LogView fed by a LogStream the way the detail pane wires it.
struct Follower
{
    ui::LogView view;
    docker::LogStream *stream = nullptr;
    bool finished = false;
    QString error;

    void start(docker::DockerClient *client, const QString &box)
    {
        docker::LogOptions options;
        options.follow = true;
        options.tail = -1;
        stream = client->logs(box, options);
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

// Every line of the store is "%09d …" with its sequence number.
qint64 outOfSequence(const ui::LogStore &store)
{
    qint64 bad = 0;
    for (qint64 seq = store.firstSeq(); seq < store.endSeq(); ++seq)
        if (store.line(seq).first(9).toByteArray().toLongLong() != seq)
            ++bad;
    return bad;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int seconds = argc > 1 ? std::max(1, atoi(argv[1])) : 60;
    const int rate = argc > 2 ? std::max(100, atoi(argv[2])) : 20000;
    const qint64 burst = argc > 3 ? std::max(1000LL, atoll(argv[3])) : 1'200'000;
    if (!test::dockerAvailable()) {
        std::fprintf(stderr, "bench_logs: no Docker engine\n");
        return 1;
    }
    test::LabelledCleanup cleanup(QStringLiteral("box-console.bench=logs"));
    docker::DockerClient client{http::Endpoint{}};

    // 1. Throughput on a finished box's log.
    const QString burstBox = test::uniqueName(QStringLiteral("bench-logs-burst"));
    if (const QString err = runBox(burstBox, burstScript(burst)); !err.isEmpty()) {
        std::fprintf(stderr, "bench_logs: %s\n", qPrintable(err));
        return 1;
    }
    test::runDocker({QStringLiteral("wait"), burstBox});
    std::printf("1. log follow throughput, %lld lines (74 bytes each) of a finished box\n", burst);
    std::vector<double> theirs, ours;
    for (int round = 0; round < 2; ++round) {
        QElapsedTimer clock;
        QProcess docker;
        docker.setStandardOutputFile(QProcess::nullDevice());
        clock.start();
        docker.start(QStringLiteral("docker"),
                     {QStringLiteral("logs"), QStringLiteral("-f"), burstBox});
        docker.waitForFinished(600000);
        theirs.push_back(double(clock.elapsed()));

        Follower f;
        f.view.resize(900, 600);
        f.view.show();
        clock.start();
        f.start(&client, burstBox);
        const bool all = waitUntil(
            [&] {
                return f.finished && f.view.model()->rowCount() == burst &&
                       f.view.store()->endSeq() == burst;
            },
            600000);
        ours.push_back(double(clock.elapsed()));
        if (!all) {
            std::fprintf(stderr, "bench_logs: the view got %lld of %lld lines (%s)\n",
                         f.view.store()->endSeq(), burst, qPrintable(f.error));
            return 1;
        }
        std::printf("  round %d: docker logs -f > /dev/null %.0f ms, box-console (LogStream -> "
                    "LogView, all lines in the model) %.0f ms, ratio %.2fx\n",
                    round + 1, theirs.back(), ours.back(), ours.back() / theirs.back());
    }
    const double best = *std::min_element(ours.begin(), ours.end()) /
                        *std::min_element(theirs.begin(), theirs.end());
    std::printf("  best of each: ratio %.2fx   (target <= 1.2x the time)\n", best);

    // 2. Following a box that prints `rate` lines a second.
    const QString paceBox = test::uniqueName(QStringLiteral("bench-logs-follow"));
    std::printf("2. following a box printing %d lines/s for %d s\n", rate, seconds);
    Follower f;
    f.view.resize(900, 600);
    f.view.show();
    std::vector<double> gaps;
    QElapsedTimer sinceTick;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, &app, [&] {
        if (sinceTick.isValid())
            gaps.push_back(double(sinceTick.nsecsElapsed()) / 1e6);
        sinceTick.start();
    });
    const qint64 rssBefore = rssKiB();
    if (const QString err = runBox(paceBox, paceScript(seconds, rate)); !err.isEmpty()) {
        std::fprintf(stderr, "bench_logs: %s\n", qPrintable(err));
        return 1;
    }
    QElapsedTimer followClock;
    followClock.start();
    f.start(&client, paceBox);
    ticker.start();
    const qint64 expected = qint64(seconds) * (rate / 100) * 100;
    waitUntil([&] { return f.finished && f.view.model()->rowCount() >= f.view.store()->endSeq(); },
              (seconds + 120) * 1000);
    ticker.stop();
    const double took = double(followClock.elapsed()) / 1000;
    const qint64 got = f.view.store()->endSeq();
    const qint64 bad = outOfSequence(*f.view.store());
    std::printf("  lines received %lld of %lld, out of sequence %lld, dropped by the cap %lld, "
                "in %.1f s (%.0f lines/s)\n",
                got, expected, bad, f.view.store()->droppedLines(), took, double(got) / took);
    std::printf("  GUI thread stalls (gap between 1 ms timer ticks, %zu ticks): p50 %.2f ms, "
                "p99 %.2f ms, p99.9 %.2f ms, max %.2f ms   (target: max <= 50 ms)\n",
                gaps.size(), percentile(gaps, 0.5), percentile(gaps, 0.99), percentile(gaps, 0.999),
                percentile(gaps, 1.0));
    std::printf("  store: %.1f MiB of text for %lld lines (cap %lld lines / %lld MiB); process "
                "RSS grew %.1f MiB\n",
                double(f.view.store()->textBytes()) / (1024 * 1024), f.view.store()->lineCount(),
                f.view.store()->maxLines(), f.view.store()->maxBytes() / (1024 * 1024),
                double(rssKiB() - rssBefore) / 1024);

    // 3. Search.
    ui::LogStore million;
    {
        const ui::LogStore::Snapshot all = f.view.store()->snapshot();
        qint64 n = 0;
        for (const auto &chunk : all.chunks)
            for (qint64 i = 0; i < chunk->lineCount() && n < 1'000'000; ++i, ++n)
                million.appendLine(chunk->line(i));
        for (qint64 i = n; i < 1'000'000; ++i) // a short follow: pad with the same shape
            million.appendLine(
                QByteArray(QByteArray::number(i).rightJustified(9, '0') +
                           " agent: step tool=read_file path=/home/box/src/main.rs status=ok"));
    }
    const ui::LogStore::Snapshot snap = million.snapshot();
    struct Query
    {
        const char *what;
        QString pattern;
        bool regex;
    };
    const Query queries[] = {
        {"plain, rare (1 hit)", QStringLiteral("000765432 agent"), false},
        {"plain, any case, frequent", QStringLiteral("STATUS=OK"), false},
        {"plain, absent", QStringLiteral("panic: runtime error"), false},
        {"regex, rare", QStringLiteral("^0007654[0-9]2 agent"), true},
        {"regex, alternation", QStringLiteral("error|panic|fatal"), true},
        {"regex, every line", QStringLiteral("main\\.rs status=\\w+$"), true},
    };
    std::printf("3. search over %lld lines (%.0f MiB), median of 5 runs\n", snap.lineCount(),
                double(million.textBytes()) / (1024 * 1024));
    for (const Query &q : queries) {
        std::vector<double> ms;
        size_t hits = 0;
        for (int i = 0; i < 5; ++i) {
            QElapsedTimer t;
            t.start();
            hits = ui::LogStore::search(snap, q.pattern, q.regex).hits.size();
            ms.push_back(double(t.nsecsElapsed()) / 1e6);
        }
        std::printf("  %-28s %-36s %8zu hits  %6.1f ms   (target < 100 ms)\n", q.what,
                    qPrintable(q.pattern), hits, percentile(ms, 0.5));
    }
    // Through the view: Enter in the search field to the first hit selected.
    {
        QSignalSpy done(&f.view, &ui::LogView::searchFinished);
        f.view.setSearchText(QStringLiteral("^0007654[0-9]2 agent"), true);
        QElapsedTimer t;
        t.start();
        f.view.findNext(false);
        done.wait(10000);
        std::printf("  through the log view (%lld lines, worker thread, until the hit is "
                    "selected): %.1f ms\n",
                    f.view.store()->lineCount(), double(t.nsecsElapsed()) / 1e6);
    }
    return got == expected && bad == 0 ? 0 : 1;
}
