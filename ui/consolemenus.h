#pragma once

#include <QList>
#include <QMap>
#include <QObject>
#include <QPair>

class QAction;
class QMainWindow;
class QMenu;
class QPoint;
class QTableView;

namespace bc::ui {

class BoxActions;
class BoxListModel;
class DetailController;

// The main window's menu bar, toolbar and the box list's context menus (rows and column
// header), laid out over the box actions, the detail pane's actions and the window's own
// commands. The window's commands are made here and run by whoever connects to them; Quit,
// the activity log, the shortcut list and About need nothing from the window and run here.
class ConsoleMenus final : public QObject
{
    Q_OBJECT
public:
    enum class Command { Deploy, Build, Settings, Refresh, Filter, AlertHistory, DataViews };

    ConsoleMenus(QMainWindow *window, BoxActions *boxActions, DetailController *details,
                 QTableView *table, const BoxListModel *model);

    QAction *action(Command command) const { return m_commands.value(command); }
    QMenu *helpMenu() const { return m_helpMenu; }
    // Every keyboard shortcut with what it does: the menus' and the list's own keys.
    QList<QPair<QString, QString>> shortcutList() const;
    void openShortcuts();

private:
    void createCommands();
    void buildMenus();
    void buildToolBar();
    // A checkable entry per column, the name column fixed.
    void addColumnToggles(QMenu *menu);
    void showHeaderMenu(const QPoint &pos);
    void showRowMenu(const QPoint &pos);

    QMainWindow *m_window;
    BoxActions *m_box;
    DetailController *m_details;
    QTableView *m_table;
    const BoxListModel *m_model;
    QMap<Command, QAction *> m_commands;
    QAction *m_quit = nullptr;
    QMenu *m_helpMenu = nullptr;
};

} // namespace bc::ui
