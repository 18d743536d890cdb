// Models and proxies of the console, driven with typed BoxInfo values; every model runs
// under QAbstractItemModelTester.
#include "core/security/boxlabels.h"
#include "ui/models/alerthistorymodel.h"
#include "ui/models/boxfilterproxymodel.h"
#include "ui/models/boxlistmodel.h"
#include "ui/models/endpointmodel.h"
#include "ui/models/findingsmodel.h"
#include "ui/models/logmodel.h"
#include "ui/statshistory.h"

#include <QAbstractItemModelTester>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using bc::boxes::BoxInfo;
using namespace bc::ui;

namespace {

BoxInfo makeBox(const QString &name, BoxInfo::State state = BoxInfo::State::Running,
                const QString &backend = QStringLiteral("docker:unix:///var/run/docker.sock"))
{
    BoxInfo b;
    b.backendId = backend;
    b.backendKind = backend.section(QLatin1Char(':'), 0, 0);
    b.host = QStringLiteral("local");
    b.id = QStringLiteral("id-") + name;
    b.name = name;
    b.subdomain = name.toLower();
    b.owner = name + QStringLiteral("@example.org");
    b.image = QStringLiteral("bctest/busybox:latest");
    b.state = state;
    b.health = BoxInfo::Health::Healthy;
    b.startedAt = QDateTime::currentDateTimeUtc().addSecs(-3700);
    b.resources.cpuPercent = 1.0;
    b.resources.memoryUsage = 10 << 20;
    b.resources.memoryLimit = 512 << 20;
    b.resources.pids = 3;
    return b;
}

} // namespace

class tst_Models final : public QObject
{
    Q_OBJECT
private slots:
    void insertUpdateRemoveInPlace()
    {
        BoxListModel model;
        BoxFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester t1(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

        model.upsertBox(makeBox(QStringLiteral("alice")));
        model.upsertBox(makeBox(QStringLiteral("bob")));
        model.upsertBox(makeBox(QStringLiteral("carol")));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(inserted.count(), 3);
        QCOMPARE(model.rowOf(makeBox(QStringLiteral("bob")).key()), 1);

        model.removeBox(makeBox(QStringLiteral("alice")).key());
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(removed.count(), 1);
        // The key index follows the shifted rows.
        QCOMPARE(model.rowOf(makeBox(QStringLiteral("bob")).key()), 0);
        QCOMPARE(model.rowOf(makeBox(QStringLiteral("carol")).key()), 1);

        // setBoxes diffs: carol updated, dave added, bob removed; no reset.
        BoxInfo carol = makeBox(QStringLiteral("carol"));
        carol.resources.cpuPercent = 55;
        model.setBoxes({carol, makeBox(QStringLiteral("dave"))});
        model.flush();
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(model.rowOf(carol.key()), BoxListModel::Cpu)
                     .data(BoxListModel::SortRole)
                     .toDouble(),
                 55.0);
        QCOMPARE(resets.count(), 0);
    }

    void statsUpdateIsColumnAndRoleScoped()
    {
        BoxListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int i = 0; i < 10; ++i)
            model.upsertBox(makeBox(QStringLiteral("box%1").arg(i)));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        BoxInfo b = model.boxAt(4);
        b.resources.cpuPercent = 42;
        b.resources.memoryUsage = 100 << 20;
        model.upsertBox(b);
        QCOMPARE(changed.count(), 0); // coalesced until the loop turns
        QTRY_COMPARE(changed.count(), 1);
        const auto args = changed.takeFirst();
        const auto tl = args.at(0).value<QModelIndex>();
        const auto br = args.at(1).value<QModelIndex>();
        const auto roles = args.at(2).value<QList<int>>();
        QCOMPARE(tl.row(), 4);
        QCOMPARE(br.row(), 4);
        QCOMPARE(tl.column(), int(BoxListModel::Cpu));
        QCOMPARE(br.column(), int(BoxListModel::Memory));
        QVERIFY(roles.contains(Qt::DisplayRole));
        QVERIFY(!roles.contains(Qt::DecorationRole));

