#include "core/util/jsonlenient.h"

#include <cmath>
#include <limits>

namespace bc::util::json {

const Json &member(const Json &object, const char *key)
{
    static const Json null;
    if (!object.is_object())
        return null;
    const auto it = object.find(key);
    return it == object.end() ? null : *it;
}

QString string(const Json &object, const char *key)
{
    return qstring(member(object, key));
}

QString text(const Json &object, const char *key)
{
    const Json &v = member(object, key);
    if (v.is_string())
        return qstring(v);
    if (v.is_number_integer())
        return QString::number(v.get<qint64>());
    if (v.is_number())
        return QString::number(v.get<double>());
    if (v.is_boolean())
        return v.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    return {};
}

qint64 integer(const Json &object, const char *key, qint64 fallback)
{
    constexpr qint64 max = std::numeric_limits<qint64>::max();
    const Json &v = member(object, key);
    if (v.is_number_unsigned()) {
        const auto u = v.get<quint64>();
        return u > quint64(max) ? max : qint64(u);
    }
    if (v.is_number_integer())
        return v.get<qint64>();
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (!std::isfinite(d))
            return fallback;
        return d >= double(max) ? max : d <= double(-max) ? -max : qint64(d);
    }
    if (v.is_string()) {
        bool ok = false;
        const qint64 n = qstring(v).trimmed().toLongLong(&ok);
        return ok ? n : fallback;
    }
    return fallback;
}

bool boolean(const Json &object, const char *key, bool fallback)
{
    const Json &v = member(object, key);
    if (v.is_boolean())
        return v.get<bool>();
    if (v.is_number())
        return v.get<double>() != 0;
    if (v.is_string()) {
        const auto &s = v.get_ref<const std::string &>();
        return s == "1" || s == "true";
    }
    return fallback;
}

bool isTrue(const Json &object, const char *key)
{
    const Json &v = member(object, key);
    return v.is_boolean() && v.get<bool>();
}

QStringList strings(const Json &object, const char *key)
{
    QStringList out;
    const Json &v = member(object, key);
    if (!v.is_array())
        return out;
    for (const Json &e : v)
        out << qstring(e);
    return out;
}

} // namespace bc::util::json
