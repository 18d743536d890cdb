#pragma once

#include "core/boxes/boxinfo.h"

#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>

namespace bc::boxes {
class BoxMonitor;
}

namespace bc::ui {

class BoxListModel;

// The monitor's box events as the console shows them. Rebuilding the backends (Settings)
// makes the monitor remove and re-list every box: those removals are held until the box is
// listed again (or is still missing 15 s later), and the re-listed box keeps the details
// its row already had, so rows, their history and what was already alerted survive.
class BoxFeed final : public QObject
{
    Q_OBJECT
public:
    // `model` holds the rows shown (read for what a re-listed box already had).
    BoxFeed(boxes::BoxMonitor *monitor, const BoxListModel *model, QObject *parent);

    // Runs `rebuild`, which replaces the monitor's backends, holding what it removes.
    void holdRemovalsDuring(const std::function<void()> &rebuild);

signals:
    void boxAdded(const boxes::BoxInfo &box);
    void boxUpdated(const boxes::BoxInfo &previous, const boxes::BoxInfo &box);
    void resourcesUpdated(const QString &key, const boxes::BoxResources &resources);
    void boxRemoved(const QString &key);

private:
    void onAdded(const boxes::BoxInfo &box);
    void onRemoved(const QString &key);

    const BoxListModel *m_model;
    QSet<QString> m_pendingRemoval;
    bool m_holding = false;
};

} // namespace bc::ui
