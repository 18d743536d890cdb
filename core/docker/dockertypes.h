#pragma once

// Typed records for Docker Engine API answers. Plain values: cheap to copy across
// threads and into models. Unknown fields are ignored (the API is an open schema);
// `raw` keeps the daemon's JSON where a caller needs fields not typed here (the audit).

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace bc::docker {

struct PingInfo
{
    QString apiVersion; // Api-Version header
    QString osType;
    bool experimental = false;
    QString builderVersion;
};

struct VersionInfo
{
    QString version; // engine version, e.g. 20.10.24+dfsg1
    QString apiVersion;
    QString minApiVersion;
    QString os;
    QString arch;
    QString kernelVersion;
    QString negotiatedApiVersion; // what this client uses
};

struct SystemInfo
{
    QString name;
    QString serverVersion;
    int containers = 0;
    int containersRunning = 0;
    int images = 0;
    int ncpu = 0;
    qint64 memTotal = 0;
    QString cgroupVersion;
    QString operatingSystem;
    QStringList securityOptions;
};

struct PortBinding
{
    QString ip;
    int privatePort = 0;
    int publicPort = 0;
    QString type;
};

struct ContainerSummary
{
    QString id;
    QStringList names; // without the leading '/'
    QString image;
    QString imageId;
    QString command;
    qint64 created = 0; // unix seconds
    QString state;      // created|restarting|running|paused|exited|dead|removing
    QString status;     // "Up 5 minutes (healthy)"
    QMap<QString, QString> labels;
    QList<PortBinding> ports;
    QStringList networks;
    QString name() const { return names.isEmpty() ? id.left(12) : names.first(); }
};

struct HealthLogEntry
{
    QDateTime start;
    QDateTime end;
    int exitCode = 0;
    QString output;
};

struct ContainerInspect
{
    QString id;
    QString name;        // without the leading '/'
    QString image;       // image id
    QString configImage; // Config.Image as given at create
    QString state;       // State.Status
    bool running = false;
    bool oomKilled = false;
    int exitCode = 0;
    QString error;
    QDateTime startedAt;
    QDateTime finishedAt;
    QString health; // "", starting, healthy, unhealthy
    int failingStreak = 0;
    QList<HealthLogEntry> healthLog;
    bool tty = false;
    QMap<QString, QString> labels;
    qint64 memoryLimit = 0;
    qint64 nanoCpus = 0;
    qint64 pidsLimit = 0;
    int restartCount = 0;
    nlohmann::json raw; // the full document (HostConfig, Mounts, NetworkSettings, …)
};

struct CreatedContainer
{
    QString id;
    QStringList warnings;
};

struct ImageSummary
{
    QString id;
    QStringList repoTags;
    qint64 created = 0;
    qint64 size = 0;
    QMap<QString, QString> labels;
};

struct ImageInspect
{
    QString id;
    QStringList repoTags;
    QString created;
    qint64 size = 0;
    QString user;
    QStringList entrypoint;
    QStringList cmd;
    QMap<QString, QString> labels;
    nlohmann::json healthcheck; // Config.Healthcheck or null
    nlohmann::json raw;
};

struct VolumeInfo
{
    QString name;
    QString driver;
    QString mountpoint;
    QMap<QString, QString> labels;
    QString createdAt;
};

struct NetworkInfo
{
    QString id;
    QString name;
    QString driver;
    bool internal = false;
    bool attachable = false;
    QMap<QString, QString> labels;
    QStringList containerIds; // attached containers (inspect only)
    nlohmann::json raw;
};

// One decoded stats document plus what the docker CLI derives from it.
struct StatsSample
{
    QString id;
    QString name;
    QDateTime read;
    double cpuPercent = 0.0; // computed against precpu (or the previous sample)
    bool cpuKnown = false;   // false: nothing to compare with (a first one-shot sample)
    quint64 memoryUsage = 0; // usage minus inactive file, as the CLI shows it
    quint64 memoryLimit = 0;
    double memoryPercent = 0.0;
    quint64 netRx = 0;
    quint64 netTx = 0;
    quint64 blockRead = 0;
    quint64 blockWrite = 0;
    quint64 pids = 0;
    // Raw counters kept for the next two-sample CPU computation.
    quint64 cpuTotal = 0;
    quint64 systemCpu = 0;
    quint32 onlineCpus = 0;
};

struct Event
{
    QString type;   // container, image, network, volume, daemon, …
    QString action; // start, die, health_status: healthy, destroy, …
    QString actorId;
    QMap<QString, QString> attributes;
    qint64 timeNano = 0;
    QString scope;
};

struct LogLine
{
    enum class Stream { Stdout, Stderr, Stdin, System };
    Stream stream = Stream::Stdout;
    QByteArray text; // one frame's payload (may hold several lines or part of one)
};

struct BuildProgress
{
    QString stream; // "Step 1/3 : FROM scratch\n"
    QString status;
    QString id;
    qint64 current = 0;
    qint64 total = 0;
};

} // namespace bc::docker

Q_DECLARE_METATYPE(bc::docker::Event)
Q_DECLARE_METATYPE(bc::docker::StatsSample)
Q_DECLARE_METATYPE(bc::docker::LogLine)
Q_DECLARE_METATYPE(bc::docker::BuildProgress)
