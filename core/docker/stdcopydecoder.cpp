#include "core/docker/stdcopydecoder.h"

namespace bc::docker {

StdcopyDecoder::StdcopyDecoder(bool tty)
    : m_tty(tty)
{}

Result<QList<LogLine>> StdcopyDecoder::feed(const QByteArray &chunk)
{
    if (m_error)
        return *m_error;
    QList<LogLine> out;
    if (m_tty) {
        if (!chunk.isEmpty())
            out.append(LogLine{LogLine::Stream::Stdout, chunk});
        return out;
    }
    m_buffer.append(chunk);
    const qsizetype size = m_buffer.size();
    const auto *data = reinterpret_cast<const uchar *>(m_buffer.constData());
    qsizetype pos = 0;
    while (size - pos >= 8) {
        const uchar type = data[pos];
        LogLine::Stream stream;
        switch (type) {
        case 0:
            stream = LogLine::Stream::Stdin;
            break;
        case 1:
            stream = LogLine::Stream::Stdout;
            break;
        case 2:
            stream = LogLine::Stream::Stderr;
            break;
        case 3:
            stream = LogLine::Stream::System;
            break;
        default:
            m_buffer.clear();
            m_error = Error(Error::Kind::Protocol,
                            QStringLiteral("unrecognized stream type %1 in multiplexed output "
                                           "(is the container running with a TTY?)")
                                .arg(type));
            return *m_error;
        }
        const quint32 frameSize = (quint32(data[pos + 4]) << 24) | (quint32(data[pos + 5]) << 16) |
                                  (quint32(data[pos + 6]) << 8) | quint32(data[pos + 7]);
        if (frameSize > MaxFrameSize) {
            m_buffer.clear();
            m_error = Error(Error::Kind::Protocol,
                            QStringLiteral("multiplexed output frame of %1 bytes exceeds the "
                                           "limit of %2 bytes")
                                .arg(frameSize)
                                .arg(MaxFrameSize));
            return *m_error;
        }
        if (size - pos - 8 < qsizetype(frameSize))
            break;
        if (frameSize > 0)
            out.append(LogLine{stream, m_buffer.mid(pos + 8, frameSize)});
        pos += 8 + frameSize;
    }
    // One front removal per chunk keeps a burst of small frames linear.
    if (pos > 0)
        m_buffer.remove(0, pos);
    return out;
}

bool StdcopyDecoder::hasPartial() const
{
    return !m_tty && !m_buffer.isEmpty();
}

} // namespace bc::docker
