// The Activity view and its model: the model passes QAbstractItemModelTester while records
// are appended (rows inserted, never a reset), the filters work through the real widgets
// (typing a box, picking an action and a time range), new records appear while the view is
// shown, the detail pane's History tab shows the selected box's records only, and the main
// window opens the view from its menu shortcut.
#include "core/activity/activitylog.h"
#include "core/boxes/boxinfo.h"
#include "core/boxes/boxmonitor.h"
#include "support/testutil.h"
#include "ui/activityview.h"
#include "ui/boxdetailpane.h"
#include "ui/mainwindow.h"
#include "ui/models/activitymodel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace bc;
using namespace bc::activity;
using bc::ui::ActivityModel;
using bc::ui::ActivityView;

class tst_ActivityView : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QString m_path;
    std::unique_ptr<ActivityLog> m_log;
    ActivityLog *m_target = nullptr; // where add() writes

    qint64 add(const QString &action, const QString &box, const QString &actor,
               const QDateTime &time = {}, const QString &error = {})
    {
        ActivityRecord r = ActivityRecord::make(action, QStringLiteral("docker:unix:///t.sock"),
                                                box, {{QStringLiteral("n"), box}});
        r.actor = actor;
        r.time = time;
        if (!error.isEmpty())
            r.failedWith(error);
        const auto stored = m_target->append(r);
        if (!stored)
            qFatal("append: %s", qPrintable(stored.error().toString()));
        return stored->seq;
    }
    static QStringList column(QAbstractItemModel *m, int c)
    {
        QStringList out;
        for (int r = 0; r < m->rowCount(); ++r)
            out << m->index(r, c).data().toString();
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        // The detail pane and the main window use the process's log.
        qputenv("BOX_ACTIVITY_DB", m_home.filePath(QStringLiteral("instance.sqlite")).toUtf8());
    }

    void init()
    {
        static int n = 0;
        m_path = m_home.filePath(QStringLiteral("log%1.sqlite").arg(++n));
        m_log = std::make_unique<ActivityLog>(m_path);
        m_target = m_log.get();
    }

    void modelAppendsIncrementally()
    {
        add(actions::deploy(), QStringLiteral("alice"), QStringLiteral("ann"));
        add(actions::stop(), QStringLiteral("bob"), QStringLiteral("ann"));
        add(actions::exec(), QStringLiteral("alice"), QStringLiteral("ben"), {},
            QStringLiteral("no such box"));

        ActivityModel model(m_log.get());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &ActivityModel::loaded);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.refresh(); // nothing before a filter is set
        QCOMPARE(model.rowCount(), 0);
        model.setFilter({});
        QVERIFY(loaded.wait(5000));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(column(&model, ActivityModel::Action),
                 (QStringList{QStringLiteral("deploy"), QStringLiteral("stop"),
                              QStringLiteral("exec")}));
        QCOMPARE(model.index(2, ActivityModel::Result).data().toString(), QStringLiteral("failed"));
        QCOMPARE(model.index(2, ActivityModel::Details).data().toString(),
                 QStringLiteral("no such box"));
        QCOMPARE(model.index(0, 0).data(ActivityModel::SeqRole).toLongLong(), 1);
        QVERIFY(model.index(0, ActivityModel::Details).data().toString().contains(u"alice"));

        inserted.clear();
        add(actions::start(), QStringLiteral("bob"), QStringLiteral("ann"));
        add(actions::restart(), QStringLiteral("bob"), QStringLiteral("ann"));
        model.refresh();
        QVERIFY(loaded.wait(5000));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted[0][1].toInt(), 3);
        QCOMPARE(inserted[0][2].toInt(), 4);
        model.refresh(); // nothing new: no rows
        QVERIFY(loaded.wait(5000));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(inserted.size(), 1);

        ActivityFilter f;
        f.box = QStringLiteral("bob");
        model.setFilter(f);
        QVERIFY(loaded.wait(5000));
        QCOMPARE(column(&model, ActivityModel::Box), QStringList(3, QStringLiteral("bob")));
        QCOMPARE(resets.size(), 0);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void filtersThroughTheWidgets()
    {
        const QDateTime old = QDateTime::currentDateTimeUtc().addDays(-3);
        add(actions::deploy(), QStringLiteral("alice"), QStringLiteral("ann"), old);
        add(actions::stop(), QStringLiteral("alice"), QStringLiteral("ben"));
        add(actions::deploy(), QStringLiteral("bob"), QStringLiteral("ann"));
        add(actions::remove(), QStringLiteral("alice"), QStringLiteral("ann"));

        ActivityView view(ActivityView::Mode::AllBoxes, m_log.get());
        QSignalSpy loaded(&view, &ActivityView::loaded);
        view.resize(900, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(loaded.wait(5000));
        QAbstractItemModel *shown = view.table()->model();
        QCOMPARE(shown->rowCount(), 4);
        // Newest first.
        QCOMPARE(shown->index(0, ActivityModel::Action).data().toString(),
                 QStringLiteral("delete"));
        QCOMPARE(view.status()->text(), QStringLiteral("4 records"));

        QTest::keyClicks(view.boxFilter(), QStringLiteral("alice"));
        QTest::keyClick(view.boxFilter(), Qt::Key_Return);
        QVERIFY(loaded.wait(5000));
        QCOMPARE(column(shown, ActivityModel::Box), QStringList(3, QStringLiteral("alice")));

        view.actionFilter()->setCurrentIndex(view.actionFilter()->findData(actions::deploy()));
        QVERIFY(loaded.wait(5000));
        QCOMPARE(shown->rowCount(), 1);
        QCOMPARE(shown->index(0, ActivityModel::Actor).data().toString(), QStringLiteral("ann"));

        view.rangeFilter()->setCurrentIndex(view.rangeFilter()->findData(ActivityView::LastDay));
        QVERIFY(loaded.wait(5000));
        QCOMPARE(shown->rowCount(), 0); // that deploy was three days ago
        QCOMPARE(view.status()->text(), QStringLiteral("0 records"));

        view.actionFilter()->setCurrentIndex(0);
        QVERIFY(loaded.wait(5000));
        QCOMPARE(column(shown, ActivityModel::Action),
                 (QStringList{QStringLiteral("delete"), QStringLiteral("stop")}));

        // Typing pauses apply too, without Return.
        QTest::keyClicks(view.actorFilter(), QStringLiteral("ben"));
        QVERIFY(loaded.wait(5000));
        QCOMPARE(column(shown, ActivityModel::Actor), QStringList{QStringLiteral("ben")});

        view.boxFilter()->clear();
        view.actorFilter()->clear();
        view.rangeFilter()->setCurrentIndex(0);
        QTRY_COMPARE_WITH_TIMEOUT(shown->rowCount(), 4, 5000);
    }

    void newRecordsAppearWhileShown()
    {
        add(actions::deploy(), QStringLiteral("alice"), QStringLiteral("ann"));
        ActivityView view(ActivityView::Mode::AllBoxes, m_log.get());
        QSignalSpy loaded(&view, &ActivityView::loaded);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(loaded.wait(5000));
        QCOMPARE(view.model()->rowCount(), 1);
        // Written by another writer (boxctl, the service): picked up by the next poll.
        ActivityLog other(m_path);
        QVERIFY(other.append(ActivityRecord::make(actions::stop(), {}, QStringLiteral("alice"))));
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 2, ActivityView::RefreshMs * 3);
        QCOMPARE(view.table()->model()->index(0, ActivityModel::Action).data().toString(),
                 QStringLiteral("stop"));
        // Hidden, it stops reading.
        view.hide();
        QVERIFY(other.append(ActivityRecord::make(actions::start(), {}, QStringLiteral("alice"))));
        QTest::qWait(ActivityView::RefreshMs + 500);
        QCOMPARE(view.model()->rowCount(), 2);
    }

    void detailPaneShowsTheBoxHistory()
    {
        m_target = &ActivityLog::instance();
        QCOMPARE(m_target->path(), m_home.filePath(QStringLiteral("instance.sqlite")));
        add(actions::deploy(), QStringLiteral("alice"), QStringLiteral("ann"));
        add(actions::deploy(), QStringLiteral("bob"), QStringLiteral("ann"));
        add(actions::stop(), QStringLiteral("alice"), QStringLiteral("ann"));

        ui::BoxDetailPane pane(nullptr, [](const QString &) { return nullptr; });
        pane.resize(900, 600);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        ActivityView *history = pane.historyView();
        QVERIFY(history);
        QCOMPARE(pane.tabs()->tabText(ui::BoxDetailPane::HistoryTab), QStringLiteral("History"));
        QVERIFY(!history->boxFilter()->isVisible());

        boxes::BoxInfo alice;
        alice.name = QStringLiteral("alice");
        alice.id = QStringLiteral("c-alice");
        alice.backendId = QStringLiteral("docker:unix:///t.sock");
        pane.setBox(alice);
        QSignalSpy loaded(history, &ActivityView::loaded);
        pane.tabs()->setCurrentIndex(ui::BoxDetailPane::HistoryTab);
        QVERIFY(loaded.wait(5000));
        QCOMPARE(column(history->model(), ActivityModel::Box),
                 QStringList(2, QStringLiteral("alice")));

        boxes::BoxInfo bob = alice;
        bob.name = QStringLiteral("bob");
        bob.id = QStringLiteral("c-bob");
        pane.setBox(bob);
        QVERIFY(loaded.wait(5000));
        QCOMPARE(column(history->model(), ActivityModel::Box), QStringList{QStringLiteral("bob")});

        pane.setBox(std::nullopt);
        QCOMPARE(history->model()->rowCount(), 0);
    }

    void mainWindowOpensTheViewFromItsShortcut()
    {
        m_target = &ActivityLog::instance();
        add(actions::deploy(), QStringLiteral("carol"), QStringLiteral("ann"));
        const int all = int(m_target->query()->size());
        QVERIFY(all >= 1);
        boxes::BoxMonitor empty;
        ui::MainWindow window(&empty);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::keyClick(&window, Qt::Key_L, Qt::ControlModifier | Qt::ShiftModifier);
        auto *dialog = window.findChild<QDialog *>(QStringLiteral("activityDialog"));
        QVERIFY(dialog && dialog->isVisible());
        auto *view = dialog->findChild<ActivityView *>();
        QVERIFY(view);
        QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), all, 5000);
        // The same window again, not a second one.
        QTest::keyClick(&window, Qt::Key_L, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(window.findChildren<QDialog *>(QStringLiteral("activityDialog")).size(), 1);
        dialog->close();
    }
};

QTEST_MAIN(tst_ActivityView)
#include "tst_activityview.moc"
