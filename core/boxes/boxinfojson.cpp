#include "core/boxes/boxinfojson.h"

#include "core/util/jsonwriter.h"

namespace bc::boxes {

namespace {

void twoDigits(char *out, int v)
{
    out[0] = char('0' + v / 10);
    out[1] = char('0' + v % 10);
}

} // namespace

std::size_t isoUtcText(const QDateTime &time, char (&out)[20])
{
    const qint64 ms = time.toMSecsSinceEpoch();
    // Floor divisions: an instant before 1970 still has its time of day counted forward.
    qint64 secs = ms / 1000 - (ms % 1000 < 0 ? 1 : 0);
    qint64 days = secs / 86400 - (secs % 86400 < 0 ? 1 : 0);
    const int daySecs = int(secs - days * 86400);
    // Proleptic Gregorian date of a day count (H. Hinnant's civil_from_days), in eras of
    // 400 years from 0000-03-01.
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 dayOfEra = days - era * 146097;
    const qint64 yearOfEra =
        (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 monthFromMarch = (5 * dayOfYear + 2) / 153;
    const int day = int(dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
    const int month = int(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
    const qint64 year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    // Qt prints four-digit years only; its calendar has no year 0 (our 0 is its 1 BCE).
    if (year < 1 || year > 9999)
        return 0;
    twoDigits(out, int(year / 100));
    twoDigits(out + 2, int(year % 100));
    out[4] = '-';
    twoDigits(out + 5, month);
    out[7] = '-';
    twoDigits(out + 8, day);
    out[10] = 'T';
    twoDigits(out + 11, daySecs / 3600);
    out[13] = ':';
    twoDigits(out + 14, daySecs / 60 % 60);
    out[16] = ':';
    twoDigits(out + 17, daySecs % 60);
    out[19] = 'Z';
    return 20;
}

nlohmann::json boxInfoToJson(const BoxInfo &b)
{
    auto s = [](const QString &v) { return v.toStdString(); };
    auto time = [](const QDateTime &t) {
        char text[20];
        return t.isValid() ? nlohmann::json(std::string(text, isoUtcText(t, text)))
                           : nlohmann::json();
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
            {"cpuPercent", num(b.resources.cpuPercent)},
            {"memoryUsage", num(b.resources.memoryUsage)},
            {"memoryLimit", num(b.resources.memoryLimit)},
            {"pids", num(b.resources.pids)},
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
        char text[20];
        if (t.isValid())
            w.value(std::string_view(text, isoUtcText(t, text)));
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
    number(b.resources.cpuPercent);
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
    // QMap's UTF-16 order is nlohmann's UTF-8 byte order below U+D800 (all real label
    // keys); past it only the key order differs, which JSON gives no meaning.
    w.value(b.labels);
    w.key("memoryLimit");
    number(std::int64_t(b.resources.memoryLimit));
    w.key("memoryUsage");
    number(std::int64_t(b.resources.memoryUsage));
    w.key("name");
    w.value(b.name);
    w.key("owner");
    w.value(b.owner);
    w.key("pids");
    number(std::int64_t(b.resources.pids));
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
