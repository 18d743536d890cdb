// libFuzzer target for bc::docker::JsonStreamDecoder. Besides crashes and sanitizer
// findings it checks a property: the values decoded do not depend on how the stream was
// cut into chunks (the first input byte picks the cut).
#include "core/docker/jsonstreamdecoder.h"

#include <QList>

#include <cstdlib>

using bc::docker::JsonStreamDecoder;

namespace {

struct Outcome
{
    std::vector<std::string> values;
    bool failed = false;
};

Outcome run(const QList<QByteArray> &pieces, qint64 cap)
{
    JsonStreamDecoder decoder(cap);
    Outcome o;
    for (const QByteArray &p : pieces) {
        auto r = decoder.feed(p);
        if (!r) {
            o.failed = true;
            return o;
        }
        for (const auto &v : r.value())
            o.values.push_back(v.dump());
    }
    if (!decoder.finish())
        o.failed = true;
    for (const auto &v : decoder.takeTrailing())
        o.values.push_back(v.dump());
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

    const Outcome whole = run({input}, 1 << 20);
    const Outcome split =
        run({input.left(cut1), input.mid(cut1, cut2 - cut1), input.mid(cut2)}, 1 << 20);
    if (whole.failed != split.failed || (!whole.failed && whole.values != split.values))
        std::abort();

    // The cap path, with a cap small enough for fuzz inputs to reach it.
    (void)run({input.left(cut1), input.mid(cut1)}, 64);
    return 0;
}
