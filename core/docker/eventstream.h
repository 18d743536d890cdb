#pragma once

#include "core/docker/dockerstreamjob.h"
#include "core/docker/dockertypes.h"

#include <memory>

namespace bc::docker {

class JsonStreamDecoder;

// One `GET /events` stream. Emits each decoded event; finished fires exactly once when
// the daemon ends the stream (success), on error, or after cancel() (Cancelled).
// Reconnecting is EventWatcher's job.
class EventStream : public DockerStreamJob
{
    Q_OBJECT
public:
    EventStream(DockerClient *client, QByteArray target, QObject *parent = nullptr);
    ~EventStream() override;

    bool isConnected() const { return m_connected; }
    qint64 lastTimeNano() const { return m_lastTimeNano; }

signals:
    void connected(); // response headers arrived: the subscription is in place
    void eventReceived(const bc::docker::Event &event);

private:
    friend class DockerClient;
    void start() { open(m_target); }
    void onHead(const http::HttpResponse &head) override;
    void onData(const QByteArray &chunk) override;
    void finish(const VoidResult &result) override;

    QByteArray m_target;
    std::unique_ptr<JsonStreamDecoder> m_decoder;
    qint64 m_lastTimeNano = 0;
    bool m_connected = false;
};

} // namespace bc::docker
