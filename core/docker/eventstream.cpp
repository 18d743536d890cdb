#include "core/docker/eventstream.h"

#include "core/docker/dockerclient.h"
#include "core/docker/dockerjson.h"
#include "core/docker/jsonstreamdecoder.h"
#include "core/http/httpclient.h"

namespace bc::docker {

EventStream::EventStream(DockerClient *client, QByteArray target, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_target(std::move(target))
    , m_decoder(std::make_unique<JsonStreamDecoder>())
{}

EventStream::~EventStream()
{
    if (m_stream)
        m_stream->cancel();
}

void EventStream::cancel()
{
    m_cancelled = true;
    if (m_stream)
        m_stream->cancel();
    else
        finish(Error(Error::Kind::Cancelled, QStringLiteral("event stream cancelled")));
}

void EventStream::start()
{
    if (m_finished)
        return;
    if (!m_client) {
        finish(Error(Error::Kind::Cancelled, QStringLiteral("Docker client closed")));
        return;
    }
    m_client->versionedTarget(m_target).then(this, [this](const Result<QByteArray> &target) {
        if (m_finished)
            return;
        if (!target) {
            finish(target.error().withContext(QStringLiteral("events")));
            return;
        }
        http::HttpRequest req = http::HttpRequest::get(*target);
        req.headerTimeoutMs = 30000;
        m_stream = m_client->http()->stream(req);
        connect(m_stream, &http::HttpStream::headersReceived, this, [this] {
            m_connected = true;
            emit connected();
        });
        connect(m_stream, &http::HttpStream::dataReceived, this, &EventStream::onData);
        connect(m_stream, &http::HttpStream::finished, this, [this](const VoidResult &r) {
            m_stream = nullptr;
            if (!r) {
                const Error e = m_client ? m_client->describeTransportError(r.error()) : r.error();
                finish(e.withContext(QStringLiteral("events")));
            } else {
                finish(VoidResult());
            }
        });
    });
}

void EventStream::onData(const QByteArray &chunk)
{
    if (m_finished)
        return;
    Result<std::vector<nlohmann::json>> values = m_decoder->feed(chunk);
    if (!values) {
        finish(values.error().withContext(QStringLiteral("events")));
        if (m_stream)
            m_stream->cancel();
        return;
    }
    for (const auto &j : values.value()) {
        const Event e = json::event(j);
        m_lastTimeNano = std::max(m_lastTimeNano, e.timeNano);
        emit eventReceived(e);
        if (m_finished)
            return;
    }
}

void EventStream::finish(const VoidResult &result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_connected = false;
    emit finished(result);
    deleteLater();
}

} // namespace bc::docker
