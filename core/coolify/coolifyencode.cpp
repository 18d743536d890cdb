#include "core/coolify/coolifyencode.h"

#include "core/util/json.h"

#include <QRegularExpression>

#include <optional>

namespace bc::coolify::encode {

using nlohmann::json;

using util::json::utf8;

namespace {

std::optional<Error> checkPlacement(const CoolifyPlacement &spec, const QString &what)
{
    if (spec.serverUuid.isEmpty() || spec.projectUuid.isEmpty())
        return Error(Error::Kind::Invalid,
                     QStringLiteral("create %1: server and project uuids are required").arg(what));
    if (spec.environmentName.isEmpty() && spec.environmentUuid.isEmpty())
        return Error(
            Error::Kind::Invalid,
            QStringLiteral("create %1: an environment name or uuid is required").arg(what));
    return std::nullopt;
}

json placementBody(const CoolifyPlacement &spec)
{
    json body = json::object();
    body["project_uuid"] = utf8(spec.projectUuid);
    body["server_uuid"] = utf8(spec.serverUuid);
    // Both when known: the spec requires both, the server wants at least one.
    if (!spec.environmentName.isEmpty())
        body["environment_name"] = utf8(spec.environmentName);
    if (!spec.environmentUuid.isEmpty())
        body["environment_uuid"] = utf8(spec.environmentUuid);
    if (!spec.destinationUuid.isEmpty())
        body["destination_uuid"] = utf8(spec.destinationUuid);
    if (!spec.name.isEmpty())
        body["name"] = utf8(spec.name);
    if (!spec.description.isEmpty())
        body["description"] = utf8(spec.description);
    return body;
}

void addTags(json &body, const QStringList &tags)
{
    if (tags.isEmpty())
        return;
    json list = json::array();
    for (const QString &t : tags)
        list.push_back(utf8(t));
    body["tags"] = list;
}

QString flag(bool b)
{
    return b ? QStringLiteral("true") : QStringLiteral("false");
}

} // namespace

Result<json> applicationCreate(const CoolifyAppCreate &spec)
{
    const bool fromImage = !spec.image.isEmpty();
    const bool fromDockerfile = !spec.dockerfile.isEmpty();
    if (fromImage == fromDockerfile)
        return Error(Error::Kind::Invalid,
                     QStringLiteral("create application: give either an image or a Dockerfile"));
    if (auto error = checkPlacement(spec, QStringLiteral("application")))
        return *error;
    static const QRegularExpression portsRe(QStringLiteral("^\\d+(,\\d+)*$"));
    if (!spec.portsExposes.isEmpty() && !portsRe.match(spec.portsExposes).hasMatch())
        return Error(Error::Kind::Invalid,
                     QStringLiteral("ports_exposes: must be comma-separated port numbers"));

    json body = placementBody(spec);
    // Default true would publish the box on an sslip.io URL nobody asked for.
    body["autogenerate_domain"] = false;
    body["instant_deploy"] = false;
    if (!spec.domains.isEmpty())
        body["domains"] = utf8(spec.domains.join(QLatin1Char(',')));
    if (!spec.portsExposes.isEmpty())
        body["ports_exposes"] = utf8(spec.portsExposes);
    addTags(body, spec.tags);
    if (spec.healthCheckEnabled) {
        body["health_check_enabled"] = true;
        if (!spec.healthCheckPath.isEmpty())
            body["health_check_path"] = utf8(spec.healthCheckPath);
        if (!spec.healthCheckPort.isEmpty())
            body["health_check_port"] = utf8(spec.healthCheckPort);
    }
    if (!spec.limitsMemory.isEmpty())
        body["limits_memory"] = utf8(spec.limitsMemory);
    if (!spec.limitsMemorySwap.isEmpty())
        body["limits_memory_swap"] = utf8(spec.limitsMemorySwap);
    if (!spec.limitsCpus.isEmpty())
        body["limits_cpus"] = utf8(spec.limitsCpus);
    if (!spec.customDockerRunOptions.isEmpty())
        body["custom_docker_run_options"] = utf8(spec.customDockerRunOptions);
    if (fromImage) {
        body["docker_registry_image_name"] = utf8(spec.image);
        if (!spec.imageTag.isEmpty())
            body["docker_registry_image_tag"] = utf8(spec.imageTag);
    } else {
        body["dockerfile"] = spec.dockerfile.toUtf8().toBase64().toStdString();
    }
    return body;
}

Result<json> serviceCreate(const CoolifyServiceCreate &spec)
{
    if (auto error = checkPlacement(spec, QStringLiteral("service")))
        return *error;
    if (spec.compose.isEmpty())
        return Error(Error::Kind::Invalid, QStringLiteral("create service: no compose document"));
    json body = placementBody(spec);
    body["docker_compose_raw"] = spec.compose.toBase64().toStdString();
    body["instant_deploy"] = spec.instantDeploy;
    addTags(body, spec.tags);
    return body;
}

Result<json> envBulk(const QList<CoolifyEnvVar> &vars, bool application)
{
    static const QRegularExpression keyRe(QStringLiteral("^[A-Za-z_][A-Za-z0-9_.]*$"));
    json data = json::array();
    for (const CoolifyEnvVar &v : vars) {
        if (!keyRe.match(v.key).hasMatch() || v.key.size() > 255)
            return Error(Error::Kind::Invalid,
                         QStringLiteral("environment variable name '%1' is not valid").arg(v.key));
        json item = {{"key", utf8(v.key)},
                     {"value", utf8(v.value)},
                     {"is_literal", v.isLiteral},
                     {"is_multiline", v.isMultiline},
                     {"is_shown_once", v.isShownOnce}};
        if (application) {
            item["is_preview"] = v.isPreview;
            item["is_runtime"] = v.isRuntime;
            item["is_buildtime"] = v.isBuildtime;
        }
        if (!v.comment.isEmpty())
            item["comment"] = utf8(v.comment.left(256));
        data.push_back(item);
    }
    return data;
}

QUrlQuery deleteQuery(const CoolifyDeleteOptions &options)
{
    // Every flag explicitly: Coolify defaults them all to true.
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("delete_configurations"), flag(options.deleteConfigurations));
    query.addQueryItem(QStringLiteral("delete_volumes"), flag(options.deleteVolumes));
    query.addQueryItem(QStringLiteral("docker_cleanup"), flag(options.dockerCleanup));
    query.addQueryItem(QStringLiteral("delete_connected_networks"),
                       flag(options.deleteConnectedNetworks));
    return query;
}

} // namespace bc::coolify::encode
