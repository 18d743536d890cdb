#pragma once

#include "core/docker/dockertypes.h"
#include "core/result.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

namespace bc::http {
class HttpStream;
}

namespace bc::docker {

class DockerClient;
class JsonStreamDecoder;

// `GET /containers/{id}/stats?stream=true`: one sample a second. CPU % of each sample is
// computed against the previous one (the daemon's precpu of the first is empty).
// finished fires exactly once (the container stopped, an error, or cancel()).
class StatsStream : public QObject
{
    Q_OBJECT
public:
    StatsStream(DockerClient *client, QString id, QObject *parent = nullptr);
    ~StatsStream() override;

    void cancel();
    bool isFinished() const { return m_finished; }
    QString containerId() const { return m_id; }

signals:
    void sampleReceived(const bc::docker::StatsSample &sample);
    void finished(const bc::VoidResult &result);

private:
    friend class DockerClient;
    void start();
    void onData(const QByteArray &chunk);
    void finish(const VoidResult &result);

    QPointer<DockerClient> m_client;
    QString m_id;
    QPointer<http::HttpStream> m_stream;
    std::unique_ptr<JsonStreamDecoder> m_decoder;
    std::optional<StatsSample> m_previous;
    bool m_cancelled = false;
    bool m_finished = false;
};

} // namespace bc::docker
