// ctest: labels=docker;gui timeout=300
// The console's own actions in the activity log, on the real engine: a deploy through the
// dialog (with a secret and an env value), stop, start, a terminal and a delete through the
// confirmation are each recorded once, with the backend's id, the box, the OS or configured
// actor and the result; the deploy records the secret's name, never its value.
#include "core/activity/activitylog.h"
#include "core/boxes/boxmonitor.h"
#include "core/boxes/boxsecrets.h"
#include "core/boxes/boxtestsupport.h"
#include "core/boxes/dockerbackend.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"
#include "ui/deletedialog.h"
#include "ui/deploydialog.h"
#include "ui/mainwindow.h"
#include "ui/models/boxlistmodel.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <nlohmann/json.hpp>

using namespace bc;
using activity::ActivityLog;
using activity::ActivityRecord;
using boxes::BoxInfo;

class tst_ActivityHooks final : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::LabelledCleanup> m_cleanup;
    std::unique_ptr<boxes::BoxMonitor> m_monitor;
    boxes::DockerBackend *m_backend = nullptr;
    std::unique_ptr<ui::MainWindow> m_window;
    QTemporaryDir m_home;
    QString m_db;

    int rowOfName(const QString &name) const
    {
        const ui::BoxListModel *m = m_window->model();
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->boxAt(r).name == name)
                return r;
        return -1;
    }
    QAction *actionWithShortcut(const QKeySequence &keys) const
    {
        for (QAction *a : m_window->findChildren<QAction *>())
            if (a->shortcut() == keys)
                return a;
        return nullptr;
    }
    QList<ActivityRecord> recordsOf(const QString &box) const
    {
        ActivityLog::instance().flush();
        activity::ActivityFilter f;
        f.box = box;
        const auto r = ActivityLog::instance().query(f);
        return r ? r.value() : QList<ActivityRecord>();
    }
    QStringList actionsOf(const QString &box) const
    {
        QStringList out;
        for (const ActivityRecord &r : recordsOf(box))
            out << r.action + QLatin1Char(':') + r.result;
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(test::dockerAvailable(), "no Docker engine");
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
        qputenv("BOX_SECRET_STORE", "file");
        m_db = m_home.filePath(QStringLiteral("activity/log.sqlite"));
        qputenv("BOX_ACTIVITY_DB", m_db.toUtf8());
        qputenv("BOX_ACTOR", "console-tester");
        QCOMPARE(ActivityLog::instance().path(), m_db);
        m_cleanup = std::make_unique<test::LabelledCleanup>();
        QString error;
        QVERIFY2(test::boxes::buildAgentImage(&error), qPrintable(error));
        QVERIFY_RESULT(test::await(boxes::BoxSecrets::set(QStringLiteral("HOOK_TOKEN"),
                                                          QStringLiteral("hook-secret-5e1f"))));
        m_monitor = std::make_unique<boxes::BoxMonitor>();
        m_backend =
            new boxes::DockerBackend(http::Endpoint{}, test::boxes::testOptions(), m_monitor.get());
        m_monitor->addBackend(m_backend);
        m_monitor->start();
        m_window = std::make_unique<ui::MainWindow>(m_monitor.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_monitor->isConnected(m_backend->id()), 10000);
    }

    void cleanupTestCase()
    {
        if (m_monitor) {
            m_monitor->stop();
            test::spinEventLoop(1500);
        }
        m_window.reset();
        m_monitor.reset();
        m_cleanup.reset();
        (void)test::await(boxes::BoxSecrets::remove(QStringLiteral("HOOK_TOKEN")));
    }

    void consoleActionsAreRecordedOnce()
    {
        const QString name = test::uniqueName(QStringLiteral("hook"));
        security::BoxSpec spec = test::boxes::agentSpec(name);
        spec.secrets = {QStringLiteral("HOOK_TOKEN")};
        spec.env.insert(QStringLiteral("HOOK_SETTING"), QStringLiteral("hook-env-value-8c2d"));
        QTemporaryDir dir;
        const QString specPath = dir.filePath(QStringLiteral("spec.json"));
        test::writeFile(specPath, QByteArray::fromStdString(spec.toJson().dump(2)));

        ui::DeployDialog *dialog = m_window->openDeployDialog();
        QVERIFY(dialog->loadSpecFile(specPath));
        dialog->submit();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isRunning(), 120000);
        QVERIFY2(dialog->succeeded(), qPrintable(dialog->outcomeText()));
        dialog->close();
        QTRY_VERIFY_WITH_TIMEOUT(rowOfName(name) >= 0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(actionsOf(name), QStringList{QStringLiteral("deploy:ok")}, 5000);
        const ActivityRecord deploy = recordsOf(name).first();
        QCOMPARE(deploy.backend, m_backend->id());
        QCOMPARE(deploy.actor, QStringLiteral("console-tester"));
        QVERIFY(deploy.params.value("secrets", util::json::Json()) ==
                util::json::Json::array({"HOOK_TOKEN"}));

        QTRY_COMPARE_WITH_TIMEOUT(m_window->model()->boxAt(rowOfName(name)).state,
                                  BoxInfo::State::Running, 30000);
        QVERIFY(m_window->selectBox(m_window->model()->boxAt(rowOfName(name)).key()));
        QAction *stop = actionWithShortcut(QKeySequence(Qt::Key_F8));
        QAction *start = actionWithShortcut(QKeySequence(Qt::Key_F7));
        QAction *terminal = actionWithShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_T));
        QVERIFY(stop && start && terminal);
        const auto selection = [this] {
            QStringList out;
            for (const BoxInfo &b : m_window->selectedBoxes())
                out << b.name + QLatin1Char('=') + BoxInfo::stateName(b.state);
            return out.join(u',');
        };
        QTRY_VERIFY2_WITH_TIMEOUT(stop->isEnabled(), qPrintable(selection()), 20000);
        stop->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(actionsOf(name).size(), 2, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->model()->boxAt(rowOfName(name)).state,
                                  BoxInfo::State::Exited, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 20000);
        start->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(actionsOf(name).size(), 3, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->model()->boxAt(rowOfName(name)).state,
                                  BoxInfo::State::Running, 20000);
        // The terminal asks for user and shell (modal): answer with the defaults. Its exec
        // is recorded once the session runs.
        bool sawQuestion = false;
        const auto answer = [&sawQuestion] {
            for (QWidget *w : QApplication::topLevelWidgets()) {
                auto *d = qobject_cast<QDialog *>(w);
                if (d && d->isVisible() && d->windowTitle().startsWith(u"Open terminal")) {
                    sawQuestion = true;
                    d->accept();
                }
            }
        };
        QTimer poll;
        connect(&poll, &QTimer::timeout, this, answer);
        poll.start(100);
        terminal->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(sawQuestion, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(actionsOf(name).size(), 4, 20000);
        poll.stop();

        bool sawDialog = false;
        QTimer::singleShot(200, this, [&sawDialog] {
            for (QWidget *w : QApplication::topLevelWidgets()) {
                if (auto *d = qobject_cast<ui::DeleteDialog *>(w); d && d->isVisible()) {
                    sawDialog = true;
                    d->deleteButton()->click();
                }
            }
        });
        m_window->deleteSelected();
        QVERIFY(sawDialog);
        QTRY_VERIFY_WITH_TIMEOUT(rowOfName(name) < 0, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(
            actionsOf(name),
            (QStringList{QStringLiteral("deploy:ok"), QStringLiteral("stop:ok"),
                         QStringLiteral("start:ok"), QStringLiteral("exec:ok"),
                         QStringLiteral("delete:ok")}),
            10000);
        for (const ActivityRecord &r : recordsOf(name)) {
            QCOMPARE(r.backend, m_backend->id());
            QCOMPARE(r.actor, QStringLiteral("console-tester"));
        }
        const auto v = ActivityLog::instance().verify();
        QVERIFY_RESULT(v);
        QVERIFY(v->intact);

        QByteArray bytes;
        const QDir logDir = QFileInfo(m_db).absoluteDir();
        for (const QString &f : logDir.entryList(QDir::Files)) {
            QFile file(logDir.filePath(f));
            QVERIFY(file.open(QIODevice::ReadOnly));
            bytes += file.readAll();
        }
        QVERIFY(bytes.contains("HOOK_TOKEN"));
        QVERIFY(!bytes.contains("hook-secret-5e1f"));
        QVERIFY(!bytes.contains("hook-env-value-8c2d"));
    }
};

QTEST_MAIN(tst_ActivityHooks)
#include "tst_activityhooks.moc"
