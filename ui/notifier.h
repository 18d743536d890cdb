#pragma once

#include "core/boxes/boxinfo.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <QSystemTrayIcon>

namespace bc::ui {

class AlertBanner;

// Desktop notifications for box alerts (unhealthy, died, OOM-killed): a tray message when
// the desktop has a tray, the in-window banner otherwise (and always, so an alert seen
// while away is still there). Repeats of one alert for one box within a minute are folded.
class Notifier final : public QObject
{
    Q_OBJECT
public:
    Notifier(AlertBanner *banner, QObject *parent = nullptr);

    void setTrayIcon(QSystemTrayIcon *tray) { m_tray = tray; }
    bool hasTray() const;
    // `what` as BoxMonitor::boxAlert says it ("unhealthy", "died", "oom", …).
    void boxAlert(const boxes::BoxInfo &box, const QString &what);
    void notify(const QString &title, const QString &text, bool critical = true);

    static QString describe(const boxes::BoxInfo &box, const QString &what);

signals:
    void notified(const QString &title, const QString &text);

private:
    QPointer<AlertBanner> m_banner;
    QPointer<QSystemTrayIcon> m_tray;
    QHash<QString, qint64> m_lastShown; // key + what -> msecs
};

} // namespace bc::ui
