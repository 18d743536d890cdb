#include "ui/detailcontroller.h"

#include "ui/boxdetailpane.h"
#include "ui/boxtableview.h"
#include "ui/models/boxlistmodel.h"

#include <QAction>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>

namespace bc::ui {

DetailController::DetailController(BoxTableView *table, BoxDetailPane *detail, QSplitter *splitter,
                                   QObject *parent)
    : QObject(parent)
    , m_table(table)
    , m_detail(detail)
    , m_splitter(splitter)
{
    m_overview = new QAction(tr("Show &overview"), this);
    m_overview->setToolTip(tr("Show the selected box's overview (Enter)"));
    connect(m_overview, &QAction::triggered, this, [this] { openRow(m_table->currentIndex()); });
    m_details = new QAction(tr("&Details pane"), this);
    m_details->setCheckable(true);
    m_details->setChecked(true);
    m_details->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    connect(m_details, &QAction::toggled, this, [this](bool on) { setCollapsed(!on); });

    m_nextTab = new QAction(tr("&Next tab"), this);
    m_nextTab->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Tab));
    connect(m_nextTab, &QAction::triggered, this, [this] {
        QTabWidget *t = m_detail->tabs();
        setCollapsed(false);
        t->setCurrentIndex((t->currentIndex() + 1) % t->count());
    });
    m_previousTab = new QAction(tr("&Previous tab"), this);
    m_previousTab->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backtab));
    connect(m_previousTab, &QAction::triggered, this, [this] {
        QTabWidget *t = m_detail->tabs();
        setCollapsed(false);
        t->setCurrentIndex((t->currentIndex() + t->count() - 1) % t->count());
    });
    for (int i = 0; i < m_detail->tabs()->count() && i < 9; ++i) {
        auto *a = new QAction(m_detail->tabs()->tabText(i), this);
        a->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        connect(a, &QAction::triggered, this, [this, i] {
            setCollapsed(false);
            m_detail->tabs()->setCurrentIndex(i);
        });
        m_tabActions << a;
    }

    // The pane follows the selection, not the cursor alone: what it shows is what Stop and
    // Delete act on.
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DetailController::showSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DetailController::showSelected);
    connect(m_table, &QTableView::doubleClicked, this, &DetailController::openRow);
    connect(m_table, &BoxTableView::rowActivated, this, &DetailController::openRow);
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] {
        const QList<int> sizes = m_splitter->sizes();
        if (sizes.value(1) > 0)
            m_detailSizes = sizes;
        QSignalBlocker block(m_details);
        m_details->setChecked(sizes.value(1) > 0);
        saveSplit();
    });
}

void DetailController::showSelected()
{
    QItemSelectionModel *sel = m_table->selectionModel();
    QModelIndex idx = m_table->currentIndex();
    if (!idx.isValid() || !sel->isRowSelected(idx.row(), idx.parent())) {
        const QModelIndexList rows = sel->selectedRows(BoxListModel::Name);
        idx = rows.isEmpty() ? QModelIndex() : rows.first();
    }
    if (!idx.isValid())
        m_detail->setBox(std::nullopt);
    else
        m_detail->setBox(idx.data(BoxListModel::BoxRole).value<boxes::BoxInfo>());
}

void DetailController::openRow(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    if (!m_table->selectionModel()->isRowSelected(index.row(), index.parent()))
        m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                              QItemSelectionModel::Rows);
    setCollapsed(false);
    m_detail->tabs()->setCurrentIndex(BoxDetailPane::OverviewTab);
}

bool DetailController::collapsed() const
{
    return m_splitter->sizes().value(1) == 0;
}

void DetailController::setCollapsed(bool collapse)
{
    QList<int> sizes = m_splitter->sizes();
    const int total = sizes.value(0) + sizes.value(1);
    if (collapse && sizes.value(1) > 0) {
        m_detailSizes = sizes;
        m_splitter->setSizes({total, 0});
    } else if (!collapse && sizes.value(1) == 0) {
        const int detail = m_detailSizes.value(1) > 0 ? m_detailSizes.value(1) : total / 3;
        m_splitter->setSizes({total - detail, detail});
    }
    QSignalBlocker block(m_details);
    m_details->setChecked(!collapse);
    saveSplit();
}

void DetailController::restoreLayout(const QSettings &settings)
{
    // List first: the details get under a third until the user says otherwise (sized
    // on first show, when the splitter's height is known).
    m_defaultSplit =
        !m_splitter->restoreState(settings.value(QStringLiteral("splitter")).toByteArray());
    if (m_defaultSplit)
        m_splitter->setSizes({690, 310});
    {
        QSignalBlocker block(m_details);
        m_details->setChecked(m_splitter->sizes().value(1) > 0);
    }
    m_detail->tabs()->setCurrentIndex(settings.value(QStringLiteral("detailTab"), 0).toInt());
}

void DetailController::saveLayout(QSettings &settings) const
{
    settings.setValue(QStringLiteral("splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("detailTab"), m_detail->tabs()->currentIndex());
}

void DetailController::windowShown()
{
    if (std::exchange(m_defaultSplit, false)) {
        const int total = m_splitter->height();
        m_splitter->setSizes({total * 69 / 100, total - total * 69 / 100});
    }
}

void DetailController::saveSplit() const
{
    QSettings().setValue(QStringLiteral("mainwindow/splitter"), m_splitter->saveState());
}

} // namespace bc::ui
