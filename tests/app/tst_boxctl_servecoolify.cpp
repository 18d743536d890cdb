// ctest: labels=app;coolify timeout=180
// `boxctl serve --backend coolify` as processes against the fake Coolify: a box past its
// idle deadline is stopped, an expired one stopped and then deleted keeping its volumes (as
// its description says), each once although two services poll the same instance at the same
// time; each action is in the activity log with the acting service's identity, and the
// local webhook receiver gets each alert once. The boxes carry their policy as a Coolify
// deploy writes it (the description's "policy=IDLE/LIFETIME/DELETE/SOURCE").
#include "support/boxctlrunner.h"
#include "support/coolify/fakecoolify.h"
#include "support/testutil.h"
#include "support/webhookreceiver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace bc::test;

class tst_BoxctlServeCoolify : public QObject
{
    Q_OBJECT

    FakeCoolify m_fake;
    QTemporaryDir m_home;
    QProcessEnvironment m_env;

    QString seedApp(const QString &name, const QString &policy, bool keepData,
                    const QString &more = {})
    {
        QString description =
            QStringLiteral("box-console box; owner=%1; policy=%2").arg(name, policy);
        if (keepData)
            description += QStringLiteral("; keep-data=true");
        description += more;
        // Created an hour ago: every deadline of a second has passed.
        const QString created =
            QDateTime::currentDateTimeUtc().addSecs(-3600).toString(Qt::ISODateWithMs);
        return m_fake
            .control(QStringLiteral("app"),
                     {{QStringLiteral("name"), name},
                      {QStringLiteral("description"), description},
                      {QStringLiteral("created_at"), created},
                      {QStringLiteral("tags"), QJsonArray{QStringLiteral("box-console")}},
                      {QStringLiteral("status"), QStringLiteral("running:healthy")}})
            .object()
            .value(QStringLiteral("uuid"))
            .toString();
    }

    void startServe(QProcess &p, const QString &actor, const QString &hook)
    {
        QProcessEnvironment env = m_env;
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(boxctlPath(),
                {QStringLiteral("--coolify-url"), m_fake.url().toString(),
                 QStringLiteral("--backend"), QStringLiteral("coolify"), QStringLiteral("serve"),
                 QStringLiteral("--poll"), QStringLiteral("1"), QStringLiteral("--actor"), actor,
                 QStringLiteral("--webhook"), hook});
    }

    static QByteArray stopServe(QProcess &p, int *exitCode)
    {
        p.terminate();
        if (!p.waitForFinished(20000))
            p.kill();
        p.waitForFinished(5000);
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        return p.readAll();
    }

