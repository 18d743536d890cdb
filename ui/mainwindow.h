#pragma once

#include "core/boxes/boxinfo.h"
#include "core/boxes/boxmonitor.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <memory>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QSplitter;
class QSystemTrayIcon;
class QTableView;

namespace bc::boxes {
class BoxBackend;
class BoxMonitor;
} // namespace bc::boxes

namespace bc::ui {

class AlertBanner;
class BoxDetailPane;
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
    QLineEdit *filterEdit() const { return m_filter; }
    QString connectionText(const QString &backendId) const;

    QList<boxes::BoxInfo> selectedBoxes() const;
    bool selectBox(const QString &key);
    boxes::BoxBackend *backend(const QString &backendId) const;

    // Opens the (non-modal) deploy dialog; returned for tests.
    DeployDialog *openDeployDialog();
    // Asks for confirmation (modal) and deletes the selected boxes.
    void deleteSelected();
    void deleteBoxes(const QList<boxes::BoxInfo> &boxes, bool keepData);
    void openBuildDialog();
    void openSettings();
    QString execCommand(const boxes::BoxInfo &box) const;
    // The monitor's backends were replaced (settings): status bar and filters follow.
    void backendsChanged();

signals:
    // The settings dialog changed endpoints or the deploy mode: the app rebuilds backends.
    void settingsChanged();

protected:
    void closeEvent(QCloseEvent *event) override;

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

    QPointer<boxes::BoxMonitor> m_monitor;
    BoxListModel *m_model;
    BoxFilterProxyModel *m_proxy;
    std::unique_ptr<StatsHistory> m_history;
    BoxTableView *m_table;
    BoxDetailPane *m_detail;
    QSplitter *m_splitter;
    AlertBanner *m_banner;
    Notifier *m_notifier;
    QSystemTrayIcon *m_tray = nullptr;
    QLineEdit *m_filter;
    QComboBox *m_stateFilter;
    QComboBox *m_healthFilter;
    QComboBox *m_backendFilter;
    QLabel *m_counts;
    QHash<QString, QLabel *> m_connectionLabels;

    QAction *m_deployAction;
    QAction *m_buildAction;
    QAction *m_startAction;
    QAction *m_stopAction;
    QAction *m_restartAction;
    QAction *m_deleteAction;
    QAction *m_openUrlAction;
    QAction *m_copyExecAction;
    QAction *m_refreshAction;
    QAction *m_settingsAction;
};

} // namespace bc::ui
