#pragma once

#include "core/docker/dockertypes.h"
#include "core/docker/logoptions.h"
#include "core/result.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace bc::http {
class HttpStream;
struct HttpResponse;
} // namespace bc::http

namespace bc::docker {

class DockerClient;
class StdcopyDecoder;

// `GET /containers/{id}/logs`. Multiplexed (8-byte frames) or raw (TTY) is chosen from
// the Content-Type (API >= 1.42) or the container's Config.Tty (inspected first when the
// caller does not know). finished fires exactly once.
class LogStream : public QObject
{
    Q_OBJECT
public:
    LogStream(DockerClient *client, QString id, LogOptions options, QObject *parent = nullptr);
    ~LogStream() override;

    void cancel();
    bool isFinished() const { return m_finished; }

signals:
    void linesReceived(const QList<bc::docker::LogLine> &lines);
    void finished(const bc::VoidResult &result);

private:
    friend class DockerClient;
    void start();
    void open(bool tty);
    void onHead(const http::HttpResponse &head);
    void onData(const QByteArray &chunk);
    void finish(const VoidResult &result);

    QPointer<DockerClient> m_client;
    QString m_id;
    LogOptions m_options;
    QPointer<http::HttpStream> m_stream;
    std::unique_ptr<StdcopyDecoder> m_decoder;
    bool m_tty = false;
    bool m_cancelled = false;
    bool m_finished = false;
};

} // namespace bc::docker
