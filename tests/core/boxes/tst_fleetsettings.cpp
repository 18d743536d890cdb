#include "core/boxes/backendfactory.h"
#include "core/boxes/consolesettings.h"
#include "core/boxes/webhooksecrets.h"
#include "core/util/secretstore.h"

#include "support/testutil.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace bc;
using namespace bc::boxes;
using bc::security::BoxSpec;
using bc::test::await;
using bc::util::SecretStore;

// Fleet default policies, owner quotas and webhooks in the console's settings: stored and
// read back, and a hand-edited file with a bad value refused naming the entry and field
// (never read as "no limit"). Webhook URLs are credentials: they go to the secret store (the
// 0600 file here), the settings file holds a key and a masked form, and an old file with
// URLs in clear is read and migrated.
class tst_FleetSettings : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QTemporaryDir m_home;
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

    static QByteArray fileContent(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    static Webhook hook(const QString &url, const QString &kind)
    {
        Webhook w;
        w.url = url;
        w.kind = kind;
        return w;
    }

    static QString stored(const QString &key)
    {
        const auto r = await(SecretStore::read(key));
        return r ? r.value() : QStringLiteral("<%1>").arg(r.error().message());
    }

    static bool inStore(const QString &key)
    {
        const auto r = await(SecretStore::read(key));
        if (!r && r.error().kind() != Error::Kind::NotFound)
            qFatal("secret store: %s", qPrintable(r.error().message()));
        return r.ok();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid() && m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
        qputenv("BOX_SECRET_STORE", "file");
        QVERIFY(SecretStore::fallbackFilePath().startsWith(m_home.path()));
    }

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
        const QList<Webhook> hooks{hook(u"https://hooks.example.com/x"_s, u"slack"_s),
                                   hook(u"http://127.0.0.1:9000/alerts"_s, u"plain"_s)};
        {
            ConsoleSettings s(path);
            s.setFleetPolicyDefaults(defaults);
            s.setQuotas(quotas);
            const auto saved = await(WebhookSecrets::save(s, hooks));
            QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().message()));
        }
        ConsoleSettings s(path);
        auto d = s.fleetPolicyDefaults();
        QVERIFY2(d, qPrintable(d ? QString() : d.error().message()));
        QCOMPARE(d.value(), defaults);
        auto q = s.quotas();
        QVERIFY(q);
        QCOMPARE(q.value(), quotas);
        auto w = await(WebhookSecrets::load(s));
        QVERIFY(w);
        QCOMPARE(w->size(), hooks.size());
        for (int i = 0; i < hooks.size(); ++i) {
            QCOMPARE(w->at(i).url, hooks.at(i).url);
            QCOMPARE(w->at(i).kind, hooks.at(i).kind);
        }

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
        QTest::newRow("reference to a key that is not a webhook's")
            << QByteArray("[webhooks]\nsize=1\n1\\secret=coolify-token\n1\\kind=plain\n")
            << u"webhooks[0].secret: must be a secret store key webhook.<id>"_s;
        QTest::newRow("neither url nor reference")
            << QByteArray("[webhooks]\nsize=1\n1\\kind=slack\n")
            << u"webhooks[0].url: is required"_s;
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
        const auto r = ConsoleSettings::validateWebhook(hook(url, u"plain"_s), u"webhooks[0]"_s);
        QCOMPARE(bool(r), ok);
        if (!ok)
            QVERIFY(r.error().message().startsWith(u"webhooks[0].url: "_s));
    }

    // What the settings file and its readers get instead of a webhook URL.
    void maskedUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("masked");
        QTest::newRow("slack") << u"https://hooks.slack.com/services/T000/B000/XXXX"_s
                               << u"https://hooks.slack.com/…XXXX"_s;
        QTest::newRow("query") << u"http://127.0.0.1:9000/a?token=s3cr3t"_s
                               << u"http://127.0.0.1:9000/…cr3t"_s;
        QTest::newRow("user info")
            << u"https://alice:pw123456@example.com/hook"_s << u"https://example.com/…hook"_s;
        QTest::newRow("ipv6 and port")
            << u"https://[::1]:8443/abc/defg"_s << u"https://[::1]:8443/…defg"_s;
        QTest::newRow("host only") << u"https://example.com"_s << u"https://example.com/"_s;
        QTest::newRow("root") << u"https://example.com/"_s << u"https://example.com/"_s;
        QTest::newRow("no host") << u"https://"_s << u"https://…"_s;
        QTest::newRow("garbage") << u"token-without-scheme"_s << u"…"_s;
        QTest::newRow("empty") << QString() << u"…"_s;
    }
    void maskedUrls()
    {
        QFETCH(QString, url);
        QFETCH(QString, masked);
        QCOMPARE(ConsoleSettings::maskWebhookUrl(url), masked);
    }

    // The settings file holds a key, the kind and the masked form; the secret store holds
    // the URL; replaced and removed webhooks leave no secret behind.
    void webhookUrlsLiveInTheSecretStore()
    {
        const QString path = m_dir.filePath(u"secret-hooks.ini"_s);
        const QString slackToken = u"T0AAA/B0BBB/s3cr3tT0kenWXYZ"_s;
        const QString slack = u"https://hooks.slack.com/services/"_s + slackToken;
        const QString plain = u"http://127.0.0.1:9000/alerts?key=hunter2key"_s;
        ConsoleSettings s(path);
        QVERIFY(await(WebhookSecrets::save(s, {hook(slack, u"slack"_s), hook(plain, u"plain"_s)})));

        const QByteArray onDisk = fileContent(path);
        QVERIFY(onDisk.contains("[webhooks]"));
        for (const char *secret : {"s3cr3tT0ken", "T0AAA", "services/", "hunter2", "alerts?"})
            QVERIFY2(!onDisk.contains(secret), onDisk.constData());
        QVERIFY2(!onDisk.contains("url="), onDisk.constData());

        auto refs = s.webhooks();
        QVERIFY(refs);
        QCOMPARE(refs->size(), 2);
        for (const Webhook &w : refs.value()) {
            QVERIFY(w.url.isEmpty());
            QVERIFY2(ConsoleSettings::isWebhookSecretKey(w.secretKey), qPrintable(w.secretKey));
        }
        QVERIFY(refs->at(0).secretKey != refs->at(1).secretKey);
        QCOMPARE(refs->at(0).display, u"https://hooks.slack.com/…WXYZ"_s);
        QCOMPARE(refs->at(0).kind, u"slack"_s);
        QCOMPARE(refs->at(1).display, u"http://127.0.0.1:9000/…2key"_s);
        QCOMPARE(s.webhookSecretKeys(),
                 QStringList({refs->at(0).secretKey, refs->at(1).secretKey}));
        // The store has them, in the 0600 file this test forces.
        QCOMPARE(stored(refs->at(0).secretKey), slack);
        QCOMPARE(stored(refs->at(1).secretKey), plain);
        QVERIFY(fileContent(SecretStore::fallbackFilePath()).contains(slackToken.toUtf8()));

        // What boxctl serve reads: the URLs, resolved from the store.
        {
            ConsoleSettings reread(path);
            const auto loaded = await(WebhookSecrets::load(reread));
            QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().message()));
            QCOMPARE(loaded->size(), 2);
            QCOMPARE(loaded->at(0).url, slack);
            QCOMPARE(loaded->at(1).url, plain);
        }

        // Kept as it is (no URL: the reference stays), the other replaced: a new key, and the
        // replaced one's secret goes.
        const QString replacement = u"https://alerts.example.com/hook/n3wT0kenQRST"_s;
        Webhook kept = refs->at(0);
        kept.kind = u"plain"_s;
        Webhook replaced = refs->at(1);
        replaced.url = replacement;
        QVERIFY(await(WebhookSecrets::save(s, {kept, replaced})));
        auto after = s.webhooks();
        QVERIFY(after);
        QCOMPARE(after->at(0).secretKey, refs->at(0).secretKey);
        QCOMPARE(after->at(0).kind, u"plain"_s);
        QCOMPARE(stored(after->at(0).secretKey), slack);
        QVERIFY(after->at(1).secretKey != refs->at(1).secretKey);
        QCOMPARE(stored(after->at(1).secretKey), replacement);
        QVERIFY(!inStore(refs->at(1).secretKey));
        QVERIFY(!fileContent(SecretStore::fallbackFilePath()).contains("hunter2"));
        QVERIFY(!fileContent(path).contains("n3wT0ken"));

        // Removed: its secret goes too; an empty list leaves nothing behind.
        QVERIFY(await(WebhookSecrets::save(s, {after->at(1)})));
        QCOMPARE(s.webhooks()->size(), 1);
        QVERIFY(!inStore(after->at(0).secretKey));
        QVERIFY(inStore(after->at(1).secretKey));
        QVERIFY(await(WebhookSecrets::save(s, {})));
        QVERIFY(s.webhooks()->isEmpty());
        QVERIFY(!inStore(after->at(1).secretKey));
        const QByteArray secrets = fileContent(SecretStore::fallbackFilePath());
        for (const QString &key :
             {refs->at(0).secretKey, refs->at(1).secretKey, after->at(1).secretKey})
            QVERIFY2(!secrets.contains(key.toUtf8()), secrets.constData());
        QVERIFY2(!secrets.contains("s3cr3tT0ken") && !secrets.contains("n3wT0ken"),
                 secrets.constData());
    }

    // A settings file from before the secret store: read as it is, migrated on the next save.
    void legacyPlaintextWebhookIsMigrated()
    {
        const QString path = iniWith("[webhooks]\nsize=2\n"
                                     "1\\url=https://hooks.slack.com/services/T1/B1/l3gacyT0ken\n"
                                     "1\\kind=slack\n"
                                     "2\\url=http://localhost:9000/plain-legacy\n");
        ConsoleSettings s(path);
        auto old = s.webhooks();
        QVERIFY2(old, qPrintable(old ? QString() : old.error().message()));
        QCOMPARE(old->size(), 2);
        QCOMPARE(old->at(0).url, u"https://hooks.slack.com/services/T1/B1/l3gacyT0ken"_s);
        QVERIFY(old->at(0).secretKey.isEmpty());
        QCOMPARE(old->at(0).display, u"https://hooks.slack.com/…0ken"_s);
        QCOMPARE(old->at(1).kind, u"plain"_s);
        // serve keeps working before the migration.
        auto loaded = await(WebhookSecrets::load(s));
        QVERIFY(loaded);
        QCOMPARE(loaded->at(1).url, u"http://localhost:9000/plain-legacy"_s);

        QVERIFY(await(WebhookSecrets::save(s, old.value())));
        const QByteArray onDisk = fileContent(path);
        QVERIFY2(!onDisk.contains("l3gacyT0ken") && !onDisk.contains("plain-legacy") &&
                     !onDisk.contains("url="),
                 onDisk.constData());
        ConsoleSettings reread(path);
        auto refs = reread.webhooks();
        QVERIFY(refs);
        QCOMPARE(refs->size(), 2);
        QVERIFY(ConsoleSettings::isWebhookSecretKey(refs->at(0).secretKey));
        QCOMPARE(refs->at(0).kind, u"slack"_s);
        QCOMPARE(stored(refs->at(0).secretKey),
                 u"https://hooks.slack.com/services/T1/B1/l3gacyT0ken"_s);
        loaded = await(WebhookSecrets::load(reread));
        QVERIFY(loaded);
        QCOMPARE(loaded->at(0).url, u"https://hooks.slack.com/services/T1/B1/l3gacyT0ken"_s);
        QCOMPARE(loaded->at(1).url, u"http://localhost:9000/plain-legacy"_s);
    }

    // Errors name the field and never quote the URL in full; nothing is stored on a refusal.
    void webhookErrorsMaskTheUrl()
    {
        const auto bad = ConsoleSettings::validateWebhook(
            hook(u"ftp://hooks.example.com/services/D0DD/s3cr3tD4444"_s, u"plain"_s),
            u"webhooks[3]"_s);
        QVERIFY(!bad);
        const QString message = bad.error().message();
        QVERIFY2(message.startsWith(u"webhooks[3].url: must be an http(s) URL with a host"_s),
                 qPrintable(message));
        QVERIFY2(!message.contains(u"s3cr3t"_s) && !message.contains(u"services"_s),
                 qPrintable(message));
        QVERIFY2(message.contains(u"ftp://hooks.example.com/…4444"_s), qPrintable(message));

        const QByteArray before = fileContent(SecretStore::fallbackFilePath());
        const QString path = m_dir.filePath(u"refused.ini"_s);
        ConsoleSettings s(path);
        const auto refused = await(WebhookSecrets::save(
            s, {hook(u"https://ok.example.com/k33pT0ken"_s, u"plain"_s),
                hook(u"http://alerts.example.com/s3cr3tE5555"_s, u"slack"_s)}));
        QVERIFY(!refused);
        QVERIFY2(refused.error().message().startsWith(
                     u"webhooks[1].url: plain http is allowed only to this machine"_s),
                 qPrintable(refused.error().message()));
        QVERIFY(!refused.error().message().contains(u"s3cr3t"_s));
        QCOMPARE(fileContent(SecretStore::fallbackFilePath()), before);
        QVERIFY(s.webhooks()->isEmpty());

        // A reference whose secret is gone: refused naming the entry and the key.
        {
            QSettings raw(path, QSettings::IniFormat);
            raw.beginWriteArray(u"webhooks"_s, 1);
            raw.setArrayIndex(0);
            raw.setValue(u"secret"_s, u"webhook.0123abcd"_s);
            raw.setValue(u"kind"_s, u"plain"_s);
            raw.endArray();
        }
        ConsoleSettings dangling(path);
        const auto loaded = await(WebhookSecrets::load(dangling));
        QVERIFY(!loaded);
        QCOMPARE(loaded.error().message(),
                 u"webhooks[0].url: not in the secret store (webhook.0123abcd); add the webhook "
                 u"again"_s);
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
