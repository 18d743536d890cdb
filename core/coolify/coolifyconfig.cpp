#include "core/coolify/coolifyconfig.h"

#include <QHostAddress>
#include <QSettings>

namespace bc::coolify {

static QString firstOf(std::initializer_list<const char *> envNames, QSettings &settings,
                       const char *settingsKey)
{
    for (const char *name : envNames) {
        const QString value = qEnvironmentVariable(name).trimmed();
        if (!value.isEmpty())
            return value;
    }
    if (!settingsKey)
        return {};
    return settings.value(QLatin1String(settingsKey)).toString().trimmed();
}

Result<QUrl> CoolifyConfig::validateUrl(const QString &text)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return Error(Error::Kind::Invalid,
                     QStringLiteral("Coolify URL '%1' is not a valid URL").arg(text.trimmed()));
    const QString scheme = url.scheme().toLower();
    const QString host = url.host().toLower();
    const QHostAddress address(host);
    const bool loopback = host == QLatin1String("localhost") || address.isLoopback();
    if (scheme != QLatin1String("https") && !(scheme == QLatin1String("http") && loopback))
        return Error(
            Error::Kind::Invalid,
            QStringLiteral("Coolify URL must use https (plain http only for localhost): %1")
                .arg(url.toDisplayString(QUrl::RemoveUserInfo)));
    if (!url.userInfo().isEmpty())
        return Error(Error::Kind::Invalid,
                     QStringLiteral("Coolify URL must not carry credentials; use the token"));
    return url;
}

Result<CoolifyConfig> CoolifyConfig::load(const QString &urlOverride)
{
    QSettings settings(QStringLiteral("box-console"), QStringLiteral("box-console"));
    CoolifyConfig config;
    QString url = urlOverride.trimmed();
    if (url.isEmpty())
        url = firstOf({"COOLIFY_URL"}, settings, "coolify/url");
    if (url.isEmpty())
        return Error(Error::Kind::Invalid,
                     QStringLiteral("Coolify URL not configured: set COOLIFY_URL, --coolify-url "
                                    "or coolify/url in the settings"));
    auto validUrl = validateUrl(url);
    if (!validUrl)
        return validUrl.error();
    QUrl base = validUrl.value();
    // Accept the API URL people copy from the docs as well as the instance URL.
    QString path = base.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (path.endsWith(QLatin1String("/api/v1")))
        path.chop(7);
    base.setPath(path);
    config.baseUrl = base;

    config.token = firstOf({"COOLIFY_TOKEN", "COOLIFY_API_TOKEN"}, settings, nullptr);
    config.serverUuid = firstOf({"COOLIFY_SERVER_UUID"}, settings, "coolify/server");
    config.projectUuid = firstOf({"COOLIFY_PROJECT_UUID"}, settings, "coolify/project");
    const QString envName = firstOf({"COOLIFY_ENV_NAME"}, settings, "coolify/environment");
    if (!envName.isEmpty())
        config.environmentName = envName;
    config.environmentUuid = firstOf({"COOLIFY_ENV_UUID"}, settings, "coolify/environment_uuid");
    config.destinationUuid = firstOf({"COOLIFY_DESTINATION_UUID"}, settings, "coolify/destination");
    config.domain = firstOf({"AGENTS_DOMAIN", "COOLIFY_DOMAIN"}, settings, "coolify/domain");
    config.egressSocketRoot =
        firstOf({"COOLIFY_EGRESS_SOCKET_ROOT"}, settings, "coolify/egress_socket_root");
    config.egressPolicyFile = firstOf({"BOX_EGRESS_POLICY"}, settings, "egress/policyFile");
    bool ok = false;
    const int egressGroup =
        firstOf({"COOLIFY_EGRESS_GROUP_ID"}, settings, "coolify/egress_group_id").toInt(&ok);
    if (ok && egressGroup > 0)
        config.egressGroupId = egressGroup;
    const int timeout = firstOf({"COOLIFY_TIMEOUT_MS"}, settings, "coolify/timeout_ms").toInt(&ok);
    if (ok && timeout > 0)
        config.timeoutMs = timeout;
    // Prism (the contract check) serves the API at the root.
    if (qEnvironmentVariableIsSet("COOLIFY_API_PATH"))
        config.apiPath = qEnvironmentVariable("COOLIFY_API_PATH");
    const int poll = firstOf({"COOLIFY_POLL_MS"}, settings, "coolify/poll_ms").toInt(&ok);
    if (ok && poll > 0)
        config.pollIntervalMs = poll;
    config.engines = CoolifyEngineAccess::load(settings);
    return config;
}

QString CoolifyConfig::toString() const
{
    return QStringLiteral("%1 (server %2, project %3, environment %4, token %5)")
        .arg(baseUrl.toDisplayString(QUrl::RemoveUserInfo),
             serverUuid.isEmpty() ? QStringLiteral("-") : serverUuid,
             projectUuid.isEmpty() ? QStringLiteral("-") : projectUuid,
             environmentUuid.isEmpty() ? environmentName : environmentUuid,
             token.isEmpty() ? QStringLiteral("from secret store") : QStringLiteral("set"));
}

} // namespace bc::coolify
