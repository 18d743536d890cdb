#include "ui/boxfeed.h"

#include "core/boxes/boxmonitor.h"
#include "ui/models/boxlistmodel.h"

#include <QTimer>

namespace bc::ui {

using boxes::BoxInfo;

BoxFeed::BoxFeed(boxes::BoxMonitor *monitor, const BoxListModel *model, QObject *parent)
    : QObject(parent)
    , m_model(model)
{
    if (!monitor)
        return;
    connect(monitor, &boxes::BoxMonitor::boxAdded, this, &BoxFeed::onAdded);
    connect(monitor, &boxes::BoxMonitor::boxUpdated, this, &BoxFeed::boxUpdated);
    connect(monitor, &boxes::BoxMonitor::resourcesUpdated, this, &BoxFeed::resourcesUpdated);
    connect(monitor, &boxes::BoxMonitor::boxRemoved, this, &BoxFeed::onRemoved);
}

void BoxFeed::holdRemovalsDuring(const std::function<void()> &rebuild)
{
    m_holding = true;
    rebuild();
    m_holding = false;
    QTimer::singleShot(15000, this, [this] {
        const QSet<QString> gone = std::exchange(m_pendingRemoval, {});
        for (const QString &key : gone)
            onRemoved(key);
    });
}

void BoxFeed::onAdded(const BoxInfo &incoming)
{
    BoxInfo box = incoming;
    if (m_pendingRemoval.remove(box.key())) {
        // The re-list has no start time or exit code yet (the inspect follows): keep ours.
        if (const BoxInfo *known = m_model->box(box.key()); known && known->state == box.state) {
            box.keepDetailsFrom(*known);
            box.resources.fillUnknownFrom(known->resources);
        }
    }
    emit boxAdded(box);
}

void BoxFeed::onRemoved(const QString &key)
{
    if (m_holding) {
        m_pendingRemoval.insert(key);
        return;
    }
    m_pendingRemoval.remove(key);
    emit boxRemoved(key);
}

} // namespace bc::ui
