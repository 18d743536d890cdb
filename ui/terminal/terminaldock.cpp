#include "ui/terminal/terminaldock.h"

#include "ui/terminal/terminaltabs.h"

#include <QAction>
#include <QMainWindow>
#include <QStatusBar>

namespace bc::ui {

TerminalDock::TerminalDock(QMainWindow *window)
    : QDockWidget(tr("Terminals"), window)
    , m_tabs(new TerminalTabs(this))
{
    setObjectName(QStringLiteral("terminalDock"));
    setWidget(m_tabs);
    setAllowedAreas(Qt::BottomDockWidgetArea | Qt::RightDockWidgetArea);
    window->addDockWidget(Qt::BottomDockWidgetArea, this);
    connect(m_tabs, &TerminalTabs::failed, window,
            [window](const QString &message) { window->statusBar()->showMessage(message, 8000); });
}

TerminalDock *TerminalDock::of(QMainWindow *window)
{
    if (auto *dock = window->findChild<TerminalDock *>(QString(), Qt::FindDirectChildrenOnly))
        return dock;
    auto *dock = new TerminalDock(window);
    dock->hide();
    return dock;
}

QAction *TerminalDock::createOpenAction(QMainWindow *window, Selection selection)
{
    auto *action = new QAction(tr("Open &terminal"), window);
    action->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_T));
    action->setToolTip(tr("Open a terminal in the selected running box"));
    connect(action, &QAction::triggered, window, [window, selection] {
        const auto [client, box] = selection();
        if (!client || box.isEmpty()) {
            window->statusBar()->showMessage(
                tr("Select a running box on a Docker engine to open a terminal"), 5000);
            return;
        }
        TerminalDock *dock = of(window);
        dock->show();
        dock->raise();
        dock->tabs()->openInteractive(client, box);
    });
    return action;
}

} // namespace bc::ui
