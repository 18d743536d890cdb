// ctest: tool
// Takes the README screenshots: scripts/screenshots.sh runs it under Xvfb with
// BOX_SCREENSHOT_DIR set, and tests/scripts/tst_screenshots.sh runs that script in ctest
// and checks the pictures. A few labelled boxes run on the real
// engine: healthy, unhealthy, exited, without health check.
#include "core/boxes/boxmonitor.h"
#include "core/boxes/boxtestsupport.h"
#include "core/boxes/consolesettings.h"
#include "core/boxes/dockerbackend.h"
#include "core/boxes/webhooksecrets.h"
#include "core/docker/endpointresolver.h"
#include "core/util/secretstore.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"
#include "ui/activityview.h"
#include "ui/alerthistorydialog.h"
#include "ui/boxdetailpane.h"
#include "ui/builddialog.h"
#include "ui/dataviewsdialog.h"
#include "ui/deploydialog.h"
#include "ui/fleetpolicyeditor.h"
#include "ui/logview.h"
#include "ui/mainwindow.h"
#include "ui/models/boxlistmodel.h"
#include "ui/models/endpointmodel.h"
#include "ui/settingsdialog.h"
#include "ui/terminal/terminaldock.h"
#include "ui/terminal/terminaltabs.h"
#include "ui/terminal/terminalwidget.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QLineEdit>
#include <QProcess>
#include <QScopeGuard>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace bc;

class tst_Screenshots final : public QObject
{
    Q_OBJECT
private:
    QString m_dir;
    QTemporaryDir m_home;

    // The whole screen, or only `area` of it (a dialog on its own).
    void capture(const QString &name, const QRect &area = {})
    {
        QTest::qWait(400);
        QCoreApplication::processEvents();
        const QString path = QDir(m_dir).filePath(name + QStringLiteral(".png"));
        QStringList args{QStringLiteral("-window"), QStringLiteral("root")};
        if (area.isValid())
            args << QStringLiteral("-crop")
                 << QStringLiteral("%1x%2+%3+%4")
                        .arg(area.width())
                        .arg(area.height())
                        .arg(area.x())
                        .arg(area.y());
        const int rc = QProcess::execute(QStringLiteral("import"), args << path);
        QCOMPARE(rc, 0);
        qInfo("wrote %s", qPrintable(path));
    }

    void run(const QStringList &args)
    {
        int code = 0;
        QString err;
        test::runDocker(args, &code, &err);
        QVERIFY2(code == 0, qPrintable(err));
    }

    QStringList labels(const QString &name, const QString &owner)
    {
        return {QStringLiteral("--label"), test::testLabel(),
                QStringLiteral("--label"), QStringLiteral("box-console.box=") + name,
                QStringLiteral("--label"), QStringLiteral("box-console.subdomain=") + name,
                QStringLiteral("--label"), QStringLiteral("box-console.owner=") + owner};
    }

