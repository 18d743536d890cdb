#pragma once

#include "core/docker/dockertypes.h"
#include "core/result.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace bc::docker {

// Demultiplexes the 8-byte-header frames of logs/attach/exec output for containers
// without a TTY ([stream, 0, 0, 0, size u32 BE] then size bytes). With a TTY the daemon
// sends the raw terminal stream, passed through as Stdout.
class StdcopyDecoder
{
public:
    static constexpr quint32 MaxFrameSize = 16 * 1024 * 1024;

    explicit StdcopyDecoder(bool tty = false);

    // Returns the frames completed by this chunk (one LogLine per frame; empty frames are
    // dropped), or a Protocol error for an unknown stream type or an oversized frame.
    // Errors are sticky.
    Result<QList<LogLine>> feed(const QByteArray &chunk);

    // True while a header or payload is incomplete.
    bool hasPartial() const;

    bool tty() const { return m_tty; }

private:
    bool m_tty;
    QByteArray m_buffer;
    std::optional<Error> m_error;
};

} // namespace bc::docker
