// libFuzzer target for bc::docker::json::containerList, the streaming parser of the
// engine's container list. Besides crashes and sanitizer findings it checks a property:
// it accepts exactly what the document parser accepts as an array, and yields the same
// records json::containerSummary makes from that document.
#include "core/docker/dockerjson.h"

#include <cstdlib>

namespace dj = bc::docker::json;

namespace {

bool same(const bc::docker::ContainerSummary &a, const bc::docker::ContainerSummary &b)
{
    if (a.ports.size() != b.ports.size())
        return false;
    for (qsizetype i = 0; i < a.ports.size(); ++i)
        if (a.ports[i].ip != b.ports[i].ip || a.ports[i].privatePort != b.ports[i].privatePort ||
            a.ports[i].publicPort != b.ports[i].publicPort || a.ports[i].type != b.ports[i].type)
            return false;
    return a.id == b.id && a.names == b.names && a.image == b.image && a.imageId == b.imageId &&
           a.command == b.command && a.created == b.created && a.state == b.state &&
           a.status == b.status && a.labels == b.labels && a.networks == b.networks;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto streamed = dj::containerList(body);
    const auto doc = dj::parse(body);
    const bool docOk = doc && doc->is_array();
    if (bool(streamed) != docOk)
        std::abort();
    if (!docOk)
        return 0;
    if (streamed->size() != qsizetype(doc->size()))
        std::abort();
    for (std::size_t i = 0; i < doc->size(); ++i) {
        // The document parser throws on a field of the wrong kind where a record needs an
        // object; the streamed one has no such case to report.
        bc::docker::ContainerSummary fromDoc;
        try {
            fromDoc = dj::containerSummary((*doc)[i]);
        } catch (const std::exception &) {
            continue;
        }
        // A label holding an object or array (never from an engine) is skipped, not
        // dumped as the document parser does.
        bool nestedLabel = false;
        if (const auto &c = (*doc)[i];
            c.is_object() && c.contains("Labels") && c["Labels"].is_object())
            for (const auto &v : c["Labels"])
                nestedLabel = nestedLabel || v.is_structured();
        if (nestedLabel)
            continue;
        if (!same(streamed->at(qsizetype(i)), fromDoc))
            std::abort();
    }
    return 0;
}
