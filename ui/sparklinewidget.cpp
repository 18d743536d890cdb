#include "ui/sparklinewidget.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace bc::ui {

SparklineWidget::SparklineWidget(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void SparklineWidget::setCaption(const QString &caption)
{
    m_caption = caption;
    update();
}

void SparklineWidget::setWindowSeconds(int seconds)
{
    m_windowSeconds = std::max(10, seconds);
    update();
}

void SparklineWidget::setMaximum(double maximum)
{
    m_maximum = maximum;
    update();
}

void SparklineWidget::setSamples(const QList<QPointF> &samples, const QString &currentText)
{
    m_samples = samples;
    m_current = currentText;
    update();
}

void SparklineWidget::clear()
{
    m_samples.clear();
    m_current.clear();
    update();
}

QSize SparklineWidget::sizeHint() const
{
    return {320, fontMetrics().height() * 2 + 70};
}

QSize SparklineWidget::minimumSizeHint() const
{
    return {120, fontMetrics().height() * 2 + 30};
}

void SparklineWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();

    // Caption left, current value right, both in the palette's text colours.
    QRect textRect = rect().adjusted(4, 2, -4, 0);
    textRect.setHeight(fm.height());
    p.setPen(pal.color(QPalette::WindowText));
    p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, m_caption);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(textRect, Qt::AlignRight | Qt::AlignVCenter,
               m_current.isEmpty() ? tr("no data") : m_current);
    p.setFont(font());

    QRectF plot = QRectF(rect()).adjusted(4, fm.height() + 6, -4, -fm.height() - 4);
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.setBrush(pal.color(QPalette::Base));
    p.drawRoundedRect(plot, 3, 3);
    plot.adjust(3, 3, -3, -3);

    // Show the span the data covers (at least a minute) rather than squeezing 30 s of
    // samples into the right edge of a 10-minute axis.
    double span = 60;
    for (const QPointF &s : m_samples)
        span = std::max(span, s.x());
    const int window = std::min(m_windowSeconds, int(std::ceil(span / 60.0)) * 60);
    double top = m_maximum;
    if (top <= 0) {
        for (const QPointF &s : m_samples)
            top = std::max(top, s.y());
        top = top <= 0 ? 1.0 : top * 1.15;
    }
    // Axis hint: the window length below the plot, in the muted text colour.
    p.setPen(pal.color(QPalette::PlaceholderText));
    const QRectF axis(plot.left(), plot.bottom() + 4, plot.width(), fm.height());
    p.drawText(axis, Qt::AlignLeft, tr("-%1 min").arg(window / 60));
    p.drawText(axis, Qt::AlignRight, tr("now"));

    if (m_samples.isEmpty())
        return;
    const auto toPoint = [&](const QPointF &s) {
        const double x = plot.right() - (s.x() / window) * plot.width();
        const double y = plot.bottom() - std::clamp(s.y() / top, 0.0, 1.0) * plot.height();
        return QPointF(std::max(plot.left(), x), y);
    };
    // Samples arrive newest last; a gap longer than 3 typical intervals breaks the line.
    QPainterPath line;
    QPainterPath fill;
    bool open = false;
    QPointF first;
    QPointF last;
    double prevX = -1;
    for (const QPointF &s : m_samples) {
        const QPointF pt = toPoint(s);
        const bool gap = open && prevX >= 0 && (prevX - s.x()) > 30;
        if (!open || gap) {
            if (open) {
                fill.lineTo(last.x(), plot.bottom());
                fill.lineTo(first.x(), plot.bottom());
                fill.closeSubpath();
            }
            line.moveTo(pt);
            fill.moveTo(pt);
            first = pt;
            open = true;
        } else {
            line.lineTo(pt);
            fill.lineTo(pt);
        }
        last = pt;
        prevX = s.x();
    }
    fill.lineTo(last.x(), plot.bottom());
    fill.lineTo(first.x(), plot.bottom());
    fill.closeSubpath();
    QColor accent = pal.color(QPalette::Highlight);
    QColor area = accent;
    area.setAlpha(60);
    p.setPen(Qt::NoPen);
    p.setBrush(area);
    p.drawPath(fill);
    p.setPen(QPen(accent, 1.6));
    p.setBrush(Qt::NoBrush);
    p.drawPath(line);
    p.setBrush(accent);
    p.drawEllipse(last, 2.5, 2.5);
}

} // namespace bc::ui
