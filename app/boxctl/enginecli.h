#pragma once

#include "app/boxctl/cli.h"

#include "core/docker/dockerclient.h"

#include <nlohmann/json.hpp>

#include <QMultiMap>
#include <QSet>

#include <memory>
#include <string>

// What the docker-like engine commands (cmd_ps.cpp, cmd_stats.cpp, cmd_events.cpp, …)
// share: one way to reach the engine, the docker CLI's option syntax and its table and
// JSON output, so that the commands behave alike wherever they live.
namespace bc::cli::engine {

// The engine of --host / --context / DOCKER_HOST, with DOCKER_API_VERSION pinned when set;
// resolver warnings go to stderr. Null (and *error set) when it cannot be resolved.
std::unique_ptr<docker::DockerClient> connectEngine(Context &ctx, Error *error);

// --filter KEY=VALUE, repeated.
Result<docker::Filters> parseFilters(const QStringList &specs);

// --since: unix seconds, RFC 3339 or a duration back from now ("10m"), in nanoseconds.
Result<qint64> parseTime(const QString &text);

// The docker CLI's tables: text/tabwriter with padding 3, a header row first.
void printDockerTable(QTextStream &out, const QStringList &header, QList<QStringList> rows);

// The 12-digit id the docker CLI shows (without "sha256:").
QString shortId(QString id);

// One JSON document on a line.
void writeJson(QTextStream &out, const nlohmann::json &j);

inline std::string toStd(const QString &q)
{
    return q.toStdString();
}

} // namespace bc::cli::engine
