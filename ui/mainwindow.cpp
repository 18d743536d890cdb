#include "ui/mainwindow.h"
#include "core/util/futureutil.h"

#include "core/activity/activitylog.h"

#include "core/boxes/boxlabels.h"
#include "core/boxes/boxmonitor.h"
#include "core/boxes/coolifybackend.h"
#include "core/boxes/dockerbackend.h"
#include "core/docker/dockerclient.h"
#include "core/policy/keepalive.h"
#include "ui/activityview.h"
#include "ui/alertbanner.h"
#include "ui/alertcenter.h"
#include "ui/alerthistorydialog.h"
#include "ui/backendstatus.h"
#include "ui/boxdetailpane.h"
#include "ui/boxtableview.h"
#include "ui/builddialog.h"
#include "ui/dataviewsdialog.h"
#include "ui/deletedialog.h"
#include "ui/deploydialog.h"
#include "ui/fleetpolicyeditor.h"
#include "ui/models/boxfilterproxymodel.h"
#include "ui/models/boxlistmodel.h"
#include "ui/notifier.h"
#include "ui/settingsdialog.h"
#include "ui/shortcutsdialog.h"
#include "ui/statshistory.h"
#include "ui/statusicons.h"
#include "ui/terminal/terminaldock.h"
#include "ui/terminal/terminaltabs.h"
#include "ui/terminal/terminalwidget.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

