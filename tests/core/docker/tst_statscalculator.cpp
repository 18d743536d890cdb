#include "core/docker/statscalculator.h"

#include <QFile>
#include <QTest>

#include <cmath>

using bc::docker::StatsCalculator;
using bc::docker::StatsSample;
using nlohmann::json;

namespace {

json load(const char *name)
{
    QFile f(QString::fromUtf8(qgetenv("BOX_SOURCE_DIR")) + u"/tests/core/docker/data/" +
            QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open test data %s (BOX_SOURCE_DIR set?)", name);
    return json::parse(f.readAll().toStdString());
}

// go-units as the CLI's stats formatter uses them: BytesSize for memory (binary, %.4g),
// HumanSizeWithPrecision(x, 3) for network and block I/O (decimal, %.3g).
QString customSize(const char *format, double size, double base, const QStringList &units)
{
    int i = 0;
    while (size >= base && i < units.size() - 1) {
        size /= base;
        ++i;
    }
    return QString::asprintf(format, size) + units.at(i);
}
QString bytesSize(quint64 n)
{
    return customSize("%.4g", double(n), 1024.0,
                      {u"B"_qs, u"KiB"_qs, u"MiB"_qs, u"GiB"_qs, u"TiB"_qs});
}
QString humanSize(quint64 n)
{
    return customSize("%.3g", double(n), 1000.0, {u"B"_qs, u"kB"_qs, u"MB"_qs, u"GB"_qs});
}

bool near(double a, double b)
{
    return std::fabs(a - b) < 1e-9;
}

} // namespace

class tst_StatsCalculator final : public QObject
{
    Q_OBJECT
private slots:
    void runningCgroupV1AgainstPrecpu()
    {
        // Captured from dockerd 20.10 (cgroup v1, 2 CPUs), stream=false: the daemon fills
        // precpu_stats. Expected values were computed independently with the CLI formula.
        const StatsSample s = StatsCalculator::fromJson(load("stats-v1-running.json"));
        QCOMPARE(s.name, QStringLiteral("dl-stats-capture"));
        QVERIFY(s.id.startsWith(u"cd0d8fec22cd"));
        QVERIFY(s.read.isValid());
        QCOMPARE(s.onlineCpus, 2u);
        QVERIFY2(near(s.cpuPercent, 4.967188955223881), qPrintable(QString::number(s.cpuPercent)));
        QCOMPARE(s.memoryUsage, quint64(827392)); // total_inactive_file is 0 here
        QCOMPARE(s.memoryLimit, quint64(67108864));
        QVERIFY(near(s.memoryPercent, 827392.0 / 67108864.0 * 100.0));
        QCOMPARE(s.pids, quint64(2));
        QCOMPARE(s.cpuTotal, quint64(284670763));
        QCOMPARE(s.systemCpu, quint64(1698350000000));
    }

    void twoOneShotSamples()
    {
        // one-shot documents have a zero precpu_stats: alone, the CLI formula gives the
        // average since the container started; with the previous sample it gives what the
        // CLI computes over that interval.
        const StatsSample a = StatsCalculator::fromJson(load("stats-v1-oneshot-a.json"));
        QVERIFY(near(a.cpuPercent, 701558050.0 / 1715840000000.0 * 2 * 100));
        const json b = load("stats-v1-oneshot-b.json");
        const StatsSample b1 = StatsCalculator::fromJson(b, &a);
        QVERIFY2(near(b1.cpuPercent, 4.944410837438424),
                 qPrintable(QString::number(b1.cpuPercent)));
        QVERIFY(StatsCalculator::fromJson(b).cpuPercent < 1.0);
    }

