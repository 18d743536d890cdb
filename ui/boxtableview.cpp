#include "ui/boxtableview.h"

#include "ui/celldelegate.h"
#include "ui/models/boxlistmodel.h"

#include <QGuiApplication>
#include <QHeaderView>
#include <QKeyEvent>

#include <algorithm>

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
    // Tab moves to the next control, not to the next cell of a read-only row.
    setTabKeyNavigation(false);
    setAccessibleName(tr("Boxes"));
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setSectionsMovable(true);
    horizontalHeader()->setHighlightSections(false);
    connect(horizontalHeader(), &QHeaderView::sectionResized, this, [this](int section, int, int) {
        // Only a drag by the user pins a width; layout changes do not.
        if (!m_sizing && (QGuiApplication::mouseButtons() & Qt::LeftButton))
            m_userSized.insert(section);
    });
}

void BoxTableView::keyPressEvent(QKeyEvent *event)
{
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) &&
        event->modifiers() == Qt::NoModifier && currentIndex().isValid()) {
        emit rowActivated(currentIndex());
        event->accept();
        return;
    }
    QTableView::keyPressEvent(event);
}

void BoxTableView::sizeColumns()
{
    const QFontMetrics fm = fontMetrics();
    const auto width = [&fm](const QString &sample) { return fm.horizontalAdvance(sample) + 36; };
    // Floors for typical values, raised to the widest value present (up to a cap), so names
    // are not clipped while the last column (Image) takes what is left.
    struct Fit
    {
        int column;
        QString floor;
        int cap;
    };
    const Fit fits[] = {
        {BoxListModel::Name, QStringLiteral("alice-dev-box"), 420},
        {BoxListModel::Owner, QStringLiteral("Owner__"), 220},
        {BoxListModel::Subdomain, QStringLiteral("Subdomain"), 260},
        {BoxListModel::State, QStringLiteral("exited (137)"), 200},
        {BoxListModel::Health, QStringLiteral("unhealthy"), 260},
        {BoxListModel::Cpu, QStringLiteral("100.0 %"), 120},
        {BoxListModel::Memory, QStringLiteral("1023.9 MiB / 2.0 GiB"), 240},
        {BoxListModel::Pids, QStringLiteral("PIDs"), 80},
        {BoxListModel::Uptime, QStringLiteral("23 h 59 min"), 140},
        {BoxListModel::Backend, QStringLiteral("docker · local"), 260},
        {BoxListModel::Policy, QStringLiteral("Policy"), 220}, // often empty: its heading
    };
    QAbstractItemModel *m = model();
    // Policy came after Image in the model; shown before it, so that Image stays the last,
    // stretching column (once: a user's own order is kept, and restored by MainWindow).
    QHeaderView *h = horizontalHeader();
    if (m && !m_orderSet && h->count() > BoxListModel::Policy) {
        m_orderSet = true;
        if (h->visualIndex(BoxListModel::Policy) > h->visualIndex(BoxListModel::Image))
            h->moveSection(h->visualIndex(BoxListModel::Policy),
                           h->visualIndex(BoxListModel::Image));
    }
    const int rows = m ? std::min(m->rowCount(), 500) : 0;
    m_sizing = true;
    for (const Fit &f : fits) {
        if (m_userSized.contains(f.column))
            continue;
        int w = std::max(width(f.floor),
                         m ? width(m->headerData(f.column, Qt::Horizontal).toString()) + 12 : 0);
        for (int r = 0; r < rows; ++r)
            w = std::max(
                w,
                width(m->index(r, f.column).data().toString()) +
                    (f.column == BoxListModel::State || f.column == BoxListModel::Health ? 20 : 0));
        setColumnWidth(f.column, std::min(w, f.cap));
    }
    m_sizing = false;
}

} // namespace bc::ui
