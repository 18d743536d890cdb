#include "ui/statshistory.h"

namespace bc::ui {

void StatsHistory::record(const boxes::BoxInfo &box, qint64 nowMsecs)
{
    if (box.cpuPercent < 0 && box.memoryUsage < 0)
        return;
    const QString key = box.key();
    // Rates from the cumulative counters; a counter going back (restart) starts over.
    Sample sample{nowMsecs, box.cpuPercent, box.memoryUsage};
    Counters &c = m_counters[key];
    const qint64 dt = nowMsecs - c.msecs;
    if (box.netRx >= 0 && (box.netRx != c.netRx || box.blockRead != c.blockRead ||
                           box.netTx != c.netTx || box.blockWrite != c.blockWrite || dt > 5000)) {
        if (c.netRx >= 0 && dt > 0) {
            const auto rate = [dt](qint64 now, qint64 before) {
                return now >= before && before >= 0 ? double(now - before) * 1000.0 / double(dt)
                                                    : -1.0;
            };
            sample.netRx = rate(box.netRx, c.netRx);
            sample.netTx = rate(box.netTx, c.netTx);
            sample.blockRead = rate(box.blockRead, c.blockRead);
            sample.blockWrite = rate(box.blockWrite, c.blockWrite);
        }
        c = Counters{nowMsecs, box.netRx, box.netTx, box.blockRead, box.blockWrite};
    } else if (box.netRx >= 0 && c.netRx >= 0) {
        // Same counters within a tick: keep the last rate.
        auto &list = m_samples[key];
        if (!list.isEmpty()) {
            sample.netRx = list.last().netRx;
            sample.netTx = list.last().netTx;
            sample.blockRead = list.last().blockRead;
            sample.blockWrite = list.last().blockWrite;
        }
    }
    QList<Sample> &list = m_samples[key];
    // Several updates can arrive for one stats tick (state + stats); keep one per second.
    if (!list.isEmpty() && nowMsecs - list.last().msecs < 900) {
        const qint64 t = list.last().msecs;
        list.last() = sample;
        list.last().msecs = t;
    } else {
        list.append(sample);
    }
    const qint64 cutoff = nowMsecs - qint64(m_windowSeconds) * 1000;
    qsizetype drop = 0;
    while (drop < list.size() && list.at(drop).msecs < cutoff)
        ++drop;
    if (drop > 0)
        list.remove(0, drop);
    // Thin what is older than the dense span to one sample per step, so an hour stays small.
    const qint64 dense = nowMsecs - qint64(DenseSeconds) * 1000;
    if (list.size() > DenseSeconds + 2 * (m_windowSeconds / SparseStepSeconds)) {
        QList<Sample> thinned;
        thinned.reserve(list.size());
        qint64 lastKept = -1;
        for (const Sample &s : std::as_const(list)) {
            if (s.msecs >= dense || lastKept < 0 ||
                s.msecs - lastKept >= SparseStepSeconds * 1000) {
                thinned.append(s);
                lastKept = s.msecs;
            }
        }
        list = std::move(thinned);
    }
}

} // namespace bc::ui
