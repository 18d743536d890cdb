#include "support/coolify/composeinspect.h"

#include <QRegularExpression>
#include <QStringList>

#include <cmath>
#include <set>

using nlohmann::json;

namespace bc::test {

namespace {

// Go duration strings as compose writes them: "10s", "3000ms", "1m30s".
qint64 durationNs(const json &v)
{
    if (v.is_number())
        return v.get<qint64>();
    if (!v.is_string())
        return 0;
    static const QRegularExpression part(QStringLiteral("([0-9.]+)(ns|us|ms|s|m|h)"));
    qint64 total = 0;
    auto it = part.globalMatch(QString::fromStdString(v.get<std::string>()));
    while (it.hasNext()) {
        const auto m = it.next();
        const double n = m.captured(1).toDouble();
        const QString unit = m.captured(2);
        const double scale = unit == QLatin1String("ns")   ? 1
                             : unit == QLatin1String("us") ? 1e3
                             : unit == QLatin1String("ms") ? 1e6
                             : unit == QLatin1String("s")  ? 1e9
                             : unit == QLatin1String("m")  ? 60e9
                                                           : 3600e9;
        total += qint64(std::llround(n * scale));
    }
    return total;
}

qint64 bytes(const json &v)
{
    if (v.is_number())
        return v.get<qint64>();
    if (!v.is_string())
        return 0;
    static const QRegularExpression re(QStringLiteral("^([0-9]+)([bkmg]?)b?$"),
                                       QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(QString::fromStdString(v.get<std::string>()));
    if (!m.hasMatch())
        return 0;
    const qint64 n = m.captured(1).toLongLong();
    const QString u = m.captured(2).toLower();
    return u == QLatin1String("k")   ? n * 1024
           : u == QLatin1String("m") ? n * 1024 * 1024
           : u == QLatin1String("g") ? n * 1024 * 1024 * 1024
                                     : n;
}

// docker compose interpolates "$" in the strings it reads; "$$" stands for "$".
json uninterpolated(const json &list)
{
    json out = json::array();
    for (const json &s : list)
        out.push_back(QString::fromStdString(s.get<std::string>())
                          .replace(QStringLiteral("$$"), QStringLiteral("$"))
                          .toStdString());
    return out;
}

} // namespace

json composeServiceToInspect(const json &compose, const QString &serviceName,
                             const QMap<QString, QString> &dotEnv, const json &engineDefaults)
{
    const json &svc = compose.at("services").at(serviceName.toStdString());
    json config = json::object();
    json host = json::object();
    json mounts = json::array();
    json unconverted = json::array();
    std::set<std::string> known = {
        "image",        "command",      "user",      "environment",   "env_file",      "labels",
        "healthcheck",  "read_only",    "tmpfs",     "pids_limit",    "cap_drop",      "cap_add",
        "security_opt", "ulimits",      "init",      "mem_limit",     "memswap_limit", "cpus",
        "cpu_shares",   "network_mode", "networks",  "ipc",           "privileged",    "restart",
        "logging",      "volumes",      "group_add", "container_name"};
    for (auto it = svc.begin(); it != svc.end(); ++it)
        if (!known.count(it.key()))
            unconverted.push_back(it.key());

    config["Image"] = svc.value("image", std::string());
    if (svc.contains("command"))
        config["Cmd"] = uninterpolated(svc["command"]);
    config["User"] = svc.value("user", std::string());
    // env_file first, environment wins (compose's order).
    QMap<QString, QString> env;
    if (svc.contains("env_file"))
        for (auto it = dotEnv.cbegin(); it != dotEnv.cend(); ++it)
            env.insert(it.key(), it.value());
    if (svc.contains("environment") && svc["environment"].is_object())
        for (auto it = svc["environment"].begin(); it != svc["environment"].end(); ++it)
            if (it.value().is_string())
                env.insert(QString::fromStdString(it.key()),
                           QString::fromStdString(it.value().get<std::string>()));
    json envList = json::array();
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        envList.push_back(QString(it.key() + QLatin1Char('=') + it.value()).toStdString());
    config["Env"] = envList;
    json labels = json::object();
    if (svc.contains("labels")) {
        if (svc["labels"].is_object()) {
            labels = svc["labels"];
        } else {
            for (const json &l : svc["labels"]) {
                const std::string s = l.get<std::string>();
                const auto eq = s.find('=');
                labels[s.substr(0, eq)] = eq == std::string::npos ? "" : s.substr(eq + 1);
            }
        }
    }
    config["Labels"] = labels;
    if (svc.contains("healthcheck")) {
        const json &hc = svc["healthcheck"];
        json test = hc.value("test", json::array());
        if (test.is_string())
            test = json::array({"CMD-SHELL", test});
        config["Healthcheck"] = {{"Test", uninterpolated(test)},
                                 {"Interval", durationNs(hc.value("interval", json()))},
                                 {"Timeout", durationNs(hc.value("timeout", json()))},
                                 {"StartPeriod", durationNs(hc.value("start_period", json()))},
                                 {"Retries", hc.value("retries", 0)}};
    }

    host["ReadonlyRootfs"] = svc.value("read_only", false);
    host["Privileged"] = svc.value("privileged", false);
    json tmpfs = json::object();
    json tmpfsList = svc.value("tmpfs", json::array());
    if (tmpfsList.is_string())
        tmpfsList = json::array({tmpfsList});
    for (const json &t : tmpfsList) {
        const std::string s = t.get<std::string>();
        const auto colon = s.find(':');
        tmpfs[s.substr(0, colon)] = colon == std::string::npos ? "" : s.substr(colon + 1);
    }
    host["Tmpfs"] = tmpfs;
    host["PidsLimit"] = svc.value("pids_limit", 0);
    host["CapDrop"] = svc.value("cap_drop", json::array());
    host["CapAdd"] = svc.value("cap_add", json::array());
    host["SecurityOpt"] = svc.value("security_opt", json::array());
    json ulimits = json::array();
    if (svc.contains("ulimits")) {
        for (auto it = svc["ulimits"].begin(); it != svc["ulimits"].end(); ++it) {
            const json &u = it.value();
            const qint64 soft = u.is_object() ? u.value("soft", qint64(0)) : u.get<qint64>();
            const qint64 hard = u.is_object() ? u.value("hard", qint64(0)) : u.get<qint64>();
            ulimits.push_back({{"Name", it.key()}, {"Soft", soft}, {"Hard", hard}});
        }
    }
    host["Ulimits"] = ulimits;
    host["Init"] = svc.value("init", false);
    host["Memory"] = bytes(svc.value("mem_limit", json(0)));
    host["MemorySwap"] = bytes(svc.value("memswap_limit", json(0)));
    const double cpus = svc.contains("cpus")
                            ? (svc["cpus"].is_string() ? std::stod(svc["cpus"].get<std::string>())
                                                       : svc["cpus"].get<double>())
                            : 0.0;
    host["NanoCpus"] = qint64(std::llround(cpus * 1e9));
    host["CpuShares"] = svc.value("cpu_shares", 0);
    // Without network_mode compose joins the listed networks, the first one as NetworkMode.
    if (svc.contains("network_mode")) {
        host["NetworkMode"] = svc["network_mode"];
    } else if (svc.contains("networks") && !svc["networks"].empty()) {
        host["NetworkMode"] = svc["networks"].is_object() ? svc["networks"].begin().key()
                                                          : svc["networks"][0].get<std::string>();
    } else {
        host["NetworkMode"] = "default";
    }
    host["IpcMode"] = svc.value("ipc", std::string("private"));
    host["PidMode"] = "";
    if (svc.contains("group_add"))
        host["GroupAdd"] = svc["group_add"];
    const std::string restart = svc.value("restart", std::string("no"));
    const auto colon = restart.find(':');
    host["RestartPolicy"] = {{"Name", restart.substr(0, colon)},
                             {"MaximumRetryCount", colon == std::string::npos
                                                       ? 0
                                                       : std::stoi(restart.substr(colon + 1))}};
    if (svc.contains("logging"))
        host["LogConfig"] = {{"Type", svc["logging"].value("driver", std::string("json-file"))},
                             {"Config", svc["logging"].value("options", json::object())}};
    else
        host["LogConfig"] = {{"Type", "json-file"}, {"Config", json::object()}};

    static const std::set<std::string> modes = {"ro",      "rw",     "z",     "Z",       "rprivate",
                                                "private", "rslave", "slave", "rshared", "shared"};
    for (const json &v : svc.value("volumes", json::array())) {
        if (!v.is_string()) {
            unconverted.push_back("volumes (long syntax)");
            continue;
        }
        QStringList parts = QString::fromStdString(v.get<std::string>()).split(QLatin1Char(':'));
        QString mode;
        if (parts.size() >= 3 && modes.count(parts.last().toStdString()))
            mode = parts.takeLast();
        const QString source = parts.value(0);
        const QString target = parts.mid(1).join(QLatin1Char(':'));
        const bool rw = !mode.split(QLatin1Char(',')).contains(QStringLiteral("ro"));
        if (source.startsWith(QLatin1Char('/'))) {
            mounts.push_back({{"Type", "bind"},
                              {"Source", source.toStdString()},
                              {"Destination", target.toStdString()},
                              {"Mode", mode.toStdString()},
                              {"RW", rw},
                              {"Propagation", "rprivate"}});
        } else {
            mounts.push_back(
                {{"Type", "volume"},
                 {"Name", source.toStdString()},
                 {"Source", "/var/lib/docker/volumes/" + source.toStdString() + "/_data"},
                 {"Destination", target.toStdString()},
                 {"Driver", "local"},
                 {"Mode", mode.toStdString()},
                 {"RW", rw},
                 {"Propagation", ""}});
        }
    }

    json out = json::object();
    out["Name"] = "/" + svc.value("container_name", serviceName.toStdString());
    out["Config"] = config;
    out["HostConfig"] = host;
    out["Mounts"] = mounts;
    for (auto it = engineDefaults.begin(); it != engineDefaults.end(); ++it)
        out[it.key()] = it.value();
    out["Unconverted"] = unconverted;
    return out;
}

} // namespace bc::test
