#pragma once

#include "core/boxes/boxinfo.h"
#include "core/docker/logstream.h"
#include "core/result.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <optional>

class QLabel;
class QTabWidget;
class QTableView;
class QTreeWidget;

namespace bc::boxes {
class BoxBackend;
}
namespace bc::security {
struct AuditOptions;
}
namespace bc::docker {
class LogStream;
struct ContainerInspect;
} // namespace bc::docker
namespace bc::policy {
class ActivityMarker;
}

namespace bc::ui {

class ActivityView;
class EgressLogView;
class FindingsModel;
class LogView;
class SparklineWidget;
class StatsHistory;

// Everything about the selected box: Overview (state, health and the last health-check
// outputs, labels, mounts), Resources (CPU and memory trends), Security (posture audit
// findings), Logs (followed live), Egress (its requests through the egress proxy) and History
// (its records in the activity log).
// Engine calls are async; a reply for a box that is no longer selected is dropped
// (generation guard), so fast clicking never shows stale data.
class BoxDetailPane final : public QWidget
{
    Q_OBJECT
public:
    enum Tab { OverviewTab, ResourcesTab, SecurityTab, LogsTab, EgressTab, HistoryTab };
    using BackendLookup = std::function<boxes::BoxBackend *(const QString &backendId)>;

    BoxDetailPane(const StatsHistory *history, BackendLookup lookup, QWidget *parent = nullptr);
    ~BoxDetailPane() override;

    // Another box (or none): resets the tabs and fetches details.
    void setBox(const std::optional<boxes::BoxInfo> &box);
    // The same box changed (state, stats): updates in place without refetching everything.
    void updateBox(const boxes::BoxInfo &box);
    QString currentKey() const { return m_box ? m_box->key() : QString(); }

    QTabWidget *tabs() const { return m_tabs; }
    LogView *logView() const { return m_logs; }
    EgressLogView *egressView() const { return m_egress; }
    ActivityView *historyView() const { return m_activity; }
    FindingsModel *findings() const { return m_findings; }
    SparklineWidget *cpuChart() const { return m_cpu; }
    SparklineWidget *memoryChart() const { return m_memory; }
    SparklineWidget *networkChart() const { return m_network; }
    SparklineWidget *blockIoChart() const { return m_blockIo; }
    QLabel *healthLabel() const { return m_health; }
    QLabel *stateLabel() const { return m_state; }
    QLabel *titleLabel() const { return m_title; }
    // The box shown was removed (by someone else): say so instead of going blank.
    void showGone(const QString &name);
    void refreshDetails();

    // How often logs are polled on backends without a log stream (Coolify); tests shorten it.
    void setLogPollIntervalMs(int ms);
    int logPollIntervalMs() const { return m_logPoll.interval(); }

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QWidget *buildOverview();
    QWidget *buildResources();
    QWidget *buildSecurity();
    void showOverview();
    void showResources();
    void applyInspect(const docker::ContainerInspect &inspect,
                      const security::AuditOptions &options);
    void startLogs();
    void stopLogs();
    void pollLogs();
    void applyPolledLogs(quint64 session, const Result<std::optional<QStringList>> &result);

    const StatsHistory *m_history;
    BackendLookup m_lookup;
    std::optional<boxes::BoxInfo> m_box;
    quint64 m_generation = 0;

    QTabWidget *m_tabs;
    QLabel *m_title;
    // Overview
    QLabel *m_state;
    QLabel *m_health;
    QLabel *m_where;
    QLabel *m_image;
    QLabel *m_owner;
    QLabel *m_url;
    QLabel *m_times;
    QTreeWidget *m_healthLog;
    QTreeWidget *m_labels;
    QTreeWidget *m_mounts;
    // Resources
    SparklineWidget *m_cpu;
    SparklineWidget *m_memory;
    SparklineWidget *m_network;
    SparklineWidget *m_blockIo;
    QLabel *m_pids;
    // Security
    FindingsModel *m_findings;
    QTableView *m_findingsView;
    QLabel *m_auditSummary;
    // Logs
    LogView *m_logs;
    QPointer<docker::LogStream> m_logStream;
    QPointer<policy::ActivityMarker> m_presence; // while a running box's log is followed
    QTimer m_logPoll;
    // The window of the last poll, kept while the same box is shown so that coming back to
    // the tab continues the log instead of repeating it.
    QStringList m_lastPolled;
    // Bumped by stopLogs(): an answer for an older session is dropped.
    quint64 m_logSession = 0;
    bool m_pollInFlight = false;
    bool m_logsActive = false;
    // Egress: the box's requests from the egress proxy's log, read when the tab is shown.
    EgressLogView *m_egress;
    // History: the box's records in the activity log, read when the tab is shown.
    ActivityView *m_activity;
};

} // namespace bc::ui
