#include "core/docker/eventstream.h"

#include "core/docker/dockerjson.h"
#include "core/docker/jsonstreamdecoder.h"

namespace bc::docker {

EventStream::EventStream(DockerClient *client, QByteArray target, QObject *parent)
    : DockerStreamJob(client, QStringLiteral("events"), parent)
    , m_target(std::move(target))
    , m_decoder(std::make_unique<JsonStreamDecoder>())
{}

EventStream::~EventStream() = default;

void EventStream::onHead(const http::HttpResponse &)
{
    m_connected = true;
    emit connected();
}

void EventStream::onData(const QByteArray &chunk)
{
    Result<std::vector<nlohmann::json>> values = m_decoder->feed(chunk);
    if (!values) {
        fail(values.error());
        return;
    }
    for (const auto &j : values.value()) {
        const Event e = json::event(j);
        m_lastTimeNano = std::max(m_lastTimeNano, e.timeNano);
        emit eventReceived(e);
        if (isFinished())
            return;
    }
}

void EventStream::finish(const VoidResult &result)
{
    m_connected = false;
    DockerStreamJob::finish(result);
}

} // namespace bc::docker
