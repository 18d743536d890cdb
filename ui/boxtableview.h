#pragma once

#include <QSet>
#include <QTableView>

namespace bc::ui {

// The box table as the main window shows it: row selection, no grid, no wrapping, movable
// columns sized to their content, and CellDelegate so that a stats tick repaints its cells
// cheaply. Tab leaves the table (rows are what Up and Down are for); Enter opens the row.
// The model benchmark uses this same class, so its figures are the window's.
class BoxTableView final : public QTableView
{
    Q_OBJECT
public:
    explicit BoxTableView(QWidget *parent = nullptr);

    // Column widths for the current font and content; call after setModel() and when rows
    // arrive. Columns the user resized keep their width.
    void sizeColumns();
    // A saved column order was restored: sizeColumns() keeps it as it is.
    void keepColumnOrder() { m_orderSet = true; }

signals:
    // Enter or Return on the current row.
    void rowActivated(const QModelIndex &index);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    QSet<int> m_userSized;
    bool m_sizing = false;
    bool m_orderSet = false;
};

} // namespace bc::ui
