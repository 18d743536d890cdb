#include "ui/models/logmodel.h"

#include "ui/statusicons.h"

#include <algorithm>

namespace bc::ui {

LogModel::LogModel(QObject *parent)
    : QAbstractListModel(parent)
{}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Line &line = at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (line.text.size() > DisplayLimit)
            return QString(line.text.left(DisplayLimit) + tr(" … [%n more characters]", nullptr,
                                                             int(line.text.size() - DisplayLimit)));
        return line.text;
    case FullTextRole:
        return line.text;
    case StderrRole:
        return line.stderrStream;
    case Qt::ToolTipRole:
        return line.stderrStream ? tr("stderr") : QVariant();
    case Qt::ForegroundRole:
        // stderr stands out in both themes; the tooltip says it in words.
        return line.stderrStream ? QVariant::fromValue(toneColor(Tone::Bad)) : QVariant();
    default:
        return {};
    }
}

void LogModel::setCapacity(int lines)
{
    lines = std::max(1, lines);
    if (lines == m_capacity)
        return;
    // Rebuilding is rare (a settings change); keep the newest lines.
    const QStringList keep = allLines();
    QList<bool> streams;
    for (int i = 0; i < m_count; ++i)
        streams.append(at(i).stderrStream);
    beginResetModel();
    m_capacity = lines;
    m_lines.clear();
    m_head = 0;
    m_count = 0;
    const int first = std::max(0, int(keep.size()) - lines);
    for (int i = first; i < keep.size(); ++i)
        m_lines.append(Line{keep.at(i), streams.at(i)});
    m_count = int(m_lines.size());
    endResetModel();
}

int LogModel::appendLines(const QStringList &lines, bool stderrStream)
{
    if (lines.isEmpty())
        return 0;
    // Only the newest `capacity` lines of a huge batch can survive anyway.
    const int skip = std::max(0, int(lines.size()) - m_capacity);
    const int incoming = int(lines.size()) - skip;
    const int overflow = std::max(0, m_count + incoming - m_capacity);
    if (overflow > 0) {
        beginRemoveRows({}, 0, overflow - 1);
        if (m_lines.size() == m_capacity) {
            m_head = (m_head + overflow) % m_capacity;
        } else {
            m_lines.remove(0, overflow); // still growing: plain list, head is 0
        }
        m_count -= overflow;
        endRemoveRows();
    }
    beginInsertRows({}, m_count, m_count + incoming - 1);
    for (int i = skip; i < lines.size(); ++i) {
        Line line{lines.at(i), stderrStream};
        if (m_lines.size() < m_capacity) {
            m_lines.append(std::move(line));
        } else {
            m_lines[(m_head + m_count) % m_capacity] = std::move(line);
        }
        ++m_count;
    }
    endInsertRows();
    if (overflow > 0)
        emit linesDropped(overflow);
    return overflow;
}

int LogModel::appendText(const QString &text, bool stderrStream)
{
    QString &partial = m_partial[stderrStream ? 1 : 0];
    QString buffer = partial + text;
    QStringList lines = buffer.split(QLatin1Char('\n'));
    partial = lines.takeLast();
    for (QString &l : lines) {
        if (l.endsWith(QLatin1Char('\r')))
            l.chop(1);
    }
    return appendLines(lines, stderrStream);
}

void LogModel::clear()
{
    beginResetModel();
    m_lines.clear();
    m_head = 0;
    m_count = 0;
    m_partial[0].clear();
    m_partial[1].clear();
    endResetModel();
}

QString LogModel::lineAt(int row) const
{
    return row >= 0 && row < m_count ? at(row).text : QString();
}

QStringList LogModel::allLines() const
{
    QStringList out;
    out.reserve(m_count);
    for (int i = 0; i < m_count; ++i)
        out.append(at(i).text);
    return out;
}

int LogModel::find(const QString &needle, int from, bool backwards) const
{
    if (needle.isEmpty() || m_count == 0)
        return -1;
    from = std::clamp(from, 0, m_count - 1);
    for (int n = 0; n < m_count; ++n) {
        const int row = backwards ? (from - n + m_count) % m_count : (from + n) % m_count;
        if (at(row).text.contains(needle, Qt::CaseInsensitive))
            return row;
    }
    return -1;
}

} // namespace bc::ui
