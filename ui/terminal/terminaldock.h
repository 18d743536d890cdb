#pragma once

#include <QDockWidget>

#include <functional>

class QAction;
class QMainWindow;

namespace bc::docker {
class DockerClient;
}

namespace bc::ui {

class TerminalTabs;

// The dock at the bottom of the main window that holds the terminal tabs. One per window,
// created on first use; hiding it keeps its sessions running.
class TerminalDock : public QDockWidget
{
    Q_OBJECT
public:
    // The window's dock (created, docked at the bottom and hidden on first call).
    static TerminalDock *of(QMainWindow *window);

    // Which engine and box a terminal opens into: the selected box, or {nullptr, {}}.
    using Selection = std::function<std::pair<docker::DockerClient *, QString>()>;
    // An "Open terminal" action (Ctrl+Alt+T) for `window` that asks for user and shell
    // and opens a tab for what `selection` returns; errors go to the status bar.
    static QAction *createOpenAction(QMainWindow *window, Selection selection);

    TerminalTabs *tabs() const { return m_tabs; }

private:
    explicit TerminalDock(QMainWindow *window);
    TerminalTabs *m_tabs;
};

} // namespace bc::ui