// The icons live in the static ui library: registered explicitly, or a static link drops them.
static void initResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace bc::ui {

// The console's own box actions in the activity log (written on the log's thread).
static void recordActivity(const QString &action, const QString &backend, const QString &box,
                           const util::json::Json &params, const Error *error)
{
    auto record = activity::ActivityRecord::make(action, backend, box, params);
    record.withOutcome(error);
    (void)activity::ActivityLog::instance().record(record);
}

using boxes::BoxInfo;

namespace {

QIcon icon(const char *name)
{
    const QString n = QString::fromLatin1(name);
    return QIcon(QStringLiteral(":/icons/") + n + QStringLiteral(".png"));
}

} // namespace

MainWindow::MainWindow(boxes::BoxMonitor *monitor, QWidget *parent)
    : QMainWindow(parent)
    , m_monitor(monitor)
    , m_model(new BoxListModel(this))
    , m_proxy(new BoxFilterProxyModel(this))
    , m_history(std::make_unique<StatsHistory>())
    , m_fitTimer(new QTimer(this))
{
    initResources();
    setWindowTitle(tr("Box Console"));
    setWindowIcon(icon("box-console"));
    m_proxy->setSourceModel(m_model);
    m_fitTimer->setSingleShot(true);
    m_fitTimer->setInterval(150);
    buildCentral();
    m_backendStatus = new BackendStatus(statusBar());
    buildActions();
    connectMonitor();
    restoreLayout();
    updateActions();
    updateCounts();
    updateEmptyState();
    nameUnnamedControls();
}

MainWindow::~MainWindow() = default;

QTableView *MainWindow::table() const
{
    return m_table;
}

void MainWindow::buildActions()
{
    m_deployAction = new QAction(icon("deploy"), tr("&Deploy…"), this);
    m_deployAction->setShortcut(QKeySequence::New);
    m_deployAction->setToolTip(tr("Deploy a new box (Ctrl+N)"));
    m_buildAction = new QAction(icon("build"), tr("&Build image…"), this);
    m_buildAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    // Start, Stop and Restart on function keys: Ctrl+S, Ctrl+T and Ctrl+R mean Save, new
    // tab and reload everywhere else, and a box stopped by habit is an outage.
    m_startAction = new QAction(icon("start"), tr("&Start"), this);
    m_startAction->setShortcut(QKeySequence(Qt::Key_F7));
    m_stopAction = new QAction(icon("stop"), tr("S&top"), this);
    m_stopAction->setShortcut(QKeySequence(Qt::Key_F8));
    m_restartAction = new QAction(icon("restart"), tr("&Restart"), this);
    m_restartAction->setShortcut(QKeySequence(Qt::Key_F9));
    m_redeployAction = new QAction(tr("Re&deploy…"), this);
    m_redeployAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_redeployAction->setToolTip(
        tr("Replace the selected box with a new one from the spec it runs with, changed as "
           "you like; the running box is kept until the new one is healthy"));
    connect(m_redeployAction, &QAction::triggered, this, [this] { redeploySelected(); });
    m_deleteAction = new QAction(icon("delete"), tr("De&lete…"), this);
    m_deleteAction->setShortcut(QKeySequence(Qt::Key_Delete));
    m_openAction = new QAction(tr("Show &overview"), this);
    m_openAction->setToolTip(tr("Show the selected box's overview (Enter)"));
    connect(m_openAction, &QAction::triggered, this, [this] { openRow(m_table->currentIndex()); });
    m_openUrlAction = new QAction(icon("open-url"), tr("&Open URL"), this);
    m_openUrlAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    m_copyExecAction = new QAction(icon("terminal"), tr("Copy &exec command"), this);
    m_copyExecAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_copyExecAction->setToolTip(tr("Copy a docker exec command that opens a shell in the box"));
    m_refreshAction = new QAction(icon("refresh"), tr("Re&fresh"), this);
    m_refreshAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_refreshAction->setToolTip(tr("Re-read every box and re-sort (F5)"));
    m_settingsAction = new QAction(icon("settings"), tr("Se&ttings…"), this);
    m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_detailsAction = new QAction(tr("&Details pane"), this);
    m_detailsAction->setCheckable(true);
    m_detailsAction->setChecked(true);
    m_detailsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    connect(m_detailsAction, &QAction::toggled, this,
            [this](bool on) { setDetailsCollapsed(!on); });
    m_historyAction = new QAction(tr("&Alert history…"), this);
    m_historyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
    connect(m_historyAction, &QAction::triggered, this, [this] { openAlertHistory(); });
    m_dataAction = new QAction(tr("&Volumes, images, networks…"), this);
    m_dataAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    connect(m_dataAction, &QAction::triggered, this, [this] { openDataViews(); });
    m_filterAction = new QAction(tr("&Filter boxes"), this);
    m_filterAction->setShortcuts({QKeySequence::Find});
    connect(m_filterAction, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    connect(m_deployAction, &QAction::triggered, this, [this] { openDeployDialog(); });
    connect(m_buildAction, &QAction::triggered, this, &MainWindow::openBuildDialog);
    connect(m_startAction, &QAction::triggered, this, [this] { runAction(Action::Start); });
    connect(m_stopAction, &QAction::triggered, this, [this] { runAction(Action::Stop); });
    connect(m_restartAction, &QAction::triggered, this, [this] { runAction(Action::Restart); });
    connect(m_deleteAction, &QAction::triggered, this, &MainWindow::deleteSelected);
    connect(m_openUrlAction, &QAction::triggered, this, [this] {
        for (const BoxInfo &b : selectedBoxes()) {
            if (!b.url.isEmpty())
                QDesktopServices::openUrl(QUrl(b.url));
        }
    });
    connect(m_copyExecAction, &QAction::triggered, this, [this] {
        const auto boxes = selectedBoxes();
        if (boxes.isEmpty())
            return;
        const QString cmd = execCommand(boxes.first());
        QApplication::clipboard()->setText(cmd);
        statusBar()->showMessage(tr("Copied: %1").arg(cmd), 5000);
    });
    // The in-app terminal: a tab in the Terminals dock (ui/terminal) for the selected box.
    // The terminal's exec is recorded when its session starts or fails, not when the
    // user-and-shell question may still be cancelled.
    auto pendingExec = std::make_shared<QList<QMetaObject::Connection>>();
    QAction *openTerminal = TerminalDock::createOpenAction(
        this, [this, pendingExec]() -> std::pair<docker::DockerClient *, QString> {
            const auto boxes = selectedBoxes();
            boxes::BoxBackend *owner =
                boxes.size() == 1 ? backend(boxes.first().backendId) : nullptr;
            auto *engine = qobject_cast<boxes::DockerBackend *>(owner);
            for (const auto &c : std::as_const(*pendingExec))
                disconnect(c);
            pendingExec->clear();
            if (engine && engine->client()) {
                TerminalTabs *tabs = TerminalDock::of(this)->tabs();
                const auto record = [pendingExec, backendId = engine->id(),
                                     box = boxes.first().name](const Error *error) {
                    for (const auto &c : std::as_const(*pendingExec))
                        disconnect(c);
                    pendingExec->clear();
                    recordActivity(activity::actions::exec(), backendId, box,
                                   {{"command", "terminal"}, {"tty", true}, {"interactive", true}},
                                   error);
                };
                *pendingExec << connect(tabs, &TerminalTabs::opened, this,
                                        [record] { record(nullptr); });
                *pendingExec << connect(tabs, &TerminalTabs::failed, this,
                                        [record](const QString &message) {
                                            const Error e(Error::Kind::Server, message);
                                            record(&e);
                                        });
            }
            // A Coolify box: its container on the server's engine, when the admin allows it.
            if (auto *coolify = qobject_cast<boxes::CoolifyBackend *>(owner))
                if (const auto target = coolify->engineTarget(boxes.first().id))
                    return {target->engine->client(), target->containerId};
            return {engine ? engine->client() : nullptr, engine ? boxes.first().id : QString()};
        });
    connect(m_refreshAction, &QAction::triggered, this, [this] {
        if (m_monitor)
            m_monitor->resyncNow();
        m_proxy->resortStats();
        m_detail->refreshDetails();
    });
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::openSettings);

    // Keep-alive: defers the selected boxes' idle stop and automatic delete by an hour,
    // stored on the engine so that a policy service elsewhere sees it too.
    auto *keepAlive = new QAction(tr("&Keep alive for 1 hour"), this);
    keepAlive->setObjectName(QStringLiteral("keepAliveAction"));
    keepAlive->setToolTip(
        tr("Defer the idle stop and the automatic delete of the selected boxes by an hour"));
    connect(keepAlive, &QAction::triggered, this, [this] {
        const QDateTime until = QDateTime::currentDateTimeUtc().addSecs(3600);
        for (const BoxInfo &box : selectedBoxes()) {
            auto *docker = qobject_cast<boxes::DockerBackend *>(backend(box.backendId));
            if (!docker || !docker->client()) {
                m_notifier->notify(tr("Box %1").arg(box.name),
                                   tr("A keep-alive is stored on a Docker engine; this box's "
                                      "backend has none."),
                                   false);
                continue;
            }
            const QString key = box.key();
            const QString name = box.name;
            const QString backendId = docker->id();
            // Labelled like everything the backend creates (tests clean up by it).
            onFinished(
                policy::KeepAlive::set(docker->client(), this, name, until,
                                       docker->deployOptions().extraLabels),
                this, [this, key, name, backendId, until](const VoidResult &r) {
                    recordActivity(
                        activity::actions::keepalive(), backendId, name,
                        {{"for", "1h"}, {"until", util::json::utf8(until.toString(Qt::ISODate))}},
                        r ? nullptr : &r.error());
                    if (!r) {
                        m_notifier->notify(tr("Could not keep %1 alive").arg(name),
                                           r.error().toString(), false);
                        return;
                    }
                    m_model->setKeepAliveUntil(key, until);
                    statusBar()->showMessage(
                        tr("%1: kept alive until %2")
                            .arg(name,
                                 QLocale().toString(until.toLocalTime(), QLocale::ShortFormat)),
                        5000);
                });
        }
    });

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_deployAction);
    file->addAction(m_buildAction);
    file->addSeparator();
    file->addAction(m_settingsAction);
    file->addSeparator();
    file->addAction(quit);
    QMenu *box = menuBar()->addMenu(tr("&Box"));
    box->addAction(m_openAction);
    box->addSeparator();
    for (QAction *a :
         {m_startAction, m_stopAction, m_restartAction, m_redeployAction, m_deleteAction})
        box->addAction(a);
    box->addAction(keepAlive);
    box->addSeparator();
    box->addAction(m_openUrlAction);
    box->addAction(m_copyExecAction);
    box->addAction(openTerminal);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_refreshAction);
    view->addAction(m_filterAction);
    view->addSeparator();
    view->addAction(m_detailsAction);
    QMenu *tabs = view->addMenu(tr("Detail &tab"));
    auto *nextTab = new QAction(tr("&Next tab"), this);
    nextTab->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Tab));
    connect(nextTab, &QAction::triggered, this, [this] {
        QTabWidget *t = m_detail->tabs();
        setDetailsCollapsed(false);
        t->setCurrentIndex((t->currentIndex() + 1) % t->count());
    });
    auto *prevTab = new QAction(tr("&Previous tab"), this);
    prevTab->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backtab));
    connect(prevTab, &QAction::triggered, this, [this] {
        QTabWidget *t = m_detail->tabs();
        setDetailsCollapsed(false);
        t->setCurrentIndex((t->currentIndex() + t->count() - 1) % t->count());
    });
    tabs->addAction(nextTab);
    tabs->addAction(prevTab);
    tabs->addSeparator();
    for (int i = 0; i < m_detail->tabs()->count() && i < 9; ++i) {
        auto *a = new QAction(m_detail->tabs()->tabText(i), this);
        a->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        connect(a, &QAction::triggered, this, [this, i] {
            setDetailsCollapsed(false);
            m_detail->tabs()->setCurrentIndex(i);
        });
        tabs->addAction(a);
        m_tabActions << a;
    }
    QMenu *columns = view->addMenu(tr("&Columns"));
    connect(columns, &QMenu::aboutToShow, this, [this, columns] {
        columns->clear();
        QHeaderView *header = m_table->horizontalHeader();
        for (int c = 0; c < BoxListModel::ColumnCount; ++c) {
            QAction *a = columns->addAction(m_model->headerData(c, Qt::Horizontal).toString());
            a->setCheckable(true);
            a->setChecked(!header->isSectionHidden(c));
            a->setEnabled(c != BoxListModel::Name);
            connect(a, &QAction::toggled, this,
                    [header, c](bool on) { header->setSectionHidden(c, !on); });
        }
    });
    view->addSeparator();
    view->addAction(m_historyAction);
    view->addAction(m_dataAction);
    QAction *activityAction = view->addAction(tr("Activit&y log…"));
    activityAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    activityAction->setObjectName(QStringLiteral("activityAction"));
    connect(activityAction, &QAction::triggered, this, [this] { ActivityView::openDialog(this); });
    // Ctrl+Tab belongs to the window, not to the table's cell navigation.
    for (QAction *a : view->actions())
        a->setShortcutContext(Qt::WindowShortcut);
    m_helpMenu = menuBar()->addMenu(tr("&Help"));
    auto *keys = m_helpMenu->addAction(tr("&Keyboard shortcuts"));
    keys->setShortcut(QKeySequence(Qt::Key_F1));
    connect(keys, &QAction::triggered, this, &MainWindow::openShortcuts);
    auto *about = m_helpMenu->addAction(tr("&About Box Console"));
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Box Console"),
                           tr("Box Console %1: hardened per-user containers on Docker "
                              "engines and Coolify.")
                               .arg(QApplication::applicationVersion()));
    });

    QToolBar *tb = addToolBar(tr("Main"));
    tb->setObjectName(QStringLiteral("mainToolBar"));
    tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tb->setIconSize(QSize(20, 20));
    tb->addAction(m_deployAction);
    tb->addAction(m_buildAction);
    tb->addSeparator();
    tb->addAction(m_startAction);
    tb->addAction(m_stopAction);
    tb->addAction(m_restartAction);
    tb->addAction(m_deleteAction);
    tb->addSeparator();
    tb->addAction(m_openUrlAction);
    tb->addAction(m_copyExecAction);
    tb->addAction(openTerminal);
    tb->addSeparator();
    tb->addAction(m_refreshAction);
    tb->addAction(m_settingsAction);
    for (QAction *a :
         {m_deployAction, m_buildAction, m_startAction, m_stopAction, m_restartAction,
          m_deleteAction, m_openUrlAction, m_copyExecAction, m_refreshAction, m_settingsAction}) {
        // Tooltips name the shortcut, so it is learnt by pointing.
        const QString shortcutText = a->shortcut().toString(QKeySequence::NativeText);
        QString tip = a->toolTip();
        if (!shortcutText.isEmpty() && !tip.contains(shortcutText))
            a->setToolTip(tip + QStringLiteral(" (") + shortcutText + QLatin1Char(')'));
    }
}

