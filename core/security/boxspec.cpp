#include "core/security/boxspec.h"

#include "core/security/boxlabels.h"
#include "core/security/validators.h"
#include "core/util/jsonstrict.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using nlohmann::json;

namespace bc::security {

namespace {

using util::json::fieldError;
using util::json::qstring;
using util::json::requireString;
using util::json::requireStrings;
using util::json::typeName;
using util::json::wrongType;

constexpr qint64 KiB = 1024;
constexpr qint64 MiB = 1024 * KiB;
constexpr qint64 GiB = 1024 * MiB;
constexpr qint64 TiB = 1024 * GiB;
constexpr qint64 MinMemory = 64 * MiB;
constexpr qint64 MaxMemory = TiB;
constexpr double MinCpus = 0.01; // Docker refuses NanoCpus below 10 million
constexpr double MaxCpus = 64;
constexpr qint64 MinPids = 10;
constexpr qint64 MaxPids = 100000;
constexpr qint64 MaxDurationMs = 24LL * 3600 * 1000;
constexpr int MaxListEntries = 256;
constexpr int MaxHealthArgLength = 4096;
constexpr int MaxCommandArgLength = 32 * 1024;
constexpr qsizetype MaxSpecBytes = 1024 * 1024;

QString keyName(const std::string &key)
{
    // Keys are echoed in messages that may end up in a terminal or a rich-text label, so
    // anything beyond a plain identifier is rendered escaped and quoted.
    static const QRegularExpression plain(
        QRegularExpression::anchoredPattern(u"[A-Za-z0-9_.-]{1,64}"_s));
    const QString k = QString::fromStdString(key);
    return plain.match(k).hasMatch() ? k : Validators::printable(k);
}

QString keyName(const QString &key)
{
    return keyName(key.toStdString());
}

VoidResult wrap(const QString &field, const VoidResult &r)
{
    if (r)
        return {};
    return fieldError(field, r.error().message());
}

Result<qint64> parseMemory(const json &j)
{
    const QString field = u"memory"_s;
    if (j.is_number_integer() || j.is_number_unsigned()) {
        if (j.is_number_unsigned() && j.get<std::uint64_t>() > std::uint64_t(MaxMemory))
            return fieldError(field, u"at most 1t"_s);
        const qint64 bytes = j.get<qint64>();
        if (bytes < MinMemory)
            return fieldError(field, u"at least 64m (67108864 bytes)"_s);
        if (bytes > MaxMemory)
            return fieldError(field, u"at most 1t"_s);
        return bytes;
    }
    if (!j.is_string())
        return wrongType(field, u"a size like \"2g\" or an integer number of bytes"_s, j);
    static const QRegularExpression re(
        QRegularExpression::anchoredPattern(
            u"([0-9]{1,15}(?:\\.[0-9]{1,9})?)(?:([kmgt])(?:i?b)?|b)?"_s),
        QRegularExpression::CaseInsensitiveOption);
    const QString text = qstring(j);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return fieldError(field,
                          u"invalid size %1: use e.g. \"512m\", \"2g\", \"1.5g\" or bytes"_s.arg(
                              Validators::printable(text)));
    qint64 unit = 1;
    const QString unitText = m.captured(2).toLower();
    switch (unitText.isEmpty() ? u' ' : unitText.at(0).unicode()) {
    case u'k':
        unit = KiB;
        break;
    case u'm':
        unit = MiB;
        break;
    case u'g':
        unit = GiB;
        break;
    case u't':
        unit = TiB;
        break;
    default:
        break;
    }
    const long double value = m.captured(1).toDouble() * static_cast<long double>(unit);
    if (value < MinMemory)
        return fieldError(field, u"at least 64m"_s);
    if (value > MaxMemory)
        return fieldError(field, u"at most 1t"_s);
    return static_cast<qint64>(std::llround(static_cast<double>(value)));
}

Result<qint64> parseDuration(const json &j, const QString &field, qint64 minMs)
{
    qint64 ms = 0;
    if (j.is_number_integer() || j.is_number_unsigned()) {
        if (j.is_number_unsigned() && j.get<std::uint64_t>() > std::uint64_t(MaxDurationMs))
            return fieldError(field, u"at most 24h"_s);
        ms = j.get<qint64>();
    } else if (j.is_string()) {
        // Go-style durations ("10s", "500ms", "1m30s") as docker run accepts them.
        static const QRegularExpression whole(QRegularExpression::anchoredPattern(
            u"(?:[0-9]{1,9}(?:\\.[0-9]{1,6})?(?:ms|s|m|h))+"_s));
        static const QRegularExpression part(u"([0-9]{1,9}(?:\\.[0-9]{1,6})?)(ms|s|m|h)"_s);
        const QString text = qstring(j);
        if (!whole.match(text).hasMatch())
            return fieldError(field, u"invalid duration %1: use e.g. \"10s\", \"500ms\", \"1m\" or "
                                     u"integer milliseconds"_s.arg(Validators::printable(text)));
        double total = 0;
        for (auto it = part.globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            const QString unit = m.captured(2);
            const double factor = unit == u"ms"_s  ? 1
                                  : unit == u"s"_s ? 1000
                                  : unit == u"m"_s ? 60000
                                                   : 3600000;
            total += m.captured(1).toDouble() * factor;
        }
        if (total > double(MaxDurationMs))
            return fieldError(field, u"at most 24h"_s);
        ms = std::llround(total);
    } else {
        return wrongType(field, u"a duration like \"10s\" or integer milliseconds"_s, j);
    }
    if (ms < minMs)
        return fieldError(field, u"at least %1 ms"_s.arg(minMs));
    if (ms > MaxDurationMs)
        return fieldError(field, u"at most 24h"_s);
    return ms;
}

Result<BoxSpec::Healthcheck> parseHealthcheck(const json &j)
{
    if (!j.is_object())
        return wrongType(u"healthcheck"_s, u"an object"_s, j);
    BoxSpec::Healthcheck hc;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string &key = it.key();
        const QString field = u"healthcheck."_s + keyName(key);
        if (key == "test") {
            auto test = requireStrings(it.value(), field, 64);
            if (!test)
                return test.error();
            hc.test = *test;
        } else if (key == "interval") {
            // Every probe is an exec in the box: sub-100ms intervals only load the engine.
            auto v = parseDuration(it.value(), field, 100);
            if (!v)
                return v.error();
            hc.intervalMs = *v;
        } else if (key == "timeout") {
            auto v = parseDuration(it.value(), field, 1);
            if (!v)
                return v.error();
            hc.timeoutMs = *v;
        } else if (key == "startPeriod") {
            auto v = parseDuration(it.value(), field, 0);
            if (!v)
                return v.error();
            hc.startPeriodMs = *v;
        } else if (key == "retries") {
            if (!it.value().is_number_integer() && !it.value().is_number_unsigned())
                return wrongType(field, u"an integer"_s, it.value());
            const auto r = it.value().get<qint64>();
            if (r < 1 || r > 100)
                return fieldError(field, u"must be between 1 and 100"_s);
            hc.retries = int(r);
        } else {
            return fieldError(field, u"unknown key"_s);
        }
    }
    return hc;
}

QString formatMemory(qint64 bytes)
{
    if (bytes % GiB == 0)
        return QString::number(bytes / GiB) + u"g"_s;
    if (bytes % MiB == 0)
        return QString::number(bytes / MiB) + u"m"_s;
    if (bytes % KiB == 0)
        return QString::number(bytes / KiB) + u"k"_s;
    return QString::number(bytes);
}

QString formatDuration(qint64 ms)
{
    if (ms != 0 && ms % 3600000 == 0)
        return QString::number(ms / 3600000) + u"h"_s;
    if (ms != 0 && ms % 60000 == 0)
        return QString::number(ms / 60000) + u"m"_s;
    if (ms % 1000 == 0)
        return QString::number(ms / 1000) + u"s"_s;
    return QString::number(ms) + u"ms"_s;
}

const struct
{
    const char *key;
    std::optional<qint64> BoxSpec::Policy::*member;
} kPolicyFields[] = {{"idleStop", &BoxSpec::Policy::idleStopSecs},
                     {"maxLifetime", &BoxSpec::Policy::maxLifetimeSecs},
                     {"deleteAfterStopped", &BoxSpec::Policy::deleteAfterStoppedSecs}};

Result<BoxSpec::Policy> parsePolicy(const json &j)
{
    if (!j.is_object())
        return wrongType(u"policy"_s, u"an object"_s, j);
    BoxSpec::Policy policy;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const QString field = u"policy."_s + keyName(it.key());
        const auto known = std::find_if(std::begin(kPolicyFields), std::end(kPolicyFields),
                                        [&](const auto &f) { return it.key() == f.key; });
        if (known == std::end(kPolicyFields))
            return fieldError(field, u"unknown key"_s);
        const json &v = it.value();
        qint64 secs = 0;
        if (v.is_number_unsigned()) {
            if (v.get<std::uint64_t>() > std::uint64_t(BoxSpec::Policy::MaxSecs))
                return fieldError(field, u"at most 3650d"_s);
            secs = v.get<qint64>();
        } else if (v.is_number_integer()) {
            secs = v.get<qint64>();
            if (secs < 0)
                return fieldError(field, u"must not be negative"_s);
        } else if (v.is_string()) {
            auto parsed = BoxSpec::Policy::parseDuration(qstring(v), field);
            if (!parsed)
                return parsed.error();
            secs = *parsed;
        } else {
            return wrongType(field, u"a duration like \"30m\", \"8h\", \"7d\" or integer seconds"_s,
                             v);
        }
        policy.*(known->member) = secs;
    }
    return policy;
}

} // namespace

