#include "core/infra/envoyconfiggenerator.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace bc::infra;
using nlohmann::json;

namespace {
// The grant the shipped example config is generated for.
const QList<EgressGrant> &exampleGrants()
{
    static const QList<EgressGrant> g{
        {QStringLiteral("example-box"), {QStringLiteral("anthropic"), QStringLiteral("resend")}}};
    return g;
}
} // namespace

// Envoy is not packaged in Debian 12, so the output is checked against the documented
// schema by structure: every extension has a typed_config with the right @type, every
// secret reference resolves, every route either goes to a cluster with timeout 0s or is
// a direct 403, upstream TLS validates, and nothing relies on ${VAR} expansion.
class tst_EnvoyConfigGenerator : public QObject
{
    Q_OBJECT

    static void collectTyped(const json &node, QList<json> &out)
    {
        if (node.is_object()) {
            if (node.contains("typed_config"))
                out.append(node);
            for (const auto &item : node.items())
                collectTyped(item.value(), out);
        } else if (node.is_array()) {
            for (const auto &item : node)
                collectTyped(item, out);
        }
    }

    json m_tree;

private slots:
    void initTestCase()
    {
        auto tree =
            EnvoyConfigGenerator().generateJson(EgressPolicy::defaultPolicy(), exampleGrants());
        QVERIFY(tree.ok());
        m_tree = tree.value();
    }

    void noEnvironmentExpansion()
    {
        auto yaml = EnvoyConfigGenerator().generate(EgressPolicy::defaultPolicy(), exampleGrants());
        QVERIFY(yaml.ok());
        QVERIFY(!yaml->contains(QLatin1String("${")));
        QVERIFY(!yaml->contains(QLatin1String("layered_runtime")));
        QVERIFY(!yaml->contains(QLatin1String("admin:")));
    }

    void everyExtensionHasTheRightType()
    {
        const QMap<QString, QString> expected{
            {QStringLiteral("envoy.filters.network.http_connection_manager"),
             QStringLiteral("type.googleapis.com/envoy.extensions.filters.network."
                            "http_connection_manager.v3.HttpConnectionManager")},
            {QStringLiteral("envoy.filters.http.credential_injector"),
             QStringLiteral("type.googleapis.com/envoy.extensions.filters.http."
                            "credential_injector.v3.CredentialInjector")},
            {QStringLiteral("envoy.http.injected_credentials.generic"),
             QStringLiteral("type.googleapis.com/envoy.extensions.http.injected_credentials."
                            "generic.v3.Generic")},
            {QStringLiteral("envoy.filters.http.router"),
             QStringLiteral("type.googleapis.com/envoy.extensions.filters.http.router.v3.Router")},
            {QStringLiteral("envoy.transport_sockets.tls"),
             QStringLiteral("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3."
                            "UpstreamTlsContext")},
            {QStringLiteral("envoy.access_loggers.stdout"),
             QStringLiteral("type.googleapis.com/envoy.extensions.access_loggers.stream.v3."
                            "StdoutAccessLog")}};
        QList<json> typed;
        collectTyped(m_tree, typed);
        QVERIFY(typed.size() >= 12);
        for (const json &node : typed) {
            const QString name = QString::fromStdString(node.value("name", ""));
            QVERIFY2(expected.contains(name), qPrintable(name));
            QCOMPARE(QString::fromStdString(node["typed_config"].value("@type", "")),
                     expected[name]);
        }
        // The router is last in every chain (Envoy rejects a chain that does not end in it).
        for (const json &l : m_tree["static_resources"]["listeners"]) {
            const json &filters =
                l["filter_chains"][0]["filters"][0]["typed_config"]["http_filters"];
            QCOMPARE(QString::fromStdString(filters.back()["name"]),
                     QStringLiteral("envoy.filters.http.router"));
            QCOMPARE(QString::fromStdString(filters.front()["name"]),
                     QStringLiteral("envoy.filters.http.credential_injector"));
            QVERIFY(filters.front()["typed_config"]["overwrite"].get<bool>());
        }
    }

