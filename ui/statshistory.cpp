#include "ui/statshistory.h"

namespace bc::ui {

void StatsHistory::record(const QString &key, const boxes::BoxResources &r, qint64 nowMsecs)
{
    if (!r.known())
        return;
    // Rates from the cumulative counters; a counter going back (restart) starts over.
    Sample sample{nowMsecs, r.cpuPercent, r.memoryUsage};
    Counters &c = m_counters[key];
    const qint64 dt = nowMsecs - c.msecs;
    if (r.netRx >= 0 &&
        (r.netRx != c.last.netRx || r.blockRead != c.last.blockRead || r.netTx != c.last.netTx ||
         r.blockWrite != c.last.blockWrite || dt > 5000)) {
        if (c.last.netRx >= 0 && dt > 0) {
            const auto rate = [dt](qint64 now, qint64 before) {
                return now >= before && before >= 0 ? double(now - before) * 1000.0 / double(dt)
                                                    : -1.0;
            };
            sample.netRx = rate(r.netRx, c.last.netRx);
            sample.netTx = rate(r.netTx, c.last.netTx);
            sample.blockRead = rate(r.blockRead, c.last.blockRead);
            sample.blockWrite = rate(r.blockWrite, c.last.blockWrite);
        }
        c = Counters{nowMsecs, r};
    } else if (r.netRx >= 0 && c.last.netRx >= 0) {
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
