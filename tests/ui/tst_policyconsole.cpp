// ctest: labels=docker;gui timeout=300
// The console's view of lifecycle policies on the real engine: the Policy column of a box
// deployed with policy labels, and the "Keep alive" action, which stores the keep-alive on
// the engine (where the policy service reads it), records it, and moves the shown deadline.
#include "../core/boxes/boxtestsupport.h"

#include "core/activity/activitylog.h"
#include "core/boxes/boxmonitor.h"
#include "core/boxes/dockerbackend.h"
#include "core/policy/keepalive.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"
#include "ui/mainwindow.h"
#include "ui/models/boxlistmodel.h"

#include <QAction>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace bc;

class tst_PolicyConsole final : public QObject
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
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->boxAt(r).name == name)
                return r;
        return -1;
    }
    QString policyText(const QString &name) const
    {
        const int row = rowOfName(name);
        return row < 0 ? QString()
                       : m_window->model()->index(row, ui::BoxListModel::Policy).data().toString();
    }

private slots:
    void initTestCase()
    {
        if (!test::dockerAvailable())
            QSKIP("no Docker engine");
        qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
        qputenv("BOX_SECRET_STORE", "file");
        qputenv("BOX_ACTIVITY_DB", m_home.filePath(QStringLiteral("activity.sqlite")).toUtf8());
        test::removeLabelled();
        QString error;
        QVERIFY2(test::boxes::buildAgentImage(&error), qPrintable(error));
        m_monitor = std::make_unique<boxes::BoxMonitor>();
        m_backend =
            new boxes::DockerBackend(http::Endpoint{}, test::boxes::testOptions(), m_monitor.get());
        m_monitor->addBackend(m_backend);
        m_monitor->start();
        m_window = std::make_unique<ui::MainWindow>(m_monitor.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }
    void cleanupTestCase()
    {
        if (m_monitor) {
            m_monitor->stop();
            test::spinEventLoop(1500);
        }
        m_window.reset();
        m_monitor.reset();
        if (test::dockerAvailable())
            test::removeLabelled();
    }

    void columnAndKeepAlive()
    {
        // A box deployed with a 30 min idle stop over a fleet default lifetime of 8 h.
        boxes::DeployOptions o = m_backend->deployOptions();
        o.fleet.policyDefault.maxLifetimeSecs = 8 * 3600;
        m_backend->setDeployOptions(o);
        security::BoxSpec spec = test::boxes::agentSpec(test::uniqueName(QStringLiteral("bxk")));
        spec.policy.idleStopSecs = 1800;
        QVERIFY_RESULT(test::boxes::runJob(m_backend->deploy(spec)));
        QTRY_VERIFY_WITH_TIMEOUT(rowOfName(spec.name) >= 0, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(policyText(spec.name), QStringLiteral("idle stop in 30 min"),
                                  10000);

        // Select the row with the mouse, then Box > Keep alive.
        QTableView *table = m_window->table();
        const QModelIndex source = m_window->model()->index(rowOfName(spec.name), 0);
        QModelIndex shown;
        for (int r = 0; r < table->model()->rowCount() && !shown.isValid(); ++r)
            if (table->model()->index(r, 0).data().toString() == spec.name)
                shown = table->model()->index(r, 0);
        QVERIFY(shown.isValid() && source.isValid());
        table->scrollTo(shown);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(shown).center());
        auto *keepAlive = m_window->findChild<QAction *>(QStringLiteral("keepAliveAction"));
        QVERIFY(keepAlive);
        keepAlive->trigger();

        // Stored on the engine for the service, and shown: the idle stop is now an hour out.
        // (an hour less the seconds since the click: "60 min", or "1 h" on a slow machine).
        QTRY_VERIFY_WITH_TIMEOUT(policyText(spec.name) == QStringLiteral("idle stop in 60 min") ||
                                     policyText(spec.name) == QStringLiteral("idle stop in 1 h"),
                                 10000);
        QObject guard;
        const auto until =
            test::await(policy::KeepAlive::read(m_backend->client(), &guard, spec.name));
        QVERIFY_RESULT(until);
        QVERIFY(until->isValid());
        QVERIFY(qAbs(QDateTime::currentDateTimeUtc().secsTo(*until) - 3600) < 60);
        activity::ActivityLog::instance().flush();
        activity::ActivityFilter f;
        f.box = spec.name;
        f.action = activity::actions::keepalive();
        const auto records = activity::ActivityLog::instance().query(f);
        QVERIFY(records);
        QCOMPARE(records->size(), 1);
        QCOMPARE(records->first().result, activity::results::ok());
    }
};

QTEST_MAIN(tst_PolicyConsole)
#include "tst_policyconsole.moc"
