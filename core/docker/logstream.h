#pragma once

#include "core/docker/dockerstreamjob.h"
#include "core/docker/dockertypes.h"
#include "core/docker/logoptions.h"

#include <memory>
#include <optional>
#include <utility>

namespace bc::docker {

class StdcopyDecoder;

// `GET /containers/{id}/logs`. Multiplexed (8-byte frames) or raw (TTY) is chosen from
// the Content-Type (API >= 1.42) or the container's Config.Tty (inspected first when the
// caller does not know). finished fires exactly once.
//
// A follow that ends (the box stopped) is followed by one plain read of what came after the
// last line it delivered: the engine's follow can end before it has sent the last lines of
// a box that exits while the reader is behind (seen with Docker 20.10 under load). For that
// a multiplexed follow asks for timestamps; they are taken off again unless asked for.
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
    void finish(const VoidResult &result) override;
    // Reads a frame's leading timestamp; false when the frame has none.
    bool takeStamp(LogLine &line, std::pair<qint64, int> *stamp) const;

    QString m_id;
    LogOptions m_options;
    std::unique_ptr<StdcopyDecoder> m_decoder;
    bool m_tty = false;
    bool m_stampsAdded = false; // timestamps=1 asked for the catch-up only: stripped
    bool m_catchingUp = false;
    std::optional<std::pair<qint64, int>> m_lastStamp; // seconds, nanoseconds
    int m_atLastStamp = 0;                             // frames delivered with m_lastStamp
    qint64 m_delivered = 0;
    int m_toSkip = 0; // catch-up: frames at m_lastStamp the follow already delivered
};

} // namespace bc::docker
