#include "ui/mainwindow.h"

#include "core/boxes/boxmonitor.h"
#include "core/boxes/dockerbackend.h"
#include "ui/accessiblenamer.h"
#include "ui/alertbanner.h"
#include "ui/alertcenter.h"
#include "ui/backendstatus.h"
#include "ui/boxactions.h"
#include "ui/boxdetailpane.h"
#include "ui/boxfeed.h"
#include "ui/boxfilterbar.h"
#include "ui/boxtableview.h"
#include "ui/consolealerts.h"
#include "ui/consoleicon.h"
#include "ui/consolemenus.h"
#include "ui/dataviewsdialog.h"
#include "ui/deploylauncher.h"
#include "ui/detailcontroller.h"
#include "ui/emptystate.h"
#include "ui/fleetpolicyeditor.h"
#include "ui/models/boxfilterproxymodel.h"
#include "ui/models/boxlistmodel.h"
#include "ui/settingsdialog.h"
#include "ui/statshistory.h"

#include <QAction>
#include <QCloseEvent>
#include <QHeaderView>
#include <QLabel>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

// The icons live in the static ui library: registered explicitly, or a static link drops them.
static void initResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace bc::ui {

using boxes::BoxInfo;

MainWindow::MainWindow(boxes::BoxMonitor *monitor, QWidget *parent)
    : QMainWindow(parent)
    , m_monitor(monitor)
    , m_model(new BoxListModel(this))
    , m_proxy(new BoxFilterProxyModel(this))
    , m_history(std::make_unique<StatsHistory>())
    , m_namer(new AccessibleNamer(this))
    , m_feed(new BoxFeed(monitor, m_model, this))
    , m_launcher(new DeployLauncher(this, m_model))
    , m_fitTimer(new QTimer(this))
{
    initResources();
    setWindowTitle(tr("Box Console"));
    setWindowIcon(consoleIcon("box-console"));
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
    m_namer->nameControls();
}

MainWindow::~MainWindow() = default;

QTableView *MainWindow::table() const
{
    return m_table;
}

Notifier *MainWindow::notifier() const
{
    return m_alerts->notifier();
}

AlertBanner *MainWindow::banner() const
{
    return m_alerts->banner();
}

AlertCenter *MainWindow::alertCenter() const
{
    return m_alerts->center();
}

QLineEdit *MainWindow::filterEdit() const
{
    return m_filterBar->filterEdit();
}

QComboBox *MainWindow::stateFilter() const
{
    return m_filterBar->stateFilter();
}

QWidget *MainWindow::emptyState() const
{
    return m_empty;
}

QPushButton *MainWindow::emptyDeployButton() const
{
    return m_empty->deployButton();
}

QMenu *MainWindow::helpMenu() const
{
    return m_menus->helpMenu();
}

void MainWindow::buildCentral()
{
    // Made in the order Tab moves through them: banner, filters, list, details.
    auto *central = new QWidget(this);
    m_alerts = new ConsoleAlerts(this, central);
    m_filterBar = new BoxFilterBar(m_proxy, central);

    m_table = new BoxTableView(central);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(BoxListModel::Name, Qt::AscendingOrder);
    m_table->sizeColumns();
    m_filterBar->setTable(m_table);
    connect(m_fitTimer, &QTimer::timeout, m_table, &BoxTableView::sizeColumns);
    connect(m_model, &QAbstractItemModel::rowsInserted, m_fitTimer, qOverload<>(&QTimer::start));

    m_detail = new BoxDetailPane(
        m_history.get(), [this](const QString &id) { return backend(id); }, central);
    m_detail->tabs()->setAccessibleName(tr("Box details"));
    connect(m_detail->tabs(), &QTabWidget::currentChanged, m_namer, &AccessibleNamer::nameControls);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_proxy, signal, this, [this] {
            updateCounts();
            updateEmptyState();
        });
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &MainWindow::updateCounts);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &MainWindow::updateCounts);

    m_empty = new EmptyState(central);
    connect(m_empty, &EmptyState::deployRequested, this, [this] { openDeployDialog(); });
    connect(m_empty, &EmptyState::settingsRequested, this, &MainWindow::openSettings);
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
    m_details = new DetailController(m_table, m_detail, m_splitter, this);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);

    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(m_alerts->banner());
    layout->addWidget(m_filterBar);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    m_counts = new QLabel(this);
    statusBar()->addPermanentWidget(m_counts);
}

