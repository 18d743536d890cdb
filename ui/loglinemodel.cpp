#include "ui/loglinemodel.h"

#include "ui/logstore.h"
#include "ui/statusicons.h"

#include <QFont>
#include <QLocale>

namespace bc::ui {

LogLineModel::LogLineModel(LogStore *store, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
{}

int LogLineModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return int(m_end - m_first) + (hasMarker() ? 1 : 0);
}

qint64 LogLineModel::sequenceAt(int row) const
{
    if (hasMarker()) {
        if (row == 0)
            return -1;
        --row;
    }
    return row >= 0 && row < m_end - m_first ? m_first + row : -1;
}

int LogLineModel::rowOf(qint64 sequence) const
{
    if (sequence < m_first || sequence >= m_end)
        return -1;
    return int(sequence - m_first) + (hasMarker() ? 1 : 0);
}

QString LogLineModel::lineAt(int row) const
{
    const qint64 seq = sequenceAt(row);
    return seq < 0 ? QString() : QString::fromUtf8(m_store->line(seq));
}

QStringList LogLineModel::allLines() const
{
    QStringList out;
    out.reserve(int(m_end - m_first));
    for (qint64 seq = m_first; seq < m_end; ++seq)
        out.append(QString::fromUtf8(m_store->line(seq)));
    return out;
}

QVariant LogLineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const qint64 seq = sequenceAt(index.row());
    if (seq < 0) {
        switch (role) {
        case Qt::DisplayRole:
        case FullTextRole:
            return tr("⋯ %1 older lines dropped: this view keeps the newest %2 lines or %3 MiB "
                      "of text")
                .arg(QLocale().toString(m_markerCount), QLocale().toString(m_store->maxLines()),
                     QString::number(m_store->maxBytes() / (1024 * 1024)));
        case MarkerRole:
            return true;
        case SequenceRole:
            return -1;
        case Qt::ForegroundRole:
            return QVariant::fromValue(toneColor(Tone::Warning));
        case Qt::FontRole: {
            QFont f;
            f.setItalic(true);
            return f;
        }
        default:
            return {};
        }
    }
    switch (role) {
    case Qt::DisplayRole: {
        const QByteArrayView bytes = m_store->line(seq);
        // Decoding 4x the limit in bytes is enough for any UTF-8 to reach the limit.
        if (bytes.size() <= DisplayLimit)
            return QString::fromUtf8(bytes);
        const QString text =
            QString::fromUtf8(bytes.first(std::min<qsizetype>(bytes.size(), 4 * DisplayLimit)));
        if (text.size() <= DisplayLimit && bytes.size() <= 4 * DisplayLimit)
            return text;
        const QString full = QString::fromUtf8(bytes);
        return QString(full.left(DisplayLimit) +
                       tr(" … [%n more characters]", nullptr, int(full.size() - DisplayLimit)));
    }
    case FullTextRole:
        return QString::fromUtf8(m_store->line(seq));
    case StderrRole:
        return m_store->isStderr(seq);
    case MarkerRole:
        return false;
    case SequenceRole:
        return seq;
    case Qt::ToolTipRole:
        return m_store->isStderr(seq) ? tr("stderr") : QVariant();
    case Qt::ForegroundRole:
        // stderr stands out in both themes; the tooltip says it in words.
        return m_store->isStderr(seq) ? QVariant::fromValue(toneColor(Tone::Bad)) : QVariant();
    default:
        return {};
    }
}

int LogLineModel::sync()
{
    const qint64 first = m_store->firstSeq();
    const qint64 end = m_store->endSeq();
    int removed = 0;
    if (first > m_first) {
        const qint64 gone = std::min(first, m_end) - m_first;
        if (gone > 0) {
            const int top = m_marker ? 1 : 0;
            beginRemoveRows({}, top, top + int(gone) - 1);
            m_first += gone;
            endRemoveRows();
            removed = int(gone);
        }
        // Lines dropped before they were ever shown count as well (nothing is shown
        // between them, so no rows change).
        m_first = first;
        m_end = std::max(m_end, first);
        if (!m_marker) {
            beginInsertRows({}, 0, 0);
            m_marker = true;
            m_markerCount = first;
            endInsertRows();
        } else {
            m_markerCount = first;
            emit dataChanged(index(0), index(0));
        }
    }
    if (end > m_end) {
        const int row = rowCount();
        beginInsertRows({}, row, row + int(end - m_end) - 1);
        m_end = end;
        endInsertRows();
    }
    return removed;
}

void LogLineModel::reset()
{
    beginResetModel();
    m_first = m_store->firstSeq();
    m_end = m_store->endSeq();
    m_marker = m_first > 0;
    m_markerCount = m_first;
    endResetModel();
}

} // namespace bc::ui
