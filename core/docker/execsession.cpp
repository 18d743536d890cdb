#include "core/docker/execsession.h"

#include "core/docker/dockerclient.h"
#include "core/docker/stdcopydecoder.h"
#include "core/http/httpclient.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponse.h"
#include "core/http/httpstream.h"
#include "core/http/transport.h"
#include "core/util/async.h"
#include "core/util/futureutil.h"

#include <QAbstractSocket>
#include <QLocalSocket>
#include <QProcess>
#include <QUrl>

#include <nlohmann/json.hpp>

namespace bc::docker {

namespace {

QByteArray pathPart(const QString &s)
{
    return QUrl::toPercentEncoding(s);
}

std::string str(const QString &s)
{
    return s.toStdString();
}

// The runtime's words when the executable is missing (runc, crun); the engine folds them
// into exit code 126 like every other start failure.
bool looksLikeMissingExecutable(const QByteArray &output)
{
    return output.contains("executable file not found") ||
           (output.contains("exec failed") && output.contains("no such file or directory"));
}

bool looksLikeStartFailure(const QByteArray &text)
{
    return text.startsWith("OCI runtime exec failed") || text.startsWith("unable to find user") ||
           text.startsWith("exec failed") || text.startsWith("unable to find group");
}

// Prints the shell's pid (the command's, after exec) as OSC 7770, then becomes the command.
constexpr const char *PidScript = "printf '\\033]7770;%s\\007' $$; exec \"$@\"";
constexpr char PidMarker[] = "\033]7770;";
// How long a TTY session's input waits for the terminal's size at most (see attach).
constexpr int StdinHoldMs = 2000;

// Run in the box as the session's user: every process of the session whose leader is $1
// (with a TTY the runtime makes the command a session leader; without one, its process
// group) gets SIGHUP, and SIGKILL a second later if still there. Reads /proc, so it needs
// nothing but the shell.
constexpr const char *EndScript =
    "p=$1; each() { for d in /proc/[0-9]*; do read -r l < $d/stat 2>/dev/null || continue; "
    "set -- ${l##*) }; if [ \"$3\" = \"$p\" ] || [ \"$4\" = \"$p\" ]; then "
    "kill -$sig ${d#/proc/} 2>/dev/null; fi; done; }; "
    "sig=HUP; each; sleep 1; sig=KILL; each; true";

} // namespace

ExecSession::ExecSession(DockerClient *client, QString container, ExecOptions options,
                         QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_container(std::move(container))
    , m_options(std::move(options))
    , m_cols(m_options.cols)
    , m_rows(m_options.rows)
{
    m_resizeTimer.setSingleShot(true);
    m_resizeTimer.setInterval(30);
    connect(&m_resizeTimer, &QTimer::timeout, this, [this] { sendResize(); });
}

ExecSession::~ExecSession()
{
    if (m_stream)
        m_stream->cancel();
    closeDevice();
}

QString ExecSession::what() const
{
    return QStringLiteral("exec in %1").arg(m_container);
}

void ExecSession::start()
{
    if (m_startRequested || m_finished)
        return;
    m_startRequested = true;
    if (!m_client) {
        finish(Error(Error::Kind::Cancelled, QStringLiteral("Docker client closed")));
        return;
    }
    if (m_options.cmd.isEmpty()) {
        finish(Error(Error::Kind::Invalid, QStringLiteral("no command to run")));
        return;
    }
    nlohmann::json body = {{"AttachStdin", m_options.attachStdin},
                           {"AttachStdout", true},
                           {"AttachStderr", true},
                           {"Tty", m_options.tty},
                           {"Cmd", nlohmann::json::array()}};
    m_wrapped = m_options.endOnClose;
    if (m_wrapped) {
        body["Cmd"].push_back("/bin/sh");
        body["Cmd"].push_back("-c");
        body["Cmd"].push_back(PidScript);
        body["Cmd"].push_back("sh");
    }
    for (const QString &a : m_options.cmd)
        body["Cmd"].push_back(str(a));
    if (!m_options.env.isEmpty()) {
        body["Env"] = nlohmann::json::array();
        for (const QString &e : m_options.env)
            body["Env"].push_back(str(e));
    }
    if (!m_options.user.isEmpty())
        body["User"] = str(m_options.user);
    if (!m_options.workingDir.isEmpty())
        body["WorkingDir"] = str(m_options.workingDir);
    if (m_options.tty && m_rows > 0 && m_cols > 0)
        body["ConsoleSize"] = {m_rows, m_cols}; // API >= 1.42; older engines ignore it
    const QByteArray path = "/containers/" + pathPart(m_container) + "/exec";
    onFinished(
        m_client->request(http::HttpRequest::post(path, QByteArray::fromStdString(body.dump()))),
        this, [this](const Result<http::HttpResponse> &r) {
            if (m_finished)
                return;
            if (!r) {
                finish(r.error().withContext(what()));
                return;
            }
            const http::HttpResponse &resp = r.value();
            if (resp.status == 409) {
                finish(Error(Error::Kind::Conflict,
                             QStringLiteral("box container %1 is not running").arg(m_container),
                             409));
                return;
            }
            if (resp.status == 404) {
                finish(Error(Error::Kind::NotFound,
                             QStringLiteral("no such container: %1").arg(m_container), 404));
                return;
            }
            if (!resp.isSuccess()) {
                finish(
                    Error::fromHttpStatus(resp.status, resp.serverMessage()).withContext(what()));
                return;
            }
            const auto j =
                nlohmann::json::parse(resp.body.constBegin(), resp.body.constEnd(), nullptr, false);
            if (!j.is_object() || !j.contains("Id") || !j["Id"].is_string()) {
                finish(Error(Error::Kind::Protocol,
                             QStringLiteral("exec create answered without an Id"))
                           .withContext(what()));
                return;
            }
            onCreated(QString::fromStdString(j["Id"].get<std::string>()));
        });
}

void ExecSession::onCreated(const QString &execId)
{
    m_execId = execId;
    if (!m_client) {
        finish(Error(Error::Kind::Cancelled, QStringLiteral("Docker client closed")));
        return;
    }
    onFinished(
        m_client->versionedTarget("/exec/" + pathPart(execId) + "/start"), this,
        [this](const Result<QByteArray> &target) {
            if (m_finished)
                return;
            if (!target || !m_client) {
                finish(target
                           ? Error(Error::Kind::Cancelled, QStringLiteral("Docker client closed"))
                           : target.error().withContext(what()));
                return;
            }
            const nlohmann::json body = {{"Detach", false}, {"Tty", m_options.tty}};
            http::HttpRequest req =
                http::HttpRequest::post(*target, QByteArray::fromStdString(body.dump()));
            req.upgrade = true;
            req.headerTimeoutMs = 30000;
            http::HttpStream *stream = m_client->http()->stream(req);
            m_stream = stream;
            connect(stream, &http::HttpStream::headersReceived, this,
                    [this, stream](const http::HttpResponse &head) { onHead(stream, head); });
            connect(stream, &http::HttpStream::dataReceived, this, &ExecSession::deliver);
            connect(stream, &http::HttpStream::finished, this, [this](const VoidResult &r) {
                m_stream = nullptr;
                if (m_device || m_finished)
                    return;
                if (!r) {
                    const Error e =
                        m_client ? m_client->describeTransportError(r.error()) : r.error();
                    finish(e.withContext(what()));
                    return;
                }
                onStreamEnded(); // a daemon that answered 200 and streamed the body
            });
        },
        WhenReady::RunNow);
}

void ExecSession::onHead(http::HttpStream *stream, const http::HttpResponse &head)
{
    if (m_finished)
        return;
    m_decoder = std::make_unique<StdcopyDecoder>(m_options.tty);
    if (head.status != 101)
        return; // 200: the body carries the streams through dataReceived
    stream->disconnect(this);
    QByteArray leftover;
    QIODevice *device = stream->takeDevice(&leftover);
    m_stream = nullptr;
    if (!device) {
        finish(Error(Error::Kind::Transport, QStringLiteral("upgraded connection lost"))
                   .withContext(what()));
        return;
    }
    m_device = device;
    device->setParent(this);
    // Bounded socket buffers: when we pause, the kernel's buffers fill and the engine waits.
    if (auto *local = qobject_cast<QLocalSocket *>(device))
        local->setReadBufferSize(1024 * 1024);
    else if (auto *tcp = qobject_cast<QAbstractSocket *>(device))
        tcp->setReadBufferSize(1024 * 1024);
    connect(device, &QIODevice::readyRead, this, &ExecSession::onReadyRead);
    connect(device, &QIODevice::bytesWritten, this, [this] {
        if (m_stdinClosed && !m_stdinShut && m_device && m_device->bytesToWrite() == 0)
            shutdownWrite();
    });
    if (auto *local = qobject_cast<QLocalSocket *>(device))
        connect(local, &QLocalSocket::disconnected, this, &ExecSession::onStreamEnded);
    else if (auto *tcp = qobject_cast<QAbstractSocket *>(device))
        connect(tcp, &QAbstractSocket::disconnected, this, &ExecSession::onStreamEnded);
    else if (auto *process = qobject_cast<QProcess *>(device))
        connect(process, &QProcess::finished, this, &ExecSession::onStreamEnded);
    connect(device, &QIODevice::readChannelFinished, this, &ExecSession::onStreamEnded);
    emit started();
    if (m_finished)
        return;
    // Engines before API 1.42 ignore ConsoleSize: the terminal has no size until the resize
    // sent once the command runs (its pid marker), and a line typed before that lands sees
    // 0x0 (`stty size` fails, editors draw wrong). Input waits for that resize (at most
    // StdinHoldMs, should the marker never come).
    m_holdStdin = m_options.tty && m_options.attachStdin && m_wrapped && !m_markerDone &&
                  m_rows > 0 && m_cols > 0;
    if (m_holdStdin)
        QTimer::singleShot(StdinHoldMs, this, &ExecSession::releaseStdin);
    if (!leftover.isEmpty())
        deliver(leftover);
    if (m_finished)
        return;
    if (!m_holdStdin && !m_pendingStdin.isEmpty())
        device->write(std::exchange(m_pendingStdin, {}));
    if (m_stdinClosed)
        closeStdin();
    if (m_options.tty && m_rows > 0 && m_cols > 0)
        sendResize();
    if (device->bytesAvailable() > 0)
        onReadyRead();
}

void ExecSession::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!paused && m_device && m_device->bytesAvailable() > 0)
        QTimer::singleShot(0, this, &ExecSession::onReadyRead);
}

