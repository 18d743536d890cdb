#pragma once

#include <QtGlobal>

#include <optional>

namespace bc::docker {

struct LogOptions
{
    bool follow = false;
    int tail = -1; // -1 = all
    bool timestamps = false;
    qint64 since = 0; // unix seconds; 0 = from the start
    qint64 until = 0; // unix seconds; 0 = no limit
    bool stdoutStream = true;
    bool stderrStream = true;
    // Whether the container has a TTY (raw stream instead of 8-byte frames). Unknown =
    // taken from the response Content-Type (API >= 1.42) or from inspecting the container.
    std::optional<bool> tty;
};

} // namespace bc::docker
