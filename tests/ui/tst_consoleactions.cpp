// ctest: labels=docker;gui timeout=900
// Every toolbar action, the deploy (and redeploy), build, delete and settings dialogs, the
// detail tabs and the log controls, driven as a user drives them: mouse clicks and key
// presses on the real widgets, against the real engine. A box stopped from outside is on
// record without an alarm, a box deleted from outside while selected is reported gone, and
// a toolbar action no test clicks fails the last test.
#include "core/boxes/boxmonitor.h"
#include "core/boxes/boxtestsupport.h"
#include "core/boxes/dockerbackend.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"
#include "ui/alertcenter.h"
#include "ui/boxdetailpane.h"
#include "ui/builddialog.h"
#include "ui/deletedialog.h"
#include "ui/deploydialog.h"
#include "ui/loglinemodel.h"
#include "ui/logview.h"
#include "ui/mainwindow.h"
#include "ui/models/alerthistorymodel.h"
#include "ui/models/boxfilterproxymodel.h"
#include "ui/models/boxlistmodel.h"
#include "ui/models/endpointmodel.h"
#include "ui/notifier.h"
#include "ui/settingsdialog.h"
#include "ui/terminal/terminaldock.h"
#include "ui/terminal/terminaltabs.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>

#include <nlohmann/json.hpp>

#include <functional>

using namespace bc;
using boxes::BoxInfo;

namespace {

// Runs `fn` on the first visible top-level widget of type T once it is up (a modal
// dialog's exec() blocks the test until it is answered).
template <typename T>
void whenShown(QObject *context, std::function<void(T *)> fn, int triesLeft = 200)
{
    QTimer::singleShot(50, context, [context, fn, triesLeft] {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            if (auto *t = qobject_cast<T *>(w); t && t->isVisible()) {
                fn(t);
                return;
            }
        }
        if (triesLeft > 0)
            whenShown<T>(context, fn, triesLeft - 1);
    });
}

QString plain(const QAction *a)
{
    return QString(a->text()).remove(QLatin1Char('&')).remove(QStringLiteral("…"));
}

nlohmann::json inspectJson(const QString &what)
{
    int code = 0;
    const QString out = test::runDocker({QStringLiteral("inspect"), what}, &code);
    if (code != 0)
        return nlohmann::json();
    const auto j = nlohmann::json::parse(out.toStdString(), nullptr, false);
    return j.is_array() && !j.empty() ? j[0] : nlohmann::json();
}

QString containerId(const QString &name)
{
    const auto j = inspectJson(name);
    return j.is_object() ? QString::fromStdString(j.value("Id", std::string())) : QString();
}

bool isRunning(const QString &name)
{
    const auto j = inspectJson(name);
    return j.is_object() && j["State"].value("Running", false);
}

QPushButton *buttonNamed(QWidget *parent, const QString &text)
{
    for (QPushButton *b : parent->findChildren<QPushButton *>())
        if (b->isVisible() && QString(b->text()).remove(QLatin1Char('&')) == text)
            return b;
    return nullptr;
}

} // namespace

