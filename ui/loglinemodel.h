#pragma once

#include <QAbstractListModel>
#include <QStringList>

namespace bc::ui {

class LogStore;

// A list model over a LogStore that shows what the store held at the last sync(): new
// lines appear and dropped ones disappear only then, so the owner decides how often the
// view relayouts (a chatty box is synced a few times a second, a paused view not at all).
// When the store's cap has dropped lines, row 0 is a marker that says how many.
class LogLineModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogLineModel)
public:
    enum Role { StderrRole = Qt::UserRole + 1, FullTextRole, MarkerRole, SequenceRole };
    static constexpr int DisplayLimit = 2000; // characters shown per line

    explicit LogLineModel(LogStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    // Catches up with the store; returns how many rows were removed from the top.
    int sync();
    void reset(); // after the store was cleared

    bool hasMarker() const { return m_marker; }
    qint64 droppedLines() const { return m_markerCount; }
    qint64 sequenceAt(int row) const; // -1 for the marker
    int rowOf(qint64 sequence) const; // -1 when not shown
    QString lineAt(int row) const;
    // Every shown line; for small logs and tests (a large log is saved through the store).
    QStringList allLines() const;

private:
    LogStore *m_store;
    qint64 m_first = 0; // shown: [m_first, m_end)
    qint64 m_end = 0;
    bool m_marker = false;
    qint64 m_markerCount = 0; // what the marker says, changed only with dataChanged
};

} // namespace bc::ui
