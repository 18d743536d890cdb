#include "ui/mainwindow.h"
#include "core/util/futureutil.h"

#include "core/boxes/boxmonitor.h"
#include "core/boxes/dockerbackend.h"
#include "core/docker/dockerclient.h"
#include "ui/alertbanner.h"
#include "ui/boxdetailpane.h"
#include "ui/boxtableview.h"
#include "ui/builddialog.h"
#include "ui/deletedialog.h"
#include "ui/deploydialog.h"
#include "ui/models/boxfilterproxymodel.h"
#include "ui/models/boxlistmodel.h"
#include "ui/notifier.h"
#include "ui/settingsdialog.h"
#include "ui/statshistory.h"
#include "ui/statusicons.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>

// The icons live in the static ui library: registered explicitly, or a static link drops them.
static void initResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace bc::ui {

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
{
    initResources();
    setWindowTitle(tr("Box Console"));
    setWindowIcon(icon("box-console"));
    m_proxy->setSourceModel(m_model);
    buildActions();
    buildCentral();
    connectMonitor();
    restoreLayout();
    updateActions();
    updateCounts();
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
    m_startAction = new QAction(icon("start"), tr("&Start"), this);
    m_startAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_S));
    m_stopAction = new QAction(icon("stop"), tr("S&top"), this);
    m_stopAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_restartAction = new QAction(icon("restart"), tr("&Restart"), this);
    m_restartAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_deleteAction = new QAction(icon("delete"), tr("De&lete…"), this);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_openUrlAction = new QAction(icon("open-url"), tr("&Open URL"), this);
    m_openUrlAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    m_copyExecAction = new QAction(icon("terminal"), tr("Copy &exec command"), this);
    m_copyExecAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_copyExecAction->setToolTip(tr("Copy a docker exec command that opens a shell in the box"));
    m_refreshAction = new QAction(icon("refresh"), tr("Re&fresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_settingsAction = new QAction(icon("settings"), tr("Se&ttings…"), this);
    m_settingsAction->setShortcut(QKeySequence::Preferences);
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
    connect(m_refreshAction, &QAction::triggered, this, [this] {
        if (m_monitor)
            m_monitor->resyncNow();
        m_detail->refreshDetails();
    });
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::openSettings);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_deployAction);
    file->addAction(m_buildAction);
    file->addSeparator();
    file->addAction(m_settingsAction);
    file->addSeparator();
    file->addAction(quit);
    QMenu *box = menuBar()->addMenu(tr("&Box"));
    for (QAction *a : {m_startAction, m_stopAction, m_restartAction, m_deleteAction})
        box->addAction(a);
    box->addSeparator();
    box->addAction(m_openUrlAction);
    box->addAction(m_copyExecAction);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_refreshAction);

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
    tb->addSeparator();
    tb->addAction(m_refreshAction);
    tb->addAction(m_settingsAction);
}

void MainWindow::buildCentral()
{
    auto *central = new QWidget(this);
    m_banner = new AlertBanner(central);
    m_notifier = new Notifier(m_banner, this);
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
    connect(m_table, &QTableView::doubleClicked, this,
            [this] { m_detail->tabs()->setCurrentIndex(BoxDetailPane::LogsTab); });

    m_detail = new BoxDetailPane(
        m_history.get(), [this](const QString &id) { return backend(id); }, central);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (!current.isValid()) {
                    m_detail->setBox(std::nullopt);
                } else {
                    m_detail->setBox(current.data(BoxListModel::BoxRole).value<BoxInfo>());
                }
            });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);

    m_splitter = new QSplitter(Qt::Vertical, central);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);

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

    auto *focusFilter = new QShortcut(QKeySequence::Find, this);
    connect(focusFilter, &QShortcut::activated, this, [this] {
        m_filter->setFocus();
        m_filter->selectAll();
    });
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
    connect(m_filter, &QLineEdit::returnPressed, this, [this] {
        m_table->setFocus();
        if (!m_table->currentIndex().isValid() && m_proxy->rowCount() > 0)
            m_table->selectRow(0);
    });
    for (int i = 0; i < 4; ++i) {
        auto *tab = new QShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)), this);
        connect(tab, &QShortcut::activated, this,
                [this, i] { m_detail->tabs()->setCurrentIndex(i); });
    }

    m_counts = new QLabel(this);
    statusBar()->addPermanentWidget(m_counts);
}

void MainWindow::connectMonitor()
{
    if (!m_monitor)
        return;
    connect(m_monitor, &boxes::BoxMonitor::boxAdded, this, [this](const BoxInfo &box) {
        m_model->upsertBox(box);
        m_history->record(box);
        updateCounts();
    });
    connect(m_monitor, &boxes::BoxMonitor::boxUpdated, this,
            [this](const BoxInfo &previous, const BoxInfo &box) {
                m_model->upsertBox(box);
                m_history->record(box);
                if (m_detail->currentKey() == box.key())
                    m_detail->updateBox(box);
                if (previous.state != box.state || previous.health != box.health) {
                    updateCounts();
                    updateActions();
                }
            });
    connect(m_monitor, &boxes::BoxMonitor::boxRemoved, this, [this](const QString &key) {
        m_model->removeBox(key);
        m_history->forget(key);
        if (m_detail->currentKey() == key)
            m_detail->setBox(std::nullopt);
        updateCounts();
    });
    connect(m_monitor, &boxes::BoxMonitor::backendConnectionChanged, this,
            &MainWindow::onConnectionChanged);
    connect(m_monitor, &boxes::BoxMonitor::boxAlert, m_notifier, &Notifier::boxAlert);

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
    QLabel *label = m_connectionLabels.value(backendId);
    boxes::BoxBackend *b = backend(backendId);
    if (!label) {
        label = new QLabel(this);
        label->setTextFormat(Qt::RichText);
        statusBar()->addWidget(label);
        m_connectionLabels.insert(backendId, label);
        refreshBackendFilter();
    }
    const QString name = b ? QStringLiteral("%1 @ %2").arg(b->kind(), b->displayHost()) : backendId;
    const Tone tone = connected ? Tone::Good : Tone::Bad;
    label->setText(
        QStringLiteral("<span style=\"color:%1\">●</span> %2%3")
            .arg(toneColor(tone).name(), name.toHtmlEscaped(),
                 connected ? QString()
                           : QStringLiteral(" — ") + tr("disconnected, retrying").toHtmlEscaped()));
    label->setToolTip(connected ? tr("%1: connected").arg(name)
                                : tr("%1: %2\nThe console retries on its own; the other "
                                     "backends keep working.")
                                      .arg(name, reason.isEmpty() ? tr("unreachable") : reason));
    label->setProperty("connected", connected);
    label->setProperty("reason", reason);
}