void ExecSession::onReadyRead()
{
    if (!m_device || m_finished || m_paused)
        return;
    const QByteArray data = m_device->read(256 * 1024);
    if (!data.isEmpty())
        deliver(data);
    if (m_device && !m_paused && !m_finished && m_device->bytesAvailable() > 0)
        QTimer::singleShot(0, this, &ExecSession::onReadyRead);
}

void ExecSession::deliver(const QByteArray &chunk)
{
    if (m_finished || !m_decoder)
        return;
    if (m_options.tty) {
        deliverStdout(chunk);
        return;
    }
    auto frames = m_decoder->feed(chunk);
    if (!frames) {
        finish(frames.error().withContext(what()));
        closeDevice();
        return;
    }
    QPointer<ExecSession> self(this);
    for (const LogLine &frame : frames.value()) {
        m_lastOutput = QByteArray(m_lastOutput + frame.text).right(512);
        if (!m_sawOutput && frame.stream == LogLine::Stream::Stdout &&
            looksLikeStartFailure(frame.text)) {
            // The engine reports a failed start as text on stdout; held back until the
            // exit says whether the process ever ran, so that it can go to stderr.
            m_heldOutput += frame.text;
            continue;
        }
        if (!m_heldOutput.isEmpty()) {
            emit stdoutReceived(std::exchange(m_heldOutput, {}));
            if (!self || m_finished)
                return;
        }
        m_sawOutput = true;
        if (frame.stream == LogLine::Stream::Stderr)
            emit stderrReceived(frame.text);
        else
            deliverStdout(frame.text);
        if (!self || m_finished)
            return;
    }
}

