#pragma once

#include "core/boxes/boxinfo.h"
#include "core/policy/boxpolicy.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QTimer>

namespace bc::ui {

// The box table: one row per BoxInfo, keyed by BoxInfo::key(). Fed typed values by the
// BoxMonitor (never JSON). Rows are inserted, removed and changed in place; a change emits
// dataChanged only for the columns and roles that changed, coalesced per event-loop turn
// so a stats tick for 1000 boxes costs a handful of signals, not thousands (the per-cell
// signal storm is what makes QStandardItemModel-style tables stutter).
class BoxListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BoxListModel)
public:
    enum Column {
        Name,
        Owner,
        Subdomain,
        State,
        Health,
        Cpu,
        Memory,
        Pids,
        Uptime,
        Backend,
        Image,
        Policy, // "idle stop in 12 min", "expires in 3 h", "deleted in 6 d"
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // raw value for sorting (numbers stay numbers)
        KeyRole,                     // BoxInfo::key()
        StateRole,                   // int(BoxInfo::State)
        HealthRole,                  // int(BoxInfo::Health)
        BackendIdRole,
        BoxRole, // the whole BoxInfo as QVariant
    };

    explicit BoxListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    [[nodiscard]] int rowOf(const QString &key) const { return m_rowByKey.value(key, -1); }
    [[nodiscard]] const boxes::BoxInfo *box(const QString &key) const;
    [[nodiscard]] const boxes::BoxInfo &boxAt(int row) const { return m_boxes.at(row); }
    [[nodiscard]] QList<boxes::BoxInfo> boxesList() const { return m_boxes; }

    // Replaces the contents by diffing (insert/update/remove), never by a reset.
    void setBoxes(const QList<boxes::BoxInfo> &boxes);
    // Inserts or updates.
    void upsertBox(const boxes::BoxInfo &box);
    // A stats tick: only the resource columns change.
    void updateResources(const QString &key, const boxes::BoxResources &resources);
    void removeBox(const QString &key);
    // Removes every row of one backend (it was unconfigured).
    void removeBackend(const QString &backendId);

    // A keep-alive the console set or read (core/policy/keepalive.h): the Policy column
    // counts it. Invalid forgets it.
    void setKeepAliveUntil(const QString &key, const QDateTime &until);

    // Emits pending dataChanged now instead of on the next event-loop turn.
    void flush();

    // Shared formatting, also used by the detail pane.
    static QString stateText(boxes::BoxInfo::State state);
    static QString healthText(boxes::BoxInfo::Health health);
    static QString formatBytes(qint64 bytes);
    static QString formatMemory(const boxes::BoxInfo &box);
    static QString formatUptime(const boxes::BoxInfo &box, const QDateTime &now);
    // "exited (137)", "OOM-killed", "running": the State column.
    static QString stateLabel(const boxes::BoxInfo &box);
    // What an exit code means: "killed (SIGKILL)", "exited with code 3"; empty while running.
    static QString exitExplanation(const boxes::BoxInfo &box);
    // Health as the list shows it: a stopped box with a check says "stopped (last: …)".
    static QString healthLabel(const boxes::BoxInfo &box);
    // Unhealthy, exited non-zero, OOM-killed, restarting, dead or failed.
    static bool needsAttention(const boxes::BoxInfo &box);
    // Health sort rank: unhealthy first.
    static int healthRank(const boxes::BoxInfo &box);
    // "docker · local", "docker · prod": the full endpoint goes to the tooltip.
    static QString shortBackend(const boxes::BoxInfo &box);
    // The subdomain label, or the one in the box's URL or Traefik rule (boxctl deploys).
    static QString subdomainOf(const boxes::BoxInfo &box);
    // The box's next policy action from its labels, by the policy service's own rule. The
    // agent's last activity is not known here, so an idle stop counts from the start (the
    // earliest it can come).
    static policy::PolicyDeadlines policyDeadlines(const boxes::BoxInfo &box, const QDateTime &now,
                                                   const QDateTime &keepAliveUntil = {});
    // The Policy column: empty when no policy applies.
    static QString policyText(const boxes::BoxInfo &box, const QDateTime &now,
                              const QDateTime &keepAliveUntil = {});
    // Sort keys, ascending, shared by SortRole and the proxy's typed comparison. Uptime:
    // longer uptime sorts later, stopped boxes first. Policy: the soonest action first, boxes
    // without one last.
    static qint64 uptimeSortKey(const boxes::BoxInfo &box);
    qint64 policySortKey(const boxes::BoxInfo &box) const;

private:
    using BoxInfo = boxes::BoxInfo;
    QVariant displayData(const BoxInfo &box, int column) const;
    QVariant sortData(const BoxInfo &box, int column) const;
    static quint32 changedColumns(const BoxInfo &a, const BoxInfo &b);
    static quint32 resourceColumns(const boxes::BoxResources &a, const boxes::BoxResources &b);
    int rowOfBox(const QString &backendId, const QString &id) const;
    void markDirty(int row, quint32 columns);
    void insertRow_(const BoxInfo &box);
    void removeRow_(int row);
    void refreshUptime();

    QList<BoxInfo> m_boxes;
    QHash<QString, int> m_rowByKey;
    // Per row, a bit per column changed since the last flush (0: clean); with the count and
    // the span of dirty rows, so a tick costs no hashing and no sorting.
    QList<quint32> m_dirtyMask;
    int m_dirtyCount = 0;
    int m_dirtyLo = 0;
    int m_dirtyHi = 0;
    int m_lastUpserted = -1;
    QTimer m_flushTimer;
    QTimer m_uptimeTimer;
    QHash<QString, QDateTime> m_keepAlive; // by BoxInfo::key()
};

} // namespace bc::ui
