#pragma once

#include "core/docker/buildoptions.h"
#include "core/docker/dockertypes.h"
#include "core/result.h"
#include "core/util/oncejob.h"

#include <QPointer>

#include <memory>

namespace bc::http {
class HttpStream;
}

namespace bc::docker {

class DockerClient;
class JsonStreamDecoder;

// One image build (`POST /build`, classic builder, version=1). The context is packed on a
// worker thread and streamed as a chunked body; the JSON progress stream is decoded as
// it arrives. finished fires exactly once: the image id (aux.ID), or the in-stream
// error/errorDetail, a transport error, or Cancelled, and then the job deletes itself
// (util::OnceJob). cancel() closes the connection, which is how the daemon learns to stop
// the build.
class BuildJob : public util::OnceJob
{
    Q_OBJECT
public:
    BuildJob(DockerClient *client, BuildOptions options, QObject *parent = nullptr);
    ~BuildJob() override;

    void cancel();
    QString imageId() const { return m_imageId; }
    const BuildOptions &options() const { return m_options; }

signals:
    void output(const QString &text);                         // "Step 1/3 : FROM scratch\n"
    void progress(const bc::docker::BuildProgress &progress); // every decoded message
    void finished(const bc::Result<QString> &result);

private:
    friend class DockerClient;
    void start();
    void onPacked(Result<std::shared_ptr<QIODevice>> packed, const QString &dockerfile);
    void onData(const QByteArray &chunk);
    void handleMessage(const nlohmann::json &message);
    void finish(const Result<QString> &result);

    QPointer<DockerClient> m_client;
    BuildOptions m_options;
    QPointer<http::HttpStream> m_stream;
    std::unique_ptr<JsonStreamDecoder> m_decoder;
    QString m_imageId;
    std::optional<Error> m_streamError;
    bool m_cancelled = false;
};

} // namespace bc::docker