void MainWindow::buildCentral()
{
    auto *central = new QWidget(this);
    m_banner = new AlertBanner(central);
    m_notifier = new Notifier(m_banner, this);
    m_alerts = new AlertCenter(m_notifier, this);
    connect(m_banner, &AlertBanner::historyRequested, this, [this] { openAlertHistory(); });
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        m_tray->setToolTip(tr("Box Console"));
        m_tray->show();
        m_notifier->setTrayIcon(m_tray);
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            showNormal();
            raise();
            activateWindow();
        });
    }

    m_filter = new QLineEdit(central);
    m_filter->setPlaceholderText(
        tr("Filter boxes: name, subdomain, owner, image, host… (Ctrl+F or /)"));
    m_filter->setClearButtonEnabled(true);
    m_stateFilter = new QComboBox(central);
    m_stateFilter->addItem(tr("All states"), int(BoxFilterProxyModel::StateFilter::All));
    m_stateFilter->addItem(tr("Running"), int(BoxFilterProxyModel::StateFilter::Running));
    m_stateFilter->addItem(tr("Stopped"), int(BoxFilterProxyModel::StateFilter::Stopped));
    m_stateFilter->addItem(tr("Needs attention"), int(BoxFilterProxyModel::StateFilter::Problem));
    m_healthFilter = new QComboBox(central);
    m_healthFilter->addItem(tr("Any health"), int(BoxFilterProxyModel::HealthFilter::All));
    m_healthFilter->addItem(tr("Healthy"), int(BoxFilterProxyModel::HealthFilter::Healthy));
    m_healthFilter->addItem(tr("Unhealthy"), int(BoxFilterProxyModel::HealthFilter::Unhealthy));
    m_healthFilter->addItem(tr("Starting"), int(BoxFilterProxyModel::HealthFilter::Starting));
    m_healthFilter->addItem(tr("No check"), int(BoxFilterProxyModel::HealthFilter::NoCheck));
    m_backendFilter = new QComboBox(central);
    m_backendFilter->addItem(tr("All backends"), QString());
    m_backendFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_filter->setAccessibleName(tr("Filter boxes"));
    m_stateFilter->setAccessibleName(tr("Filter by state"));
    m_healthFilter->setAccessibleName(tr("Filter by health"));
    m_backendFilter->setAccessibleName(tr("Filter by backend"));
    m_stateFilter->setToolTip(tr("\"Needs attention\": unhealthy, exited with an error, "
                                 "OOM-killed, restarting or dead"));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &BoxFilterProxyModel::setText);
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setStateFilter(
            BoxFilterProxyModel::StateFilter(m_stateFilter->currentData().toInt()));
    });
    connect(m_healthFilter, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setHealthFilter(
            BoxFilterProxyModel::HealthFilter(m_healthFilter->currentData().toInt()));
    });
    connect(m_backendFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setBackendFilter(m_backendFilter->currentData().toString()); });

    m_table = new BoxTableView(central);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(BoxListModel::Name, Qt::AscendingOrder);
    m_table->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->sizeColumns();
    connect(m_table->horizontalHeader(), &QHeaderView::customContextMenuRequested, this,
            &MainWindow::showHeaderMenu);
    connect(m_table, &QTableView::customContextMenuRequested, this, &MainWindow::showContextMenu);
    connect(m_table, &QTableView::doubleClicked, this, &MainWindow::openRow);
    connect(m_table, &BoxTableView::rowActivated, this, &MainWindow::openRow);
    connect(m_fitTimer, &QTimer::timeout, m_table, &BoxTableView::sizeColumns);
    connect(m_model, &QAbstractItemModel::rowsInserted, m_fitTimer, qOverload<>(&QTimer::start));

    m_detail = new BoxDetailPane(
        m_history.get(), [this](const QString &id) { return backend(id); }, central);
    m_detail->tabs()->setAccessibleName(tr("Box details"));
    connect(m_detail->tabs(), &QTabWidget::currentChanged, this, &MainWindow::nameUnnamedControls);
    // The pane follows the selection, not the cursor alone: what it shows is what Stop and
    // Delete act on.
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::syncDetail);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        syncDetail();
        updateActions();
    });
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_proxy, signal, this, [this] {
            updateCounts();
            updateEmptyState();
        });
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &MainWindow::updateCounts);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &MainWindow::updateCounts);

    m_empty = new QWidget(central);
    m_empty->setObjectName(QStringLiteral("emptyState"));
    auto *emptyText = new QLabel(tr("<h3>No boxes yet</h3><p>A box is a hardened container "
                                    "for one user. Deploy the first one, or add an engine in "
                                    "Settings.</p>"),
                                 m_empty);
    emptyText->setAlignment(Qt::AlignCenter);
    emptyText->setWordWrap(true);
    m_emptyDeploy = new QPushButton(icon("deploy"), tr("&Deploy a box…"), m_empty);
    connect(m_emptyDeploy, &QPushButton::clicked, this, [this] { openDeployDialog(); });
    auto *emptySettings = new QPushButton(icon("settings"), tr("Engines and settings…"), m_empty);
    connect(emptySettings, &QPushButton::clicked, this, &MainWindow::openSettings);
    auto *emptyButtons = new QHBoxLayout;
    emptyButtons->addStretch();
    emptyButtons->addWidget(m_emptyDeploy);
    emptyButtons->addWidget(emptySettings);
    emptyButtons->addStretch();
    auto *emptyLayout = new QVBoxLayout(m_empty);
    emptyLayout->addStretch();
    emptyLayout->addWidget(emptyText);
    emptyLayout->addLayout(emptyButtons);
    emptyLayout->addStretch(2);
    m_stack = new QStackedWidget(central);
    m_stack->addWidget(m_table);
    m_stack->addWidget(m_empty);

    m_splitter = new QSplitter(Qt::Vertical, central);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_stack);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    // The list never collapses; the details may (list-first), and their size is the user's.
    m_splitter->setCollapsible(0, false);
    m_splitter->setCollapsible(1, true);
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] {
        const QList<int> sizes = m_splitter->sizes();
        if (sizes.value(1) > 0)
            m_detailSizes = sizes;
        QSignalBlocker block(m_detailsAction);
        m_detailsAction->setChecked(sizes.value(1) > 0);
        QSettings s;
        s.setValue(QStringLiteral("mainwindow/splitter"), m_splitter->saveState());
    });

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_filter, 1);
    filters->addWidget(m_stateFilter);
    filters->addWidget(m_healthFilter);
    filters->addWidget(m_backendFilter);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(m_banner);
    layout->addLayout(filters);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    // "/" filters as in lazydocker and ctop, but only from the table (not while typing).
    auto *slash = new QShortcut(QKeySequence(Qt::Key_Slash), m_table);
    slash->setContext(Qt::WidgetShortcut);
    connect(slash, &QShortcut::activated, this, [this] { m_filter->setFocus(); });
    // Escape in the filter goes back to the list with the filter kept.
    auto *back = new QShortcut(QKeySequence(Qt::Key_Escape), m_filter);
    back->setContext(Qt::WidgetShortcut);
    connect(back, &QShortcut::activated, this, [this] {
        if (m_filter->text().isEmpty())
            m_table->setFocus();
        else
            m_filter->clear();
    });
    // Enter selects the first match, so the pane and the actions follow what is shown.
    connect(m_filter, &QLineEdit::returnPressed, this, [this] {
        m_table->setFocus(Qt::ShortcutFocusReason);
        if (m_proxy->rowCount() > 0)
            m_table->selectionModel()->setCurrentIndex(m_proxy->index(0, BoxListModel::Name),
                                                       QItemSelectionModel::ClearAndSelect |
                                                           QItemSelectionModel::Rows);
    });

    m_counts = new QLabel(this);
    statusBar()->addPermanentWidget(m_counts);
}

