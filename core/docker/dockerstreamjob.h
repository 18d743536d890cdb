#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>

namespace bc::http {
class HttpStream;
struct HttpResponse;
} // namespace bc::http

namespace bc::docker {

class DockerClient;

// What the Docker GET streams (events, stats, logs) share: negotiate, open the stream on a
// dedicated connection, hand bytes to the subclass's decoder, map failures to errors that
// name the stream, and finish exactly once (also after cancel()), then delete itself.
class DockerStreamJob : public QObject
{
    Q_OBJECT
public:
    ~DockerStreamJob() override;

    void cancel();
    bool isFinished() const { return m_finished; }

signals:
    void finished(const bc::VoidResult &result);

protected:
    DockerStreamJob(DockerClient *client, QString what, QObject *parent);

    // Negotiates the API version, then streams `GET <versioned path>`.
    void open(const QByteArray &path, int headerTimeoutMs = 30000);
    virtual void onHead(const http::HttpResponse &head);
    virtual void onData(const QByteArray &chunk) = 0;
    // A decoder error: finish with it and close the stream.
    void fail(const Error &error);
    virtual void finish(const VoidResult &result);
    bool clientGone(); // finishes with Cancelled when the client was destroyed

    QPointer<DockerClient> m_client;
    QString m_what; // "events", "stats of container x": the context of every error

private:
    QPointer<http::HttpStream> m_stream;
    bool m_finished = false;
};

} // namespace bc::docker
