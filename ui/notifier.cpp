#include "ui/notifier.h"

#include "ui/alertbanner.h"

#include <QDateTime>
#include <QSystemTrayIcon>

namespace bc::ui {

namespace {
constexpr qint64 FoldMs = 60000;
}

Notifier::Notifier(AlertBanner *banner, QObject *parent)
    : QObject(parent)
    , m_banner(banner)
{}

bool Notifier::hasTray() const
{
    return m_tray && m_tray->isVisible() && QSystemTrayIcon::isSystemTrayAvailable() &&
           QSystemTrayIcon::supportsMessages();
}

QString Notifier::describe(const boxes::BoxInfo &box, const QString &what)
{
    const QString w = what.toLower();
    const QString where = box.host.isEmpty() ? box.backendKind : box.host;
    if (w.contains(QLatin1String("oom")))
        return tr("was killed: out of memory (limit reached) — on %1").arg(where);
    if (w.contains(QLatin1String("unhealthy")))
        return tr("is unhealthy: its health check fails — on %1").arg(where);
    if (w.contains(QLatin1String("die")) || w.contains(QLatin1String("exit")) ||
        w.contains(QLatin1String("dead")))
        return tr("stopped unexpectedly (%1) — on %2")
            .arg(box.statusText.isEmpty() ? what : box.statusText, where);
    return tr("%1 — on %2").arg(what, where);
}

void Notifier::boxAlert(const boxes::BoxInfo &box, const QString &what)
{
    const QString foldKey = box.key() + QLatin1Char('|') + what;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (auto it = m_lastShown.constFind(foldKey); it != m_lastShown.cend() && now - *it < FoldMs)
        return;
    m_lastShown.insert(foldKey, now);
    notify(box.name, describe(box, what));
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
