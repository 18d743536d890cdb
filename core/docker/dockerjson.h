#pragma once

#include "core/docker/dockertypes.h"
#include "core/result.h"

#include <QByteArray>

#include <nlohmann/json.hpp>

// Daemon JSON -> dockertypes.h records. Tolerant of missing fields and of fields of the
// wrong type (open schema; older daemons omit newer fields): a missing value is empty.
namespace bc::docker::json {

QString str(const nlohmann::json &j, const char *key);
qint64 integer(const nlohmann::json &j, const char *key);
bool boolean(const nlohmann::json &j, const char *key);
QStringList strings(const nlohmann::json &j, const char *key);
QMap<QString, QString> stringMap(const nlohmann::json &j, const char *key);
nlohmann::json toJson(const QMap<QString, QString> &map);

ContainerSummary containerSummary(const nlohmann::json &j);
// GET /containers/json straight from the body: one streaming pass into the records, with no
// document tree (a list of 1,000 containers is about 1 MB, most of it in fields no caller
// reads). Same tolerance as containerSummary; a malformed body or a top-level value that
// is not an array becomes Error::Kind::Protocol.
Result<QList<ContainerSummary>> containerList(const QByteArray &body);
ContainerInspect containerInspect(const nlohmann::json &j);
ImageSummary imageSummary(const nlohmann::json &j);
ImageInspect imageInspect(const nlohmann::json &j);
VolumeInfo volume(const nlohmann::json &j);
NetworkInfo network(const nlohmann::json &j);
Event event(const nlohmann::json &j);
VersionInfo version(const nlohmann::json &j);
SystemInfo systemInfo(const nlohmann::json &j);
BuildProgress buildProgress(const nlohmann::json &j);

// Parses a body; a malformed document becomes Error::Kind::Protocol.
Result<nlohmann::json> parse(const QByteArray &body);

} // namespace bc::docker::json