void MainWindow::backendsChanged()
{
    QSet<QString> ids;
    if (m_monitor) {
        for (boxes::BoxBackend *b : m_monitor->backends()) {
            ids.insert(b->id());
            onConnectionChanged(b->id(), m_monitor->isConnected(b->id()),
                                m_monitor->disconnectReason(b->id()));
        }
    }
    for (auto it = m_connectionLabels.begin(); it != m_connectionLabels.end();) {
        if (!ids.contains(it.key())) {
            it.value()->deleteLater();
            it = m_connectionLabels.erase(it);
        } else {
            ++it;
        }
    }
    refreshBackendFilter();
    updateActions();
}

QString MainWindow::connectionText(const QString &backendId) const
{
    QLabel *l = m_connectionLabels.value(backendId);
    return l ? l->text() + QLatin1Char('\n') + l->toolTip() : QString();
}

void MainWindow::refreshBackendFilter()
{
    if (!m_monitor)
        return;
    const QString current = m_backendFilter->currentData().toString();
    QSignalBlocker block(m_backendFilter);
    while (m_backendFilter->count() > 1)
        m_backendFilter->removeItem(1);
    for (boxes::BoxBackend *b : m_monitor->backends())
        m_backendFilter->addItem(QStringLiteral("%1 @ %2").arg(b->kind(), b->displayHost()),
                                 b->id());
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
    int unhealthy = 0;
    const int total = m_model->rowCount();
    for (int r = 0; r < total; ++r) {
        const BoxInfo &b = m_model->boxAt(r);
        running += b.state == BoxInfo::State::Running;
        unhealthy += b.health == BoxInfo::Health::Unhealthy;
    }
    QString text = tr("%n box(es), %1 running", nullptr, total).arg(running);
    if (unhealthy > 0)
        text += tr(", %n unhealthy", nullptr, unhealthy);
    m_counts->setText(text);
}

void MainWindow::runAction(Action action)
{
    for (const BoxInfo &box : selectedBoxes()) {
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
        statusBar()->showMessage(tr("%1: %2…").arg(box.name, verb), 3000);
        const QString name = box.name;
        onFinished(f, this, [this, name, verb](const VoidResult &result) {
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
    for (int r = 0; r < m_model->rowCount(); ++r) {
        if (!m_model->boxAt(r).subdomain.isEmpty())
            taken.insert(m_model->boxAt(r).subdomain);
    }
    const QString preferred = QSettings().value(QStringLiteral("ui/lastDeployBackend")).toString();
    auto *dialog = new DeployDialog(backends, preferred, taken, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
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

void MainWindow::deleteSelected()
{
    const QList<BoxInfo> boxes = selectedBoxes();
    if (boxes.isEmpty())
        return;
    DeleteDialog dialog(boxes, this);
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
        boxes::BoxJob *job = b->remove(box.id, keepData);
        statusBar()->showMessage(tr("Deleting %1…").arg(box.name));
        BoxInfo removing = box;
        removing.state = BoxInfo::State::Removing;
        m_model->upsertBox(removing);
        const QString name = box.name;
        const QString key = box.key();
        const auto done = [this, name, key](const Result<BoxInfo> &result) {
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
    if (dialog.exec() == QDialog::Accepted)
        emit settingsChanged();
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

void MainWindow::showContextMenu(const QPoint &pos)
{
    if (!m_table->indexAt(pos).isValid())
        return;
    QMenu menu(this);
    for (QAction *a : {m_startAction, m_stopAction, m_restartAction})
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
    if (!m_splitter->restoreState(s.value(QStringLiteral("splitter")).toByteArray()))
        m_splitter->setSizes({460, 340});
    m_table->horizontalHeader()->restoreState(s.value(QStringLiteral("header")).toByteArray());
    m_detail->tabs()->setCurrentIndex(s.value(QStringLiteral("detailTab"), 0).toInt());
}

void MainWindow::saveLayout()
{
    QSettings s;
    s.beginGroup(QStringLiteral("mainwindow"));
    s.setValue(QStringLiteral("geometry"), saveGeometry());
    s.setValue(QStringLiteral("state"), saveState());
    s.setValue(QStringLiteral("splitter"), m_splitter->saveState());
    s.setValue(QStringLiteral("header"), m_table->horizontalHeader()->saveState());
    s.setValue(QStringLiteral("detailTab"), m_detail->tabs()->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    QMainWindow::closeEvent(event);
}

} // namespace bc::ui
