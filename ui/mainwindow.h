#pragma once

#include "core/boxes/boxinfo.h"
#include "core/boxes/boxmonitor.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace bc::boxes {
class BoxBackend;
class BoxMonitor;
class DockerBackend;
} // namespace bc::boxes

namespace bc::ui {

class AccessibleNamer;
class AlertBanner;
class AlertCenter;
class AlertHistoryDialog;
class BackendStatus;
class BoxActions;
class BoxDetailPane;
class BoxFeed;
class BoxFilterBar;
class ConsoleAlerts;
class ConsoleMenus;
class DataViewsDialog;
class BoxTableView;
class BoxFilterProxyModel;
class BoxListModel;
class DeployDialog;
class DeployLauncher;
class DetailController;
class EmptyState;
class Notifier;
class StatsHistory;

// The console: every box of every backend in one table (filter, sort, multi-select, bulk
// actions), the selected box's details below, per-endpoint connection state in the status
// bar, alerts as desktop notifications. Fed by a BoxMonitor it does not own; every engine
// call is asynchronous. The window lays out and wires its parts: BoxActions, ConsoleMenus,
// DetailController, BoxFilterBar, ConsoleAlerts, DeployLauncher, BoxFeed, EmptyState.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(boxes::BoxMonitor *monitor, QWidget *parent = nullptr);
    ~MainWindow() override;

    BoxListModel *model() const { return m_model; }
    BoxFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *table() const;
    BoxDetailPane *detailPane() const { return m_detail; }
    Notifier *notifier() const;
    AlertBanner *banner() const;
    AlertCenter *alertCenter() const;
    QLineEdit *filterEdit() const;
    QComboBox *stateFilter() const;
    QSplitter *splitter() const { return m_splitter; }
    QLabel *countsLabel() const { return m_counts; }
    QWidget *emptyState() const;
    QPushButton *emptyDeployButton() const;
    QMenu *helpMenu() const;
    StatsHistory *history() const { return m_history.get(); }
    QString connectionText(const QString &backendId) const;
    QString connectionToolTip(const QString &backendId) const;
    // The detail pane is collapsed (list only).
    bool detailsCollapsed() const;
    void setDetailsCollapsed(bool collapsed);
    // Every keyboard shortcut with what it does, as the Help menu lists them.
    QList<QPair<QString, QString>> shortcutList() const;

    QList<boxes::BoxInfo> selectedBoxes() const;
    bool selectBox(const QString &key);
    boxes::BoxBackend *backend(const QString &backendId) const;

    // Opens the (non-modal) deploy dialog; returned for tests.
    DeployDialog *openDeployDialog();
    // Asks for confirmation (modal) and deletes the selected boxes.
    void deleteSelected();
    // The Redeploy action: the deploy form filled from the spec the selected box runs with.
    DeployDialog *redeploySelected();
    void deleteBoxes(const QList<boxes::BoxInfo> &boxes, bool keepData);
    void openBuildDialog();
    void openSettings();
    AlertHistoryDialog *openAlertHistory();
    DataViewsDialog *openDataViews();
    void openShortcuts();
    // Settings were applied (OK or Apply): backends are rebuilt; rows and history stay.
    void applySettings();
    QString execCommand(const boxes::BoxInfo &box) const;
    // The monitor's backends were replaced (settings): status bar and filters follow.
    void backendsChanged();

signals:
    // The settings dialog changed endpoints or the deploy mode: the app rebuilds backends.
    void settingsChanged();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void buildCentral();
    void buildActions();
    void connectMonitor();
    void updateActions();
    void updateCounts();
    void onConnectionChanged(const QString &backendId, bool connected, const QString &reason);
    void refreshBackendFilter();
    void restoreLayout();
    void saveLayout();
    void updateEmptyState();
    void onBoxAdded(const boxes::BoxInfo &box);
    void onBoxRemoved(const QString &key);
    QList<boxes::BoxBackend *> backends() const;
    QList<boxes::DockerBackend *> dockerBackends() const;

    QPointer<boxes::BoxMonitor> m_monitor;
    BoxListModel *m_model;
    BoxFilterProxyModel *m_proxy;
    std::unique_ptr<StatsHistory> m_history;
    AccessibleNamer *m_namer;
    BoxFeed *m_feed;
    DeployLauncher *m_launcher;
    ConsoleAlerts *m_alerts = nullptr;
    BoxFilterBar *m_filterBar = nullptr;
    BoxTableView *m_table = nullptr;
    BoxDetailPane *m_detail = nullptr;
    DetailController *m_details = nullptr;
    QSplitter *m_splitter = nullptr;
    QStackedWidget *m_stack = nullptr;
    EmptyState *m_empty = nullptr;
    BoxActions *m_boxActions = nullptr;
    ConsoleMenus *m_menus = nullptr;
    QPointer<DataViewsDialog> m_dataDialog;
    QTimer *m_fitTimer;
    QLabel *m_counts = nullptr;
    BackendStatus *m_backendStatus = nullptr;
};

} // namespace bc::ui
