#include "core/boxes/boxinfojson.h"

namespace bc::boxes {

nlohmann::json boxInfoToJson(const BoxInfo &b)
{
    auto s = [](const QString &v) { return v.toStdString(); };
    auto time = [&](const QDateTime &t) {
        return t.isValid() ? nlohmann::json(s(t.toUTC().toString(Qt::ISODate))) : nlohmann::json();
    };
    auto num = [](auto v) { return v < 0 ? nlohmann::json() : nlohmann::json(v); };
    nlohmann::json labels = nlohmann::json::object();
    for (auto it = b.labels.cbegin(); it != b.labels.cend(); ++it)
        labels[s(it.key())] = s(it.value());
    return {{"name", s(b.name)},
            {"id", s(b.id)},
            {"backend", s(b.backendKind)},
            {"backendId", s(b.backendId)},
            {"host", s(b.host)},
            {"state", s(BoxInfo::stateName(b.state))},
            {"health", s(BoxInfo::healthName(b.health))},
            {"status", s(b.statusText)},
            {"subdomain", s(b.subdomain)},
            {"owner", s(b.owner)},
            {"image", s(b.image)},
            {"url", s(b.url)},
            {"cpuPercent", num(b.cpuPercent)},
            {"memoryUsage", num(b.memoryUsage)},
            {"memoryLimit", num(b.memoryLimit)},
            {"pids", num(b.pids)},
            {"createdAt", time(b.createdAt)},
            {"startedAt", time(b.startedAt)},
            {"labels", labels}};
}

} // namespace bc::boxes
