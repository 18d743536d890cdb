// ctest: timeout=60
// What a re-list says of a box is older than an event about it that arrives while the
// list is on its way: a box removed meanwhile must not come back, one created meanwhile
// must not be dropped, one that changed keeps its newer state. (The console once kept a
// removed box for good after an engine outage: ui_consoledockerdrestart.) A fake backend
// answers each list when the test says, so every interleaving is exact. Also the start's
// round of first lists: several engines' answers are merged together, a slow one holds
// the others back only briefly, and pushed changes are followed from then on.
#include "core/boxes/boxbackend.h"
#include "core/boxes/boxmonitor.h"
#include "core/util/async.h"

#include <QElapsedTimer>
#include <QMetaMethod>
#include <QSignalSpy>
#include <QTest>

using namespace bc;
using namespace bc::boxes;

namespace {

class FakeBackend final : public BoxBackend
{
public:
    explicit FakeBackend(QObject *parent, QString id = QStringLiteral("fake:1"))
        : BoxBackend(parent)
        , m_id(std::move(id))
    {}
    QString id() const override { return m_id; }
    QString kind() const override { return QStringLiteral("docker"); }
    QString displayHost() const override { return QStringLiteral("fake"); }
    QFuture<Result<QList<BoxInfo>>> list() override
    {
        pending << AsyncResult<QList<BoxInfo>>();
        return pending.last().future();
    }
    QFuture<Result<BoxInfo>> status(const QString &) override
    {
        return readyFuture(Result<BoxInfo>(Error(Error::Kind::NotFound, QStringLiteral("-"))));
    }
    BoxJob *deploy(const security::BoxSpec &) override { return nullptr; }
    BoxJob *remove(const QString &, bool) override { return nullptr; }
    QFuture<VoidResult> start(const QString &) override { return readyFuture(VoidResult()); }
    QFuture<VoidResult> stop(const QString &) override { return readyFuture(VoidResult()); }
    QFuture<VoidResult> restart(const QString &) override { return readyFuture(VoidResult()); }
    QFuture<Result<QStringList>> recentLogs(const QString &, int) override
    {
        return readyFuture(Result<QStringList>(QStringList{}));
    }

    BoxInfo box(const QString &name, BoxInfo::State state = BoxInfo::State::Running) const
    {
        BoxInfo b;
        b.backendId = id();
        b.backendKind = kind();
        b.id = QStringLiteral("id-") + name;
        b.name = name;
        b.state = state;
        b.detailed = true;
        return b;
    }
    // Answers the oldest list still open.
    void answer(const QList<BoxInfo> &boxes)
    {
        QVERIFY(!pending.isEmpty());
        pending.takeFirst().finish(boxes);
    }

    QList<AsyncResult<QList<BoxInfo>>> pending;
    int pushListeners = 0; // connections to boxChanged (a real backend then follows events)

protected:
    void connectNotify(const QMetaMethod &signal) override
    {
        if (signal == QMetaMethod::fromSignal(&BoxBackend::boxChanged))
            ++pushListeners;
    }

private:
    QString m_id;
};

} // namespace

class tst_MonitorRace : public QObject
{
    Q_OBJECT

    std::unique_ptr<BoxMonitor> m_monitor;
    FakeBackend *m_backend = nullptr;

