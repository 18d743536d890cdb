#include "core/infra/envoyconfiggenerator.h"

#include "core/infra/haproxyconfiggenerator.h"
#include "core/security/egresslayout.h"

#include <QRegularExpression>

namespace bc::infra {

namespace {

using json = nlohmann::json;

bool isSafeFilePath(const QString &path)
{
    static const QRegularExpression re(QStringLiteral("\\A/[A-Za-z0-9._/-]*\\z"));
    return re.match(path).hasMatch() && !path.contains(QLatin1String(".."));
}

std::string s(const QString &text)
{
    return text.toStdString();
}

std::string id(const QString &name)
{
    QString out = name;
    out.replace(u'-', u'_');
    return out.toStdString();
}

bool isScalar(const json &v)
{
    return !v.is_structured() || v.empty();
}

std::string scalar(const json &v)
{
    if (v.is_object())
        return "{}";
    if (v.is_array())
        return "[]";
    return v.dump(); // strings come out double-quoted with JSON escapes
}

std::string key(const std::string &k)
{
    static const QRegularExpression plain(QStringLiteral("\\A[A-Za-z_][A-Za-z0-9_]*\\z"));
    if (plain.match(QString::fromStdString(k)).hasMatch())
        return k;
    return json(k).dump();
}

void emitYaml(const json &v, int indent, std::string &out)
{
    const std::string pad(indent, ' ');
    if (v.is_object()) {
        for (auto it = v.begin(); it != v.end(); ++it) {
            out += pad + key(it.key()) + ":";
            if (isScalar(it.value())) {
                out += " " + scalar(it.value()) + "\n";
            } else {
                out += "\n";
                // Sequences under a key are not indented further (common YAML style).
                emitYaml(it.value(), it.value().is_array() ? indent : indent + 2, out);
            }
        }
        return;
    }
    for (const json &item : v) {
        if (isScalar(item)) {
            out += pad + "- " + scalar(item) + "\n";
            continue;
        }
        std::string inner;
        emitYaml(item, indent + 2, inner);
        // The first line of the nested block moves up behind the dash.
        out += pad + "- " + inner.substr(indent + 2);
    }
}

json tlsTransportSocket(const EgressUpstream &u, const QString &caFile)
{
    return {
        {"name", "envoy.transport_sockets.tls"},
        {"typed_config",
         {{"@type", "type.googleapis.com/"
                    "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext"},
          {"sni", s(u.host)},
          {"common_tls_context",
           {{"validation_context",
             {{"trusted_ca", {{"filename", s(caFile)}}},
              {"match_typed_subject_alt_names",
               json::array({{{"san_type", "DNS"}, {"matcher", {{"exact", s(u.host)}}}}})}}}}}}}};
}

} // namespace

QString EnvoyConfigGenerator::secretEnv(const EgressUpstream &upstream) const
{
    if (upstream.credential.prefix.isEmpty() || m_options.useHeaderValuePrefix)
        return upstream.credential.env;
    return upstream.credential.env + QStringLiteral("_HEADER_VALUE");
}

Result<nlohmann::json> EnvoyConfigGenerator::generateJson(const EgressPolicy &policy,
                                                          const QList<EgressGrant> &grants) const
{
    if (auto c = EgressGrants::checkAgainst(grants, policy); !c)
        return c.error();
    if (!m_options.accessLogPath.isEmpty() && !isSafeFilePath(m_options.accessLogPath))
        return Error(Error::Kind::Invalid,
                     QStringLiteral("access log: must be an absolute path of A-Z a-z 0-9 . _ - /"));
    if (!isSafeFilePath(m_options.socketDir))
        return Error(Error::Kind::Invalid,
                     QStringLiteral("socket dir: must be an absolute path of A-Z a-z 0-9 . _ - /"));
    if (!isSafeFilePath(m_options.caFile))
        return Error(Error::Kind::Invalid,
                     QStringLiteral("ca file: must be an absolute path of A-Z a-z 0-9 . _ - /"));
    if (m_options.streamIdleTimeoutSeconds < 1)
        return Error(Error::Kind::Invalid, QStringLiteral("stream timeout: must be positive"));

    auto accessLog = [this](const QString &box, const QString &upstream) {
        // EgressLog's line; the route name says whether the policy let the request through.
        const std::string format =
            "box-egress %START_TIME(%s.%3f)% frontend=" +
            s(HaproxyConfigGenerator::frontendName(box, upstream)) +
            " method=%REQ(:METHOD)% status=%RESPONSE_CODE% verdict=%ROUTE_NAME% "
            "path=%REQ(:PATH)%\n";
        json log = {{"log_format", {{"text_format_source", {{"inline_string", format}}}}}};
        if (m_options.accessLogPath.isEmpty()) {
            log["@type"] = "type.googleapis.com/"
                           "envoy.extensions.access_loggers.stream.v3.StdoutAccessLog";
            return json{{"name", "envoy.access_loggers.stdout"}, {"typed_config", log}};
        }
        log["@type"] = "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog";
        log["path"] = s(m_options.accessLogPath);
        return json{{"name", "envoy.access_loggers.file"}, {"typed_config", log}};
    };

    json secrets = json::array();
    json listeners = json::array();
    json clusters = json::array();
    for (const EgressUpstream &u : policy.upstreams()) {
        const std::string name = id(u.name);
        const std::string secretName = name + "_credential";
        secrets.push_back(
            {{"name", secretName},
             {"generic_secret", {{"secret", {{"environment_variable", s(secretEnv(u))}}}}}});

        json routes = json::array();
        for (const EgressRoute &r : u.routes) {
            for (const QString &method : r.methods) {
                auto add = [&](const char *kind, const QString &path) {
                    routes.push_back(
                        {{"name", "allowed"},
                         {"match",
                          {{kind, s(path)},
                           {"headers", json::array({{{"name", ":method"},
                                                     {"string_match", {{"exact", s(method)}}}}})}}},
                         {"route",
                          {{"cluster", name},
                           {"host_rewrite_literal", s(u.host)},
                           // The default 15 s route timeout would cut streamed responses.
                           {"timeout", "0s"}}}});
                };
                for (const QString &p : r.paths)
                    add("path", p);
                for (const QString &p : r.pathPrefixes)
                    add("prefix", p);
            }
        }
        routes.push_back(
            {{"name", "denied"},
             {"match", {{"prefix", "/"}}},
             {"direct_response",
              {{"status", 403}, {"body", {{"inline_string", "forbidden by egress policy\n"}}}}}});

        // Removed by the router, i.e. after the injector: never remove the injected header.
        json remove = json::array();
        for (const char *h : {"x-api-key", "authorization", "proxy-authorization"}) {
            if (u.credential.header.compare(QLatin1String(h), Qt::CaseInsensitive) != 0)
                remove.push_back(h);
        }

        json generic = {{"@type", "type.googleapis.com/"
                                  "envoy.extensions.http.injected_credentials.generic.v3.Generic"},
                        {"credential", {{"name", secretName}}},
                        {"header", s(u.credential.header)}};
        if (!u.credential.prefix.isEmpty() && m_options.useHeaderValuePrefix)
            generic["header_value_prefix"] = s(u.credential.prefix);

        auto listener = [&](const QString &box) -> json {
            json hcm = {
                {"@type", "type.googleapis.com/"
                          "envoy.extensions.filters.network.http_connection_manager.v3."
                          "HttpConnectionManager"},
                {"stat_prefix", "egress_" + id(box) + "_" + name},
                {"normalize_path", true},
                {"merge_slashes", true},
                {"path_with_escaped_slashes_action", "REJECT_REQUEST"},
                {"stream_idle_timeout", std::to_string(m_options.streamIdleTimeoutSeconds) + "s"},
                {"access_log", json::array({accessLog(box, u.name)})},
                {"route_config",
                 {{"name", name + "_routes"},
                  {"request_headers_to_remove", remove},
                  {"virtual_hosts",
                   json::array(
                       {{{"name", name}, {"domains", json::array({"*"})}, {"routes", routes}}})}}},
                {"http_filters",
                 json::array({{{"name", "envoy.filters.http.credential_injector"},
                               {"typed_config",
                                {{"@type", "type.googleapis.com/"
                                           "envoy.extensions.filters.http.credential_injector.v3."
                                           "CredentialInjector"},
                                 // Replace whatever the box sent in the credential header.
                                 {"overwrite", true},
                                 {"credential",
                                  {{"name", "envoy.http.injected_credentials.generic"},
                                   {"typed_config", generic}}}}}},
                              {{"name", "envoy.filters.http.router"},
                               {"typed_config",
                                {{"@type", "type.googleapis.com/"
                                           "envoy.extensions.filters.http.router.v3.Router"}}}}})}};

            return json{
                {"name", s(HaproxyConfigGenerator::frontendName(box, u.name))},
                {"address",
                 {{"pipe",
                   {{"path",
                     s(security::EgressLayout::boxSocketPath(m_options.socketDir, box, u.name))},
                    // 0660: the box user reaches it through the egress group, nobody else.
                    {"mode", 0660}}}}},
                {"filter_chains",
                 json::array(
                     {{{"filters",
                        json::array({{{"name", "envoy.filters.network.http_connection_manager"},
                                      {"typed_config", hcm}}})}}})}};
        };
        for (const EgressGrant &g : grants) {
            if (g.upstreams.contains(u.name))
                listeners.push_back(listener(g.box));
        }

        clusters.push_back(
            {{"name", name},
             {"type", "LOGICAL_DNS"},
             {"dns_lookup_family", "V4_PREFERRED"},
             {"connect_timeout", "10s"},
             {"load_assignment",
              {{"cluster_name", name},
               {"endpoints",
                json::array(
                    {{{"lb_endpoints", json::array({{{"endpoint",
                                                      {{"address",
                                                        {{"socket_address",
                                                          {{"address", s(u.host)},
                                                           {"port_value", u.port}}}}}}}}})}}})}}},
             {"transport_socket", tlsTransportSocket(u, m_options.caFile)}});
    }
    return json{{"static_resources",
                 {{"secrets", secrets}, {"listeners", listeners}, {"clusters", clusters}}}};
}

QString EnvoyConfigGenerator::toYaml(const nlohmann::json &json)
{
    std::string out;
    emitYaml(json, 0, out);
    return QString::fromStdString(out);
}

Result<QString> EnvoyConfigGenerator::generate(const EgressPolicy &policy,
                                               const QList<EgressGrant> &grants) const
{
    auto tree = generateJson(policy, grants);
    if (!tree)
        return tree.error();
    QString header = QStringLiteral(
        "# Generated by box-console from an egress policy: do not edit.\n"
        "# Envoy >= 1.30 (credential_injector). No admin interface. Secrets come from the\n"
        "# environment of the envoy process:\n");
    for (const EgressUpstream &u : policy.upstreams()) {
        header += QStringLiteral("#   %1: %2").arg(secretEnv(u), u.credential.header);
        if (!u.credential.prefix.isEmpty() && !m_options.useHeaderValuePrefix)
            header += QStringLiteral(" (whole value, including \"%1\")")
                          .arg(u.credential.prefix.trimmed() + u' ');
        header += u'\n';
    }
    return QString(header + toYaml(tree.value()));
}

} // namespace bc::infra
