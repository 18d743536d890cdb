#include "core/docker/logstream.h"

#include "core/docker/dockerclient.h"
#include "core/docker/stdcopydecoder.h"
#include "core/http/httpclient.h"
#include "core/util/futureutil.h"

#include <QDateTime>
#include <QUrl>

namespace bc::docker {

LogStream::LogStream(DockerClient *client, QString id, LogOptions options, QObject *parent)
    : DockerStreamJob(client, QStringLiteral("logs of container %1").arg(id), parent)
    , m_id(std::move(id))
    , m_options(options)
{}

LogStream::~LogStream() = default;

void LogStream::start()
{
    if (isFinished() || clientGone())
        return;
    if (m_options.tty.has_value()) {
        openWithFraming(*m_options.tty);
        return;
    }
    // Guessing the framing from the bytes is fragile (a TTY can print anything): ask.
    onFinished(
        m_client->inspectContainer(m_id), this,
        [this](const Result<ContainerInspect> &r) {
            if (isFinished())
                return;
            if (!r) {
                finish(r.error().withContext(m_what));
                return;
            }
            openWithFraming(r->tty);
        },
        WhenReady::RunNow);
}

void LogStream::openWithFraming(bool tty)
{
    m_tty = tty;
    // Raw (TTY) output has no frames to find a timestamp at the start of: no catch-up there.
    m_stampsAdded = m_options.follow && !tty && !m_options.timestamps;
    QByteArray path = "/containers/" + QUrl::toPercentEncoding(m_id) + "/logs?";
    path += m_options.stdoutStream ? "stdout=1" : "stdout=0";
    path += m_options.stderrStream ? "&stderr=1" : "&stderr=0";
    const bool follow = m_options.follow && !m_catchingUp;
    if (follow)
        path += "&follow=1";
    if (m_options.timestamps || m_stampsAdded)
        path += "&timestamps=1";
    if (m_catchingUp && m_lastStamp) {
        // The engine includes lines stamped exactly `since`: those already delivered are
        // skipped by count.
        path += "&tail=all&since=" + QByteArray::number(m_lastStamp->first) + '.' +
                QByteArray::number(m_lastStamp->second).rightJustified(9, '0');
    } else {
        path += "&tail=" +
                (m_options.tail < 0 ? QByteArray("all") : QByteArray::number(m_options.tail));
        if (m_options.since > 0)
            path += "&since=" + QByteArray::number(m_options.since);
    }
    if (m_options.until > 0)
        path += "&until=" + QByteArray::number(m_options.until);
    open(path, 60000);
}

bool LogStream::takeStamp(LogLine &line, std::pair<qint64, int> *stamp) const
{
    // RFC 3339 with nanoseconds in UTC, trailing zeros of the fraction cut:
    // "2026-12-07T02:50:00.1234Z ".
    const qsizetype space = line.text.indexOf(' ');
    if (space < 20 || space > 40 || line.text.at(space - 1) != 'Z')
        return false;
    const QByteArray text = line.text.first(space - 1);
    const qsizetype dot = text.indexOf('.');
    const QDateTime at = QDateTime::fromString(
        QString::fromLatin1(text.first(dot < 0 ? text.size() : dot)) + QLatin1Char('Z'),
        Qt::ISODate);
    if (!at.isValid())
        return false;
    int nanos = 0;
    if (dot >= 0) {
        bool ok = false;
        nanos = text.mid(dot + 1).leftJustified(9, '0', true).toInt(&ok);
        if (!ok)
            return false;
    }
    *stamp = {at.toSecsSinceEpoch(), nanos};
    if (m_stampsAdded)
        line.text.remove(0, space + 1);
    return true;
}

void LogStream::onHead(const http::HttpResponse &head)
{
    // API >= 1.42 says which framing it sends; that beats what inspect said.
    const QByteArray type = head.contentType();
    if (type == "application/vnd.docker.raw-stream")
        m_tty = true;
    else if (type == "application/vnd.docker.multiplexed-stream")
        m_tty = false;
    m_decoder = std::make_unique<StdcopyDecoder>(m_tty);
}

void LogStream::onData(const QByteArray &chunk)
{
    if (!m_decoder)
        m_decoder = std::make_unique<StdcopyDecoder>(m_tty);
    Result<QList<LogLine>> lines = m_decoder->feed(chunk);
    if (!lines) {
        fail(lines.error());
        return;
    }
    if (m_stampsAdded || (m_options.follow && m_options.timestamps && !m_tty)) {
        QList<LogLine> kept;
        kept.reserve(lines->size());
        for (LogLine &line : lines.value()) {
            std::pair<qint64, int> stamp;
            if (takeStamp(line, &stamp)) {
                if (m_catchingUp && m_lastStamp &&
                    (stamp < *m_lastStamp || (stamp == *m_lastStamp && m_toSkip > 0))) {
                    if (stamp == *m_lastStamp)
                        --m_toSkip;
                    continue;
                }
                if (m_lastStamp && stamp == *m_lastStamp) {
                    ++m_atLastStamp;
                } else {
                    m_lastStamp = stamp;
                    m_atLastStamp = 1;
                }
            }
            ++m_delivered;
            kept.append(std::move(line));
        }
        lines.value() = std::move(kept);
    }
    if (!lines->isEmpty())
        emit linesReceived(lines.value());
}

void LogStream::finish(const VoidResult &result)
{
    if (isFinished())
        return;
    if (m_catchingUp) {
        // The box may be gone by now: the follow itself ended well.
        DockerStreamJob::finish(
            result || result.error().kind() == Error::Kind::NotFound ? VoidResult() : result);
        return;
    }
    // Without a timestamp to start from, a second read would repeat what was delivered.
    if (!result || !m_options.follow || m_tty || (!m_lastStamp && m_delivered > 0)) {
        DockerStreamJob::finish(result);
        return;
    }
    m_catchingUp = true;
    m_toSkip = m_atLastStamp;
    m_decoder.reset();
    openWithFraming(false);
}

} // namespace bc::docker
