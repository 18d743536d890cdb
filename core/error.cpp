#include "core/error.h"

namespace bc {

Error::Error(Kind kind, QString message, int httpStatus)
    : m_kind(kind)
    , m_httpStatus(httpStatus)
    , m_message(std::move(message))
{
}

Error Error::fromHttpStatus(int status, const QString &serverMessage)
{
    Kind kind = Kind::Server;
    switch (status) {
    case 400:
    case 422:
        kind = Kind::Invalid;
        break;
    case 401:
    case 403:
        kind = Kind::Unauthorized;
        break;
    case 404:
        kind = Kind::NotFound;
        break;
    case 408:
        kind = Kind::Timeout;
        break;
    case 409:
        kind = Kind::Conflict;
        break;
    case 429:
        kind = Kind::RateLimited;
        break;
    default:
        kind = Kind::Server;
    }
    QString message = serverMessage.trimmed();
    if (message.isEmpty())
        message = QStringLiteral("HTTP status %1").arg(status);
    return Error(kind, message, status);
}

Error Error::withContext(const QString &context) const
{
    Error copy = *this;
    copy.m_context = m_context.isEmpty() ? context : context + QStringLiteral(": ") + m_context;
    return copy;
}

QString Error::toString() const
{
    QString text = m_context.isEmpty() ? m_message : m_context + QStringLiteral(": ") + m_message;
    if (m_httpStatus > 0 && !m_message.contains(QString::number(m_httpStatus)))
        text += QStringLiteral(" (HTTP %1)").arg(m_httpStatus);
    return text;
}

QString Error::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Transport: return QStringLiteral("transport");
    case Kind::Timeout: return QStringLiteral("timeout");
    case Kind::Cancelled: return QStringLiteral("cancelled");
    case Kind::NotFound: return QStringLiteral("not-found");
    case Kind::Conflict: return QStringLiteral("conflict");
    case Kind::Server: return QStringLiteral("server");
    case Kind::Protocol: return QStringLiteral("protocol");
    case Kind::Version: return QStringLiteral("version");
    case Kind::Invalid: return QStringLiteral("invalid");
    case Kind::Unauthorized: return QStringLiteral("unauthorized");
    case Kind::RateLimited: return QStringLiteral("rate-limited");
    case Kind::Io: return QStringLiteral("io");
    }
    return QStringLiteral("unknown");
}

} // namespace bc
