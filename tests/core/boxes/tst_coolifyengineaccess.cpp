// The consent settings and the ssh endpoint built from them and GET /servers: strict host
// key checking and batch mode always on the command line, the admin's key and known_hosts,
// an address ssh could read as an option refused, settings stored and read back per server.
#include "core/boxes/coolifyengine.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace bc;
using namespace bc::boxes;

class tst_CoolifyEngineAccess : public QObject
{
    Q_OBJECT
private slots:
    void endpointIsStrict()
    {
        coolify::CoolifyServer s;
        s.uuid = QStringLiteral("srv-1");
        s.name = QStringLiteral("main");
        s.ip = QStringLiteral("10.0.0.5");
        s.user = QStringLiteral("deploy");
        s.port = 2222;
        coolify::CoolifyEngineAccess a;
        a.serverUuid = s.uuid;
        a.enabled = true;
        a.identityFile = QStringLiteral("/keys/admin key");
        a.knownHostsFile = QStringLiteral("/etc/box/known_hosts");
        const auto e = CoolifyEngine::endpointFor(a, s);
        QVERIFY(e);
        QCOMPARE(e->toUrl(), QStringLiteral("ssh://deploy@10.0.0.5:2222"));
        const QStringList args = e->sshExtraArgs;
        QVERIFY(args.contains(QStringLiteral("StrictHostKeyChecking=yes")));
        QVERIFY(args.contains(QStringLiteral("BatchMode=yes")));
        QVERIFY(args.contains(QStringLiteral("IdentityFile=\"/keys/admin key\"")));
        QVERIFY(args.contains(QStringLiteral("UserKnownHostsFile=/etc/box/known_hosts")));
        // The strict options come first: ssh keeps the first value of each.
        QCOMPARE(args.indexOf(QStringLiteral("StrictHostKeyChecking=yes")), 1);
        s.user.clear();
        s.port = 0;
        a.identityFile.clear();
        a.knownHostsFile.clear();
        const auto plain = CoolifyEngine::endpointFor(a, s);
        QVERIFY(plain);
        QCOMPARE(plain->toUrl(), QStringLiteral("ssh://root@10.0.0.5:22"));
        QVERIFY(!plain->sshExtraArgs.join(u' ').contains(QLatin1String("IdentityFile")));
        for (const QString &bad :
             {QString(), QStringLiteral("-oProxyCommand=x"), QStringLiteral("a b")}) {
            s.ip = bad;
            const auto r = CoolifyEngine::endpointFor(a, s);
            QVERIFY(!r);
            QVERIFY(r.error().message().contains(QLatin1String("no usable address")));
        }
    }

    void settingsRoundTrip()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        coolify::CoolifyEngineAccess a;
        a.serverUuid = QStringLiteral("srv-a");
        a.enabled = true;
        a.identityFile = QStringLiteral("/k");
        coolify::CoolifyEngineAccess b;
        b.serverUuid = QStringLiteral("srv-b");
        b.knownHostsFile = QStringLiteral("/kh");
        coolify::CoolifyEngineAccess::save(settings, {a, b});
        const auto loaded = coolify::CoolifyEngineAccess::load(settings);
        QCOMPARE(loaded.size(), 2);
        QCOMPARE(loaded.value(0), a);
        QCOMPARE(loaded.value(1), b);
        coolify::CoolifyEngineAccess::save(settings, {b});
        QCOMPARE(coolify::CoolifyEngineAccess::load(settings).size(), 1);
    }

    void resourceFromLabels()
    {
        QMap<QString, QString> l{
            {QStringLiteral("coolify.managed"), QStringLiteral("true")},
            {QStringLiteral("com.docker.compose.project"), QStringLiteral("svc-uuid")}};
        QCOMPARE(CoolifyEngine::resourceOf(l), QStringLiteral("svc-uuid"));
        l.remove(QStringLiteral("com.docker.compose.project"));
        l.insert(QStringLiteral("coolify.type"), QStringLiteral("application"));
        l.insert(QStringLiteral("coolify.name"), QStringLiteral("app-uuid"));
        QCOMPARE(CoolifyEngine::resourceOf(l), QStringLiteral("app-uuid"));
        l.remove(QStringLiteral("coolify.managed"));
        QVERIFY(CoolifyEngine::resourceOf(l).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_CoolifyEngineAccess)
#include "tst_coolifyengineaccess.moc"
