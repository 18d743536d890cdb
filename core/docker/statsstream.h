#pragma once

#include "core/docker/dockerstreamjob.h"
#include "core/docker/dockertypes.h"

#include <memory>
#include <optional>

namespace bc::docker {

class JsonStreamDecoder;

// `GET /containers/{id}/stats?stream=true`: one sample a second. CPU % of each sample is
// computed against the previous one (the daemon's precpu of the first is empty).
// finished fires exactly once (the container stopped, an error, or cancel()).
class StatsStream : public DockerStreamJob
{
    Q_OBJECT
public:
    StatsStream(DockerClient *client, QString id, QObject *parent = nullptr);
    ~StatsStream() override;

    QString containerId() const { return m_id; }

signals:
    void sampleReceived(const bc::docker::StatsSample &sample);

private:
    friend class DockerClient;
    void start();
    void onData(const QByteArray &chunk) override;

    QString m_id;
    std::unique_ptr<JsonStreamDecoder> m_decoder;
    std::optional<StatsSample> m_previous;
};

} // namespace bc::docker