void ExecSession::deliverStdout(const QByteArray &data)
{
    const QByteArray out = stripPidMarker(data);
    if (out.isEmpty())
        return;
    m_lastOutput = QByteArray(m_lastOutput + out).right(512);
    emit stdoutReceived(out);
}

QByteArray ExecSession::stripPidMarker(const QByteArray &data)
{
    if (!m_wrapped || m_markerDone)
        return data;
    // With a TTY the echo of early keystrokes can come before the marker, so it is looked
    // for in the first few KiB rather than only at the start.
    constexpr qsizetype ScanLimit = 4096;
    const QByteArray marker(PidMarker);
    m_markerBuffer += data;
    const qsizetype at = m_markerBuffer.indexOf(marker);
    if (at >= 0) {
        const qsizetype bel = m_markerBuffer.indexOf('\a', at + marker.size());
        if (bel >= 0) {
            m_markerDone = true;
            m_boxPid = m_markerBuffer.mid(at + marker.size(), bel - at - marker.size()).toInt();
            QByteArray out = m_markerBuffer.left(at) + m_markerBuffer.mid(bel + 1);
            m_markerBuffer.clear();
            // The process runs now: a size sent before it did may have found nothing.
            if (m_options.tty && m_rows > 0 && m_cols > 0)
                sendResize([this] { releaseStdin(); });
            else
                releaseStdin();
            return out;
        }
        if (m_markerBuffer.size() - at <= 64) {
            const QByteArray out = m_markerBuffer.left(at);
            m_markerBuffer.remove(0, at);
            m_markerScanned += out.size();
            return out;
        }
    } else {
        // Keep a tail that may be the beginning of the marker.
        qsizetype keep = std::min(m_markerBuffer.size(), marker.size() - 1);
        while (keep > 0 && !marker.startsWith(m_markerBuffer.right(keep)))
            --keep;
        const QByteArray out = m_markerBuffer.left(m_markerBuffer.size() - keep);
        m_markerBuffer.remove(0, out.size());
        m_markerScanned += out.size();
        if (m_markerScanned <= ScanLimit)
            return out;
        m_markerDone = true; // not started through our shell: pass everything on
        releaseStdin();
        return out + std::exchange(m_markerBuffer, {});
    }
    m_markerDone = true;
    releaseStdin();
    return std::exchange(m_markerBuffer, {});
}

