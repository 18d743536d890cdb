#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>
#include <QStringList>

namespace bc::ui {

// Lines of a box's log (or a build log) in a bounded buffer: when full, the oldest lines
// are removed before new ones are inserted (qBittorrent's BaseLogModel order, so views
// never see ghost rows). Very long lines are kept whole for saving but shown shortened:
// one 90 000-character line must not freeze the view.
class LogModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogModel)
public:
    enum Role { StderrRole = Qt::UserRole + 1, FullTextRole };
    static constexpr int DefaultCapacity = 10000;
    static constexpr int DisplayLimit = 2000; // characters shown per line

    explicit LogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    void setCapacity(int lines);
    int capacity() const { return m_capacity; }

    // Appends complete lines; returns how many old lines were dropped to make room.
    int appendLines(const QStringList &lines, bool stderrStream = false);
    // Splits raw stream text into lines, keeping a partial last line until it completes.
    int appendText(const QString &text, bool stderrStream = false);
    void clear();

    QString lineAt(int row) const;
    QStringList allLines() const;
    // Next row at or after `from` (wrapping) whose text contains `needle`; -1 if none.
    int find(const QString &needle, int from, bool backwards = false) const;

signals:
    // Rows dropped from the top: the view uses it to hold the reader's position.
    void linesDropped(int count);

private:
    struct Line
    {
        QString text;
        bool stderrStream = false;
    };
    // A ring: m_lines[(m_head + row) % capacity].
    const Line &at(int row) const { return m_lines.at((m_head + row) % m_lines.size()); }

    QList<Line> m_lines;
    int m_head = 0;
    int m_count = 0;
    int m_capacity = DefaultCapacity;
    QString m_partial[2];
};

} // namespace bc::ui
