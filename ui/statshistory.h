#pragma once

#include "core/boxes/boxinfo.h"

#include <QDateTime>
#include <QHash>
#include <QList>

namespace bc::ui {

// CPU and memory samples per box over the last minutes, for the Resources tab. Fed from
// the same BoxMonitor updates as the table, so opening a box shows its recent trend at
// once instead of starting an empty chart.
class StatsHistory
{
public:
    struct Sample
    {
        qint64 msecs = 0; // since epoch
        double cpu = -1;
        qint64 memory = -1;
    };

    explicit StatsHistory(int windowSeconds = 600)
        : m_windowSeconds(windowSeconds)
    {}

    void record(const boxes::BoxInfo &box, qint64 nowMsecs = QDateTime::currentMSecsSinceEpoch());
    void forget(const QString &key) { m_samples.remove(key); }
    QList<Sample> samples(const QString &key) const { return m_samples.value(key); }
    int windowSeconds() const { return m_windowSeconds; }

private:
    int m_windowSeconds;
    QHash<QString, QList<Sample>> m_samples;
};

} // namespace bc::ui