void MainWindow::connectMonitor()
{
    if (!m_monitor)
        return;
    connect(m_monitor, &boxes::BoxMonitor::boxAdded, this, &MainWindow::onBoxAdded);
    connect(m_monitor, &boxes::BoxMonitor::boxUpdated, this,
            [this](const BoxInfo &previous, const BoxInfo &box) {
                m_model->upsertBox(box);
                m_history->record(box);
                m_alerts->boxChanged(box);
                if (m_detail->currentKey() == box.key())
                    m_detail->updateBox(box);
                if (previous.state != box.state || previous.health != box.health) {
                    updateCounts();
                    updateActions();
                }
            });
    connect(m_monitor, &boxes::BoxMonitor::boxRemoved, this, &MainWindow::onBoxRemoved);
    connect(m_monitor, &boxes::BoxMonitor::backendConnectionChanged, this,
            &MainWindow::onConnectionChanged);
    connect(m_monitor, &boxes::BoxMonitor::boxAlert, m_alerts, &AlertCenter::boxAlert);

    const QList<BoxInfo> current = m_monitor->boxes();
    m_model->setBoxes(current);
    for (const BoxInfo &b : current)
        m_history->record(b);
    for (boxes::BoxBackend *b : m_monitor->backends())
        onConnectionChanged(b->id(), m_monitor->isConnected(b->id()),
                            m_monitor->disconnectReason(b->id()));
    refreshBackendFilter();
}

