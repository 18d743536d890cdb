#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace bc::ui {

// Every alert the console raised, newest last, bounded: the history pane's model. Rows are
// appended and removed, never reset.
class AlertHistoryModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertHistoryModel)
public:
    enum Column { Time, Box, Alert, ColumnCount };
    struct Entry
    {
        QDateTime time;
        QString boxKey;
        QString box;
        QString kind; // killed, oom, terminated, exited, unhealthy, error
        QString text;
    };

    explicit AlertHistoryModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void append(const Entry &entry);
    void clear();
    const Entry &entryAt(int row) const { return m_entries.at(row); }
    static constexpr int MaxEntries = 2000;

private:
    QList<Entry> m_entries;
};

} // namespace bc::ui
