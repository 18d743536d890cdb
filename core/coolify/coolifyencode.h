#pragma once

#include "core/coolify/coolifytypes.h"
#include "core/result.h"

#include <QList>
#include <QUrlQuery>

#include <nlohmann/json.hpp>

// coolifytypes.h specs -> Coolify request bodies. What Coolify would refuse only after a
// round trip (a missing placement, a bad variable name) is an Error::Kind::Invalid here.
namespace bc::coolify::encode {

// POST /applications/dockerimage or /applications/dockerfile, by which of the two is set.
Result<nlohmann::json> applicationCreate(const CoolifyAppCreate &spec);
// POST /services.
Result<nlohmann::json> serviceCreate(const CoolifyServiceCreate &spec);
// The data array of PATCH …/envs/bulk; services take no preview/runtime/buildtime flags.
Result<nlohmann::json> envBulk(const QList<CoolifyEnvVar> &vars, bool application);
// DELETE /applications/{uuid} and /services/{uuid}.
QUrlQuery deleteQuery(const CoolifyDeleteOptions &options);

} // namespace bc::coolify::encode
