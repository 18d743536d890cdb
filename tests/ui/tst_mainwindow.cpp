// ctest: labels=docker;gui timeout=600
// The console as a new admin meets it, on the real engine, driven through its widgets
// (mouse and keys): alerts that are true and grouped, with a history; health and exit
// codes in words; uptime and charts that survive Settings; a list that does not move under
// the pointer; keyboard-first use; the list-first layout; charts scaled to the box's
// limits; Apply, engine test, log controls and bulk dialogs; the data views.
#include "core/boxes/boxmonitor.h"
#include "core/boxes/boxtestsupport.h"
#include "core/boxes/dockerbackend.h"
#include "support/dockerfixture.h"
#include "ui/activityview.h"
#include "ui/alertbanner.h"
#include "ui/alertcenter.h"
#include "ui/alerthistorydialog.h"
#include "ui/boxdetailpane.h"
#include "ui/builddialog.h"
#include "ui/dataviewsdialog.h"
#include "ui/deletedialog.h"
#include "ui/deploydialog.h"
#include "ui/logview.h"
#include "ui/mainwindow.h"
#include "ui/models/alerthistorymodel.h"
#include "ui/models/boxfilterproxymodel.h"
#include "ui/models/boxlistmodel.h"
#include "ui/models/endpointmodel.h"
#include "ui/models/logmodel.h"
#include "ui/notifier.h"
#include "ui/settingsdialog.h"
#include "ui/shortcutsdialog.h"
#include "ui/sparklinewidget.h"
#include "ui/statshistory.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>

#include <functional>

using namespace bc;
using boxes::BoxInfo;

namespace {

// Runs `fn` on the first visible top-level widget of type T once it is up (a modal
// dialog's exec() blocks the test until it is answered).
template <typename T>
void whenShown(QObject *context, std::function<void(T *)> fn, int triesLeft = 100)
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

QAction *findAction(QWidget *window, const QString &text)
{
    for (QAction *a : window->findChildren<QAction *>())
        if (QString(a->text()).remove(QLatin1Char('&')).startsWith(text))
            return a;
    return nullptr;
}

} // namespace