boxes::BoxBackend *MainWindow::backend(const QString &backendId) const
{
    if (!m_monitor)
        return nullptr;
    for (boxes::BoxBackend *b : m_monitor->backends()) {
        if (b->id() == backendId)
            return b;
    }
    return nullptr;
}

void MainWindow::onConnectionChanged(const QString &backendId, bool connected,
                                     const QString &reason)
{
    if (m_backendStatus->update(backendId, backend(backendId), connected, reason))
        refreshBackendFilter();
}

void MainWindow::backendsChanged()
{
    QSet<QString> ids;
    if (m_monitor) {
        for (boxes::BoxBackend *b : m_monitor->backends()) {
            m_backendStatus->recover(b);
            ids.insert(b->id());
            onConnectionChanged(b->id(), m_monitor->isConnected(b->id()),
                                m_monitor->disconnectReason(b->id()));
        }
    }
    m_backendStatus->retain(ids);
    refreshBackendFilter();
    updateActions();
}

QString MainWindow::connectionText(const QString &backendId) const
{
    return m_backendStatus->text(backendId);
}

QString MainWindow::connectionToolTip(const QString &backendId) const
{
    return m_backendStatus->toolTip(backendId);
}

void MainWindow::refreshBackendFilter()
{
    if (!m_monitor)
        return;
    const QString current = m_backendFilter->currentData().toString();
    QSignalBlocker block(m_backendFilter);
    while (m_backendFilter->count() > 1)
        m_backendFilter->removeItem(1);
    for (boxes::BoxBackend *b : m_monitor->backends()) {
        BoxInfo probe;
        probe.backendKind = b->kind();
        probe.host = b->displayHost();
        m_backendFilter->addItem(BoxListModel::shortBackend(probe), b->id());
        m_backendFilter->setItemData(m_backendFilter->count() - 1,
                                     QStringLiteral("%1 @ %2").arg(b->kind(), b->displayHost()),
                                     Qt::ToolTipRole);
    }
    const int i = m_backendFilter->findData(current);
    m_backendFilter->setCurrentIndex(i < 0 ? 0 : i);
}

QList<BoxInfo> MainWindow::selectedBoxes() const
{
    QList<BoxInfo> out;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows(BoxListModel::Name);
    for (const QModelIndex &idx : rows)
        out.append(idx.data(BoxListModel::BoxRole).value<BoxInfo>());
    return out;
}

bool MainWindow::selectBox(const QString &key)
{
    const int row = m_model->rowOf(key);
    if (row < 0)
        return false;
    const QModelIndex idx = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!idx.isValid())
        return false;
    m_table->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect |
                                                        QItemSelectionModel::Rows);
    m_table->scrollTo(idx);
    return true;
}

void MainWindow::updateActions()
{
    const QList<BoxInfo> boxes = selectedBoxes();
    bool anyRunning = false;
    bool anyStopped = false;
    bool anyUrl = false;
    for (const BoxInfo &b : boxes) {
        anyRunning = anyRunning || b.state == BoxInfo::State::Running ||
                     b.state == BoxInfo::State::Restarting || b.state == BoxInfo::State::Paused;
        anyStopped = anyStopped || b.state == BoxInfo::State::Exited ||
                     b.state == BoxInfo::State::Created || b.state == BoxInfo::State::Dead ||
                     b.state == BoxInfo::State::Failed;
        anyUrl = anyUrl || !b.url.isEmpty();
    }
    m_startAction->setEnabled(anyStopped);
    m_stopAction->setEnabled(anyRunning);
    m_restartAction->setEnabled(anyRunning);
    m_deleteAction->setEnabled(!boxes.isEmpty());
    // Boxes deployed before the spec was recorded on them: `boxctl deploy --spec FILE
    // --redeploy` from their spec file instead.
    m_redeployAction->setEnabled(boxes.size() == 1 &&
                                 boxes.first().labels.contains(boxes::labels::spec()));
    m_openUrlAction->setEnabled(anyUrl);
    m_copyExecAction->setEnabled(boxes.size() == 1 &&
                                 boxes.first().backendKind.startsWith(QLatin1String("docker")));
    bool anyDocker = false;
    if (m_monitor) {
        for (boxes::BoxBackend *b : m_monitor->backends())
            anyDocker = anyDocker || qobject_cast<boxes::DockerBackend *>(b);
    }
    m_buildAction->setEnabled(anyDocker);
}

void MainWindow::updateCounts()
{
    int running = 0;
    int attention = 0;
    const int total = m_model->rowCount();
    for (int r = 0; r < total; ++r) {
        const BoxInfo &b = m_model->boxAt(r);
        running += b.state == BoxInfo::State::Running;
        attention += BoxListModel::needsAttention(b);
    }
    const int shown = m_proxy->rowCount();
    QString text = shown == total ? (total == 1 ? tr("1 box") : tr("%1 boxes").arg(total))
                                  : tr("%1 of %2 shown").arg(shown).arg(total);
    text += tr(" · %1 running").arg(running);
    if (attention > 0)
        text +=
            attention == 1 ? tr(" · 1 needs attention") : tr(" · %1 need attention").arg(attention);
    m_counts->setText(text);
}

static int graceSeconds(const QList<BoxInfo> &boxes,
                        const std::function<boxes::BoxBackend *(const QString &)> &lookup)
{
    for (const BoxInfo &b : boxes)
        if (auto *d = qobject_cast<boxes::DockerBackend *>(lookup(b.backendId)))
            return d->deployOptions().stopTimeoutSec;
    return 10;
}

