// libFuzzer target for bc::docker::StdcopyDecoder: no crash, and the frames decoded do
// not depend on how the stream was cut into reads (the first input bytes pick the cuts).
#include "core/docker/stdcopydecoder.h"

#include <cstdlib>

using bc::docker::LogLine;
using bc::docker::StdcopyDecoder;

namespace {

struct Outcome
{
    QList<QPair<int, QByteArray>> frames;
    bool failed = false;
    bool partial = false;
};

Outcome run(const QList<QByteArray> &pieces, bool tty)
{
    StdcopyDecoder decoder(tty);
    Outcome o;
    for (const QByteArray &p : pieces) {
        auto r = decoder.feed(p);
        if (!r) {
            o.failed = true;
            return o;
        }
        for (const LogLine &l : r.value())
            o.frames.append({int(l.stream), l.text});
    }
    o.partial = decoder.hasPartial();
    return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const QByteArray input(reinterpret_cast<const char *>(data) + 2, qsizetype(size - 2));
    const qsizetype cut1 = input.isEmpty() ? 0 : data[0] % (input.size() + 1);
    const qsizetype cut2 = input.isEmpty() ? 0 : cut1 + data[1] % (input.size() - cut1 + 1);
    const QList<QByteArray> pieces{input.left(cut1), input.mid(cut1, cut2 - cut1), input.mid(cut2)};

    const Outcome whole = run({input}, false);
    const Outcome split = run(pieces, false);
    if (whole.failed != split.failed ||
        (!whole.failed && (whole.frames != split.frames || whole.partial != split.partial)))
        std::abort();

    QByteArray joined;
    for (const auto &f : run(pieces, true).frames)
        joined += f.second;
    if (joined != input)
        std::abort();
    return 0;
}