class tst_ConsoleActions final : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<test::LabelledCleanup> m_cleanup;
    std::unique_ptr<boxes::BoxMonitor> m_monitor;
    QPointer<boxes::DockerBackend> m_backend;
    std::unique_ptr<ui::MainWindow> m_window;
    QTemporaryDir m_home;
    QSet<QString> m_triggered; // actions a user event set off
    QList<QUrl> m_opened;

    int rowOf(const QString &name) const
    {
        const ui::BoxListModel *m = m_window->model();
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->boxAt(r).name == name)
                return r;
        return -1;
    }
    BoxInfo boxOf(const QString &name) const
    {
        const int r = rowOf(name);
        return r < 0 ? BoxInfo{} : m_window->model()->boxAt(r);
    }
    QModelIndex proxyIndex(const QString &name) const
    {
        const int r = rowOf(name);
        return r < 0 ? QModelIndex()
                     : m_window->proxy()->mapFromSource(m_window->model()->index(r, 0));
    }

    QString run(const QString &name, const QString &command, const QStringList &labels = {})
    {
        QStringList args{QStringLiteral("run"),       QStringLiteral("-d"),
                         QStringLiteral("--name"),    name,
                         QStringLiteral("--label"),   test::testLabel(),
                         QStringLiteral("--label"),   QStringLiteral("box-console.box=") + name,
                         QStringLiteral("--network"), QStringLiteral("none")};
        for (const QString &l : labels)
            args << QStringLiteral("--label") << l;
        args << test::testImage() << QStringLiteral("sh") << QStringLiteral("-c") << command;
        int code = 0;
        QString err;
        const QString id = test::runDocker(args, &code, &err);
        if (code != 0)
            qWarning("docker run failed: %s", qPrintable(err));
        return code == 0 ? id : QString();
    }

    void activate(QWidget *w = nullptr)
    {
        w = w ? w : m_window.get();
        w->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(w));
    }

    void clickRow(const QString &name)
    {
        activate();
        QTableView *t = m_window->table();
        const QModelIndex idx = proxyIndex(name);
        QVERIFY(idx.isValid());
        t->scrollTo(idx);
        QTest::mouseClick(t->viewport(), Qt::LeftButton, {}, t->visualRect(idx).center());
        QTRY_COMPARE(m_window->detailPane()->currentKey(), boxOf(name).key());
    }

    QToolBar *toolBar() const
    {
        return m_window->findChild<QToolBar *>(QStringLiteral("mainToolBar"));
    }
    QAction *toolAction(const QString &text) const
    {
        for (QAction *a : toolBar()->actions())
            if (!a->isSeparator() && plain(a).startsWith(text))
                return a;
        return nullptr;
    }
    // Clicks the toolbar button of an action with the mouse.
    void clickTool(const QString &text)
    {
        activate();
        QAction *a = toolAction(text);
        QVERIFY2(a, qPrintable(text));
        QWidget *button = toolBar()->widgetForAction(a);
        QVERIFY2(button && button->isVisible(), qPrintable(text));
        QTRY_VERIFY2(a->isEnabled(), qPrintable(text + QStringLiteral(" is disabled")));
        QTest::mouseClick(button, Qt::LeftButton);
    }

    ui::DeployDialog *openDeploy()
    {
        ui::DeployDialog *d = nullptr;
        clickTool(QStringLiteral("Deploy"));
        for (ui::DeployDialog *c : m_window->findChildren<ui::DeployDialog *>())
            if (c->isVisible())
                d = c;
        return d;
    }

    void closeDeploy(ui::DeployDialog *d)
    {
        QPointer<ui::DeployDialog> guard(d);
        QPushButton *close = buttonNamed(d, QStringLiteral("Close"));
        QVERIFY(close);
        QTest::mouseClick(close, Qt::LeftButton);
        QTRY_VERIFY(!guard);
    }

    // The form's health-check field and its environment editor, as a user finds them.
    static QLineEdit *healthEdit(ui::DeployDialog *d)
    {
        for (QLineEdit *e : d->findChildren<QLineEdit *>())
            if (e->accessibleName() == QStringLiteral("Health check"))
                return e;
        return nullptr;
    }
    static QPlainTextEdit *envEdit(ui::DeployDialog *d)
    {
        for (QPlainTextEdit *e : d->findChildren<QPlainTextEdit *>())
            if (!e->isReadOnly())
                return e;
        return nullptr;
    }

public slots:
    void openUrl(const QUrl &url) { m_opened << url; }

