#pragma once

#include <QTableView>

namespace bc::ui {

// The box table as the main window shows it: row selection, no grid, no wrapping, movable
// columns sized for typical values, and CellDelegate so that a stats tick repaints its
// cells cheaply. The model benchmark uses this same class, so its figures are the window's.
class BoxTableView final : public QTableView
{
    Q_OBJECT
public:
    explicit BoxTableView(QWidget *parent = nullptr);

    // Column widths for the current font; call after setModel().
    void sizeColumns();
};

} // namespace bc::ui
