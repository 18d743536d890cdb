#include "core/util/jsonstrict.h"

#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace bc::util::json {

namespace {

QString memberPath(const QString &path, const std::string &key)
{
    const QString k = QString::fromStdString(key);
    return path.isEmpty() ? k : path + u'.' + k;
}

Error missing(const QString &path)
{
    return fieldError(path, u"is required"_s);
}

// A member read by `read`; an absent one is the fallback, or an error when required.
template <typename T, typename Read>
Result<T> memberAt(const Json &object, const char *key, const QString &path, Presence presence,
                   T fallback, Read read)
{
    if (object.is_object()) {
        if (const auto it = object.find(key); it != object.end())
            return read(*it, path);
    }
    if (presence == Presence::Required)
        return missing(path);
    return fallback;
}

} // namespace

QString typeName(const Json &value)
{
    if (value.is_boolean())
        return u"a boolean"_s;
    if (value.is_number_float())
        return u"a decimal number"_s;
    if (value.is_number())
        return u"an integer"_s;
    if (value.is_string())
        return u"a string"_s;
    if (value.is_array())
        return u"an array"_s;
    if (value.is_object())
        return u"an object"_s;
    return u"null"_s;
}

Error fieldError(const QString &path, const QString &message)
{
    return Error(Error::Kind::Invalid, path + u": "_s + message);
}

Error wrongType(const QString &path, const QString &expected, const Json &got)
{
    return fieldError(path, u"expected %1, got %2"_s.arg(expected, typeName(got)));
}

Result<QString> requireString(const Json &value, const QString &path)
{
    if (!value.is_string())
        return wrongType(path, u"a string"_s, value);
    return qstring(value);
}

Result<qint64> requireInteger(const Json &value, const QString &path)
{
    if (value.is_number_unsigned()) {
        if (value.get<quint64>() > quint64(std::numeric_limits<qint64>::max()))
            return fieldError(path, u"is too large"_s);
        return qint64(value.get<quint64>());
    }
    if (!value.is_number_integer())
        return wrongType(path, u"an integer"_s, value);
    return value.get<qint64>();
}

Result<bool> requireBoolean(const Json &value, const QString &path)
{
    if (!value.is_boolean())
        return wrongType(path, u"a boolean"_s, value);
    return value.get<bool>();
}

Result<QStringList> requireStrings(const Json &value, const QString &path, int maxEntries)
{
    if (!value.is_array())
        return wrongType(path, u"an array of strings"_s, value);
    if (maxEntries >= 0 && value.size() > std::size_t(maxEntries))
        return fieldError(path, u"at most %1 entries"_s.arg(maxEntries));
    QStringList out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string())
            return wrongType(u"%1[%2]"_s.arg(path).arg(i), u"a string"_s, value[i]);
        out << qstring(value[i]);
    }
    return out;
}

Result<QString> stringAt(const Json &object, const char *key, const QString &path,
                         Presence presence)
{
    return memberAt(object, key, path, presence, QString(), requireString);
}

Result<qint64> integerAt(const Json &object, const char *key, const QString &path, qint64 fallback,
                         Presence presence)
{
    return memberAt(object, key, path, presence, fallback, requireInteger);
}

Result<QStringList> stringsAt(const Json &object, const char *key, const QString &path,
                              Presence presence)
{
    return memberAt(object, key, path, presence, QStringList(),
                    [](const Json &v, const QString &p) { return requireStrings(v, p); });
}

VoidResult onlyKeys(const Json &object, std::initializer_list<const char *> keys,
                    const QString &path)
{
    if (!object.is_object())
        return {};
    for (auto it = object.begin(); it != object.end(); ++it) {
        bool known = false;
        for (const char *k : keys)
            known = known || it.key() == k;
        if (!known)
            return fieldError(memberPath(path, it.key()), u"unknown key"_s);
    }
    return {};
}

} // namespace bc::util::json
