#pragma once

#include <QRegularExpression>
#include <QString>

// Labels and names of the engine-side records that make interrupted work recoverable from
// the engine alone (the journal file is only an accelerator): an operation marker, created
// before an operation creates or removes anything and removed as its last step; a kept-data
// record, written by a delete that keeps volumes; the per-engine recovery lease.
namespace bc::boxes::oplabels {

inline QString op()
{
    return QStringLiteral("box-console.op");
} // operation id
inline QString opKind()
{
    return QStringLiteral("box-console.op-kind");
} // deploy|redeploy|delete
inline QString opBox()
{
    return QStringLiteral("box-console.op-box");
}
// Redeploy: the previous container's id and whether it was running before.
inline QString opPrevious()
{
    return QStringLiteral("box-console.op-previous");
}
inline QString opPreviousRunning()
{
    return QStringLiteral("box-console.op-previous-running");
}
inline QString opKeepData()
{
    return QStringLiteral("box-console.op-keep-data");
}
inline QString opDev()
{
    return QStringLiteral("box-console.op-dev");
}
inline QString opStarted()
{
    return QStringLiteral("box-console.op-started");
}
inline QString opHolder()
{
    return QStringLiteral("box-console.op-holder");
} // opholder.h

// On the kept-data record: when the data was kept, for which box.
inline QString kept()
{
    return QStringLiteral("box-console.kept");
}
inline QString keptBox()
{
    return QStringLiteral("box-console.kept-box");
}

inline QString leaseHolder()
{
    return QStringLiteral("box-console.lease-holder");
}
inline QString leaseExpires()
{
    return QStringLiteral("box-console.lease-expires");
}

// Volumes: creating one needs no image, and a marker's name is unique to its operation.
inline QString markerVolume(const QString &opId)
{
    return QStringLiteral("box-console-op.") + opId;
}
inline QString keptVolume(const QString &box)
{
    return QStringLiteral("box-console-kept.") + box;
}
// A container: creating one with a taken name is refused (409), atomically.
// On a lease renewal volume: the id of the lease container it extends.
inline QString leaseOf()
{
    return QStringLiteral("box-console.lease-of");
}
inline QString leaseContainer()
{
    return QStringLiteral("box-console-lease");
}

// A redeploy keeps the previous container under this name until the new one is healthy.
inline QString previousName(const QString &box, const QString &opId)
{
    return box + QStringLiteral(".previous-") + opId;
}
inline QString failedName(const QString &box, const QString &opId)
{
    return box + QStringLiteral(".failed-") + opId;
}
// "<box>.previous-<op>" -> (box, op); empty when the name is not one.
inline QRegularExpression previousPattern()
{
    static const QRegularExpression re(QStringLiteral("^/?(.+)\\.previous-([A-Za-z0-9-]+)$"));
    return re;
}

} // namespace bc::boxes::oplabels