void ExecSession::onStreamEnded()
{
    if (m_streamEnded || m_finished)
        return;
    m_streamEnded = true;
    if (m_device && m_device->bytesAvailable() > 0)
        deliver(m_device->readAll()); // the last bytes, even while paused: the socket is done
    if (m_finished)
        return;
    inspectExit(0);
}

void ExecSession::inspectExit(int attempt)
{
    if (m_finished)
        return;
    if (!m_client) {
        finish(Error(Error::Kind::Cancelled, QStringLiteral("Docker client closed")));
        return;
    }
    onFinished(
        m_client->request(http::HttpRequest::get("/exec/" + pathPart(m_execId) + "/json")), this,
        [this, attempt](const Result<http::HttpResponse> &r) {
            if (m_finished)
                return;
            if (!r || !r->isSuccess()) {
                finish((r ? Error::fromHttpStatus(r->status, r->serverMessage()) : r.error())
                           .withContext(QStringLiteral("exit code of ") + what()));
                return;
            }
            const auto j =
                nlohmann::json::parse(r->body.constBegin(), r->body.constEnd(), nullptr, false);
            const bool running = j.is_object() && j.value("Running", false);
            const bool hasCode =
                j.is_object() && j.contains("ExitCode") && j["ExitCode"].is_number_integer();
            if (running || !hasCode) {
                // The stream can end a moment before the engine records the exit.
                if (attempt >= 100) {
                    finish(Error(Error::Kind::Timeout,
                                 QStringLiteral("the process closed its streams but did not exit"))
                               .withContext(what()));
                    return;
                }
                QTimer::singleShot(attempt < 10 ? 10 : 50, this,
                                   [this, attempt] { inspectExit(attempt + 1); });
                return;
            }
            int code = j["ExitCode"].get<int>();
            const int pid = j.value("Pid", 0);
            if (m_wrapped && pid == 0 && code >= 126 && !m_markerDone &&
                m_lastOutput.contains("/bin/sh")) {
                restartUnwrapped(); // a box without a shell: run the command as is
                return;
            }
            if (code == 126 && pid == 0 && looksLikeMissingExecutable(m_lastOutput))
                code = 127;
            if (!m_heldOutput.isEmpty()) {
                QPointer<ExecSession> self(this);
                const QByteArray held = std::exchange(m_heldOutput, {});
                if (pid == 0 && code >= 126)
                    emit stderrReceived(held);
                else
                    emit stdoutReceived(held);
                if (!self || m_finished)
                    return;
            }
            closeDevice();
            finish(code);
        });
}

void ExecSession::restartUnwrapped()
{
    closeDevice();
    m_options.endOnClose = false;
    m_wrapped = false;
    m_execId.clear();
    m_decoder.reset();
    m_heldOutput.clear();
    m_lastOutput.clear();
    m_markerBuffer.clear();
    m_sawOutput = m_streamEnded = m_stdinShut = m_startRequested = m_holdStdin = false;
    start();
}

void ExecSession::write(const QByteArray &data)
{
    if (m_finished || m_stdinClosed || !m_options.attachStdin || data.isEmpty())
        return;
    if (!m_device || m_holdStdin) {
        m_pendingStdin += data;
        return;
    }
    m_device->write(data);
    // Keystrokes go out now rather than on the next event-loop turn.
    if (auto *local = qobject_cast<QLocalSocket *>(m_device.data()))
        local->flush();
    else if (auto *tcp = qobject_cast<QAbstractSocket *>(m_device.data()))
        tcp->flush();
}

void ExecSession::closeStdin()
{
    m_stdinClosed = true;
    if (!m_device || m_stdinShut || m_holdStdin)
        return;
    if (m_device->bytesToWrite() == 0)
        shutdownWrite();
}

