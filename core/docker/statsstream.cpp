#include "core/docker/statsstream.h"

#include "core/docker/jsonstreamdecoder.h"
#include "core/docker/statscalculator.h"

#include <QUrl>

namespace bc::docker {

StatsStream::StatsStream(DockerClient *client, QString id, QObject *parent)
    : DockerStreamJob(client, QStringLiteral("stats of container %1").arg(id), parent)
    , m_id(std::move(id))
    , m_decoder(std::make_unique<JsonStreamDecoder>())
{}

StatsStream::~StatsStream() = default;

void StatsStream::start()
{
    open("/containers/" + QUrl::toPercentEncoding(m_id) + "/stats?stream=1");
}

void StatsStream::onData(const QByteArray &chunk)
{
    Result<std::vector<nlohmann::json>> values = m_decoder->feed(chunk);
    if (!values) {
        fail(values.error());
        return;
    }
    for (const auto &j : values.value()) {
        StatsSample sample = StatsCalculator::fromJson(j, m_previous ? &*m_previous : nullptr);
        if (sample.id.isEmpty())
            sample.id = m_id;
        m_previous = sample;
        emit sampleReceived(sample);
        if (isFinished())
            return;
    }
}

} // namespace bc::docker
