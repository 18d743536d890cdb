#include "core/infra/egresslog.h"
#include "core/infra/haproxyconfiggenerator.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace bc::infra;

namespace {
// The grant the shipped example config is generated for.
const QList<EgressGrant> &exampleGrants()
{
    static const QList<EgressGrant> g{
        {QStringLiteral("example-box"), {QStringLiteral("anthropic"), QStringLiteral("resend")}}};
    return g;
}
} // namespace

class tst_HaproxyConfigGenerator : public QObject
{
    Q_OBJECT

private slots:
    void defaultPolicyMatchesShippedConfig()
    {
        // infrastructure/proxy/haproxy.cfg is this output; regenerate it with
        // boxctl proxy-config --format haproxy --grant example-box=anthropic,resend
        //   > infrastructure/proxy/haproxy.cfg
        auto cfg =
            HaproxyConfigGenerator().generate(EgressPolicy::defaultPolicy(), exampleGrants());
        QVERIFY(cfg.ok());
        QFile shipped(QString::fromLocal8Bit(qgetenv("BOX_SOURCE_DIR")) +
                      QStringLiteral("/infrastructure/proxy/haproxy.cfg"));
        QVERIFY(shipped.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(shipped.readAll()), cfg.value());
    }

    void essentialDirectives()
    {
        auto cfg =
            HaproxyConfigGenerator().generate(EgressPolicy::defaultPolicy(), exampleGrants());
        QVERIFY(cfg.ok());
        const QString &c = cfg.value();
        QVERIFY(c.contains(QLatin1String("frontend egress.example-box.anthropic\n"
                                         "    bind unix@/run/box-egress/example-box/anthropic.sock "
                                         "mode 660\n")));
        QVERIFY(c.contains(
            QLatin1String("bind unix@/run/box-egress/example-box/resend.sock mode 660\n")));
        QVERIFY(!c.contains(QLatin1String("mode 666")));
        QVERIFY(c.contains(QLatin1String("http-request del-header x-api-key\n")));
        QVERIFY(c.contains(QLatin1String("http-request del-header authorization\n")));
        QVERIFY(c.contains(
            QLatin1String("acl anthropic_r0_path path /v1/messages /v1/messages/count_tokens\n")));
        QVERIFY(c.contains(QLatin1String("acl anthropic_r0_method method POST\n")));
        QVERIFY(c.contains(QLatin1String(
            "http-request deny deny_status 403 unless anthropic_r0_method anthropic_r0_path\n")));
        QVERIFY(c.contains(QLatin1String("http-request set-header Host api.anthropic.com\n")));
        QVERIFY(c.contains(
            QLatin1String("http-request set-header x-api-key \"${ANTHROPIC_API_KEY}\"\n")));
        QVERIFY(c.contains(
            QLatin1String("http-request set-header Authorization \"Bearer ${RESEND_API_KEY}\"\n")));
        QVERIFY(c.contains(QLatin1String(
            "server upstream api.anthropic.com:443 ssl verify required ca-file @system-ca "
            "sni str(api.anthropic.com) verifyhost api.anthropic.com")));
        QVERIFY(c.contains(QLatin1String("timeout server 3600s\n")));
        QVERIFY(c.contains(QLatin1String(".if !defined(ANTHROPIC_API_KEY)\n")));
        // Nothing logs headers.
        QVERIFY(!c.contains(QLatin1String("capture")));
    }

    void optionsAreUsedAndValidated()
    {
        HaproxyConfigGenerator::Options o;
        o.socketDir = QStringLiteral("/tmp/egress-test");
        o.caFile = QStringLiteral("/tmp/test-ca.crt");
        o.dnsResolvers = false;
        o.socketGroup = 4711;
        auto cfg =
            HaproxyConfigGenerator(o).generate(EgressPolicy::defaultPolicy(), exampleGrants());
        QVERIFY(cfg.ok());
        QVERIFY(cfg->contains(QLatin1String(
            "bind unix@/tmp/egress-test/example-box/anthropic.sock mode 660 gid 4711\n")));
        QVERIFY(cfg->contains(QLatin1String("bind unix@/tmp/egress-test/.proxy.sock mode 600\n")));
        QVERIFY(cfg->contains(QLatin1String("ca-file /tmp/test-ca.crt ")));
        QVERIFY(!cfg->contains(QLatin1String("resolvers")));

        for (const char *bad :
             {"relative/dir", "/tmp/with space", "/tmp/\"q", "/tmp/../etc", "/tmp/${HOME}"}) {
            HaproxyConfigGenerator::Options b;
            b.socketDir = QString::fromLatin1(bad);
            auto r =
                HaproxyConfigGenerator(b).generate(EgressPolicy::defaultPolicy(), exampleGrants());
            QVERIFY2(!r.ok(), bad);
            QCOMPARE(r.error().kind(), bc::Error::Kind::Invalid);
            HaproxyConfigGenerator::Options c;
            c.caFile = QString::fromLatin1(bad);
            QVERIFY2(!HaproxyConfigGenerator(c)
                          .generate(EgressPolicy::defaultPolicy(), exampleGrants())
                          .ok(),
                     bad);
        }
    }

