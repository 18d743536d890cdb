#include "core/docker/dockerstreamjob.h"

#include "core/docker/dockerclient.h"
#include "core/http/httpclient.h"
#include "core/util/futureutil.h"

namespace bc::docker {

DockerStreamJob::DockerStreamJob(DockerClient *client, QString what, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_what(std::move(what))
{}

DockerStreamJob::~DockerStreamJob()
{
    if (m_stream)
        m_stream->cancel();
}

void DockerStreamJob::cancel()
{
    if (m_stream)
        m_stream->cancel(); // finishes us with Cancelled through the stream
    if (!m_finished)
        finish(Error(Error::Kind::Cancelled, m_what + QStringLiteral(" cancelled")));
}

bool DockerStreamJob::clientGone()
{
    if (m_client)
        return false;
    finish(Error(Error::Kind::Cancelled, QStringLiteral("Docker client closed")));
    return true;
}

void DockerStreamJob::open(const QByteArray &path, int headerTimeoutMs)
{
    if (m_finished || clientGone())
        return;
    onFinished(
        m_client->versionedTarget(path), this,
        [this, headerTimeoutMs](const Result<QByteArray> &target) {
            if (m_finished || clientGone())
                return;
            if (!target) {
                finish(target.error().withContext(m_what));
                return;
            }
            http::HttpRequest req = http::HttpRequest::get(*target);
            req.headerTimeoutMs = headerTimeoutMs;
            m_stream = m_client->http()->stream(req);
            connect(m_stream, &http::HttpStream::headersReceived, this, &DockerStreamJob::onHead);
            connect(m_stream, &http::HttpStream::dataReceived, this,
                    [this](const QByteArray &chunk) {
                        if (!m_finished)
                            onData(chunk);
                    });
            connect(m_stream, &http::HttpStream::finished, this, [this](const VoidResult &r) {
                m_stream = nullptr;
                if (r.ok()) {
                    finish(VoidResult());
                    return;
                }
                const Error e = m_client ? m_client->describeTransportError(r.error()) : r.error();
                finish(e.withContext(m_what));
            });
        },
        WhenReady::RunNow);
}

void DockerStreamJob::onHead(const http::HttpResponse &) {}

void DockerStreamJob::fail(const Error &error)
{
    finish(error.withContext(m_what));
    if (m_stream)
        m_stream->cancel();
}

void DockerStreamJob::finish(const VoidResult &result)
{
    if (m_finished)
        return;
    m_finished = true;
    emit finished(result);
    deleteLater();
}

} // namespace bc::docker
