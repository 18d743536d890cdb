#pragma once

#include <QObject>
#include <QPointer>

class QMainWindow;
class QSystemTrayIcon;
class QWidget;

namespace bc::ui {

class AlertBanner;
class AlertCenter;
class AlertHistoryDialog;
class Notifier;

// Where the console's alerts reach the user: the banner in the window, the tray icon's
// messages (a click brings the window back) and the alert history dialog.
class ConsoleAlerts final : public QObject
{
    Q_OBJECT
public:
    // The banner is made in `bannerParent`, for the window's layout to place.
    ConsoleAlerts(QMainWindow *window, QWidget *bannerParent);

    AlertBanner *banner() const { return m_banner; }
    Notifier *notifier() const { return m_notifier; }
    AlertCenter *center() const { return m_center; }
    // The (non-modal) history dialog, made on first use and raised after.
    AlertHistoryDialog *openHistory();

private:
    QMainWindow *m_window;
    AlertBanner *m_banner;
    Notifier *m_notifier;
    AlertCenter *m_center;
    QSystemTrayIcon *m_tray = nullptr;
    QPointer<AlertHistoryDialog> m_historyDialog;
};

} // namespace bc::ui