VoidResult BoxSpec::Policy::validate(const QString &prefix) const
{
    for (const auto &f : kPolicyFields) {
        const std::optional<qint64> &value = this->*(f.member);
        if (!value)
            continue;
        const QString field = prefix + u"."_s + QLatin1String(f.key);
        if (*value < 0)
            return fieldError(field, u"must not be negative"_s);
        if (*value > MaxSecs)
            return fieldError(field, u"at most 3650d"_s);
    }
    return {};
}

Result<qint64> BoxSpec::Policy::parseDuration(const QString &text, const QString &field)
{
    static const QRegularExpression re(
        QRegularExpression::anchoredPattern(u"([0-9]{1,12})([smhd]?)"_s));
    const auto m = re.match(text);
    if (!m.hasMatch()) {
        if (text.startsWith(u'-'))
            return fieldError(field, u"must not be negative"_s);
        return fieldError(
            field, u"invalid duration %1: use e.g. \"30m\", \"8h\", \"7d\", "
                   u"\"45s\" or integer seconds (0 = off)"_s.arg(Validators::printable(text)));
    }
    const qint64 number = m.captured(1).toLongLong();
    const QString unit = m.captured(2);
    const qint64 factor = unit == u"d"_s ? 86400 : unit == u"h"_s ? 3600 : unit == u"m"_s ? 60 : 1;
    // At most 12 digits: number * 86400 cannot overflow.
    const qint64 secs = number * factor;
    if (secs > MaxSecs)
        return fieldError(field, u"at most 3650d"_s);
    return secs;
}

