#include "core/docker/buildjob.h"

#include "core/docker/buildcontext.h"
#include "core/docker/dockerclient.h"
#include "core/docker/dockerjson.h"
#include "core/docker/jsonstreamdecoder.h"
#include "core/http/httpclient.h"
#include "core/util/futureutil.h"

#include <QRegularExpression>
#include <QThread>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

namespace bc::docker {

namespace {
struct Packed
{
    Result<std::shared_ptr<QIODevice>> device =
        Error(Error::Kind::Io, QStringLiteral("not packed"));
    QString dockerfile;
};
} // namespace

BuildJob::BuildJob(DockerClient *client, BuildOptions options, QObject *parent)
    : util::OnceJob(parent)
    , m_client(client)
    , m_options(std::move(options))
    , m_decoder(std::make_unique<JsonStreamDecoder>())
{
    setAutoDelete(true); // as it always did: its users only hold it until finished
}

BuildJob::~BuildJob()
{
    if (m_stream)
        m_stream->cancel();
}

void BuildJob::cancel()
{
    m_cancelled = true;
    if (m_stream)
        m_stream->cancel(); // finished(Cancelled) follows from the stream
    else
        finish(Error(Error::Kind::Cancelled, QStringLiteral("build cancelled")));
}

void BuildJob::start()
{
    if (isFinished())
        return;
    BuildContextOptions packOptions;
    packOptions.contextDir = m_options.contextDir;
    packOptions.dockerfile = m_options.dockerfile;
    QThread *home = thread();
    // Walking and archiving a context can take seconds: never on the caller's thread.
    auto packed = QtConcurrent::run([packOptions, home] {
        Packed p;
        p.device = BuildContext::pack(packOptions, &p.dockerfile);
        if (p.device && p.device.value() && p.device.value()->thread() == QThread::currentThread())
            p.device.value()->moveToThread(home);
        return p;
    });
    onFinished(
        packed, this, [this](const Packed &p) { onPacked(p.device, p.dockerfile); },
        WhenReady::RunNow);
}

void BuildJob::onPacked(Result<std::shared_ptr<QIODevice>> packed, const QString &dockerfile)
{
    if (isFinished())
        return;
    if (!packed) {
        finish(packed.error().withContext(
            QStringLiteral("pack build context %1").arg(m_options.contextDir)));
        return;
    }
    if (!m_client) {
        finish(Error(Error::Kind::Cancelled, QStringLiteral("Docker client closed")));
        return;
    }
    QByteArray path = "/build?version=1";
    if (!dockerfile.isEmpty())
        path += "&dockerfile=" + QUrl::toPercentEncoding(dockerfile);
    for (const QString &t : m_options.tags)
        path += "&t=" + QUrl::toPercentEncoding(t);
    if (!m_options.buildArgs.isEmpty())
        path += "&buildargs=" + QUrl::toPercentEncoding(QString::fromStdString(
                                    json::toJson(m_options.buildArgs).dump()));
    if (!m_options.labels.isEmpty())
        path += "&labels=" + QUrl::toPercentEncoding(
                                 QString::fromStdString(json::toJson(m_options.labels).dump()));
    if (m_options.noCache)
        path += "&nocache=1";
    path += m_options.pull ? "&pull=1" : "&pull=0";
    path += m_options.rm ? "&rm=1" : "&rm=0";
    if (m_options.forceRm)
        path += "&forcerm=1";
    std::shared_ptr<QIODevice> body = packed.value();
    onFinished(
        m_client->versionedTarget(path), this,
        [this, body](const Result<QByteArray> &target) {
            if (isFinished())
                return;
            if (!target) {
                finish(target.error().withContext(QStringLiteral("build")));
                return;
            }
            http::HttpRequest req = http::HttpRequest::post(*target);
            req.headers.set("Content-Type", "application/x-tar");
            req.bodyDevice = body;
            // The daemon answers once it has the context: allow a large upload.
            req.headerTimeoutMs = 300000;
            m_stream = m_client->http()->stream(req);
            connect(m_stream, &http::HttpStream::dataReceived, this, &BuildJob::onData);
            connect(m_stream, &http::HttpStream::finished, this, [this](const VoidResult &r) {
                m_stream = nullptr;
                if (isFinished())
                    return;
                if (!r) {
                    const Error e =
                        m_client ? m_client->describeTransportError(r.error()) : r.error();
                    finish(e.withContext(QStringLiteral("build")));
                    return;
                }
                if (Result<void> end = m_decoder->finish(); !end) {
                    finish(end.error().withContext(QStringLiteral("build")));
                    return;
                }
                for (const auto &j : m_decoder->takeTrailing())
                    handleMessage(j);
                if (isFinished())
                    return;
                if (m_imageId.isEmpty())
                    finish(Error(Error::Kind::Protocol,
                                 QStringLiteral("the build ended without an image id"))
                               .withContext(QStringLiteral("build")));
                else
                    finish(m_imageId);
            });
        },
        WhenReady::RunNow);
}

void BuildJob::onData(const QByteArray &chunk)
{
    if (isFinished())
        return;
    Result<std::vector<nlohmann::json>> values = m_decoder->feed(chunk);
    if (!values) {
        finish(values.error().withContext(QStringLiteral("build")));
        if (m_stream)
            m_stream->cancel();
        return;
    }
    for (const auto &j : values.value()) {
        handleMessage(j);
        if (isFinished())
            return;
    }
}

void BuildJob::handleMessage(const nlohmann::json &j)
{
    if (!j.is_object())
        return;
    // A failed step arrives inside the 200 response once output has been flushed.
    if (j.contains("errorDetail") || j.contains("error")) {
        QString message;
        if (j.contains("errorDetail") && j["errorDetail"].is_object())
            message = json::str(j["errorDetail"], "message");
        if (message.isEmpty())
            message = json::str(j, "error");
        if (message.isEmpty())
            message = QStringLiteral("the build failed");
        finish(Error(Error::Kind::Server, message.trimmed()).withContext(QStringLiteral("build")));
        if (m_stream)
            m_stream->cancel();
        return;
    }
    if (j.contains("aux") && j["aux"].is_object()) {
        const QString id = json::str(j["aux"], "ID");
        if (!id.isEmpty())
            m_imageId = id;
    }
    const BuildProgress p = json::buildProgress(j);
    if (!p.stream.isEmpty()) {
        // Daemons before aux (API < 1.30) only print this line.
        static const QRegularExpression legacy(
            QStringLiteral("^Successfully built ([0-9a-f]{12,64})\\s*$"));
        if (m_imageId.isEmpty()) {
            const auto m = legacy.match(p.stream);
            if (m.hasMatch())
                m_imageId = m.captured(1);
        }
        emit output(p.stream);
    }
    emit progress(p);
}

void BuildJob::finish(const Result<QString> &result)
{
    finishOnce([&] {
        if (result.ok())
            m_imageId = result.value();
        emit finished(result);
    });
}

} // namespace bc::docker
