#include "core/docker/logstream.h"

#include "core/docker/dockerclient.h"
#include "core/docker/stdcopydecoder.h"
#include "core/http/httpclient.h"

#include <QUrl>

namespace bc::docker {

LogStream::LogStream(DockerClient *client, QString id, LogOptions options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_id(std::move(id))
    , m_options(options)
{}

LogStream::~LogStream()
{
    if (m_stream)
        m_stream->cancel();
}

void LogStream::cancel()
{
    m_cancelled = true;
    if (m_stream)
        m_stream->cancel();
    else
        finish(Error(Error::Kind::Cancelled, QStringLiteral("log stream cancelled")));
}

void LogStream::start()
{
    if (m_finished)
        return;
    if (!m_client) {
        finish(Error(Error::Kind::Cancelled, QStringLiteral("Docker client closed")));
        return;
    }
    if (m_options.tty.has_value()) {
        open(*m_options.tty);
        return;
    }
    // Guessing the framing from the bytes is fragile (a TTY can print anything): ask.
    m_client->inspectContainer(m_id).then(this, [this](const Result<ContainerInspect> &r) {
        if (m_finished)
            return;
        if (!r) {
            finish(r.error().withContext(QStringLiteral("logs of container %1").arg(m_id)));
            return;
        }
        open(r->tty);
    });
}

void LogStream::open(bool tty)
{
    m_tty = tty;
    const QString what = QStringLiteral("logs of container %1").arg(m_id);
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
    m_client->versionedTarget(path).then(this, [this, what](const Result<QByteArray> &target) {
        if (m_finished)
            return;
        if (!target) {
            finish(target.error().withContext(what));
            return;
        }
        http::HttpRequest req = http::HttpRequest::get(*target);
        req.headerTimeoutMs = 60000;
        m_stream = m_client->http()->stream(req);
        connect(m_stream, &http::HttpStream::headersReceived, this, &LogStream::onHead);
        connect(m_stream, &http::HttpStream::dataReceived, this, &LogStream::onData);
        connect(m_stream, &http::HttpStream::finished, this, [this, what](const VoidResult &r) {
            m_stream = nullptr;
            if (!r) {
                const Error e = m_client ? m_client->describeTransportError(r.error()) : r.error();
                finish(e.withContext(what));
            } else {
                finish(VoidResult());
            }
        });
    });
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
    if (m_finished)
        return;
    if (!m_decoder)
        m_decoder = std::make_unique<StdcopyDecoder>(m_tty);
    Result<QList<LogLine>> lines = m_decoder->feed(chunk);
    if (!lines) {
        finish(lines.error().withContext(QStringLiteral("logs of container %1").arg(m_id)));
        if (m_stream)
            m_stream->cancel();
        return;
    }
    if (!lines->isEmpty())
        emit linesReceived(lines.value());
}

void LogStream::finish(const VoidResult &result)
{
    if (m_finished)
        return;
    m_finished = true;
    emit finished(result);
    deleteLater();
}

} // namespace bc::docker