QString BoxSpec::Policy::formatDuration(qint64 secs)
{
    if (secs <= 0)
        return u"0"_s;
    if (secs % 86400 == 0)
        return QString::number(secs / 86400) + u"d"_s;
    if (secs % 3600 == 0)
        return QString::number(secs / 3600) + u"h"_s;
    if (secs % 60 == 0)
        return QString::number(secs / 60) + u"m"_s;
    return QString::number(secs) + u"s"_s;
}

BoxSpec::Policy BoxSpec::Policy::effective(const Policy &box, const Policy &fleetDefault)
{
    Policy out;
    for (const auto &f : kPolicyFields)
        out.*(f.member) = (box.*(f.member)) ? box.*(f.member) : fleetDefault.*(f.member);
    return out;
}

VoidResult BoxSpec::validate() const
{
    if (name.isEmpty())
        return fieldError(u"name"_s, u"is required"_s);
    if (auto r = wrap(u"name"_s, Validators::validateBoxName(name)); !r)
        return r;
    if (!subdomain.isEmpty()) {
        if (auto r = wrap(u"subdomain"_s, Validators::validateSubdomain(subdomain)); !r)
            return r;
    }
    if (!owner.isEmpty()) {
        if (auto r = wrap(u"owner"_s, Validators::validateOwner(owner)); !r)
            return r;
    }
    if (!image.isEmpty() && !skills.isEmpty())
        return fieldError(u"image"_s, u"give either \"image\" or \"skills\", not both"_s);
    if (image.isEmpty() && skills.isEmpty())
        return fieldError(u"image"_s, u"one of \"image\" or \"skills\" is required"_s);
    if (!image.isEmpty()) {
        if (auto r = wrap(u"image"_s, Validators::validateImageReference(image)); !r)
            return r;
    }
    if (skills.size() > 64)
        return fieldError(u"skills"_s, u"at most 64 entries"_s);
    for (qsizetype i = 0; i < skills.size(); ++i) {
        const QString field = u"skills[%1]"_s.arg(i);
        if (auto r = wrap(field, Validators::validateSkillPath(skills.at(i))); !r)
            return r;
        if (skills.indexOf(skills.at(i)) < i)
            return fieldError(field, u"duplicate skill"_s);
    }
    if (!std::isfinite(cpus) || cpus < MinCpus || cpus > MaxCpus)
        return fieldError(u"cpus"_s, u"must be between 0.01 and 64"_s);
    if (memoryBytes < MinMemory)
        return fieldError(u"memory"_s, u"at least 64m"_s);
    if (memoryBytes > MaxMemory)
        return fieldError(u"memory"_s, u"at most 1t"_s);
    if (pids < MinPids || pids > MaxPids)
        return fieldError(u"pids"_s, u"must be between 10 and 100000"_s);
    if (isolation == Isolation::Routed && subdomain.isEmpty())
        return fieldError(u"subdomain"_s, u"is required for a routed box"_s);

    if (env.size() > MaxEnvEntries)
        return fieldError(u"env"_s, u"at most %1 variables"_s.arg(MaxEnvEntries));
    for (auto it = env.cbegin(); it != env.cend(); ++it) {
        const QString field = u"env."_s + keyName(it.key());
        if (auto r = wrap(field, Validators::validateSpecEnvKey(it.key())); !r)
            return r;
        if (auto r = wrap(field, Validators::validateEnvValue(it.value())); !r)
            return r;
    }

    if (secrets.size() > MaxSecrets)
        return fieldError(u"secrets"_s, u"at most %1 entries"_s.arg(MaxSecrets));
    for (qsizetype i = 0; i < secrets.size(); ++i) {
        const QString field = u"secrets[%1]"_s.arg(i);
        const QString &secret = secrets.at(i);
        if (auto r = wrap(field, Validators::validateBoxSecretName(secret)); !r)
            return r;
        if (secrets.indexOf(secret) < i)
            return fieldError(field, u"duplicate secret"_s);
        if (env.contains(secret))
            return fieldError(field, u"%1 is also set under env; a variable comes from one "
                                     u"place"_s.arg(secret));
        const QString fileVariable = secret + u"_FILE"_s;
        if (env.contains(fileVariable))
            return fieldError(u"env."_s + fileVariable,
                              u"set by the deploy: it names the file of secret %1"_s.arg(secret));
    }

    if (!egress.isEmpty()) {
        if (auto r = wrap(u"egress"_s, Validators::validatePolicyName(egress)); !r)
            return r;
    }

    if (healthcheck) {
        const Healthcheck &hc = *healthcheck;
        const QString field = u"healthcheck.test"_s;
        const QStringList &t = hc.test;
        if (!t.isEmpty()) {
            if (t.size() > 64)
                return fieldError(field, u"at most 64 entries"_s);
            if (t.first() != u"CMD"_s && t.first() != u"CMD-SHELL"_s)
                return fieldError(field, u"must start with \"CMD\" or \"CMD-SHELL\""_s);
            if (t.size() < 2)
                return fieldError(field, u"needs a command after %1"_s.arg(t.first()));
            if (t.first() == u"CMD-SHELL"_s && t.size() != 2)
                return fieldError(field, u"CMD-SHELL takes exactly one shell command string"_s);
            for (qsizetype i = 1; i < t.size(); ++i) {
                if (t.at(i).isEmpty() || t.at(i).size() > MaxHealthArgLength ||
                    Validators::hasUnsafeCharacters(t.at(i)))
                    return fieldError(u"%1[%2]"_s.arg(field).arg(i),
                                      u"must be non-empty, at most %1 characters, without control "
                                      u"characters or newlines"_s.arg(MaxHealthArgLength));
            }
        }
        // Every probe is an exec in the box: sub-100ms intervals only load the engine.
        const struct
        {
            const char *key;
            qint64 value;
            qint64 min;
        } durations[] = {{"interval", hc.intervalMs, 100},
                         {"timeout", hc.timeoutMs, 1},
                         {"startPeriod", hc.startPeriodMs, 0}};
        for (const auto &d : durations) {
            const QString f = u"healthcheck."_s + QLatin1String(d.key);
            if (d.value < d.min)
                return fieldError(f, u"at least %1 ms"_s.arg(d.min));
            if (d.value > MaxDurationMs)
                return fieldError(f, u"at most 24h"_s);
        }
        if (hc.retries < 1 || hc.retries > 100)
            return fieldError(u"healthcheck.retries"_s, u"must be between 1 and 100"_s);
    }

    if (command.size() > MaxListEntries)
        return fieldError(u"command"_s, u"at most %1 entries"_s.arg(MaxListEntries));
    for (qsizetype i = 0; i < command.size(); ++i) {
        const QString &arg = command.at(i);
        if (arg.contains(QChar(0)) || arg.size() > MaxCommandArgLength)
            return fieldError(
                u"command[%1]"_s.arg(i),
                u"must not contain NUL and be at most %1 characters"_s.arg(MaxCommandArgLength));
    }
    if (auto r = policy.validate(u"policy"_s); !r)
        return r;
    return {};
}

