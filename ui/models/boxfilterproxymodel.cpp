#include "ui/models/boxfilterproxymodel.h"

#include "core/util/naturalorder.h"
#include "ui/models/boxlistmodel.h"

#include <limits>

namespace bc::ui {

using boxes::BoxInfo;

BoxFilterProxyModel::BoxFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(BoxListModel::SortRole);
    setDynamicSortFilter(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void BoxFilterProxyModel::setText(const QString &text)
{
    const QString t = text.trimmed();
    if (t == m_text)
        return;
    m_text = t;
    invalidateRowsFilter();
}

void BoxFilterProxyModel::setStateFilter(StateFilter filter)
{
    if (filter == m_state)
        return;
    m_state = filter;
    invalidateRowsFilter();
}

void BoxFilterProxyModel::setHealthFilter(HealthFilter filter)
{
    if (filter == m_health)
        return;
    m_health = filter;
    invalidateRowsFilter();
}

void BoxFilterProxyModel::setBackendFilter(const QString &backendId)
{
    if (backendId == m_backend)
        return;
    m_backend = backendId;
    invalidateRowsFilter();
}

bool BoxFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    auto *model = qobject_cast<const BoxListModel *>(sourceModel());
    if (!model || sourceParent.isValid())
        return true;
    const BoxInfo &box = model->boxAt(sourceRow);

    if (!m_backend.isEmpty() && box.backendId != m_backend)
        return false;

    using S = BoxInfo::State;
    switch (m_state) {
    case StateFilter::All:
        break;
    case StateFilter::Running:
        if (box.state != S::Running)
            return false;
        break;
    case StateFilter::Stopped:
        if (box.state != S::Exited && box.state != S::Created && box.state != S::Dead)
            return false;
        break;
    case StateFilter::Problem:
        // What support staff look for first: anything dead, failed, restarting or unhealthy.
        if (!BoxListModel::needsAttention(box))
            return false;
        break;
    }

    using H = BoxInfo::Health;
    switch (m_health) {
    case HealthFilter::All:
        break;
    case HealthFilter::Healthy:
        if (box.health != H::Healthy)
            return false;
        break;
    case HealthFilter::Unhealthy:
        if (box.health != H::Unhealthy)
            return false;
        break;
    case HealthFilter::Starting:
        if (box.health != H::Starting)
            return false;
        break;
    case HealthFilter::NoCheck:
        if (box.health != H::None && box.health != H::Unknown)
            return false;
        break;
    }

    if (m_text.isEmpty())
        return true;
    // Every word must match somewhere, so "alice running" narrows as expected.
    const auto words = QStringView(m_text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (QStringView word : words) {
        const bool hit = box.name.contains(word, Qt::CaseInsensitive) ||
                         box.subdomain.contains(word, Qt::CaseInsensitive) ||
                         box.owner.contains(word, Qt::CaseInsensitive) ||
                         box.image.contains(word, Qt::CaseInsensitive) ||
                         box.host.contains(word, Qt::CaseInsensitive) ||
                         box.id.startsWith(word, Qt::CaseInsensitive) ||
                         BoxListModel::stateText(box.state).startsWith(word, Qt::CaseInsensitive) ||
                         BoxListModel::healthText(box.health).startsWith(word, Qt::CaseInsensitive);
        if (!hit)
            return false;
    }
    return true;
}

void BoxFilterProxyModel::sort(int column, Qt::SortOrder order)
{
    freezeStats(column);
    QSortFilterProxyModel::sort(column, order);
}

void BoxFilterProxyModel::freezeStats(int column)
{
    m_frozen.clear();
    auto *model = qobject_cast<const BoxListModel *>(sourceModel());
    if (!model || (column != BoxListModel::Cpu && column != BoxListModel::Memory &&
                   column != BoxListModel::Pids))
        return;
    for (int r = 0; r < model->rowCount(); ++r) {
        const BoxInfo &b = model->boxAt(r);
        const double v = column == BoxListModel::Cpu      ? b.resources.cpuPercent
                         : column == BoxListModel::Memory ? double(b.resources.memoryUsage)
                                                          : double(b.resources.pids);
        m_frozen.insert(b.key(), v);
    }
}

void BoxFilterProxyModel::resortStats()
{
    const int column = sortColumn();
    if (column != BoxListModel::Cpu && column != BoxListModel::Memory &&
        column != BoxListModel::Pids)
        return;
    freezeStats(column);
    invalidate();
}

double BoxFilterProxyModel::frozen(const BoxInfo &box, double live) const
{
    // The order of the last sort: rows do not jump under the pointer on every stats tick.
    const auto it = m_frozen.constFind(box.key());
    return it == m_frozen.cend() ? live : *it;
}

bool BoxFilterProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    auto *model = qobject_cast<const BoxListModel *>(sourceModel());
    if (!model || left.column() != right.column())
        return QSortFilterProxyModel::lessThan(left, right);
    // Typed comparisons straight on the BoxInfo: a re-sort of 1000 rows after a stats tick
    // does ~10 000 comparisons, and a QVariant round trip each would dominate the tick.
    const BoxInfo &a = model->boxAt(left.row());
    const BoxInfo &b = model->boxAt(right.row());
    const auto byName = [&] {
        const int c = naturalCompare(a.name, b.name);
        return c != 0 ? c < 0 : a.key() < b.key();
    };
    const auto num = [&](auto x, auto y) { return x != y ? x < y : byName(); };
    switch (left.column()) {
    case BoxListModel::State:
        return num(int(a.state), int(b.state));
    case BoxListModel::Health:
        return num(BoxListModel::healthRank(a), BoxListModel::healthRank(b));
    case BoxListModel::Cpu:
        return num(frozen(a, a.resources.cpuPercent), frozen(b, b.resources.cpuPercent));
    case BoxListModel::Memory:
        return num(frozen(a, double(a.resources.memoryUsage)),
                   frozen(b, double(b.resources.memoryUsage)));
    case BoxListModel::Pids:
        return num(frozen(a, double(a.resources.pids)), frozen(b, double(b.resources.pids)));
    case BoxListModel::Uptime:
        return num(BoxListModel::uptimeSortKey(a), BoxListModel::uptimeSortKey(b));
    case BoxListModel::Policy:
        return num(model->policySortKey(a), model->policySortKey(b));
    case BoxListModel::Name:
        return byName();
    default: {
        const int c =
            naturalCompare(left.data(sortRole()).toString(), right.data(sortRole()).toString());
        return c != 0 ? c < 0 : byName();
    }
    }
}

} // namespace bc::ui
