// ctest: labels=app;docker timeout=300
// `boxctl events` follows the engine across a restart: a notice on stderr when the stream
// is lost and when it is back, then events again, each printed once; with --no-reconnect
// it ends when the engine goes away, as `docker events` does. The engine restarted here is
// a private dockerd this test starts on its own socket, data-root, exec-root, pidfile and
// bridge: the shared engine is never touched.
#include "support/boxctlrunner.h"
#include "support/privatedockerd.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace bc::test;

class tst_BoxctlEvents : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    std::unique_ptr<PrivateDockerd> m_daemon;

    // Starts `boxctl events` against the private daemon.
    void startEvents(QProcess &p, const QStringList &extra)
    {
        QProcessEnvironment env = isolatedEnvironment(m_home.path());
        env.insert(QStringLiteral("DOCKER_HOST"), m_daemon->host());
        p.setProcessEnvironment(env);
        p.start(boxctlPath(),
                QStringList{QStringLiteral("events"), QStringLiteral("--json"),
                            QStringLiteral("--filter"), QStringLiteral("type=volume")} +
                    extra);
        QVERIFY(p.waitForStarted(10000));
    }

    // Volume events need no image: create one and wait until boxctl printed its event. A
    // volume created before boxctl's subscription is up is never reported (no --since), and
    // on a loaded machine the process may take seconds to get there: so a new volume every
    // few seconds until one is seen. Returns the name seen, empty if none was.
    QString createVolumeAndSee(QProcess &p, QByteArray &seen, const QString &base)
    {
        QDeadlineTimer deadline(40000);
        for (int attempt = 1; !deadline.hasExpired(); ++attempt) {
            const QString name = base + QLatin1Char('-') + QString::number(attempt);
            int code = -1;
            m_daemon->docker({QStringLiteral("volume"), QStringLiteral("create"), name}, &code);
            if (code != 0)
                return {};
            QDeadlineTimer retry(4000);
            while (!retry.hasExpired() && !deadline.hasExpired()) {
                p.waitForReadyRead(200);
                seen += p.readAllStandardOutput();
                if (seen.contains(name.toUtf8()))
                    return name;
            }
        }
        return {};
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(geteuid() == 0, "a private dockerd needs root");
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("dockerd")).isEmpty(),
                 "dockerd is not installed");
        m_daemon = std::make_unique<PrivateDockerd>(QStringLiteral("ev"),
                                                    QStringLiteral("10.213.215.1/24"));
        QVERIFY2(m_daemon->start(), qPrintable(m_daemon->log()));
    }

    void followsAcrossRestart()
    {
        QProcess p;
        startEvents(p, {});
        QByteArray out;
        const QString beforeName = createVolumeAndSee(p, out, QStringLiteral("bc-ev-before"));
        QVERIFY2(!beforeName.isEmpty(),
                 qPrintable(QString::fromUtf8(out + p.readAllStandardError())));

        m_daemon->stop();
        QDeadlineTimer lost(15000);
        QByteArray err;
        while (!err.contains("lost the engine") && !lost.hasExpired()) {
            p.waitForReadyRead(200);
            err += p.readAllStandardError();
        }
        QVERIFY2(err.contains("lost the engine"), err.constData());
        QCOMPARE(p.state(), QProcess::Running);

        QVERIFY2(m_daemon->start(), qPrintable(m_daemon->log()));
        QDeadlineTimer back(20000);
        while (!err.contains("reconnected") && !back.hasExpired()) {
            p.waitForReadyRead(200);
            err += p.readAllStandardError();
        }
        QVERIFY2(err.contains("reconnected"), err.constData());
        QVERIFY2(!createVolumeAndSee(p, out, QStringLiteral("bc-ev-after")).isEmpty(),
                 out.constData());
        p.terminate();
        QVERIFY(p.waitForFinished(10000));
        out += p.readAllStandardOutput();

        // Every line is one event object; the one before the restart is not repeated.
        int before = 0;
        for (const QByteArray &line : out.split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonObject e = QJsonDocument::fromJson(line).object();
            QVERIFY2(e.value(u"Type").toString() == u"volume", line.constData());
            QVERIFY(e.value(u"timeNano").toDouble() > 0);
            QVERIFY(e.value(u"Actor").toObject().contains(u"ID"));
            if (e[u"Actor"][u"ID"].toString() == beforeName && e[u"Action"].toString() == u"create")
                ++before;
        }
        QCOMPARE(before, 1);
    }

    void noReconnectEndsWithTheEngine()
    {
        QProcess p;
        startEvents(p, {QStringLiteral("--no-reconnect")});
        QByteArray out;
        QVERIFY2(!createVolumeAndSee(p, out, QStringLiteral("bc-ev-once")).isEmpty(),
                 qPrintable(QString::fromUtf8(out + p.readAllStandardError())));
        m_daemon->stop();
        QVERIFY2(p.waitForFinished(15000), "boxctl events --no-reconnect kept running");
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(!err.contains("reconnecting"), err.constData());
        QVERIFY2(p.exitCode() == 0 || p.exitCode() == 1, err.constData());
        QVERIFY2(m_daemon->start(), qPrintable(m_daemon->log()));
    }

    void cleanupTestCase() { m_daemon.reset(); }
};

QTEST_GUILESS_MAIN(tst_BoxctlEvents)
#include "tst_boxctl_events.moc"
