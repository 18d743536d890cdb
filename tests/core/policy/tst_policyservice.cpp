// ctest: labels=docker;slow timeout=420
// The headless policy service as it is deployed: `boxctl serve` processes against the
// real engine, boxes with second-long policies in their labels, a webhook receiver on
// loopback. Checks what the engine and the activity log say happened: an idle box stopped
// once, an expired box stopped then deleted with its data kept, a keep-alive moving the
// idle stop, two instances and a restarted instance acting once, each alert delivered
// once, and a webhook that never answers not delaying a stop.
#include "support/boxctlrunner.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"
#include "support/webhookreceiver.h"

#include "core/activity/activitylog.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace bc::test;

class tst_PolicyService : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QProcessEnvironment m_env;
    QString m_db;
    std::unique_ptr<LabelledCleanup> m_cleanup;
    QList<QProcess *> m_services;
    QStringList m_boxes;

    QProcess *startService(const QStringList &webhooks)
    {
        auto *p = new QProcess(this);
        p->setProcessEnvironment(m_env);
        p->setProcessChannelMode(QProcess::MergedChannels);
        QStringList args{QStringLiteral("--backend"), QStringLiteral("docker"),
                         QStringLiteral("serve"), QStringLiteral("--lease-ttl"),
                         QStringLiteral("6")};
        for (const QString &w : webhooks)
            args << QStringLiteral("--webhook") << w;
        p->start(boxctlPath(), args);
        p->waitForStarted();
        m_services << p;
        return p;
    }
    void stopServices()
    {
        for (QProcess *p : std::as_const(m_services)) {
            if (p->state() != QProcess::NotRunning) {
                p->terminate();
                if (!p->waitForFinished(10000))
                    p->kill();
                p->waitForFinished(2000);
            }
            const QByteArray out = p->readAll();
            if (QTest::currentTestFailed())
                qWarning("service output:\n%s", out.constData());
            p->deleteLater();
        }
        m_services.clear();
    }

    // A box container as a deploy leaves it, with its policy in labels, the agent's
    // marker on a tmpfs /tmp and a health check every second.
    QString createBox(const QString &prefix, const QMap<QString, QString> &policy,
                      bool withData = false)
    {
        const QString name = uniqueName(prefix);
        m_boxes << name;
        QStringList args{QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"),
                         name};
        QMap<QString, QString> labels = policy;
        labels.insert(QStringLiteral("box-console.test"), QStringLiteral("1"));
        labels.insert(QStringLiteral("box-console.box"), name);
        labels.insert(QStringLiteral("box-console.role"), QStringLiteral("container"));
        for (auto it = labels.cbegin(); it != labels.cend(); ++it)
            args << QStringLiteral("--label") << it.key() + QLatin1Char('=') + it.value();
        if (withData) {
            runDocker({QStringLiteral("volume"), QStringLiteral("create"),
                       QStringLiteral("--label"), testLabel(), QStringLiteral("--label"),
                       QStringLiteral("box-console.box=") + name, QStringLiteral("--label"),
                       QStringLiteral("box-console.role=volume"),
                       name + QStringLiteral("-config")});
            args << QStringLiteral("-v") << name + QStringLiteral("-config:/data");
        }
        args << QStringLiteral("--tmpfs") << QStringLiteral("/tmp:uid=1000")
             << QStringLiteral("--health-interval=1s") << QStringLiteral("--network")
             << QStringLiteral("none") << boxTestImage();
        int code = -1;
        QString err;
        runDocker(args, &code, &err);
        if (code != 0)
            qWarning("docker run: %s", qPrintable(err));
        return name;
    }
    QString state(const QString &name)
    {
        int code = -1;
        const QString s = runDocker({QStringLiteral("inspect"), QStringLiteral("-f"),
                                     QStringLiteral("{{.State.Status}}"), name},
                                    &code);
        return code == 0 ? s : QStringLiteral("gone");
    }
    QDateTime timeOf(const QString &name, const QString &field)
    {
        return QDateTime::fromString(
            runDocker({QStringLiteral("inspect"), QStringLiteral("-f"),
                       QStringLiteral("{{.State.") + field + QStringLiteral("}}"), name}),
            Qt::ISODateWithMs);
    }
    int records(const QString &action, const QString &box)
    {
        bc::activity::ActivityLog log(m_db);
        bc::activity::ActivityFilter f;
        f.action = action;
        f.box = box;
        const auto r = log.query(f);
        if (!r)
            return -1;
        for (const auto &rec : *r)
            if (!rec.actor.startsWith(QLatin1String("policy-service@")) &&
                action.startsWith(QLatin1String("policy-")))
                return -2;
        return int(r->size());
    }
    // `docker events` for the boxes of this test, from now on.
    QProcess *followEvents()
    {
        auto *p = new QProcess(this);
        p->start(QStringLiteral("docker"),
                 {QStringLiteral("events"), QStringLiteral("--filter"),
                  QStringLiteral("label=") + testLabel(), QStringLiteral("--filter"),
                  QStringLiteral("type=container"), QStringLiteral("--format"),
                  QStringLiteral("{{.Action}} {{.Actor.Attributes.name}}")});
        p->waitForStarted();
        spinEventLoop(300);
        return p;
    }
    static int countEvents(QProcess *p, QByteArray *all, const QString &action, const QString &box)
    {
        *all += p->readAllStandardOutput();
        int n = 0;
        for (const QByteArray &line : all->split('\n'))
            if (QString::fromUtf8(line).trimmed() == action + QLatin1Char(' ') + box)
                ++n;
        return n;
    }
    void removeBoxLeftovers()
    {
        for (const QString &b : std::as_const(m_boxes)) {
            runDocker({QStringLiteral("rm"), QStringLiteral("-f"), b});
            for (const QString &v : {QString(b + QStringLiteral("-config")),
                                     QString(QStringLiteral("box-console-kept.") + b)})
                runDocker(
                    {QStringLiteral("volume"), QStringLiteral("rm"), QStringLiteral("-f"), v});
            const QStringList ka =
                runDocker({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q"),
                           QStringLiteral("--filter"),
                           QStringLiteral("label=box-console.keepalive-box=") + b})
                    .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
            if (!ka.isEmpty())
                runDocker(QStringList{QStringLiteral("volume"), QStringLiteral("rm"),
                                      QStringLiteral("-f")} +
                          ka);
        }
        m_boxes.clear();
        runDocker({QStringLiteral("rm"), QStringLiteral("-f"),
                   QStringLiteral("box-console-policy-lease")});
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(dockerAvailable(), "no Docker engine");
        QVERIFY(m_home.isValid());
        m_cleanup = std::make_unique<LabelledCleanup>();
        m_env = isolatedEnvironment(m_home.path());
        m_db = m_home.filePath(QStringLiteral("activity.sqlite"));
        m_env.insert(QStringLiteral("BOX_ACTIVITY_DB"), m_db);
        runDocker({QStringLiteral("rm"), QStringLiteral("-f"),
                   QStringLiteral("box-console-policy-lease")});
    }
    void cleanup()
    {
        stopServices();
        removeBoxLeftovers();
    }
    void cleanupTestCase() { m_cleanup.reset(); }

    // Idle stop within seconds of the deadline, recorded and alerted once, while a second
    // webhook accepts connections and never answers.
    void idleBoxIsStopped()
    {
        WebhookReceiver receiver;
        WebhookReceiver hanging({0});
        const QString box =
            createBox(QStringLiteral("pol-idle"),
                      {{QStringLiteral("box-console.policy.idle-stop"), QStringLiteral("3")}});
        const QString busy =
            createBox(QStringLiteral("pol-busy"),
                      {{QStringLiteral("box-console.policy.idle-stop"), QStringLiteral("4")}});
        startService({hanging.url(), receiver.url()});
        // The busy box's agent reports activity every second meanwhile.
        QDeadlineTimer busyFor(7000);
        while (!busyFor.hasExpired()) {
            runDocker({QStringLiteral("exec"), busy, QStringLiteral("touch"),
                       QStringLiteral("/tmp/.box-activity")});
            spinEventLoop(700);
        }
        QCOMPARE(state(box), QStringLiteral("exited"));
        QCOMPARE(state(busy), QStringLiteral("running"));
        // The deadline is 3 s after the start (no activity reported): acted within 30 s of
        // it, and in fact within a few seconds, the hanging webhook notwithstanding.
        const QDateTime deadline = timeOf(box, QStringLiteral("StartedAt")).addSecs(3);
        const qint64 lateMs = deadline.msecsTo(timeOf(box, QStringLiteral("FinishedAt")));
        qInfo("idle stop %lld ms after its deadline", lateMs);
        QVERIFY2(lateMs >= 0 && lateMs < 8000, qPrintable(QString::number(lateMs)));
        QVERIFY(
            waitUntil([&] { return records(QStringLiteral("policy-idle-stop"), box) == 1; }, 5000));
        QVERIFY(waitUntil(
            [&] { return receiver.count(QStringLiteral("policy-idle-stop"), box) == 1; }, 10000));
        // Once the activity stops, the busy box goes too.
        QTRY_COMPARE_WITH_TIMEOUT(state(busy), QStringLiteral("exited"), 20000);
        spinEventLoop(1500);
        QCOMPARE(records(QStringLiteral("policy-idle-stop"), box), 1);
        QCOMPARE(records(QStringLiteral("policy-idle-stop"), busy), 1);
        QCOMPARE(receiver.count(QStringLiteral("policy-idle-stop"), box), 1);
        QCOMPARE(receiver.count(QStringLiteral("policy-idle-stop"), busy), 1);
        QVERIFY(receiver.duplicateIds().isEmpty());
    }

    void expiredBoxIsStoppedThenDeletedKeepingData()
    {
        WebhookReceiver receiver;
        const QString box = createBox(
            QStringLiteral("pol-exp"),
            {{QStringLiteral("box-console.policy.max-lifetime"), QStringLiteral("3")},
             {QStringLiteral("box-console.policy.delete-after-stopped"), QStringLiteral("3")},
             {QStringLiteral("box-console.keep-data"), QStringLiteral("true")}},
            true);
        QCOMPARE(state(box), QStringLiteral("running"));
        startService({receiver.url()});
        QTRY_COMPARE_WITH_TIMEOUT(state(box), QStringLiteral("exited"), 15000);
        QCOMPARE(records(QStringLiteral("policy-expire"), box), 1);
        QTRY_COMPARE_WITH_TIMEOUT(state(box), QStringLiteral("gone"), 20000);
        QVERIFY(
            waitUntil([&] { return records(QStringLiteral("policy-delete"), box) == 1; }, 5000));
        // keep-data: the data volume is still there.
        int code = -1;
        runDocker(
            {QStringLiteral("volume"), QStringLiteral("inspect"), box + QStringLiteral("-config")},
            &code);
        QCOMPARE(code, 0);
        QVERIFY(waitUntil([&] { return receiver.count(QStringLiteral("policy-delete"), box) == 1; },
                          10000));
        QCOMPARE(receiver.count(QStringLiteral("policy-expire"), box), 1);
        QCOMPARE(records(QStringLiteral("policy-idle-stop"), box), 0);
    }

    void keepAliveMovesTheDeadline()
    {
        const QString box =
            createBox(QStringLiteral("pol-ka"),
                      {{QStringLiteral("box-console.policy.idle-stop"), QStringLiteral("2")}});
        startService({});
        const BoxctlRun ka = runBoxctl({QStringLiteral("--backend"), QStringLiteral("docker"),
                                        QStringLiteral("keepalive"), box, QStringLiteral("--for"),
                                        QStringLiteral("9s")},
                                       m_env);
        QVERIFY2(ka.exitCode == 0, qPrintable(ka.describe()));
        const QDateTime until = QDateTime::currentDateTimeUtc().addSecs(9);
        QCOMPARE(records(QStringLiteral("keepalive"), box), 1);
        // Without the keep-alive it would have stopped 2 s after its start.
        spinEventLoop(5000);
        QCOMPARE(state(box), QStringLiteral("running"));
        QTRY_COMPARE_WITH_TIMEOUT(state(box), QStringLiteral("exited"), 15000);
        const QDateTime stopped = timeOf(box, QStringLiteral("FinishedAt"));
        QVERIFY2(stopped >= until.addSecs(-1), qPrintable(stopped.toString(Qt::ISODateWithMs)));
        QCOMPARE(records(QStringLiteral("policy-idle-stop"), box), 1);
        // Bad input is refused naming the flag.
        const BoxctlRun bad = runBoxctl({QStringLiteral("--backend"), QStringLiteral("docker"),
                                         QStringLiteral("keepalive"), box, QStringLiteral("--for"),
                                         QStringLiteral("-5m")},
                                        m_env);
        QVERIFY(bad.exitCode != 0);
        QVERIFY2(bad.err.contains("--for"), bad.err.constData());
    }

    // Two instances at once: one stop, one delete, one record and one alert per box, as the
    // engine's own event stream counts them.
    void twoInstancesActOnce()
    {
        WebhookReceiver receiver;
        QProcess *events = followEvents();
        QByteArray seen;
        QStringList idle;
        for (int i = 0; i < 3; ++i)
            idle << createBox(
                QStringLiteral("pol-two"),
                {{QStringLiteral("box-console.policy.idle-stop"), QStringLiteral("3")},
                 {QStringLiteral("box-console.policy.delete-after-stopped"), QStringLiteral("2")}});
        // A box whose process fails: a "died" alert, once.
        const QString dying = uniqueName(QStringLiteral("pol-die"));
        m_boxes << dying;
        runDocker({QStringLiteral("create"), QStringLiteral("--name"), dying,
                   QStringLiteral("--label"), testLabel(), QStringLiteral("--label"),
                   QStringLiteral("box-console.box=") + dying, QStringLiteral("--label"),
                   QStringLiteral("box-console.role=container"), QStringLiteral("--network"),
                   QStringLiteral("none"), testImage(), QStringLiteral("sh"), QStringLiteral("-c"),
                   QStringLiteral("sleep 4; exit 3")});
        startService({receiver.url()});
        startService({receiver.url()});
        runDocker({QStringLiteral("start"), dying});
        for (const QString &b : std::as_const(idle))
            QTRY_COMPARE_WITH_TIMEOUT(state(b), QStringLiteral("gone"), 30000);
        QVERIFY(
            waitUntil([&] { return receiver.count(QStringLiteral("died"), dying) >= 1; }, 15000));
        spinEventLoop(3000); // room for a second instance's late duplicate
        for (const QString &b : std::as_const(idle)) {
            QCOMPARE(countEvents(events, &seen, QStringLiteral("stop"), b), 1);
            QCOMPARE(countEvents(events, &seen, QStringLiteral("destroy"), b), 1);
            QCOMPARE(records(QStringLiteral("policy-idle-stop"), b), 1);
            QCOMPARE(records(QStringLiteral("policy-delete"), b), 1);
            QCOMPARE(receiver.count(QStringLiteral("policy-idle-stop"), b), 1);
            QCOMPARE(receiver.count(QStringLiteral("policy-delete"), b), 1);
        }
        QCOMPARE(receiver.count(QStringLiteral("died"), dying), 1);
        QVERIFY(receiver.duplicateIds().isEmpty());
        events->kill();
        events->waitForFinished(2000);
    }

    // A service killed while it waits for a deadline: its successor acts, once.
    void restartMidWaitActsOnce()
    {
        WebhookReceiver receiver;
        QProcess *events = followEvents();
        QByteArray seen;
        const QString box =
            createBox(QStringLiteral("pol-rst"),
                      {{QStringLiteral("box-console.policy.idle-stop"), QStringLiteral("6")}});
        QProcess *first = startService({receiver.url()});
        spinEventLoop(2500);
        QCOMPARE(state(box), QStringLiteral("running"));
        ::kill(pid_t(first->processId()), SIGKILL); // no chance to release its lease
        first->waitForFinished(5000);
        startService({receiver.url()});
        QTRY_COMPARE_WITH_TIMEOUT(state(box), QStringLiteral("exited"), 20000);
        const qint64 lateMs = timeOf(box, QStringLiteral("StartedAt"))
                                  .addSecs(6)
                                  .msecsTo(timeOf(box, QStringLiteral("FinishedAt")));
        QVERIFY2(lateMs >= 0 && lateMs < 30000, qPrintable(QString::number(lateMs)));
        spinEventLoop(2000);
        QCOMPARE(countEvents(events, &seen, QStringLiteral("stop"), box), 1);
        QCOMPARE(records(QStringLiteral("policy-idle-stop"), box), 1);
        QVERIFY(waitUntil(
            [&] { return receiver.count(QStringLiteral("policy-idle-stop"), box) == 1; }, 10000));
        events->kill();
        events->waitForFinished(2000);
    }
};

QTEST_GUILESS_MAIN(tst_PolicyService)
#include "tst_policyservice.moc"
