#include "ui/alertcenter.h"

#include "ui/models/alerthistorymodel.h"
#include "ui/models/boxlistmodel.h"
#include "ui/notifier.h"

#include <QDateTime>

namespace bc::ui {

using boxes::BoxInfo;

namespace {

QString condition(const QString &kind)
{
    return kind == QLatin1String("unhealthy") ? kind : QStringLiteral("down");
}

} // namespace

AlertCenter::AlertCenter(Notifier *notifier, QObject *parent)
    : QObject(parent)
    , m_notifier(notifier)
    , m_history(new AlertHistoryModel(this))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(700);
    connect(&m_timer, &QTimer::timeout, this, &AlertCenter::flush);
}

void AlertCenter::expect(const QString &key, int withinMs)
{
    m_expected.insert(key, QDateTime::currentMSecsSinceEpoch() + withinMs);
}

QString AlertCenter::kindOf(const BoxInfo &box, const QString &what)
{
    const QString w = what.toLower();
    if (w.contains(QLatin1String("unhealthy")))
        return QStringLiteral("unhealthy");
    if (box.oomKilled || w.contains(QLatin1String("oom")))
        return QStringLiteral("oom");
    if (!box.stoppedBy.isEmpty())
        return QStringLiteral("stoppedBy");
    switch (box.exitCode) {
    case 137:
        return QStringLiteral("killed");
    case 143:
        return QStringLiteral("terminated");
    case 0:
    case -1:
        return QStringLiteral("stopped");
    default:
        return QStringLiteral("exited");
    }
}

QString AlertCenter::describe(const BoxInfo &box, const QString &what)
{
    const QString where = BoxListModel::shortBackend(box);
    const QString kind = kindOf(box, what);
    if (kind == QLatin1String("unhealthy"))
        return tr("is unhealthy: its health check fails — on %1").arg(where);
    if (kind == QLatin1String("oom"))
        return tr("was killed: out of memory (the memory limit was reached) — on %1").arg(where);
    if (kind == QLatin1String("stoppedBy"))
        return tr("stopped (by %1) — on %2").arg(box.stoppedBy, where);
    QString why = BoxListModel::exitExplanation(box);
    if (why.isEmpty())
        why = tr("stopped");
    return tr("%1 — on %2").arg(why, where);
}

QString AlertCenter::groupTitle(const QString &kind, int count)
{
    const QString boxes = count == 1 ? tr("1 box") : tr("%1 boxes").arg(count);
    if (kind == QLatin1String("unhealthy"))
        return tr("%1 unhealthy").arg(boxes);
    if (kind == QLatin1String("oom"))
        return tr("%1 killed: out of memory").arg(boxes);
    if (kind == QLatin1String("killed"))
        return tr("%1 killed").arg(boxes);
    if (kind == QLatin1String("terminated"))
        return tr("%1 terminated").arg(boxes);
    if (kind == QLatin1String("exited"))
        return tr("%1 exited with an error").arg(boxes);
    if (kind == QLatin1String("stoppedBy"))
        return tr("%1 stopped (by docker stop)").arg(boxes);
    return tr("%1 stopped").arg(boxes);
}

void AlertCenter::boxAlert(const BoxInfo &box, const QString &what)
{
    const QString key = box.key();
    const QString kind = kindOf(box, what);
    const QString cond = condition(kind);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (auto it = m_expected.find(key); it != m_expected.end()) {
        if (*it >= now && cond == QLatin1String("down")) {
            m_active[key].insert(cond);
            return;
        }
        if (*it < now)
            m_expected.erase(it);
    }
    QSet<QString> &active = m_active[key];
    if (active.contains(cond))
        return; // already reported and still true (a re-list found it again)
    active.insert(cond);
    const QString text = describe(box, what);
    m_history->append({QDateTime::currentDateTimeUtc(), key, box.name, kind, text});
    // Someone stopped it on purpose: on record, but nothing to alert anyone about.
    if (kind == QLatin1String("stoppedBy"))
        return;
    m_pending.append({kind, box.name, text});
    if (!m_timer.isActive())
        m_timer.start();
}

void AlertCenter::boxChanged(const BoxInfo &box)
{
    auto it = m_active.find(box.key());
    if (it == m_active.end())
        return;
    const bool running = box.state == BoxInfo::State::Running;
    if (!running || box.health != BoxInfo::Health::Unhealthy)
        it->remove(QStringLiteral("unhealthy"));
    if (running) {
        it->remove(QStringLiteral("down"));
        m_expected.remove(box.key());
    }
    if (it->isEmpty())
        m_active.erase(it);
}

void AlertCenter::flush()
{
    m_timer.stop();
    const QList<Pending> pending = std::exchange(m_pending, {});
    QStringList order;
    QHash<QString, QList<Pending>> byKind;
    for (const Pending &p : pending) {
        if (!byKind.contains(p.kind))
            order << p.kind;
        byKind[p.kind].append(p);
    }
    for (const QString &kind : std::as_const(order)) {
        const QList<Pending> &group = byKind[kind];
        if (group.size() == 1) {
            m_notifier->notify(group.first().name, group.first().text);
            continue;
        }
        QStringList names;
        for (const Pending &p : group)
            names << p.name;
        constexpr int Shown = 8;
        QString text = QStringList(names.mid(0, Shown)).join(QStringLiteral(", "));
        if (names.size() > Shown)
            text += tr(" and %n more", nullptr, int(names.size()) - Shown);
        m_notifier->notify(groupTitle(kind, int(group.size())), text);
    }
}

} // namespace bc::ui
