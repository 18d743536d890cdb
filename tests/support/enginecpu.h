#pragma once

#include <QHash>
#include <QSet>

namespace bc::test {

// The CPU time (utime+stime from /proc/<pid>/stat) the Docker engine's processes have used
// so far: dockerd, and with it containerd and the containerd-shim of every container.
// Benchmarks take one snapshot before and one after what they measure.
class EngineCpu
{
public:
    static EngineCpu now();

    // Seconds used since `earlier`, counted per process so that a shim which exits
    // meanwhile (someone else's container) does not make the figure go down; a process
    // that appeared meanwhile counts whole.
    double dockerdSince(const EngineCpu &earlier) const;
    double totalSince(const EngineCpu &earlier) const;

    bool hasDockerd() const { return !m_dockerd.isEmpty(); }
    int processCount() const { return int(m_seconds.size()); }

private:
    double since(const EngineCpu &earlier, bool dockerdOnly) const;

    QHash<int, double> m_seconds; // by pid
    QSet<int> m_dockerd;
};

} // namespace bc::test
