// ctest: labels=docker;gui timeout=300
// The console against the real engine on the offscreen platform: the list follows the
// engine, a killed box turns exited and raises a notification, deploy and delete work
// through the dialogs, invalid input in the deploy form is shown and blocks submit.
#include "core/boxes/boxmonitor.h"
#include "core/boxes/dockerbackend.h"
#include "core/boxes/boxtestsupport.h"
#include "core/docker/dockerclient.h"
#include "support/dockerfixture.h"
#include "ui/alertbanner.h"
#include "ui/deletedialog.h"
#include "ui/deploydialog.h"
#include "ui/mainwindow.h"
#include "ui/models/boxlistmodel.h"
#include "ui/notifier.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <nlohmann/json.hpp>

using namespace bc;
using boxes::BoxInfo;

class tst_Gui final : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<boxes::BoxMonitor> m_monitor;
    boxes::DockerBackend *m_backend = nullptr;
    std::unique_ptr<ui::MainWindow> m_window;
    QTemporaryDir m_home;

    int rowOfName(const QString &name) const
    {
        const ui::BoxListModel *m = m_window->model();
        for (int r = 0; r < m->rowCount(); ++r) {
            if (m->boxAt(r).name == name)
                return r;
        }
        return -1;
    }

    QString runLabelled(const QString &name, const QStringList &extra = {})
    {
        QStringList args{QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), name,
                         QStringLiteral("--label"), test::testLabel(),
                         QStringLiteral("--label"), QStringLiteral("box-console.box=") + name,
                         QStringLiteral("--label"), QStringLiteral("box-console.subdomain=") + name,
                         QStringLiteral("--network"), QStringLiteral("none")};
        args << extra << test::boxes::agentImage();
        int code = 0;
        QString err;
        const QString id = test::runDocker(args, &code, &err);
        if (code != 0)
            qWarning("docker run failed: %s", qPrintable(err));
        return code == 0 ? id : QString();
    }

