#include "ui/models/findingsmodel.h"

#include "ui/statusicons.h"

#include <QFont>

#include <algorithm>

namespace bc::ui {

FindingsModel::FindingsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int FindingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int FindingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString FindingsModel::severityText(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return tr("info");
    case Severity::Low:
        return tr("low");
    case Severity::Medium:
        return tr("medium");
    case Severity::High:
        return tr("high");
    case Severity::Critical:
        return tr("critical");
    }
    return {};
}

static Tone severityTone(FindingsModel::Severity severity)
{
    using S = FindingsModel::Severity;
    switch (severity) {
    case S::Critical:
    case S::High:
        return Tone::Bad;
    case S::Medium:
        return Tone::Warning;
    case S::Low:
        return Tone::Busy;
    case S::Info:
        break;
    }
    return Tone::Neutral;
}

QVariant FindingsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item &item = m_items.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return severityText(item.severity);
        case CheckColumn:
            return item.check;
        case MessageColumn:
            return item.message;
        case DetailColumn:
            return item.actual;
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == SeverityColumn)
            return toneIcon(severityTone(item.severity));
        return {};
    case Qt::FontRole:
        if (index.column() == SeverityColumn && item.severity >= Severity::High) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::ToolTipRole:
        if (item.expected.isEmpty() && item.actual.isEmpty())
            return item.message;
        if (item.expected.isEmpty())
            return QString(item.message + QLatin1Char('\n') + item.actual);
        return tr("%1\nexpected: %2\nactual: %3").arg(item.message, item.expected, item.actual);
    case SortRole:
        if (index.column() == SeverityColumn)
            return int(item.severity);
        return data(index, Qt::DisplayRole);
    case SeverityRole:
        return int(item.severity);
    default:
        return {};
    }
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case CheckColumn:
        return tr("Check");
    case MessageColumn:
        return tr("Finding");
    case DetailColumn:
        return tr("Detail");
    }
    return {};
}

void FindingsModel::setFindings(QList<Item> items)
{
    // Worst first: what needs attention is on top without sorting.
    std::stable_sort(items.begin(), items.end(),
                     [](const Item &a, const Item &b) { return a.severity > b.severity; });
    beginResetModel();
    m_items = std::move(items);
    endResetModel();
}

int FindingsModel::count(Severity atLeast) const
{
    return int(std::count_if(m_items.cbegin(), m_items.cend(),
                             [atLeast](const Item &i) { return i.severity >= atLeast; }));
}

} // namespace bc::ui
