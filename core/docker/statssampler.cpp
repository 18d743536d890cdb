#include "core/docker/statssampler.h"

#include "core/docker/dockerclient.h"
#include "core/docker/statsstream.h"
#include "core/util/async.h"
#include "core/util/futureutil.h"

#include <optional>

namespace bc::docker {

struct StatsSampler::Stream
{
    QPointer<StatsStream> job;
    std::optional<StatsSample> latest;
    QList<AsyncResult<StatsSample>> waiting; // sample() calls before the first document
};

StatsSampler::StatsSampler(DockerClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{}

StatsSampler::~StatsSampler()
{
    for (const QString &id : m_streams.keys())
        closeStream(id);
}

void StatsSampler::setInterval(int ms)
{
    const bool streaming = ms > 0 && ms < StreamBelowMs;
    if (streaming == m_streaming)
        return;
    m_streaming = streaming;
    if (streaming) {
        m_previous.clear();
        return;
    }
    // Back to one-shot: each stream's latest sample is the next request's previous one.
    for (auto it = m_streams.cbegin(); it != m_streams.cend(); ++it)
        if (it.value()->latest)
            m_previous.insert(it.key(), *it.value()->latest);
    for (const QString &id : m_streams.keys())
        closeStream(id);
}

QFuture<Result<StatsSample>> StatsSampler::sample(const QString &id)
{
    if (!m_client)
        return readyFuture(Result<StatsSample>(
            Error(Error::Kind::Cancelled, QStringLiteral("the engine's client is gone"))));
    if (m_streaming)
        return fromStream(id);
    const auto prev = m_previous.constFind(id);
    AsyncResult<StatsSample> async;
    onFinished(
        m_client->stats(id, true, prev == m_previous.constEnd() ? nullptr : &prev.value()), this,
        [this, id, async](const Result<StatsSample> &s) {
            if (s)
                m_previous.insert(id, s.value());
            else
                m_previous.remove(id);
            async.finish(s);
        },
        WhenReady::RunNow);
    return async.future();
}

QFuture<Result<StatsSample>> StatsSampler::fromStream(const QString &id)
{
    std::shared_ptr<Stream> &slot = m_streams[id];
    if (slot && slot->latest)
        return readyFuture(Result<StatsSample>(*slot->latest));
    AsyncResult<StatsSample> async;
    if (!slot) {
        slot = std::make_shared<Stream>();
        StatsStream *job = m_client->statsStream(id);
        slot->job = job;
        const std::weak_ptr<Stream> weak = slot;
        connect(job, &StatsStream::sampleReceived, this, [weak](const StatsSample &s) {
            const auto stream = weak.lock();
            if (!stream)
                return;
            stream->latest = s;
            for (const AsyncResult<StatsSample> &w : std::exchange(stream->waiting, {}))
                w.finish(s);
        });
        // The container stopped or the engine went away: the next sample() opens a new one.
        connect(job, &StatsStream::finished, this, [this, id, weak](const VoidResult &r) {
            const auto stream = weak.lock();
            if (!stream)
                return;
            const Error why = r ? Error(Error::Kind::NotFound,
                                        QStringLiteral("the stats stream of %1 ended").arg(id))
                                : r.error();
            for (const AsyncResult<StatsSample> &w : std::exchange(stream->waiting, {}))
                w.finish(why);
            if (m_streams.value(id) == stream)
                m_streams.remove(id);
        });
    }
    slot->waiting << async;
    return async.future();
}

void StatsSampler::closeStream(const QString &id)
{
    const std::shared_ptr<Stream> stream = m_streams.take(id);
    if (!stream)
        return;
    for (const AsyncResult<StatsSample> &w : std::exchange(stream->waiting, {}))
        w.finish(Error(Error::Kind::Cancelled, QStringLiteral("no longer sampled")));
    if (stream->job)
        stream->job->cancel();
}

void StatsSampler::forget(const QString &id)
{
    m_previous.remove(id);
    closeStream(id);
}

void StatsSampler::keepOnly(const QSet<QString> &ids)
{
    m_previous.removeIf([&ids](const auto &it) { return !ids.contains(it.key()); });
    for (const QString &id : m_streams.keys())
        if (!ids.contains(id))
            closeStream(id);
}

bool StatsSampler::hasPrevious(const QString &id) const
{
    if (m_streaming) {
        const auto stream = m_streams.value(id);
        return stream && stream->latest;
    }
    return m_previous.contains(id);
}

} // namespace bc::docker
