#pragma once

#include "core/docker/dockerstreamjob.h"
#include "core/docker/dockertypes.h"
#include "core/docker/logoptions.h"

#include <memory>

namespace bc::docker {

class StdcopyDecoder;

// `GET /containers/{id}/logs`. Multiplexed (8-byte frames) or raw (TTY) is chosen from
// the Content-Type (API >= 1.42) or the container's Config.Tty (inspected first when the
// caller does not know). finished fires exactly once.
class LogStream : public DockerStreamJob
{
    Q_OBJECT
public:
    LogStream(DockerClient *client, QString id, LogOptions options, QObject *parent = nullptr);
    ~LogStream() override;

signals:
    void linesReceived(const QList<bc::docker::LogLine> &lines);

private:
    friend class DockerClient;
    void start();
    void openWithFraming(bool tty);
    void onHead(const http::HttpResponse &head) override;
    void onData(const QByteArray &chunk) override;

    QString m_id;
    LogOptions m_options;
    std::unique_ptr<StdcopyDecoder> m_decoder;
    bool m_tty = false;
};

} // namespace bc::docker
