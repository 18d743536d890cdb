#include "core/boxes/opholder.h"

#include <QCoreApplication>
#include <QFile>
#include <QStringList>
#include <QSysInfo>

namespace bc::boxes::opholder {

namespace {
// Field 22 of /proc/<pid>/stat: tells a reused pid from the process that wrote a marker.
QString startTicks(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray stat = f.readAll();
    // The command name (field 2) may hold spaces and parentheses: count after the last ')'.
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return {};
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    return fields.size() > 19 ? QString::fromLatin1(fields.at(19)) : QString();
}
} // namespace

QString current()
{
    const qint64 pid = QCoreApplication::applicationPid();
    return QSysInfo::machineHostName() + QLatin1Char(':') + QString::number(pid) +
           QLatin1Char(':') + startTicks(pid);
}

Liveness liveness(const QString &holder)
{
    const QStringList parts = holder.split(QLatin1Char(':'));
    if (parts.size() != 3 || parts.at(0) != QSysInfo::machineHostName())
        return Liveness::Unknown;
    bool ok = false;
    const qint64 pid = parts.at(1).toLongLong(&ok);
    if (!ok)
        return Liveness::Unknown;
    const QString ticks = startTicks(pid);
    return !ticks.isEmpty() && ticks == parts.at(2) ? Liveness::Alive : Liveness::Dead;
}

} // namespace bc::boxes::opholder
