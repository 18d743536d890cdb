#include "ui/consolemenus.h"

#include "ui/activityview.h"
#include "ui/boxactions.h"
#include "ui/consoleicon.h"
#include "ui/detailcontroller.h"
#include "ui/models/boxlistmodel.h"
#include "ui/shortcutsdialog.h"

#include <QAction>
#include <QApplication>
#include <QHeaderView>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QTableView>
#include <QToolBar>

namespace bc::ui {

ConsoleMenus::ConsoleMenus(QMainWindow *window, BoxActions *boxActions, DetailController *details,
                           QTableView *table, const BoxListModel *model)
    : QObject(window)
    , m_window(window)
    , m_box(boxActions)
    , m_details(details)
    , m_table(table)
    , m_model(model)
{
    createCommands();
    buildMenus();
    buildToolBar();
    m_table->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table->horizontalHeader(), &QHeaderView::customContextMenuRequested, this,
            &ConsoleMenus::showHeaderMenu);
    connect(m_table, &QTableView::customContextMenuRequested, this, &ConsoleMenus::showRowMenu);
}

void ConsoleMenus::createCommands()
{
    auto *deploy = new QAction(consoleIcon("deploy"), tr("&Deploy…"), this);
    deploy->setShortcut(QKeySequence::New);
    deploy->setToolTip(tr("Deploy a new box (Ctrl+N)"));
    auto *build = new QAction(consoleIcon("build"), tr("&Build image…"), this);
    build->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    auto *refresh = new QAction(consoleIcon("refresh"), tr("Re&fresh"), this);
    refresh->setShortcut(QKeySequence(Qt::Key_F5));
    refresh->setToolTip(tr("Re-read every box and re-sort (F5)"));
    auto *settings = new QAction(consoleIcon("settings"), tr("Se&ttings…"), this);
    settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    auto *history = new QAction(tr("&Alert history…"), this);
    history->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
    auto *data = new QAction(tr("&Volumes, images, networks…"), this);
    data->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    auto *filter = new QAction(tr("&Filter boxes"), this);
    filter->setShortcuts({QKeySequence::Find});
    m_commands = {{Command::Deploy, deploy},     {Command::Build, build},
                  {Command::Settings, settings}, {Command::Refresh, refresh},
                  {Command::Filter, filter},     {Command::AlertHistory, history},
                  {Command::DataViews, data}};
    m_quit = new QAction(tr("&Quit"), this);
    m_quit->setShortcut(QKeySequence::Quit);
    connect(m_quit, &QAction::triggered, m_window, &QWidget::close);
}

void ConsoleMenus::buildMenus()
{
    QMenuBar *bar = m_window->menuBar();
    QMenu *file = bar->addMenu(tr("&File"));
    file->addAction(action(Command::Deploy));
    file->addAction(action(Command::Build));
    file->addSeparator();
    file->addAction(action(Command::Settings));
    file->addSeparator();
    file->addAction(m_quit);

    QMenu *box = bar->addMenu(tr("&Box"));
    box->addAction(m_details->overviewAction());
    box->addSeparator();
    for (QAction *a : {m_box->startAction(), m_box->stopAction(), m_box->restartAction(),
                       m_box->redeployAction(), m_box->deleteAction(), m_box->keepAliveAction()})
        box->addAction(a);
    box->addSeparator();
    box->addAction(m_box->openUrlAction());
    box->addAction(m_box->copyExecAction());
    box->addAction(m_box->terminalAction());

    QMenu *view = bar->addMenu(tr("&View"));
    view->addAction(action(Command::Refresh));
    view->addAction(action(Command::Filter));
    view->addSeparator();
    view->addAction(m_details->detailsAction());
    QMenu *tabs = view->addMenu(tr("Detail &tab"));
    tabs->addAction(m_details->nextTabAction());
    tabs->addAction(m_details->previousTabAction());
    tabs->addSeparator();
    tabs->addActions(m_details->tabActions());
    QMenu *columns = view->addMenu(tr("&Columns"));
    connect(columns, &QMenu::aboutToShow, this, [this, columns] {
        columns->clear();
        addColumnToggles(columns);
    });
    view->addSeparator();
    view->addAction(action(Command::AlertHistory));
    view->addAction(action(Command::DataViews));
    QAction *activityAction = view->addAction(tr("Activit&y log…"));
    activityAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    activityAction->setObjectName(QStringLiteral("activityAction"));
    connect(activityAction, &QAction::triggered, this,
            [this] { ActivityView::openDialog(m_window); });
    // Ctrl+Tab belongs to the window, not to the table's cell navigation.
    for (QAction *a : view->actions())
        a->setShortcutContext(Qt::WindowShortcut);

    m_helpMenu = bar->addMenu(tr("&Help"));
    auto *keys = m_helpMenu->addAction(tr("&Keyboard shortcuts"));
    keys->setShortcut(QKeySequence(Qt::Key_F1));
    connect(keys, &QAction::triggered, this, &ConsoleMenus::openShortcuts);
    auto *about = m_helpMenu->addAction(tr("&About Box Console"));
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(m_window, tr("About Box Console"),
                           tr("Box Console %1: hardened per-user containers on Docker "
                              "engines and Coolify.")
                               .arg(QApplication::applicationVersion()));
    });
}

