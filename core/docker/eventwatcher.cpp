#include "core/docker/eventwatcher.h"

#include "core/docker/eventstream.h"

#include <QRandomGenerator>

namespace bc::docker {

EventWatcher::EventWatcher(DockerClient *client, Filters filters, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_filters(std::move(filters))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &EventWatcher::connectNow);
}

EventWatcher::~EventWatcher()
{
    m_running = false;
    if (m_stream)
        m_stream->cancel();
}

void EventWatcher::setBackoff(int initialMs, int maxMs)
{
    m_initialBackoffMs = initialMs;
    m_maxBackoffMs = maxMs;
    m_backoffMs = initialMs;
}

void EventWatcher::start()
{
    if (m_running)
        return;
    m_running = true;
    m_backoffMs = m_initialBackoffMs;
    connectNow();
}

void EventWatcher::stop()
{
    m_running = false;
    m_retryTimer.stop();
    if (m_stream)
        m_stream->cancel();
    m_stream = nullptr;
    m_connected = false;
}

void EventWatcher::connectNow()
{
    if (!m_running || !m_client || m_stream)
        return;
    if (m_everConnected) {
        // The daemon may have been upgraded while it was away.
        m_client->resetNegotiation();
    }
    m_stream = m_client->events(m_filters, m_lastTimeNano);
    EventStream *stream = m_stream;
    connect(stream, &EventStream::connected, this, [this] {
        m_connected = true;
        if (m_everConnected)
            ++m_reconnects;
        m_everConnected = true;
        m_backoffMs = m_initialBackoffMs;
        emit connected();
        // Subscribed first, so a re-list now cannot miss anything created meanwhile.
        emit resyncNeeded();
    });
    connect(stream, &EventStream::eventReceived, this, [this](const Event &e) {
        // since= is inclusive: the last event before a reconnect comes again.
        if (e.timeNano != 0 && e.timeNano <= m_lastTimeNano)
            return;
        m_lastTimeNano = std::max(m_lastTimeNano, e.timeNano);
        emit eventReceived(e);
    });
    connect(stream, &EventStream::finished, this, &EventWatcher::onStreamFinished);
}

void EventWatcher::onStreamFinished(const VoidResult &result)
{
    m_stream = nullptr;
    const bool wasConnected = m_connected;
    m_connected = false;
    if (!m_running)
        return;
    const QString reason =
        result ? QStringLiteral("the daemon closed the event stream") : result.error().toString();
    if (wasConnected || !m_everConnected)
        emit disconnected(reason);
    scheduleReconnect();
}

void EventWatcher::scheduleReconnect()
{
    // Jitter keeps many consoles from hammering a daemon that just came back.
    const double factor = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    const int delay = int(m_backoffMs * factor);
    m_backoffMs = std::min(m_maxBackoffMs, m_backoffMs * 2);
    m_retryTimer.start(delay);
}

} // namespace bc::docker
