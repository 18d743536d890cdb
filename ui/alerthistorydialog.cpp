#include "ui/alerthistorydialog.h"

#include "ui/models/alerthistorymodel.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace bc::ui {

AlertHistoryDialog::AlertHistoryDialog(AlertHistoryModel *model, QWidget *parent)
    : QDialog(parent)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_view(new QTableView(this))
{
    setWindowTitle(tr("Alert history"));
    m_proxy->setSourceModel(model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setPlaceholderText(tr("Filter alerts: box name or text"));
    m_filter->setAccessibleName(tr("Filter alerts"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);

    m_view->setModel(m_proxy);
    m_view->setAccessibleName(tr("Alerts"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setTabKeyNavigation(false);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(AlertHistoryModel::Time, Qt::DescendingOrder);
    m_view->setColumnWidth(AlertHistoryModel::Time,
                           fontMetrics().horizontalAdvance(QStringLiteral("2026-12-31 23:59:59")) +
                               24);
    m_view->setColumnWidth(AlertHistoryModel::Box, 200);

    auto *count = new QLabel(this);
    const auto updateCount = [this, count] {
        count->setText(
            tr("%1 of %2 alerts shown").arg(m_proxy->rowCount()).arg(m_model->rowCount()));
    };
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, updateCount);
    updateCount();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_clear = buttons->addButton(tr("C&lear history"), QDialogButtonBox::ResetRole);
    connect(m_clear, &QPushButton::clicked, m_model, &AlertHistoryModel::clear);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    layout->addWidget(count);
    layout->addWidget(buttons);
    resize(760, 420);
}

int AlertHistoryDialog::shownCount() const
{
    return m_proxy->rowCount();
}

} // namespace bc::ui
