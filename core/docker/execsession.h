#pragma once

#include "core/docker/execoptions.h"
#include "core/result.h"

#include <QByteArray>
#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

#include <QIODevice>

namespace bc::http {
class HttpStream;
struct HttpResponse;
} // namespace bc::http

namespace bc::docker {

class DockerClient;
class StdcopyDecoder;

// One `docker exec`: create, start over the hijacked (101) connection, stream stdin in and
// stdout/stderr out (demultiplexed without a TTY, raw with one), resize, and the exit code
// from the exec's inspect once the stream ends. finished fires exactly once, with the exit
// code or an Error (the container is not running, the connection broke, terminate()).
//
// Ending a session must not leave its process behind. Closing the connection is not enough:
// with a TTY the engine keeps the pseudo-terminal open (its processes outlive `docker exec
// -it`), and the Engine API has no call that signals an exec. So the command starts through
// the box's /bin/sh, which reports its pid in a private escape sequence that is stripped
// from the output, then execs the command; terminate() sends SIGHUP (then SIGKILL) to every
// process of that session in the box through a second, detached exec. Without /bin/sh the
// command runs as is and closing only ends its stdin.
//
// Exit codes follow `docker exec`: the command's own, 126 when it could not be run. The
// engine reports 126 for a missing executable as well; like a shell (and `docker run`)
// the session reports 127 then, recognised by the runtime's message and a zero Pid.
class ExecSession : public QObject
{
    Q_OBJECT
public:
    ExecSession(DockerClient *client, QString container, ExecOptions options,
                QObject *parent = nullptr);
    ~ExecSession() override;

    // Creates and starts the exec. Call once; results arrive through the signals.
    void start();

    const ExecOptions &options() const { return m_options; }
    QString execId() const { return m_execId; }
    bool isStarted() const { return m_device != nullptr; }
    bool isFinished() const { return m_finished; }

    // Bytes for the process's stdin (ignored without attachStdin). Buffered until started.
    void write(const QByteArray &data);
    // End-of-file on stdin; stdout/stderr keep flowing until the process exits.
    void closeStdin();
    // Terminal size (tty only); remembered and sent once the exec runs.
    void resize(int cols, int rows);
    // Ends the session now: closes the connection and ends the process and everything in
    // its session in the box (SIGHUP, SIGKILL a second later), then finishes with
    // Cancelled unless the process had already exited. The future completes once the
    // engine has been told (a CLI awaits it before it exits).
    QFuture<VoidResult> terminate();
    // Flow control: while paused nothing is read, so the engine (and the process) wait
    // instead of filling our memory when the consumer cannot keep up (a terminal painting).
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // The process's pid inside the box (0 until known, or without endOnClose).
    int boxPid() const { return m_boxPid; }

signals:
    void started();
    void stdoutReceived(const QByteArray &data);
    void stderrReceived(const QByteArray &data);
    void finished(const bc::Result<int> &exitCode);

private:
    void onCreated(const QString &execId);
    void onHead(http::HttpStream *stream, const http::HttpResponse &head);
    void onReadyRead();
    void deliver(const QByteArray &chunk);
    void deliverStdout(const QByteArray &data);
    QByteArray stripPidMarker(const QByteArray &data);
    QFuture<VoidResult> endBoxProcesses();
    void restartUnwrapped();
    void onStreamEnded();
    void inspectExit(int attempt);
    // The terminal's size to the engine; `then` runs when it answered (or failed).
    void sendResize(std::function<void()> then = {});
    void releaseStdin();
    void shutdownWrite();
    void closeDevice();
    void finish(const Result<int> &result);
    QString what() const;

    QPointer<DockerClient> m_client;
    QString m_container;
    ExecOptions m_options;
    QString m_execId;
    QPointer<http::HttpStream> m_stream;
    QPointer<QIODevice> m_device;
    std::unique_ptr<StdcopyDecoder> m_decoder;
    QByteArray m_pendingStdin;
    QByteArray m_lastOutput; // tail of the output: tells a missing command from a failing one
    QByteArray m_heldOutput; // a start failure's message, until the exit code is known
    bool m_sawOutput = false;
    bool m_wrapped = false;
    bool m_paused = false;
    bool m_markerDone = false;
    QByteArray m_markerBuffer;
    qsizetype m_markerScanned = 0;
    int m_boxPid = 0;
    bool m_stdinClosed = false;
    bool m_stdinShut = false;
    // A TTY session's input is held until the terminal has its size (see attach).
    bool m_holdStdin = false;
    bool m_streamEnded = false;
    bool m_finished = false;
    bool m_startRequested = false;
    int m_cols = 0;
    int m_rows = 0;
    QTimer m_resizeTimer; // coalesces a drag-resize into one call
};

} // namespace bc::docker