void MainWindow::runAction(Action action)
{
    const QList<BoxInfo> selected = selectedBoxes();
    // More than one box: say what happens to which, first.
    if (selected.size() > 1 && action != Action::Start) {
        DeleteDialog confirm(
            selected, this,
            action == Action::Stop ? DeleteDialog::Mode::Stop : DeleteDialog::Mode::Restart,
            graceSeconds(selected, [this](const QString &id) { return backend(id); }));
        if (confirm.exec() != QDialog::Accepted)
            return;
    }
    for (const BoxInfo &box : selected) {
        boxes::BoxBackend *b = backend(box.backendId);
        if (!b) {
            m_notifier->notify(tr("Box %1").arg(box.name), tr("Its backend is not configured."),
                               false);
            continue;
        }
        QFuture<VoidResult> f;
        QString verb;
        switch (action) {
        case Action::Start:
            f = b->start(box.id);
            verb = tr("start");
            break;
        case Action::Stop:
            f = b->stop(box.id);
            verb = tr("stop");
            break;
        case Action::Restart:
            f = b->restart(box.id);
            verb = tr("restart");
            break;
        }
        if (action != Action::Start)
            m_alerts->expect(box.key());
        statusBar()->showMessage(tr("%1: %2…").arg(box.name, verb), 3000);
        const QString name = box.name;
        const QString actionName = action == Action::Start  ? activity::actions::start()
                                   : action == Action::Stop ? activity::actions::stop()
                                                            : activity::actions::restart();
        const QString backendId = b->id();
        onFinished(f, this, [this, name, verb, actionName, backendId](const VoidResult &result) {
            recordActivity(actionName, backendId, name, {}, result ? nullptr : &result.error());
            if (result) {
                statusBar()->showMessage(tr("%1: %2 done").arg(name, verb), 4000);
                return;
            }
            m_notifier->notify(tr("Could not %1 %2").arg(verb, name), result.error().toString(),
                               false);
        });
    }
}

DeployDialog *MainWindow::openDeployDialog()
{
    QList<boxes::BoxBackend *> backends =
        m_monitor ? m_monitor->backends() : QList<boxes::BoxBackend *>();
    QSet<QString> taken;
    QHash<QString, QString> existing;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        if (!m_model->boxAt(r).subdomain.isEmpty())
            taken.insert(m_model->boxAt(r).subdomain);
        existing.insert(m_model->boxAt(r).name, m_model->boxAt(r).subdomain);
    }
    const QString preferred = QSettings().value(QStringLiteral("ui/lastDeployBackend")).toString();
    auto *dialog = new DeployDialog(backends, preferred, taken, this);
    dialog->setExistingBoxes(existing);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &DeployDialog::settingsRequested, this, [this] { openSettings(); });
    connect(dialog, &DeployDialog::deployed, this, [this](const BoxInfo &box) {
        QSettings().setValue(QStringLiteral("ui/lastDeployBackend"), box.backendId);
        // The monitor will report it too; showing it now makes the result visible at once.
        m_model->upsertBox(box);
        selectBox(box.key());
        statusBar()->showMessage(tr("Deployed %1").arg(box.name), 5000);
    });
    dialog->show();
    return dialog;
}

DeployDialog *MainWindow::redeploySelected()
{
    const QList<BoxInfo> boxes = selectedBoxes();
    if (boxes.size() != 1)
        return nullptr;
    const BoxInfo box = boxes.first();
    const Result<security::BoxSpec> spec =
        security::BoxSpec::fromJsonText(box.labels.value(boxes::labels::spec()).toUtf8());
    if (!spec) {
        QMessageBox::warning(this, tr("Redeploy %1").arg(box.name),
                             tr("The spec recorded on %1 cannot be read (%2). Redeploy it from "
                                "its spec file: boxctl deploy --spec FILE --redeploy")
                                 .arg(box.name, spec.error().message()));
        return nullptr;
    }
    DeployDialog *dialog = openDeployDialog();
    dialog->startRedeploy(spec.value(), box.backendId);
    return dialog;
}

void MainWindow::deleteSelected()
{
    const QList<BoxInfo> boxes = selectedBoxes();
    if (boxes.isEmpty())
        return;
    DeleteDialog dialog(boxes, this, DeleteDialog::Mode::Delete,
                        graceSeconds(boxes, [this](const QString &id) { return backend(id); }));
    if (dialog.exec() != QDialog::Accepted)
        return;
    deleteBoxes(boxes, dialog.keepData());
}

void MainWindow::deleteBoxes(const QList<BoxInfo> &boxes, bool keepData)
{
    for (const BoxInfo &box : boxes) {
        boxes::BoxBackend *b = backend(box.backendId);
        if (!b)
            continue;
        m_alerts->expect(box.key());
        m_deleting.insert(box.key());
        boxes::BoxJob *job = b->remove(box.id, keepData);
        statusBar()->showMessage(tr("Deleting %1…").arg(box.name));
        BoxInfo removing = box;
        removing.state = BoxInfo::State::Removing;
        m_model->upsertBox(removing);
        const QString name = box.name;
        const QString key = box.key();
        const QString backendId = b->id();
        const auto done = [this, name, key, backendId, keepData](const Result<BoxInfo> &result) {
            recordActivity(activity::actions::remove(), backendId, name, {{"keepData", keepData}},
                           result ? nullptr : &result.error());
            m_deleting.remove(key);
            if (result) {
                statusBar()->showMessage(tr("Deleted %1").arg(name), 5000);
                m_model->removeBox(key);
                if (m_detail->currentKey() == key)
                    m_detail->setBox(std::nullopt);
                updateCounts();
            } else {
                m_notifier->notify(tr("Could not delete %1").arg(name), result.error().toString(),
                                   false);
                if (m_monitor)
                    m_monitor->resyncNow();
            }
        };
        if (job->isFinished())
            done(job->result());
        else
            connect(job, &boxes::BoxJob::finished, this, done);
    }
}

