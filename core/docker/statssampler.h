#pragma once

#include "core/docker/dockertypes.h"
#include "core/result.h"

#include <QFuture>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <memory>

namespace bc::docker {

class DockerClient;

// Resource samples of containers taken again and again, each one's CPU % against the
// previous sample of the same container: the one place that keeps "the previous sample",
// for the console's monitor, a Coolify server's engine, `boxctl ls` and `boxctl stats`.
//
// How it samples follows the caller's refresh (setInterval), by what each way costs the
// engine (measured by tests/bench/bench_stats, figures in the README): a stats stream
// makes the daemon encode one sample a second per container whatever the caller needs
// (about 1.8 ms of dockerd CPU each), a one-shot request costs about 2.4 ms but only when
// asked. Below StreamBelowMs one stream per container is cheaper and sample() answers
// with its latest document; at the console's 2 s and `boxctl stats`'s 3 s, one-shot
// requests are.
class StatsSampler : public QObject
{
    Q_OBJECT
public:
    static constexpr int StreamBelowMs = 1300;

    explicit StatsSampler(DockerClient *client, QObject *parent = nullptr);
    ~StatsSampler() override;

    // The caller's refresh in ms (default 2000).
    void setInterval(int ms);
    bool isStreaming() const { return m_streaming; }

    // A sample of the container (cpuKnown once there is a previous one). One-shot: a new
    // request. Streaming: the stream's latest document, or its first once it comes.
    QFuture<Result<StatsSample>> sample(const QString &id);

    // Drops what is kept of a container whose counters restarted (it stopped or restarted)
    // or that is gone; a stream of it is closed.
    void forget(const QString &id);
    // The same for every container not in `ids` (no longer running).
    void keepOnly(const QSet<QString> &ids);
    bool hasPrevious(const QString &id) const;
    int openStreams() const { return int(m_streams.size()); }

private:
    struct Stream;
    QFuture<Result<StatsSample>> fromStream(const QString &id);
    void closeStream(const QString &id);

    QPointer<DockerClient> m_client;
    bool m_streaming = false;
    QHash<QString, StatsSample> m_previous; // one-shot
    QHash<QString, std::shared_ptr<Stream>> m_streams;
};

} // namespace bc::docker
