#pragma once

#include "core/util/json.h"

#include <initializer_list>

// Readers for what a user wrote (box specs, policies): one type only. A value of another
// type is an Error::Kind::Invalid naming the field's path and both types, as in
// "policy.idleStop: expected an integer, got a string".
namespace bc::util::json {

enum class Presence { Optional, Required };

// "a string", "an integer", "a decimal number", "null", ...
QString typeName(const Json &value);
Error fieldError(const QString &path, const QString &message);
Error wrongType(const QString &path, const QString &expected, const Json &got);

Result<QString> requireString(const Json &value, const QString &path);
Result<qint64> requireInteger(const Json &value, const QString &path);
Result<bool> requireBoolean(const Json &value, const QString &path);
// maxEntries < 0: any number.
Result<QStringList> requireStrings(const Json &value, const QString &path, int maxEntries = -1);

// Members: an absent one is "is required", or else the fallback (empty).
Result<QString> stringAt(const Json &object, const char *key, const QString &path,
                         Presence presence = Presence::Optional);
Result<qint64> integerAt(const Json &object, const char *key, const QString &path, qint64 fallback,
                         Presence presence = Presence::Optional);
Result<QStringList> stringsAt(const Json &object, const char *key, const QString &path,
                              Presence presence = Presence::Optional);

// Refuses a member not in `keys`, naming it under `path` ("" at the top level).
VoidResult onlyKeys(const Json &object, std::initializer_list<const char *> keys,
                    const QString &path);

} // namespace bc::util::json
