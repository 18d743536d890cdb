#include "core/boxes/logwindowmerge.h"

#include <algorithm>

namespace bc::boxes {

namespace {

// Length of the longest suffix of `previous` that is also a prefix of `next`.
qsizetype largestOverlap(const QStringList &previous, const QStringList &next)
{
    for (qsizetype k = std::min(previous.size(), next.size()); k > 0; --k) {
        const auto suffix = previous.cend() - k;
        if (std::equal(suffix, previous.cend(), next.cbegin()))
            return k;
    }
    return 0;
}

} // namespace

LogWindowMerge LogWindowMerge::merge(const QStringList &previous, const QStringList &next, int tail)
{
    LogWindowMerge out;
    if (next.isEmpty()) {
        // An empty answer proves nothing (a restarted box that has not printed yet, or a
        // blank-only log the server trimmed): keeping the previous window means the next
        // lines are still compared with what is on screen, and a real restart is then
        // seen as "no overlap" anyway.
        out.window = previous;
        return out;
    }
    out.window = next;
    if (previous.isEmpty()) {
        out.newLines = next;
        return out;
    }
    // Why the largest overlap: with repeated identical lines (a box printing "tick", runs of
    // blank lines) several overlaps can fit, and the windows alone cannot tell how many of
    // the repeats are new. The largest overlap never shows a line twice; its cost is that
    // while a window is wholly periodic, new repeats of the period can be under-counted.
    // While the log is shorter than `tail`, each window holds the whole log, the new one
    // starts with the old one, and the largest overlap is exactly the old window: no
    // ambiguity there, every repeat is counted.
    const qsizetype overlap = largestOverlap(previous, next);
    out.newLines = next.mid(overlap);
    if (overlap > 0)
        return out;
    const bool full = tail <= 0 || next.size() >= tail;
    // Blank lines at the ends of an answer get trimmed (CoolifyClient::logs drops trailing
    // ones), so a full window can arrive a little short and pass for a restart: both cases
    // get a marker and neither repeats nor drops a line of the new window. A restarted log
    // that happens to begin with the old window's last lines passes for a continuation:
    // the largest-overlap rule again errs towards not repeating lines.
    if (full)
        out.mayHaveGap = true;
    else
        out.restarted = true;
    return out;
}

} // namespace bc::boxes
