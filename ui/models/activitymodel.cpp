#include "ui/models/activitymodel.h"

#include "core/util/futureutil.h"
#include "ui/statusicons.h"

#include <QLocale>
#include <QtConcurrent>

namespace bc::ui {

using activity::ActivityFilter;
using activity::ActivityLog;
using activity::ActivityRecord;

ActivityModel::ActivityModel(ActivityLog *log, QObject *parent)
    : QAbstractTableModel(parent)
    , m_log(log ? log : &ActivityLog::instance())
{
    connect(&m_timer, &QTimer::timeout, this, &ActivityModel::refresh);
}

int ActivityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int ActivityModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

static QString details(const ActivityRecord &r)
{
    if (!r.error.isEmpty())
        return r.error;
    if (r.params.empty())
        return {};
    return QString::fromUtf8(util::json::dump(r.params));
}

QVariant ActivityModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ActivityRecord &r = m_records.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Time:
            return QLocale().toString(r.time.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case Actor:
            return r.actor;
        case Action:
            return r.action;
        case Box:
            return r.box;
        case Result:
            return r.result;
        case Backend:
            return r.backend;
        case Details:
            return details(r);
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Time)
            return r.time.toUTC().toString(Qt::ISODateWithMs);
        if (index.column() == Details) {
            QStringList lines;
            if (!r.error.isEmpty())
                lines << r.error;
            if (!r.params.empty())
                lines << QString::fromUtf8(util::json::dump(r.params, 4));
            return lines.join(QLatin1Char('\n'));
        }
        return data(index, Qt::DisplayRole);
    }
    if (role == Qt::DecorationRole && index.column() == Result) {
        if (r.result == activity::results::ok())
            return toneIcon(Tone::Good);
        return toneIcon(r.result == activity::results::refused() ? Tone::Warning : Tone::Bad);
    }
    if (role == SeqRole)
        return r.seq;
    if (role == ResultRole)
        return r.result;
    return {};
}

QVariant ActivityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Actor:
        return tr("Actor");
    case Action:
        return tr("Action");
    case Box:
        return tr("Box");
    case Result:
        return tr("Result");
    case Backend:
        return tr("Backend");
    case Details:
        return tr("Details");
    default:
        return {};
    }
}

void ActivityModel::setFilter(const ActivityFilter &filter)
{
    m_filter = filter;
    m_filter.afterSeq = 0;
    m_filter.limit = 0;
    ++m_generation;
    m_again = false;
    m_lastError.clear();
    if (!m_records.isEmpty()) {
        beginRemoveRows({}, 0, int(m_records.size()) - 1);
        m_records.clear();
        endRemoveRows();
    }
    m_reading = false; // an older read's answer is dropped by the generation
    m_active = true;
    refresh();
}

void ActivityModel::clear()
{
    ++m_generation;
    m_active = false;
    m_reading = false;
    m_again = false;
    if (!m_records.isEmpty()) {
        beginRemoveRows({}, 0, int(m_records.size()) - 1);
        m_records.clear();
        endRemoveRows();
    }
}

void ActivityModel::refresh()
{
    if (!m_active)
        return;
    if (m_reading) { // one read at a time; the next one starts when it is back
        m_again = true;
        return;
    }
    m_reading = true;
    const bool initial = m_records.isEmpty();
    ActivityFilter f = m_filter;
    f.afterSeq = initial ? 0 : m_records.last().seq;
    f.limit = initial ? InitialLimit : 0;
    ActivityLog *log = m_log;
    const quint64 generation = m_generation;
    onFinished(QtConcurrent::run([log, f] { return log->query(f); }), this,
               [this, generation](const bc::Result<QList<ActivityRecord>> &records) {
                   apply(generation, records);
               });
}

void ActivityModel::apply(quint64 generation, const bc::Result<QList<ActivityRecord>> &records)
{
    if (generation != m_generation)
        return;
    m_reading = false;
    if (!records) {
        m_lastError = records.error().toString();
    } else {
        m_lastError.clear();
        // Records a read started before an earlier one finished could repeat: keep order.
        QList<ActivityRecord> fresh;
        const qint64 last = m_records.isEmpty() ? 0 : m_records.last().seq;
        for (const ActivityRecord &r : records.value())
            if (r.seq > last)
                fresh << r;
        if (!fresh.isEmpty()) {
            const int first = int(m_records.size());
            beginInsertRows({}, first, first + int(fresh.size()) - 1);
            m_records += fresh;
            endInsertRows();
        }
    }
    emit loaded();
    if (m_again) {
        m_again = false;
        refresh();
    }
}

void ActivityModel::setAutoRefresh(int intervalMs)
{
    if (intervalMs <= 0)
        m_timer.stop();
    else
        m_timer.start(intervalMs);
}

} // namespace bc::ui