void ExecSession::shutdownWrite()
{
    if (!m_device || m_stdinShut)
        return;
    m_stdinShut = true;
    // Qt cannot half-close TLS: ending the session is the only EOF we can give.
    if (!http::Transport::shutdownWrite(m_device.data()))
        terminate();
}

void ExecSession::resize(int cols, int rows)
{
    if (cols <= 0 || rows <= 0 || (cols == m_cols && rows == m_rows))
        return;
    m_cols = cols;
    m_rows = rows;
    if (m_device && m_options.tty && !m_finished)
        m_resizeTimer.start();
}

void ExecSession::sendResize(std::function<void()> then)
{
    if (!m_client || m_execId.isEmpty() || m_finished || !m_options.tty) {
        if (then)
            then();
        return;
    }
    const QByteArray path = "/exec/" + pathPart(m_execId) +
                            "/resize?h=" + QByteArray::number(m_rows) +
                            "&w=" + QByteArray::number(m_cols);
    // Best effort: a resize racing the exit answers 404 or 409, which is no error to report.
    const auto answered = m_client->request(http::HttpRequest::post(path));
    if (then)
        onFinished(answered, this, [then](const Result<http::HttpResponse> &) { then(); });
}

void ExecSession::releaseStdin()
{
    if (!m_holdStdin)
        return;
    m_holdStdin = false;
    if (!m_device || m_finished)
        return;
    if (!m_pendingStdin.isEmpty())
        m_device->write(std::exchange(m_pendingStdin, {}));
    if (m_stdinClosed)
        closeStdin();
}

QFuture<VoidResult> ExecSession::terminate()
{
    if (m_finished)
        return readyFuture(VoidResult());
    if (m_stream)
        m_stream->cancel();
    closeDevice();
    QFuture<VoidResult> ended = endBoxProcesses();
    finish(Error(Error::Kind::Cancelled, what() + QStringLiteral(" ended")));
    return ended;
}

QFuture<VoidResult> ExecSession::endBoxProcesses()
{
    if (!m_client || m_boxPid <= 1)
        return readyFuture(VoidResult());
    nlohmann::json body = {{"AttachStdin", false},
                           {"AttachStdout", false},
                           {"AttachStderr", false},
                           {"Tty", false},
                           {"Cmd", {"/bin/sh", "-c", EndScript, "sh", std::to_string(m_boxPid)}}};
    if (!m_options.user.isEmpty())
        body["User"] = str(m_options.user);
    AsyncResult<void> async;
    QPointer<DockerClient> client = m_client;
    const QByteArray path = "/containers/" + pathPart(m_container) + "/exec";
    onFinished(
        client->request(http::HttpRequest::post(path, QByteArray::fromStdString(body.dump()))),
        client.data(), [client, async](const Result<http::HttpResponse> &r) {
            if (!r || !r->isSuccess() || !client) {
                async.finish(r ? Error::fromHttpStatus(r->status, r->serverMessage()) : r.error());
                return;
            }
            const auto j =
                nlohmann::json::parse(r->body.constBegin(), r->body.constEnd(), nullptr, false);
            if (!j.is_object() || !j.contains("Id") || !j["Id"].is_string()) {
                async.finish(Error(Error::Kind::Protocol, QStringLiteral("exec without an Id")));
                return;
            }
            const QByteArray start =
                "/exec/" + pathPart(QString::fromStdString(j["Id"].get<std::string>())) + "/start";
            onFinished(client->request(http::HttpRequest::post(start, R"({"Detach":true})")),
                       client.data(), [async](const Result<http::HttpResponse> &s) {
                           if (!s || !s->isSuccess())
                               async.finish(s ? Error::fromHttpStatus(s->status, s->serverMessage())
                                              : s.error());
                           else
                               async.finish(VoidResult());
                       });
        });
    return async.future();
}

void ExecSession::closeDevice()
{
    if (!m_device)
        return;
    QIODevice *device = m_device;
    m_device = nullptr;
    device->disconnect(this);
    if (auto *local = qobject_cast<QLocalSocket *>(device))
        local->abort();
    else if (auto *tcp = qobject_cast<QAbstractSocket *>(device))
        tcp->abort();
    else if (auto *process = qobject_cast<QProcess *>(device)) {
        process->closeWriteChannel();
        process->terminate();
    } else
        device->close();
    device->deleteLater();
}

void ExecSession::finish(const Result<int> &result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_resizeTimer.stop();
    emit finished(result);
}

} // namespace bc::docker
