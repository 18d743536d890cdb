#include "ui/models/endpointmodel.h"

#include "ui/statusicons.h"

#include <QFont>

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

bool EndpointModel::isCheckable(const Item &item) const
{
    // Added URLs are in use until removed: an unticked one would be lost on apply, as the
    // settings keep only the URLs in use. A broken context stays tickable while ticked, so
    // a stale choice can still be switched off.
    return !item.userAdded && (item.error.isEmpty() || item.enabled);
}

QVariant EndpointModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item &item = m_items.at(index.row());
    switch (role) {
    case ErrorRole:
        return item.error;
    case ContextRole:
        return item.context;
    case CurrentRole:
        return item.current;
    case UserAddedRole:
        return item.userAdded;
    default:
        break;
    }
    switch (index.column()) {
    case EnabledColumn:
        if (role == Qt::CheckStateRole)
            return item.enabled ? Qt::Checked : Qt::Unchecked;
        if (role == Qt::ToolTipRole) {
            if (item.userAdded)
                return tr("Added engines are always shown; remove one to stop using it.");
            return isCheckable(item) ? tr("Show this engine's boxes in the console")
                                     : tr("This context cannot be used: %1").arg(item.error);
        }
        return {};
    case NameColumn:
        if (role == Qt::DisplayRole) {
            if (!item.context.isEmpty())
                return item.context;
            return item.userAdded || item.error.isEmpty() ? QString() : tr("(unreadable)");
        }
        if (role == Qt::ToolTipRole)
            return item.description;
        if (role == Qt::FontRole && item.current) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case UrlColumn:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
            return item.url;
        return {};
    case SourceColumn:
        if (role == Qt::DisplayRole) {
            if (!item.error.isEmpty())
                return item.error;
            if (item.current)
                return tr("%1, current").arg(item.source);
            return item.source;
        }
        if (role == Qt::ToolTipRole) {
            if (!item.error.isEmpty())
                return item.error;
            if (item.current)
                return tr("The docker CLI uses this context now (docker context use)");
            return {};
        }
        if (role == Qt::DecorationRole) {
            if (!item.error.isEmpty())
                return toneIcon(Tone::Bad);
            if (item.current)
                return toneIcon(Tone::Good);
        }
        return {};
    }
    return {};
}

bool EndpointModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        index.column() != EnabledColumn || role != Qt::CheckStateRole)
        return false;
    Item &item = m_items[index.row()];
    if (!isCheckable(item))
        return false;
    const bool enabled = value.toInt() == Qt::Checked;
    if (item.enabled == enabled)
        return true;
    item.enabled = enabled;
    // A broken row may lose its check box once unticked.
    emit dataChanged(index, index, {Qt::CheckStateRole, Qt::ToolTipRole});
    return true;
}

Qt::ItemFlags EndpointModel::flags(const QModelIndex &index) const
{
    // Views ask for the root's flags: no checkIndex() warning for that.
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    const Item &item = m_items.at(index.row());
    Qt::ItemFlags f = Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() != EnabledColumn || isCheckable(item))
        f |= Qt::ItemIsEnabled;
    if (index.column() == EnabledColumn && isCheckable(item))
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant EndpointModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == EnabledColumn)
        return tr("Show the engine's boxes in the console");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case EnabledColumn:
        return tr("Show");
    case NameColumn:
        return tr("Context");
    case UrlColumn:
        return tr("Endpoint");
    case SourceColumn:
        return tr("Source");
    }
    return {};
}

void EndpointModel::setTestResult(const QString &url, const QString &source, const QString &error)
{
    const int row = rowOf(url);
    if (row < 0)
        return;
    Item &item = m_items[row];
    item.source = source;
    item.error = error;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int EndpointModel::rowOf(const QString &url) const
{
    for (int i = 0; i < m_items.size(); ++i) {
        if (m_items.at(i).url == url)
            return i;
    }
    return -1;
}

int EndpointModel::rowOfContext(const QString &name) const
{
    for (int i = 0; i < m_items.size(); ++i) {
        if (!name.isEmpty() && m_items.at(i).context == name)
            return i;
    }
    return -1;
}

void EndpointModel::addEndpoint(const Item &item)
{
    const int row = item.context.isEmpty() ? rowOf(item.url) : rowOfContext(item.context);
    if (row >= 0) {
        Item &existing = m_items[row];
        existing.enabled = existing.enabled || item.enabled;
        if (!item.userAdded && existing.userAdded) {
            existing.source = item.source; // discovered after all: no longer removable
            existing.userAdded = false;
        }
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    // Contexts stay above the added URLs.
    int at = int(m_items.size());
    if (!item.userAdded) {
        at = 0;
        while (at < m_items.size() && !m_items.at(at).userAdded)
            ++at;
    }
    beginInsertRows({}, at, at);
    m_items.insert(at, item);
    endInsertRows();
}

void EndpointModel::setContexts(const QList<Item> &contexts)
{
    int discovered = 0;
    while (discovered < m_items.size() && !m_items.at(discovered).userAdded)
        ++discovered;
    // Added rows are never interleaved with context rows (addEndpoint keeps them apart).
    if (discovered > 0) {
        beginRemoveRows({}, 0, discovered - 1);
        m_items.remove(0, discovered);
        endRemoveRows();
    }
    if (contexts.isEmpty())
        return;
    beginInsertRows({}, 0, int(contexts.size()) - 1);
    for (qsizetype i = 0; i < contexts.size(); ++i) {
        Item item = contexts.at(i);
        item.userAdded = false;
        m_items.insert(i, item);
    }
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

QStringList EndpointModel::enabledContexts() const
{
    QStringList out;
    for (const Item &i : m_items) {
        if (i.enabled && !i.context.isEmpty())
            out << i.context;
    }
    return out;
}

QStringList EndpointModel::addedUrls() const
{
    QStringList out;
    for (const Item &i : m_items) {
        if (i.userAdded)
            out << i.url;
    }
    return out;
}

} // namespace bc::ui
