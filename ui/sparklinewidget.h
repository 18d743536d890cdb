#pragma once

#include <QList>
#include <QPointF>
#include <QWidget>

namespace bc::ui {

// A small trend line painted with the palette's highlight colour (so it follows light and
// dark themes), with a caption and the current value. Values are (seconds ago, value)
// pairs over a fixed time window so gaps (a stopped box) show as gaps in time.
class SparklineWidget final : public QWidget
{
    Q_OBJECT
public:
    explicit SparklineWidget(QWidget *parent = nullptr);

    void setCaption(const QString &caption);
    void setWindowSeconds(int seconds);
    // Fixed top of the scale (e.g. the memory limit); <= 0 = fit to the data.
    void setMaximum(double maximum);
    // x = seconds before now (>= 0), y = value.
    void setSamples(const QList<QPointF> &samples, const QString &currentText);
    void clear();

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_caption;
    QString m_current;
    QList<QPointF> m_samples;
    double m_maximum = 0;
    int m_windowSeconds = 300;
};

} // namespace bc::ui
