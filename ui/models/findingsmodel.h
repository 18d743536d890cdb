#pragma once

#include <QAbstractTableModel>
#include <QList>

namespace bc::ui {

// Security audit findings of one box (a drift from the hardening profile per row).
class FindingsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FindingsModel)
public:
    enum class Severity { Info, Low, Medium, High, Critical };
    struct Item
    {
        Severity severity = Severity::Info;
        QString check;   // short id, e.g. "cap-add" or "CIS 5.12"
        QString message; // what is wrong
        QString expected;
        QString actual;
    };
    enum Column { SeverityColumn, CheckColumn, MessageColumn, DetailColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, SeverityRole };

    explicit FindingsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // A new audit replaces the old one (another box, or a re-run).
    void setFindings(QList<Item> items);
    const QList<Item> &findings() const { return m_items; }
    int count(Severity atLeast) const;

    static QString severityText(Severity severity);

private:
    QList<Item> m_items;
};

} // namespace bc::ui
