#include "core/infra/egresspolicy.h"

#include "core/util/jsonstrict.h"

#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

namespace bc::infra {

namespace {

using util::json::onlyKeys;
using util::json::Presence;
using util::json::stringAt;
using util::json::stringsAt;

Error invalid(const QString &field, const QString &message)
{
    return util::json::fieldError(field, message);
}

const QStringList &allowedMethods()
{
    // CONNECT and TRACE are never useful to an agent and CONNECT would open a tunnel.
    static const QStringList methods{QStringLiteral("GET"),    QStringLiteral("HEAD"),
                                     QStringLiteral("POST"),   QStringLiteral("PUT"),
                                     QStringLiteral("PATCH"),  QStringLiteral("DELETE"),
                                     QStringLiteral("OPTIONS")};
    return methods;
}

bool matches(const QString &value, const char *pattern)
{
    thread_local QHash<QString, QRegularExpression> cache;
    const QString key = QString::fromLatin1(pattern);
    auto it = cache.find(key);
    if (it == cache.end())
        it = cache.insert(
            key, QRegularExpression(QStringLiteral("\\A(?:") + key + QStringLiteral(")\\z")));
    return it->match(value).hasMatch();
}

// A port: an integer from 1 to 65535 (the fallback when absent and optional).
Result<int> portField(const nlohmann::json &obj, const char *key, const QString &field,
                      int fallback, Presence presence)
{
    const auto v = util::json::integerAt(obj, key, field, fallback, presence);
    if (!v)
        return v.error();
    if (v.value() < 1 || v.value() > 65535)
        return invalid(field, QStringLiteral("must be a port between 1 and 65535"));
    return int(v.value());
}

} // namespace

bool EgressPolicy::isDnsName(const QString &host)
{
    if (host.isEmpty() || host.size() > 253)
        return false;
    const QStringList labels = host.split(u'.');
    for (const QString &label : labels) {
        if (!matches(label, "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"))
            return false;
    }
    // An all-numeric last label would be an IPv4 address, which has no certificate name.
    return !matches(labels.last(), "[0-9]+");
}

bool EgressPolicy::isHttpToken(const QString &token)
{
    return matches(token, "[!#$%&'*+.^_`|~0-9A-Za-z-]+");
}

bool EgressPolicy::isEnvName(const QString &name)
{
    return name.size() <= 64 && matches(name, "[A-Z_][A-Z0-9_]*");
}

bool EgressPolicy::isSafePath(const QString &path)
{
    // Unreserved characters and '/' only: no '%' (encoded '/' or '.' would slip past a
    // prefix check), no dot segments, no empty segments, nothing a config parser reads.
    if (path.size() > 256 || !matches(path, "/[A-Za-z0-9._~/-]*"))
        return false;
    if (path.contains(QLatin1String("//")))
        return false;
    const QStringList segments = path.split(u'/');
    for (const QString &s : segments) {
        if (s == QLatin1String(".") || s == QLatin1String(".."))
            return false;
    }
    return true;
}

VoidResult EgressPolicy::validate(const QList<EgressUpstream> &upstreams)
{
    if (upstreams.isEmpty())
        return invalid(QStringLiteral("upstreams"),
                       QStringLiteral("must list at least one upstream"));
    QSet<QString> names, envs, baseEnvs;
    QSet<int> ports;
    for (qsizetype i = 0; i < upstreams.size(); ++i) {
        const EgressUpstream &u = upstreams[i];
        const QString f = QStringLiteral("upstreams[%1]").arg(i);
        if (!matches(u.name, "[a-z][a-z0-9-]{0,31}"))
            return invalid(f + QStringLiteral(".name"),
                           QStringLiteral("must be 1-32 characters a-z, 0-9, '-', starting "
                                          "with a letter"));
        if (names.contains(u.name))
            return invalid(f + QStringLiteral(".name"), QStringLiteral("is not unique"));
        names.insert(u.name);
        if (!isDnsName(u.host))
            return invalid(f + QStringLiteral(".host"),
                           QStringLiteral("must be a lower-case DNS name"));
        if (u.port < 1 || u.port > 65535)
            return invalid(f + QStringLiteral(".port"), QStringLiteral("must be 1-65535"));
        if (u.localPort < 1024 || u.localPort > 65535)
            return invalid(f + QStringLiteral(".localPort"),
                           QStringLiteral("must be 1024-65535 (the box user cannot bind "
                                          "lower ports)"));
        if (ports.contains(u.localPort))
            return invalid(f + QStringLiteral(".localPort"), QStringLiteral("is not unique"));
        ports.insert(u.localPort);
        if (!u.baseUrlEnv.isEmpty()) {
            if (!isEnvName(u.baseUrlEnv))
                return invalid(f + QStringLiteral(".baseUrlEnv"),
                               QStringLiteral("must match [A-Z_][A-Z0-9_]*"));
            if (baseEnvs.contains(u.baseUrlEnv))
                return invalid(f + QStringLiteral(".baseUrlEnv"), QStringLiteral("is not unique"));
            baseEnvs.insert(u.baseUrlEnv);
        }
        const QString cf = f + QStringLiteral(".credential");
        if (!isHttpToken(u.credential.header) ||
            !matches(u.credential.header, "[A-Za-z0-9-]{1,64}"))
            return invalid(cf + QStringLiteral(".header"),
                           QStringLiteral("must be a header name of letters, digits and '-'"));
        if (!matches(u.credential.prefix, "[A-Za-z0-9 ._:/=+-]{0,64}"))
            return invalid(cf + QStringLiteral(".prefix"),
                           QStringLiteral("may hold only letters, digits, space and ._:/=+-"));
        if (!isEnvName(u.credential.env))
            return invalid(cf + QStringLiteral(".env"),
                           QStringLiteral("must match [A-Z_][A-Z0-9_]*"));
        if (u.routes.isEmpty())
            return invalid(f + QStringLiteral(".routes"),
                           QStringLiteral("must list at least one route"));
        for (qsizetype r = 0; r < u.routes.size(); ++r) {
            const EgressRoute &route = u.routes[r];
            const QString rf = f + QStringLiteral(".routes[%1]").arg(r);
            if (route.methods.isEmpty())
                return invalid(rf + QStringLiteral(".methods"),
                               QStringLiteral("must list at least one method"));
            for (const QString &m : route.methods) {
                if (!allowedMethods().contains(m))
                    return invalid(rf + QStringLiteral(".methods"),
                                   QStringLiteral("must be one of ") +
                                       allowedMethods().join(QStringLiteral(", ")));
            }
            if (route.paths.isEmpty() && route.pathPrefixes.isEmpty())
                return invalid(rf, QStringLiteral("needs paths or pathPrefixes"));
            for (const QString &p : route.paths) {
                if (!isSafePath(p))
                    return invalid(rf + QStringLiteral(".paths"),
                                   QStringLiteral("must start with '/' and use only "
                                                  "A-Z a-z 0-9 . _ ~ - / without dot segments"));
            }
            for (const QString &p : route.pathPrefixes) {
                if (!isSafePath(p))
                    return invalid(rf + QStringLiteral(".pathPrefixes"),
                                   QStringLiteral("must start with '/' and use only "
                                                  "A-Z a-z 0-9 . _ ~ - / without dot segments"));
            }
        }
    }
    return {};
}

Result<EgressPolicy> EgressPolicy::fromJson(const nlohmann::json &json)
{
    if (!json.is_object())
        return invalid(QStringLiteral("policy"), QStringLiteral("must be a JSON object"));
    if (auto r = onlyKeys(json, {"upstreams", "comment"}, QString()); !r)
        return r.error();
    const auto ups = json.find("upstreams");
    if (ups == json.end() || !ups->is_array())
        return invalid(QStringLiteral("upstreams"), QStringLiteral("must be an array"));

    EgressPolicy policy;
    int i = 0;
    for (const auto &item : *ups) {
        const QString f = QStringLiteral("upstreams[%1]").arg(i++);
        if (!item.is_object())
            return invalid(f, QStringLiteral("must be an object"));
        if (auto r = onlyKeys(item,
                              {"name", "host", "port", "routes", "credential", "localPort",
                               "baseUrlEnv", "comment"},
                              f);
            !r)
            return r.error();
        EgressUpstream u;
        auto name = stringAt(item, "name", f + QStringLiteral(".name"), Presence::Required);
        if (!name)
            return name.error();
        u.name = name.value();
        auto host = stringAt(item, "host", f + QStringLiteral(".host"), Presence::Required);
        if (!host)
            return host.error();
        u.host = host.value();
        auto port = portField(item, "port", f + QStringLiteral(".port"), 443, Presence::Optional);
        if (!port)
            return port.error();
        u.port = port.value();
        auto local =
            portField(item, "localPort", f + QStringLiteral(".localPort"), 0, Presence::Required);
        if (!local)
            return local.error();
        u.localPort = local.value();
        auto base = stringAt(item, "baseUrlEnv", f + QStringLiteral(".baseUrlEnv"));
        if (!base)
            return base.error();
        u.baseUrlEnv = base.value();

        const auto cred = item.find("credential");
        const QString cf = f + QStringLiteral(".credential");
        if (cred == item.end() || !cred->is_object())
            return invalid(cf, QStringLiteral("must be an object"));
        if (auto r = onlyKeys(*cred, {"header", "prefix", "env"}, cf); !r)
            return r.error();
        auto header = stringAt(*cred, "header", cf + QStringLiteral(".header"), Presence::Required);
        if (!header)
            return header.error();
        auto prefix = stringAt(*cred, "prefix", cf + QStringLiteral(".prefix"));
        if (!prefix)
            return prefix.error();
        auto env = stringAt(*cred, "env", cf + QStringLiteral(".env"), Presence::Required);
        if (!env)
            return env.error();
        u.credential = {header.value(), prefix.value(), env.value()};

        const auto routes = item.find("routes");
        if (routes == item.end() || !routes->is_array())
            return invalid(f + QStringLiteral(".routes"), QStringLiteral("must be an array"));
        int r = 0;
        for (const auto &rj : *routes) {
            const QString rf = f + QStringLiteral(".routes[%1]").arg(r++);
            if (!rj.is_object())
                return invalid(rf, QStringLiteral("must be an object"));
            if (auto k = onlyKeys(rj, {"methods", "paths", "pathPrefixes"}, rf); !k)
                return k.error();
            EgressRoute route;
            auto methods = stringsAt(rj, "methods", rf + QStringLiteral(".methods"));
            if (!methods)
                return methods.error();
            auto paths = stringsAt(rj, "paths", rf + QStringLiteral(".paths"));
            if (!paths)
                return paths.error();
            auto prefixes = stringsAt(rj, "pathPrefixes", rf + QStringLiteral(".pathPrefixes"));
            if (!prefixes)
                return prefixes.error();
            route.methods = methods.value();
            route.paths = paths.value();
            route.pathPrefixes = prefixes.value();
            u.routes.append(route);
        }
        policy.m_upstreams.append(u);
    }
    if (auto v = validate(policy.m_upstreams); !v)
        return v.error();
    return policy;
}

Result<EgressPolicy> EgressPolicy::fromJsonText(const QByteArray &text)
{
    const auto json = nlohmann::json::parse(text.constBegin(), text.constEnd(), nullptr, false);
    if (json.is_discarded())
        return invalid(QStringLiteral("policy"), QStringLiteral("is not valid JSON"));
    return fromJson(json);
}

Result<EgressPolicy> EgressPolicy::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(Error::Kind::Io,
                     QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    auto result = fromJsonText(file.readAll());
    if (!result)
        return result.error().withContext(path);
    return result;
}

EgressPolicy EgressPolicy::defaultPolicy()
{
    EgressPolicy policy;
    // Exact paths, not the prefix /v1/messages: that would also allow /v1/messages/batches,
    // which with a shared key exposes other boxes' batch results.
    EgressUpstream anthropic;
    anthropic.name = QStringLiteral("anthropic");
    anthropic.host = QStringLiteral("api.anthropic.com");
    anthropic.routes = {
        {{QStringLiteral("POST")},
         {QStringLiteral("/v1/messages"), QStringLiteral("/v1/messages/count_tokens")},
         {}}};
    anthropic.credential = {QStringLiteral("x-api-key"), QString(),
                            QStringLiteral("ANTHROPIC_API_KEY")};
    anthropic.localPort = 8081;
    anthropic.baseUrlEnv = QStringLiteral("ANTHROPIC_BASE_URL");

    EgressUpstream resend;
    resend.name = QStringLiteral("resend");
    resend.host = QStringLiteral("api.resend.com");
    resend.routes = {{{QStringLiteral("POST")}, {QStringLiteral("/emails")}, {}}};
    resend.credential = {QStringLiteral("Authorization"), QStringLiteral("Bearer "),
                         QStringLiteral("RESEND_API_KEY")};
    resend.localPort = 8082;
    resend.baseUrlEnv = QStringLiteral("RESEND_BASE_URL");

    policy.m_upstreams = {anthropic, resend};
    return policy;
}

nlohmann::json EgressPolicy::toJson() const
{
    auto ups = nlohmann::json::array();
    for (const EgressUpstream &u : m_upstreams) {
        auto routes = nlohmann::json::array();
        for (const EgressRoute &r : u.routes) {
            nlohmann::json rj{{"methods", util::json::array(r.methods)}};
            if (!r.paths.isEmpty())
                rj["paths"] = util::json::array(r.paths);
            if (!r.pathPrefixes.isEmpty())
                rj["pathPrefixes"] = util::json::array(r.pathPrefixes);
            routes.push_back(rj);
        }
        nlohmann::json cred{{"header", u.credential.header.toStdString()},
                            {"env", u.credential.env.toStdString()}};
        if (!u.credential.prefix.isEmpty())
            cred["prefix"] = u.credential.prefix.toStdString();
        nlohmann::json uj{{"name", u.name.toStdString()},
                          {"host", u.host.toStdString()},
                          {"port", u.port},
                          {"routes", routes},
                          {"credential", cred},
                          {"localPort", u.localPort}};
        if (!u.baseUrlEnv.isEmpty())
            uj["baseUrlEnv"] = u.baseUrlEnv.toStdString();
        ups.push_back(uj);
    }
    return nlohmann::json{{"upstreams", ups}};
}

} // namespace bc::infra
