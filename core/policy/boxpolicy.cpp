#include "core/policy/boxpolicy.h"

#include "core/security/boxlabels.h"

namespace bc::policy {

namespace {

qint64 secondsLabel(const QMap<QString, QString> &labels, const QString &key)
{
    const QString text = labels.value(key).trimmed();
    if (text.isEmpty())
        return 0;
    for (const QChar c : text)
        if (!c.isDigit() || c.unicode() > 127)
            return 0;
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    // Bounded so that adding it to a time never overflows (100 years is plenty).
    if (!ok || v < 0 || v > qint64(100) * 365 * 24 * 3600)
        return 0;
    return v;
}

QDateTime later(const QDateTime &a, const QDateTime &b)
{
    if (!a.isValid())
        return b;
    if (!b.isValid())
        return a;
    return a < b ? b : a;
}

} // namespace

BoxPolicy BoxPolicy::fromLabels(const QMap<QString, QString> &labels)
{
    namespace l = bc::security::labels;
    BoxPolicy p;
    p.idleStopSecs = secondsLabel(labels, l::policyIdleStop());
    p.maxLifetimeSecs = secondsLabel(labels, l::policyMaxLifetime());
    p.deleteAfterStoppedSecs = secondsLabel(labels, l::policyDeleteAfterStopped());
    const QString keep = labels.value(l::keepData()).trimmed().toLower();
    p.keepData =
        keep == QLatin1String("true") || keep == QLatin1String("1") || keep == QLatin1String("yes");
    return p;
}

QString actionName(PolicyAction action)
{
    switch (action) {
    case PolicyAction::IdleStop:
        return QStringLiteral("idle-stop");
    case PolicyAction::Expire:
        return QStringLiteral("expire");
    case PolicyAction::Delete:
        return QStringLiteral("delete");
    case PolicyAction::None:
        break;
    }
    return QStringLiteral("none");
}

PolicyDeadlines computeDeadlines(const BoxPolicy &policy, const PolicyClock &clock)
{
    PolicyDeadlines d;
    if (clock.running) {
        if (policy.idleStopSecs > 0) {
            const QDateTime base = later(clock.lastActivity, clock.started);
            const QDateTime from = base.isValid() ? base : clock.created;
            if (from.isValid())
                d.idleStopAt = later(from.addSecs(policy.idleStopSecs), clock.keepAliveUntil);
        }
        if (policy.maxLifetimeSecs > 0 && clock.created.isValid())
            d.expireAt = clock.created.addSecs(policy.maxLifetimeSecs);
        if (d.expireAt.isValid() && (!d.idleStopAt.isValid() || d.expireAt <= d.idleStopAt)) {
            d.next = PolicyAction::Expire;
            d.at = d.expireAt;
        } else if (d.idleStopAt.isValid()) {
            d.next = PolicyAction::IdleStop;
            d.at = d.idleStopAt;
        }
    } else if (policy.deleteAfterStoppedSecs > 0 && clock.stoppedAt.isValid()) {
        d.deleteAt =
            later(clock.stoppedAt.addSecs(policy.deleteAfterStoppedSecs), clock.keepAliveUntil);
        d.next = PolicyAction::Delete;
        d.at = d.deleteAt;
    }
    return d;
}

QString formatRemaining(qint64 secs)
{
    if (secs < 60)
        return QStringLiteral("%1 s").arg(qMax<qint64>(secs, 0));
    if (secs < 3600)
        return QStringLiteral("%1 min").arg((secs + 59) / 60);
    if (secs < 2 * 86400)
        return QStringLiteral("%1 h").arg((secs + 3599) / 3600);
    return QStringLiteral("%1 d").arg((secs + 86399) / 86400);
}

QString describeDeadline(const PolicyDeadlines &deadlines, const QDateTime &now)
{
    if (deadlines.next == PolicyAction::None || !deadlines.at.isValid())
        return {};
    const qint64 secs = now.secsTo(deadlines.at);
    switch (deadlines.next) {
    case PolicyAction::IdleStop:
        return secs <= 0 ? QStringLiteral("idle stop due")
                         : QStringLiteral("idle stop in %1").arg(formatRemaining(secs));
    case PolicyAction::Expire:
        return secs <= 0 ? QStringLiteral("expiry due")
                         : QStringLiteral("expires in %1").arg(formatRemaining(secs));
    case PolicyAction::Delete:
        return secs <= 0 ? QStringLiteral("deletion due")
                         : QStringLiteral("deleted in %1").arg(formatRemaining(secs));
    case PolicyAction::None:
        break;
    }
    return {};
}

} // namespace bc::policy
