#include "core/coolify/coolifydecode.h"

#include "core/util/jsonlenient.h"

#include <QDateTime>

namespace bc::coolify::decode {

using nlohmann::json;

using util::json::boolean;
using util::json::integer;
using util::json::text;

namespace {

QDateTime timestamp(const json &j, const char *key)
{
    const QString written = text(j, key);
    if (written.isEmpty())
        return {};
    QDateTime dt = QDateTime::fromString(written, Qt::ISODateWithMs);
    if (!dt.isValid()) // "2024-05-01 10:00:00" from some endpoints
        dt = QDateTime::fromString(written, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    if (dt.isValid() && dt.timeSpec() == Qt::LocalTime)
        dt.setTimeSpec(Qt::UTC);
    return dt;
}

} // namespace

Result<json> document(const CoolifyReply &reply)
{
    return util::json::parse(reply.body,
                             QStringLiteral("Coolify's answer (HTTP %1)").arg(reply.status));
}

CoolifyServer server(const json &j)
{
    CoolifyServer s;
    s.uuid = text(j, "uuid");
    s.name = text(j, "name");
    s.description = text(j, "description");
    s.ip = text(j, "ip");
    s.user = text(j, "user");
    const qint64 port = integer(j, "port", 22);
    s.port = port > 0 && port < 65536 ? int(port) : 22;
    const json settings = j.contains("settings") ? j["settings"] : json::object();
    // Top-level flags are not in the spec; settings carries them on every version.
    s.isReachable = boolean(j, "is_reachable", boolean(settings, "is_reachable"));
    s.isUsable = boolean(j, "is_usable", boolean(settings, "is_usable"));
    s.isBuildServer = boolean(settings, "is_build_server", boolean(j, "is_build_server"));
    return s;
}

CoolifyEnvironment environment(const json &j)
{
    CoolifyEnvironment e;
    e.uuid = text(j, "uuid");
    e.name = text(j, "name");
    e.id = integer(j, "id", -1);
    return e;
}

CoolifyProject project(const json &j)
{
    CoolifyProject p;
    p.uuid = text(j, "uuid");
    p.name = text(j, "name");
    p.description = text(j, "description");
    if (j.contains("environments") && j["environments"].is_array()) {
        for (const json &e : j["environments"])
            p.environments << environment(e);
    }
    return p;
}

CoolifyApplication application(const json &j)
{
    CoolifyApplication a;
    a.uuid = text(j, "uuid");
    a.name = text(j, "name");
    a.description = text(j, "description");
    for (const QString &d : text(j, "fqdn").split(QLatin1Char(','), Qt::SkipEmptyParts))
        a.domains << d.trimmed();
    a.status = CoolifyStatus::parse(text(j, "status"));
    a.buildPack = text(j, "build_pack");
    a.imageName = text(j, "docker_registry_image_name");
    a.imageTag = text(j, "docker_registry_image_tag");
    a.portsExposes = text(j, "ports_exposes");
    a.environmentId = integer(j, "environment_id", -1);
    a.healthCheckEnabled = boolean(j, "health_check_enabled");
    a.limitsMemory = text(j, "limits_memory");
    a.limitsCpus = text(j, "limits_cpus");
    a.createdAt = timestamp(j, "created_at");
    a.updatedAt = timestamp(j, "updated_at");
    a.lastOnlineAt = timestamp(j, "last_online_at");
    return a;
}

CoolifyService service(const json &j)
{
    CoolifyService s;
    s.uuid = text(j, "uuid");
    s.name = text(j, "name");
    s.description = text(j, "description");
    s.status = CoolifyStatus::parse(text(j, "status"));
    if (j.contains("applications") && j["applications"].is_array()) {
        for (const json &a : j["applications"])
            s.applicationNames << text(a, "name");
    }
    s.createdAt = timestamp(j, "created_at");
    s.updatedAt = timestamp(j, "updated_at");
    return s;
}

CoolifyEnvVar envVar(const json &j)
{
    CoolifyEnvVar v;
    v.uuid = text(j, "uuid");
    v.key = text(j, "key");
    v.value = text(j, "value");
    v.isPreview = boolean(j, "is_preview");
    v.isLiteral = boolean(j, "is_literal");
    v.isMultiline = boolean(j, "is_multiline");
    v.isShownOnce = boolean(j, "is_shown_once");
    // beta.420 spelled it is_build_time.
    v.isRuntime = boolean(j, "is_runtime", true);
    v.isBuildtime = boolean(j, "is_buildtime", boolean(j, "is_build_time", true));
    v.comment = text(j, "comment");
    return v;
}

CoolifyDeployment deployment(const json &j)
{
    CoolifyDeployment d;
    d.deploymentUuid = text(j, "deployment_uuid");
    d.applicationName = text(j, "application_name");
    d.statusText = text(j, "status");
    d.status = CoolifyDeployment::parseStatus(d.statusText);
    d.serverName = text(j, "server_name");
    d.createdAt = timestamp(j, "created_at");
    d.finishedAt = timestamp(j, "finished_at");
    return d;
}

Result<CoolifyVersion> version(const CoolifyReply &reply)
{
    QString text = QString::fromUtf8(reply.body).trimmed();
    // Some proxies wrap it as a JSON string.
    if (text.startsWith(QLatin1Char('"')) && text.endsWith(QLatin1Char('"')))
        text = text.mid(1, text.size() - 2);
    auto v = CoolifyVersion::parse(text);
    if (!v)
        return Error(Error::Kind::Protocol,
                     QStringLiteral("unrecognised Coolify version '%1'").arg(text.left(40)));
    return *v;
}

Result<QList<CoolifyDeployment>> deployments(const CoolifyReply &reply)
{
    auto j = document(reply);
    if (!j)
        return j.error();
    // Real shape {count, deployments}; the spec (and Prism's mock) says an array.
    const json list = j->is_object() ? j->value("deployments", json::array()) : *j;
    if (!list.is_array())
        return Error(Error::Kind::Protocol, QStringLiteral("expected a list of deployments"));
    QList<CoolifyDeployment> out;
    for (const json &e : list)
        out << deployment(e);
    return out;
}

Result<CoolifyDeployRequest> deployRequest(const CoolifyReply &reply)
{
    auto j = document(reply);
    if (!j)
        return j.error();
    CoolifyDeployRequest d;
    d.message = message(j->value("message", json()));
    d.deploymentUuid = text(*j, "deployment_uuid");
    return d;
}

Result<CoolifyDeployRequest> deployAnswer(const CoolifyReply &reply, const QString &appUuid)
{
    auto j = document(reply);
    if (!j)
        return j.error();
    CoolifyDeployRequest d;
    if (j->contains("deployments") && (*j)["deployments"].is_array()) {
        for (const json &e : (*j)["deployments"]) {
            if (text(e, "resource_uuid") == appUuid || (*j)["deployments"].size() == 1) {
                d.message = text(e, "message");
                d.deploymentUuid = text(e, "deployment_uuid");
            }
        }
    } else {
        d.message = message(j->value("message", json()));
    }
    return d;
}

Result<QString> createdUuid(const CoolifyReply &reply)
{
    auto j = document(reply);
    const QString uuid = j ? text(*j, "uuid") : QString();
    if (uuid.isEmpty())
        return Error(Error::Kind::Protocol, QStringLiteral("create answered without a uuid"));
    return uuid;
}

Result<QStringList> logLines(const CoolifyReply &reply)
{
    auto j = document(reply);
    if (!j)
        return j.error();
    QStringList out = text(*j, "logs").split(QLatin1Char('\n'));
    while (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out;
}

QString message(const json &value)
{
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    if (value.is_array()) {
        QStringList parts;
        for (const json &item : value)
            parts << message(item);
        return parts.join(QStringLiteral("; "));
    }
    if (value.is_null())
        return {};
    return QString::fromStdString(value.dump());
}

} // namespace bc::coolify::decode