    void matchesDockerStatsOutput()
    {
        // stats-v1-idle.cli.json is `docker stats --no-stream --format '{{json .}}'` taken
        // right after the document (idle container: nothing moved in between).
        const StatsSample s = StatsCalculator::fromJson(load("stats-v1-idle.json"));
        const json cli = load("stats-v1-idle.cli.json");
        auto cliField = [&](const char *k) {
            return QString::fromStdString(cli[k].get<std::string>());
        };
        QCOMPARE(bytesSize(s.memoryUsage) + u" / " + bytesSize(s.memoryLimit),
                 cliField("MemUsage"));
        QCOMPARE(QString::asprintf("%.2f%%", s.memoryPercent), cliField("MemPerc"));
        QCOMPARE(humanSize(s.netRx) + u" / " + humanSize(s.netTx), cliField("NetIO"));
        QCOMPARE(humanSize(s.blockRead) + u" / " + humanSize(s.blockWrite), cliField("BlockIO"));
        QCOMPARE(QString::number(s.pids), cliField("PIDs"));
        QCOMPARE(QString::asprintf("%.2f%%", s.cpuPercent), cliField("CPUPerc"));
    }

    void stoppedContainer()
    {
        const StatsSample s = StatsCalculator::fromJson(load("stats-v1-stopped.json"));
        QCOMPARE(s.name, QStringLiteral("dl-stats-idle"));
        QVERIFY(!s.read.isValid()); // 0001-01-01 means "no sample"
        QCOMPARE(s.cpuPercent, 0.0);
        QCOMPARE(s.memoryUsage, quint64(0));
        QCOMPARE(s.memoryPercent, 0.0);
        QCOMPARE(s.pids, quint64(0));
        // And the bare minimum some daemons send.
        const StatsSample bare = StatsCalculator::fromJson(json{{"id", "abc"}, {"name", "/x"}});
        QCOMPARE(bare.name, QStringLiteral("x"));
        QCOMPARE(bare.cpuPercent, 0.0);
        const StatsSample junk = StatsCalculator::fromJson(json::array({1, 2}));
        QCOMPARE(junk.memoryUsage, quint64(0));
    }

    void cgroupV2()
    {
        // Shape of a cgroup v2 document (no percpu_usage, inactive_file, lowercase ops).
        const json doc = {
            {"read", "2024-03-01T10:00:01.123456789Z"},
            {"name", "/v2box"},
            {"id", "f00d"},
            {"pids_stats", {{"current", 7}, {"limit", 256}}},
            {"blkio_stats",
             {{"io_service_bytes_recursive",
               json::array({{{"major", 8}, {"minor", 0}, {"op", "read"}, {"value", 4096}},
                            {{"major", 8}, {"minor", 0}, {"op", "write"}, {"value", 8192}},
                            {{"major", 8}, {"minor", 16}, {"op", "read"}, {"value", 100}},
                            {{"major", 8}, {"minor", 16}, {"op", ""}, {"value", 5}},
                            {{"major", 8}, {"minor", 16}, {"op", "discard"}, {"value", 9}}})}}},
            {"cpu_stats",
             {{"cpu_usage", {{"total_usage", 3000000000ULL}}},
              {"system_cpu_usage", 400000000000ULL},
              {"online_cpus", 4}}},
            {"precpu_stats",
             {{"cpu_usage", {{"total_usage", 2000000000ULL}}},
              {"system_cpu_usage", 396000000000ULL},
              {"online_cpus", 4}}},
            {"memory_stats",
             {{"usage", 104857600ULL},
              {"limit", 268435456ULL},
              {"stats", {{"inactive_file", 4194304ULL}, {"active_file", 1000}, {"anon", 5}}}}},
            {"networks",
             {{"eth0", {{"rx_bytes", 1000}, {"tx_bytes", 200}}},
              {"eth1", {{"rx_bytes", 24}, {"tx_bytes", 3}}}}}};
        const StatsSample s = StatsCalculator::fromJson(doc);
        QCOMPARE(s.name, QStringLiteral("v2box"));
        QVERIFY(s.read.isValid());
        QCOMPARE(s.read.time().msec(), 123);
        QCOMPARE(s.onlineCpus, 4u);
        // (1e9 / 4e9) * 4 * 100
        QVERIFY(near(s.cpuPercent, 100.0));
        QCOMPARE(s.memoryUsage, quint64(104857600 - 4194304));
        QVERIFY(near(s.memoryPercent, double(104857600 - 4194304) / 268435456.0 * 100.0));
        QCOMPARE(s.netRx, quint64(1024));
        QCOMPARE(s.netTx, quint64(203));
        QCOMPARE(s.blockRead, quint64(4196));
        QCOMPARE(s.blockWrite, quint64(8192));
        QCOMPARE(s.pids, quint64(7));
    }