class tst_MainWindow final : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<test::LabelledCleanup> m_cleanup;
    std::unique_ptr<boxes::BoxMonitor> m_monitor;
    QPointer<boxes::DockerBackend> m_backend;
    std::unique_ptr<ui::MainWindow> m_window;
    QTemporaryDir m_home;

    boxes::DockerBackend *makeBackend(boxes::BoxMonitor *monitor)
    {
        return new boxes::DockerBackend(http::Endpoint{}, test::boxes::testOptions(), monitor);
    }

    int sourceRow(ui::MainWindow *w, const QString &name) const
    {
        const ui::BoxListModel *m = w->model();
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->boxAt(r).name == name)
                return r;
        return -1;
    }
    int rowOf(const QString &name) const { return sourceRow(m_window.get(), name); }
    BoxInfo boxOf(const QString &name) const
    {
        const int r = rowOf(name);
        return r < 0 ? BoxInfo{} : m_window->model()->boxAt(r);
    }
    QModelIndex proxyIndex(const QString &name, int column = ui::BoxListModel::Name) const
    {
        const int r = rowOf(name);
        if (r < 0)
            return {};
        return m_window->proxy()->mapFromSource(m_window->model()->index(r, column));
    }
    QString cell(const QString &name, int column) const
    {
        const int r = rowOf(name);
        return r < 0 ? QString() : m_window->model()->index(r, column).data().toString();
    }

    // A labelled busybox box; `command` runs under sh -c.
    QString run(const QString &name, const QString &command, const QStringList &extra = {},
                const QStringList &labels = {})
    {
        QStringList args{QStringLiteral("run"),       QStringLiteral("-d"),
                         QStringLiteral("--name"),    name,
                         QStringLiteral("--label"),   test::testLabel(),
                         QStringLiteral("--label"),   QStringLiteral("box-console.box=") + name,
                         QStringLiteral("--network"), QStringLiteral("none")};
        for (const QString &l : labels)
            args << QStringLiteral("--label") << l;
        args << extra << test::testImage() << QStringLiteral("sh") << QStringLiteral("-c")
             << command;
        int code = 0;
        QString err;
        const QString id = test::runDocker(args, &code, &err);
        if (code != 0)
            qWarning("docker run failed: %s", qPrintable(err));
        return code == 0 ? id : QString();
    }

    // The state filter, by keyboard: "Needs attention", or back to all.
    void needsAttentionOnly(bool on)
    {
        QComboBox *state = m_window->stateFilter();
        state->setFocus();
        const int target = on ? state->findText(QStringLiteral("Needs attention")) : 0;
        QVERIFY(target >= 0);
        while (state->currentIndex() < target)
            QTest::keyClick(state, Qt::Key_Down);
        while (state->currentIndex() > target)
            QTest::keyClick(state, Qt::Key_Up);
        QCOMPARE(state->currentIndex(), target);
    }

    // Window shortcuts need the window active (a dialog may have taken it).
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

    void clickHeader(int column)
    {
        QHeaderView *h = m_window->table()->horizontalHeader();
        const int x = h->sectionViewportPosition(column) + h->sectionSize(column) / 2;
        QTest::mouseClick(h->viewport(), Qt::LeftButton, {}, QPoint(x, h->height() / 2));
    }

    QStringList proxyOrder() const
    {
        QStringList out;
        for (int r = 0; r < m_window->proxy()->rowCount(); ++r)
            out << m_window->proxy()->index(r, ui::BoxListModel::Name).data().toString();
        return out;
    }

    // What the app's main does when settings change: new backends for the same engines.
    void rebuildBackends()
    {
        for (boxes::BoxBackend *old : m_monitor->backends()) {
            m_monitor->removeBackend(old);
            old->deleteLater();
        }
        m_backend = makeBackend(m_monitor.get());
        m_monitor->addBackend(m_backend);
        m_window->backendsChanged();
        m_monitor->resyncNow();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(test::dockerAvailable(), "no Docker engine");
        qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
        qputenv("BOX_SECRET_STORE", "file");
        m_cleanup = std::make_unique<test::LabelledCleanup>();
        QString error;
        QVERIFY2(test::boxes::buildAgentImage(&error), qPrintable(error));
        m_monitor = std::make_unique<boxes::BoxMonitor>();
        m_backend = makeBackend(m_monitor.get());
        m_monitor->addBackend(m_backend);
        m_monitor->setStatsInterval(1000);
        m_monitor->start();
        m_window = std::make_unique<ui::MainWindow>(m_monitor.get());
        connect(m_window.get(), &ui::MainWindow::settingsChanged, this,
                &tst_MainWindow::rebuildBackends);
        m_window->alertCenter()->setGroupDelayMs(1500);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        activate();
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
    }

    // ---- 3/4: alerts ------------------------------------------------------------------

    void consoleStopRaisesNoAlert()
    {
        const QString name = test::uniqueName(QStringLiteral("mw-stop"));
        QVERIFY(!run(name, QStringLiteral("trap 'exit 0' TERM; while true; do sleep 1; done"))
                     .isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(boxOf(name).state, BoxInfo::State::Running, 10000);
        QSignalSpy notified(m_window->notifier(), &ui::Notifier::notified);
        const int history = m_window->alertCenter()->history()->rowCount();
        clickRow(name);
        m_window->table()->setFocus();
        QTest::keyClick(m_window->table(), Qt::Key_F8); // Stop
        QTRY_COMPARE_WITH_TIMEOUT(boxOf(name).state, BoxInfo::State::Exited, 20000);
        test::spinEventLoop(2500); // past the grouping delay
        QVERIFY2(notified.isEmpty(),
                 qPrintable(notified.isEmpty() ? QString() : notified.first().at(1).toString()));
        QCOMPARE(m_window->alertCenter()->history()->rowCount(), history);
    }

    void burstOfKillsIsOneGroupedAlert()
    {
        QStringList names;
        for (int i = 0; i < 3; ++i) {
            names << test::uniqueName(QStringLiteral("mw-burst"));
            QVERIFY(!run(names.last(), QStringLiteral("sleep 3600")).isEmpty());
        }
        for (const QString &n : names)
            QTRY_COMPARE_WITH_TIMEOUT(boxOf(n).state, BoxInfo::State::Running, 10000);
        QSignalSpy notified(m_window->notifier(), &ui::Notifier::notified);
        const int before = m_window->alertCenter()->history()->rowCount();
        test::runDocker(QStringList{QStringLiteral("kill")} + names);
        QTRY_VERIFY_WITH_TIMEOUT(!notified.isEmpty(), 10000);
        test::spinEventLoop(2000);
        QCOMPARE(notified.count(), 1);
        QCOMPARE(notified.first().at(0).toString(), QStringLiteral("3 boxes killed"));
        for (const QString &n : names)
            QVERIFY(notified.first().at(1).toString().contains(n));
        // Each kill in the history, in words and with the code.
        ui::AlertHistoryModel *h = m_window->alertCenter()->history();
        QCOMPARE(h->rowCount(), before + 3);
        for (int r = before; r < h->rowCount(); ++r)
            QVERIFY2(h->entryAt(r).text.contains(QLatin1String("killed (SIGKILL, exit code 137)")),
                     qPrintable(h->entryAt(r).text));
        // The list says it too.
        QCOMPARE(cell(names.first(), ui::BoxListModel::State), QStringLiteral("exited (137)"));

        // The banner leads to the history, which filters and clears.
        QVERIFY(m_window->banner()->isVisible());
        QTest::mouseClick(m_window->banner()->historyButton(), Qt::LeftButton);
        ui::AlertHistoryDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<ui::AlertHistoryDialog *>()) &&
                    dialog->isVisible());
        QCOMPARE(dialog->shownCount(), h->rowCount());
        QTest::keyClicks(dialog->filterEdit(), names.at(1));
        QCOMPARE(dialog->shownCount(), 1);
        QTest::mouseClick(dialog->clearButton(), Qt::LeftButton);
        QCOMPARE(h->rowCount(), 0);
        dialog->close();
    }

    void needsAttentionCoversCrashesAndShowsExitCodes()
    {
        const QString crashed = test::uniqueName(QStringLiteral("mw-crash"));
        const QString clean = test::uniqueName(QStringLiteral("mw-clean"));
        QVERIFY(!run(crashed, QStringLiteral("sleep 1; exit 3")).isEmpty());
        QVERIFY(!run(clean, QStringLiteral("exit 0")).isEmpty());
        // Events normally list it at once; a lost event stream is caught by the 30 s re-list.
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(crashed) >= 0 && rowOf(clean) >= 0, 40000);
        QTRY_COMPARE_WITH_TIMEOUT(cell(crashed, ui::BoxListModel::State),
                                  QStringLiteral("exited (3)"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(cell(clean, ui::BoxListModel::State),
                                  QStringLiteral("exited (0)"), 15000);
        const int r = rowOf(crashed);
        QVERIFY(m_window->model()
                    ->index(r, ui::BoxListModel::State)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QLatin1String("exited with code 3")));
        // Pick "Needs attention" with the keyboard in the state filter.
        needsAttentionOnly(true);
        QVERIFY(proxyIndex(crashed).isValid());
        QVERIFY(!proxyIndex(clean).isValid());
        needsAttentionOnly(false);
        QVERIFY(proxyIndex(clean).isValid());
    }

    // Terminated from outside (SIGTERM, 143) and killed by the OOM killer: both alert in
    // words, both are in "Needs attention", both show their code.
    void terminatedAndOomKilledNeedAttention()
    {
        const QString terminated = test::uniqueName(QStringLiteral("mw-term"));
        const QString oom = test::uniqueName(QStringLiteral("mw-oom"));
        QVERIFY(
            !run(terminated, QStringLiteral("trap 'exit 143' TERM; while true; do sleep 1; done"))
                 .isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(boxOf(terminated).state, BoxInfo::State::Running, 10000);
        const int before = m_window->alertCenter()->history()->rowCount();
        // `docker kill -s TERM`, not `docker stop`: nobody stopped it on purpose.
        test::runDocker(
            {QStringLiteral("kill"), QStringLiteral("-s"), QStringLiteral("TERM"), terminated});
        // 8 MiB and no swap; the shell doubles a string until the kernel kills it.
        QVERIFY(!run(oom, QStringLiteral("sleep 1; x=aaaaaaaa; while true; do x=$x$x; done"),
                     {QStringLiteral("--memory"), QStringLiteral("8m"),
                      QStringLiteral("--memory-swap"), QStringLiteral("8m")})
                     .isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(cell(terminated, ui::BoxListModel::State),
                                  QStringLiteral("exited (143)"), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(boxOf(oom).state == BoxInfo::State::Exited && boxOf(oom).oomKilled,
                                 30000);
        const auto tip = [this](const QString &name) {
            return m_window->model()
                ->index(rowOf(name), ui::BoxListModel::State)
                .data(Qt::ToolTipRole)
                .toString();
        };
        QVERIFY2(tip(terminated).contains(QLatin1String("terminated (SIGTERM, exit code 143)")),
                 qPrintable(tip(terminated)));
        QVERIFY2(tip(oom).contains(QLatin1String("out of memory")), qPrintable(tip(oom)));
        // Alerted, in words.
        ui::AlertHistoryModel *h = m_window->alertCenter()->history();
        const auto alerted = [h, before](const QString &name, const char *words) {
            for (int r = before; r < h->rowCount(); ++r)
                if (h->entryAt(r).box == name && h->entryAt(r).text.contains(QLatin1String(words)))
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(alerted(terminated, "terminated"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(alerted(oom, "out of memory"), 10000);
        // Both under "Needs attention".
        needsAttentionOnly(true);
        QVERIFY(proxyIndex(terminated).isValid());
        QVERIFY(proxyIndex(oom).isValid());
        needsAttentionOnly(false);
    }

    // Deleting several boxes from the console is the admin's own doing: no alert.
    void bulkDeleteRaisesNoAlert()
    {
        QStringList names;
        for (int i = 0; i < 3; ++i) {
            names << test::uniqueName(QStringLiteral("mw-bulkdel"));
            QVERIFY(!run(names.last(),
                         QStringLiteral("trap 'exit 0' TERM; while true; do sleep 1; done"))
                         .isEmpty());
        }
        for (const QString &n : names)
            QTRY_COMPARE_WITH_TIMEOUT(boxOf(n).state, BoxInfo::State::Running, 10000);
        test::spinEventLoop(2500); // an earlier test's grouped alert is out first
        QSignalSpy notified(m_window->notifier(), &ui::Notifier::notified);
        const int history = m_window->alertCenter()->history()->rowCount();
        clickRow(names.at(0));
        for (int i = 1; i < names.size(); ++i)
            QTest::mouseClick(m_window->table()->viewport(), Qt::LeftButton, Qt::ControlModifier,
                              m_window->table()->visualRect(proxyIndex(names.at(i))).center());
        QCOMPARE(m_window->selectedBoxes().size(), 3);
        whenShown<ui::DeleteDialog>(this, [](ui::DeleteDialog *d) { d->accept(); });
        QTest::keyClick(m_window->table(), Qt::Key_Delete);
        for (const QString &n : names)
            QTRY_VERIFY_WITH_TIMEOUT(rowOf(n) < 0, 60000);
        test::spinEventLoop(2500); // past the grouping delay
        QVERIFY2(notified.isEmpty(),
                 qPrintable(notified.isEmpty() ? QString() : notified.first().at(0).toString()));
        QCOMPARE(m_window->alertCenter()->history()->rowCount(), history);
    }

    void stoppedBoxHealthSaysStopped()
    {
        const QString name = test::uniqueName(QStringLiteral("mw-health"));
        QVERIFY(!run(name, QStringLiteral("trap 'exit 0' TERM; while true; do sleep 1; done"),
                     {QStringLiteral("--health-cmd"), QStringLiteral("true"),
                      QStringLiteral("--health-interval"), QStringLiteral("1s")})
                     .isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(boxOf(name).health, BoxInfo::Health::Healthy, 20000);
        clickRow(name);
        QTest::keyClick(m_window->table(), Qt::Key_F8);
        QTRY_COMPARE_WITH_TIMEOUT(boxOf(name).state, BoxInfo::State::Exited, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(cell(name, ui::BoxListModel::Health),
                                  QStringLiteral("stopped (last: healthy)"), 5000);
        QVERIFY(m_window->detailPane()->healthLabel()->text().contains(QLatin1String("stopped")));
    }

    // ---- 3 and 5: Settings → OK keeps state and does not re-alert ---------------------

    void settingsOkKeepsUptimeHistoryAndAlerts()
    {
        const QString sick = test::uniqueName(QStringLiteral("mw-sick"));
        QVERIFY(!run(sick, QStringLiteral("sleep 3600"),
                     {QStringLiteral("--health-cmd"), QStringLiteral("false"),
                      QStringLiteral("--health-interval"), QStringLiteral("1s"),
                      QStringLiteral("--health-retries"), QStringLiteral("1")})
                     .isEmpty());
        QSignalSpy notified(m_window->notifier(), &ui::Notifier::notified);
        QTRY_COMPARE_WITH_TIMEOUT(boxOf(sick).health, BoxInfo::Health::Unhealthy, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!notified.isEmpty(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(cell(sick, ui::BoxListModel::Uptime) != QStringLiteral("–"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->history()->samples(boxOf(sick).key()).size() >= 3,
                                 15000);
        const qsizetype samplesBefore = m_window->history()->samples(boxOf(sick).key()).size();
        notified.clear();

        // Settings → OK, as a user does it.
        bool answered = false;
        whenShown<ui::SettingsDialog>(this, [&answered](ui::SettingsDialog *d) {
            auto *ok = d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
            QTest::mouseClick(ok, Qt::LeftButton);
            answered = true;
        });
        QSignalSpy changed(m_window.get(), &ui::MainWindow::settingsChanged);
        m_window->openSettings();
        QVERIFY(answered);
        QCOMPARE(changed.count(), 1);
        // The re-list found the same boxes: rows, uptime and history are still there.
        test::spinEventLoop(3000);
        QVERIFY(rowOf(sick) >= 0);
        QVERIFY(cell(sick, ui::BoxListModel::Uptime) != QStringLiteral("–"));
        QVERIFY(m_window->history()->samples(boxOf(sick).key()).size() >= samplesBefore);
        QVERIFY2(notified.isEmpty(),
                 qPrintable(notified.isEmpty() ? QString() : notified.first().at(0).toString()));
    }

    void settingsApplyApplies()
    {
        bool applied = false;
        QSignalSpy changed(m_window.get(), &ui::MainWindow::settingsChanged);
        whenShown<ui::SettingsDialog>(this, [&](ui::SettingsDialog *d) {
            auto *box = d->findChild<QDialogButtonBox *>();
            QTest::mouseClick(box->button(QDialogButtonBox::Apply), Qt::LeftButton);
            // Applied while the dialog is still open.
            QTRY_COMPARE(changed.count(), 1);
            applied = d->isVisible();
            QTest::mouseClick(box->button(QDialogButtonBox::Cancel), Qt::LeftButton);
        });
        m_window->openSettings();
        QVERIFY(applied);
        QCOMPARE(changed.count(), 1);
    }

    // ---- 5: stable state --------------------------------------------------------------

    void uptimeKnownForBoxesPresentAtStartup()
    {
        const QString name = test::uniqueName(QStringLiteral("mw-early"));
        QVERIFY(!run(name, QStringLiteral("sleep 3600")).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(boxOf(name).state, BoxInfo::State::Running, 10000);
        // A second console started now finds the box in its first list.
        boxes::BoxMonitor monitor;
        auto *backend = makeBackend(&monitor);
        monitor.addBackend(backend);
        monitor.setStatsInterval(0);
        monitor.start();
        ui::MainWindow window(&monitor);
        QTRY_VERIFY_WITH_TIMEOUT(sourceRow(&window, name) >= 0, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(window.model()
                                         ->index(sourceRow(&window, name), ui::BoxListModel::Uptime)
                                         .data()
                                         .toString() != QStringLiteral("–"),
                                 5000);
        monitor.stop();
        test::spinEventLoop(300);
    }

    void cpuSortDoesNotMoveRowsUntilRefresh()
    {
        for (int i = 0; i < 2; ++i) {
            const QString name = test::uniqueName(QStringLiteral("mw-cpu"));
            QVERIFY(!run(name, QStringLiteral("sleep 3600")).isEmpty());
            QTRY_COMPARE_WITH_TIMEOUT(boxOf(name).state, BoxInfo::State::Running, 10000);
        }
        activate();
        clickHeader(ui::BoxListModel::Cpu);
        QCOMPARE(m_window->proxy()->sortColumn(), int(ui::BoxListModel::Cpu));
        const QStringList before = proxyOrder();
        QVERIFY(before.size() >= 2);
        // Stats ticks that would reverse the order.
        ui::BoxListModel *model = m_window->model();
        const int n = model->rowCount();
        const bool ascending = m_window->proxy()->sortOrder() == Qt::AscendingOrder;
        for (int r = 0; r < n; ++r) {
            BoxInfo b = model->boxAt(r);
            if (b.state != BoxInfo::State::Running)
                continue;
            const int at = m_window->proxy()->mapFromSource(model->index(r, 0)).row();
            b.resources.cpuPercent = ascending ? 1000 - at : at;
            model->upsertBox(b);
        }
        model->flush();
        QCOMPARE(proxyOrder(), before);
        // F5 sorts by the current figures.
        activate();
        m_window->table()->setFocus();
        QTest::keyClick(m_window->table(), Qt::Key_F5);
        QVERIFY2(proxyOrder() != before, qPrintable(proxyOrder().join(QLatin1Char(' '))));
    }

    void healthSortPutsUnhealthyFirst()
    {
        clickHeader(ui::BoxListModel::Health);
        if (m_window->proxy()->sortOrder() != Qt::AscendingOrder)
            clickHeader(ui::BoxListModel::Health);
        QCOMPARE(m_window->proxy()->sortColumn(), int(ui::BoxListModel::Health));
        const QModelIndex first = m_window->proxy()->index(0, ui::BoxListModel::Name);
        const BoxInfo b = first.data(ui::BoxListModel::BoxRole).value<BoxInfo>();
        QCOMPARE(b.health, BoxInfo::Health::Unhealthy);
        clickHeader(ui::BoxListModel::Name);
    }

    // ---- 6: keyboard ------------------------------------------------------------------

    void tabLeavesTableAndCtrlTabSwitchesTabs()
    {
        activate();
        QTableView *t = m_window->table();
        t->setFocus();
        QTRY_VERIFY(t->hasFocus());
        t->setCurrentIndex(m_window->proxy()->index(0, 0));
        QTest::keyClick(t, Qt::Key_Tab);
        QVERIFY(!t->hasFocus());
        t->setFocus();
        QTabWidget *tabs = m_window->detailPane()->tabs();
        tabs->setCurrentIndex(0);
        QTest::keyClick(t, Qt::Key_Tab, Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), 1);
        QVERIFY(t->hasFocus());
        QCOMPARE(t->currentIndex().column(), 0); // did not move cell by cell
    }

    void enterAndDoubleClickOpenOverview()
    {
        const QString name = boxOf(proxyOrder().first()).name;
        QTabWidget *tabs = m_window->detailPane()->tabs();
        tabs->setCurrentIndex(ui::BoxDetailPane::LogsTab);
        clickRow(name);
        QTest::keyClick(m_window->table(), Qt::Key_Return);
        QCOMPARE(tabs->currentIndex(), int(ui::BoxDetailPane::OverviewTab));
        tabs->setCurrentIndex(ui::BoxDetailPane::LogsTab);
        const QModelIndex idx = proxyIndex(name);
        QTest::mouseDClick(m_window->table()->viewport(), Qt::LeftButton, {},
                           m_window->table()->visualRect(idx).center());
        QCOMPARE(tabs->currentIndex(), int(ui::BoxDetailPane::OverviewTab));
    }

    void filterEnterSelectsWhatThePaneShows()
    {
        const QString target = test::uniqueName(QStringLiteral("mw-find"));
        QVERIFY(!run(target, QStringLiteral("sleep 3600")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(target) >= 0, 10000);
        // Another box selected first: the trap was a pane showing the old one.
        clickRow(proxyOrder().first() == target ? proxyOrder().last() : proxyOrder().first());
        activate();
        QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
        QVERIFY(m_window->filterEdit()->hasFocus());
        QTest::keyClicks(m_window->filterEdit(), target);
        QTest::keyClick(m_window->filterEdit(), Qt::Key_Return);
        QCOMPARE(m_window->selectedBoxes().size(), 1);
        QCOMPARE(m_window->selectedBoxes().first().name, target);
        QCOMPARE(m_window->detailPane()->currentKey(), boxOf(target).key());
        QVERIFY(m_window->table()->hasFocus());
        // Del asks about that box, and only that one.
        QString asked;
        whenShown<ui::DeleteDialog>(this, [&asked](ui::DeleteDialog *d) {
            asked = d->message();
            d->reject();
        });
        QTest::keyClick(m_window->table(), Qt::Key_Delete);
        QVERIFY2(asked.contains(target), qPrintable(asked));
        QCOMPARE(asked.count(QStringLiteral("mw-")), 1);
        // The status bar counts what is shown.
        QVERIFY2(m_window->countsLabel()->text().startsWith(
                     QStringLiteral("1 of %1 shown").arg(m_window->model()->rowCount())),
                 qPrintable(m_window->countsLabel()->text()));
        m_window->filterEdit()->clear();
    }

    void conventionalShortcutsAndHelp()
    {
        const auto keys = [this](const QString &text) {
            QAction *a = findAction(m_window.get(), text);
            return a ? a->shortcut() : QKeySequence();
        };
        QCOMPARE(keys(QStringLiteral("Refresh")), QKeySequence(Qt::Key_F5));
        QCOMPARE(keys(QStringLiteral("Delete")), QKeySequence(Qt::Key_Delete));
        QCOMPARE(keys(QStringLiteral("Settings")), QKeySequence(Qt::CTRL | Qt::Key_Comma));
        QCOMPARE(keys(QStringLiteral("Deploy")), QKeySequence(Qt::CTRL | Qt::Key_N));
        for (const QString &a :
             {QStringLiteral("Start"), QStringLiteral("Stop"), QStringLiteral("Restart")}) {
            const QKeySequence k = keys(a);
            QVERIFY(!k.isEmpty());
            for (int key : {Qt::Key_S, Qt::Key_T, Qt::Key_R})
                QVERIFY(k != QKeySequence(Qt::CTRL | key));
        }
        QVERIFY(m_window->helpMenu());
        activate();
        QTest::keyClick(m_window.get(), Qt::Key_F1);
        ui::ShortcutsDialog *help = nullptr;
        QTRY_VERIFY((help = m_window->findChild<ui::ShortcutsDialog *>()) && help->isVisible());
        QStringList rows;
        for (int r = 0; r < help->table()->rowCount(); ++r)
            rows << help->table()->item(r, 1)->text();
        QVERIFY(rows.contains(QStringLiteral("F5")));
        QVERIFY(rows.contains(QStringLiteral("Del")));
        help->close();
    }

    void everyControlHasAnAccessibleName()
    {
        m_window->detailPane()->tabs()->setCurrentIndex(ui::BoxDetailPane::LogsTab);
        QStringList unnamed;
        for (QWidget *w : m_window->findChildren<QWidget *>()) {
            bool inCombo = false;
            for (QWidget *p = w->parentWidget(); p && !inCombo; p = p->parentWidget())
                inCombo = qobject_cast<QComboBox *>(p) ||
                          QByteArray(p->metaObject()->className()) == "QComboBoxPrivateContainer";
            if (inCombo)
                continue;
            if (auto *b = qobject_cast<QAbstractButton *>(w)) {
                if (b->text().isEmpty() && b->accessibleName().isEmpty())
                    unnamed << QStringLiteral("%1 %2").arg(
                        QLatin1String(w->metaObject()->className()), w->objectName());
                continue;
            }
            // Headers belong to their view; a view's name covers them.
            const bool input =
                qobject_cast<QLineEdit *>(w) || qobject_cast<QComboBox *>(w) ||
                qobject_cast<QAbstractSpinBox *>(w) ||
                (qobject_cast<QAbstractItemView *>(w) && !qobject_cast<QHeaderView *>(w));
            if (input && w->accessibleName().isEmpty() &&
                !qobject_cast<QAbstractSpinBox *>(w->parentWidget()))
                unnamed << QStringLiteral("%1 %2").arg(QLatin1String(w->metaObject()->className()),
                                                       w->objectName());
        }
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
    }

    // The dialogs too, by the name a screen reader gets (QAccessible: the widget's own
    // accessible name, else its label's through the buddy relation, else its text).
    void everyDialogControlHasAnAccessibleName()
    {
        const auto unnamedIn = [](QWidget *root) {
            QStringList unnamed;
            for (QWidget *w : root->findChildren<QWidget *>()) {
                if (!w->isVisibleTo(root))
                    continue;
                bool inCombo = false;
                for (QWidget *p = w->parentWidget(); p && !inCombo; p = p->parentWidget())
                    inCombo =
                        qobject_cast<QComboBox *>(p) ||
                        QByteArray(p->metaObject()->className()) == "QComboBoxPrivateContainer";
                const bool control =
                    qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w) ||
                    qobject_cast<QComboBox *>(w) || qobject_cast<QAbstractSpinBox *>(w) ||
                    qobject_cast<QPlainTextEdit *>(w) ||
                    (qobject_cast<QAbstractItemView *>(w) && !qobject_cast<QHeaderView *>(w));
                if (inCombo || !control || qobject_cast<QAbstractSpinBox *>(w->parentWidget()))
                    continue;
                QAccessibleInterface *a = QAccessible::queryAccessibleInterface(w);
                if (!a || a->text(QAccessible::Name).trimmed().isEmpty())
                    unnamed << QStringLiteral("%1 %2 in %3")
                                   .arg(QLatin1String(w->metaObject()->className()),
                                        w->objectName(),
                                        QLatin1String(root->metaObject()->className()));
            }
            return unnamed;
        };
        QStringList unnamed;
        QPointer<ui::DeployDialog> deploy = m_window->openDeployDialog();
        QVERIFY(deploy);
        unnamed << unnamedIn(deploy);
        deploy->close();
        ui::SettingsDialog settings(m_window.get());
        settings.show();
        for (QTabWidget *tabs : settings.findChildren<QTabWidget *>())
            for (int i = 0; i < tabs->count(); ++i) {
                tabs->setCurrentIndex(i);
                unnamed << unnamedIn(&settings);
            }
        settings.close();
        QPointer<ui::AlertHistoryDialog> history = m_window->openAlertHistory();
        QVERIFY(history);
        unnamed << unnamedIn(history);
        history->close();
        QPointer<ui::DataViewsDialog> data = m_window->openDataViews();
        QVERIFY(data);
        unnamed << unnamedIn(data);
        data->close();
        m_window->openBuildDialog();
        QPointer<ui::BuildDialog> build = m_window->findChild<ui::BuildDialog *>();
        QVERIFY(build);
        unnamed << unnamedIn(build);
        build->close();
        QPointer<QWidget> activity = ui::ActivityView::openDialog(m_window.get())->window();
        QVERIFY(activity);
        unnamed << unnamedIn(activity);
        activity->close();
        unnamed.removeDuplicates();
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(",\n"))));
    }

    // ---- 7: layout --------------------------------------------------------------------

    void columnsOwnerSubdomainBackendAndFit()
    {
        const QString name = test::uniqueName(QStringLiteral("mw-long-name-for-fit"));
        QVERIFY(!run(name, QStringLiteral("sleep 3600"), {},
                     {QStringLiteral("box-console.owner=alice"),
                      QStringLiteral("traefik.http.routers.x.rule=Host(`alice-ws.boxes.example`)")})
                     .isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(name) >= 0, 10000);
        QCOMPARE(cell(name, ui::BoxListModel::Owner), QStringLiteral("alice"));
        QCOMPARE(cell(name, ui::BoxListModel::Subdomain), QStringLiteral("alice-ws"));
        QCOMPARE(cell(name, ui::BoxListModel::Backend), QStringLiteral("docker · local"));
        QVERIFY(m_window->model()
                    ->index(rowOf(name), ui::BoxListModel::Backend)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .startsWith(QLatin1String("unix://")));
        QCOMPARE(m_window->model()->headerData(ui::BoxListModel::Owner, Qt::Horizontal).toString(),
                 QStringLiteral("Owner"));
        // Names are not clipped; Image, the longest text, is the last column and takes what
        // is left (Policy, often empty, is shown before it).
        QTRY_VERIFY(m_window->table()->columnWidth(ui::BoxListModel::Name) >=
                    m_window->table()->fontMetrics().horizontalAdvance(name));
        const QHeaderView *h = m_window->table()->horizontalHeader();
        QCOMPARE(h->logicalIndex(h->count() - 1), int(ui::BoxListModel::Image));
        QVERIFY(h->visualIndex(ui::BoxListModel::Policy) < h->visualIndex(ui::BoxListModel::Image));
    }

    void listFirstLayoutRemembered()
    {
        QSettings().remove(QStringLiteral("mainwindow"));
        ui::MainWindow fresh(m_monitor.get());
        fresh.show();
        QVERIFY(QTest::qWaitForWindowExposed(&fresh));
        QTRY_VERIFY2(fresh.model()->rowCount() >= 10,
                     qPrintable(QStringLiteral("fresh %1, monitor %2, main %3")
                                    .arg(fresh.model()->rowCount())
                                    .arg(m_monitor->boxes().size())
                                    .arg(m_window->model()->rowCount())));
        QTableView *t = fresh.table();
        const int rowsVisible = t->viewport()->height() / t->verticalHeader()->defaultSectionSize();
        QVERIFY2(rowsVisible >= 15,
                 qPrintable(QStringLiteral("%1 rows; window %2x%3, splitter %4/%5, viewport %6")
                                .arg(rowsVisible)
                                .arg(fresh.width())
                                .arg(fresh.height())
                                .arg(fresh.splitter()->sizes().value(0))
                                .arg(fresh.splitter()->sizes().value(1))
                                .arg(t->viewport()->height())));
        QVERIFY(fresh.splitter()->sizes().at(0) > 2 * fresh.splitter()->sizes().at(1));
        // Collapse from the keyboard, remembered.
        activate(&fresh);
        QTest::keyClick(&fresh, Qt::Key_I, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(fresh.detailsCollapsed());
        fresh.close();
        ui::MainWindow again(m_monitor.get());
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QVERIFY(again.detailsCollapsed());
        // Dragging the handle sets and stores the size.
        again.setDetailsCollapsed(false);
        QSplitterHandle *handle = again.splitter()->handle(1);
        const QPoint mid(handle->width() / 2, handle->height() / 2);
        QTest::mousePress(handle, Qt::LeftButton, {}, mid);
        QTest::mouseMove(handle, mid + QPoint(0, -60));
        QTest::mouseRelease(handle, Qt::LeftButton, {}, mid + QPoint(0, -60));
        QTRY_COMPARE(QSettings().value(QStringLiteral("mainwindow/splitter")).toByteArray(),
                     again.splitter()->saveState());
        again.close();
    }

    void emptyStateOffersDeploy()
    {
        boxes::BoxMonitor empty;
        ui::MainWindow window(&empty);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.emptyState()->isVisible());
        QVERIFY(!window.table()->isVisible());
        QTest::mouseClick(window.emptyDeployButton(), Qt::LeftButton);
        ui::DeployDialog *deploy = window.findChild<ui::DeployDialog *>();
        QVERIFY(deploy && deploy->isVisible());
        deploy->close();
    }

    // ---- 8: charts --------------------------------------------------------------------

    void chartsScaledToLimitsWithIo()
    {
        const QString limited = test::uniqueName(QStringLiteral("mw-limited"));
        const QString open = test::uniqueName(QStringLiteral("mw-open"));
        QVERIFY(!run(limited, QStringLiteral("while true; do echo x > /tmp/f; sleep 0.2; done"),
                     {QStringLiteral("--memory"), QStringLiteral("64m"), QStringLiteral("--cpus"),
                      QStringLiteral("0.5")})
                     .isEmpty());
        QVERIFY(!run(open, QStringLiteral("sleep 3600")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(
            boxOf(limited).resources.memoryUsage > 0 && boxOf(limited).detailed, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(boxOf(open).resources.memoryUsage > 0 && boxOf(open).detailed,
                                 15000);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->history()->samples(boxOf(limited).key()).size() >= 3,
                                 15000);
        clickRow(limited);
        activate();
        QTest::keyClick(m_window.get(), Qt::Key_2, Qt::AltModifier);
        ui::BoxDetailPane *pane = m_window->detailPane();
        QCOMPARE(pane->tabs()->currentIndex(), int(ui::BoxDetailPane::ResourcesTab));
        QTRY_COMPARE(pane->cpuChart()->axisTop(), 50.0);
        QCOMPARE(pane->cpuChart()->axisLabels().last(), QStringLiteral("50 %"));
        QCOMPARE(pane->memoryChart()->axisTop(), 64.0 * 1024 * 1024);
        QVERIFY(pane->memoryChart()->limitNote().contains(QLatin1String("64")));
        QVERIFY(!pane->networkChart()->caption().isEmpty());
        QVERIFY(!pane->blockIoChart()->caption().isEmpty());
        QCOMPARE(m_window->history()->windowSeconds(), 3600);

        clickRow(open);
        QTRY_VERIFY(pane->memoryChart()->limitNote().contains(QLatin1String("no memory limit")));
        // Not the host's RAM, and not zoomed into a few KiB.
        QVERIFY(pane->memoryChart()->axisTop() <= 128.0 * 1024 * 1024);
        QVERIFY(pane->memoryChart()->axisTop() >= 64.0 * 1024 * 1024);
        QVERIFY(pane->cpuChart()->limitNote().contains(QLatin1String("no CPU limit")));
        QVERIFY(!cell(open, ui::BoxListModel::Memory).contains(QLatin1String("GiB")) ||
                cell(open, ui::BoxListModel::Memory).contains(QLatin1String("no limit")));
    }

    // ---- 10: engine test, logs, bulk --------------------------------------------------

    void addedEngineIsTested()
    {
        ui::SettingsDialog dialog(m_window.get());
        dialog.show();
        QSignalSpy tested(&dialog, &ui::SettingsDialog::endpointTested);
        QTest::keyClicks(dialog.newEndpointEdit(), QStringLiteral("tcp://127.0.0.1:9"));
        QPushButton *add = nullptr;
        for (QPushButton *b : dialog.findChildren<QPushButton *>())
            if (b->text() == QStringLiteral("Add"))
                add = b;
        QVERIFY(add);
        QTest::mouseClick(add, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 15000);
        QCOMPARE(tested.first().at(1).toBool(), false);
        const int row = dialog.endpoints()->rowOf(QStringLiteral("tcp://127.0.0.1:9"));
        QVERIFY(row >= 0);
        QVERIFY(dialog.endpoints()
                    ->index(row, ui::EndpointModel::SourceColumn)
                    .data()
                    .toString()
                    .contains(QLatin1String("not reachable")));
        for (int c = 0; c < ui::EndpointModel::ColumnCount; ++c)
            QVERIFY(!dialog.endpoints()->headerData(c, Qt::Horizontal).toString().isEmpty());
        dialog.reject();
    }

    void logsHighlightStderrAndHaveControls()
    {
        const QString talker = test::uniqueName(QStringLiteral("mw-logs"));
        const QString quiet = test::uniqueName(QStringLiteral("mw-quiet"));
        QVERIFY(!run(talker, QStringLiteral("echo to-out; echo to-err >&2; sleep 3600")).isEmpty());
        QVERIFY(!run(quiet, QStringLiteral("sleep 3600")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(talker) >= 0 && rowOf(quiet) >= 0, 10000);
        clickRow(talker);
        activate();
        QTest::keyClick(m_window.get(), Qt::Key_4, Qt::AltModifier);
        ui::LogView *logs = m_window->detailPane()->logView();
        QTRY_COMPARE_WITH_TIMEOUT(logs->model()->rowCount(), 2, 10000);
        for (int r = 0; r < 2; ++r) {
            const QModelIndex idx = logs->model()->index(r);
            const bool err = idx.data().toString() == QStringLiteral("to-err");
            QCOMPARE(idx.data(Qt::ForegroundRole).isValid(), err);
        }
        QTest::mouseClick(logs->timestampsBox(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(logs->model()->rowCount(), 2, 10000);
        QTRY_VERIFY(logs->model()->index(0).data().toString().startsWith(QLatin1String("20")));
        QTest::mouseClick(logs->wrapBox(), Qt::LeftButton);
        QVERIFY(logs->view()->wordWrap());
        QVERIFY(logs->sinceBox()->count() >= 3);
        QVERIFY(logs->tailBox()->value() > 0);

        clickRow(quiet);
        QTRY_VERIFY_WITH_TIMEOUT(logs->emptyTextVisible(), 5000);
        QVERIFY(!logs->emptyText().isEmpty());
        QTest::mouseClick(logs->timestampsBox(), Qt::LeftButton);
        QTest::mouseClick(logs->wrapBox(), Qt::LeftButton);
    }

    void bulkDialogsScrollAndSayWhatTheyDo()
    {
        QList<BoxInfo> many;
        for (int i = 0; i < 100; ++i) {
            BoxInfo b;
            b.name = QStringLiteral("box-%1").arg(i);
            b.backendKind = QStringLiteral("docker");
            b.state = BoxInfo::State::Running;
            many << b;
        }
        for (auto mode : {ui::DeleteDialog::Mode::Delete, ui::DeleteDialog::Mode::Stop}) {
            ui::DeleteDialog dialog(many, m_window.get(), mode, 10);
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            QCOMPARE(dialog.list()->count(), 100);
            QVERIFY2(dialog.height() < 700, qPrintable(QString::number(dialog.height())));
            QVERIFY(dialog.message().contains(QLatin1String("grace period")));
            QVERIFY(dialog.message().contains(QLatin1String("killed")));
            dialog.reject();
        }
        // A bulk Stop from the window asks first, naming each box.
        QStringList running;
        for (int r = 0; r < m_window->proxy()->rowCount() && running.size() < 2; ++r) {
            const BoxInfo b =
                m_window->proxy()->index(r, 0).data(ui::BoxListModel::BoxRole).value<BoxInfo>();
            if (b.state == BoxInfo::State::Running)
                running << b.name;
        }
        QCOMPARE(running.size(), 2);
        clickRow(running.at(0));
        const QModelIndex second = proxyIndex(running.at(1));
        QTest::mouseClick(m_window->table()->viewport(), Qt::LeftButton, Qt::ControlModifier,
                          m_window->table()->visualRect(second).center());
        QCOMPARE(m_window->selectedBoxes().size(), 2);
        QString asked;
        whenShown<ui::DeleteDialog>(this, [&asked](ui::DeleteDialog *d) {
            asked = d->message();
            d->reject();
        });
        QTest::keyClick(m_window->table(), Qt::Key_F8);
        QVERIFY(asked.contains(running.at(0)) && asked.contains(running.at(1)));
        QCOMPARE(boxOf(running.at(0)).state, BoxInfo::State::Running);
    }

    // ---- data views -------------------------------------------------------------------

    void dataViewsShowAndCleanOrphans()
    {
        const QString box = test::uniqueName(QStringLiteral("mw-gone"));
        const QString volume = box + QStringLiteral("-data");
        test::runDocker({QStringLiteral("volume"), QStringLiteral("create"),
                         QStringLiteral("--label"), test::testLabel(), QStringLiteral("--label"),
                         QStringLiteral("box-console.box=") + box, volume});
        activate();
        QTest::keyClick(m_window.get(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
        ui::DataViewsDialog *dv = nullptr;
        QTRY_VERIFY((dv = m_window->findChild<ui::DataViewsDialog *>()) && dv->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!dv->isLoading(), 20000);
        // Only this test's objects from here on: the clean-up must not reach anyone else's.
        dv->setLabelFilter(test::testLabel());
        QTest::mouseClick(dv->refreshButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dv->isLoading(), 20000);
        QTreeWidgetItem *item = nullptr;
        for (int i = 0; i < dv->volumes()->topLevelItemCount(); ++i)
            if (dv->volumes()->topLevelItem(i)->text(ui::DataViewsDialog::VolName) == volume)
                item = dv->volumes()->topLevelItem(i);
        QVERIFY(item);
        QCOMPARE(item->text(ui::DataViewsDialog::VolBox), box);
        QVERIFY(item->text(ui::DataViewsDialog::VolStatus).startsWith(QLatin1String("orphaned")));
        QVERIFY(!item->text(ui::DataViewsDialog::VolSize).isEmpty());
        QVERIFY(dv->images()->topLevelItemCount() > 0);
        QVERIFY(dv->cleanupButton()->isEnabled());
        for (const QString &d : dv->orphanDescriptions())
            QVERIFY2(d.contains(QLatin1String("mw-")), qPrintable(d));
        QString confirmed;
        whenShown<QMessageBox>(this, [&confirmed](QMessageBox *m) {
            confirmed = m->informativeText();
            for (QAbstractButton *b : m->buttons())
                if (m->buttonRole(b) == QMessageBox::DestructiveRole)
                    b->click();
        });
        QSignalSpy cleaned(dv, &ui::DataViewsDialog::cleanedUp);
        QTest::mouseClick(dv->cleanupButton(), Qt::LeftButton);
        QVERIFY2(confirmed.contains(volume), qPrintable(confirmed));
        QTRY_COMPARE_WITH_TIMEOUT(cleaned.count(), 1, 20000);
        int code = 0;
        test::runDocker({QStringLiteral("volume"), QStringLiteral("inspect"), volume}, &code);
        QVERIFY(code != 0);
        dv->close();
    }

    void modelsStayConsistent()
    {
        // The box model and its proxy pass the model tester through the whole session.
        QAbstractItemModelTester t1(m_window->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(m_window->proxy(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(m_window->alertCenter()->history(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(m_window->model(), &QAbstractItemModel::modelReset);
        test::spinEventLoop(2500);
        m_monitor->resyncNow();
        test::spinEventLoop(1000);
        QCOMPARE(reset.count(), 0);
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