Result<BoxSpec> BoxSpec::fromJson(const json &j)
{
    if (!j.is_object())
        return Error(Error::Kind::Invalid,
                     u"spec: expected a JSON object, got %1"_s.arg(typeName(j)));

    // Types and syntax here; every rule on the values is validate()'s, so that a spec built
    // in C++ is held to exactly the same rules.
    BoxSpec spec;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string &key = it.key();
        const json &v = it.value();
        const QString field = keyName(key);

        if (key == "name" || key == "subdomain" || key == "owner" || key == "image" ||
            key == "egress") {
            auto text = requireString(v, field);
            if (!text)
                return text.error();
            // An empty string is not "absent": refuse it under its own field.
            if (text->isEmpty())
                return fieldError(field, u"must not be empty"_s);
            QString &target = key == "name"        ? spec.name
                              : key == "subdomain" ? spec.subdomain
                              : key == "owner"     ? spec.owner
                              : key == "image"     ? spec.image
                                                   : spec.egress;
            target = *text;
        } else if (key == "skills") {
            auto list = requireStrings(v, field, 64);
            if (!list)
                return list.error();
            if (list->isEmpty())
                return fieldError(field, u"must list at least one skill directory"_s);
            spec.skills = *list;
        } else if (key == "cpus") {
            if (!v.is_number())
                return wrongType(field, u"a number"_s, v);
            spec.cpus = v.get<double>();
        } else if (key == "memory") {
            auto m = parseMemory(v);
            if (!m)
                return m.error();
            spec.memoryBytes = *m;
        } else if (key == "pids") {
            if (!v.is_number_integer() && !v.is_number_unsigned())
                return wrongType(field, u"an integer"_s, v);
            if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(MaxPids))
                return fieldError(field, u"must be between 10 and 100000"_s);
            spec.pids = v.get<qint64>();
        } else if (key == "isolation") {
            auto text = requireString(v, field);
            if (!text)
                return text.error();
            if (*text == u"isolated"_s)
                spec.isolation = Isolation::Isolated;
            else if (*text == u"routed"_s)
                spec.isolation = Isolation::Routed;
            else
                return fieldError(field, u"must be \"isolated\" or \"routed\""_s);
        } else if (key == "env") {
            if (!v.is_object())
                return wrongType(field, u"an object of strings"_s, v);
            if (v.size() > std::size_t(MaxEnvEntries))
                return fieldError(field, u"at most %1 variables"_s.arg(MaxEnvEntries));
            for (auto e = v.begin(); e != v.end(); ++e) {
                const QString envField = u"env."_s + keyName(e.key());
                // The name first: a bad key is the better message than its value's type.
                if (auto r = wrap(envField,
                                  Validators::validateSpecEnvKey(QString::fromStdString(e.key())));
                    !r)
                    return r.error();
                if (!e.value().is_string())
                    return wrongType(envField, u"a string"_s, e.value());
                spec.env.insert(QString::fromStdString(e.key()), qstring(e.value()));
            }
        } else if (key == "secrets") {
            auto list = requireStrings(v, field, MaxSecrets);
            if (!list)
                return list.error();
            spec.secrets = *list;
        } else if (key == "keepDataOnDelete") {
            if (!v.is_boolean())
                return wrongType(field, u"a boolean"_s, v);
            spec.keepDataOnDelete = v.get<bool>();
        } else if (key == "healthcheck") {
            auto hc = parseHealthcheck(v);
            if (!hc)
                return hc.error();
            spec.healthcheck = *hc;
        } else if (key == "command") {
            auto list = requireStrings(v, field, MaxListEntries);
            if (!list)
                return list.error();
            spec.command = *list;
        } else if (key == "policy") {
            auto p = parsePolicy(v);
            if (!p)
                return p.error();
            spec.policy = *p;
        } else {
            return fieldError(field, u"unknown key"_s);
        }
    }
    if (auto r = spec.validate(); !r)
        return r.error();
    return spec;
}

