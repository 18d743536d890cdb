#include "core/docker/statsstream.h"

#include "core/docker/dockerclient.h"
#include "core/docker/jsonstreamdecoder.h"
#include "core/docker/statscalculator.h"
#include "core/http/httpclient.h"

#include <QUrl>

namespace bc::docker {

StatsStream::StatsStream(DockerClient *client, QString id, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_id(std::move(id))
    , m_decoder(std::make_unique<JsonStreamDecoder>())
{}

StatsStream::~StatsStream()
{
    if (m_stream)
        m_stream->cancel();
}

void StatsStream::cancel()
{
    m_cancelled = true;
    if (m_stream)
        m_stream->cancel();
    else
        finish(Error(Error::Kind::Cancelled, QStringLiteral("stats stream cancelled")));
}

void StatsStream::start()
{
    if (m_finished)
        return;
    if (!m_client) {
        finish(Error(Error::Kind::Cancelled, QStringLiteral("Docker client closed")));
        return;
    }
    const QString what = QStringLiteral("stats of container %1").arg(m_id);
    const QByteArray path = "/containers/" + QUrl::toPercentEncoding(m_id) + "/stats?stream=1";
    m_client->versionedTarget(path).then(this, [this, what](const Result<QByteArray> &target) {
        if (m_finished)
            return;
        if (!target) {
            finish(target.error().withContext(what));
            return;
        }
        http::HttpRequest req = http::HttpRequest::get(*target);
        req.headerTimeoutMs = 30000;
        m_stream = m_client->http()->stream(req);
        connect(m_stream, &http::HttpStream::dataReceived, this, &StatsStream::onData);
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

void StatsStream::onData(const QByteArray &chunk)
{
    if (m_finished)
        return;
    Result<std::vector<nlohmann::json>> values = m_decoder->feed(chunk);
    if (!values) {
        finish(values.error().withContext(QStringLiteral("stats of container %1").arg(m_id)));
        if (m_stream)
            m_stream->cancel();
        return;
    }
    for (const auto &j : values.value()) {
        StatsSample sample = StatsCalculator::fromJson(j, m_previous ? &*m_previous : nullptr);
        if (sample.id.isEmpty())
            sample.id = m_id;
        m_previous = sample;
        emit sampleReceived(sample);
        if (m_finished)
            return;
    }
}

void StatsStream::finish(const VoidResult &result)
{
    if (m_finished)
        return;
    m_finished = true;
    emit finished(result);
    deleteLater();
}

} // namespace bc::docker
