#include "core/boxes/coolifycomposerenderer.h"

#include "core/security/egresslayout.h"
#include "core/security/validators.h"

#include <QDir>
#include <QRegularExpression>

#include <set>

using namespace Qt::Literals::StringLiterals;
using nlohmann::json;

namespace bc::boxes {

namespace {

constexpr qint64 NsPerMs = 1000 * 1000;

Error refuse(const QString &what)
{
    return Error(Error::Kind::Invalid, u"Coolify cannot enforce this box: "_s + what);
}

QString qstr(const json &j)
{
    return j.is_string() ? QString::fromStdString(j.get<std::string>()) : QString();
}

// docker compose interpolates "$" in every string it reads; "$$" is a literal "$".
std::string composeLiteral(const json &j)
{
    return qstr(j).replace(u'$', u"$$"_s).toStdString();
}

bool isEmptyValue(const json &v)
{
    return v.is_null() || (v.is_boolean() && !v.get<bool>()) ||
           (v.is_string() && qstr(v).isEmpty()) || ((v.is_array() || v.is_object()) && v.empty());
}

std::string durationOf(const json &ns)
{
    const qint64 n = ns.is_number() ? ns.get<qint64>() : 0;
    return std::to_string(n / NsPerMs) + "ms";
}

QString checkEnv(const QString &key, const QString &value, const QString &field)
{
    // Coolify's parser turns SERVICE_* keys and values starting with "$" or SERVICE_ into
    // generated variables (parsers.php l.2360-2380), and docker compose interpolates "$"
    // in environment values from the service's .env.
    if (key.startsWith(u"SERVICE_"_s) || key.startsWith(u"COOLIFY_"_s))
        return u"%1.%2: Coolify reserves SERVICE_* and COOLIFY_* variables"_s.arg(field, key);
    if (value.contains(u'$'))
        return u"%1.%2: a '$' in a value is expanded by Coolify and docker compose, so the box "
               u"would not get the value as written"_s.arg(field, key);
    if (value.startsWith(u"SERVICE_"_s))
        return u"%1.%2: Coolify treats values starting with SERVICE_ as generated "
               u"variables"_s.arg(field, key);
    return {};
}

} // namespace

Result<json> CoolifyComposeRenderer::render(const security::BoxSpec &spec,
                                            const security::HardeningProfile &profile,
                                            const Inputs &inputs)
{
    if (spec.image.isEmpty())
        return Error(Error::Kind::Invalid,
                     u"image: Coolify boxes deploy a prebuilt image; build it first (skills are "
                     u"built on Docker)"_s);
    if (spec.isolation == security::BoxSpec::Isolation::Routed)
        return refuse(
            u"isolation: routed: Coolify attaches every service without network_mode to the "
            u"service's own network, a plain (not internal) bridge it also connects to "
            u"coolify-proxy, so the box would reach the internet past its egress policy; "
            u"deploy it isolated on Coolify, or routed on Docker"_s);
    QString socketDir;
    if (!spec.egress.isEmpty()) {
        const QString root = inputs.egressSocketRoot;
        if (root.isEmpty())
            return refuse(u"egress: %1: no egress socket root on the Coolify server is "
                          u"configured (COOLIFY_EGRESS_SOCKET_ROOT or coolify/egress_socket_root "
                          u"in the settings), so the box would get no egress"_s.arg(spec.egress));
        // A ':' or a space would change the meaning of the compose volume string.
        static const QRegularExpression safePath(
            QRegularExpression::anchoredPattern(u"/[A-Za-z0-9._/-]*"_s));
        if (!safePath.match(root).hasMatch() || QDir::cleanPath(root) != root)
            return refuse(u"egress: the egress socket root %1 must be a clean absolute path of "
                          u"letters, digits, '.', '_', '-' and '/'"_s.arg(
                              security::Validators::printable(root)));
        socketDir = security::EgressLayout::boxSocketDir(root, spec.name);
    }
    for (auto it = spec.env.cbegin(); it != spec.env.cend(); ++it)
        if (const QString why = checkEnv(it.key(), it.value(), u"env"_s); !why.isEmpty())
            return refuse(why);
    for (auto it = inputs.env.cbegin(); it != inputs.env.cend(); ++it)
        if (const QString why = checkEnv(it.key(), it.value(), u"console env"_s); !why.isEmpty())
            return refuse(why);

    security::CreateContext ctx;
    ctx.image = spec.image;
    ctx.proxySocketDir = socketDir;
    ctx.egressGroupId = socketDir.isEmpty() ? -1 : inputs.egressGroupId;
    ctx.extraEnv = inputs.env;
    ctx.healthTest = inputs.healthTest;
    ctx.extraLabels = spec.policyLabels(inputs.policyDefault);
    // Secrets reach a Coolify box as service variables (secretVisibility()): nothing
    // fills a secrets volume there, so the profile's secret files are not rendered.
    security::BoxSpec withoutSecretFiles = spec;
    withoutSecretFiles.secrets.clear();
    json body = profile.createBody(withoutSecretFiles, ctx);
    if (body.contains("Labels") && body["Labels"].contains("box-console.spec-hash"))
        body["Labels"]["box-console.spec-hash"] = spec.hash().toStdString();
    if (auto valid = security::HardeningProfile::validateCreateBody(body); !valid)
        return valid.error();

    json service = json::object();
    static const std::set<std::string> topKeys = {"Image",  "Cmd",         "User",      "Env",
                                                  "Labels", "Healthcheck", "HostConfig"};
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!topKeys.count(it.key()) && !isEmptyValue(it.value()))
            return refuse(u"the hardening profile sets %1, which the Coolify compose "
                          u"renderer does not carry"_s.arg(QString::fromStdString(it.key())));
    }
    service["image"] = body["Image"];
    if (body.contains("Cmd") && body["Cmd"].is_array() && !body["Cmd"].empty()) {
        json command = json::array();
        for (const json &a : body["Cmd"])
            command.push_back(composeLiteral(a));
        service["command"] = command;
    }
    service["user"] = body["User"];
    json environment = json::object();
    for (const json &e : body.value("Env", json::array())) {
        const QString entry = qstr(e);
        const qsizetype eq = entry.indexOf(u'=');
        environment[entry.left(eq).toStdString()] = entry.mid(eq + 1).toStdString();
    }
    if (!environment.empty())
        service["environment"] = environment;
    service["labels"] = body.value("Labels", json::object());

    const json &hc = body["Healthcheck"];
    json test = json::array();
    for (const json &t : hc["Test"])
        test.push_back(composeLiteral(t));
    service["healthcheck"] = {{"test", test},
                              {"interval", durationOf(hc.value("Interval", json()))},
                              {"timeout", durationOf(hc.value("Timeout", json()))},
                              {"start_period", durationOf(hc.value("StartPeriod", json()))},
                              {"retries", hc.value("Retries", 3)}};

    const json &host = body["HostConfig"];
    std::set<std::string> carried;
    static const json absent;
    auto take = [&](const char *key) -> const json & {
        carried.insert(key);
        const auto it = host.find(key);
        return it == host.end() ? absent : *it;
    };
    service["privileged"] = take("Privileged").is_boolean() && take("Privileged").get<bool>();
    service["cap_drop"] = take("CapDrop");
    if (!isEmptyValue(take("CapAdd")))
        return refuse(u"CapAdd"_s); // validateCreateBody forbids it; kept for clarity
    service["security_opt"] = take("SecurityOpt");
    service["read_only"] = take("ReadonlyRootfs").get<bool>();
    json tmpfs = json::array();
    const json &tmpfsMap = take("Tmpfs");
    for (auto it = tmpfsMap.begin(); it != tmpfsMap.end(); ++it)
        tmpfs.push_back(it.key() + ":" + it.value().get<std::string>());
    service["tmpfs"] = tmpfs;
    service["mem_limit"] = take("Memory");
    service["memswap_limit"] = take("MemorySwap");
    service["cpus"] = double(take("NanoCpus").get<qint64>()) / 1e9;
    service["cpu_shares"] = take("CpuShares");
    service["pids_limit"] = take("PidsLimit");
    service["init"] = take("Init").get<bool>();
    json ulimits = json::object();
    for (const json &u : take("Ulimits"))
        ulimits[u["Name"].get<std::string>()] = {{"soft", u["Soft"]}, {"hard", u["Hard"]}};
    service["ulimits"] = ulimits;
    const json &restart = take("RestartPolicy");
    const std::string restartName = restart.value("Name", std::string());
    if (restartName == "on-failure")
        service["restart"] =
            "on-failure:" + std::to_string(restart.value("MaximumRetryCount", qint64(0)));
    else if (!restartName.empty())
        service["restart"] = restartName;
    else
        service["restart"] = "no";
    const QString network = qstr(take("NetworkMode"));
    if (network != u"none"_s)
        return refuse(u"NetworkMode %1: only network_mode none keeps Coolify from attaching "
                      u"the box to its proxy network"_s.arg(network));
    service["network_mode"] = "none";
    service["ipc"] = take("IpcMode");
    if (!isEmptyValue(take("GroupAdd")))
        service["group_add"] = host["GroupAdd"];
    if (!qstr(take("PidMode")).isEmpty())
        return refuse(u"PidMode"_s);
    if (!isEmptyValue(take("Devices")) || !isEmptyValue(take("PublishAllPorts")))
        return refuse(u"Devices or PublishAllPorts"_s);
    const json &log = take("LogConfig");
    service["logging"] = {{"driver", log.value("Type", std::string("json-file"))},
                          {"options", log.value("Config", json::object())}};
    json volumes = json::array();
    for (const json &m : take("Mounts")) {
        const std::string type = m.value("Type", std::string());
        const std::string source = m.value("Source", std::string());
        const std::string target = m.value("Target", std::string());
        const bool readOnly = m.value("ReadOnly", false);
        if (type == "volume") {
            volumes.push_back(source + ":" + target + (readOnly ? ":ro" : ""));
        } else if (type == "bind") {
            // Long syntax would lose read_only: Coolify rewrites binds to "src:dst" and only
            // carries the mode of the short syntax (parsers.php l.2239).
            const std::string propagation =
                m.value("BindOptions", json::object()).value("Propagation", std::string());
            if (!propagation.empty() && propagation != "rprivate")
                return refuse(u"bind propagation %1"_s.arg(QString::fromStdString(propagation)));
            volumes.push_back(source + ":" + target + (readOnly ? ":ro" : ":rw"));
        } else {
            return refuse(u"mount type %1"_s.arg(QString::fromStdString(type)));
        }
    }
    if (!volumes.empty())
        service["volumes"] = volumes;
    for (auto it = host.begin(); it != host.end(); ++it) {
        if (!carried.count(it.key()) && !isEmptyValue(it.value()))
            return refuse(u"the hardening profile sets HostConfig.%1, which the Coolify compose "
                          u"renderer does not carry"_s.arg(QString::fromStdString(it.key())));
    }

    json services = json::object();
    services[spec.name.toStdString()] = service;
    return json{{"services", services}};
}