    void memoryRules()
    {
        // v1: total_inactive_file wins when below usage.
        QCOMPARE(StatsCalculator::memoryUsageNoCache(
                     {{"usage", 1000},
                      {"stats", {{"total_inactive_file", 300}, {"inactive_file", 50}}}}),
                 quint64(700));
        // v1 key not below usage: the CLI falls through to inactive_file.
        QCOMPARE(StatsCalculator::memoryUsageNoCache(
                     {{"usage", 1000},
                      {"stats", {{"total_inactive_file", 5000}, {"inactive_file", 50}}}}),
                 quint64(950));
        // Neither below usage: usage as is.
        QCOMPARE(StatsCalculator::memoryUsageNoCache(
                     {{"usage", 1000}, {"stats", {{"inactive_file", 1000}}}}),
                 quint64(1000));
        // The old `cache` field is not used (the CLI stopped using it after 19.03).
        QCOMPARE(
            StatsCalculator::memoryUsageNoCache({{"usage", 1000}, {"stats", {{"cache", 600}}}}),
            quint64(1000));
        QCOMPARE(StatsCalculator::memoryUsageNoCache(json::object()), quint64(0));
    }

    void cpuRules()
    {
        // online_cpus missing: number of percpu_usage entries.
        const json v1 = {
            {"cpu_stats",
             {{"cpu_usage", {{"total_usage", 200}, {"percpu_usage", {50, 50, 50, 50, 0, 0}}}},
              {"system_cpu_usage", 2000}}},
            {"precpu_stats", {{"cpu_usage", {{"total_usage", 100}}}, {"system_cpu_usage", 1000}}}};
        const StatsSample s = StatsCalculator::fromJson(v1);
        QCOMPARE(s.onlineCpus, 6u);
        QVERIFY(near(s.cpuPercent, 100.0 / 1000.0 * 6 * 100.0));
        // Counters going backwards (container restarted): 0, not negative or huge.
        QCOMPARE(StatsCalculator::cpuPercent(500, 1000, 100, 2000, 2), 0.0);
        QCOMPARE(StatsCalculator::cpuPercent(100, 2000, 500, 1000, 2), 0.0);
        QCOMPARE(StatsCalculator::cpuPercent(100, 1000, 100, 2000, 2), 0.0);
        // Full uint64 range survives (v1 reports unlimited memory as ~2^63).
        const json big = {{"memory_stats",
                           {{"usage", 18446744073709551615ULL},
                            {"limit", 9223372036854771712ULL},
                            {"stats", {{"total_inactive_file", 15ULL}}}}}};
        const StatsSample b = StatsCalculator::fromJson(big);
        QCOMPARE(b.memoryUsage, quint64(18446744073709551600ULL));
        QCOMPARE(b.memoryLimit, quint64(9223372036854771712ULL));
        // Signed or floating counters from hand-written documents are tolerated.
        const json odd = {{"memory_stats", {{"usage", 2048.0}, {"limit", -1}}},
                          {"pids_stats", {{"current", "7"}}}};
        const StatsSample o = StatsCalculator::fromJson(odd);
        QCOMPARE(o.memoryUsage, quint64(2048));
        QCOMPARE(o.memoryLimit, quint64(0));
        QCOMPARE(o.pids, quint64(0));
    }

    void previousSampleOverridesPrecpu()
    {
        StatsSample prev;
        prev.cpuTotal = 1000;
        prev.systemCpu = 10000;
        const json doc = {{"cpu_stats",
                           {{"cpu_usage", {{"total_usage", 1500}}},
                            {"system_cpu_usage", 20000},
                            {"online_cpus", 2}}},
                          {"precpu_stats",
                           {{"cpu_usage", {{"total_usage", 1499}}}, {"system_cpu_usage", 19999}}}};
        QVERIFY(near(StatsCalculator::fromJson(doc, &prev).cpuPercent, 500.0 / 10000.0 * 2 * 100));
        QVERIFY(near(StatsCalculator::fromJson(doc).cpuPercent, 1.0 / 1.0 * 2 * 100));
    }
};

QTEST_GUILESS_MAIN(tst_StatsCalculator)
#include "tst_statscalculator.moc"
