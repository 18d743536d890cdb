#pragma once

#include "core/result.h"

#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace bc::docker {
class DockerClient;
}

namespace bc::policy {

// Someone at the box counts as activity, as the agent's own work does: while a terminal is
// open on a box or its log is followed, this touches the marker whose time the box-agent
// reports as lastActivity (infrastructure/box-base/box-agent.sh), once at start and then
// once a minute, so the idle stop keeps away for as long as a person is there.
//
// The touch is a short exec as the box's own user (the agent's marker is that user's file;
// another user could not touch it). A box without the marker's directory or without
// `touch` only loses this signal: failures are not shown, the box works as before.
class ActivityMarker : public QObject
{
    Q_OBJECT
public:
    static constexpr int IntervalMs = 60000;
    static QString markerPath();

    ActivityMarker(docker::DockerClient *client, QString containerId, QObject *parent = nullptr);

    // Touches now, then every IntervalMs until stop() or destruction.
    void start();
    void stop();
    bool isActive() const { return m_timer.isActive(); }

    // One touch; a touch still in flight is not repeated (its future is returned).
    QFuture<VoidResult> touch();

    void setIntervalMs(int ms) { m_timer.setInterval(ms); }

private:
    QPointer<docker::DockerClient> m_client;
    QString m_container;
    QTimer m_timer;
    QFuture<VoidResult> m_inFlight;
};

} // namespace bc::policy
