#pragma once

#include "core/util/json.h"

// Readers for open schemas (Docker and Coolify replies, the console's own state files):
// they never fail. A missing or null member, or a value of no usable type, gives the
// fallback. Coolify's types drift across versions (integers as strings, 0/1 booleans),
// so integer(), boolean() and text() accept those forms too.
namespace bc::util::json {

// The member, or a null value when `object` is not an object or has no such member.
const Json &member(const Json &object, const char *key);

// A string member; any other type is an empty string.
QString string(const Json &object, const char *key);
// A scalar member as text: numbers and booleans are spelled out ("42", "true").
QString text(const Json &object, const char *key);
// An integer, a number (truncated) or a string holding an integer ("42").
qint64 integer(const Json &object, const char *key, qint64 fallback = 0);
// A boolean, a number (non-zero is true) or a string ("1" and "true" are true, any other
// string false).
bool boolean(const Json &object, const char *key, bool fallback = false);
// Only the JSON literal true: for checks where any other value must count as not set.
bool isTrue(const Json &object, const char *key);
// An array's entries, anything but a string as an empty one (so that a count or an
// emptiness check still sees it); not an array: none.
QStringList strings(const Json &object, const char *key);

} // namespace bc::util::json
