// ctest: labels=docker;dockerd-restart timeout=400
// The console's own list across an engine restart: the real MainWindow, BoxListModel and
// BoxMonitor watch a private dockerd (tests/support/privatedockerd: stopping it cuts off
// nobody else), which is stopped and started again while boxes are created, removed,
// recreated under the same name, started and stopped around and during the outage. Without
// restarting the console (and with the periodic re-list pushed out of the way), the list
// must afterwards show exactly what the engine has: every row, every id, every state.
#include "core/boxes/boxmonitor.h"
#include "core/boxes/boxtestsupport.h"
#include "core/boxes/dockerbackend.h"
#include "support/dockerfixture.h"
#include "support/privatedockerd.h"
#include "support/testutil.h"
#include "ui/mainwindow.h"
#include "ui/models/boxlistmodel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace bc;
using boxes::BoxInfo;

namespace {

http::Endpoint unixEndpoint(const QString &path)
{
    http::Endpoint e;
    e.transport = http::Endpoint::Transport::Unix;
    e.socketPath = path;
    return e;
}

// name -> "<id12> <state>", the shape both sides are compared in.
using Listing = QMap<QString, QString>;

QString describe(const Listing &l)
{
    QStringList out;
    for (auto it = l.cbegin(); it != l.cend(); ++it)
        out << it.key() + QLatin1Char('=') + it.value();
    return out.join(QStringLiteral(", "));
}

} // namespace

