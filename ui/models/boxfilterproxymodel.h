#pragma once

#include "core/boxes/boxinfo.h"

#include <QHash>
#include <QSortFilterProxyModel>

namespace bc::ui {

// Filters the box table by free text (name, subdomain, owner, image, host) and by state
// group, health and backend; sorts on BoxListModel::SortRole so CPU and memory sort as
// numbers, not as "9.5 %" > "10.0 %".
class BoxFilterProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BoxFilterProxyModel)
public:
    enum class StateFilter { All, Running, Stopped, Problem };
    enum class HealthFilter { All, Healthy, Unhealthy, Starting, NoCheck };

    explicit BoxFilterProxyModel(QObject *parent = nullptr);

    void setText(const QString &text);
    void setStateFilter(StateFilter filter);
    void setHealthFilter(HealthFilter filter);
    void setBackendFilter(const QString &backendId); // empty = all

    QString text() const { return m_text; }
    StateFilter stateFilter() const { return m_state; }
    HealthFilter healthFilter() const { return m_health; }
    QString backendFilter() const { return m_backend; }

    // Sorting by CPU, memory or PIDs uses the figures of the moment of the sort: the rows
    // keep their places through stats ticks until resortStats() (F5) or the next sort.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    void resortStats();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void freezeStats(int column);
    double frozen(const boxes::BoxInfo &box, double live) const;

    QHash<QString, double> m_frozen;
    QString m_text;
    StateFilter m_state = StateFilter::All;
    HealthFilter m_health = HealthFilter::All;
    QString m_backend;
};

} // namespace bc::ui
