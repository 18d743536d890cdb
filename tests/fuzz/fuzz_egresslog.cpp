// libFuzzer target for bc::infra::EgressLog::parseLine. The egress log holds paths chosen by
// boxes, so a line may be anything: an entry, when one comes out, must name a valid box and
// upstream, a status in range or none, a valid time, and a bounded path without control
// characters.
#include "core/infra/egressgrants.h"
#include "core/infra/egresslog.h"

#include <cstdio>
#include <cstdlib>

using namespace bc::infra;

namespace {

[[noreturn]] void fail(const char *what, const QString &detail = QString())
{
    std::fprintf(stderr, "fuzz_egresslog: %s %s\n", what, qPrintable(detail));
    std::abort();
}

void check(const EgressLogEntry &e)
{
    if (!EgressGrants::isBoxName(e.box))
        fail("invalid box name:", e.box);
    if (!EgressGrants::check({e.box, {e.upstream}}).ok())
        fail("invalid upstream name:", e.upstream);
    if (e.status != 0 && (e.status < 100 || e.status > 599))
        fail("status out of range");
    if (!e.time.isValid())
        fail("invalid time");
    if (e.method.isEmpty() || e.method.size() > 32)
        fail("method:", e.method);
    if (e.path.size() > EgressLog::MaxPathChars + 1 || e.path.contains(u'?'))
        fail("path:", e.path.left(80));
    for (const QChar c : e.path) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            fail("control character in path");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto e = EgressLog::parseLine(input))
        check(*e);
    // Line by line, as readRecent() does.
    qsizetype start = 0;
    while (start < input.size()) {
        qsizetype end = start;
        while (end < input.size() && input[end] != '\n')
            ++end;
        if (const auto e = EgressLog::parseLine(input.sliced(start, end - start)))
            check(*e);
        start = end + 1;
    }
    return 0;
}
