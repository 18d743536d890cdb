#include "core/infra/egresspolicy.h"

#include <QFile>
#include <QTest>

using namespace bc::infra;
using nlohmann::json;

class tst_EgressPolicy : public QObject
{
    Q_OBJECT

    static json validUpstream()
    {
        return json{{"name", "anthropic"},
                    {"host", "api.anthropic.com"},
                    {"port", 443},
                    {"routes", json::array({{{"methods", {"POST"}}, {"paths", {"/v1/messages"}}}})},
                    {"credential", {{"header", "x-api-key"}, {"env", "ANTHROPIC_API_KEY"}}},
                    {"localPort", 8081},
                    {"baseUrlEnv", "ANTHROPIC_BASE_URL"}};
    }

private slots:
    void parsesValidPolicy()
    {
        auto p = EgressPolicy::fromJson(json{{"upstreams", json::array({validUpstream()})}});
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().toString()));
        QCOMPARE(p->upstreams().size(), 1);
        const EgressUpstream &u = p->upstreams().first();
        QCOMPARE(u.host, QStringLiteral("api.anthropic.com"));
        QCOMPARE(u.routes.first().paths, QStringList{QStringLiteral("/v1/messages")});
        QCOMPARE(u.credential.env, QStringLiteral("ANTHROPIC_API_KEY"));
        QCOMPARE(u.localPort, 8081);
    }

    void defaultPolicyRoundTrips()
    {
        const EgressPolicy def = EgressPolicy::defaultPolicy();
        auto again = EgressPolicy::fromJson(def.toJson());
        QVERIFY(again.ok());
        QVERIFY(again->toJson() == def.toJson());
        QCOMPARE(def.upstreams().size(), 2);
        QCOMPARE(def.upstreams()[1].credential.prefix, QStringLiteral("Bearer "));
    }

    void shippedPolicyFileIsTheDefault()
    {
        const QString path = QString::fromLocal8Bit(qgetenv("BOX_SOURCE_DIR")) +
                             QStringLiteral("/infrastructure/proxy/egress-policy.json");
        auto p = EgressPolicy::fromFile(path);
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().toString()));
        QVERIFY(p->toJson() == EgressPolicy::defaultPolicy().toJson());
    }

    void rejectsBadInput_data()
    {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("value"); // JSON text
        QTest::addColumn<QString>("field");
        const auto row = [](const char *name, const char *ptr, const char *value,
                            const char *field) {
            QTest::newRow(name) << QString::fromLatin1(ptr) << QString::fromLatin1(value)
                                << QString::fromLatin1(field);
        };
        row("host injection", "/host", "\"api.anthropic.com\\n    server x evil:80\"",
            "upstreams[0].host");
        row("host with space", "/host", "\"api anthropic.com\"", "upstreams[0].host");
        row("host upper case", "/host", "\"API.anthropic.com\"", "upstreams[0].host");
        row("host ip", "/host", "\"10.0.0.1\"", "upstreams[0].host");
        row("host empty label", "/host", "\"api..com\"", "upstreams[0].host");
        row("name with space", "/name", "\"an thropic\"", "upstreams[0].name");
        row("name quote", "/name", "\"a\\\"b\"", "upstreams[0].name");
        row("port string", "/port", "\"443\"", "upstreams[0].port");
        row("port zero", "/port", "0", "upstreams[0].port");
        row("local port low", "/localPort", "80", "upstreams[0].localPort");
        row("header space", "/credential/header", "\"x api key\"",
            "upstreams[0].credential.header");
        row("header colon", "/credential/header", "\"x-api-key:\"",
            "upstreams[0].credential.header");
        row("header quote", "/credential/header", "\"x\\\"y\"", "upstreams[0].credential.header");
        row("prefix quote", "/credential/prefix", "\"Bearer \\\" \"",
            "upstreams[0].credential.prefix");
        row("prefix percent", "/credential/prefix", "\"%[env(X)]\"",
            "upstreams[0].credential.prefix");
        row("prefix dollar", "/credential/prefix", "\"${HOME}\"", "upstreams[0].credential.prefix");
        row("prefix newline", "/credential/prefix", "\"Bearer\\n\"",
            "upstreams[0].credential.prefix");
        row("env lower", "/credential/env", "\"anthropic_key\"", "upstreams[0].credential.env");
        row("env brace", "/credential/env", "\"A}B\"", "upstreams[0].credential.env");
        row("path no slash", "/routes/0/paths/0", "\"v1/messages\"",
            "upstreams[0].routes[0].paths");
        row("path space", "/routes/0/paths/0", "\"/v1/messages or 1\"",
            "upstreams[0].routes[0].paths");
        row("path percent", "/routes/0/paths/0", "\"/v1/%2e%2e\"", "upstreams[0].routes[0].paths");
        row("path dotdot", "/routes/0/paths/0", "\"/v1/../files\"", "upstreams[0].routes[0].paths");
        row("path double slash", "/routes/0/paths/0", "\"//v1\"", "upstreams[0].routes[0].paths");
        row("path quote", "/routes/0/paths/0", "\"/v1\\\"\"", "upstreams[0].routes[0].paths");
        row("method lower", "/routes/0/methods/0", "\"post\"", "upstreams[0].routes[0].methods");
        row("method connect", "/routes/0/methods/0", "\"CONNECT\"",
            "upstreams[0].routes[0].methods");
        row("method injection", "/routes/0/methods/0", "\"POST if TRUE\"",
            "upstreams[0].routes[0].methods");
        row("unknown key", "/surprise", "1", "upstreams[0].surprise");
        row("no routes", "/routes", "[]", "upstreams[0].routes");
        row("base env bad", "/baseUrlEnv", "\"BASE-URL\"", "upstreams[0].baseUrlEnv");
    }

    void rejectsBadInput()
    {
        QFETCH(QString, pointer);
        QFETCH(QString, value);
        QFETCH(QString, field);
        json up = validUpstream();
        up[json::json_pointer(pointer.toStdString())] = json::parse(value.toStdString());
        auto p = EgressPolicy::fromJson(json{{"upstreams", json::array({up})}});
        QVERIFY(!p.ok());
        QCOMPARE(p.error().kind(), bc::Error::Kind::Invalid);
        QVERIFY2(p.error().message().startsWith(field + u':'), qPrintable(p.error().message()));
    }

    void rejectsDuplicates()
    {
        json a = validUpstream();
        json b = validUpstream();
        b["localPort"] = 8082;
        b["baseUrlEnv"] = "OTHER_BASE_URL";
        auto p = EgressPolicy::fromJson(json{{"upstreams", json::array({a, b})}});
        QVERIFY(!p.ok());
        QVERIFY(p.error().message().startsWith(QStringLiteral("upstreams[1].name")));
        b["name"] = "other";
        b["localPort"] = 8081;
        p = EgressPolicy::fromJson(json{{"upstreams", json::array({a, b})}});
        QVERIFY(!p.ok());
        QVERIFY(p.error().message().startsWith(QStringLiteral("upstreams[1].localPort")));
    }

    void safePathsHaveNoParametersBackslashesOrDotSegments()
    {
        // Policy paths go verbatim into the proxies' path matches: anything an upstream
        // might normalise into another path is refused.
        for (const char *bad : {"/v1/messages/..;/files", "/v1/a;b", "/v1\\files", "/v1/%2e%2e",
                                "/v1/../x", "/v1/./x", "/v1//x", "v1/messages", "/v1/messages?x=1",
                                "/v1/a b", "/v1/..", "/v1/\"x"})
            QVERIFY2(!EgressPolicy::isSafePath(QString::fromLatin1(bad)), bad);
        for (const char *good :
             {"/v1/messages", "/v1/messages/count_tokens", "/emails", "/a..b/c", "/v1/~user", "/"})
            QVERIFY2(EgressPolicy::isSafePath(QString::fromLatin1(good)), good);
    }

    void rejectsNonJson()
    {
        auto p = EgressPolicy::fromJsonText(QByteArrayLiteral("{upstreams:"));
        QVERIFY(!p.ok());
        QCOMPARE(p.error().kind(), bc::Error::Kind::Invalid);
        QVERIFY(!EgressPolicy::fromJsonText(QByteArrayLiteral("{\"upstreams\":[]}")).ok());
        QCOMPARE(EgressPolicy::fromFile(QStringLiteral("/nonexistent/policy.json")).error().kind(),
                 bc::Error::Kind::Io);
    }
};

QTEST_GUILESS_MAIN(tst_EgressPolicy)
#include "tst_egresspolicy.moc"