Result<BoxSpec> BoxSpec::fromJsonText(const QByteArray &text)
{
    if (text.size() > MaxSpecBytes)
        return Error(Error::Kind::Invalid, u"spec: larger than 1 MiB"_s);

    // nlohmann keeps the last of duplicate keys silently; a spec with two "name" keys could
    // show one value in a review and deploy the other, so duplicates are refused.
    std::vector<std::optional<std::set<std::string>>> scopes;
    QString duplicate;
    bool tooDeep = false;
    auto callback = [&](int depth, json::parse_event_t event, json &parsed) {
        switch (event) {
        case json::parse_event_t::object_start:
            scopes.emplace_back(std::set<std::string>());
            break;
        case json::parse_event_t::array_start:
            scopes.emplace_back(std::nullopt);
            break;
        case json::parse_event_t::object_end:
        case json::parse_event_t::array_end:
            if (!scopes.empty())
                scopes.pop_back();
            break;
        case json::parse_event_t::key:
            if (!scopes.empty() && scopes.back()) {
                const std::string key = parsed.get<std::string>();
                if (!scopes.back()->insert(key).second && duplicate.isEmpty())
                    duplicate = keyName(key);
            }
            break;
        case json::parse_event_t::value:
            break;
        }
        if (depth > 16)
            tooDeep = true;
        return true;
    };
    const json j = json::parse(text.constBegin(), text.constEnd(), callback, false);
    if (j.is_discarded())
        return Error(Error::Kind::Invalid, u"spec: not valid JSON"_s);
    if (tooDeep)
        return Error(Error::Kind::Invalid, u"spec: nested too deeply"_s);
    if (!duplicate.isEmpty())
        return fieldError(duplicate, u"duplicate key"_s);
    return fromJson(j);
}

