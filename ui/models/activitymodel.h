#pragma once

#include "core/activity/activitylog.h"

#include <QAbstractTableModel>
#include <QList>
#include <QTimer>

namespace bc::ui {

// The activity log as a table, oldest first: the Activity view's and the detail pane's
// History model. Reads run on a worker thread; refresh() appends only the records written
// since the last read (rows are inserted, never reset, unless the filter changes), and a
// read that finishes after the filter changed is dropped.
class ActivityModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ActivityModel)
public:
    enum Column { Time, Actor, Action, Box, Result, Backend, Details, ColumnCount };
    enum Role { SeqRole = Qt::UserRole, ResultRole };
    // The newest records a filter loads at first; later records are appended to them.
    static constexpr int InitialLimit = 5000;

    // A null log means ActivityLog::instance().
    explicit ActivityModel(activity::ActivityLog *log = nullptr, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Empties the model and reads the records that match (the newest InitialLimit).
    void setFilter(const activity::ActivityFilter &filter);
    const activity::ActivityFilter &filter() const { return m_filter; }
    // Reads the records written since the last read and appends them.
    void refresh();
    // Empties the model; nothing is read until the next setFilter().
    void clear();
    // refresh() every intervalMs (0 stops): while a view shows the model.
    void setAutoRefresh(int intervalMs);

    const activity::ActivityRecord &recordAt(int row) const { return m_records.at(row); }
    QString lastError() const { return m_lastError; }

signals:
    // A read finished (rows may or may not have been added).
    void loaded();

private:
    void apply(quint64 generation, const bc::Result<QList<activity::ActivityRecord>> &records);

    activity::ActivityLog *m_log;
    activity::ActivityFilter m_filter;
    QList<activity::ActivityRecord> m_records;
    quint64 m_generation = 0;
    bool m_reading = false;
    bool m_again = false;
    bool m_active = false;
    QString m_lastError;
    QTimer m_timer;
};

} // namespace bc::ui
