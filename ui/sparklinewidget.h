#pragma once

#include <QColor>
#include <QList>
#include <QPointF>
#include <QWidget>

namespace bc::ui {

// A small time chart painted with palette colours (so it follows light and dark themes):
// caption, current value, a Y axis with units starting at zero, a time axis, and up to two
// series (receive/send, read/write). The scale is the box's limit when it has one, else a
// round figure above the data with a floor, so a tiny wobble stays a flat line. Values are
// (seconds ago, value) pairs; a gap in time (a stopped box) is a gap in the line.
class SparklineWidget final : public QWidget
{
    Q_OBJECT
public:
    enum class Unit { Percent, Bytes, BytesPerSecond };

    explicit SparklineWidget(QWidget *parent = nullptr);

    void setCaption(const QString &caption);
    void setUnit(Unit unit);
    void setWindowSeconds(int seconds);
    // Fixed top of the scale (the box's limit); <= 0 = a round figure above the data.
    void setMaximum(double maximum);
    // The lowest top an automatic scale may have (one core, 64 MiB, 1 KiB/s).
    void setMinimumTop(double top);
    // Shown at the top right of the plot: "limit 2 GiB", "no limit".
    void setLimitNote(const QString &note);
    // x = seconds before now (>= 0), y = value. The first series.
    void setSamples(const QList<QPointF> &samples, const QString &currentText);
    // A second series with a legend entry for both ("received", "sent").
    void setSecondSeries(const QList<QPointF> &samples, const QString &firstName,
                         const QString &secondName);
    void clear();

    // What the axis shows (tests and screenshots check it).
    double axisTop() const;
    QStringList axisLabels() const;
    QString limitNote() const { return m_limitNote; }
    QString caption() const { return m_caption; }
    QString formatValue(double value) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int windowShown() const;
    void drawSeries(QPainter &p, const QRectF &plot, const QList<QPointF> &samples, double top,
                    int window, const QColor &color, bool filled) const;

    QString m_caption;
    QString m_current;
    QString m_limitNote;
    QString m_firstName;
    QString m_secondName;
    QList<QPointF> m_samples;
    QList<QPointF> m_second;
    Unit m_unit = Unit::Percent;
    double m_maximum = 0;
    double m_minimumTop = 0;
    int m_windowSeconds = 300;
};

} // namespace bc::ui
