#include "core/boxes/dockerboxinfo.h"

#include "core/boxes/boxlabels.h"

namespace bc::boxes::dockerinfo {

BoxInfo::State parseState(const QString &state)
{
    using S = BoxInfo::State;
    const QString s = state.toLower();
    if (s == QLatin1String("created"))
        return S::Created;
    if (s == QLatin1String("running"))
        return S::Running;
    if (s == QLatin1String("restarting"))
        return S::Restarting;
    if (s == QLatin1String("paused"))
        return S::Paused;
    if (s == QLatin1String("exited"))
        return S::Exited;
    if (s == QLatin1String("dead"))
        return S::Dead;
    if (s == QLatin1String("removing"))
        return S::Removing;
    return S::Unknown;
}

BoxInfo::Health parseHealth(const QString &health)
{
    using H = BoxInfo::Health;
    const QString h = health.toLower();
    if (h.isEmpty() || h == QLatin1String("none"))
        return H::None;
    if (h == QLatin1String("starting"))
        return H::Starting;
    if (h == QLatin1String("healthy"))
        return H::Healthy;
    if (h == QLatin1String("unhealthy"))
        return H::Unhealthy;
    return H::Unknown;
}

BoxInfo::Health healthFromStatus(const QString &status)
{
    using H = BoxInfo::Health;
    if (status.contains(QLatin1String("(health: starting)")))
        return H::Starting;
    if (status.contains(QLatin1String("(unhealthy)")))
        return H::Unhealthy;
    if (status.contains(QLatin1String("(healthy)")))
        return H::Healthy;
    return H::None;
}

static void fillFromLabels(BoxInfo &info, const QMap<QString, QString> &l)
{
    info.labels = l;
    info.name = l.value(labels::box(), info.name);
    info.subdomain = l.value(labels::subdomain());
    info.owner = l.value(labels::owner());
    info.url = l.value(labels::url());
}

BoxInfo fromSummary(const docker::ContainerSummary &c, const BoxInfo &base)
{
    BoxInfo info = base;
    info.id = c.id;
    info.name = c.name();
    fillFromLabels(info, c.labels);
    info.image = c.image;
    info.state = parseState(c.state);
    info.health =
        info.state == BoxInfo::State::Running ? healthFromStatus(c.status) : BoxInfo::Health::None;
    info.statusText = c.status;
    // "Exited (137) 5 seconds ago": the list's only trace of the exit code.
    if (info.state == BoxInfo::State::Exited || info.state == BoxInfo::State::Dead) {
        const qsizetype open = c.status.indexOf(QLatin1Char('('));
        const qsizetype close = c.status.indexOf(QLatin1Char(')'), open + 1);
        bool ok = false;
        const int code =
            open >= 0 && close > open ? c.status.mid(open + 1, close - open - 1).toInt(&ok) : 0;
        if (ok)
            info.exitCode = code;
    }
    if (c.created > 0)
        info.createdAt = QDateTime::fromSecsSinceEpoch(c.created, Qt::UTC);
    return info;
}

BoxInfo fromInspect(const docker::ContainerInspect &c, const BoxInfo &base)
{
    BoxInfo info = base;
    info.id = c.id;
    info.name = c.name;
    fillFromLabels(info, c.labels);
    info.image = c.configImage.isEmpty() ? c.image : c.configImage;
    info.state = parseState(c.state);
    info.health =
        info.state == BoxInfo::State::Running ? parseHealth(c.health) : BoxInfo::Health::None;
    if (c.raw.is_object() && c.raw.contains("Created") && c.raw["Created"].is_string())
        info.createdAt = QDateTime::fromString(
            QString::fromStdString(c.raw["Created"].get<std::string>()), Qt::ISODateWithMs);
    if (c.running && c.startedAt.isValid() && c.startedAt.date().year() > 1970)
        info.startedAt = c.startedAt;
    if (!c.running && c.finishedAt.isValid() && c.finishedAt.date().year() > 1970)
        info.finishedAt = c.finishedAt;
    if (c.memoryLimit > 0)
        info.resources.memoryLimit = c.memoryLimit;
    info.detailed = true;
    info.memoryUnlimited = c.memoryLimit <= 0;
    info.cpuLimit = c.nanoCpus > 0 ? double(c.nanoCpus) / 1e9 : 0;
    info.oomKilled = c.oomKilled;
    if (!c.running && (info.state == BoxInfo::State::Exited || info.state == BoxInfo::State::Dead))
        info.exitCode = c.exitCode;
    info.lastHealth = parseHealth(c.health);
    // The engine marks a stopped box unhealthy; the last check that ran says how it was.
    if (!c.running && !c.healthLog.isEmpty())
        info.lastHealth = c.healthLog.last().exitCode == 0 ? BoxInfo::Health::Healthy
                                                           : BoxInfo::Health::Unhealthy;
    info.hasHealthCheck = !c.health.isEmpty();
    if (c.raw.is_object() && c.raw.contains("Config") && c.raw["Config"].is_object()) {
        const auto &config = c.raw["Config"];
        if (config.contains("Healthcheck") && config["Healthcheck"].is_object()) {
            const auto &test = config["Healthcheck"].value("Test", nlohmann::json::array());
            info.hasHealthCheck =
                info.hasHealthCheck || (test.is_array() && !test.empty() && test[0] != "NONE");
        }
    }
    // Inspect has no "Up 3 minutes" text: build the same facts in words.
    QString text = c.state;
    if (!c.running && (info.state == BoxInfo::State::Exited || info.state == BoxInfo::State::Dead))
        text += QStringLiteral(" (%1)").arg(c.exitCode);
    if (c.oomKilled)
        text += QStringLiteral(", OOM killed");
    if (info.health != BoxInfo::Health::None)
        text += QStringLiteral(", ") + BoxInfo::healthName(info.health);
    if (!c.error.isEmpty())
        text += QStringLiteral(": ") + c.error;
    info.statusText = text;
    return info;
}

void applySample(BoxResources &r, const docker::StatsSample &s, bool memoryUnlimited)
{
    r.cpuPercent = s.cpuKnown ? qRound(s.cpuPercent * 10) / 10.0 : -1;
    r.memoryUsage = qint64(s.memoryUsage);
    if (s.memoryLimit > 0 && !memoryUnlimited)
        r.memoryLimit = qint64(s.memoryLimit);
    r.netRx = qint64(s.netRx);
    r.netTx = qint64(s.netTx);
    r.blockRead = qint64(s.blockRead);
    r.blockWrite = qint64(s.blockWrite);
    r.pids = qint64(s.pids);
}

} // namespace bc::boxes::dockerinfo
