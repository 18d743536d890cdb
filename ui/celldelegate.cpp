#include "ui/celldelegate.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>
#include <QTextLayout>

namespace bc::ui {

namespace {

QStyle *styleOf(const QStyleOptionViewItem &option)
{
    return option.widget ? option.widget->style() : QApplication::style();
}

} // namespace

bool CellDelegate::fastPath(const QStyleOptionViewItem &opt) const
{
    // Only styles known to draw CE_ItemViewItem with QCommonStyle's code (Breeze and
    // style sheets draw items their own way).
    const QString style = styleOf(opt)->name();
    if (style.compare(u"fusion", Qt::CaseInsensitive) != 0 &&
        style.compare(u"windows", Qt::CaseInsensitive) != 0)
        return false;
    if (opt.features & (QStyleOptionViewItem::HasDecoration |
                        QStyleOptionViewItem::HasCheckIndicator | QStyleOptionViewItem::WrapText))
        return false;
    if (opt.state & QStyle::State_Editing)
        return false;
    return !opt.text.contains(QLatin1Char('\n')) && !opt.text.contains(QChar::LineSeparator);
}

bool CellDelegate::drawsDirectly(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    return fastPath(opt);
}

void CellDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                         const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    if (!fastPath(opt)) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyle *style = styleOf(opt);
    const QWidget *widget = opt.widget;

    // What QCommonStyle::drawControl(CE_ItemViewItem) does for a text-only item, with the
    // text laid out once instead of three times.
    painter->save();
    painter->setClipRect(opt.rect);
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

    if (!opt.text.isEmpty()) {
        QPalette::ColorGroup cg =
            opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
        if (cg == QPalette::Normal && !(opt.state & QStyle::State_Active))
            cg = QPalette::Inactive;
        painter->setPen(opt.palette.color(
            cg, opt.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text));

        const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
        const QRect textRect = opt.rect.adjusted(margin, 0, -margin, 0);
        const Qt::Alignment alignment =
            QStyle::visualAlignment(opt.direction, opt.displayAlignment);
        QTextOption textOption;
        textOption.setWrapMode(QTextOption::ManualWrap);
        textOption.setTextDirection(opt.direction);
        textOption.setAlignment(alignment);

        QTextLayout layout(opt.text, opt.font);
        layout.setTextOption(textOption);
        layout.beginLayout();
        QTextLine line = layout.createLine();
        line.setLineWidth(textRect.width());
        line.setPosition(QPointF(0, 0));
        layout.endLayout();
        if (line.naturalTextWidth() > textRect.width()) {
            // Too wide: elide exactly as the style does (rare in this table: the column
            // widths fit the usual values).
            painter->restore();
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        // As QCommonStylePrivate::calculateElidedText: the line spans the text rectangle
        // (horizontal alignment happens inside it), the block is placed vertically.
        qreal y = textRect.top();
        if (alignment & Qt::AlignBottom)
            y = textRect.bottom() + 1 - line.height();
        else if (alignment & Qt::AlignVCenter)
            y = textRect.top() + (textRect.height() - line.height()) / 2.0;
        layout.draw(painter, QPointF(textRect.left(), y));
    }

    if (opt.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(opt);
        focus.rect = style->subElementRect(QStyle::SE_ItemViewItemFocusRect, &opt, widget);
        focus.state |= QStyle::State_KeyboardFocusChange | QStyle::State_Item;
        const QPalette::ColorGroup cg =
            opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
        focus.backgroundColor = opt.palette.color(
            cg, opt.state & QStyle::State_Selected ? QPalette::Highlight : QPalette::Window);
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, widget);
    }
    painter->restore();
}

} // namespace bc::ui
