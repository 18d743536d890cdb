#pragma once

#include "core/boxes/boxresources.h"

#include <QDateTime>
#include <QHash>
#include <QList>

namespace bc::ui {

// Resource samples per box over the last hour, for the Resources tab: CPU, memory, and
// network and block I/O rates (derived from the cumulative counters). Fed from the same
// BoxMonitor updates as the table, so opening a box shows its recent trend at once.
// Bounded: one sample per second for the last five minutes, one per ten seconds before,
// so an hour costs about 630 samples a box.
class StatsHistory
{
public:
    struct Sample
    {
        qint64 msecs = 0; // since epoch
        double cpu = -1;
        qint64 memory = -1;
        double netRx = -1; // bytes per second; < 0 unknown
        double netTx = -1;
        double blockRead = -1;
        double blockWrite = -1;
    };

    explicit StatsHistory(int windowSeconds = 3600)
        : m_windowSeconds(windowSeconds)
    {}

    void record(const QString &key, const boxes::BoxResources &resources,
                qint64 nowMsecs = QDateTime::currentMSecsSinceEpoch());
    void forget(const QString &key)
    {
        m_samples.remove(key);
        m_counters.remove(key);
    }
    QList<Sample> samples(const QString &key) const { return m_samples.value(key); }
    int windowSeconds() const { return m_windowSeconds; }
    static constexpr int DenseSeconds = 300;
    static constexpr int SparseStepSeconds = 10;

private:
    struct Counters
    {
        qint64 msecs = 0;
        boxes::BoxResources last;
    };
    int m_windowSeconds;
    QHash<QString, QList<Sample>> m_samples;
    QHash<QString, Counters> m_counters;
};

} // namespace bc::ui
