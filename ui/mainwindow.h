#pragma once

#include "core/boxes/boxinfo.h"
#include "core/boxes/boxmonitor.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QSystemTrayIcon;
class QTableView;

namespace bc::boxes {
class BoxBackend;
class BoxMonitor;
} // namespace bc::boxes

namespace bc::ui {

class AlertBanner;
class AlertCenter;
class AlertHistoryDialog;
class BackendStatus;
class BoxDetailPane;
class DataViewsDialog;
class BoxTableView;
class BoxFilterProxyModel;
class BoxListModel;
class DeployDialog;
class Notifier;
class StatsHistory;

// The console: every box of every backend in one table (filter, sort, multi-select, bulk
// actions), the selected box's details below, per-endpoint connection state in the status
// bar, alerts as desktop notifications. Fed by a BoxMonitor it does not own; every engine
// call is asynchronous.
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
    Notifier *notifier() const { return m_notifier; }
    AlertBanner *banner() const { return m_banner; }
    AlertCenter *alertCenter() const { return m_alerts; }
    QLineEdit *filterEdit() const { return m_filter; }
    QComboBox *stateFilter() const { return m_stateFilter; }
    QSplitter *splitter() const { return m_splitter; }
    QLabel *countsLabel() const { return m_counts; }
    QWidget *emptyState() const { return m_empty; }
    QPushButton *emptyDeployButton() const { return m_emptyDeploy; }
    QMenu *helpMenu() const { return m_helpMenu; }
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
    enum class Action { Start, Stop, Restart };
    void buildActions();
    void buildCentral();
    void connectMonitor();
    void runAction(Action action);
    void updateActions();
    void updateCounts();
    void onConnectionChanged(const QString &backendId, bool connected, const QString &reason);
    void refreshBackendFilter();
    void showHeaderMenu(const QPoint &pos);
    void showContextMenu(const QPoint &pos);
    void restoreLayout();
    void saveLayout();
    void syncDetail();
    void updateEmptyState();
    void openRow(const QModelIndex &index);
    void nameUnnamedControls();
    void onBoxAdded(const boxes::BoxInfo &box);
    void onBoxRemoved(const QString &key);

    QPointer<boxes::BoxMonitor> m_monitor;
    BoxListModel *m_model;
    BoxFilterProxyModel *m_proxy;
    std::unique_ptr<StatsHistory> m_history;
    BoxTableView *m_table;
    BoxDetailPane *m_detail;
    QSplitter *m_splitter;
    QStackedWidget *m_stack;
    QWidget *m_empty;
    QPushButton *m_emptyDeploy;
    AlertBanner *m_banner;
    Notifier *m_notifier;
    AlertCenter *m_alerts;
    QPointer<AlertHistoryDialog> m_historyDialog;
    QPointer<DataViewsDialog> m_dataDialog;
    QMenu *m_helpMenu;
    QList<int> m_detailSizes;
    // Rows of backends being rebuilt (Settings): kept until the new backend lists them.
    QSet<QString> m_pendingRemoval;
    QSet<QString> m_deleting; // boxes this console is deleting: their removal is no news
    bool m_reapplying = false;
    bool m_defaultSplit = false;
    QTimer *m_fitTimer;
    QSystemTrayIcon *m_tray = nullptr;
    QLineEdit *m_filter;
    QComboBox *m_stateFilter;
    QComboBox *m_healthFilter;
    QComboBox *m_backendFilter;
    QLabel *m_counts;
    BackendStatus *m_backendStatus = nullptr;

    QAction *m_deployAction;
    QAction *m_buildAction;
    QAction *m_startAction;
    QAction *m_stopAction;
    QAction *m_restartAction;
    QAction *m_redeployAction;
    QAction *m_deleteAction;
    QAction *m_openUrlAction;
    QAction *m_copyExecAction;
    QAction *m_refreshAction;
    QAction *m_settingsAction;
    QAction *m_detailsAction;
    QAction *m_historyAction;
    QAction *m_dataAction;
    QAction *m_filterAction;
    QAction *m_openAction;
    QList<QAction *> m_tabActions;
};

} // namespace bc::ui