private slots:
    void initTestCase()
    {
        if (!test::dockerAvailable())
            QSKIP("no Docker engine");
        // Window layout and settings go to a throw-away home.
        qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
        qputenv("BOX_SECRET_STORE", "file");
        test::removeLabelled();
        QString error;
        QVERIFY2(test::boxes::buildAgentImage(&error), qPrintable(error));
        m_monitor = std::make_unique<boxes::BoxMonitor>();
        http::Endpoint endpoint;
        m_backend = new boxes::DockerBackend(endpoint, test::boxes::testOptions(), m_monitor.get());
        m_monitor->addBackend(m_backend);
        m_monitor->setStatsInterval(1000);
        m_monitor->start();
        m_window = std::make_unique<ui::MainWindow>(m_monitor.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanupTestCase()
    {
        // BoxMonitor's stats continuation asserts when the monitor dies with a request in
        // flight (core/boxes, reported): let in-flight stats settle first.
        if (m_monitor) {
            m_monitor->stop();
            test::spinEventLoop(1500);
        }
        m_window.reset();
        m_monitor.reset();
        if (test::dockerAvailable())
            test::removeLabelled();
    }

    void listShowsNewBoxWithinASecond()
    {
        const QString name = test::uniqueName(QStringLiteral("gui-list"));
        // Wait for the first list so the event stream is up.
        QTRY_VERIFY_WITH_TIMEOUT(m_monitor->isConnected(m_backend->id()), 10000);
        QElapsedTimer t;
        t.start();
        QVERIFY(!runLabelled(name).isEmpty());
        const qint64 started = t.elapsed();   // docker run itself
        QTRY_VERIFY_WITH_TIMEOUT(rowOfName(name) >= 0, 5000);
        const qint64 shownAfterRun = t.elapsed() - started;
        qInfo("box shown %lld ms after docker run returned (docker run took %lld ms)",
              shownAfterRun, started);
        QVERIFY2(shownAfterRun <= 1000, qPrintable(QString::number(shownAfterRun)));
        const int row = rowOfName(name);
        QCOMPARE(m_window->model()->index(row, ui::BoxListModel::Backend).data().toString().left(6),
                 QStringLiteral("docker"));
    }

    void killedBoxTurnsExitedAndNotifies()
    {
        const QString name = test::uniqueName(QStringLiteral("gui-kill"));
        QVERIFY(!runLabelled(name).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(rowOfName(name) >= 0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->model()->boxAt(rowOfName(name)).state,
                                  BoxInfo::State::Running, 5000);
        QSignalSpy notified(m_window->notifier(), &ui::Notifier::notified);
        QElapsedTimer t;
        t.start();
        test::runDocker({QStringLiteral("kill"), name});
        const qint64 killReturned = t.elapsed();
        QTRY_COMPARE_WITH_TIMEOUT(m_window->model()->boxAt(rowOfName(name)).state,
                                  BoxInfo::State::Exited, 5000);
        qInfo("row shows exited %lld ms after docker kill returned", t.elapsed() - killReturned);
        QTRY_VERIFY_WITH_TIMEOUT(!notified.isEmpty(), 5000);
        bool mentions = false;
        for (const auto &args : notified)
            mentions = mentions || args.at(0).toString().contains(name);
        QVERIFY(mentions);
        // Offscreen there is no tray: the in-window banner carries the alert.
        QVERIFY(m_window->banner()->isVisible());
    }

    void invalidInputBlocksSubmit()
    {
        ui::DeployDialog *dialog = m_window->openDeployDialog();
        QVERIFY(dialog);
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("bad name!"));
        QVERIFY(!dialog->deployButton()->isEnabled());
        QVERIFY(!dialog->fieldError(QStringLiteral("name")).isEmpty());
        // The message sits next to the field and is visible.
        bool shown = false;
        for (QLabel *l : dialog->findChildren<QLabel *>())
            shown = shown || (l->isVisible() && l->text() == dialog->fieldError(QStringLiteral("name")));
        QVERIFY(shown);
        dialog->subdomainEdit()->setText(QStringLiteral("x) || HostRegexp(`.+"));
        QVERIFY(!dialog->fieldError(QStringLiteral("subdomain")).isEmpty());
        dialog->submit();
        QVERIFY(!dialog->isRunning());
        // Fixing the fields enables Deploy.
        dialog->nameEdit()->setText(QStringLiteral("fine-name"));
        dialog->subdomainEdit()->setText(QStringLiteral("fine-name"));
        dialog->imageEdit()->setText(test::boxes::agentImage());
        QVERIFY2(dialog->isValid(), qPrintable(dialog->fieldError(QStringLiteral("image"))));
        QVERIFY(dialog->deployButton()->isEnabled());
        dialog->close();
    }

    void deployAndDeleteThroughDialogs()
    {
        const QString name = test::uniqueName(QStringLiteral("gui-deploy"));
        QTemporaryDir dir;
        const QString specPath = dir.filePath(QStringLiteral("spec.json"));
        {
            QFile f(specPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray::fromStdString(test::boxes::agentSpec(name).toJson().dump(2)));
        }
        ui::DeployDialog *dialog = m_window->openDeployDialog();
        QVERIFY(dialog->loadSpecFile(specPath));
        QVERIFY2(dialog->isValid(), qPrintable(dialog->spec() ? QString() : dialog->spec().error().toString()));
        QSignalSpy deployed(dialog, &ui::DeployDialog::deployed);
        dialog->submit();
        QVERIFY(dialog->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isRunning(), 120000);
        QVERIFY2(dialog->succeeded(), qPrintable(dialog->outcomeText()));
        QCOMPARE(deployed.count(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(rowOfName(name) >= 0, 2000);
        dialog->close();

        QVERIFY(m_window->selectBox(m_window->model()->boxAt(rowOfName(name)).key()));
        QCOMPARE(m_window->selectedBoxes().size(), 1);
        // The confirmation is modal: answer it once it is up.
        bool sawDialog = false;
        QTimer::singleShot(200, this, [&sawDialog, name] {
            for (QWidget *w : QApplication::topLevelWidgets()) {
                if (auto *d = qobject_cast<ui::DeleteDialog *>(w); d && d->isVisible()) {
                    sawDialog = d->message().contains(name);
                    d->deleteButton()->click();
                }
            }
        });
        m_window->deleteSelected();
        QVERIFY(sawDialog);
        QTRY_VERIFY_WITH_TIMEOUT(rowOfName(name) < 0, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(test::boxes::objectsOf(name).isEmpty(), 10000);
    }
};

QTEST_MAIN(tst_Gui)
#include "tst_gui.moc"
