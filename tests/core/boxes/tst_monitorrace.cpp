// ctest: timeout=60
// What a re-list says of a box is older than an event about it that arrives while the
// list is on its way: a box removed meanwhile must not come back, one created meanwhile
// must not be dropped, one that changed keeps its newer state. (The console once kept a
// removed box for good after an engine outage: ui_consoledockerdrestart.) A fake backend
// answers each list when the test says, so every interleaving is exact.
#include "core/boxes/boxbackend.h"
#include "core/boxes/boxmonitor.h"
#include "core/util/async.h"

#include <QTest>

using namespace bc;
using namespace bc::boxes;

namespace {

class FakeBackend final : public BoxBackend
{
public:
    using BoxBackend::BoxBackend;
    QString id() const override { return QStringLiteral("fake:1"); }
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
};

QTEST_GUILESS_MAIN(tst_MonitorRace)
#include "tst_monitorrace.moc"
