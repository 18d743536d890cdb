#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <nlohmann/json.hpp>

#include <string>

// Core's JSON toolkit, on nlohmann::json: conversions between Qt and JSON values here, the
// lenient readers for open schemas in jsonlenient.h, the strict ones for what a user wrote
// in jsonstrict.h. Nothing here throws.
namespace bc::util::json {

using Json = nlohmann::json;

// UTF-8, as nlohmann::json keeps its strings.
std::string utf8(const QString &text);
// A string value; any other value is an empty string.
QString qstring(const Json &value);

Json array(const QStringList &list);
Json object(const QMap<QString, QString> &map);
// A whole number as an integer, so that 2.0 prints as 2 (what Qt's JSON writer printed for
// the same value, and what records written before it hold).
Json number(double value);

// Booleans, numbers, strings and lists and maps of them; anything else as its text.
Json fromVariant(const QVariant &value);

// indent < 0: compact. Invalid UTF-8 in a string is replaced rather than thrown about.
QByteArray dump(const Json &value, int indent = -1);
// `what` names the text in the error ("the secrets file"); a malformed document is an
// error of `kind`.
Result<Json> parse(const QByteArray &text, const QString &what,
                   Error::Kind kind = Error::Kind::Protocol);

} // namespace bc::util::json
