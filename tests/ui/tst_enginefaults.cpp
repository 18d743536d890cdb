// ctest: labels=docker;gui timeout=600
// The engine goes away in the middle of a deploy started from the console's Deploy dialog
// (a private dockerd of the test's own, stopped while the new box waits for its health
// check): the dialog says what happened, the window's event loop never stalls, the status
// bar shows the engine as disconnected, and once the engine is back the deploy's own
// rollback finishes, leaving nothing of the box behind.
#include "core/boxes/boxmonitor.h"
#include "core/boxes/boxtestsupport.h"
#include "core/boxes/dockerbackend.h"
#include "core/http/endpoint.h"
#include "support/dockerfixture.h"
#include "support/privatedockerd.h"
#include "ui/deploydialog.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>

using namespace bc;

class tst_EngineFaults final : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_home;
    QTemporaryDir m_state;
    std::unique_ptr<test::PrivateDockerd> m_engine;
    std::unique_ptr<boxes::BoxMonitor> m_monitor;
    QPointer<boxes::DockerBackend> m_backend;
    std::unique_ptr<ui::MainWindow> m_window;

    // The longest time the GUI thread went without running a 20 ms timer.
    struct StallMeter
    {
        QTimer timer;
        QElapsedTimer clock;
        qint64 last = 0;
        qint64 worst = 0;
        void start()
        {
            clock.start();
            QObject::connect(&timer, &QTimer::timeout, [this] {
                const qint64 now = clock.elapsed();
                worst = std::max(worst, now - last);
                last = now;
            });
            timer.start(20);
        }
    };

    QStringList leftovers(const QString &name) const
    {
        QStringList out;
        for (const QString &kind :
             {QStringLiteral("container"), QStringLiteral("volume"), QStringLiteral("network")}) {
            QStringList args{kind, QStringLiteral("ls"), QStringLiteral("-q"),
                             QStringLiteral("--filter"),
                             QStringLiteral("label=box-console.box=") + name};
            if (kind == QLatin1String("container"))
                args.insert(2, QStringLiteral("-a"));
            const QString text = m_engine->docker(args).trimmed();
            if (!text.isEmpty())
                out << kind + QStringLiteral(": ") +
                           text.split(QLatin1Char('\n')).join(QLatin1Char(' '));
        }
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(test::dockerAvailable(), "no Docker engine");
        qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
        qputenv("BOX_SECRET_STORE", "file");
        qputenv("BOX_CONSOLE_STATE_DIR", m_state.path().toUtf8());
        QString error;
        QVERIFY2(test::boxes::buildAgentImage(&error), qPrintable(error));
        m_engine = std::make_unique<test::PrivateDockerd>(QStringLiteral("ef"),
                                                          QStringLiteral("10.219.82.1/24"));
        QVERIFY2(m_engine->start(), qPrintable(m_engine->log()));
        // The image comes from the main engine, never from a registry.
        QTemporaryDir dir;
        const QString tar = dir.filePath(QStringLiteral("image.tar"));
        int code = -1;
        QString errors;
        test::runDocker(
            {QStringLiteral("save"), QStringLiteral("-o"), tar, test::boxes::agentImage()}, &code,
            &errors);
        QVERIFY2(code == 0, qPrintable(errors));
        m_engine->docker({QStringLiteral("load"), QStringLiteral("-q"), QStringLiteral("-i"), tar},
                         &code, &errors);
        QVERIFY2(code == 0, qPrintable(errors));

        m_monitor = std::make_unique<boxes::BoxMonitor>();
        boxes::DeployOptions options = test::boxes::testOptions();
        options.engineWaitMs = 180000; // the engine is back well before
        http::Endpoint endpoint;
        endpoint.transport = http::Endpoint::Transport::Unix;
        endpoint.socketPath = m_engine->socketPath();
        m_backend = new boxes::DockerBackend(endpoint, options, m_monitor.get());
        m_monitor->addBackend(m_backend);
        m_monitor->setStatsInterval(1000);
        m_monitor->start();
        m_window = std::make_unique<ui::MainWindow>(m_monitor.get());
        m_window->backendsChanged();
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_monitor->isConnected(m_backend->id()), 15000);
    }

    void cleanupTestCase()
    {
        if (m_monitor) {
            m_monitor->stop();
            test::spinEventLoop(1000);
        }
        m_window.reset();
        m_monitor.reset();
        m_engine.reset(); // its data-root goes with it
    }

    void engineGoneMidDeploy()
    {
        const QString name = test::uniqueName(QStringLiteral("ef-dep")).toLower();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTest::keyClick(m_window.get(), Qt::Key_N, Qt::ControlModifier);
        ui::DeployDialog *d = nullptr;
        QTRY_VERIFY((d = m_window->findChild<ui::DeployDialog *>()) && d->isVisible());
        QTest::keyClicks(d->nameEdit(), name);
        QTest::keyClicks(d->imageEdit(), test::boxes::agentImage());
        QLineEdit *health = nullptr;
        for (QLineEdit *e : d->findChildren<QLineEdit *>())
            if (e->accessibleName() == QStringLiteral("Health check"))
                health = e;
        QVERIFY(health);
        QTest::keyClicks(health, QStringLiteral("false")); // it never turns healthy
        QVERIFY(d->deployButton()->isEnabled());
        QTest::mouseClick(d->deployButton(), Qt::LeftButton);
        const auto reached = [d](const QString &step) {
            for (int i = 0; i < d->stepList()->count(); ++i)
                if (d->stepList()->item(i)->data(Qt::UserRole).toString() == step)
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(reached(QStringLiteral("health")), 60000);

        // The engine goes away: SIGTERM to the daemon, as a service stop does, and the test
        // only waits in the event loop while it shuts down and stays down.
        StallMeter meter;
        meter.start();
        QFile pidFile(m_engine->runDir() + QStringLiteral("/docker.pid"));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const pid_t pid = pid_t(pidFile.readAll().trimmed().toLongLong());
        QVERIFY(pid > 1);
        QCOMPARE(::kill(pid, SIGTERM), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!m_engine->isRunning(), 40000);
        // The console says what happened, in the dialog and in the status bar.
        QTRY_VERIFY_WITH_TIMEOUT(!m_monitor->isConnected(m_backend->id()), 20000);
        QTRY_VERIFY(
            m_window->connectionText(m_backend->id()).contains(QLatin1String("disconnected")));
        QPlainTextEdit *log = nullptr; // the progress log (the form's env field is one too)
        for (QPlainTextEdit *e : d->findChildren<QPlainTextEdit *>())
            if (e->isReadOnly())
                log = e;
        QVERIFY(log);
        QTRY_VERIFY2_WITH_TIMEOUT(log->toPlainText().contains(QLatin1String("unreachable")),
                                  qPrintable(log->toPlainText()), 30000);
        QVERIFY2(d->isRunning(), qPrintable(d->outcomeText())); // waiting to clean up
        test::spinEventLoop(1000);
        meter.timer.stop();
        QVERIFY2(meter.worst < 1000,
                 qPrintable(QStringLiteral("the GUI thread stalled for %1 ms").arg(meter.worst)));

        // Back: the deploy's own rollback finishes and the dialog says so.
        QVERIFY2(m_engine->start(), qPrintable(m_engine->log()));
        QTRY_VERIFY_WITH_TIMEOUT(!d->isRunning(), 120000);
        QVERIFY(!d->succeeded());
        const QString outcome = d->outcomeText();
        QVERIFY2(outcome.contains(QLatin1String("Wait until healthy")),
                 qPrintable(outcome + QLatin1Char('\n') + log->toPlainText()));
        QVERIFY2(outcome.contains(QLatin1String("engine")), qPrintable(outcome));
        QVERIFY2(outcome.contains(QLatin1String("rolled back")), qPrintable(outcome));
        QCOMPARE(leftovers(name), QStringList());
        QTRY_VERIFY_WITH_TIMEOUT(m_monitor->isConnected(m_backend->id()), 30000);
        d->close();
    }
};

QTEST_MAIN(tst_EngineFaults)
#include "tst_enginefaults.moc"
