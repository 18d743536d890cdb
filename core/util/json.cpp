#include "core/util/json.h"

#include <cmath>

namespace bc::util::json {

std::string utf8(const QString &text)
{
    return text.toStdString();
}

QString qstring(const Json &value)
{
    return value.is_string() ? QString::fromStdString(value.get_ref<const std::string &>())
                             : QString();
}

Json array(const QStringList &list)
{
    Json a = Json::array();
    for (const QString &s : list)
        a.push_back(utf8(s));
    return a;
}

Json object(const QMap<QString, QString> &map)
{
    Json o = Json::object();
    for (auto it = map.begin(); it != map.end(); ++it)
        o[utf8(it.key())] = utf8(it.value());
    return o;
}

Json number(double value)
{
    // 2^53: beyond it a double no longer holds every integer, and Qt printed an exponent.
    constexpr double exact = 9007199254740992.0;
    if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < exact)
        return Json(qint64(value));
    return Json(value);
}

QByteArray dump(const Json &value, int indent)
{
    return QByteArray::fromStdString(
        value.dump(indent, ' ', false, Json::error_handler_t::replace));
}

Result<Json> parse(const QByteArray &text, const QString &what, Error::Kind kind)
{
    Json j = Json::parse(text.constBegin(), text.constEnd(), nullptr, false);
    if (j.is_discarded())
        return Error(kind, QStringLiteral("%1 is not valid JSON").arg(what));
    return j;
}

} // namespace bc::util::json
