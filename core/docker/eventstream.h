#pragma once

#include "core/docker/dockertypes.h"
#include "core/result.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace bc::http {
class HttpStream;
}

namespace bc::docker {

class DockerClient;
class JsonStreamDecoder;

// One `GET /events` stream. Emits each decoded event; finished fires exactly once when
// the daemon ends the stream (success), on error, or after cancel() (Cancelled).
// Reconnecting is EventWatcher's job.
class EventStream : public QObject
{
    Q_OBJECT
public:
    EventStream(DockerClient *client, QByteArray target, QObject *parent = nullptr);
    ~EventStream() override;

    void cancel();
    bool isFinished() const { return m_finished; }
    bool isConnected() const { return m_connected; }
    qint64 lastTimeNano() const { return m_lastTimeNano; }

signals:
    void connected(); // response headers arrived: the subscription is in place
    void eventReceived(const bc::docker::Event &event);
    void finished(const bc::VoidResult &result);

private:
    friend class DockerClient;
    void start();
    void onData(const QByteArray &chunk);
    void finish(const VoidResult &result);

    QPointer<DockerClient> m_client;
    QByteArray m_target;
    QPointer<http::HttpStream> m_stream;
    std::unique_ptr<JsonStreamDecoder> m_decoder;
    qint64 m_lastTimeNano = 0;
    bool m_connected = false;
    bool m_cancelled = false;
    bool m_finished = false;
};

} // namespace bc::docker
