#pragma once

#include <QMetaType>
#include <QString>

namespace bc {

// The one error type of box-console: every layer (HTTP, Docker, Coolify, box pipelines)
// reports failures as an Error so that callers branch on kind, never on message text.
class Error
{
public:
    enum class Kind {
        Transport,   // could not connect, connection reset, TLS failure
        Timeout,     // no answer in time
        Cancelled,   // the caller gave up
        NotFound,    // 404 or an object that does not exist
        Conflict,    // 409: name in use, object in use
        Server,      // 5xx or any other non-success status
        Protocol,    // malformed HTTP, JSON or stream framing
        Version,     // API version unsupported
        Invalid,     // bad input, rejected before anything was sent (or 400/422)
        Unauthorized,// 401/403
        RateLimited, // 429
        Io,          // local file system
    };

    Error() = default;
    Error(Kind kind, QString message, int httpStatus = 0);

    // Maps an HTTP status and the server's own message to an Error.
    static Error fromHttpStatus(int status, const QString &serverMessage);

    Kind kind() const { return m_kind; }
    int httpStatus() const { return m_httpStatus; }
    const QString &message() const { return m_message; }
    // What was being attempted ("create container box-a"), prefixed by toString().
    const QString &context() const { return m_context; }

    // Returns a copy with an extra context prefix; inner contexts stay innermost.
    [[nodiscard]] Error withContext(const QString &context) const;

    QString toString() const;
    static QString kindName(Kind kind);

    bool operator==(const Error &other) const = default;

private:
    Kind m_kind = Kind::Server;
    int m_httpStatus = 0;
    QString m_message;
    QString m_context;
};

} // namespace bc

Q_DECLARE_METATYPE(bc::Error)