void MainWindow::buildActions()
{
    m_boxActions = new BoxActions(
        this, m_model, notifier(), alertCenter(), [this] { return selectedBoxes(); },
        [this](const QString &id) { return backend(id); });
    connect(m_boxActions, &BoxActions::redeployRequested, this, [this] { redeploySelected(); });
    connect(m_boxActions, &BoxActions::deleted, this, [this](const QString &key) {
        if (m_detail->currentKey() == key)
            m_detail->setBox(std::nullopt);
        updateCounts();
    });
    connect(m_boxActions, &BoxActions::deleteFailed, this, [this] {
        if (m_monitor)
            m_monitor->resyncNow();
    });

    m_menus = new ConsoleMenus(this, m_boxActions, m_details, m_table, m_model);
    using Command = ConsoleMenus::Command;
    connect(m_menus->action(Command::Deploy), &QAction::triggered, this,
            [this] { openDeployDialog(); });
    connect(m_menus->action(Command::Build), &QAction::triggered, this,
            &MainWindow::openBuildDialog);
    connect(m_menus->action(Command::Settings), &QAction::triggered, this,
            &MainWindow::openSettings);
    connect(m_menus->action(Command::Refresh), &QAction::triggered, this, [this] {
        if (m_monitor)
            m_monitor->resyncNow();
        m_proxy->resortStats();
        m_detail->refreshDetails();
    });
    connect(m_menus->action(Command::Filter), &QAction::triggered, m_filterBar,
            &BoxFilterBar::focusFilter);
    connect(m_menus->action(Command::AlertHistory), &QAction::triggered, this,
            [this] { openAlertHistory(); });
    connect(m_menus->action(Command::DataViews), &QAction::triggered, this,
            [this] { openDataViews(); });

    connect(m_launcher, &DeployLauncher::settingsRequested, this, &MainWindow::openSettings);
    connect(m_launcher, &DeployLauncher::deployed, this, [this](const BoxInfo &box) {
        // The monitor will report it too; showing it now makes the result visible at once.
        m_model->upsertBox(box);
        selectBox(box.key());
    });
}

void MainWindow::connectMonitor()
{
    if (!m_monitor)
        return;
    connect(m_feed, &BoxFeed::boxAdded, this, &MainWindow::onBoxAdded);
    connect(m_feed, &BoxFeed::boxUpdated, this,
            [this](const BoxInfo &previous, const BoxInfo &box) {
                m_model->upsertBox(box);
                m_history->record(box.key(), box.resources);
                alertCenter()->boxChanged(box);
                if (m_detail->currentKey() == box.key())
                    m_detail->updateBox(box);
                if (previous.state != box.state || previous.health != box.health) {
                    updateCounts();
                    updateActions();
                }
            });
    connect(m_feed, &BoxFeed::resourcesUpdated, this,
            [this](const QString &key, const boxes::BoxResources &resources) {
                m_model->updateResources(key, resources);
                m_history->record(key, resources);
                if (m_detail->currentKey() == key)
                    if (const BoxInfo *box = m_model->box(key))
                        m_detail->updateBox(*box);
            });
    connect(m_feed, &BoxFeed::boxRemoved, this, &MainWindow::onBoxRemoved);
    connect(m_monitor, &boxes::BoxMonitor::backendConnectionChanged, this,
            &MainWindow::onConnectionChanged);
    connect(m_monitor, &boxes::BoxMonitor::boxAlert, alertCenter(), &AlertCenter::boxAlert);

    const QList<BoxInfo> current = m_monitor->boxes();
    m_model->setBoxes(current);
    for (const BoxInfo &b : current)
        m_history->record(b.key(), b.resources);
    for (boxes::BoxBackend *b : m_monitor->backends())
        onConnectionChanged(b->id(), m_monitor->isConnected(b->id()),
                            m_monitor->disconnectReason(b->id()));
    refreshBackendFilter();
}

QList<boxes::BoxBackend *> MainWindow::backends() const
{
    return m_monitor ? m_monitor->backends() : QList<boxes::BoxBackend *>();
}

QList<boxes::DockerBackend *> MainWindow::dockerBackends() const
{
    QList<boxes::DockerBackend *> dockers;
    for (boxes::BoxBackend *b : backends()) {
        if (auto *d = qobject_cast<boxes::DockerBackend *>(b))
            dockers << d;
    }
    return dockers;
}