void ConsoleMenus::buildToolBar()
{
    QToolBar *tb = m_window->addToolBar(tr("Main"));
    tb->setObjectName(QStringLiteral("mainToolBar"));
    tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tb->setIconSize(QSize(20, 20));
    tb->addAction(action(Command::Deploy));
    tb->addAction(action(Command::Build));
    tb->addSeparator();
    tb->addAction(m_box->startAction());
    tb->addAction(m_box->stopAction());
    tb->addAction(m_box->restartAction());
    tb->addAction(m_box->deleteAction());
    tb->addSeparator();
    tb->addAction(m_box->openUrlAction());
    tb->addAction(m_box->copyExecAction());
    tb->addAction(m_box->terminalAction());
    tb->addSeparator();
    tb->addAction(action(Command::Refresh));
    tb->addAction(action(Command::Settings));
    for (QAction *a : {action(Command::Deploy), action(Command::Build), m_box->startAction(),
                       m_box->stopAction(), m_box->restartAction(), m_box->deleteAction(),
                       m_box->openUrlAction(), m_box->copyExecAction(), action(Command::Refresh),
                       action(Command::Settings)}) {
        // Tooltips name the shortcut, so it is learnt by pointing.
        const QString shortcutText = a->shortcut().toString(QKeySequence::NativeText);
        QString tip = a->toolTip();
        if (!shortcutText.isEmpty() && !tip.contains(shortcutText))
            a->setToolTip(tip + QStringLiteral(" (") + shortcutText + QLatin1Char(')'));
    }
}

void ConsoleMenus::addColumnToggles(QMenu *menu)
{
    QHeaderView *header = m_table->horizontalHeader();
    for (int c = 0; c < BoxListModel::ColumnCount; ++c) {
        QAction *a = menu->addAction(m_model->headerData(c, Qt::Horizontal).toString());
        a->setCheckable(true);
        a->setChecked(!header->isSectionHidden(c));
        a->setEnabled(c != BoxListModel::Name); // a row needs a name
        connect(a, &QAction::toggled, this,
                [header, c](bool on) { header->setSectionHidden(c, !on); });
    }
}

void ConsoleMenus::showHeaderMenu(const QPoint &pos)
{
    QMenu menu(m_window);
    addColumnToggles(&menu);
    menu.exec(m_table->horizontalHeader()->mapToGlobal(pos));
}

void ConsoleMenus::showRowMenu(const QPoint &requested)
{
    QPoint pos = requested;
    if (!m_table->indexAt(pos).isValid()) {
        // From the keyboard (Menu key): the current row.
        const QModelIndex current = m_table->currentIndex();
        if (!current.isValid())
            return;
        pos = m_table->visualRect(current).center();
    }
    QMenu menu(m_window);
    menu.addAction(m_details->overviewAction());
    menu.addSeparator();
    for (QAction *a : {m_box->startAction(), m_box->stopAction(), m_box->restartAction(),
                       m_box->redeployAction()})
        menu.addAction(a);
    menu.addSeparator();
    menu.addAction(m_box->openUrlAction());
    menu.addAction(m_box->copyExecAction());
    menu.addSeparator();
    menu.addAction(m_box->deleteAction());
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

QList<QPair<QString, QString>> ConsoleMenus::shortcutList() const
{
    QList<QPair<QString, QString>> out;
    const auto walk = [&out](const QMenu *menu, const auto &self) -> void {
        for (QAction *a : menu->actions()) {
            if (a->menu()) {
                self(a->menu(), self);
                continue;
            }
            QStringList keys;
            for (const QKeySequence &k : a->shortcuts())
                keys << k.toString(QKeySequence::NativeText);
            if (!keys.isEmpty())
                out.append({QString(a->text()).remove(QLatin1Char('&')).remove(QStringLiteral("…")),
                            keys.join(QStringLiteral(", "))});
        }
    };
    for (QAction *a : m_window->menuBar()->actions())
        if (a->menu())
            walk(a->menu(), walk);
    out.append({tr("Filter boxes (from the list)"), QStringLiteral("/")});
    out.append({tr("Select the first match (in the filter)"), tr("Enter")});
    out.append({tr("Back to the list, filter kept (in the filter)"), tr("Esc")});
    out.append({tr("Show the row's overview (in the list)"), tr("Enter")});
    out.append({tr("Context menu of a row"), tr("Menu key, Shift+F10")});
    out.append({tr("Next / previous control"), tr("Tab, Shift+Tab")});
    out.append({tr("Menus"), tr("Alt + underlined letter, F10")});
    return out;
}

void ConsoleMenus::openShortcuts()
{
    auto *dialog = new ShortcutsDialog(shortcutList(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

} // namespace bc::ui