json BoxSpec::toJson() const
{
    json j = json::object();
    j["name"] = name.toStdString();
    if (!subdomain.isEmpty())
        j["subdomain"] = subdomain.toStdString();
    if (!owner.isEmpty())
        j["owner"] = owner.toStdString();
    if (!skills.isEmpty())
        j["skills"] = util::json::array(skills);
    else
        j["image"] = image.toStdString();
    j["cpus"] = cpus;
    j["memory"] = formatMemory(memoryBytes).toStdString();
    j["pids"] = pids;
    j["isolation"] = isolation == Isolation::Routed ? "routed" : "isolated";
    json e = json::object();
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        e[it.key().toStdString()] = it.value().toStdString();
    j["env"] = e;
    j["secrets"] = util::json::array(secrets);
    if (!egress.isEmpty())
        j["egress"] = egress.toStdString();
    j["keepDataOnDelete"] = keepDataOnDelete;
    if (healthcheck) {
        json hc = json::object();
        if (!healthcheck->test.isEmpty())
            hc["test"] = util::json::array(healthcheck->test);
        hc["interval"] = formatDuration(healthcheck->intervalMs).toStdString();
        hc["timeout"] = formatDuration(healthcheck->timeoutMs).toStdString();
        hc["startPeriod"] = formatDuration(healthcheck->startPeriodMs).toStdString();
        hc["retries"] = healthcheck->retries;
        j["healthcheck"] = hc;
    }
    if (!command.isEmpty())
        j["command"] = util::json::array(command);
    if (!policy.isEmpty()) {
        json p = json::object();
        for (const auto &f : kPolicyFields)
            if (const auto &v = policy.*(f.member))
                p[f.key] = Policy::formatDuration(*v).toStdString();
        j["policy"] = p;
    }
    return j;
}

