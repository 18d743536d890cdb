#include "core/infra/haproxyconfiggenerator.h"

#include <QFile>
#include <QTest>

using namespace bc::infra;

class tst_HaproxyConfigGenerator : public QObject
{
    Q_OBJECT

private slots:
    void defaultPolicyMatchesShippedConfig()
    {
        // infrastructure/proxy/haproxy.cfg is this output; regenerate it with
        // boxctl proxy-config --format haproxy > infrastructure/proxy/haproxy.cfg
        auto cfg = HaproxyConfigGenerator().generate(EgressPolicy::defaultPolicy());
        QVERIFY(cfg.ok());
        QFile shipped(QString::fromLocal8Bit(qgetenv("BOX_SOURCE_DIR")) +
                      QStringLiteral("/infrastructure/proxy/haproxy.cfg"));
        QVERIFY(shipped.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(shipped.readAll()), cfg.value());
    }

    void essentialDirectives()
    {
        auto cfg = HaproxyConfigGenerator().generate(EgressPolicy::defaultPolicy());
        QVERIFY(cfg.ok());
        const QString &c = cfg.value();
        QVERIFY(c.contains(QLatin1String("bind unix@/run/box-egress/anthropic.sock mode 666\n")));
        QVERIFY(c.contains(QLatin1String("bind unix@/run/box-egress/resend.sock mode 666\n")));
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
        auto cfg = HaproxyConfigGenerator(o).generate(EgressPolicy::defaultPolicy());
        QVERIFY(cfg.ok());
        QVERIFY(cfg->contains(QLatin1String("bind unix@/tmp/egress-test/anthropic.sock")));
        QVERIFY(cfg->contains(QLatin1String("ca-file /tmp/test-ca.crt ")));
        QVERIFY(!cfg->contains(QLatin1String("resolvers")));

        for (const char *bad :
             {"relative/dir", "/tmp/with space", "/tmp/\"q", "/tmp/../etc", "/tmp/${HOME}"}) {
            HaproxyConfigGenerator::Options b;
            b.socketDir = QString::fromLatin1(bad);
            auto r = HaproxyConfigGenerator(b).generate(EgressPolicy::defaultPolicy());
            QVERIFY2(!r.ok(), bad);
            QCOMPARE(r.error().kind(), bc::Error::Kind::Invalid);
            HaproxyConfigGenerator::Options c;
            c.caFile = QString::fromLatin1(bad);
            QVERIFY2(!HaproxyConfigGenerator(c).generate(EgressPolicy::defaultPolicy()).ok(), bad);
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
        const auto a = HaproxyConfigGenerator().generate(EgressPolicy::defaultPolicy());
        const auto b = HaproxyConfigGenerator().generate(EgressPolicy::defaultPolicy());
        QCOMPARE(a.value(), b.value());
    }
};

QTEST_GUILESS_MAIN(tst_HaproxyConfigGenerator)
#include "tst_haproxyconfiggenerator.moc"
