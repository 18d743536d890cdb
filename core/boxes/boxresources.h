#pragma once

#include <QMetaType>
#include <QtGlobal>

namespace bc::boxes {

// What a box uses, from the engine's stats: a value of its own, so that a stats tick
// travels (BoxMonitor::resourcesUpdated) and is applied without comparing whole BoxInfos.
// Every figure < 0: unknown (not sampled yet, stopped, or a backend without stats).
struct BoxResources
{
    double cpuPercent = -1;
    qint64 memoryUsage = -1;
    qint64 memoryLimit = -1;
    qint64 pids = -1;
    // Cumulative counters from the last sample.
    qint64 netRx = -1;
    qint64 netTx = -1;
    qint64 blockRead = -1;
    qint64 blockWrite = -1;

    bool known() const { return cpuPercent >= 0 || memoryUsage >= 0; }
    // Figures this value does not know taken from `older`: events and lists carry none, the
    // last sample's stand while the box runs.
    void fillUnknownFrom(const BoxResources &older)
    {
        const auto fill = [](auto &mine, auto theirs) {
            if (mine < 0)
                mine = theirs;
        };
        fill(cpuPercent, older.cpuPercent);
        fill(memoryUsage, older.memoryUsage);
        fill(memoryLimit, older.memoryLimit);
        fill(pids, older.pids);
        fill(netRx, older.netRx);
        fill(netTx, older.netTx);
        fill(blockRead, older.blockRead);
        fill(blockWrite, older.blockWrite);
    }
    bool operator==(const BoxResources &other) const = default;
};

} // namespace bc::boxes

Q_DECLARE_METATYPE(bc::boxes::BoxResources)
