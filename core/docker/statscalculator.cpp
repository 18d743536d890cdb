#include "core/docker/statscalculator.h"

#include "core/util/jsonlenient.h"

namespace bc::docker {

namespace {

using nlohmann::json;

using util::json::member;
using util::json::string;

// Counters are uint64 (cgroup v1 reports "unlimited" as about 2^63); a hand-written or
// foreign document may carry them as signed or floating numbers, which are tolerated.
quint64 u64(const json &value)
{
    if (value.is_number_unsigned())
        return value.get<quint64>();
    if (value.is_number_integer())
        return value.get<qint64>() > 0 ? quint64(value.get<qint64>()) : 0;
    if (value.is_number_float()) {
        const double d = value.get<double>();
        return d > 0 ? quint64(d) : 0;
    }
    return 0;
}

} // namespace

double StatsCalculator::cpuPercent(quint64 previousCpu, quint64 previousSystem, quint64 cpuTotal,
                                   quint64 systemCpu, quint32 onlineCpus)
{
    // Deltas in double as the CLI does: a counter reset (restart) gives a negative delta,
    // which reads as 0 %.
    const double cpuDelta = double(cpuTotal) - double(previousCpu);
    const double systemDelta = double(systemCpu) - double(previousSystem);
    if (systemDelta > 0.0 && cpuDelta > 0.0)
        return (cpuDelta / systemDelta) * double(onlineCpus) * 100.0;
    return 0.0;
}

quint64 StatsCalculator::memoryUsageNoCache(const json &memoryStats)
{
    const quint64 usage = u64(member(memoryStats, "usage"));
    const json &stats = member(memoryStats, "stats");
    // cgroup v1 first; like the CLI, fall through to the v2 key when total_inactive_file
    // is not below usage (v1 documents carry inactive_file too).
    const json &v1 = member(stats, "total_inactive_file");
    if (!v1.is_null()) {
        const quint64 inactive = u64(v1);
        if (inactive < usage)
            return usage - inactive;
    }
    const quint64 inactive = u64(member(stats, "inactive_file"));
    if (inactive < usage)
        return usage - inactive;
    return usage;
}

StatsSample StatsCalculator::fromJson(const json &doc, const StatsSample *previous)
{
    StatsSample s;
    s.id = string(doc, "id");
    s.name = string(doc, "name");
    if (s.name.startsWith(QLatin1Char('/')))
        s.name.remove(0, 1);
    const QString read = string(doc, "read");
    if (!read.isEmpty()) {
        s.read = QDateTime::fromString(read, Qt::ISODateWithMs);
        // The zero time ("0001-01-01T00:00:00Z") marks a stopped container: keep it null.
        if (s.read.isValid() && s.read.date().year() <= 1)
            s.read = QDateTime();
    }

    const json &cpu = member(doc, "cpu_stats");
    const json &cpuUsage = member(cpu, "cpu_usage");
    s.cpuTotal = u64(member(cpuUsage, "total_usage"));
    s.systemCpu = u64(member(cpu, "system_cpu_usage"));
    s.onlineCpus = quint32(u64(member(cpu, "online_cpus")));
    if (s.onlineCpus == 0) {
        const json &percpu = member(cpuUsage, "percpu_usage");
        if (percpu.is_array())
            s.onlineCpus = quint32(percpu.size());
    }
    quint64 preCpu = 0;
    quint64 preSystem = 0;
    if (previous) {
        preCpu = previous->cpuTotal;
        preSystem = previous->systemCpu;
    } else {
        const json &pre = member(doc, "precpu_stats");
        preCpu = u64(member(member(pre, "cpu_usage"), "total_usage"));
        preSystem = u64(member(pre, "system_cpu_usage"));
    }
    s.cpuPercent = cpuPercent(preCpu, preSystem, s.cpuTotal, s.systemCpu, s.onlineCpus);
    // A one-shot sample's precpu is empty: its 0 % would be a guess.
    s.cpuKnown = preSystem > 0 && s.systemCpu > 0;

    const json &memory = member(doc, "memory_stats");
    s.memoryUsage = memoryUsageNoCache(memory);
    s.memoryLimit = u64(member(memory, "limit"));
    s.memoryPercent =
        s.memoryLimit != 0 ? double(s.memoryUsage) / double(s.memoryLimit) * 100.0 : 0.0;

    const json &networks = member(doc, "networks");
    if (networks.is_object()) {
        for (const auto &[name, net] : networks.items()) {
            s.netRx += u64(member(net, "rx_bytes"));
            s.netTx += u64(member(net, "tx_bytes"));
        }
    }

    const json &io = member(member(doc, "blkio_stats"), "io_service_bytes_recursive");
    if (io.is_array()) {
        for (const json &entry : io) {
            const QString op = string(entry, "op");
            if (op.isEmpty())
                continue;
            const QChar c = op.at(0);
            if (c == QLatin1Char('r') || c == QLatin1Char('R'))
                s.blockRead += u64(member(entry, "value"));
            else if (c == QLatin1Char('w') || c == QLatin1Char('W'))
                s.blockWrite += u64(member(entry, "value"));
        }
    }

    s.pids = u64(member(member(doc, "pids_stats"), "current"));
    return s;
}

} // namespace bc::docker
