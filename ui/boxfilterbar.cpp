#include "ui/boxfilterbar.h"

#include "core/boxes/boxbackend.h"
#include "ui/models/boxfilterproxymodel.h"
#include "ui/models/boxlistmodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QShortcut>
#include <QTableView>

namespace bc::ui {

BoxFilterBar::BoxFilterBar(BoxFilterProxyModel *proxy, QWidget *parent)
    : QWidget(parent)
    , m_proxy(proxy)
    , m_filter(new QLineEdit(this))
    , m_stateFilter(new QComboBox(this))
    , m_healthFilter(new QComboBox(this))
    , m_backendFilter(new QComboBox(this))
{
    m_filter->setPlaceholderText(
        tr("Filter boxes: name, subdomain, owner, image, host… (Ctrl+F or /)"));
    m_filter->setClearButtonEnabled(true);
    m_stateFilter->addItem(tr("All states"), int(BoxFilterProxyModel::StateFilter::All));
    m_stateFilter->addItem(tr("Running"), int(BoxFilterProxyModel::StateFilter::Running));
    m_stateFilter->addItem(tr("Stopped"), int(BoxFilterProxyModel::StateFilter::Stopped));
    m_stateFilter->addItem(tr("Needs attention"), int(BoxFilterProxyModel::StateFilter::Problem));
    m_healthFilter->addItem(tr("Any health"), int(BoxFilterProxyModel::HealthFilter::All));
    m_healthFilter->addItem(tr("Healthy"), int(BoxFilterProxyModel::HealthFilter::Healthy));
    m_healthFilter->addItem(tr("Unhealthy"), int(BoxFilterProxyModel::HealthFilter::Unhealthy));
    m_healthFilter->addItem(tr("Starting"), int(BoxFilterProxyModel::HealthFilter::Starting));
    m_healthFilter->addItem(tr("No check"), int(BoxFilterProxyModel::HealthFilter::NoCheck));
    m_backendFilter->addItem(tr("All backends"), QString());
    m_backendFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_filter->setAccessibleName(tr("Filter boxes"));
    m_stateFilter->setAccessibleName(tr("Filter by state"));
    m_healthFilter->setAccessibleName(tr("Filter by health"));
    m_backendFilter->setAccessibleName(tr("Filter by backend"));
    m_stateFilter->setToolTip(tr("\"Needs attention\": unhealthy, exited with an error, "
                                 "OOM-killed, restarting or dead"));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &BoxFilterProxyModel::setText);
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setStateFilter(
            BoxFilterProxyModel::StateFilter(m_stateFilter->currentData().toInt()));
    });
    connect(m_healthFilter, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setHealthFilter(
            BoxFilterProxyModel::HealthFilter(m_healthFilter->currentData().toInt()));
    });
    connect(m_backendFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setBackendFilter(m_backendFilter->currentData().toString()); });

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter, 1);
    layout->addWidget(m_stateFilter);
    layout->addWidget(m_healthFilter);
    layout->addWidget(m_backendFilter);
}

void BoxFilterBar::setTable(QTableView *table)
{
    m_table = table;
    // "/" filters as in lazydocker and ctop, but only from the table (not while typing).
    auto *slash = new QShortcut(QKeySequence(Qt::Key_Slash), m_table);
    slash->setContext(Qt::WidgetShortcut);
    connect(slash, &QShortcut::activated, this, [this] { m_filter->setFocus(); });
    // Escape in the filter goes back to the list with the filter kept.
    auto *back = new QShortcut(QKeySequence(Qt::Key_Escape), m_filter);
    back->setContext(Qt::WidgetShortcut);
    connect(back, &QShortcut::activated, this, [this] {
        if (m_filter->text().isEmpty())
            m_table->setFocus();
        else
            m_filter->clear();
    });
    // Enter selects the first match, so the pane and the actions follow what is shown.
    connect(m_filter, &QLineEdit::returnPressed, this, [this] {
        m_table->setFocus(Qt::ShortcutFocusReason);
        if (m_proxy->rowCount() > 0)
            m_table->selectionModel()->setCurrentIndex(m_proxy->index(0, BoxListModel::Name),
                                                       QItemSelectionModel::ClearAndSelect |
                                                           QItemSelectionModel::Rows);
    });
}

void BoxFilterBar::setBackends(const QList<boxes::BoxBackend *> &backends)
{
    const QString current = m_backendFilter->currentData().toString();
    QSignalBlocker block(m_backendFilter);
    while (m_backendFilter->count() > 1)
        m_backendFilter->removeItem(1);
    for (boxes::BoxBackend *b : backends) {
        boxes::BoxInfo probe;
        probe.backendKind = b->kind();
        probe.host = b->displayHost();
        m_backendFilter->addItem(BoxListModel::shortBackend(probe), b->id());
        m_backendFilter->setItemData(m_backendFilter->count() - 1,
                                     QStringLiteral("%1 @ %2").arg(b->kind(), b->displayHost()),
                                     Qt::ToolTipRole);
    }
    const int i = m_backendFilter->findData(current);
    m_backendFilter->setCurrentIndex(i < 0 ? 0 : i);
}

void BoxFilterBar::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

} // namespace bc::ui
