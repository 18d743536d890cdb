#pragma once

#include "core/boxes/boxinfo.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <QSystemTrayIcon>

namespace bc::ui {

class AlertBanner;

// Desktop notifications: a tray message when the desktop has a tray, and the in-window
// banner (always, so an alert seen while away is still there). What is worth notifying is
// AlertCenter's decision.
class Notifier final : public QObject
{
    Q_OBJECT
public:
    Notifier(AlertBanner *banner, QObject *parent = nullptr);

    void setTrayIcon(QSystemTrayIcon *tray) { m_tray = tray; }
    bool hasTray() const;
    void notify(const QString &title, const QString &text, bool critical = true);

signals:
    void notified(const QString &title, const QString &text);

private:
    QPointer<AlertBanner> m_banner;
    QPointer<QSystemTrayIcon> m_tray;
};

} // namespace bc::ui
