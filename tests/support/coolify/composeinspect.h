#pragma once

#include <QMap>
#include <QString>

#include <nlohmann/json.hpp>

namespace bc::test {

// What `docker inspect` shows for the container docker compose creates from one service of
// a compose document (the document Coolify deploys: the fake's "_docker_compose"), in the
// shape security::PostureAudit reads: Config (User, Env, Labels, Healthcheck, Image, Cmd),
// HostConfig and the top-level Mounts. dotEnv is the service's .env (Coolify's env_file);
// engineDefaults holds what the engine adds on its own, whatever the compose says
// (AppArmorProfile), so both sides of a comparison run on the same kind of engine.
// Keys the conversion does not know are reported in "Unconverted", never dropped.
nlohmann::json
composeServiceToInspect(const nlohmann::json &compose, const QString &service,
                        const QMap<QString, QString> &dotEnv = {},
                        const nlohmann::json &engineDefaults = nlohmann::json::object());

} // namespace bc::test
