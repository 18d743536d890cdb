#include "support/enginecpu.h"

#include <QDir>
#include <QFile>

#include <unistd.h>

namespace bc::test {

EngineCpu EngineCpu::now()
{
    static const double ticks = double(sysconf(_SC_CLK_TCK));
    EngineCpu snapshot;
    const QStringList entries =
        QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool isPid = false;
        const int pid = entry.toInt(&isPid);
        if (!isPid)
            continue;
        QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        // "pid (comm) state ...": comm may hold spaces and parentheses, so cut at the last ')'.
        const QByteArray stat = f.readAll();
        const qsizetype open = stat.indexOf('(');
        const qsizetype close = stat.lastIndexOf(')');
        if (open < 0 || close < open)
            continue;
        const QByteArray comm = stat.mid(open + 1, close - open - 1);
        const bool dockerd = comm == "dockerd";
        if (!dockerd && comm != "containerd" && !comm.startsWith("containerd-shim"))
            continue;
        // After ") ": state is the 1st field, utime the 12th and stime the 13th.
        const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
        if (fields.size() < 13)
            continue;
        snapshot.m_seconds.insert(
            pid, double(fields.at(11).toLongLong() + fields.at(12).toLongLong()) / ticks);
        if (dockerd)
            snapshot.m_dockerd.insert(pid);
    }
    return snapshot;
}

double EngineCpu::since(const EngineCpu &earlier, bool dockerdOnly) const
{
    double total = 0;
    for (auto it = m_seconds.cbegin(); it != m_seconds.cend(); ++it)
        if (!dockerdOnly || m_dockerd.contains(it.key()))
            total += it.value() - earlier.m_seconds.value(it.key(), 0.0);
    return total;
}

double EngineCpu::dockerdSince(const EngineCpu &earlier) const
{
    return since(earlier, true);
}

double EngineCpu::totalSince(const EngineCpu &earlier) const
{
    return since(earlier, false);
}

} // namespace bc::test
