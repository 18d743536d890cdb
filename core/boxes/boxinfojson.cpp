#include "core/boxes/boxinfojson.h"

#include "core/util/jsonwriter.h"

namespace bc::boxes {

namespace {

QString isoTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

} // namespace

nlohmann::json boxInfoToJson(const BoxInfo &b)
{
    auto s = [](const QString &v) { return v.toStdString(); };
    auto time = [&](const QDateTime &t) {
        return t.isValid() ? nlohmann::json(s(isoTime(t))) : nlohmann::json();
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

void writeBoxInfoJson(JsonWriter &w, const BoxInfo &b)
{
    auto number = [&](auto v) {
        if (v < 0)
            w.null();
        else
            w.value(v);
    };
    auto time = [&](const QDateTime &t) {
        if (t.isValid())
            w.value(isoTime(t));
        else
            w.null();
    };
    // Sorted keys: what nlohmann's std::map-backed object prints.
    w.beginObject();
    w.key("backend");
    w.value(b.backendKind);
    w.key("backendId");
    w.value(b.backendId);
    w.key("cpuPercent");
    number(b.cpuPercent);
    w.key("createdAt");
    time(b.createdAt);
    w.key("health");
    w.value(BoxInfo::healthName(b.health));
    w.key("host");
    w.value(b.host);
    w.key("id");
    w.value(b.id);
    w.key("image");
    w.value(b.image);
    w.key("labels");
    w.beginObject();
    // QMap's UTF-16 order is nlohmann's UTF-8 byte order below U+D800 (all real label
    // keys); past it only the key order differs, which JSON gives no meaning.
    for (auto it = b.labels.cbegin(); it != b.labels.cend(); ++it) {
        const QByteArray key = it.key().toUtf8();
        w.key(std::string_view(key.constData(), std::size_t(key.size())));
        w.value(it.value());
    }
    w.endObject();
    w.key("memoryLimit");
    number(std::int64_t(b.memoryLimit));
    w.key("memoryUsage");
    number(std::int64_t(b.memoryUsage));
    w.key("name");
    w.value(b.name);
    w.key("owner");
    w.value(b.owner);
    w.key("pids");
    number(std::int64_t(b.pids));
    w.key("startedAt");
    time(b.startedAt);
    w.key("state");
    w.value(BoxInfo::stateName(b.state));
    w.key("status");
    w.value(b.statusText);
    w.key("subdomain");
    w.value(b.subdomain);
    w.key("url");
    w.value(b.url);
    w.endObject();
}

} // namespace bc::boxes
