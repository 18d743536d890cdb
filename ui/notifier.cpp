#include "ui/notifier.h"

#include "ui/alertbanner.h"

#include <QDateTime>
#include <QSystemTrayIcon>

namespace bc::ui {

Notifier::Notifier(AlertBanner *banner, QObject *parent)
    : QObject(parent)
    , m_banner(banner)
{}

bool Notifier::hasTray() const
{
    return m_tray && m_tray->isVisible() && QSystemTrayIcon::isSystemTrayAvailable() &&
           QSystemTrayIcon::supportsMessages();
}

void Notifier::notify(const QString &title, const QString &text, bool critical)
{
    if (hasTray())
        m_tray->showMessage(title, text,
                            critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Information,
                            10000);
    if (m_banner)
        m_banner->showAlert(title, text);
    emit notified(title, text);
}

} // namespace bc::ui