boxes::BoxBackend *MainWindow::backend(const QString &backendId) const
{
    for (boxes::BoxBackend *b : backends()) {
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
    if (m_monitor)
        m_filterBar->setBackends(m_monitor->backends());
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
    m_boxActions->updateEnabled();
    m_menus->action(ConsoleMenus::Command::Build)->setEnabled(!dockerBackends().isEmpty());
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

DeployDialog *MainWindow::openDeployDialog()
{
    return m_launcher->openDeploy(backends());
}

DeployDialog *MainWindow::redeploySelected()
{
    const QList<BoxInfo> boxes = selectedBoxes();
    if (boxes.size() != 1)
        return nullptr;
    return m_launcher->openRedeploy(boxes.first(), backends());
}

void MainWindow::deleteSelected()
{
    m_boxActions->deleteSelected();
}

void MainWindow::deleteBoxes(const QList<BoxInfo> &boxes, bool keepData)
{
    m_boxActions->deleteBoxes(boxes, keepData);
}

void MainWindow::openBuildDialog()
{
    m_launcher->openBuild(dockerBackends());
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
    m_feed->holdRemovalsDuring([this] { emit settingsChanged(); });
}

void MainWindow::onBoxAdded(const BoxInfo &box)
{
    m_model->upsertBox(box);
    m_history->record(box.key(), box.resources);
    alertCenter()->boxChanged(box);
    if (m_detail->currentKey() == box.key())
        m_detail->updateBox(box);
    updateCounts();
}

void MainWindow::onBoxRemoved(const QString &key)
{
    const int row = m_model->rowOf(key);
    const QString name =
        row < 0 || m_boxActions->isDeleting(key) ? QString() : m_model->boxAt(row).name;
    // Before the row goes: removing it moves the selection, and the pane with it.
    const bool shown = m_detail->currentKey() == key;
    m_model->removeBox(key);
    m_history->forget(key);
    alertCenter()->forget(key);
    if (shown) {
        m_details->showSelected();
        if (m_detail->currentKey().isEmpty() && !name.isEmpty())
            m_detail->showGone(name);
    }
    // The actions must not act on the id of a box that no longer exists.
    updateActions();
    updateCounts();
}

bool MainWindow::detailsCollapsed() const
{
    return m_details->collapsed();
}

void MainWindow::setDetailsCollapsed(bool collapsed)
{
    m_details->setCollapsed(collapsed);
}

void MainWindow::updateEmptyState()
{
    m_stack->setCurrentWidget(m_model->rowCount() == 0 ? static_cast<QWidget *>(m_empty)
                                                       : static_cast<QWidget *>(m_table));
}

AlertHistoryDialog *MainWindow::openAlertHistory()
{
    return m_alerts->openHistory();
}

DataViewsDialog *MainWindow::openDataViews()
{
    if (!m_dataDialog) {
        m_dataDialog = new DataViewsDialog(dockerBackends(), this);
        m_dataDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_dataDialog->show();
    m_dataDialog->raise();
    return m_dataDialog;
}

QList<QPair<QString, QString>> MainWindow::shortcutList() const
{
    return m_menus->shortcutList();
}

void MainWindow::openShortcuts()
{
    m_menus->openShortcuts();
}

QString MainWindow::execCommand(const BoxInfo &box) const
{
    return m_boxActions->execCommand(box);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    m_details->windowShown();
    m_namer->nameControls();
}

void MainWindow::restoreLayout()
{
    QSettings s;
    s.beginGroup(QStringLiteral("mainwindow"));
    if (!restoreGeometry(s.value(QStringLiteral("geometry")).toByteArray()))
        resize(1280, 800);
    restoreState(s.value(QStringLiteral("state")).toByteArray());
    m_details->restoreLayout(s);
    // "header3": the column set or order changed (Owner; Policy before Image); an older
    // saved order would misplace them.
    if (m_table->horizontalHeader()->restoreState(s.value(QStringLiteral("header3")).toByteArray()))
        m_table->keepColumnOrder();
    else
        m_table->sizeColumns();
}

void MainWindow::saveLayout()
{
    QSettings s;
    s.beginGroup(QStringLiteral("mainwindow"));
    s.setValue(QStringLiteral("geometry"), saveGeometry());
    s.setValue(QStringLiteral("state"), saveState());
    m_details->saveLayout(s);
    s.setValue(QStringLiteral("header3"), m_table->horizontalHeader()->saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    QMainWindow::closeEvent(event);
}

} // namespace bc::ui
