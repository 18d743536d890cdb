#include "core/http/httpheaders.h"

namespace bc::http {

static bool sameName(const QByteArray &a, const QByteArray &b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

void HttpHeaders::set(const QByteArray &name, const QByteArray &value)
{
    remove(name);
    add(name, value);
}

void HttpHeaders::remove(const QByteArray &name)
{
    m_fields.removeIf([&](const auto &field) { return sameName(field.first, name); });
}

bool HttpHeaders::contains(const QByteArray &name) const
{
    for (const auto &field : m_fields) {
        if (sameName(field.first, name))
            return true;
    }
    return false;
}

QByteArray HttpHeaders::value(const QByteArray &name, const QByteArray &fallback) const
{
    for (const auto &field : m_fields) {
        if (sameName(field.first, name))
            return field.second;
    }
    return fallback;
}

QList<QByteArray> HttpHeaders::values(const QByteArray &name) const
{
    QList<QByteArray> out;
    for (const auto &field : m_fields) {
        if (sameName(field.first, name))
            out.append(field.second);
    }
    return out;
}

} // namespace bc::http
