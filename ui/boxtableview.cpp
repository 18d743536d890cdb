#include "ui/boxtableview.h"

#include "ui/celldelegate.h"
#include "ui/models/boxlistmodel.h"

#include <QHeaderView>

namespace bc::ui {

BoxTableView::BoxTableView(QWidget *parent)
    : QTableView(parent)
{
    setItemDelegate(new CellDelegate(this));
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setAlternatingRowColors(true);
    setShowGrid(false);
    setWordWrap(false);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setSectionsMovable(true);
    horizontalHeader()->setHighlightSections(false);
}

void BoxTableView::sizeColumns()
{
    const QFontMetrics fm = fontMetrics();
    const auto width = [&fm](const QString &sample) { return fm.horizontalAdvance(sample) + 36; };
    setColumnWidth(BoxListModel::Name, width(QStringLiteral("alice-dev-box-01")));
    setColumnWidth(BoxListModel::Subdomain, width(QStringLiteral("alice-dev-01")));
    setColumnWidth(BoxListModel::Backend, width(QStringLiteral("docker@unix:///var/run/docker")));
    setColumnWidth(BoxListModel::State, width(QStringLiteral("restarting")));
    setColumnWidth(BoxListModel::Health, width(QStringLiteral("unhealthy")));
    setColumnWidth(BoxListModel::Cpu, width(QStringLiteral("100.0 %")));
    setColumnWidth(BoxListModel::Memory, width(QStringLiteral("1023.9 MiB / 2.0 GiB")));
    setColumnWidth(BoxListModel::Pids, width(QStringLiteral("PIDs")));
    setColumnWidth(BoxListModel::Uptime, width(QStringLiteral("23 h 59 min")));
}

} // namespace bc::ui
