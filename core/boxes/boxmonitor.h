#pragma once

#include "core/boxes/boxbackend.h"
#include "core/boxes/boxinfo.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

namespace bc::boxes {

// The live view of every configured backend: the box list of the GUI and `boxctl ls -w`.
// Keeps the current BoxInfo per key, merges pushed changes (events) with periodic resyncs
// (and a resync after every reconnect), polls stats of running boxes at statsIntervalMs,
// and reports per-backend reachability. Emits only real changes, so views update in place.
class BoxMonitor : public QObject
{
    Q_OBJECT
public:
    explicit BoxMonitor(QObject *parent = nullptr);
    ~BoxMonitor() override;

    void addBackend(BoxBackend *backend); // not owned
    void removeBackend(BoxBackend *backend);
    QList<BoxBackend *> backends() const;

    void setResyncInterval(int ms); // default 30000
    void setStatsInterval(int ms);  // default 2000; 0 = no stats
    void start();
    void stop();
    void resyncNow();

    QList<BoxInfo> boxes() const;
    bool isConnected(const QString &backendId) const;
    QString disconnectReason(const QString &backendId) const;

signals:
    void boxAdded(const bc::boxes::BoxInfo &box);
    // Anything but the resources changed (state, health, details, …).
    void boxUpdated(const bc::boxes::BoxInfo &previous, const bc::boxes::BoxInfo &box);
    // Only the resources changed: a stats tick. boxes() already holds them.
    void resourcesUpdated(const QString &key, const bc::boxes::BoxResources &resources);
    void boxRemoved(const QString &key);
    void backendConnectionChanged(const QString &backendId, bool connected, const QString &reason);
    // One backend's list answered (all its boxes merged) or failed (`error` says why).
    void backendListed(const QString &backendId, int boxes, const QString &error);
    // A box turned unhealthy, died, or was OOM-killed: for notifications.
    void boxAlert(const bc::boxes::BoxInfo &box, const QString &what);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace bc::boxes
