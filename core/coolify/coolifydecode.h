#pragma once

#include "core/coolify/coolifyreply.h"
#include "core/coolify/coolifytypes.h"
#include "core/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

// Coolify's answers -> coolifytypes.h records. Coolify's types drift across versions (ints
// as strings, 0/1 booleans, nulls), so a record never fails: a member of no usable form
// keeps its default. Only a body that is not JSON, or not the shape the endpoint promises,
// is an Error::Kind::Protocol.
namespace bc::coolify::decode {

Result<nlohmann::json> document(const CoolifyReply &reply);

// A list endpoint, item by item: array<CoolifyServer>(reply, decode::server).
template <typename T, typename F> Result<QList<T>> array(const CoolifyReply &reply, F item)
{
    auto j = document(reply);
    if (!j)
        return j.error();
    if (!j->is_array())
        return Error(Error::Kind::Protocol, QStringLiteral("expected a JSON array"));
    QList<T> list;
    for (const nlohmann::json &e : *j)
        list << item(e);
    return list;
}

template <typename T, typename F> Result<T> object(const CoolifyReply &reply, F item)
{
    auto j = document(reply);
    if (!j)
        return j.error();
    if (!j->is_object())
        return Error(Error::Kind::Protocol, QStringLiteral("expected a JSON object"));
    return item(*j);
}

CoolifyServer server(const nlohmann::json &j);
CoolifyEnvironment environment(const nlohmann::json &j);
CoolifyProject project(const nlohmann::json &j);
CoolifyApplication application(const nlohmann::json &j);
CoolifyService service(const nlohmann::json &j);
CoolifyEnvVar envVar(const nlohmann::json &j);
CoolifyDeployment deployment(const nlohmann::json &j);

// GET /version answers plain text.
Result<CoolifyVersion> version(const CoolifyReply &reply);
// GET /deployments/applications/{uuid}.
Result<QList<CoolifyDeployment>> deployments(const CoolifyReply &reply);
// POST /applications/{uuid}/start and …/restart.
Result<CoolifyDeployRequest> deployRequest(const CoolifyReply &reply);
// POST /deploy answers for every resource it queued; this takes the one for appUuid.
Result<CoolifyDeployRequest> deployAnswer(const CoolifyReply &reply, const QString &appUuid);
// The uuid a create call answers with.
Result<QString> createdUuid(const CoolifyReply &reply);
// GET …/logs, without the trailing empty lines.
Result<QStringList> logLines(const CoolifyReply &reply);

// A message member as one line: Coolify sends a string, a list of them (joined with "; ")
// or, in field errors, anything.
QString message(const nlohmann::json &value);

} // namespace bc::coolify::decode
