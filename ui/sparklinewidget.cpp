#include "ui/sparklinewidget.h"

#include "ui/models/boxlistmodel.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace bc::ui {

namespace {

// 1, 2, 5 × 10^n (or binary steps for bytes) at or above `v`.
double niceCeiling(double v, bool binary)
{
    if (v <= 0)
        return 1;
    if (binary) {
        double p = 1;
        while (p < v)
            p *= 2;
        // 1.5 × steps too, so 600 MiB scales to 768 MiB rather than 1 GiB.
        return (p * 0.75 >= v && p >= 4) ? p * 0.75 : p;
    }
    const double exp = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * exp >= v)
            return m * exp;
    return 10 * exp;
}

} // namespace

SparklineWidget::SparklineWidget(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void SparklineWidget::setCaption(const QString &caption)
{
    m_caption = caption;
    setAccessibleName(caption);
    update();
}

void SparklineWidget::setUnit(Unit unit)
{
    m_unit = unit;
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

void SparklineWidget::setMinimumTop(double top)
{
    m_minimumTop = top;
    update();
}

void SparklineWidget::setLimitNote(const QString &note)
{
    m_limitNote = note;
    update();
}

void SparklineWidget::setSamples(const QList<QPointF> &samples, const QString &currentText)
{
    m_samples = samples;
    m_current = currentText;
    setAccessibleDescription(currentText);
    update();
}

void SparklineWidget::setSecondSeries(const QList<QPointF> &samples, const QString &firstName,
                                      const QString &secondName)
{
    m_second = samples;
    m_firstName = firstName;
    m_secondName = secondName;
    update();
}

void SparklineWidget::clear()
{
    m_samples.clear();
    m_second.clear();
    m_current.clear();
    update();
}

QString SparklineWidget::formatValue(double value) const
{
    const QLocale loc;
    if (value == 0)
        return QStringLiteral("0");
    switch (m_unit) {
    case Unit::Percent:
        return loc.toString(value, 'f', value < 10 && value > 0 ? 1 : 0) + QStringLiteral(" %");
    case Unit::Bytes:
        return BoxListModel::formatBytes(qint64(value));
    case Unit::BytesPerSecond:
        return BoxListModel::formatBytes(qint64(value)) + tr("/s");
    }
    return {};
}

double SparklineWidget::axisTop() const
{
    if (m_maximum > 0)
        return m_maximum;
    double top = m_minimumTop;
    for (const QPointF &s : m_samples)
        top = std::max(top, s.y());
    for (const QPointF &s : m_second)
        top = std::max(top, s.y());
    return niceCeiling(top, m_unit != Unit::Percent);
}

QStringList SparklineWidget::axisLabels() const
{
    const double top = axisTop();
    return {formatValue(0), formatValue(top / 2), formatValue(top)};
}

int SparklineWidget::windowShown() const
{
    // The span the data covers (at least five minutes), up to the whole window, rather
    // than 30 s of samples squeezed into the right edge of an hour.
    double span = 300;
    for (const QPointF &s : m_samples)
        span = std::max(span, s.x());
    return std::min(m_windowSeconds, int(std::ceil(span / 300.0)) * 300);
}

QSize SparklineWidget::sizeHint() const
{
    return {360, fontMetrics().height() * 3 + 80};
}

QSize SparklineWidget::minimumSizeHint() const
{
    return {160, fontMetrics().height() * 3 + 40};
}

void SparklineWidget::drawSeries(QPainter &p, const QRectF &plot, const QList<QPointF> &samples,
                                 double top, int window, const QColor &color, bool filled) const
{
    if (samples.isEmpty())
        return;
    const auto toPoint = [&](const QPointF &s) {
        const double x = plot.right() - (s.x() / window) * plot.width();
        const double y = plot.bottom() - std::clamp(s.y() / top, 0.0, 1.0) * plot.height();
        return QPointF(std::max(plot.left(), x), y);
    };
    QPainterPath line;
    QPainterPath fill;
    bool open = false;
    QPointF first;
    QPointF last;
    double prevX = -1;
    for (const QPointF &s : samples) {
        if (s.x() > window)
            continue;
        const QPointF pt = toPoint(s);
        // Samples are newest last; a gap of more than 30 s breaks the line.
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
    if (!open)
        return;
    fill.lineTo(last.x(), plot.bottom());
    fill.lineTo(first.x(), plot.bottom());
    fill.closeSubpath();
    if (filled) {
        QColor area = color;
        area.setAlpha(60);
        p.setPen(Qt::NoPen);
        p.setBrush(area);
        p.drawPath(fill);
    }
    p.setPen(QPen(color, 1.6));
    p.setBrush(Qt::NoBrush);
    p.drawPath(line);
    p.setBrush(color);
    p.drawEllipse(last, 2.5, 2.5);
}

void SparklineWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();
    const QColor muted = pal.color(QPalette::PlaceholderText);
    const QColor accent = pal.color(QPalette::Highlight);
    const QColor second =
        QColor::fromHsv((accent.hsvHue() + 150) % 360, std::max(accent.hsvSaturation(), 140), 200);

    // Caption left, current value right.
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

    const QStringList labels = axisLabels();
    int axisWidth = 0;
    for (const QString &l : labels)
        axisWidth = std::max(axisWidth, fm.horizontalAdvance(l));
    QRectF plot = QRectF(rect()).adjusted(axisWidth + 10, fm.height() + 8, -4, -fm.height() - 6);
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.setBrush(pal.color(QPalette::Base));
    p.drawRect(plot);

    // Y axis: 0, half, top, with faint grid lines.
    const double top = axisTop();
    p.setPen(muted);
    for (int i = 0; i < 3; ++i) {
        // A short plot has room for 0 and the top only.
        if (i == 1 && plot.height() < fm.height() * 3)
            continue;
        const double y = plot.bottom() - plot.height() * i / 2.0;
        p.drawText(QRectF(0, y - fm.height() / 2.0, axisWidth + 4, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, labels.at(i));
        if (i > 0) {
            QColor grid = pal.color(QPalette::Mid);
            grid.setAlpha(90);
            p.setPen(QPen(grid, 1, Qt::DotLine));
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
            p.setPen(muted);
        }
    }
    // Time axis.
    const int window = windowShown();
    const QRectF axis(plot.left(), plot.bottom() + 3, plot.width(), fm.height());
    p.drawText(axis, Qt::AlignLeft, tr("−%1 min").arg(window / 60));
    p.drawText(axis, Qt::AlignHCenter, tr("−%1 min").arg(window / 120.0, 0, 'g', 3));
    p.drawText(axis, Qt::AlignRight, tr("now"));
    // Limit note and legend inside the plot, top right.
    QRectF noteRect = plot.adjusted(4, 2, -4, 0);
    noteRect.setHeight(fm.height());
    if (!m_limitNote.isEmpty()) {
        p.setPen(muted);
        p.drawText(noteRect, Qt::AlignRight | Qt::AlignVCenter, m_limitNote);
    }
    if (!m_firstName.isEmpty()) {
        qreal x = noteRect.left();
        for (int i = 0; i < 2; ++i) {
            const QColor c = i == 0 ? accent : second;
            p.setPen(Qt::NoPen);
            p.setBrush(c);
            p.drawRect(QRectF(x, noteRect.center().y() - 3, 10, 6));
            p.setPen(pal.color(QPalette::Text));
            const QString name = i == 0 ? m_firstName : m_secondName;
            p.drawText(
                QRectF(x + 14, noteRect.top(), fm.horizontalAdvance(name) + 4, noteRect.height()),
                Qt::AlignVCenter, name);
            x += 14 + fm.horizontalAdvance(name) + 12;
        }
    }

    const QRectF inner = plot.adjusted(1, 1, -1, -1);
    drawSeries(p, inner, m_samples, top, window, accent, m_second.isEmpty());
    drawSeries(p, inner, m_second, top, window, second, false);
}

} // namespace bc::ui