class tst_ConsoleDockerdRestart final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    std::unique_ptr<test::PrivateDockerd> m_daemon;
    std::unique_ptr<boxes::BoxMonitor> m_monitor;
    QPointer<boxes::DockerBackend> m_backend;
    std::unique_ptr<ui::MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    // The other client. Its calls run while the console's event loop keeps turning, so
    // they interleave with the console's reconnect as another admin's would.
    QString docker(const QStringList &args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DOCKER_CONTEXT"));
        env.insert(QStringLiteral("DOCKER_HOST"), m_daemon->host());
        p.setProcessEnvironment(env);
        p.start(QStringLiteral("docker"), args);
        const bool done =
            p.waitForStarted(10000) &&
            test::waitUntil([&] { return p.state() == QProcess::NotRunning; }, 120000);
        if (!done || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            qWarning("docker %s: %s", qPrintable(args.join(QLatin1Char(' '))),
                     qPrintable(QString::fromUtf8(p.readAllStandardError())));
        return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    }

    // A box as the engine knows it: labelled, no network, a shell that ends on SIGTERM.
    QString box(const QString &name, bool start, const QStringList &extra = {})
    {
        QStringList args{start ? QStringLiteral("run") : QStringLiteral("create")};
        if (start)
            args << QStringLiteral("-d");
        args << QStringLiteral("--label") << QStringLiteral("box-console.box=") + name
             << QStringLiteral("--label") << test::testLabel() << QStringLiteral("--network")
             << QStringLiteral("none") << QStringLiteral("--name") << name << extra
             << test::testImage() << QStringLiteral("sh") << QStringLiteral("-c")
             << QStringLiteral("trap 'exit 0' TERM; while true; do sleep 1; done");
        return docker(args).left(12);
    }

    Listing engineTruth()
    {
        const QString out =
            docker({QStringLiteral("ps"), QStringLiteral("-a"), QStringLiteral("--no-trunc"),
                    QStringLiteral("--filter"), QStringLiteral("label=box-console.box"),
                    QStringLiteral("--format"),
                    QStringLiteral("{{.Label \"box-console.box\"}} {{.ID}} "
                                   "{{.State}}")});
        Listing l;
        for (const QString &line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const QStringList f = line.split(QLatin1Char(' '));
            if (f.size() == 3)
                l.insert(f[0], f[1].left(12) + QLatin1Char(' ') + f[2]);
        }
        return l;
    }

    Listing consoleRows() const
    {
        Listing l;
        const ui::BoxListModel *m = m_window->model();
        for (int r = 0; r < m->rowCount(); ++r) {
            const BoxInfo &b = m->boxAt(r);
            const QString state = b.state == BoxInfo::State::Running   ? QStringLiteral("running")
                                  : b.state == BoxInfo::State::Created ? QStringLiteral("created")
                                  : b.state == BoxInfo::State::Exited  ? QStringLiteral("exited")
                                                                      : BoxInfo::stateName(b.state);
            // Two rows for one name would be a stale row next to its successor.
            const QString key = l.contains(b.name) ? b.name + QStringLiteral("#dup") : b.name;
            l.insert(key, b.id.left(12) + QLatin1Char(' ') + state);
        }
        return l;
    }

    bool connectedNow() const
    {
        return m_monitor->isConnected(m_backend->id()) &&
               m_window->connectionText(m_backend->id()).indexOf(QLatin1String("retrying")) < 0;
    }

    // SIGTERM to this daemon's own pid, as a service stop does; the console's event loop
    // keeps turning while the engine shuts down.
    void stopDaemon()
    {
        QFile pidFile(m_daemon->runDir() + QStringLiteral("/docker.pid"));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const pid_t pid = pid_t(pidFile.readAll().trimmed().toInt());
        QVERIFY(pid > 1);
        QVERIFY(::kill(pid, SIGTERM) == 0);
        QVERIFY(test::waitUntil([&] { return ::kill(pid, 0) != 0; }, 60000));
        m_daemon->stop(); // reaps it
    }

    // The console must follow to exactly `expected`, which must also be the engine's truth.
    void expectExactly(const Listing &expected, const char *when)
    {
        QCOMPARE(describe(engineTruth()), describe(expected));
        QElapsedTimer t;
        t.start();
        const bool same =
            test::waitUntil([&] { return connectedNow() && consoleRows() == expected; }, 60000);
        QVERIFY2(same, qPrintable(QStringLiteral("%1: console [%2], engine [%3], connection: %4")
                                      .arg(QLatin1String(when), describe(consoleRows()),
                                           describe(engineTruth()),
                                           m_window->connectionText(m_backend->id()))));
        qInfo("%s: the list was exact %lld ms after the changes", when, t.elapsed());
        // And it stays so: no late, stale update undoes it.
        test::spinEventLoop(1500);
        QCOMPARE(describe(consoleRows()), describe(expected));
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(test::dockerAvailable(), "no Docker engine (the test image comes from it)");
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
        qputenv("BOX_CONSOLE_STATE_DIR", m_home.filePath(QStringLiteral("state")).toUtf8());
        qputenv("BOX_SECRET_STORE", "file");
        m_daemon = std::make_unique<test::PrivateDockerd>(QStringLiteral("cw"),
                                                          QStringLiteral("10.219.71.1/24"));
        QVERIFY2(m_daemon->start(), qPrintable(m_daemon->log()));
        // The image comes from the main engine, never from a registry.
        QTemporaryDir dir;
        const QString tar = dir.path() + QStringLiteral("/image.tar");
        int code = -1;
        QString errors;
        test::runDocker({QStringLiteral("save"), QStringLiteral("-o"), tar, test::testImage()},
                        &code, &errors);
        QVERIFY2(code == 0, qPrintable(errors));
        m_daemon->docker({QStringLiteral("load"), QStringLiteral("-q"), QStringLiteral("-i"), tar},
                         &code, &errors);
        QVERIFY2(code == 0, qPrintable(errors));

        m_monitor = std::make_unique<boxes::BoxMonitor>();
        // Only the reconnect may bring the list back: the periodic re-list would hide a
        // monitor that misses what changed while the engine was away.
        m_monitor->setResyncInterval(3600 * 1000);
        m_monitor->setStatsInterval(1000);
        m_backend = new boxes::DockerBackend(unixEndpoint(m_daemon->socketPath()),
                                             test::boxes::testOptions(), m_monitor.get());
        m_monitor->addBackend(m_backend);
        m_monitor->start();
        m_window = std::make_unique<ui::MainWindow>(m_monitor.get());
        m_window->backendsChanged();
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_window->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(connectedNow(), 15000);
    }

    void cleanupTestCase()
    {
        if (m_monitor) {
            m_monitor->stop();
            test::spinEventLoop(500);
        }
        m_tester.reset();
        m_window.reset();
        m_monitor.reset();
        m_daemon.reset(); // stops it, removes its data-root and bridge: nothing is left
    }

    // Stopped, then started again; as soon as it answers, another client changes boxes
    // while the console is still waiting to reconnect.
    void changesWhileTheEngineComesBack()
    {
        Listing expected;
        box(QStringLiteral("cw-keeps"), true,
            {QStringLiteral("--restart"), QStringLiteral("always")});
        box(QStringLiteral("cw-stopped"), true); // no restart policy: exited after the restart
        box(QStringLiteral("cw-removed"), true);
        box(QStringLiteral("cw-recreated"), false);
        box(QStringLiteral("cw-started"), false);
        expectExactly(engineTruth(), "before the restart");
        QCOMPARE(consoleRows().size(), 5);

        stopDaemon();
        QTRY_VERIFY_WITH_TIMEOUT(!connectedNow(), 20000);
        // Rows stay while the engine is away (the console says it is retrying).
        QCOMPARE(consoleRows().size(), 5);

        QVERIFY2(m_daemon->start(), qPrintable(m_daemon->log()));
        docker({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("cw-removed")});
        docker({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("cw-recreated")});
        const QString recreated = box(QStringLiteral("cw-recreated"), true);
        const QString added = box(QStringLiteral("cw-added"), true);
        docker({QStringLiteral("start"), QStringLiteral("cw-started")});

        expected = engineTruth();
        QCOMPARE(expected.size(), 5);
        QVERIFY(expected.value(QStringLiteral("cw-keeps")).endsWith(QLatin1String(" running")));
        QVERIFY(expected.value(QStringLiteral("cw-stopped")).endsWith(QLatin1String(" exited")));
        QVERIFY(!expected.contains(QStringLiteral("cw-removed")));
        QCOMPARE(expected.value(QStringLiteral("cw-recreated")),
                 recreated + QStringLiteral(" running"));
        QCOMPARE(expected.value(QStringLiteral("cw-added")), added + QStringLiteral(" running"));
        QVERIFY(expected.value(QStringLiteral("cw-started")).endsWith(QLatin1String(" running")));
        expectExactly(expected, "changes while the engine came back");
    }

    // Changes sent right before the engine goes down (their events may never reach the
    // console), then a restart after which nothing else happens.
    void changesRightBeforeTheEngineStops()
    {
        const QString fresh = box(QStringLiteral("cw-late"), false);
        QVERIFY(!fresh.isEmpty());
        docker({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("cw-added")});
        docker({QStringLiteral("start"), QStringLiteral("cw-stopped")});
        docker({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("cw-started")});
        stopDaemon();
        QTRY_VERIFY_WITH_TIMEOUT(!connectedNow(), 20000);
        QVERIFY2(m_daemon->start(), qPrintable(m_daemon->log()));

        const Listing expected = engineTruth();
        QCOMPARE(expected.size(), 4);
        QVERIFY(expected.value(QStringLiteral("cw-keeps")).endsWith(QLatin1String(" running")));
        QVERIFY(expected.value(QStringLiteral("cw-stopped")).endsWith(QLatin1String(" exited")));
        QVERIFY(expected.value(QStringLiteral("cw-late")).endsWith(QLatin1String(" created")));
        QVERIFY(!expected.contains(QStringLiteral("cw-added")));
        QVERIFY(!expected.contains(QStringLiteral("cw-started")));
        expectExactly(expected, "changes right before the stop");
    }

    // Restarted at once, and boxes come and go without pause while the console reconnects:
    // whatever order the replayed events, the re-list and the inspects answer in, the
    // list ends up as the engine is.
    void churnAcrossTheReconnect()
    {
        stopDaemon();
        QVERIFY2(m_daemon->start(), qPrintable(m_daemon->log()));
        QElapsedTimer t;
        t.start();
        bool reconnectedMidway = false;
        for (int i = 0; i < 8; ++i) {
            const bool wasConnected = connectedNow();
            box(QStringLiteral("cw-churn-%1").arg(i), i % 2 == 0);
            if (i > 0)
                docker({QStringLiteral("rm"), QStringLiteral("-f"),
                        QStringLiteral("cw-churn-%1").arg(i - 1)});
            docker({i % 2 ? QStringLiteral("start") : QStringLiteral("stop"),
                    QStringLiteral("cw-keeps")});
            reconnectedMidway = reconnectedMidway || (!wasConnected && connectedNow());
        }
        qInfo("churn took %lld ms; the console reconnected in the middle of it: %s", t.elapsed(),
              reconnectedMidway ? "yes" : "no");
        const Listing expected = engineTruth();
        QVERIFY(expected.contains(QStringLiteral("cw-churn-7")));
        QVERIFY(!expected.contains(QStringLiteral("cw-churn-6")));
        QVERIFY(expected.value(QStringLiteral("cw-keeps")).endsWith(QLatin1String(" running")));
        expectExactly(expected, "churn across the reconnect");
    }

    // Down for longer than the reconnect backoff's first steps, and everything removed
    // and replaced meanwhile (a restart from another data-root looks like this).
    void everythingReplacedDuringALongOutage()
    {
        stopDaemon();
        QTRY_VERIFY_WITH_TIMEOUT(!connectedNow(), 20000);
        test::spinEventLoop(6000);
        QVERIFY2(m_daemon->start(), qPrintable(m_daemon->log()));
        const QString ids =
            docker({QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--filter"),
                    QStringLiteral("label=box-console.box")});
        docker(QStringList{QStringLiteral("rm"), QStringLiteral("-f")} +
               ids.split(QLatin1Char('\n'), Qt::SkipEmptyParts));
        box(QStringLiteral("cw-keeps"), true);
        box(QStringLiteral("cw-only"), false);
        const Listing expected = engineTruth();
        QCOMPARE(expected.size(), 2);
        expectExactly(expected, "everything replaced");
    }
};

QTEST_MAIN(tst_ConsoleDockerdRestart)
#include "tst_consoledockerdrestart.moc"