        // An unchanged value emits nothing.
        model.upsertBox(b);
        model.flush();
        QCOMPARE(changed.count(), 0);

        // A state change touches the state column and the decoration role.
        b.state = BoxInfo::State::Exited;
        model.upsertBox(b);
        model.flush();
        QCOMPARE(changed.count(), 1);
        const auto roles2 = changed.first().at(2).value<QList<int>>();
        QVERIFY(roles2.contains(Qt::DecorationRole));
        QCOMPARE(model.index(4, BoxListModel::State).data().toString(), QStringLiteral("exited"));
    }

    void tickForAllRowsIsOneSignal()
    {
        BoxListModel model;
        QList<BoxInfo> boxes;
        for (int i = 0; i < 100; ++i)
            boxes << makeBox(QStringLiteral("b%1").arg(i));
        model.setBoxes(boxes);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        for (BoxInfo &b : boxes) {
            b.resources.cpuPercent += 1;
            model.updateResources(b.key(), b.resources);
        }
        model.flush();
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), 0);
        QCOMPARE(changed.first().at(1).value<QModelIndex>().row(), 99);
    }

    void sparseChangesAreRunsInRowOrder()
    {
        BoxListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<BoxInfo> boxes;
        for (int i = 0; i < 20; ++i)
            boxes << makeBox(QStringLiteral("s%1").arg(i));
        model.setBoxes(boxes);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        // Out of order (the row guess misses), two adjacent rows with the same columns,
        // one apart with another column set.
        const auto bump = [&](int row, bool pids) {
            BoxInfo b = model.boxAt(row);
            b.resources.cpuPercent += 1;
            if (pids)
                b.resources.pids += 1;
            model.updateResources(b.key(), b.resources);
        };
        bump(12, true);
        bump(3, false);
        bump(4, false);
        model.flush();
        QCOMPARE(changed.count(), 2);
        const auto range = [&](int i) {
            const auto args = changed.at(i);
            return std::tuple(
                args.at(0).value<QModelIndex>().row(), args.at(1).value<QModelIndex>().row(),
                args.at(0).value<QModelIndex>().column(), args.at(1).value<QModelIndex>().column());
        };
        QCOMPARE(range(0), std::tuple(3, 4, int(BoxListModel::Cpu), int(BoxListModel::Cpu)));
        QCOMPARE(range(1), std::tuple(12, 12, int(BoxListModel::Cpu), int(BoxListModel::Pids)));
        QCOMPARE(model.boxAt(12).resources.pids, boxes.at(12).resources.pids + 1);

        // A removal with changes pending emits them for the right rows first, and nothing
        // stale afterwards.
        changed.clear();
        bump(15, false);
        model.removeBox(model.boxAt(10).key());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(std::get<0>(range(0)), 15);
        model.flush();
        QCOMPARE(changed.count(), 1);
        bump(14, false); // the row that was 15
        model.flush();
        QCOMPARE(changed.count(), 2);
        QCOMPARE(std::get<0>(range(1)), 14);
        QCOMPARE(model.boxAt(14).name, QStringLiteral("s15"));
    }

    void selectionAndScrollKeptOnRefresh()
    {
        BoxListModel model;
        BoxFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QTableView view;
        view.setModel(&proxy);
        view.setSelectionBehavior(QAbstractItemView::SelectRows);
        view.setSortingEnabled(true);
        view.sortByColumn(BoxListModel::Name, Qt::AscendingOrder);
        QList<BoxInfo> boxes;
        for (int i = 0; i < 200; ++i)
            boxes << makeBox(QStringLiteral("box%1").arg(i, 3, 10, QLatin1Char('0')));
        model.setBoxes(boxes);
        view.resize(600, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.selectRow(120);
        view.scrollTo(proxy.index(120, 0));
        const QString selectedKey = view.currentIndex().data(BoxListModel::KeyRole).toString();
        const int scroll = view.verticalScrollBar()->value();
        for (BoxInfo &b : boxes) {
            b.resources.cpuPercent = 5;
            b.resources.pids = 9;
        }
        model.setBoxes(boxes);
        QCoreApplication::processEvents();
        QCOMPARE(view.currentIndex().data(BoxListModel::KeyRole).toString(), selectedKey);
        QCOMPARE(view.selectionModel()->selectedRows().size(), 1);
        QCOMPARE(view.verticalScrollBar()->value(), scroll);
    }

    void proxySortsNamesNaturally()
    {
        BoxListModel model;
        BoxFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QList<BoxInfo> boxes;
        for (const char *n : {"barss-100", "barss-10", "Barss-2", "barss-1", "barss-101", "a-9"})
            boxes << makeBox(QString::fromLatin1(n));
        model.setBoxes(boxes);
        proxy.sort(BoxListModel::Name, Qt::AscendingOrder);
        QStringList order;
        for (int r = 0; r < proxy.rowCount(); ++r)
            order << proxy.index(r, BoxListModel::Name).data().toString();
        QCOMPARE(order, (QStringList{QStringLiteral("a-9"), QStringLiteral("barss-1"),
                                     QStringLiteral("Barss-2"), QStringLiteral("barss-10"),
                                     QStringLiteral("barss-100"), QStringLiteral("barss-101")}));
    }

    // One sort rule: the proxy's typed comparison orders every column as SortRole does.
    void proxyOrderMatchesSortRole()
    {
        BoxListModel model;
        BoxFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QList<BoxInfo> boxes;
        for (int i = 0; i < 8; ++i) {
            BoxInfo b = makeBox(QStringLiteral("box-%1").arg(i),
                                i % 3 == 0 ? BoxInfo::State::Exited : BoxInfo::State::Running);
            b.startedAt = now.addSecs(-600 * ((i * 5) % 8 + 1));
            b.finishedAt = now.addSecs(-60);
            b.resources.cpuPercent = (i * 37) % 11;
            b.resources.memoryUsage = qint64((i * 13) % 7) << 20;
            b.resources.pids = (i * 3) % 5;
            if (i % 4 != 1)
                b.labels.insert(bc::security::labels::policyIdleStop(),
                                QString::number(3600 * ((i * 7) % 5 + 1)));
            boxes << b;
        }
        model.setBoxes(boxes);
        for (const int column :
             {int(BoxListModel::Uptime), int(BoxListModel::Policy), int(BoxListModel::State),
              int(BoxListModel::Health), int(BoxListModel::Cpu), int(BoxListModel::Memory),
              int(BoxListModel::Pids)}) {
            proxy.sort(column, Qt::AscendingOrder);
            for (int r = 1; r < proxy.rowCount(); ++r) {
                const QVariant before = proxy.index(r - 1, column).data(BoxListModel::SortRole);
                const QVariant after = proxy.index(r, column).data(BoxListModel::SortRole);
                QVERIFY2(QVariant::compare(before, after) != QPartialOrdering::Greater,
                         qPrintable(QStringLiteral("column %1, rows %2 and %3: %4 after %5")
                                        .arg(column)
                                        .arg(r - 1)
                                        .arg(r)
                                        .arg(after.toString(), before.toString())));
            }
        }
        // Stopped boxes have no uptime: they sort first.
        proxy.sort(BoxListModel::Uptime, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, BoxListModel::Name).data().toString(), QStringLiteral("box-0"));
        // The soonest action first, boxes without one (no policy, or stopped with only an
        // idle stop) last.
        proxy.sort(BoxListModel::Policy, Qt::AscendingOrder);
        QVERIFY(!proxy.index(0, BoxListModel::Policy).data().toString().isEmpty());
        QVERIFY(
            proxy.index(proxy.rowCount() - 1, BoxListModel::Policy).data().toString().isEmpty());
    }

    void proxyFiltersAndSortsNumerically()
    {
        BoxListModel model;
        BoxFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        BoxInfo a = makeBox(QStringLiteral("alpha"));
        a.resources.cpuPercent = 9.5;
        BoxInfo b = makeBox(QStringLiteral("beta"), BoxInfo::State::Exited);
        b.resources.cpuPercent = 10.0;
        b.health = BoxInfo::Health::None;
        BoxInfo c = makeBox(QStringLiteral("gamma"), BoxInfo::State::Running,
                            QStringLiteral("coolify:https://coolify.example"));
        c.resources.cpuPercent = 100.0;
        c.health = BoxInfo::Health::Unhealthy;
        model.setBoxes({a, b, c});

        proxy.sort(BoxListModel::Cpu, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("alpha"));
        QCOMPARE(proxy.index(1, 0).data().toString(), QStringLiteral("beta"));
        QCOMPARE(proxy.index(2, 0).data().toString(), QStringLiteral("gamma"));

        // A stats tick does not move rows under the pointer; a re-sort (F5) does.
        a.resources.cpuPercent = 200;
        model.upsertBox(a);
        model.flush();
        QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("alpha"));
        proxy.resortStats();
        QCOMPARE(proxy.index(2, 0).data().toString(), QStringLiteral("alpha"));

        proxy.setText(QStringLiteral("GAM"));
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setText(QStringLiteral("example.org exited"));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("beta"));
        proxy.setText({});
        proxy.setStateFilter(BoxFilterProxyModel::StateFilter::Running);
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setStateFilter(BoxFilterProxyModel::StateFilter::Problem);
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setStateFilter(BoxFilterProxyModel::StateFilter::All);
        proxy.setHealthFilter(BoxFilterProxyModel::HealthFilter::NoCheck);
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setHealthFilter(BoxFilterProxyModel::HealthFilter::All);
        proxy.setBackendFilter(QStringLiteral("coolify:https://coolify.example"));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, BoxListModel::Backend).data().toString(),
                 QStringLiteral("coolify · local"));

        // A filtered-out box that changes state appears.
        proxy.setBackendFilter({});
        proxy.setStateFilter(BoxFilterProxyModel::StateFilter::Stopped);
        QCOMPARE(proxy.rowCount(), 1);
        c.state = BoxInfo::State::Exited;
        model.upsertBox(c);
        model.flush();
        QCOMPARE(proxy.rowCount(), 2);
        model.removeBox(b.key());
        QCOMPARE(proxy.rowCount(), 1);
    }

    void statsHistoryKeepsAnHourBounded()
    {
        StatsHistory history;
        BoxInfo b = makeBox(QStringLiteral("alpha"));
        const qint64 start = 1'000'000'000'000;
        qsizetype largest = 0;
        // Three hours at one sample a second, counters growing 1 KiB/s.
        for (int s = 0; s < 3 * 3600; ++s) {
            b.resources.netRx = qint64(s) * 1024;
            b.resources.netTx = 0;
            b.resources.blockRead = 0;
            b.resources.blockWrite = qint64(s) * 4096;
            history.record(b.key(), b.resources, start + qint64(s) * 1000);
            largest = std::max(largest, history.samples(b.key()).size());
        }
        const auto samples = history.samples(b.key());
        const qint64 now = start + qint64(3 * 3600 - 1) * 1000;
        QVERIFY(samples.first().msecs >= now - 3600 * 1000);
        QVERIFY(samples.first().msecs <= now - 3500 * 1000); // an hour, not less
        QVERIFY2(largest <= 1100, qPrintable(QString::number(largest)));
        QCOMPARE(samples.last().netRx, 1024.0);
        QCOMPARE(samples.last().blockWrite, 4096.0);
    }

    void alertHistoryAppendsAndClearsWithoutReset()
    {
        AlertHistoryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        for (int i = 0; i < AlertHistoryModel::MaxEntries + 5; ++i)
            model.append({QDateTime::currentDateTimeUtc(), QStringLiteral("k"),
                          QStringLiteral("box-%1").arg(i), QStringLiteral("killed"),
                          QStringLiteral("killed")});
        QCOMPARE(model.rowCount(), AlertHistoryModel::MaxEntries);
        QCOMPARE(model.entryAt(0).box, QStringLiteral("box-5"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(reset.count(), 0);
    }

    void formatting()
    {
        BoxInfo b = makeBox(QStringLiteral("x"));
        b.resources.memoryUsage = 1536LL << 20;
        b.resources.memoryLimit = 2LL << 30;
        QCOMPARE(BoxListModel::formatMemory(b), QStringLiteral("1.5 GiB / 2.0 GiB"));
        const QDateTime now = b.startedAt.addSecs(3 * 3600 + 12 * 60);
        QCOMPARE(BoxListModel::formatUptime(b, now), QStringLiteral("3 h 12 min"));
        b.state = BoxInfo::State::Exited;
        QCOMPARE(BoxListModel::formatUptime(b, now), QStringLiteral("–"));
        b.resources.cpuPercent = -1;
        BoxListModel model;
        model.upsertBox(b);
        QCOMPARE(model.index(0, BoxListModel::Cpu).data().toString(), QStringLiteral("–"));
    }

    void logModelIsBounded()
    {
        LogModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCapacity(100);
        QSignalSpy dropped(&model, &LogModel::linesDropped);
        for (int i = 0; i < 25; ++i) {
            QStringList batch;
            for (int j = 0; j < 10; ++j)
                batch << QStringLiteral("line %1").arg(i * 10 + j);
            model.appendLines(batch);
        }
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.lineAt(0), QStringLiteral("line 150"));
        QCOMPARE(model.lineAt(99), QStringLiteral("line 249"));
        QCOMPARE(dropped.count(), 15);
        QCOMPARE(model.find(QStringLiteral("line 2"), 0), 50); // "line 200"
        QCOMPARE(model.find(QStringLiteral("nope"), 0), -1);

        // A batch larger than the capacity keeps its newest lines.
        QStringList big;
        for (int i = 0; i < 250; ++i)
            big << QString::number(i);
        model.appendLines(big);
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.lineAt(0), QStringLiteral("150"));
        QCOMPARE(model.lineAt(99), QStringLiteral("249"));

        // Partial lines wait for their end; long lines are shortened for display only.
        model.clear();
        model.appendText(QStringLiteral("hel"));
        QCOMPARE(model.rowCount(), 0);
        model.appendText(QStringLiteral("lo\r\nwor"));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.lineAt(0), QStringLiteral("hello"));
        const QString huge(90000, QLatin1Char('x'));
        model.appendLines({huge}, true);
        QVERIFY(model.index(1).data().toString().size() < 2100);
        QCOMPARE(model.index(1).data(LogModel::FullTextRole).toString().size(), 90000);
        QVERIFY(model.index(1).data(LogModel::StderrRole).toBool());
    }

    void findingsModel()
    {
        FindingsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        using S = FindingsModel::Severity;
        model.setFindings(
            {{S::Low, QStringLiteral("ulimits"), QStringLiteral("no nofile limit"), {}, {}},
             {S::Critical, QStringLiteral("privileged"), QStringLiteral("runs privileged"),
              QStringLiteral("false"), QStringLiteral("true")}});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, FindingsModel::CheckColumn).data().toString(),
                 QStringLiteral("privileged"));
        QCOMPARE(model.count(S::High), 1);
        QVERIFY(!model.index(0, 0).data(Qt::DecorationRole).isNull());
    }

    void endpointModel()
    {
        EndpointModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addEndpoint({QStringLiteral("unix:///var/run/docker.sock"),
                           QStringLiteral("context default"), true, false});
        model.addEndpoint(
            {QStringLiteral("ssh://ops@build-1"), QStringLiteral("added"), true, true});
        model.addEndpoint(
            {QStringLiteral("ssh://ops@build-1"), QStringLiteral("added"), true, true});
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(!model.removeEndpoint(0));
        QVERIFY(model.setData(model.index(0, EndpointModel::EnabledColumn), Qt::Unchecked,
                              Qt::CheckStateRole));
        QCOMPARE(model.enabledUrls(), QStringList{QStringLiteral("ssh://ops@build-1")});
        QVERIFY(model.removeEndpoint(1));
        QCOMPARE(model.rowCount(), 1);
    }
};

QTEST_MAIN(tst_Models)
#include "tst_models.moc"
