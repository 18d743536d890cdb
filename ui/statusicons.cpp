#include "ui/statusicons.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace bc::ui {

QColor toneColor(Tone tone)
{
    switch (tone) {
    case Tone::Good:
        return QColor(0x2e, 0xa0, 0x4f);
    case Tone::Warning:
        return QColor(0xd9, 0x9a, 0x1e);
    case Tone::Bad:
        return QColor(0xdc, 0x3c, 0x3c);
    case Tone::Busy:
        return QColor(0x3a, 0x86, 0xe0);
    case Tone::Neutral:
        break;
    }
    return QColor(0x8c, 0x8c, 0x8c);
}

QIcon toneIcon(Tone tone)
{
    static QHash<int, QIcon> cache;
    const int key = int(tone);
    if (auto it = cache.constFind(key); it != cache.cend())
        return *it;
    QIcon icon;
    for (int size : {12, 16, 24, 32}) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        const QColor c = toneColor(tone);
        p.setPen(QPen(c.darker(130), size / 12.0));
        p.setBrush(c);
        const qreal m = size * 0.2;
        p.drawEllipse(QRectF(m, m, size - 2 * m, size - 2 * m));
        p.end();
        icon.addPixmap(pm);
    }
    cache.insert(key, icon);
    return icon;
}

Tone stateTone(boxes::BoxInfo::State state)
{
    using S = boxes::BoxInfo::State;
    switch (state) {
    case S::Running:
        return Tone::Good;
    case S::Deploying:
    case S::Starting:
    case S::Restarting:
    case S::Stopping:
    case S::Removing:
        return Tone::Busy;
    case S::Paused:
        return Tone::Warning;
    case S::Dead:
    case S::Failed:
        return Tone::Bad;
    case S::Exited:
    case S::Created:
    case S::Unknown:
        break;
    }
    return Tone::Neutral;
}

Tone healthTone(boxes::BoxInfo::Health health)
{
    using H = boxes::BoxInfo::Health;
    switch (health) {
    case H::Healthy:
        return Tone::Good;
    case H::Starting:
        return Tone::Busy;
    case H::Unhealthy:
        return Tone::Bad;
    case H::None:
    case H::Unknown:
        break;
    }
    return Tone::Neutral;
}

} // namespace bc::ui