    static void writeContext(const QString &configDir, const QString &name, const QString &host,
                             const QString &description)
    {
        const QString dir = configDir + QStringLiteral("/contexts/meta/") +
                            docker::EndpointResolver::contextHash(name);
        QDir().mkpath(dir);
        QFile f(dir + QStringLiteral("/meta.json"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral(R"({"Name":"%1","Metadata":{"Description":"%2"},)"
                               R"("Endpoints":{"docker":{"Host":"%3"}}})")
                    .arg(name, description, host)
                    .toUtf8());
    }

private slots:
    // Needs no engine: the contexts are a docker CLI context store written here.
    void settings()
    {
        m_dir = qEnvironmentVariable("BOX_SCREENSHOT_DIR");
        if (m_dir.isEmpty())
            QSKIP("BOX_SCREENSHOT_DIR not set (scripts/screenshots.sh sets it)");
        qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
        qputenv("BOX_SECRET_STORE", "file");
        // The main screenshots below run with the caller's environment again.
        QMap<QByteArray, std::optional<QByteArray>> saved;
        for (const char *v : {"DOCKER_CONFIG", "DOCKER_HOST", "DOCKER_CONTEXT", "BOX_EGRESS_POLICY",
                              "BOX_EGRESS_SOCKET_DIR"}) {
            saved.insert(v,
                         qEnvironmentVariableIsSet(v) ? std::optional(qgetenv(v)) : std::nullopt);
            qunsetenv(v);
        }
        const auto restore = qScopeGuard([&saved] {
            for (auto it = saved.cbegin(); it != saved.cend(); ++it) {
                if (it.value())
                    qputenv(it.key().constData(), *it.value());
                else
                    qunsetenv(it.key().constData());
            }
        });
        QTemporaryDir docker;
        qputenv("DOCKER_CONFIG", docker.path().toUtf8());
        qputenv("BOX_EGRESS_SOCKET_DIR", "/run/box-egress");
        writeContext(docker.path(), QStringLiteral("build-farm"),
                     QStringLiteral("tcp://build-farm.internal:2376"),
                     QStringLiteral("CI builders, TLS client certificate"));
        writeContext(docker.path(), QStringLiteral("prod"),
                     QStringLiteral("ssh://ops@prod-docker.internal"),
                     QStringLiteral("production boxes"));
        writeContext(docker.path(), QStringLiteral("staging"),
                     QStringLiteral("tcp://staging.internal:2376"), QStringLiteral("staging"));
        QDir().mkpath(docker.path() + QStringLiteral("/contexts/meta/5eb63bbbe01eeed093cb"));
        QFile broken(docker.path() +
                     QStringLiteral("/contexts/meta/5eb63bbbe01eeed093cb/meta.json"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{\"Name\": \"old-laptop\",");
        broken.close();
        QFile config(docker.path() + QStringLiteral("/config.json"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(R"({"currentContext": "prod"})");
        config.close();
        QVERIFY(test::await(util::SecretStore::write(QStringLiteral("coolify-token"),
                                                     QStringLiteral("1|screenshot")))
                    .ok());

        boxes::ConsoleSettings settings(m_home.filePath(QStringLiteral("settings.ini")));
        settings.setDockerContexts({QStringLiteral("build-farm"), QStringLiteral("prod")});
        settings.setDockerEndpoints({QStringLiteral("ssh://deploy@gpu-1.internal")});
        settings.setCoolifyUrl(QStringLiteral("https://coolify.example.com"));
        settings.setDeployMode(QStringLiteral("docker"));
        settings.setEgressPolicyFile(qEnvironmentVariable("BOX_SOURCE_DIR") +
                                     QStringLiteral("/infrastructure/proxy/egress-policy.json"));
        security::BoxSpec::Policy fleet;
        fleet.idleStopSecs = 30 * 60;
        fleet.maxLifetimeSecs = 7 * 24 * 3600;
        fleet.deleteAfterStoppedSecs = 14 * 24 * 3600;
        security::BoxSpec::Policy prod;
        prod.idleStopSecs = 2 * 3600;
        settings.setFleetPolicyDefaults(
            {{QStringLiteral("*"), fleet},
             {QStringLiteral("docker:ssh://deploy@gpu-1.internal"), prod}});
        settings.setQuotas({{QStringLiteral("*"), 3, 4, 8LL << 30},
                            {QStringLiteral("ci@example.org"), 20, 32, 64LL << 30}});
        boxes::Webhook plainHook;
        plainHook.url = QStringLiteral("https://hooks.example.org/box-console");
        boxes::Webhook slackHook;
        slackHook.url = QStringLiteral("https://hooks.slack.com/services/T000/B000/XXXX");
        slackHook.kind = QStringLiteral("slack");
        QVERIFY(test::await(boxes::WebhookSecrets::save(settings, {plainHook, slackHook})).ok());
        ui::SettingsDialog dialog(nullptr, &settings);
        dialog.move(0, 0);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTRY_VERIFY(dialog.contextsLoaded());
        QTRY_VERIFY(dialog.tokenEdit()->placeholderText().contains(QStringLiteral("stored")));
        dialog.endpointView()->selectRow(
            dialog.endpoints()->rowOf(QStringLiteral("ssh://deploy@gpu-1.internal")));
        capture(QStringLiteral("settings"), dialog.frameGeometry());
        dialog.tabs()->setCurrentIndex(dialog.tabs()->indexOf(dialog.fleetEditor()));
        capture(QStringLiteral("settings-policies"), dialog.frameGeometry());
        dialog.close();
    }

    void screenshots()
    {
        m_dir = qEnvironmentVariable("BOX_SCREENSHOT_DIR");
        if (m_dir.isEmpty())
            QSKIP("BOX_SCREENSHOT_DIR not set (scripts/screenshots.sh sets it)");
        if (!test::dockerAvailable())
            QSKIP("no Docker engine");
        qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
        qputenv("BOX_SECRET_STORE", "file");
        qputenv("BOX_ACTIVITY_DB", m_home.filePath(QStringLiteral("activity.sqlite")).toUtf8());
        test::LabelledCleanup cleanup;
        QString error;
        QVERIFY2(test::boxes::buildAgentImage(&error), qPrintable(error));
        const QString image = test::boxes::agentImage();
        const QString health =
            QStringLiteral("--health-cmd=") + QStringLiteral("nc -z 127.0.0.1 9999");

        // Deliberately not deleted: tearing the engine client down while a stats request
        // is in flight aborts inside core/http (reported to the core rooms); the process
        // ends right after the screenshots anyway.
        auto *monitorPtr = new boxes::BoxMonitor;
        boxes::BoxMonitor &monitor = *monitorPtr;
        auto *backend =
            new boxes::DockerBackend(http::Endpoint(), test::boxes::testOptions(), &monitor);
        monitor.addBackend(backend);
        monitor.setStatsInterval(1000);
        monitor.start();

        // alice: a real hardened deploy; the others plain labelled containers.
        security::BoxSpec spec = test::boxes::agentSpec(QStringLiteral("alice-dev"));
        spec.owner = QStringLiteral("alice@example.org");
        auto deployed = test::boxes::runJob(backend->deploy(spec));
        QVERIFY2(deployed.ok(),
                 qPrintable(deployed.ok() ? QString() : deployed.error().toString()));
        run(QStringList{QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"),
                        QStringLiteral("bob-review"), QStringLiteral("--network"),
                        QStringLiteral("none"), QStringLiteral("--memory"), QStringLiteral("256m"),
                        QStringLiteral("--health-cmd=exit 1"),
                        QStringLiteral("--health-interval=1s"),
                        QStringLiteral("--health-retries=1")} +
            labels(QStringLiteral("bob-review"), QStringLiteral("bob@example.org")) +
            QStringList{image});
        run(QStringList{QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"),
                        QStringLiteral("carol-docs"), QStringLiteral("--network"),
                        QStringLiteral("none")} +
            labels(QStringLiteral("carol-docs"), QStringLiteral("carol@example.org")) +
            QStringList{test::testImage(), QStringLiteral("sh"), QStringLiteral("-c"),
                        QStringLiteral("echo done; exit 0")});
        run(QStringList{QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"),
                        QStringLiteral("dave-ci"), QStringLiteral("--network"),
                        QStringLiteral("none"), QStringLiteral("--memory"),
                        QStringLiteral("512m")} +
            labels(QStringLiteral("dave-ci"), QStringLiteral("dave@example.org")) +
            QStringList{
                test::testImage(), QStringLiteral("sh"), QStringLiteral("-c"),
                QStringLiteral("i=0; while true; do i=$((i+1)); echo \"build step $i: compiling "
                               "module $((i % 7))\"; "
                               "j=0; while [ $j -lt 20000 ]; do j=$((j+1)); done; sleep 1; done")});
        run(QStringList{QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"),
                        QStringLiteral("erin-data"), QStringLiteral("--network"),
                        QStringLiteral("none"), QStringLiteral("--memory"), QStringLiteral("1g"),
                        health, QStringLiteral("--health-interval=2s")} +
            labels(QStringLiteral("erin-data"), QStringLiteral("erin@example.org")) +
            QStringList{image});

        // The rest of a small fleet: a boxctl deploy (Traefik rule, no subdomain label), a
        // CPU-limited worker, two that will be killed, one that crashed.
        run(QStringList{
            QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"),
            QStringLiteral("frank-notebook"), QStringLiteral("--network"), QStringLiteral("none"),
            QStringLiteral("--label"), test::testLabel(), QStringLiteral("--label"),
            QStringLiteral("box-console.box=frank-notebook"), QStringLiteral("--label"),
            QStringLiteral("box-console.owner=frank@example.org"), QStringLiteral("--label"),
            QStringLiteral("traefik.http.routers.frank.rule=Host(`frank-nb.boxes.example.org`)"),
            QStringLiteral("--memory"), QStringLiteral("768m"), image});
        run(QStringList{QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"),
                        QStringLiteral("grace-worker"), QStringLiteral("--network"),
                        QStringLiteral("none"), QStringLiteral("--cpus"), QStringLiteral("0.5"),
                        QStringLiteral("--memory"), QStringLiteral("128m")} +
            labels(QStringLiteral("grace-worker"), QStringLiteral("grace@example.org")) +
            QStringList{test::testImage(), QStringLiteral("sh"), QStringLiteral("-c"),
                        QStringLiteral("while true; do j=0; while [ $j -lt 30000 ]; do "
                                       "j=$((j+1)); done; echo tick > /tmp/t; sleep 0.5; done")});
        for (const QString &n : {QStringLiteral("heidi-batch"), QStringLiteral("ivan-batch")})
            run(QStringList{QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"),
                            n, QStringLiteral("--network"), QStringLiteral("none")} +
                labels(n, QStringLiteral("ops@example.org")) +
                QStringList{test::testImage(), QStringLiteral("sleep"), QStringLiteral("3600")});
        run(QStringList{QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"),
                        QStringLiteral("judy-etl"), QStringLiteral("--network"),
                        QStringLiteral("none")} +
            labels(QStringLiteral("judy-etl"), QStringLiteral("judy@example.org")) +
            QStringList{test::testImage(), QStringLiteral("sh"), QStringLiteral("-c"),
                        QStringLiteral("echo loading; echo 'error: input missing' >&2; sleep 8; "
                                       "exit 3")});
        // Data a deleted box left behind.
        run({QStringLiteral("volume"), QStringLiteral("create"), QStringLiteral("--label"),
             test::testLabel(), QStringLiteral("--label"),
             QStringLiteral("box-console.box=old-kim"), QStringLiteral("old-kim-home")});

        ui::MainWindow window(&monitor);
        window.move(0, 0);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.model()->rowCount() >= 5, 10000);
        // Let stats accumulate for the trend lines.
        QTest::qWait(25000);
        const auto key = [&](const QString &name) {
            for (int r = 0; r < window.model()->rowCount(); ++r)
                if (window.model()->boxAt(r).name == name)
                    return window.model()->boxAt(r).key();
            return QString();
        };
        // Two killed at once: one grouped alert.
        run({QStringLiteral("kill"), QStringLiteral("heidi-batch"), QStringLiteral("ivan-batch")});
        QTest::qWait(3000);
        QVERIFY(window.selectBox(key(QStringLiteral("bob-review"))));
        window.detailPane()->tabs()->setCurrentIndex(ui::BoxDetailPane::OverviewTab);
        QTest::qWait(1500);
        capture(QStringLiteral("main-window"));

        // A terminal into alice's box, as Ctrl+Alt+T opens it (user and shell given).
        ui::TerminalDock *dock = ui::TerminalDock::of(&window);
        dock->show();
        window.resizeDocks({dock}, {420}, Qt::Vertical);
        dock->tabs()->open(backend->client(), QStringLiteral("alice-dev"));
        QTRY_VERIFY_WITH_TIMEOUT(dock->tabs()->count() == 1, 10000);
        ui::TerminalWidget *term = dock->tabs()->terminal(0);
        QTest::qWait(1500);
        term->setFocus();
        QTest::keyClicks(term, QStringLiteral("id; ls --color=always -l /; "
                                              "printf '\\033[1;32mtests passed\\033[0m\\n'"));
        QTest::keyClick(term, Qt::Key_Return);
        QTest::qWait(1500);
        capture(QStringLiteral("terminal"));
        dock->tabs()->closeTab(0);
        dock->hide();

        // Actions taken in the console land in the activity log.
        QVERIFY(window.selectBox(key(QStringLiteral("erin-data"))));
        for (QAction *a : window.findChildren<QAction *>())
            if (a->objectName() == QStringLiteral("keepAliveAction"))
                a->trigger();
        QVERIFY(window.selectBox(key(QStringLiteral("dave-ci"))));
        for (QAction *a : window.findChildren<QAction *>())
            if (a->text() == QStringLiteral("S&top"))
                a->trigger();
        QTest::qWait(3000);
        ui::ActivityView *activityView = ui::ActivityView::openDialog(&window);
        QWidget *activityWindow = activityView->window();
        activityWindow->move(220, 140);
        QTest::qWait(2500);
        capture(QStringLiteral("activity-log"), activityWindow->frameGeometry());
        activityWindow->close();

        ui::AlertHistoryDialog *history = window.openAlertHistory();
        history->move(260, 160);
        QTest::qWait(500);
        capture(QStringLiteral("alert-history"), history->frameGeometry());
        history->close();

        QVERIFY(window.selectBox(key(QStringLiteral("grace-worker"))));
        window.detailPane()->tabs()->setCurrentIndex(ui::BoxDetailPane::ResourcesTab);
        // As a user would drag it for the charts.
        const int total = window.splitter()->sizes().value(0) + window.splitter()->sizes().value(1);
        window.splitter()->setSizes({total - 330, 330});
        QTest::qWait(2500);
        capture(QStringLiteral("detail-charts"));

        ui::DataViewsDialog *data = window.openDataViews();
        data->move(200, 120);
        QTRY_VERIFY_WITH_TIMEOUT(!data->isLoading(), 20000);
        QTest::qWait(500);
        capture(QStringLiteral("data-views"), data->frameGeometry());
        data->close();

        // A running box with a memory limit (dave-ci was stopped above: its charts are empty).
        QVERIFY(window.selectBox(key(QStringLiteral("alice-dev"))));
        window.detailPane()->tabs()->setCurrentIndex(ui::BoxDetailPane::ResourcesTab);
        QTest::qWait(2500);
        capture(QStringLiteral("detail-resources"));
        // A box that wrote to stderr, with timestamps: the error line stands out.
        QVERIFY(window.selectBox(key(QStringLiteral("judy-etl"))));
        window.detailPane()->tabs()->setCurrentIndex(ui::BoxDetailPane::LogsTab);
        window.detailPane()->logView()->timestampsBox()->setChecked(true);
        QTest::qWait(2500);
        capture(QStringLiteral("detail-logs"));
        window.detailPane()->logView()->timestampsBox()->setChecked(false);
        QVERIFY(window.selectBox(key(QStringLiteral("erin-data"))));
        window.detailPane()->tabs()->setCurrentIndex(ui::BoxDetailPane::SecurityTab);
        QTest::qWait(1500);
        capture(QStringLiteral("detail-security"));

        ui::DeployDialog *deploy = window.openDeployDialog();
        deploy->move(420, 120);
        QTest::keyClicks(deploy->nameEdit(), QStringLiteral("Frank Box"));
        deploy->subdomainEdit()->setText(QStringLiteral("alice-dev"));
        deploy->imageEdit()->setText(image);
        QTest::qWait(300);
        capture(QStringLiteral("deploy-validation"));
        deploy->close();

        QTemporaryDir context;
        QFile::copy(QStringLiteral("/bin/busybox"), context.filePath(QStringLiteral("busybox")));
        QFile df(context.filePath(QStringLiteral("Dockerfile")));
        QVERIFY(df.open(QIODevice::WriteOnly));
        df.write("FROM scratch\nCOPY busybox /bin/busybox\n"
                 "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n"
                 "RUN [\"/bin/sh\", \"-c\", \"for i in 1 2 3 4 5 6; do echo installing skill $i; "
                 "sleep 1; done\"]\n"
                 "LABEL box-console.test=1\nCMD [\"sh\"]\n");
        df.close();
        ui::BuildDialog build({backend}, &window);
        build.move(300, 80);
        build.setSource(ui::BuildDialog::Source::ContextDir, context.path());
        build.setTag(QStringLiteral("bctest/screenshot-build:latest"));
        build.show();
        build.start();
        QTRY_VERIFY_WITH_TIMEOUT(build.log().contains(QStringLiteral("installing skill 3")), 60000);
        capture(QStringLiteral("build-progress"));
        QTRY_VERIFY_WITH_TIMEOUT(!build.isRunning(), 60000);
        build.close();
        test::runDocker({QStringLiteral("rmi"), QStringLiteral("-f"),
                         QStringLiteral("bctest/screenshot-build:latest")});
        auto removed = test::boxes::runJob(backend->remove(deployed->id, false));
        Q_UNUSED(removed);
        monitor.stop();
    }
};

QTEST_MAIN(tst_Screenshots)
#include "tst_screenshots.moc"
