#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace bc::http {

// Ordered header list with case-insensitive lookup (HTTP field names are case-insensitive).
class HttpHeaders
{
public:
    void add(const QByteArray &name, const QByteArray &value) { m_fields.append({name, value}); }
    void set(const QByteArray &name, const QByteArray &value);
    void remove(const QByteArray &name);
    bool contains(const QByteArray &name) const;
    QByteArray value(const QByteArray &name, const QByteArray &fallback = {}) const;
    QList<QByteArray> values(const QByteArray &name) const;
    const QList<QPair<QByteArray, QByteArray>> &fields() const { return m_fields; }
    bool isEmpty() const { return m_fields.isEmpty(); }
    void clear() { m_fields.clear(); }

private:
    QList<QPair<QByteArray, QByteArray>> m_fields;
};

} // namespace bc::http