    void secretsAndClustersResolve()
    {
        QStringList secretNames, clusterNames;
        for (const json &s : m_tree["static_resources"]["secrets"]) {
            secretNames << QString::fromStdString(s["name"]);
            QVERIFY(s["generic_secret"]["secret"].contains("environment_variable"));
        }
        for (const json &c : m_tree["static_resources"]["clusters"]) {
            clusterNames << QString::fromStdString(c["name"]);
            const json &tls = c["transport_socket"]["typed_config"];
            const json &vc = tls["common_tls_context"]["validation_context"];
            QVERIFY(vc.contains("trusted_ca"));
            QVERIFY(vc["match_typed_subject_alt_names"][0]["matcher"]["exact"] == tls["sni"]);
            QVERIFY(tls["sni"] == c["load_assignment"]["endpoints"][0]["lb_endpoints"][0]
                                   ["endpoint"]["address"]["socket_address"]["address"]);
        }
        QCOMPARE(secretNames.size(), 2);
        QList<json> typed;
        collectTyped(m_tree, typed);
        for (const json &node : typed) {
            if (node["name"] == "envoy.http.injected_credentials.generic")
                QVERIFY(secretNames.contains(
                    QString::fromStdString(node["typed_config"]["credential"]["name"])));
        }
        int routes = 0;
        for (const json &l : m_tree["static_resources"]["listeners"]) {
            QCOMPARE(l["address"]["pipe"]["mode"].get<int>(), 0660);
            const json &hcm = l["filter_chains"][0]["filters"][0]["typed_config"];
            QVERIFY(hcm["path_with_escaped_slashes_action"] == json("REJECT_REQUEST"));
            const json &vhRoutes = hcm["route_config"]["virtual_hosts"][0]["routes"];
            for (const json &r : vhRoutes) {
                if (r.contains("direct_response")) {
                    QCOMPARE(r["direct_response"]["status"].get<int>(), 403);
                    continue;
                }
                ++routes;
                QVERIFY(clusterNames.contains(QString::fromStdString(r["route"]["cluster"])));
                QVERIFY(r["route"]["timeout"] == json("0s"));
                QVERIFY(r["match"]["headers"][0]["name"] == json(":method"));
            }
            // The catch-all 403 comes last.
            QVERIFY(vhRoutes.back().contains("direct_response"));
            // The injected header itself is never in the router's remove list.
            const QString injected = QString::fromStdString(
                hcm["http_filters"][0]["typed_config"]["credential"]["typed_config"]["header"]);
            for (const json &h : hcm["route_config"]["request_headers_to_remove"])
                QVERIFY(QString::fromStdString(h).compare(injected, Qt::CaseInsensitive) != 0);
        }
        QCOMPARE(routes, 3); // POST /v1/messages, /v1/messages/count_tokens, /emails
    }

    void prefixedCredentialUsesWholeValueVariable()
    {
        const EgressPolicy p = EgressPolicy::defaultPolicy();
        QCOMPARE(EnvoyConfigGenerator().secretEnv(p.upstreams()[1]),
                 QStringLiteral("RESEND_API_KEY_HEADER_VALUE"));
        EnvoyConfigGenerator::Options o;
        o.useHeaderValuePrefix = true;
        auto tree = EnvoyConfigGenerator(o).generateJson(p, exampleGrants());
        QVERIFY(tree.ok());
        QVERIFY(tree->dump().find("\"header_value_prefix\":\"Bearer \"") != std::string::npos);
    }

