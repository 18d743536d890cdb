// ctest: labels=app;docker;coolify timeout=300
// `boxctl --backend coolify exec` as a process: a Coolify box known to the fake Coolify,
// whose container runs on the local engine with the labels Coolify sets, is reached over a
// real sshd (the admin's consent in the settings, a vouched host key) and the command runs
// in that container, with its exit status and streams kept apart as `docker exec` keeps
// them. Without consent, or for a box no reachable engine runs, boxctl refuses and says why.
#include "core/coolify/coolifyengineaccess.h"
#include "support/boxctlrunner.h"
#include "support/coolify/coolifyenginefixture.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace bc;
using namespace bc::test;

class tst_BoxctlExecCoolify : public QObject
{
    Q_OBJECT

    CoolifyEngineFixture m_fixture;
    QTemporaryDir m_home;     // consent to reach srv-main's engine
    QTemporaryDir m_noAccess; // the same Coolify, no consent
    QString m_box;
    QString m_uuid;
    QString m_container;

    QProcessEnvironment environment(const QString &home) const
    {
        QProcessEnvironment env = isolatedEnvironment(home);
        env.insert(QStringLiteral("COOLIFY_TOKEN"), QLatin1String(CoolifyEngineFixture::Token));
        env.insert(QStringLiteral("COOLIFY_SERVER_UUID"),
                   QLatin1String(CoolifyEngineFixture::Server));
        // Box commands must not wander to the local engine by another way.
        env.insert(QStringLiteral("DOCKER_HOST"),
                   QStringLiteral("unix://") + home + QStringLiteral("/no.sock"));
        return env;
    }

    BoxctlRun exec(const QStringList &args, const QByteArray &input = {}, const QString &home = {})
    {
        const QString h = home.isEmpty() ? m_home.path() : home;
        return runBoxctl(QStringList{QStringLiteral("--backend"), QStringLiteral("coolify"),
                                     QStringLiteral("--coolify-url"),
                                     m_fixture.fake().url().toString(), QStringLiteral("exec")} +
                             args,
                         environment(h), input, 90000);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dockerAvailable());
        QVERIFY(m_home.isValid() && m_noAccess.isValid());
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        const security::BoxSpec spec = CoolifyEngineFixture::boxSpec(QStringLiteral("cfx"));
        m_box = spec.name;
        const auto uuid = m_fixture.deploy(spec);
        QVERIFY2(uuid.ok(), qPrintable(uuid.ok() ? QString() : uuid.error().toString()));
        m_uuid = uuid.value();
        const auto container = m_fixture.runDeployed(m_uuid, m_box, boxTestImage(), {});
        QVERIFY2(container.ok(),
                 qPrintable(container.ok() ? QString() : container.error().toString()));
        m_container = container.value();

        // The admin's consent, as the console's Settings → Coolify → Engine access saves it.
        coolify::CoolifyEngineAccess access;
        access.serverUuid = QLatin1String(CoolifyEngineFixture::Server);
        access.enabled = true;
        access.identityFile = m_fixture.sshd().clientKey();
        access.knownHostsFile = m_fixture.sshd().knownHosts();
        QSettings settings(m_home.filePath(QStringLiteral(".config/box-console/box-console.conf")),
                           QSettings::IniFormat);
        coolify::CoolifyEngineAccess::save(settings, {access});
        settings.sync();
        QCOMPARE(settings.status(), QSettings::NoError);
    }

    void cleanupTestCase() { m_fixture.stop(); }

    // By name and by Coolify's uuid: the command runs in the box's container (its host
    // name is the container's id), with the command's status and separate streams.
    void runsInTheBoxContainer()
    {
        for (const QString &which : {m_box, m_uuid}) {
            BoxctlRun r =
                exec({which, QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
                      QStringLiteral("hostname; echo to-err >&2; exit 3")});
            QCOMPARE(r.exitCode, 3);
            QCOMPARE(r.out, m_container.left(12).toUtf8() + '\n');
            QCOMPARE(r.err, QByteArray("to-err\n"));
        }
        const BoxctlRun id = exec({m_box, QStringLiteral("id"), QStringLiteral("-u")});
        QVERIFY2(id.exitCode == 0, qPrintable(id.describe()));
        QCOMPARE(id.out.trimmed(), QByteArray("1000")); // the box's user, not root
    }

    void stdinWithInteractive()
    {
        const BoxctlRun r =
            exec({QStringLiteral("-i"), m_box, QStringLiteral("cat")}, "line one\nline two\n");
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.out, QByteArray("line one\nline two\n"));
    }

    void unknownBoxFails()
    {
        const BoxctlRun r = exec({QStringLiteral("cfx-nobody"), QStringLiteral("true")});
        QVERIFY2(r.exitCode == 1 && r.out.isEmpty(), qPrintable(r.describe()));
        QVERIFY2(r.err.contains("no container of cfx-nobody"), qPrintable(r.describe()));
    }

    // No consent for any server: refused before anything is reached, saying where to allow it.
    void withoutEngineAccessRefuses()
    {
        const BoxctlRun r = exec({m_box, QStringLiteral("true")}, {}, m_noAccess.path());
        QVERIFY2(r.exitCode == 2 && r.out.isEmpty(), qPrintable(r.describe()));
        QVERIFY2(r.err.contains("Engine access"), qPrintable(r.describe()));
    }
};

QTEST_GUILESS_MAIN(tst_BoxctlExecCoolify)
#include "tst_boxctl_execcoolify.moc"
