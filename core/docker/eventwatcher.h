#pragma once

#include "core/docker/dockerclient.h"
#include "core/docker/dockertypes.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace bc::docker {

class EventStream;

// A long-lived event subscription that survives daemon restarts. Subscribes first and
// then asks its owner to re-list (resyncNeeded), so nothing created in between is missed.
// When the stream is lost it reconnects with exponential backoff (0.5 s .. 30 s, with
// jitter), re-negotiates the API version (the daemon may have been upgraded), resumes
// with since=<last timeNano> and asks for a resync again: events are lost across a
// restart (the daemon keeps only 256 in memory, and a restart emits no stop events).
class EventWatcher : public QObject
{
    Q_OBJECT
public:
    EventWatcher(DockerClient *client, Filters filters = {}, QObject *parent = nullptr);
    ~EventWatcher() override;

    void start();
    void stop();
    bool isConnected() const { return m_connected; }
    qint64 lastTimeNano() const { return m_lastTimeNano; }
    int reconnectCount() const { return m_reconnects; }

    // Backoff bounds, for tests.
    void setBackoff(int initialMs, int maxMs);

signals:
    void connected();
    void disconnected(const QString &reason);
    void eventReceived(const bc::docker::Event &event);
    void resyncNeeded();

private:
    void connectNow();
    void onStreamFinished(const VoidResult &result);
    void scheduleReconnect();

    QPointer<DockerClient> m_client;
    Filters m_filters;
    QPointer<EventStream> m_stream;
    QTimer m_retryTimer;
    qint64 m_lastTimeNano = 0;
    int m_initialBackoffMs = 500;
    int m_maxBackoffMs = 30000;
    int m_backoffMs = 500;
    int m_reconnects = 0;
    bool m_running = false;
    bool m_connected = false;
    bool m_everConnected = false;
};

} // namespace bc::docker