    void yamlMatchesTree()
    {
        auto yaml = EnvoyConfigGenerator().generate(EgressPolicy::defaultPolicy(), exampleGrants());
        QVERIFY(yaml.ok());
        QFile shipped(QString::fromLocal8Bit(qgetenv("BOX_SOURCE_DIR")) +
                      QStringLiteral("/infrastructure/proxy/envoy.yaml"));
        QVERIFY(shipped.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(shipped.readAll()), yaml.value());
        // Parse the YAML with a real YAML parser when one is around.
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (python.isEmpty())
            QSKIP("python3 not installed: YAML round trip not checked");
        QProcess p;
        p.start(python, {QStringLiteral("-c"),
                         QStringLiteral("import sys, json, yaml; "
                                        "print(json.dumps(yaml.safe_load(sys.stdin)))")});
        p.write(yaml->toUtf8());
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(20000));
        if (p.exitCode() != 0 && p.readAllStandardError().contains("No module named"))
            QSKIP("python3-yaml not installed: YAML round trip not checked");
        const QByteArray out = p.readAllStandardOutput();
        const json parsed = json::parse(out.constBegin(), out.constEnd(), nullptr, false);
        QVERIFY(parsed == m_tree);
    }

    void listenersPerBoxAndUpstreamWithBoxInTheLog()
    {
        const QList<EgressGrant> grants{{QStringLiteral("alice"), {QStringLiteral("anthropic")}},
                                        {QStringLiteral("bob"), {QStringLiteral("resend")}}};
        EnvoyConfigGenerator::Options o;
        o.socketDir = QStringLiteral("/srv/egress");
        o.accessLogPath = QStringLiteral("/var/log/box-egress/access.log");
        auto tree = EnvoyConfigGenerator(o).generateJson(EgressPolicy::defaultPolicy(), grants);
        QVERIFY(tree.ok());
        const json &listeners = (*tree)["static_resources"]["listeners"];
        QCOMPARE(listeners.size(), size_t(2));
        QMap<QString, QString> pathOf;
        for (const json &l : listeners) {
            const QString name = QString::fromStdString(l["name"]);
            pathOf[name] = QString::fromStdString(l["address"]["pipe"]["path"]);
            const json &log = l["filter_chains"][0]["filters"][0]["typed_config"]["access_log"][0];
            QCOMPARE(QString::fromStdString(log["name"]),
                     QStringLiteral("envoy.access_loggers.file"));
            QCOMPARE(QString::fromStdString(log["typed_config"]["path"]),
                     QStringLiteral("/var/log/box-egress/access.log"));
            const QString format = QString::fromStdString(
                log["typed_config"]["log_format"]["text_format_source"]["inline_string"]);
            QVERIFY2(format.startsWith(QStringLiteral("box-egress %START_TIME(%s.%3f)% frontend=") +
                                       name + u' '),
                     qPrintable(format));
            QVERIFY(format.contains(QLatin1String("verdict=%ROUTE_NAME%")));
            QVERIFY(format.endsWith(QLatin1String("path=%REQ(:PATH)%\n")));
        }
        QCOMPARE(pathOf.value(QStringLiteral("egress.alice.anthropic")),
                 QStringLiteral("/srv/egress/alice/anthropic.sock"));
        QCOMPARE(pathOf.value(QStringLiteral("egress.bob.resend")),
                 QStringLiteral("/srv/egress/bob/resend.sock"));
        // Clusters and secrets stay one per upstream, whatever the number of boxes.
        QCOMPARE((*tree)["static_resources"]["clusters"].size(), size_t(2));

        // A grant for an upstream the policy lacks is refused, not dropped silently.
        QVERIFY(!EnvoyConfigGenerator()
                     .generateJson(EgressPolicy::defaultPolicy(),
                                   {{QStringLiteral("alice"), {QStringLiteral("github")}}})
                     .ok());
    }

    void yamlEmitterBasics()
    {
        const json j = {{"a", 1},
                        {"b", json::array({1, "x"})},
                        {"@type", "t"},
                        {"c", json::array({{{"k", true}, {"l", json::object()}}})}};
        QCOMPARE(
            EnvoyConfigGenerator::toYaml(j),
            QStringLiteral("\"@type\": \"t\"\na: 1\nb:\n- 1\n- \"x\"\nc:\n- k: true\n  l: {}\n"));
    }
};

QTEST_GUILESS_MAIN(tst_EnvoyConfigGenerator)
#include "tst_envoyconfiggenerator.moc"