void MainWindow::openBuildDialog()
{
    QList<boxes::DockerBackend *> dockers;
    if (m_monitor) {
        for (boxes::BoxBackend *b : m_monitor->backends()) {
            if (auto *d = qobject_cast<boxes::DockerBackend *>(b))
                dockers << d;
        }
    }
    auto *dialog = new BuildDialog(dockers, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::openSettings()
{
    SettingsDialog dialog(this);
    // Default policies are per backend id: offer the ids of the backends shown.
    if (m_monitor) {
        QStringList ids;
        for (boxes::BoxBackend *b : m_monitor->backends())
            ids << b->id();
        dialog.fleetEditor()->setKnownBackends(ids);
    }
    // Apply applies: the window follows each successful apply, not only OK.
    connect(&dialog, &SettingsDialog::applied, this, [this](bool ok) {
        if (ok)
            applySettings();
    });
    dialog.exec();
}

void MainWindow::applySettings()
{
    // Rebuilding the backends removes and re-lists every box: rows, their history and
    // what was already alerted stay unless the box really is gone after the re-list.
    m_reapplying = true;
    emit settingsChanged();
    m_reapplying = false;
    QTimer::singleShot(15000, this, [this] {
        const QSet<QString> gone = std::exchange(m_pendingRemoval, {});
        for (const QString &key : gone)
            onBoxRemoved(key);
    });
}

void MainWindow::onBoxAdded(const BoxInfo &incoming)
{
    BoxInfo box = incoming;
    if (m_pendingRemoval.remove(box.key())) {
        // The re-list has no start time or exit code yet (the inspect follows): keep ours.
        if (const BoxInfo *known = m_model->box(box.key());
            known && !box.detailed && known->detailed && known->state == box.state) {
            box.startedAt = known->startedAt;
            box.detailed = true;
            box.exitCode = box.exitCode < 0 ? known->exitCode : box.exitCode;
            box.oomKilled = known->oomKilled;
            box.hasHealthCheck = known->hasHealthCheck;
            box.lastHealth = known->lastHealth;
            box.cpuLimit = known->cpuLimit;
            box.memoryUnlimited = known->memoryUnlimited;
            if (box.cpuPercent < 0)
                box.cpuPercent = known->cpuPercent;
            if (box.memoryUsage < 0) {
                box.memoryUsage = known->memoryUsage;
                box.memoryLimit = known->memoryLimit;
            }
            if (box.pids < 0)
                box.pids = known->pids;
        }
    }
    m_model->upsertBox(box);
    m_history->record(box);
    m_alerts->boxChanged(box);
    if (m_detail->currentKey() == box.key())
        m_detail->updateBox(box);
    updateCounts();
}

void MainWindow::onBoxRemoved(const QString &key)
{
    if (m_reapplying) {
        m_pendingRemoval.insert(key);
        return;
    }
    m_pendingRemoval.remove(key);
    const int row = m_model->rowOf(key);
    const QString name = row < 0 || m_deleting.contains(key) ? QString() : m_model->boxAt(row).name;
    const bool shown = m_detail->currentKey() == key;
    m_model->removeBox(key);
    m_history->forget(key);
    m_alerts->forget(key);
    if (shown) {
        syncDetail();
        if (m_detail->currentKey().isEmpty() && !name.isEmpty())
            m_detail->showGone(name);
    }
    // The actions must not act on the id of a box that no longer exists.
    updateActions();
    updateCounts();
}

void MainWindow::syncDetail()
{
    QItemSelectionModel *sel = m_table->selectionModel();
    QModelIndex idx = m_table->currentIndex();
    if (!idx.isValid() || !sel->isRowSelected(idx.row(), idx.parent())) {
        const QModelIndexList rows = sel->selectedRows(BoxListModel::Name);
        idx = rows.isEmpty() ? QModelIndex() : rows.first();
    }
    if (!idx.isValid())
        m_detail->setBox(std::nullopt);
    else
        m_detail->setBox(idx.data(BoxListModel::BoxRole).value<BoxInfo>());
}

void MainWindow::openRow(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    if (!m_table->selectionModel()->isRowSelected(index.row(), index.parent()))
        m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                              QItemSelectionModel::Rows);
    setDetailsCollapsed(false);
    m_detail->tabs()->setCurrentIndex(BoxDetailPane::OverviewTab);
}

bool MainWindow::detailsCollapsed() const
{
    return m_splitter->sizes().value(1) == 0;
}

void MainWindow::setDetailsCollapsed(bool collapsed)
{
    QList<int> sizes = m_splitter->sizes();
    const int total = sizes.value(0) + sizes.value(1);
    if (collapsed && sizes.value(1) > 0) {
        m_detailSizes = sizes;
        m_splitter->setSizes({total, 0});
    } else if (!collapsed && sizes.value(1) == 0) {
        const int detail = m_detailSizes.value(1) > 0 ? m_detailSizes.value(1) : total / 3;
        m_splitter->setSizes({total - detail, detail});
    }
    QSignalBlocker block(m_detailsAction);
    m_detailsAction->setChecked(!collapsed);
    QSettings().setValue(QStringLiteral("mainwindow/splitter"), m_splitter->saveState());
}

void MainWindow::updateEmptyState()
{
    m_stack->setCurrentWidget(m_model->rowCount() == 0 ? m_empty : static_cast<QWidget *>(m_table));
}

AlertHistoryDialog *MainWindow::openAlertHistory()
{
    if (!m_historyDialog) {
        m_historyDialog = new AlertHistoryDialog(m_alerts->history(), this);
        m_historyDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_historyDialog->show();
    m_historyDialog->raise();
    m_historyDialog->activateWindow();
    return m_historyDialog;
}

DataViewsDialog *MainWindow::openDataViews()
{
    if (!m_dataDialog) {
        QList<boxes::DockerBackend *> dockers;
        if (m_monitor) {
            for (boxes::BoxBackend *b : m_monitor->backends())
                if (auto *d = qobject_cast<boxes::DockerBackend *>(b))
                    dockers << d;
        }
        m_dataDialog = new DataViewsDialog(dockers, this);
        m_dataDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_dataDialog->show();
    m_dataDialog->raise();
    return m_dataDialog;
}

QList<QPair<QString, QString>> MainWindow::shortcutList() const
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
    for (QAction *a : menuBar()->actions())
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

void MainWindow::openShortcuts()
{
    auto *dialog = new ShortcutsDialog(shortcutList(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (std::exchange(m_defaultSplit, false)) {
        const int total = m_splitter->height();
        m_splitter->setSizes({total * 69 / 100, total - total * 69 / 100});
    }
    nameUnnamedControls();
}

void MainWindow::nameUnnamedControls()
{
    // Screen readers read a button by its text or accessible name; Qt's own helper buttons
    // (clear buttons, the table corner, tab scrollers) have neither.
    for (QAbstractButton *b : findChildren<QAbstractButton *>()) {
        if (!b->text().isEmpty() || !b->accessibleName().isEmpty())
            continue;
        QString name = b->toolTip();
        const QString cls = QString::fromLatin1(b->metaObject()->className());
        if (name.isEmpty() && cls == QLatin1String("QTableCornerButton"))
            name = tr("Select all rows");
        else if (name.isEmpty() && qobject_cast<QLineEdit *>(b->parentWidget()))
            name = tr("Clear");
        else if (name.isEmpty() && qobject_cast<QTabBar *>(b->parentWidget()))
            name = b->objectName().contains(QLatin1String("Right")) ||
                           (qobject_cast<QToolButton *>(b) &&
                            static_cast<QToolButton *>(b)->arrowType() == Qt::RightArrow)
                       ? tr("Scroll tabs right")
                       : tr("Scroll tabs left");
        else if (name.isEmpty() && b->objectName() == QLatin1String("qt_toolbar_ext_button"))
            name = tr("More toolbar actions");
        else if (name.isEmpty() && b->objectName() == QLatin1String("qt_menubar_ext_button"))
            name = tr("More menus");
        else if (name.isEmpty() && !b->objectName().isEmpty())
            name = b->objectName();
        if (!name.isEmpty())
            b->setAccessibleName(name);
    }
    // Views and fields added by later tabs: named after their group or tab, else unnamed
    // to a screen reader.
    for (QWidget *w : findChildren<QWidget *>()) {
        const bool input = qobject_cast<QAbstractItemView *>(w) || qobject_cast<QLineEdit *>(w) ||
                           qobject_cast<QComboBox *>(w);
        if (!input || !w->accessibleName().isEmpty() || qobject_cast<QHeaderView *>(w))
            continue;
        QString name;
        if (auto *edit = qobject_cast<QLineEdit *>(w))
            name = edit->placeholderText();
        if (name.isEmpty())
            name = w->toolTip();
        for (QWidget *p = w->parentWidget(); p && name.isEmpty(); p = p->parentWidget()) {
            if (auto *g = qobject_cast<QGroupBox *>(p))
                name = g->title();
            else if (auto *tabs = qobject_cast<QTabWidget *>(
                         p->parentWidget() ? p->parentWidget()->parentWidget() : nullptr);
                     tabs && tabs->indexOf(p) >= 0)
                name = tabs->tabText(tabs->indexOf(p)).remove(QLatin1Char('&'));
        }
        if (!name.isEmpty())
            w->setAccessibleName(name);
    }
}

QString MainWindow::execCommand(const BoxInfo &box) const
{
    QString host;
    if (auto *d = qobject_cast<boxes::DockerBackend *>(backend(box.backendId))) {
        if (d->client()) {
            const QString url = d->client()->endpoint().toUrl();
            if (url != QLatin1String("unix:///var/run/docker.sock"))
                host = QStringLiteral("-H ") + url + QLatin1Char(' ');
        }
    }
    // sh exists in every box image (busybox or Debian); bash may not.
    return QStringLiteral("docker %1exec -it %2 sh").arg(host, box.name);
}

void MainWindow::showHeaderMenu(const QPoint &pos)
{
    QMenu menu(this);
    QHeaderView *header = m_table->horizontalHeader();
    for (int c = 0; c < BoxListModel::ColumnCount; ++c) {
        QAction *a = menu.addAction(m_model->headerData(c, Qt::Horizontal).toString());
        a->setCheckable(true);
        a->setChecked(!header->isSectionHidden(c));
        a->setEnabled(c != BoxListModel::Name); // a row needs a name
        connect(a, &QAction::toggled, this,
                [header, c](bool on) { header->setSectionHidden(c, !on); });
    }
    menu.exec(header->mapToGlobal(pos));
}

void MainWindow::showContextMenu(const QPoint &requested)
{
    QPoint pos = requested;
    if (!m_table->indexAt(pos).isValid()) {
        // From the keyboard (Menu key): the current row.
        const QModelIndex current = m_table->currentIndex();
        if (!current.isValid())
            return;
        pos = m_table->visualRect(current).center();
    }
    QMenu menu(this);
    menu.addAction(m_openAction);
    menu.addSeparator();
    for (QAction *a : {m_startAction, m_stopAction, m_restartAction, m_redeployAction})
        menu.addAction(a);
    menu.addSeparator();
    menu.addAction(m_openUrlAction);
    menu.addAction(m_copyExecAction);
    menu.addSeparator();
    menu.addAction(m_deleteAction);
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

void MainWindow::restoreLayout()
{
    QSettings s;
    s.beginGroup(QStringLiteral("mainwindow"));
    if (!restoreGeometry(s.value(QStringLiteral("geometry")).toByteArray()))
        resize(1280, 800);
    restoreState(s.value(QStringLiteral("state")).toByteArray());
    // List first: the details get under a third until the user says otherwise (sized
    // on first show, when the splitter's height is known).
    m_defaultSplit = !m_splitter->restoreState(s.value(QStringLiteral("splitter")).toByteArray());
    if (m_defaultSplit)
        m_splitter->setSizes({690, 310});
    {
        QSignalBlocker block(m_detailsAction);
        m_detailsAction->setChecked(m_splitter->sizes().value(1) > 0);
    }
    // "header3": the column set or order changed (Owner; Policy before Image); an older
    // saved order would misplace them.
    if (m_table->horizontalHeader()->restoreState(s.value(QStringLiteral("header3")).toByteArray()))
        m_table->keepColumnOrder();
    else
        m_table->sizeColumns();
    m_detail->tabs()->setCurrentIndex(s.value(QStringLiteral("detailTab"), 0).toInt());
}

void MainWindow::saveLayout()
{
    QSettings s;
    s.beginGroup(QStringLiteral("mainwindow"));
    s.setValue(QStringLiteral("geometry"), saveGeometry());
    s.setValue(QStringLiteral("state"), saveState());
    s.setValue(QStringLiteral("splitter"), m_splitter->saveState());
    s.setValue(QStringLiteral("header3"), m_table->horizontalHeader()->saveState());
    s.setValue(QStringLiteral("detailTab"), m_detail->tabs()->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    QMainWindow::closeEvent(event);
}

} // namespace bc::ui