QString BoxSpec::hash() const
{
    // The hash labels the container so drift can be detected; keepDataOnDelete only affects
    // deletion, and the order of secrets is irrelevant, so neither may change the hash.
    json j = toJson();
    j.erase("keepDataOnDelete");
    QStringList sortedSecrets = secrets;
    sortedSecrets.sort();
    j["secrets"] = util::json::array(sortedSecrets);
    // nlohmann objects are key-sorted maps, so dump() is canonical for equal specs.
    const std::string canonical = j.dump();
    return QString::fromLatin1(
        QCryptographicHash::hash(QByteArrayView(canonical.data(), qsizetype(canonical.size())),
                                 QCryptographicHash::Sha256)
            .toHex());
}

QMap<QString, QString> BoxSpec::policyLabels(const Policy &fleetDefault) const
{
    if (policy.isEmpty() && fleetDefault.isEmpty())
        return {};
    const Policy eff = Policy::effective(policy, fleetDefault);
    const auto secs = [](const std::optional<qint64> &v) { return QString::number(v.value_or(0)); };
    return {{labels::policyIdleStop(), secs(eff.idleStopSecs)},
            {labels::policyMaxLifetime(), secs(eff.maxLifetimeSecs)},
            {labels::policyDeleteAfterStopped(), secs(eff.deleteAfterStoppedSecs)},
            {labels::policySource(), policy.isEmpty() ? u"fleet-default"_s : u"box"_s}};
}

} // namespace bc::security
