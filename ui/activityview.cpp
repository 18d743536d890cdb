#include "ui/activityview.h"

#include "ui/models/activitymodel.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace bc::ui {

namespace actions = activity::actions;

ActivityView::ActivityView(Mode mode, activity::ActivityLog *log, QWidget *parent)
    : QWidget(parent)
    , m_mode(mode)
    , m_model(new ActivityModel(log, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_box(new QLineEdit(this))
    , m_actor(new QLineEdit(this))
    , m_action(new QComboBox(this))
    , m_range(new QComboBox(this))
    , m_table(new QTableView(this))
    , m_status(new QLabel(this))
{
    m_box->setPlaceholderText(tr("Box"));
    m_box->setAccessibleName(tr("Filter by box"));
    m_box->setClearButtonEnabled(true);
    m_box->setVisible(mode == Mode::AllBoxes);
    m_actor->setPlaceholderText(tr("Actor"));
    m_actor->setAccessibleName(tr("Filter by actor"));
    m_actor->setClearButtonEnabled(true);
    m_action->setAccessibleName(tr("Filter by action"));
    m_action->addItem(tr("All actions"), QString());
    for (const QString &a :
         {actions::deploy(), actions::redeploy(), actions::remove(), actions::start(),
          actions::stop(), actions::restart(), actions::exec(), actions::keepalive(),
          actions::policyIdleStop(), actions::policyExpire(), actions::policyDelete(),
          actions::quotaRefused()})
        m_action->addItem(a, a);
    m_range->setAccessibleName(tr("Time range"));
    m_range->addItem(tr("Any time"), AnyTime);
    m_range->addItem(tr("Last hour"), LastHour);
    m_range->addItem(tr("Last 24 hours"), LastDay);
    m_range->addItem(tr("Last 7 days"), LastWeek);
    m_range->addItem(tr("Last 30 days"), LastMonth);

    // Newest first; the model keeps the log's order so that new records are appended.
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ActivityModel::SeqRole);
    m_proxy->sort(ActivityModel::Time, Qt::DescendingOrder);
    m_proxy->setDynamicSortFilter(true);
    m_table->setModel(m_proxy);
    m_table->setAccessibleName(tr("Activity"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setTabKeyNavigation(false);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(ActivityModel::Time,
                            fontMetrics().horizontalAdvance(QStringLiteral("2026-12-31 23:59:59")) +
                                24);
    m_table->setColumnHidden(ActivityModel::Box, mode == Mode::OneBox);
    m_table->setColumnHidden(ActivityModel::Backend, mode == Mode::OneBox);

    m_typing.setSingleShot(true);
    m_typing.setInterval(300);
    connect(&m_typing, &QTimer::timeout, this, &ActivityView::applyFilters);
    for (QLineEdit *e : {m_box, m_actor}) {
        connect(e, &QLineEdit::textChanged, this, [this] { m_typing.start(); });
        connect(e, &QLineEdit::returnPressed, this, &ActivityView::applyFilters);
    }
    for (QComboBox *c : {m_action, m_range})
        connect(c, &QComboBox::currentIndexChanged, this, &ActivityView::applyFilters);
    connect(m_model, &ActivityModel::loaded, this, [this] {
        updateStatus();
        emit loaded();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ActivityView::updateStatus);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ActivityView::updateStatus);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_box, 2);
    filters->addWidget(m_actor, 2);
    filters->addWidget(m_action, 1);
    filters->addWidget(m_range, 1);
    auto *layout = new QVBoxLayout(this);
    if (mode == Mode::OneBox)
        layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
    updateStatus();
}

activity::ActivityFilter ActivityView::currentFilter() const
{
    activity::ActivityFilter f;
    f.box = m_mode == Mode::OneBox ? m_fixedBox : m_box->text().trimmed();
    f.backend = m_mode == Mode::OneBox ? m_fixedBackend : QString();
    f.actor = m_actor->text().trimmed();
    f.action = m_action->currentData().toString();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    switch (m_range->currentData().toInt()) {
    case LastHour:
        f.since = now.addSecs(-3600);
        break;
    case LastDay:
        f.since = now.addDays(-1);
        break;
    case LastWeek:
        f.since = now.addDays(-7);
        break;
    case LastMonth:
        f.since = now.addDays(-30);
        break;
    default:
        break;
    }
    return f;
}

void ActivityView::setBox(const QString &box, const QString &backend)
{
    if (m_mode == Mode::AllBoxes) {
        m_box->setText(box);
        applyFilters();
        return;
    }
    if (box == m_fixedBox && backend == m_fixedBackend)
        return;
    m_fixedBox = box;
    m_fixedBackend = backend;
    applyFilters();
}

void ActivityView::applyFilters()
{
    m_typing.stop();
    if (m_mode == Mode::OneBox && m_fixedBox.isEmpty()) {
        m_model->clear();
        m_dirty = false;
        updateStatus();
        return;
    }
    if (!isVisible()) {
        m_dirty = true;
        return;
    }
    m_dirty = false;
    m_model->setFilter(currentFilter());
}

void ActivityView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        applyFilters();
    else if (m_mode == Mode::AllBoxes || !m_fixedBox.isEmpty())
        m_model->refresh();
    m_model->setAutoRefresh(RefreshMs);
}

void ActivityView::hideEvent(QHideEvent *event)
{
    m_model->setAutoRefresh(0);
    QWidget::hideEvent(event);
}

void ActivityView::updateStatus()
{
    if (!m_model->lastError().isEmpty()) {
        m_status->setText(m_model->lastError());
        return;
    }
    const int n = m_model->rowCount();
    if (m_mode == Mode::OneBox && m_fixedBox.isEmpty())
        m_status->clear();
    else
        m_status->setText(n == 1 ? tr("1 record") : tr("%1 records").arg(n));
}

ActivityView *ActivityView::openDialog(QWidget *parent)
{
    const QString name = QStringLiteral("activityDialog");
    auto *dialog = parent->findChild<QDialog *>(name, Qt::FindDirectChildrenOnly);
    if (!dialog) {
        dialog = new QDialog(parent);
        dialog->setObjectName(name);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setWindowTitle(tr("Activity"));
        auto *view = new ActivityView(Mode::AllBoxes, nullptr, dialog);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
        connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
        auto *layout = new QVBoxLayout(dialog);
        layout->addWidget(view, 1);
        layout->addWidget(buttons);
        dialog->resize(980, 480);
    }
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
    return dialog->findChild<ActivityView *>();
}

} // namespace bc::ui
