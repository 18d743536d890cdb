#pragma once

#include "core/boxes/boxinfo.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace bc::ui {

class AlertHistoryModel;
class Notifier;

// Turns BoxMonitor alerts into what an admin should see: no alert for what the console
// itself did (stop, restart, delete), no repeat for a box whose problem was already
// reported (a re-list after Settings finds it unhealthy again), exit codes in words, and a
// burst (ten boxes killed at once) as one notification. Every alert goes to the history.
class AlertCenter final : public QObject
{
    Q_OBJECT
public:
    explicit AlertCenter(Notifier *notifier, QObject *parent = nullptr);

    AlertHistoryModel *history() const { return m_history; }

    // The console is about to stop, restart or delete this box: its exit is no alert.
    void expect(const QString &key, int withinMs = 120000);
    // From BoxMonitor::boxAlert.
    void boxAlert(const boxes::BoxInfo &box, const QString &what);
    // Every box update: a box back up (or healthy) can alert again later.
    void boxChanged(const boxes::BoxInfo &box);
    // The box is gone for good: nothing to remember about it.
    void forget(const QString &key)
    {
        m_active.remove(key);
        m_expected.remove(key);
    }
    // Alerts arriving within this delay of each other are grouped.
    void setGroupDelayMs(int ms) { m_timer.setInterval(ms); }
    // Shows what is pending now (tests, shutdown).
    void flush();

    // "killed", "oom", "terminated", "exited", "stopped", "unhealthy", and "stoppedBy" for
    // a box stopped through the engine by someone else (history only, no notification).
    static QString kindOf(const boxes::BoxInfo &box, const QString &what);
    // One sentence for one box: "was killed (SIGKILL, exit code 137) — on local".
    static QString describe(const boxes::BoxInfo &box, const QString &what);

private:
    struct Pending
    {
        QString kind;
        QString name;
        QString text;
    };
    static QString groupTitle(const QString &kind, int count);

    Notifier *m_notifier;
    AlertHistoryModel *m_history;
    QHash<QString, qint64> m_expected;      // key -> deadline (msecs since epoch)
    QHash<QString, QSet<QString>> m_active; // key -> reported conditions still true
    QList<Pending> m_pending;
    QTimer m_timer;
};

} // namespace bc::ui
