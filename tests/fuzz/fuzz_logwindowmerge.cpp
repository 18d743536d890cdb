// libFuzzer target for LogWindowMerge (Coolify log polling). The first byte is the tail,
// the rest two windows of lines separated by a NUL. Properties: the new lines are the end
// of the new window; with an overlap, the previous window's end and the new window's start
// agree on it; without one, gap and restart are exclusive and say which case it is; the
// carried window is the new one (or the previous one when the answer was empty).
#include "core/boxes/logwindowmerge.h"

#include <cstdio>
#include <cstdlib>

using bc::boxes::LogWindowMerge;

namespace {

[[noreturn]] void fail(const char *what)
{
    std::fprintf(stderr, "fuzz_logwindowmerge: %s\n", what);
    std::abort();
}

QStringList lines(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return {};
    QStringList out;
    for (const QByteArray &l : bytes.split('\n'))
        out << QString::fromUtf8(l);
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    const int tail = int(data[0] % 12) - 1; // -1 .. 10: unknown, and small windows
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const qsizetype nul = rest.indexOf('\0');
    const QStringList previous = lines(nul < 0 ? rest : rest.left(nul));
    QStringList next = lines(nul < 0 ? QByteArray() : rest.mid(nul + 1));
    if (tail > 0 && next.size() > tail)
        next = next.mid(next.size() - tail); // the server never sends more than asked for

    const LogWindowMerge m = LogWindowMerge::merge(previous, next, tail);
    if (m.newLines.size() > next.size() || next.mid(next.size() - m.newLines.size()) != m.newLines)
        fail("new lines are not the end of the new window");
    if (m.mayHaveGap && m.restarted)
        fail("gap and restart at once");
    const qsizetype overlap = next.size() - m.newLines.size();
    if (overlap > 0) {
        if (overlap > previous.size() ||
            previous.mid(previous.size() - overlap) != next.mid(0, overlap))
            fail("claimed overlap does not match");
        if (m.mayHaveGap || m.restarted)
            fail("overlap reported as a gap or restart");
    }
    if (next.isEmpty()) {
        if (!m.newLines.isEmpty() || m.window != previous)
            fail("an empty answer must change nothing");
    } else if (m.window != next) {
        fail("the carried window is not the new one");
    }
    return 0;
}
