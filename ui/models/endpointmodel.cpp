#include "ui/models/endpointmodel.h"

namespace bc::ui {

EndpointModel::EndpointModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int EndpointModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int EndpointModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EndpointModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item &item = m_items.at(index.row());
    switch (index.column()) {
    case EnabledColumn:
        if (role == Qt::CheckStateRole)
            return item.enabled ? Qt::Checked : Qt::Unchecked;
        return {};
    case UrlColumn:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
            return item.url;
        return {};
    case SourceColumn:
        if (role == Qt::DisplayRole)
            return item.source;
        return {};
    }
    return {};
}

bool EndpointModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        index.column() != EnabledColumn || role != Qt::CheckStateRole)
        return false;
    const bool enabled = value.toInt() == Qt::Checked;
    if (m_items[index.row()].enabled == enabled)
        return true;
    m_items[index.row()].enabled = enabled;
    emit dataChanged(index, index, {Qt::CheckStateRole});
    return true;
}

Qt::ItemFlags EndpointModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == EnabledColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant EndpointModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case EnabledColumn:
        return tr("Use");
    case UrlColumn:
        return tr("Endpoint");
    case SourceColumn:
        return tr("Source");
    }
    return {};
}

int EndpointModel::rowOf(const QString &url) const
{
    for (int i = 0; i < m_items.size(); ++i) {
        if (m_items.at(i).url == url)
            return i;
    }
    return -1;
}

void EndpointModel::addEndpoint(const Item &item)
{
    const int row = rowOf(item.url);
    if (row >= 0) {
        Item &existing = m_items[row];
        existing.enabled = existing.enabled || item.enabled;
        if (!item.userAdded && existing.userAdded) {
            existing.source = item.source; // discovered after all: no longer removable
            existing.userAdded = false;
        }
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1),
                         {Qt::DisplayRole, Qt::CheckStateRole});
        return;
    }
    const int at = int(m_items.size());
    beginInsertRows({}, at, at);
    m_items.append(item);
    endInsertRows();
}

bool EndpointModel::removeEndpoint(int row)
{
    if (row < 0 || row >= m_items.size() || !m_items.at(row).userAdded)
        return false;
    beginRemoveRows({}, row, row);
    m_items.removeAt(row);
    endRemoveRows();
    return true;
}

QStringList EndpointModel::enabledUrls() const
{
    QStringList out;
    for (const Item &i : m_items) {
        if (i.enabled)
            out << i.url;
    }
    return out;
}

} // namespace bc::ui
