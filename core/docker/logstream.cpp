#include "core/docker/logstream.h"

#include "core/docker/dockerclient.h"
#include "core/docker/stdcopydecoder.h"
#include "core/http/httpclient.h"
#include "core/util/futureutil.h"

#include <QUrl>

namespace bc::docker {

LogStream::LogStream(DockerClient *client, QString id, LogOptions options, QObject *parent)
    : DockerStreamJob(client, QStringLiteral("logs of container %1").arg(id), parent)
    , m_id(std::move(id))
    , m_options(options)
{}

LogStream::~LogStream() = default;

void LogStream::start()
{
    if (isFinished() || clientGone())
        return;
    if (m_options.tty.has_value()) {
        openWithFraming(*m_options.tty);
        return;
    }
    // Guessing the framing from the bytes is fragile (a TTY can print anything): ask.
    onFinished(
        m_client->inspectContainer(m_id), this,
        [this](const Result<ContainerInspect> &r) {
            if (isFinished())
                return;
            if (!r) {
                finish(r.error().withContext(m_what));
                return;
            }
            openWithFraming(r->tty);
        },
        WhenReady::RunNow);
}

void LogStream::openWithFraming(bool tty)
{
    m_tty = tty;
    QByteArray path = "/containers/" + QUrl::toPercentEncoding(m_id) + "/logs?";
    path += m_options.stdoutStream ? "stdout=1" : "stdout=0";
    path += m_options.stderrStream ? "&stderr=1" : "&stderr=0";
    if (m_options.follow)
        path += "&follow=1";
    if (m_options.timestamps)
        path += "&timestamps=1";
    path +=
        "&tail=" + (m_options.tail < 0 ? QByteArray("all") : QByteArray::number(m_options.tail));
    if (m_options.since > 0)
        path += "&since=" + QByteArray::number(m_options.since);
    if (m_options.until > 0)
        path += "&until=" + QByteArray::number(m_options.until);
    open(path, 60000);
}

void LogStream::onHead(const http::HttpResponse &head)
{
    // API >= 1.42 says which framing it sends; that beats what inspect said.
    const QByteArray type = head.contentType();
    if (type == "application/vnd.docker.raw-stream")
        m_tty = true;
    else if (type == "application/vnd.docker.multiplexed-stream")
        m_tty = false;
    m_decoder = std::make_unique<StdcopyDecoder>(m_tty);
}

void LogStream::onData(const QByteArray &chunk)
{
    if (!m_decoder)
        m_decoder = std::make_unique<StdcopyDecoder>(m_tty);
    Result<QList<LogLine>> lines = m_decoder->feed(chunk);
    if (!lines) {
        fail(lines.error());
        return;
    }
    if (!lines->isEmpty())
        emit linesReceived(lines.value());
}

} // namespace bc::docker