namespace {

void emitScalar(const json &v, std::string &out)
{
    if (v.is_string())
        out += v.dump(-1, ' ', false, json::error_handler_t::replace);
    else if (v.is_null())
        out += "null";
    else
        out += v.dump();
}

// A scalar, or an empty map or list, on the line of its key or dash.
void emitLeaf(const json &v, std::string &out)
{
    if (v.is_object())
        out += "{}";
    else if (v.is_array())
        out += "[]";
    else
        emitScalar(v, out);
}

void emitNode(const json &node, int indent, std::string &out)
{
    const std::string pad(size_t(indent), ' ');
    if (node.is_object()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            out += pad + json(it.key()).dump(-1, ' ', false, json::error_handler_t::replace) + ":";
            const json &v = it.value();
            if ((v.is_object() || v.is_array()) && !v.empty()) {
                out += "\n";
                emitNode(v, indent + 2, out);
            } else {
                out += " ";
                emitLeaf(v, out);
                out += "\n";
            }
        }
    } else if (node.is_array()) {
        for (const json &v : node) {
            if ((v.is_object() || v.is_array()) && !v.empty()) {
                out += pad + "-\n";
                emitNode(v, indent + 2, out);
            } else {
                out += pad + "- ";
                emitLeaf(v, out);
                out += "\n";
            }
        }
    } else {
        out += pad;
        emitScalar(node, out);
        out += "\n";
    }
}

} // namespace

QByteArray CoolifyComposeRenderer::toYaml(const json &document)
{
    std::string out;
    emitNode(document, 0, out);
    return QByteArray::fromStdString(out);
}

QString CoolifyComposeRenderer::secretVisibility()
{
    return u"on Coolify a box secret is a service variable marked is_shown_once: the API "
           u"never returns its value again, but Coolify keeps it (encrypted with the "
           u"instance's APP_KEY) in its database, writes it in clear to the service's .env on "
           u"the Coolify server and hands it to the container as an environment variable, so "
           u"root on the Coolify server and anyone with access to that server's Docker engine "
           u"(docker inspect) can read it"_s;
}

} // namespace bc::boxes