private slots:
    void initTestCase()
    {
        QVERIFY2(test::dockerAvailable(), "no Docker engine");
        qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
        qputenv("BOX_SECRET_STORE", "file");
        qputenv("BOX_CONSOLE_NO_RECOVERY", "1");
        m_cleanup = std::make_unique<test::LabelledCleanup>();
        QString error;
        QVERIFY2(test::boxes::buildAgentImage(&error), qPrintable(error));
        m_monitor = std::make_unique<boxes::BoxMonitor>();
        m_backend =
            new boxes::DockerBackend(http::Endpoint{}, test::boxes::testOptions(), m_monitor.get());
        m_monitor->addBackend(m_backend);
        m_monitor->setStatsInterval(1000);
        m_monitor->start();
        m_window = std::make_unique<ui::MainWindow>(m_monitor.get());
        m_window->alertCenter()->setGroupDelayMs(1500);
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        activate();
        QTRY_VERIFY_WITH_TIMEOUT(m_monitor->isConnected(m_backend->id()), 10000);
        for (QAction *a : m_window->findChildren<QAction *>())
            connect(a, &QAction::triggered, this, [this, a] { m_triggered.insert(plain(a)); });
        QDesktopServices::setUrlHandler(QStringLiteral("http"), this, "openUrl");
    }

    void cleanupTestCase()
    {
        QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
        if (m_monitor) {
            m_monitor->stop();
            test::spinEventLoop(1500);
        }
        m_window.reset();
        m_monitor.reset();
        m_cleanup.reset();
    }

    // Findings 1 and 2: typed into the form, with a health check of its own; the same name
    // again asks first, Cancel touches nothing, and a redeploy with an image that cannot
    // start brings the old box back.
    void deployThenRedeployThroughTheForm()
    {
        const QString name = test::uniqueName(QStringLiteral("ca-dep")).toLower();
        const QString probe = QStringLiteral("wget -q -O /dev/null http://127.0.0.1:9999/health");
        ui::DeployDialog *d = openDeploy();
        QVERIFY(d);
        QTest::keyClicks(d->nameEdit(), name);
        QTest::keyClicks(d->imageEdit(), test::boxes::agentImage());
        QLineEdit *health = healthEdit(d);
        QVERIFY(health);
        QTest::keyClicks(health, probe);
        QVERIFY(!d->existsNoteLabel()->isVisible());
        QVERIFY2(d->deployButton()->isEnabled(),
                 qPrintable(d->fieldError(QStringLiteral("image"))));
        QTest::mouseClick(d->deployButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(d->result().has_value(), 120000);
        QVERIFY2(d->succeeded(), qPrintable(d->outcomeText()));
        const auto hc = inspectJson(name)["Config"]["Healthcheck"]["Test"];
        QVERIFY(hc.is_array() && hc.size() == 2);
        QCOMPARE(QString::fromStdString(hc[1].get<std::string>()), probe);
        closeDeploy(d);
        const QString id = containerId(name);
        QVERIFY(!id.isEmpty());
        const std::string startedAt = inspectJson(name)["State"].value("StartedAt", std::string());
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(name) >= 0, 10000);

        // The same name: the form says it is a redeploy; Deploy asks; Cancel changes nothing.
        for (const bool confirm : {false, true}) {
            d = openDeploy();
            QVERIFY(d);
            QTest::keyClicks(d->nameEdit(), name);
            QTest::keyClicks(d->imageEdit(), test::testImage()); // no command: cannot start
            QVERIFY(d->existsNoteLabel()->isVisible());
            QVERIFY(d->existsNoteLabel()->text().contains(name));
            QVERIFY2(d->fieldError(QStringLiteral("subdomain")).isEmpty(),
                     qPrintable(d->fieldError(QStringLiteral("subdomain"))));
            QVERIFY(d->deployButton()->isEnabled());
            QString asked;
            whenShown<QMessageBox>(this, [&asked, confirm](QMessageBox *m) {
                asked = m->text();
                QTest::mouseClick(m->button(confirm ? QMessageBox::Yes : QMessageBox::Cancel),
                                  Qt::LeftButton);
            });
            QTest::mouseClick(d->deployButton(), Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(d->result().has_value() && !d->isRunning(), 120000);
            QVERIFY2(asked.contains(name), qPrintable(asked));
            QVERIFY(!d->succeeded());
            if (confirm)
                QVERIFY2(d->outcomeText().contains(QLatin1String("restored")),
                         qPrintable(d->outcomeText()));
            closeDeploy(d);
            // The old box: the same container, running, never replaced.
            QTRY_VERIFY_WITH_TIMEOUT(isRunning(name), 30000);
            QCOMPARE(containerId(name), id);
            if (!confirm)
                QCOMPARE(inspectJson(name)["State"].value("StartedAt", std::string()), startedAt);
        }
        int code = 0;
        const QString names =
            test::runDocker({QStringLiteral("ps"), QStringLiteral("-a"), QStringLiteral("--filter"),
                             QStringLiteral("label=box-console.box=") + name,
                             QStringLiteral("--format"), QStringLiteral("{{.Names}}")},
                            &code);
        QCOMPARE(names.trimmed(), name); // nothing renamed or failed left beside it
    }

    // Redeploy as an action of its own (Box menu, context menu, Ctrl+Shift+R): the form
    // comes filled from the spec the box runs with, name fixed; a changed limit is deployed
    // without a second question, and the box keeps its environment and health check.
    void redeployActionStartsFromTheBoxsSpec()
    {
        const QString name = test::uniqueName(QStringLiteral("ca-redep")).toLower();
        const QString probe = QStringLiteral("wget -q -O /dev/null http://127.0.0.1:9999/health");
        ui::DeployDialog *d = openDeploy();
        QVERIFY(d);
        QTest::keyClicks(d->nameEdit(), name);
        QTest::keyClicks(d->imageEdit(), test::boxes::agentImage());
        QVERIFY(envEdit(d) && healthEdit(d));
        QTest::keyClicks(envEdit(d), QStringLiteral("AGENT_MODE=careful"));
        QTest::keyClicks(healthEdit(d), probe);
        QTest::mouseClick(d->deployButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(d->result().has_value(), 120000);
        QVERIFY2(d->succeeded(), qPrintable(d->outcomeText()));
        closeDeploy(d);
        const QString oldId = containerId(name);
        QTRY_VERIFY_WITH_TIMEOUT(
            rowOf(name) >= 0 && boxOf(name).labels.contains(QStringLiteral("box-console.spec")),
            10000);

        clickRow(name);
        QTest::keyClick(m_window->table(), Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
        d = nullptr;
        QTRY_VERIFY([&] {
            for (ui::DeployDialog *c : m_window->findChildren<ui::DeployDialog *>())
                if (c->isVisible())
                    d = c;
            return d != nullptr;
        }());
        QVERIFY(m_triggered.contains(QStringLiteral("Redeploy")));
        // Filled from the running box; its name cannot be changed here.
        QCOMPARE(d->nameEdit()->text(), name);
        QVERIFY(d->nameEdit()->isReadOnly());
        QCOMPARE(d->imageEdit()->text(), test::boxes::agentImage());
        QCOMPARE(envEdit(d)->toPlainText(), QStringLiteral("AGENT_MODE=careful"));
        QCOMPARE(healthEdit(d)->text(), probe);
        QVERIFY(!d->existsNoteLabel()->isVisible());
        QCOMPARE(QString(d->deployButton()->text()).remove(QLatin1Char('&')),
                 QStringLiteral("Redeploy"));
        // One change: the memory limit, typed.
        QSpinBox *memory = nullptr;
        for (QSpinBox *sb : d->findChildren<QSpinBox *>())
            if (sb->suffix() == QStringLiteral(" MiB"))
                memory = sb;
        QVERIFY(memory);
        memory->setFocus(Qt::TabFocusReason);
        QTest::keyClick(memory, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(memory, QStringLiteral("384"));
        QCOMPARE(memory->value(), 384);
        bool asked = false;
        whenShown<QMessageBox>(this, [&asked](QMessageBox *m) {
            asked = true;
            m->reject();
        });
        QTest::mouseClick(d->deployButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(d->result().has_value() && !d->isRunning(), 120000);
        QVERIFY2(d->succeeded(), qPrintable(d->outcomeText()));
        QVERIFY(!asked);
        closeDeploy(d);
        const auto c = inspectJson(name);
        QVERIFY(QString::fromStdString(c.value("Id", std::string())) != oldId);
        QCOMPARE(c["HostConfig"].value("Memory", qint64(0)), qint64(384) * 1024 * 1024);
        bool keptEnv = false;
        for (const auto &e : c["Config"]["Env"])
            keptEnv = keptEnv || e.get<std::string>() == "AGENT_MODE=careful";
        QVERIFY(keptEnv);
        QCOMPARE(QString::fromStdString(c["Config"]["Healthcheck"]["Test"][1].get<std::string>()),
                 probe);
        // The old one is gone once the new one was healthy: one container of that name.
        int code = 0;
        const QString all =
            test::runDocker({QStringLiteral("ps"), QStringLiteral("-a"), QStringLiteral("--filter"),
                             QStringLiteral("label=box-console.box=") + name,
                             QStringLiteral("--format"), QStringLiteral("{{.Names}}")},
                            &code);
        QCOMPARE(all.trimmed(), name);
        test::removeLabelled(QStringLiteral("box-console.box=") + name);
    }

    // Finding 2: with the health-check field left empty the image's own HEALTHCHECK is the
    // box's; a box that fails its start, with "Keep the failed box" ticked, shows its last
    // log lines and the reason in the dialog and stays, stopped, under <name>.failed-<id>.
    void imageHealthCheckAndAFailedStartKeptForInspection()
    {
        QTemporaryDir ctx;
        QVERIFY(ctx.isValid());
        const QString tagged = QStringLiteral("bctest/ca-own-health:1");
        test::writeFile(ctx.filePath(QStringLiteral("Dockerfile")),
                        "FROM " + test::boxes::agentImage().toUtf8() +
                            "\nHEALTHCHECK --interval=1s --timeout=2s --retries=5 CMD wget -q -O "
                            "/dev/null http://127.0.0.1:9999/health\n");
        QString error;
        QVERIFY2(test::boxes::buildTestImage(ctx.path(), tagged, test::testLabel(), &error),
                 qPrintable(error));
        const QString healthy = test::uniqueName(QStringLiteral("ca-imghc")).toLower();
        ui::DeployDialog *d = openDeploy();
        QVERIFY(d);
        QTest::keyClicks(d->nameEdit(), healthy);
        QTest::keyClicks(d->imageEdit(), tagged);
        QVERIFY2(d->deployButton()->isEnabled(),
                 qPrintable(d->fieldError(QStringLiteral("image"))));
        QTest::mouseClick(d->deployButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(d->result().has_value(), 120000);
        QVERIFY2(d->succeeded(), qPrintable(d->outcomeText()));
        QVERIFY2(d->outcomeText().contains(QLatin1String("healthy")), qPrintable(d->outcomeText()));
        closeDeploy(d);
        const auto config = inspectJson(healthy);
        const auto test = config["Config"]["Healthcheck"]["Test"];
        QVERIFY2(test.is_array() && test.size() == 2, config["Config"].dump().c_str());
        QCOMPARE(QString::fromStdString(test[0].get<std::string>()), QStringLiteral("CMD-SHELL"));
        QCOMPARE(QString::fromStdString(test[1].get<std::string>()),
                 QStringLiteral("wget -q -O /dev/null http://127.0.0.1:9999/health"));
        QCOMPARE(QString::fromStdString(config["State"]["Health"].value("Status", std::string())),
                 QStringLiteral("healthy"));
        test::removeLabelled(QStringLiteral("box-console.box=") + healthy);

        // An image whose start fails: it says why on stderr, then exits 3.
        const QString failing = QStringLiteral("bctest/ca-fails:1");
        test::writeFile(ctx.filePath(QStringLiteral("Dockerfile")),
                        "FROM " + test::testImage().toUtf8() +
                            "\nCMD [\"sh\", \"-c\", \"echo starting up; echo 'fatal: no "
                            "config in /etc/agent' >&2; exit 3\"]\n");
        QVERIFY2(test::boxes::buildTestImage(ctx.path(), failing, test::testLabel(), &error),
                 qPrintable(error));
        const QString name = test::uniqueName(QStringLiteral("ca-fail")).toLower();
        d = openDeploy();
        QVERIFY(d);
        QTest::keyClicks(d->nameEdit(), name);
        QTest::keyClicks(d->imageEdit(), failing);
        QVERIFY(!d->keepFailedCheck()->isChecked());
        d->keepFailedCheck()->setFocus(Qt::TabFocusReason);
        QTest::keyClick(d->keepFailedCheck(), Qt::Key_Space);
        QVERIFY(d->keepFailedCheck()->isChecked());
        QTest::mouseClick(d->deployButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(d->result().has_value() && !d->isRunning(), 120000);
        QVERIFY(!d->succeeded());
        const QString outcome = d->outcomeText();
        QVERIFY2(outcome.contains(QLatin1String("Deploy failed at")), qPrintable(outcome));
        QVERIFY2(outcome.contains(QLatin1String("exited with code 3")), qPrintable(outcome));
        QVERIFY2(!outcome.contains(QLatin1String("Nothing was created")), qPrintable(outcome));
        QString shown;
        for (QPlainTextEdit *e : d->findChildren<QPlainTextEdit *>())
            if (e->isVisible() && e->isReadOnly())
                shown += e->toPlainText();
        QVERIFY2(shown.contains(QLatin1String("fatal: no config in /etc/agent")),
                 qPrintable(shown));
        QVERIFY2(shown.contains(QLatin1String("starting up")), qPrintable(shown));
        QVERIFY2(shown.contains(name + QLatin1String(".failed-")), qPrintable(shown));
        closeDeploy(d);
        // Kept: stopped, under its .failed- name, with the box's label; nothing running.
        int code = 0;
        const QString kept =
            test::runDocker({QStringLiteral("ps"), QStringLiteral("-a"), QStringLiteral("--filter"),
                             QStringLiteral("label=box-console.box=") + name,
                             QStringLiteral("--format"), QStringLiteral("{{.Names}} {{.State}}")},
                            &code);
        QCOMPARE(code, 0);
        const QStringList rows = kept.trimmed().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(rows.size(), 1);
        QVERIFY2(rows.first().startsWith(name + QLatin1String(".failed-")) &&
                     rows.first().endsWith(QLatin1String(" exited")),
                 qPrintable(kept));
        test::removeLabelled(QStringLiteral("box-console.box=") + name);
    }

    // Finding 3: `docker stop` from outside is on record as such, without an alarm; a crash
    // still alerts.
    void stopFromOutsideIsRecordedNotAlerted()
    {
        const QString polite = test::uniqueName(QStringLiteral("ca-polite"));
        const QString stubborn = test::uniqueName(QStringLiteral("ca-stubborn"));
        const QString crash = test::uniqueName(QStringLiteral("ca-crash"));
        QVERIFY(!run(polite, QStringLiteral("trap 'exit 0' TERM; while true; do sleep 1; done"))
                     .isEmpty());
        QVERIFY(!run(stubborn, QStringLiteral("sleep 3600")).isEmpty()); // ignores SIGTERM
        QVERIFY(!run(crash, QStringLiteral("sleep 5; exit 3")).isEmpty());
        for (const QString &n : {polite, stubborn, crash})
            QTRY_COMPARE_WITH_TIMEOUT(boxOf(n).state, BoxInfo::State::Running, 10000);
        QSignalSpy notified(m_window->notifier(), &ui::Notifier::notified);
        ui::AlertHistoryModel *h = m_window->alertCenter()->history();
        const int before = h->rowCount();
        test::runDocker(
            {QStringLiteral("stop"), QStringLiteral("-t"), QStringLiteral("1"), polite, stubborn});
        QTRY_COMPARE_WITH_TIMEOUT(boxOf(crash).state, BoxInfo::State::Exited, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!notified.isEmpty(), 10000);
        test::spinEventLoop(2500);
        QCOMPARE(boxOf(polite).state, BoxInfo::State::Exited);
        QCOMPARE(boxOf(stubborn).state, BoxInfo::State::Exited);
        // One notification, the crash's.
        QCOMPARE(notified.count(), 1);
        QVERIFY2(notified.first().at(0).toString().contains(crash) ||
                     notified.first().at(1).toString().contains(crash),
                 qPrintable(notified.first().at(0).toString()));
        QStringList texts;
        for (int r = before; r < h->rowCount(); ++r)
            texts << h->entryAt(r).box + QStringLiteral(": ") + h->entryAt(r).text;
        for (const QString &n : {polite, stubborn}) {
            bool found = false;
            for (const QString &t : std::as_const(texts))
                found = found || (t.startsWith(n + QLatin1Char(':')) &&
                                  t.contains(QLatin1String("stopped (by docker stop)")));
            QVERIFY2(found, qPrintable(texts.join(QLatin1Char('\n'))));
        }
        // The list says so too, and a deliberate stop is not "needs attention".
        const QModelIndex state =
            m_window->model()->index(rowOf(stubborn), ui::BoxListModel::State);
        QVERIFY2(state.data(Qt::ToolTipRole).toString().contains(QLatin1String("by docker stop")),
                 qPrintable(state.data(Qt::ToolTipRole).toString()));
        QVERIFY(!ui::BoxListModel::needsAttention(boxOf(stubborn)));
        QVERIFY(ui::BoxListModel::needsAttention(boxOf(crash)));
        // Started again, a later crash is a crash again.
        test::runDocker({QStringLiteral("start"), stubborn});
        QTRY_COMPARE_WITH_TIMEOUT(boxOf(stubborn).state, BoxInfo::State::Running, 10000);
        QVERIFY(boxOf(stubborn).stoppedBy.isEmpty());
        notified.clear();
        test::runDocker({QStringLiteral("kill"), stubborn});
        QTRY_VERIFY_WITH_TIMEOUT(!notified.isEmpty(), 10000);
        QVERIFY2(notified.first().at(1).toString().contains(QLatin1String("killed")),
                 qPrintable(notified.first().at(1).toString()));
    }

    // Start, Stop, Restart, Open URL, Copy exec, terminal, Refresh and Delete from the
    // toolbar, with the mouse.
    void toolbarBoxActions()
    {
        const QString name = test::uniqueName(QStringLiteral("ca-tool"));
        const QString url = QStringLiteral("http://%1.example.test/").arg(name.toLower());
        QVERIFY(!run(name, QStringLiteral("trap 'exit 0' TERM; while true; do sleep 1; done"),
                     {QStringLiteral("box-console.url=") + url})
                     .isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(boxOf(name).state, BoxInfo::State::Running, 10000);
        clickRow(name);
        QSignalSpy notified(m_window->notifier(), &ui::Notifier::notified);

        clickTool(QStringLiteral("Stop"));
        QTRY_COMPARE_WITH_TIMEOUT(boxOf(name).state, BoxInfo::State::Exited, 20000);
        QVERIFY(!isRunning(name));
        clickTool(QStringLiteral("Start"));
        QTRY_COMPARE_WITH_TIMEOUT(boxOf(name).state, BoxInfo::State::Running, 20000);
        QVERIFY(isRunning(name));
        const std::string started = inspectJson(name)["State"].value("StartedAt", std::string());
        clickTool(QStringLiteral("Restart"));
        QTRY_VERIFY_WITH_TIMEOUT(
            inspectJson(name)["State"].value("StartedAt", std::string()) != started, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(boxOf(name).state, BoxInfo::State::Running, 20000);
        test::spinEventLoop(2000);
        QVERIFY2(notified.isEmpty(), "the console's own actions raised an alert");

        clickTool(QStringLiteral("Open URL"));
        QTRY_COMPARE(m_opened.size(), 1);
        QCOMPARE(m_opened.first(), QUrl(url));

        QApplication::clipboard()->clear();
        clickTool(QStringLiteral("Copy exec"));
        QTRY_VERIFY(QApplication::clipboard()->text().contains(name));
        QVERIFY(QApplication::clipboard()->text().startsWith(QLatin1String("docker")));

        // It asks for the user and shell first: the defaults, OK.
        bool askedShell = false;
        whenShown<QDialog>(this, [&askedShell](QDialog *dialog) {
            if (!dialog->windowTitle().startsWith(QLatin1String("Open terminal")))
                return;
            askedShell = true;
            auto *box = dialog->findChild<QDialogButtonBox *>();
            QTest::mouseClick(box->button(QDialogButtonBox::Ok), Qt::LeftButton);
        });
        clickTool(QStringLiteral("Open terminal"));
        QTRY_VERIFY(askedShell);
        ui::TerminalDock *dock = m_window->findChild<ui::TerminalDock *>();
        QVERIFY(dock);
        QTRY_COMPARE(dock->tabs()->count(), 1);
        dock->tabs()->closeTab(0);
        dock->hide();

        QSignalSpy listed(m_monitor.get(), &boxes::BoxMonitor::backendListed);
        clickTool(QStringLiteral("Refresh"));
        QTRY_VERIFY_WITH_TIMEOUT(!listed.isEmpty(), 10000);

        clickRow(name);
        QString asked;
        whenShown<ui::DeleteDialog>(this, [&asked](ui::DeleteDialog *dd) {
            asked = dd->message();
            QTest::mouseClick(dd->deleteButton(), Qt::LeftButton);
        });
        clickTool(QStringLiteral("Delete"));
        QVERIFY2(asked.contains(name), qPrintable(asked));
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(name) < 0, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(containerId(name).isEmpty(), 10000);
        // The console's own delete is no "deleted outside" news.
        QVERIFY(!m_window->detailPane()->titleLabel()->text().contains(QLatin1String("gone")));
    }

    // Settings from the toolbar: every column of the engines table has a heading; Cancel.
    void settingsFromToolbar()
    {
        bool checked = false;
        QStringList headings;
        whenShown<ui::SettingsDialog>(this, [&](ui::SettingsDialog *s) {
            for (QTableView *v : s->findChildren<QTableView *>()) {
                QHeaderView *h = v->horizontalHeader();
                for (int c = 0; c < v->model()->columnCount(); ++c)
                    if (!h->isSectionHidden(c))
                        headings << v->model()->headerData(c, Qt::Horizontal).toString();
            }
            checked = true;
            auto *box = s->findChild<QDialogButtonBox *>();
            QTest::mouseClick(box->button(QDialogButtonBox::Cancel), Qt::LeftButton);
        });
        QSignalSpy changed(m_window.get(), &ui::MainWindow::settingsChanged);
        clickTool(QStringLiteral("Settings"));
        QVERIFY(checked);
        QVERIFY(!headings.isEmpty());
        QVERIFY2(!headings.contains(QString()), qPrintable(headings.join(QLatin1Char('|'))));
        QCOMPARE(changed.count(), 0);
    }

    // A real build, offline: a tiny context on the busybox image, typed into the dialog.
    void buildFromToolbar()
    {
        QTemporaryDir context;
        const QString tag = QStringLiteral("bctest/console-build:%1")
                                .arg(test::uniqueName(QStringLiteral("b")).toLower());
        {
            QFile df(context.filePath(QStringLiteral("Dockerfile")));
            QVERIFY(df.open(QIODevice::WriteOnly));
            df.write(QStringLiteral("FROM %1\nLABEL %2\nRUN echo built-by-the-console > /made\n")
                         .arg(test::testImage(), test::testLabel())
                         .toUtf8());
        }
        clickTool(QStringLiteral("Build"));
        ui::BuildDialog *b = nullptr;
        QTRY_VERIFY((b = m_window->findChild<ui::BuildDialog *>()) && b->isVisible());
        QList<QLineEdit *> edits;
        for (QLineEdit *e : b->findChildren<QLineEdit *>())
            if (e->isVisible())
                edits << e;
        QLineEdit *dir = nullptr;
        QLineEdit *tagEdit = nullptr;
        for (QLineEdit *e : edits) {
            if (e->placeholderText().contains(QLatin1String("directory")))
                dir = e;
            else if (e->placeholderText().contains(QLatin1String("e.g.")))
                tagEdit = e;
        }
        QVERIFY(dir && tagEdit);
        QTest::keyClicks(dir, context.path());
        QTest::keyClicks(tagEdit, tag);
        QPushButton *build = buttonNamed(b, QStringLiteral("Build"));
        QVERIFY(build && build->isEnabled());
        QSignalSpy built(b, &ui::BuildDialog::built);
        QTest::mouseClick(build, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(b->result().has_value(), 180000);
        QVERIFY2(b->result()->ok(), qPrintable(b->outcome() + QLatin1Char('\n') + b->log()));
        QCOMPARE(built.count(), 1);
        QVERIFY2(b->log().contains(QLatin1String("built-by-the-console")) ||
                     b->log().contains(QLatin1String("RUN")),
                 qPrintable(b->log()));
        int code = 0;
        const QString out = test::runDocker({QStringLiteral("run"), QStringLiteral("--rm"),
                                             QStringLiteral("--network"), QStringLiteral("none"),
                                             tag, QStringLiteral("cat"), QStringLiteral("/made")},
                                            &code);
        test::runDocker({QStringLiteral("rmi"), QStringLiteral("-f"), tag});
        QCOMPARE(code, 0);
        QCOMPARE(out.trimmed(), QStringLiteral("built-by-the-console"));
        QPointer<ui::BuildDialog> guard(b);
        QTest::mouseClick(buttonNamed(b, QStringLiteral("Close")), Qt::LeftButton);
        QTRY_VERIFY(!guard || !guard->isVisible());
    }

    // Every detail tab by a click on its tab; the logs follow, pause, search and go live.
    void detailTabsAndLogs()
    {
        const QString name = test::uniqueName(QStringLiteral("ca-logs"));
        // (mkdir: the test image has no /tmp, which a real box has as a tmpfs)
        QVERIFY(!run(name,
                     QStringLiteral("mkdir -p /tmp; echo the-needle-line; i=0; while true; do echo "
                                    "line-$i; i=$((i+1)); sleep 0.1; done"))
                     .isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(boxOf(name).state, BoxInfo::State::Running, 10000);
        clickRow(name);
        QTabWidget *tabs = m_window->detailPane()->tabs();
        QTabBar *bar = tabs->tabBar();
        for (int i = 0; i < tabs->count(); ++i) {
            QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(i).center());
            QCOMPARE(tabs->currentIndex(), i);
            QVERIFY(tabs->currentWidget()->isVisible());
        }
        QTest::mouseClick(bar, Qt::LeftButton, {},
                          bar->tabRect(ui::BoxDetailPane::LogsTab).center());
        ui::LogView *logs = m_window->detailPane()->logView();
        QTRY_VERIFY_WITH_TIMEOUT(logs->model()->rowCount() > 10, 15000);
        // Someone following the log counts as activity: the marker the box-agent reports
        // as lastActivity appears in the box (docs/policy-service.md).
        QString touched;
        QTRY_VERIFY_WITH_TIMEOUT(
            !(touched = test::runDocker({QStringLiteral("exec"), name, QStringLiteral("stat"),
                                         QStringLiteral("-c"), QStringLiteral("%Y"),
                                         QStringLiteral("/tmp/.box-activity")})
                            .trimmed())
                 .isEmpty(),
            10000);
        QVERIFY2(qAbs(touched.toLongLong() - QDateTime::currentSecsSinceEpoch()) < 30,
                 qPrintable(touched));
        // Following: new lines keep arriving at the bottom.
        const int first = logs->model()->rowCount();
        QTRY_VERIFY_WITH_TIMEOUT(logs->model()->rowCount() > first + 5, 10000);
        QVERIFY(logs->isFollowing());
        // Pause holds new lines; un-pausing shows them.
        QToolButton *pause = nullptr;
        for (QToolButton *b : logs->findChildren<QToolButton *>())
            if (b->text() == QStringLiteral("Pause"))
                pause = b;
        QVERIFY(pause);
        QTest::mouseClick(pause, Qt::LeftButton);
        QVERIFY(logs->isPaused());
        test::spinEventLoop(300);
        const int held = logs->model()->rowCount();
        test::spinEventLoop(1000);
        QCOMPARE(logs->model()->rowCount(), held);
        QTest::mouseClick(pause, Qt::LeftButton);
        QVERIFY(!logs->isPaused());
        QTRY_VERIFY_WITH_TIMEOUT(logs->model()->rowCount() > held, 5000);
        // Search: typed, Enter jumps to the match and stops following.
        QLineEdit *search = nullptr;
        for (QLineEdit *e : logs->findChildren<QLineEdit *>())
            if (e->accessibleName() == QStringLiteral("Search log"))
                search = e;
        QVERIFY(search);
        QSignalSpy searched(logs, &ui::LogView::searchFinished);
        QTest::keyClicks(search, QStringLiteral("the-needle"));
        QTest::keyClick(search, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(!searched.isEmpty(), 10000);
        QCOMPARE(searched.first().at(0).toInt(), 1);
        QTRY_VERIFY(logs->view()->currentIndex().data().toString().contains(
            QLatin1String("the-needle-line")));
        QVERIFY(!logs->isFollowing());
        // Back to the live end.
        // Offered once new lines arrive below what is being read.
        QPushButton *live = nullptr;
        QTRY_VERIFY((live = buttonNamed(logs, QStringLiteral("Jump to live ↓"))));
        QTest::mouseClick(live, Qt::LeftButton);
        QTRY_VERIFY(logs->isFollowing());
        search->clear();
    }

    // A box deleted elsewhere while selected: the pane says so and no action acts on it.
    void boxDeletedOutsideWhileSelected()
    {
        const QString name = test::uniqueName(QStringLiteral("ca-gone"));
        QVERIFY(!run(name, QStringLiteral("sleep 3600")).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(boxOf(name).state, BoxInfo::State::Running, 10000);
        m_window->filterEdit()->clear();
        clickRow(name);
        QVERIFY(toolAction(QStringLiteral("Stop"))->isEnabled());
        QSignalSpy notified(m_window->notifier(), &ui::Notifier::notified);
        test::runDocker({QStringLiteral("rm"), QStringLiteral("-f"), name});
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(name) < 0, 10000);
        QTRY_VERIFY(m_window->detailPane()->titleLabel()->text().contains(name));
        QVERIFY(m_window->detailPane()->titleLabel()->text().contains(QLatin1String("gone")));
        QVERIFY(m_window->detailPane()->currentKey().isEmpty());
        QVERIFY(m_window->selectedBoxes().isEmpty());
        for (const QString &a : {QStringLiteral("Stop"), QStringLiteral("Restart"),
                                 QStringLiteral("Delete"), QStringLiteral("Copy exec")})
            QVERIFY2(!toolAction(a)->isEnabled(), qPrintable(a));
        // The keys do nothing either: no dialog, no "could not stop" for a stale id.
        bool dialog = false;
        whenShown<ui::DeleteDialog>(
            this,
            [&dialog](ui::DeleteDialog *dd) {
                dialog = true;
                dd->reject();
            },
            10);
        activate();
        m_window->table()->setFocus();
        QTest::keyClick(m_window->table(), Qt::Key_F8);
        QTest::keyClick(m_window->table(), Qt::Key_Delete);
        test::spinEventLoop(1000);
        QVERIFY(!dialog);
        QVERIFY2(notified.isEmpty(),
                 qPrintable(notified.isEmpty() ? QString() : notified.first().at(0).toString()));
    }

    // Last: every toolbar action was set off by a click or a key in this file. A new action
    // added to the toolbar fails here until a test clicks it.
    void everyToolbarActionWasTriggeredByAUserEvent()
    {
        QStringList untested;
        int actions = 0;
        for (QAction *a : toolBar()->actions()) {
            if (a->isSeparator() || !a->isVisible())
                continue;
            ++actions;
            if (!m_triggered.contains(plain(a)))
                untested << plain(a);
        }
        QVERIFY(actions >= 11);
        QVERIFY2(untested.isEmpty(), qPrintable(QStringLiteral("not clicked by any test: ") +
                                                untested.join(QStringLiteral(", "))));
    }
};

QTEST_MAIN(tst_ConsoleActions)
#include "tst_consoleactions.moc"