    void refusesHandBuiltInjection()
    {
        // A policy built in code (not parsed) is validated again by the generator.
        auto parsed = EgressPolicy::fromJson(EgressPolicy::defaultPolicy().toJson());
        QVERIFY(parsed.ok());
        nlohmann::json j = EgressPolicy::defaultPolicy().toJson();
        j["upstreams"][0]["host"] = "api.anthropic.com\nfrontend evil";
        QVERIFY(!EgressPolicy::fromJson(j).ok());
    }

    void deterministic()
    {
        const auto a =
            HaproxyConfigGenerator().generate(EgressPolicy::defaultPolicy(), exampleGrants());
        const auto b =
            HaproxyConfigGenerator().generate(EgressPolicy::defaultPolicy(), exampleGrants());
        QCOMPARE(a.value(), b.value());
    }

    void onlyGrantedUpstreamsGetSockets()
    {
        const QList<EgressGrant> grants{{QStringLiteral("alice"), {QStringLiteral("anthropic")}},
                                        {QStringLiteral("bob"), {QStringLiteral("resend")}}};
        auto cfg = HaproxyConfigGenerator().generate(EgressPolicy::defaultPolicy(), grants);
        QVERIFY(cfg.ok());
        QVERIFY(cfg->contains(QLatin1String("unix@/run/box-egress/alice/anthropic.sock ")));
        QVERIFY(cfg->contains(QLatin1String("unix@/run/box-egress/bob/resend.sock ")));
        QVERIFY(!cfg->contains(QLatin1String("/alice/resend.sock")));
        QVERIFY(!cfg->contains(QLatin1String("/bob/anthropic.sock")));
        QCOMPARE(cfg->count(QLatin1String("bind unix@")), 3); // two boxes + health
        // Requests are logged under the frontend, i.e. the box.
        QVERIFY(cfg->contains(QLatin1String("frontend egress.alice.anthropic\n")));
        QVERIFY(cfg->contains(
            QStringLiteral("log-format \"%1\"\n").arg(HaproxyConfigGenerator::logFormat())));
        QVERIFY(cfg->contains(QLatin1String("option dontlognull\n")));

        // No grants: only the health listener, so HAProxy still starts.
        auto none = HaproxyConfigGenerator().generate(EgressPolicy::defaultPolicy(), {});
        QVERIFY(none.ok());
        QCOMPARE(none->count(QLatin1String("bind unix@")), 1);
    }

    void refusesBadGrants()
    {
        const EgressPolicy p = EgressPolicy::defaultPolicy();
        auto unknown = HaproxyConfigGenerator().generate(
            p, {{QStringLiteral("alice"), {QStringLiteral("github")}}});
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.error().message().contains(QLatin1String("github")));
        auto twice = HaproxyConfigGenerator().generate(
            p, {{QStringLiteral("alice"), {QStringLiteral("anthropic")}},
                {QStringLiteral("alice"), {QStringLiteral("resend")}}});
        QVERIFY(!twice.ok());
        for (const char *bad : {"Alice", "a.b", "../x", "a b", "-a", ""}) {
            auto r = HaproxyConfigGenerator().generate(
                p, {{QString::fromLatin1(bad), {QStringLiteral("anthropic")}}});
            QVERIFY2(!r.ok(), bad);
        }
    }

    void unsafePathFilterCoversBackslashAndPathParameters()
    {
        auto cfg =
            HaproxyConfigGenerator().generate(EgressPolicy::defaultPolicy(), exampleGrants());
        QVERIFY(cfg.ok());
        const qsizetype at = cfg->indexOf(QLatin1String("acl path_unsafe path_reg -i '"));
        QVERIFY(at >= 0);
        const qsizetype start = cfg->indexOf(u'\'', at) + 1;
        const QString pattern = cfg->mid(start, cfg->indexOf(u'\'', start) - start);
        // Single quotes pass the pattern to PCRE verbatim.
        const QRegularExpression re(pattern, QRegularExpression::CaseInsensitiveOption);
        QVERIFY(re.isValid());
        for (const char *bad :
             {"/v1/messages/..;/files", "/v1/a;b", "/v1\\..\\files", "/v1/%2e%2e/x", "/v1/%3B",
              "/v1//x", "/v1/../x", "/v1/./x", "/v1/..", "/v1/%00"})
            QVERIFY2(re.match(QString::fromLatin1(bad)).hasMatch(), bad);
        for (const char *good : {"/v1/messages", "/v1/messages/count_tokens", "/emails", "/a..b/c"})
            QVERIFY2(!re.match(QString::fromLatin1(good)).hasMatch(), good);
    }
};

QTEST_GUILESS_MAIN(tst_HaproxyConfigGenerator)
#include "tst_haproxyconfiggenerator.moc"
