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

Json fromVariant(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        return Json();
    case QMetaType::Bool:
        return value.toBool();
    case QMetaType::Int:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::Short:
        return value.toLongLong();
    case QMetaType::UInt:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
    case QMetaType::UShort:
        return value.toULongLong();
    case QMetaType::Double:
    case QMetaType::Float:
        return number(value.toDouble());
    case QMetaType::QStringList:
        return array(value.toStringList());
    case QMetaType::QVariantList: {
        Json a = Json::array();
        for (const QVariant &v : value.toList())
            a.push_back(fromVariant(v));
        return a;
    }
    case QMetaType::QVariantMap: {
        Json o = Json::object();
        const QVariantMap map = value.toMap();
        for (auto it = map.begin(); it != map.end(); ++it)
            o[utf8(it.key())] = fromVariant(it.value());
        return o;
    }
    default:
        return utf8(value.toString());
    }
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