    QString appStatus(const QString &uuid)
    {
        return m_fake.inspect(QStringLiteral("state"))
            .object()
            .value(QStringLiteral("apps"))
            .toObject()
            .value(uuid)
            .toObject()
            .value(QStringLiteral("status"))
            .toString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_fake.start(), "the fake Coolify did not start");
        m_env = isolatedEnvironment(m_home.path());
        m_env.insert(QStringLiteral("BOX_SECRET_STORE"), QStringLiteral("file"));
        // A log of this test's own: what is in it is what the services did.
        m_env.insert(QStringLiteral("BOX_ACTIVITY_DB"),
                     m_home.filePath(QStringLiteral("activity.sqlite")));
        m_env.insert(QStringLiteral("COOLIFY_TOKEN"), QStringLiteral("5|rwd"));
        m_env.insert(QStringLiteral("DOCKER_HOST"),
                     QStringLiteral("unix://") + m_home.filePath(QStringLiteral("no.sock")));
        m_env.insert(QStringLiteral("COOLIFY_SERVER_UUID"), QStringLiteral("srv-main"));
        m_env.insert(QStringLiteral("COOLIFY_PROJECT_UUID"), QStringLiteral("proj-boxes"));
        m_env.insert(QStringLiteral("COOLIFY_ENV_NAME"), QStringLiteral("production"));
    }

    void twoServicesStopAndDeleteOnce()
    {
        const QString ida = seedApp(QStringLiteral("ida"), QStringLiteral("1/0/0/box"), false);
        const QString eve = seedApp(QStringLiteral("eve"), QStringLiteral("0/1/1/box"), true);
        // No policy: never touched.
        const QString nora = seedApp(QStringLiteral("nora"), QStringLiteral("0/0/0/box"), false);
        QVERIFY(!ida.isEmpty() && !eve.isEmpty() && !nora.isEmpty());

        WebhookReceiver receiver;
        QProcess a, b;
        startServe(a, QStringLiteral("svc-a"), receiver.url());
        startServe(b, QStringLiteral("svc-b"), receiver.url());
        QVERIFY(a.waitForStarted(10000) && b.waitForStarted(10000));

        const auto appGone = [this](const QString &uuid) {
            return !m_fake.inspect(QStringLiteral("state"))
                        .object()
                        .value(QStringLiteral("apps"))
                        .toObject()
                        .contains(uuid);
        };
        const bool settled = waitUntil(
            [&] {
                return appStatus(ida).startsWith(QLatin1String("exited")) && appGone(eve) &&
                       receiver.count(QStringLiteral("policy-delete"), QStringLiteral("eve")) > 0 &&
                       receiver.count(QStringLiteral("policy-idle-stop"), QStringLiteral("ida")) >
                           0;
            },
            60000);
        // A few more polls by both, to see that neither acts again.
        QTest::qWait(3000);
        int codeA = -1, codeB = -1;
        const QByteArray outA = stopServe(a, &codeA);
        const QByteArray outB = stopServe(b, &codeB);
        const QByteArray both = "svc-a:\n" + outA + "\nsvc-b:\n" + outB;
        QVERIFY2(settled, both.constData());
        QVERIFY2(codeA == 0 && codeB == 0, both.constData());

        QCOMPARE(m_fake.requestCount(QStringLiteral("/applications/%1/stop").arg(ida)), 1);
        QCOMPARE(m_fake.requestCount(QStringLiteral("/applications/%1/stop").arg(eve)), 1);
        int deletes = 0;
        for (const QJsonValue &r : m_fake.inspect(QStringLiteral("requests")).array())
            deletes += r[u"method"].toString() == u"DELETE" &&
                       r[u"path"].toString() == QStringLiteral("/applications/") + eve;
        QCOMPARE(deletes, 1);
        QCOMPARE(m_fake.requestCount(QStringLiteral("/applications/%1/stop").arg(nora)), 0);
        QVERIFY(appStatus(nora).startsWith(QLatin1String("running")));
        // keep-data=true in the description: the volumes stay.
        QCOMPARE(m_fake.inspect(QStringLiteral("state"))
                     .object()
                     .value(QStringLiteral("deletes"))
                     .toObject()
                     .value(eve)
                     .toObject()
                     .value(QStringLiteral("delete_volumes"))
                     .toString(),
                 QStringLiteral("false"));
        // The claims are gone with the actions: ida's description is as it was.
        const QString idaDescription = m_fake.inspect(QStringLiteral("state"))
                                           .object()
                                           .value(QStringLiteral("apps"))
                                           .toObject()
                                           .value(ida)
                                           .toObject()
                                           .value(QStringLiteral("description"))
                                           .toString();
        QVERIFY2(!idaDescription.contains(QStringLiteral("op=")), qPrintable(idaDescription));

        QCOMPARE(receiver.count(QStringLiteral("policy-idle-stop"), QStringLiteral("ida")), 1);
        QCOMPARE(receiver.count(QStringLiteral("policy-expire"), QStringLiteral("eve")), 1);
        QCOMPARE(receiver.count(QStringLiteral("policy-delete"), QStringLiteral("eve")), 1);
        QVERIFY2(receiver.duplicateIds().isEmpty(), qPrintable(receiver.duplicateIds().join(u' ')));

        // Both services write the one activity log of this host: each action once, by the
        // service that took it, and the chain verifies.
        const BoxctlRun log =
            runBoxctl({QStringLiteral("activity"), QStringLiteral("--json")}, m_env);
        QVERIFY2(log.exitCode == 0, qPrintable(log.describe()));
        QMap<QString, int> actions;
        for (const QJsonValue &r : log.json()[u"records"].toArray()) {
            const QString key = r[u"action"].toString() + u'/' + r[u"box"].toString();
            ++actions[key];
            QVERIFY2(r[u"result"].toString() == u"ok",
                     QJsonDocument(r.toObject()).toJson().constData());
            QVERIFY2(r[u"actor"].toString() == u"svc-a" || r[u"actor"].toString() == u"svc-b",
                     qPrintable(r[u"actor"].toString()));
            QVERIFY(r[u"backend"].toString().startsWith(QLatin1String("coolify")));
        }
        QCOMPARE(actions.value(QStringLiteral("policy-idle-stop/ida")), 1);
        QCOMPARE(actions.value(QStringLiteral("policy-expire/eve")), 1);
        QCOMPARE(actions.value(QStringLiteral("policy-delete/eve")), 1);
        QCOMPARE(actions.size(), 3);
        const BoxctlRun verify =
            runBoxctl({QStringLiteral("activity"), QStringLiteral("verify")}, m_env);
        QVERIFY2(verify.exitCode == 0, qPrintable(verify.describe()));
    }

    // A policy service killed between its claim and the action leaves its mark: recovery
    // (`boxctl gc`) takes the mark off and leaves the box as it is, where a deploy's mark
    // would have rolled the box back.
    void staleClaimIsClearedNotDeleted()
    {
        const QString dead = QSysInfo::machineHostName() + QStringLiteral(":999999999:1");
        const QString mark = QStringLiteral("; op=policy,0123abcd,%1,%2")
                                 .arg(dead)
                                 .arg(QDateTime::currentSecsSinceEpoch());
        const QString uuid =
            seedApp(QStringLiteral("sal"), QStringLiteral("0/0/0/box"), false, mark);
        QVERIFY(!uuid.isEmpty());
        const QString description =
            QStringLiteral("box-console box; owner=sal; policy=0/0/0/box") + mark;
        const auto app = [&] {
            return m_fake.inspect(QStringLiteral("state"))
                .object()
                .value(QStringLiteral("apps"))
                .toObject()
                .value(uuid)
                .toObject();
        };
        QCOMPARE(app().value(QStringLiteral("description")).toString(), description);
        const BoxctlRun r = runBoxctl({QStringLiteral("--coolify-url"), m_fake.url().toString(),
                                       QStringLiteral("--backend"), QStringLiteral("coolify"),
                                       QStringLiteral("gc")},
                                      m_env);
        // --backend coolify: the Docker engine (none here) is not asked.
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY2(r.out.contains("clear stale policy claim 0123abcd of sal"),
                 qPrintable(r.describe()));
        QCOMPARE(app().value(QStringLiteral("description")).toString(),
                 QStringLiteral("box-console box; owner=sal; policy=0/0/0/box"));
        QVERIFY(app().value(QStringLiteral("status")).toString().startsWith(u"running"));
        QCOMPARE(m_fake.requestCount(QStringLiteral("/applications/%1/stop").arg(uuid)), 0);
    }
};

QTEST_MAIN(tst_BoxctlServeCoolify)
#include "tst_boxctl_servecoolify.moc"
