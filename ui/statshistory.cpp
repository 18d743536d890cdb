#include "ui/statshistory.h"

namespace bc::ui {

void StatsHistory::record(const boxes::BoxInfo &box, qint64 nowMsecs)
{
    if (box.cpuPercent < 0 && box.memoryUsage < 0)
        return;
    QList<Sample> &list = m_samples[box.key()];
    // Several updates can arrive for one stats tick (state + stats); keep one per second.
    if (!list.isEmpty() && nowMsecs - list.last().msecs < 900) {
        list.last().cpu = box.cpuPercent;
        list.last().memory = box.memoryUsage;
    } else {
        list.append(Sample{nowMsecs, box.cpuPercent, box.memoryUsage});
    }
    const qint64 cutoff = nowMsecs - qint64(m_windowSeconds) * 1000;
    qsizetype drop = 0;
    while (drop < list.size() && list.at(drop).msecs < cutoff)
        ++drop;
    if (drop > 0)
        list.remove(0, drop);
}

} // namespace bc::ui