    QMap<QString, BoxInfo::State> shown() const
    {
        QMap<QString, BoxInfo::State> out;
        for (const BoxInfo &b : m_monitor->boxes())
            out.insert(b.name, b.state);
        return out;
    }
    // The monitor's continuation runs from the event loop, as a real answer's does.
    static void settle() { QTest::qWait(20); }

private slots:
    void init()
    {
        m_monitor = std::make_unique<BoxMonitor>();
        m_monitor->setStatsInterval(0);
        m_backend = new FakeBackend(m_monitor.get());
        m_monitor->addBackend(m_backend);
        m_monitor->start();
        QTRY_COMPARE(m_backend->pending.size(), 1);
        m_backend->answer(
            {m_backend->box(QStringLiteral("a")), m_backend->box(QStringLiteral("b"))});
        settle();
        QCOMPARE(shown().keys(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    }

    void cleanup()
    {
        m_monitor.reset();
        m_backend = nullptr;
    }

    void removedWhileListedStaysRemoved()
    {
        m_monitor->resyncNow();
        QCOMPARE(m_backend->pending.size(), 1);
        emit m_backend->boxRemoved(m_backend->id(), m_backend->box(QStringLiteral("b")).id);
        QCOMPARE(shown().keys(), QStringList{QStringLiteral("a")});
        // The list was made before the removal: it still has b.
        m_backend->answer(
            {m_backend->box(QStringLiteral("a")), m_backend->box(QStringLiteral("b"))});
        settle();
        QCOMPARE(shown().keys(), QStringList{QStringLiteral("a")});
    }

    void createdWhileListedStays()
    {
        m_monitor->resyncNow();
        emit m_backend->boxChanged(m_backend->box(QStringLiteral("c")));
        m_backend->answer(
            {m_backend->box(QStringLiteral("a")), m_backend->box(QStringLiteral("b"))});
        settle();
        QCOMPARE(shown().keys(),
                 (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
    }

    void changedWhileListedKeepsTheNewerState()
    {
        m_monitor->resyncNow();
        emit m_backend->boxChanged(m_backend->box(QStringLiteral("a"), BoxInfo::State::Exited));
        m_backend->answer(
            {m_backend->box(QStringLiteral("a")), m_backend->box(QStringLiteral("b"))});
        settle();
        QCOMPARE(shown().value(QStringLiteral("a")), BoxInfo::State::Exited);
    }

    // What the last list's events covered does not outlive it: the next list, with no
    // event in between, is the truth again (removals included).
    void theNextListIsTheTruthAgain()
    {
        m_monitor->resyncNow();
        emit m_backend->boxChanged(m_backend->box(QStringLiteral("c")));
        m_backend->answer(
            {m_backend->box(QStringLiteral("a")), m_backend->box(QStringLiteral("b"))});
        settle();
        m_monitor->resyncNow();
        m_backend->answer({m_backend->box(QStringLiteral("b"), BoxInfo::State::Exited)});
        settle();
        QCOMPARE(shown().keys(), QStringList{QStringLiteral("b")});
        QCOMPARE(shown().value(QStringLiteral("b")), BoxInfo::State::Exited);
    }

    // Three engines at start: the first answers are held until the last is in, then all
    // rows come at once, and only then are the engines' changes followed (event streams).
    void firstListsAreMergedTogether()
    {
        BoxMonitor monitor;
        monitor.setStatsInterval(0);
        QList<FakeBackend *> engines;
        for (const char *id : {"fake:a", "fake:b", "fake:c"}) {
            engines << new FakeBackend(&monitor, QString::fromLatin1(id));
            monitor.addBackend(engines.last());
        }
        QSignalSpy added(&monitor, &BoxMonitor::boxAdded);
        QSignalSpy listed(&monitor, &BoxMonitor::backendListed);
        monitor.start();
        for (FakeBackend *e : engines)
            QCOMPARE(e->pending.size(), 1);
        engines[1]->answer({engines[1]->box(QStringLiteral("b1"))});
        engines[0]->answer({engines[0]->box(QStringLiteral("a1"))});
        settle();
        QCOMPARE(added.size(), 0);
        QCOMPARE(listed.size(), 0);
        for (FakeBackend *e : engines)
            QCOMPARE(e->pushListeners, 0);
        engines[2]->answer({engines[2]->box(QStringLiteral("c1"))});
        settle();
        QCOMPARE(added.size(), 3);
        QCOMPARE(listed.size(), 3);
        QCOMPARE(listed.at(0).at(0).toString(), QStringLiteral("fake:b")); // in answer order
        for (FakeBackend *e : engines)
            QCOMPARE(e->pushListeners, 1);
        emit engines[0]->boxChanged(engines[0]->box(QStringLiteral("a2")));
        QCOMPARE(added.size(), 4);
    }

    // A slow engine holds the others' rows back for FirstListHoldMs at most; its own list
    // is merged when it comes.
    void aSlowEngineHoldsTheOthersBrieflyOnly()
    {
        BoxMonitor monitor;
        monitor.setStatsInterval(0);
        auto *fast = new FakeBackend(&monitor, QStringLiteral("fake:fast"));
        auto *slow = new FakeBackend(&monitor, QStringLiteral("fake:slow"));
        monitor.addBackend(fast);
        monitor.addBackend(slow);
        QSignalSpy listed(&monitor, &BoxMonitor::backendListed);
        monitor.start();
        QElapsedTimer clock;
        clock.start();
        fast->answer({fast->box(QStringLiteral("f1"))});
        settle();
        QVERIFY(monitor.boxes().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(monitor.boxes().size(), 1, 5000);
        QVERIFY2(clock.elapsed() >= 200 && clock.elapsed() < 2000,
                 qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(listed.size(), 1);
        QCOMPARE(fast->pushListeners, 1);
        QCOMPARE(slow->pushListeners, 1);
        slow->answer({slow->box(QStringLiteral("s1"))});
        settle();
        QCOMPARE(monitor.boxes().size(), 2);
        QCOMPARE(listed.size(), 2);
    }
};

QTEST_GUILESS_MAIN(tst_MonitorRace)
#include "tst_monitorrace.moc"
