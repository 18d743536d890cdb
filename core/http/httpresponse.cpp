#include "core/http/httpresponse.h"

#include <nlohmann/json.hpp>

namespace bc::http {

QByteArray HttpResponse::contentType() const
{
    QByteArray type = headers.value("Content-Type");
    const qsizetype semicolon = type.indexOf(';');
    if (semicolon >= 0)
        type.truncate(semicolon);
    return type.trimmed().toLower();
}

QString HttpResponse::serverMessage() const
{
    // dockerd and Coolify answer {"message": "..."}; proxies and very old daemons answer
    // text/plain or HTML. Parse JSON whatever the declared type, then fall back to text.
    if (!body.isEmpty() && (body.front() == '{')) {
        const auto json = nlohmann::json::parse(body.constBegin(), body.constEnd(), nullptr, false);
        if (json.is_object()) {
            auto it = json.find("message");
            if (it != json.end() && it->is_string())
                return QString::fromStdString(it->get<std::string>()).trimmed();
        }
    }
    QString text = QString::fromUtf8(body.left(1024)).trimmed();
    if (body.size() > 1024)
        text += QStringLiteral("…");
    return text;
}

} // namespace bc::http
