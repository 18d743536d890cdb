#pragma once

#include <QStringList>

namespace bc::boxes {

// What one poll of a log's "last `tail` lines" adds to the window of the previous poll,
// for backends that have no log stream (Coolify). Pure and GUI-free.
//
// The new lines are those after the largest overlap where the previous window's suffix
// equals the new window's prefix. Without any overlap the whole new window is new, and
// either lines may have been missed (the new window is full: more than `tail` lines were
// written between the polls) or the log started over (it is not full, so it cannot be a
// continuation: the container was restarted or replaced).
struct LogWindowMerge
{
    QStringList newLines;    // to append, oldest first
    bool mayHaveGap = false; // some lines may have been missed between the polls
    bool restarted = false;  // the log started over since the previous poll
    QStringList window;      // pass as `previous` to the next merge

    // previous, next: the last `tail` lines at two polls (oldest first). tail <= 0 means
    // the window size is unknown: a new window without overlap then counts as full.
    [[nodiscard]] static LogWindowMerge merge(const QStringList &previous, const QStringList &next,
                                              int tail);
};

} // namespace bc::boxes
