#pragma once

#include <QStyledItemDelegate>

namespace bc::ui {

// The box table's delegate. A stats tick repaints every visible CPU, memory and PIDs cell
// once a second, and QStyledItemDelegate shapes each cell's text three times (size hint
// layout, elision check, drawing): two thirds of a tick went into text shaping. Plain
// single-line text cells are drawn here with one QTextLayout and the style's own panel,
// colours and focus frame, exactly where QCommonStyle would put them; cells with an icon
// or a check box, wrapped text, and styles that draw items their own way go to
// QStyledItemDelegate unchanged.
class CellDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

    // Whether paint() would take the single-layout path for this cell (tests).
    bool drawsDirectly(const QStyleOptionViewItem &option, const QModelIndex &index) const;

private:
    bool fastPath(const QStyleOptionViewItem &initialised) const;
};

} // namespace bc::ui
