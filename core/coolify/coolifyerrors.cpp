#include "core/coolify/coolifyerrors.h"

#include "core/coolify/coolifydecode.h"
#include "core/util/jsonlenient.h"

#include <QStringList>

#include <nlohmann/json.hpp>

namespace bc::coolify {

using nlohmann::json;

using util::json::text;

namespace {

QString authHint(int status, const QString &message)
{
    if (status == 401)
        return QStringLiteral("the API token is wrong, expired or revoked; create one in Coolify "
                              "(Keys & Tokens) and store it with 'boxctl coolify login'");
    if (message.startsWith(QLatin1String("Missing required permissions")))
        return QStringLiteral("the token lacks an ability: box-console needs read, write and "
                              "deploy (or root)");
    if (message.contains(QLatin1String("API is disabled")))
        return QStringLiteral("enable API access in Coolify: Settings > Advanced > API Access");
    if (message.contains(QLatin1String("not allowed to access the API")))
        return QStringLiteral("add this machine's address to the API's allowed IPs in Coolify");
    if (message.contains(QLatin1String("team role")) ||
        message.contains(QLatin1String("exceed your current role")))
        return QStringLiteral("the token's user must be an admin or owner of the team for "
                              "these abilities");
    return {};
}

} // namespace

Error errorFromReply(const CoolifyReply &reply)
{
    QString message;
    const json j = json::parse(reply.body.constData(), reply.body.constData() + reply.body.size(),
                               nullptr, false);
    if (!j.is_discarded() && j.is_object()) {
        message = decode::message(j.value("message", json()));
        if (j.contains("error") && j["error"].is_string()) {
            const QString detail = decode::message(j["error"]);
            if (!detail.isEmpty() && detail != message)
                message += QStringLiteral(" (%1)").arg(detail);
        }
        if (j.contains("errors") && j["errors"].is_object()) {
            QStringList fields;
            for (auto it = j["errors"].begin(); it != j["errors"].end(); ++it)
                fields << QString::fromStdString(it.key()) + QStringLiteral(": ") +
                              decode::message(it.value());
            if (!fields.isEmpty())
                message +=
                    QStringLiteral(" [") + fields.join(QStringLiteral("; ")) + QLatin1Char(']');
        }
        if (j.contains("conflicts") && j["conflicts"].is_array()) {
            QStringList conflicts;
            for (const json &c : j["conflicts"])
                conflicts << text(c, "domain") + QStringLiteral(" (") + text(c, "resource_name") +
                                 QLatin1Char(')');
            if (!conflicts.isEmpty())
                message +=
                    QStringLiteral(" [") + conflicts.join(QStringLiteral(", ")) + QLatin1Char(']');
        }
    } else if (!reply.contentType.contains("html")) {
        message = QString::fromUtf8(reply.body.left(300)).trimmed();
    }
    if (reply.status == 429) {
        const QByteArray retryAfter = reply.headers.value("retry-after");
        if (!retryAfter.isEmpty())
            message += QStringLiteral(" (retry after %1 s)").arg(QString::fromLatin1(retryAfter));
    }
    if (reply.status == 401 || reply.status == 403) {
        const QString hint = authHint(reply.status, message);
        if (!hint.isEmpty())
            message += QStringLiteral(" - ") + hint;
    }
    return Error::fromHttpStatus(reply.status, message);
}

bool isTransient(const Error &error)
{
    return error.kind() == Error::Kind::Transport || error.kind() == Error::Kind::Timeout ||
           error.kind() == Error::Kind::RateLimited ||
           (error.kind() == Error::Kind::Server && error.httpStatus() >= 500);
}

} // namespace bc::coolify
