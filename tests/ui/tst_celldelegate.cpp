// ctest: labels=gui timeout=120
// CellDelegate must paint exactly what QStyledItemDelegate paints, only cheaper: the same
// table is grabbed with each delegate and the images compared pixel by pixel.
#include "ui/celldelegate.h"

#include <QApplication>
#include <QHeaderView>
#include <QImage>
#include <QStandardItemModel>
#include <QStyleFactory>
#include <QTableView>
#include <QTest>

using bc::ui::CellDelegate;

namespace {

// Left, right and centred text, an icon cell, an over-long (elided) cell, an empty cell.
void fill(QStandardItemModel &model)
{
    model.setRowCount(12);
    model.setColumnCount(6);
    for (int r = 0; r < model.rowCount(); ++r) {
        auto *name = new QStandardItem(QStringLiteral("box-%1").arg(r, 4, 10, QLatin1Char('0')));
        auto *cpu = new QStandardItem(QStringLiteral("%1 %").arg(r * 12.3, 0, 'f', 1));
        cpu->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        auto *memory = new QStandardItem(QStringLiteral("%1.4 MiB / 2.0 GiB").arg(100 + r));
        memory->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        auto *state = new QStandardItem(QStringLiteral("running"));
        QPixmap dot(8, 8);
        dot.fill(Qt::green);
        state->setIcon(QIcon(dot));
        auto *image = new QStandardItem(
            QStringLiteral("registry.internal.example/box-console/agent-box:2026.11.28-%1").arg(r));
        auto *centre = new QStandardItem(r % 3 ? QStringLiteral("42") : QString());
        centre->setTextAlignment(Qt::AlignCenter);
        model.setItem(r, 0, name);
        model.setItem(r, 1, cpu);
        model.setItem(r, 2, memory);
        model.setItem(r, 3, state);
        model.setItem(r, 4, image);
        model.setItem(r, 5, centre);
    }
}

QImage render(QAbstractItemDelegate *delegate, QStyle *style)
{
    QStandardItemModel model;
    fill(model);
    QTableView view;
    view.setStyle(style);
    view.setItemDelegate(delegate);
    view.setModel(&model);
    view.setAlternatingRowColors(true);
    view.setShowGrid(false);
    view.setWordWrap(false);
    view.setSelectionBehavior(QAbstractItemView::SelectRows);
    view.verticalHeader()->hide();
    view.setColumnWidth(4, 160); // the image column elides
    view.resize(760, 360);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view))
        return {};
    view.selectionModel()->select(model.index(2, 0),
                                  QItemSelectionModel::Select | QItemSelectionModel::Rows);
    view.setCurrentIndex(model.index(5, 1)); // focus frame on a right-aligned cell
    view.selectRow(5);
    view.selectionModel()->select(model.index(2, 0),
                                  QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QCoreApplication::processEvents();
    return view.viewport()->grab().toImage().convertToFormat(QImage::Format_ARGB32);
}

int differingPixels(const QImage &a, const QImage &b)
{
    if (a.size() != b.size())
        return -1;
    int n = 0;
    for (int y = 0; y < a.height(); ++y) {
        for (int x = 0; x < a.width(); ++x)
            n += a.pixel(x, y) != b.pixel(x, y);
    }
    return n;
}

} // namespace

class tst_CellDelegate : public QObject
{
    Q_OBJECT
private slots:
    void paintsLikeTheStyledDelegate_data()
    {
        QTest::addColumn<QString>("style");
        QTest::newRow("fusion") << QStringLiteral("Fusion");
        QTest::newRow("windows") << QStringLiteral("Windows");
    }

    void paintsLikeTheStyledDelegate()
    {
        QFETCH(QString, style);
        std::unique_ptr<QStyle> s(QStyleFactory::create(style));
        QVERIFY(s);
        QStyledItemDelegate styled;
        CellDelegate cell;
        const QImage expected = render(&styled, s.get());
        const QImage actual = render(&cell, s.get());
        QVERIFY(!expected.isNull());
        const int diff = differingPixels(expected, actual);
        if (diff != 0) {
            expected.save(QDir::temp().filePath(QStringLiteral("celldelegate-expected.png")));
            actual.save(QDir::temp().filePath(QStringLiteral("celldelegate-actual.png")));
        }
        QCOMPARE(diff, 0);
    }

    void takesTheDirectPathOnlyForPlainText()
    {
        std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
        QStandardItemModel model;
        fill(model);
        QTableView view;
        view.setStyle(fusion.get());
        view.setModel(&model);
        CellDelegate cell;
        QStyleOptionViewItem option;
        option.initFrom(&view);
        option.widget = &view;
        option.rect = QRect(0, 0, 400, 24);
        QVERIFY(cell.drawsDirectly(option, model.index(0, 1)));  // number
        QVERIFY(!cell.drawsDirectly(option, model.index(0, 3))); // icon: the style draws it
        model.item(0, 0)->setText(QStringLiteral("two\nlines"));
        QVERIFY(!cell.drawsDirectly(option, model.index(0, 0)));
    }
};

QTEST_MAIN(tst_CellDelegate)
#include "tst_celldelegate.moc"
