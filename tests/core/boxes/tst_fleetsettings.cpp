#include "core/boxes/backendfactory.h"
#include "core/boxes/consolesettings.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace bc;
using namespace bc::boxes;
using bc::security::BoxSpec;

// Fleet default policies, owner quotas and webhooks in the console's settings: stored and
// read back, and a hand-edited file with a bad value refused naming the entry and field
// (never read as "no limit").
class tst_FleetSettings : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString iniWith(const QByteArray &content)
    {
        static int n = 0;
        const QString path = m_dir.filePath(u"s%1.ini"_s.arg(++n));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(content);
        return path;
    }

private slots:
    void roundTrip()
    {
        const QString path = m_dir.filePath(u"round.ini"_s);
        QList<FleetPolicyDefault> defaults;
        FleetPolicyDefault docker;
        docker.backend = u"docker:unix:///var/run/docker.sock"_s;
        docker.policy.idleStopSecs = 1800;
        docker.policy.deleteAfterStoppedSecs = 7 * 86400;
        FleetPolicyDefault any;
        any.backend = u"*"_s;
        any.policy.maxLifetimeSecs = 8 * 3600;
        defaults << docker << any;
        const QList<OwnerQuota> quotas{{u"alice"_s, 3, 4.5, 8LL << 30}, {u"*"_s, 2, 0, 0}};
        const QList<Webhook> hooks{{u"https://hooks.example.com/x"_s, u"slack"_s},
                                   {u"http://127.0.0.1:9000/alerts"_s, u"plain"_s}};
        {
            ConsoleSettings s(path);
            s.setFleetPolicyDefaults(defaults);
            s.setQuotas(quotas);
            s.setWebhooks(hooks);
            s.sync();
        }
        ConsoleSettings s(path);
        auto d = s.fleetPolicyDefaults();
        QVERIFY2(d, qPrintable(d ? QString() : d.error().message()));
        QCOMPARE(d.value(), defaults);
        auto q = s.quotas();
        QVERIFY(q);
        QCOMPARE(q.value(), quotas);
        auto w = s.webhooks();
        QVERIFY(w);
        QCOMPARE(w.value(), hooks);

        // The backend's own entry, else "*".
        QCOMPARE(s.fleetPolicyFor(docker.backend).value(), docker.policy);
        QCOMPARE(s.fleetPolicyFor(u"coolify:https://coolify.example.com"_s).value(), any.policy);
        // The owner's entry, else "*", else unlimited.
        QCOMPARE(ConsoleSettings::quotaFor(q.value(), u"alice"_s).maxBoxes, 3);
        QCOMPARE(ConsoleSettings::quotaFor(q.value(), u"bob"_s).maxBoxes, 2);
        QCOMPARE(ConsoleSettings::quotaFor(q.value(), u"bob"_s).owner, u"bob"_s);
        QVERIFY(ConsoleSettings::quotaFor({}, u"bob"_s).isUnlimited());

        const FleetRules rules = s.fleetRulesFor(docker.backend);
        QVERIFY(rules.error.isEmpty());
        QCOMPARE(rules.policyDefault, docker.policy);
        QCOMPARE(rules.quotas, quotas);
    }

    // What BackendFactory gives each backend: the rules of that backend id.
    void factoryPassesTheRules()
    {
        const QString path = m_dir.filePath(u"factory.ini"_s);
        ConsoleSettings s(path);
        s.setDockerEndpoints({u"unix:///var/run/docker.sock"_s});
        FleetPolicyDefault e;
        e.backend = u"docker:unix:///var/run/docker.sock"_s;
        e.policy.idleStopSecs = 600;
        s.setFleetPolicyDefaults({e});
        s.setQuotas({{u"alice"_s, 1, 0, 0}});
        BackendFactory factory(s);
        const DeployOptions o = factory.deployOptionsFor(e.backend);
        QCOMPARE(o.fleet.policyDefault.idleStopSecs, std::optional<qint64>(600));
        QCOMPARE(o.fleet.quotas.size(), 1);
        QVERIFY(
            factory.deployOptionsFor(u"docker:tcp://other:2376"_s).fleet.policyDefault.isEmpty());
    }

    void badStoredValues_data()
    {
        QTest::addColumn<QByteArray>("ini");
        QTest::addColumn<QString>("message");
        QTest::newRow("negative duration")
            << QByteArray("[policy]\ndefaults\\size=1\ndefaults\\1\\backend=*\n"
                          "defaults\\1\\idleStop=-5m\n")
            << u"policy.defaults[*].idleStop: must not be negative"_s;
        QTest::newRow("duration garbage")
            << QByteArray("[policy]\ndefaults\\size=1\ndefaults\\1\\backend=*\n"
                          "defaults\\1\\maxLifetime=0x\n")
            << u"policy.defaults[*].maxLifetime: invalid duration"_s;
        QTest::newRow("duration overflow")
            << QByteArray("[policy]\ndefaults\\size=1\ndefaults\\1\\backend=*\n"
                          "defaults\\1\\deleteAfterStopped=99999d\n")
            << u"policy.defaults[*].deleteAfterStopped: at most 3650d"_s;
        QTest::newRow("negative boxes")
            << QByteArray("[quotas]\nsize=1\n1\\owner=alice\n1\\maxBoxes=-1\n")
            << u"quotas[alice].maxBoxes: must not be negative"_s;
        QTest::newRow("negative cpus")
            << QByteArray("[quotas]\nsize=1\n1\\owner=alice\n1\\maxCpus=-0.5\n")
            << u"quotas[alice].maxCpus: must be a number, not negative"_s;
        QTest::newRow("negative memory")
            << QByteArray("[quotas]\nsize=1\n1\\owner=alice\n1\\maxMemory=-8g\n")
            << u"quotas[alice].maxMemory: must not be negative"_s;
        QTest::newRow("memory garbage")
            << QByteArray("[quotas]\nsize=1\n1\\owner=alice\n1\\maxMemory=lots\n")
            << u"quotas[alice].maxMemory: invalid size"_s;
        QTest::newRow("boxes not a number")
            << QByteArray("[quotas]\nsize=1\n1\\owner=alice\n1\\maxBoxes=three\n")
            << u"quotas[alice].maxBoxes: expected a whole number"_s;
        QTest::newRow("quota without owner")
            << QByteArray("[quotas]\nsize=1\n1\\maxBoxes=3\n") << u"quotas[0].owner: is required"_s;
        QTest::newRow("two entries for one owner")
            << QByteArray("[quotas]\nsize=2\n1\\owner=alice\n2\\owner=alice\n")
            << u"quotas[alice]: a second entry for the same owner"_s;
        QTest::newRow("plain http to a remote host")
            << QByteArray(
                   "[webhooks]\nsize=1\n1\\url=http://alerts.example.com/hook\n1\\kind=plain\n")
            << u"webhooks[0].url: plain http is allowed only to this machine"_s;
        QTest::newRow("plain http to a private address")
            << QByteArray("[webhooks]\nsize=1\n1\\url=http://10.0.0.5/hook\n1\\kind=plain\n")
            << u"webhooks[0].url: plain http is allowed only to this machine"_s;
        QTest::newRow("not http")
            << QByteArray("[webhooks]\nsize=1\n1\\url=ftp://example.com/x\n1\\kind=plain\n")
            << u"webhooks[0].url: must be an http(s) URL"_s;
        QTest::newRow("unknown kind")
            << QByteArray("[webhooks]\nsize=1\n1\\url=https://example.com/x\n1\\kind=teams\n")
            << u"webhooks[0].kind: must be \"plain\" or \"slack\""_s;
        QTest::newRow("credentials in the url")
            << QByteArray("[webhooks]\nsize=1\n1\\url=https://u:p@example.com/x\n1\\kind=plain\n")
            << u"webhooks[0].url: must not carry a user or password"_s;
    }
    void badStoredValues()
    {
        QFETCH(QByteArray, ini);
        QFETCH(QString, message);
        ConsoleSettings s(iniWith(ini));
        QString got;
        if (auto d = s.fleetPolicyDefaults(); !d)
            got = d.error().message();
        else if (auto q = s.quotas(); !q)
            got = q.error().message();
        else if (auto w = s.webhooks(); !w)
            got = w.error().message();
        QVERIFY2(got.startsWith(message), qPrintable(got));
        // A deploy reads the rules through fleetRulesFor(): refused, not "no limit".
        if (!ini.startsWith("[webhooks]"))
            QVERIFY(
                s.fleetRulesFor(u"docker:unix:///var/run/docker.sock"_s).error.startsWith(message));
    }

    void webhookUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("ok");
        QTest::newRow("https") << u"https://hooks.slack.com/services/T/B/X"_s << true;
        QTest::newRow("http loopback v4") << u"http://127.0.0.1:8080/x"_s << true;
        QTest::newRow("http loopback v4 range") << u"http://127.5.0.1/x"_s << true;
        QTest::newRow("http localhost") << u"http://localhost:9000/"_s << true;
        QTest::newRow("http loopback v6") << u"http://[::1]:9000/"_s << true;
        QTest::newRow("http remote") << u"http://example.com/"_s << false;
        QTest::newRow("http localhost lookalike") << u"http://localhost.example.com/"_s << false;
        QTest::newRow("http 0.0.0.0") << u"http://0.0.0.0:9000/"_s << false;
        QTest::newRow("no host") << u"https:///path"_s << false;
        QTest::newRow("empty") << QString() << false;
    }
    void webhookUrls()
    {
        QFETCH(QString, url);
        QFETCH(bool, ok);
        const auto r = ConsoleSettings::validateWebhook({url, u"plain"_s}, u"webhooks[0]"_s);
        QCOMPARE(bool(r), ok);
        if (!ok)
            QVERIFY(r.error().message().startsWith(u"webhooks[0].url: "_s));
    }

    void quotaMemory()
    {
        QCOMPARE(ConsoleSettings::parseQuotaMemory(u"16g"_s, u"f"_s).value(), 16LL << 30);
        QCOMPARE(ConsoleSettings::parseQuotaMemory(u"512M"_s, u"f"_s).value(), 512LL << 20);
        QCOMPARE(ConsoleSettings::parseQuotaMemory(u"1024"_s, u"f"_s).value(), 1024LL);
        QCOMPARE(ConsoleSettings::parseQuotaMemory(u"0"_s, u"f"_s).value(), 0LL);
        QVERIFY(!ConsoleSettings::parseQuotaMemory(u"2000t"_s, u"f"_s));
        QCOMPARE(ConsoleSettings::formatQuotaMemory(16LL << 30), u"16g"_s);
        QCOMPARE(ConsoleSettings::formatQuotaMemory(0), u"0"_s);
        QCOMPARE(ConsoleSettings::formatQuotaMemory(1000), u"1000"_s);
    }
};

QTEST_GUILESS_MAIN(tst_FleetSettings)
#include "tst_fleetsettings.moc"
