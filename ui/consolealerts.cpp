#include "ui/consolealerts.h"

#include "ui/alertbanner.h"
#include "ui/alertcenter.h"
#include "ui/alerthistorydialog.h"
#include "ui/notifier.h"

#include <QMainWindow>
#include <QSystemTrayIcon>

namespace bc::ui {

ConsoleAlerts::ConsoleAlerts(QMainWindow *window, QWidget *bannerParent)
    : QObject(window)
    , m_window(window)
    , m_banner(new AlertBanner(bannerParent))
    , m_notifier(new Notifier(m_banner, this))
    , m_center(new AlertCenter(m_notifier, this))
{
    connect(m_banner, &AlertBanner::historyRequested, this, [this] { openHistory(); });
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(m_window->windowIcon(), this);
        m_tray->setToolTip(tr("Box Console"));
        m_tray->show();
        m_notifier->setTrayIcon(m_tray);
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            m_window->showNormal();
            m_window->raise();
            m_window->activateWindow();
        });
    }
}

AlertHistoryDialog *ConsoleAlerts::openHistory()
{
    if (!m_historyDialog) {
        m_historyDialog = new AlertHistoryDialog(m_center->history(), m_window);
        m_historyDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_historyDialog->show();
    m_historyDialog->raise();
    m_historyDialog->activateWindow();
    return m_historyDialog;
}

} // namespace bc::ui
