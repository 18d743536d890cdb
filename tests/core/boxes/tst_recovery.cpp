// ctest: labels=docker timeout=300
// BoxRecovery and EngineLease on the real engine: interrupted operations are recovered from
// the engine alone (no journal), kept data is never touched, live operations are left
// alone, and two recoveries at once never double-act.
#include "boxtestsupport.h"

#include "core/boxes/boxrecovery.h"
#include "core/boxes/enginelease.h"
#include "core/boxes/opholder.h"
#include "core/boxes/oplabels.h"
#include "core/docker/dockerclient.h"
#include "support/testutil.h"

#include <QDateTime>
#include <QtTest>

using namespace bc;
using namespace bc::boxes;
using namespace bc::test;
using namespace bc::test::boxes;

class tst_Recovery : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void leaseIsExclusiveAndTakenOverWhenExpired();
    void interruptedDeployRolledBackWithoutJournal();
    void interruptedRedeployRestoresPrevious();
    void interruptedDeleteIsFinishedKeepingData();
    void keptDataIsNeverTouched();
    void liveOperationIsLeftAlone();
    void twoConcurrentRecoveriesNeverDoubleAct();

private:
    BoxRecovery::Options options() const
    {
        BoxRecovery::Options o;
        o.journalDir = m_journal.path();
        o.extraLabels.insert(QStringLiteral("box-console.test"), QStringLiteral("1"));
        return o;
    }
    QStringList labelArgs(const QMap<QString, QString> &l) const
    {
        QStringList out{QStringLiteral("--label"), testLabel()};
        for (auto it = l.cbegin(); it != l.cend(); ++it)
            out << QStringLiteral("--label") << it.key() + QLatin1Char('=') + it.value();
        return out;
    }
    void volume(const QString &name, const QMap<QString, QString> &l)
    {
        int code = 0;
        runDocker(QStringList{QStringLiteral("volume"), QStringLiteral("create")} + labelArgs(l) +
                      QStringList{name},
                  &code);
        QCOMPARE(code, 0);
    }
    void network(const QString &name, const QMap<QString, QString> &l)
    {
        int code = 0;
        runDocker(QStringList{QStringLiteral("network"), QStringLiteral("create"),
                              QStringLiteral("--internal")} +
                      labelArgs(l) + QStringList{name},
                  &code);
        QCOMPARE(code, 0);
    }
    QString container(const QString &name, const QMap<QString, QString> &l, bool run)
    {
        int code = 0;
        const QString id =
            runDocker(QStringList{run ? QStringLiteral("run") : QStringLiteral("create")} +
                          (run ? QStringList{QStringLiteral("-d")} : QStringList()) + labelArgs(l) +
                          QStringList{QStringLiteral("--name"), name, QStringLiteral("--network"),
                                      QStringLiteral("none"), testImage(), QStringLiteral("sleep"),
                                      QStringLiteral("600")},
                      &code);
        return code == 0 ? id.trimmed() : QString();
    }
    bool exists(const QString &kind, const QString &name)
    {
        int code = 0;
        runDocker({kind, QStringLiteral("inspect"), name}, &code);
        return code == 0;
    }
    // A marker as a process on another host would leave it, long ago.
    QMap<QString, QString> marker(const QString &op, const QString &kind, const QString &box)
    {
        return {{oplabels::op(), op},
                {oplabels::opKind(), kind},
                {oplabels::opBox(), box},
                {oplabels::opHolder(), QStringLiteral("elsewhere:1:1")},
                {oplabels::opStarted(), QStringLiteral("2020-01-01T00:00:00Z")}};
    }
    QMap<QString, QString> owned(const QString &box, const QString &op)
    {
        return {{QStringLiteral("box-console.box"), box},
                {QStringLiteral("box-console.deploy"), op}};
    }

    QTemporaryDir m_journal;
    std::unique_ptr<LabelledCleanup> m_guard;
};

void tst_Recovery::initTestCase()
{
    QVERIFY2(dockerAvailable(), "no Docker engine");
    QVERIFY(m_journal.isValid());
    m_guard = std::make_unique<LabelledCleanup>();
}

void tst_Recovery::cleanup()
{
    removeLabelled();
}

void tst_Recovery::leaseIsExclusiveAndTakenOverWhenExpired()
{
    docker::DockerClient client{http::Endpoint{}};
    const QMap<QString, QString> l{{QStringLiteral("box-console.test"), QStringLiteral("1")}};
    {
        EngineLease a(&client, l);
        EngineLease b(&client, l);
        const auto held = a.acquire();
        QVERIFY2(held.ok() && held.value(),
                 qPrintable(held.ok() ? QString() : held.error().toString()));
        const auto other = b.acquire();
        QVERIFY(other.ok());
        QVERIFY(!other.value());
        QCOMPARE(b.holder(), opholder::current());
        a.release();
        const auto now = b.acquire();
        QVERIFY(now.ok() && now.value());
    }
    QVERIFY(!exists(QStringLiteral("container"), oplabels::leaseContainer()));
    // A lease left by a holder that is gone, expired: taken over.
    const QString stale = container(oplabels::leaseContainer(),
                                    {{oplabels::leaseHolder(), QStringLiteral("elsewhere:1:1")},
                                     {oplabels::leaseExpires(), QStringLiteral("1")}},
                                    false);
    QVERIFY(!stale.isEmpty());
    EngineLease c(&client, l);
    const auto taken = c.acquire();
    QVERIFY(taken.ok() && taken.value());
    QVERIFY(!exists(QStringLiteral("container"), stale));
}

void tst_Recovery::interruptedDeployRolledBackWithoutJournal()
{
    const QString box = uniqueName(QStringLiteral("brc")).toLower();
    const QString op = QStringLiteral("op%1").arg(QDateTime::currentMSecsSinceEpoch());
    volume(oplabels::markerVolume(op), marker(op, QStringLiteral("deploy"), box));
    volume(box + QStringLiteral("-config"), owned(box, op));
    network(box + QStringLiteral("-net"), owned(box, op));
    QVERIFY(!container(box, owned(box, op), false).isEmpty());
    const auto r = BoxRecovery::runNow(http::Endpoint{}, options());
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->rolledBack, 1);
    QCOMPARE(r->removed, 4); // container, network, volume, marker
    QVERIFY(!exists(QStringLiteral("container"), box));
    QVERIFY(!exists(QStringLiteral("network"), box + QStringLiteral("-net")));
    QVERIFY(!exists(QStringLiteral("volume"), box + QStringLiteral("-config")));
    QVERIFY(!exists(QStringLiteral("volume"), oplabels::markerVolume(op)));
    QVERIFY(!exists(QStringLiteral("container"), oplabels::leaseContainer()));
}

void tst_Recovery::interruptedRedeployRestoresPrevious()
{
    const QString box = uniqueName(QStringLiteral("brc")).toLower();
    const QString op = QStringLiteral("op%1").arg(QDateTime::currentMSecsSinceEpoch());
    const QString previous =
        container(oplabels::previousName(box, op), owned(box, QStringLiteral("older")), true);
    QVERIFY(!previous.isEmpty());
    runDocker({QStringLiteral("stop"), QStringLiteral("-t"), QStringLiteral("0"), previous});
    auto m = marker(op, QStringLiteral("redeploy"), box);
    m.insert(oplabels::opPrevious(), previous);
    m.insert(oplabels::opPreviousRunning(), QStringLiteral("1"));
    volume(oplabels::markerVolume(op), m);
    QVERIFY(!container(box, owned(box, op), true).isEmpty());
    const auto r = BoxRecovery::runNow(http::Endpoint{}, options());
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->rolledBack, 1);
    QCOMPARE(r->restored, 1);
    QCOMPARE(runDocker({QStringLiteral("inspect"), QStringLiteral("-f"),
                        QStringLiteral("{{.Id}} {{.State.Running}}"), box}),
             previous + QStringLiteral(" true"));
}

void tst_Recovery::interruptedDeleteIsFinishedKeepingData()
{
    const QString box = uniqueName(QStringLiteral("brc")).toLower();
    const QString op = QStringLiteral("op%1").arg(QDateTime::currentMSecsSinceEpoch());
    auto m = marker(op, QStringLiteral("delete"), box);
    m.insert(oplabels::opKeepData(), QStringLiteral("1"));
    m.insert(QStringLiteral("box-console.owner"), QStringLiteral("alice@example.com"));
    volume(oplabels::markerVolume(op), m);
    volume(box + QStringLiteral("-config"), owned(box, QStringLiteral("older")));
    volume(box + QStringLiteral("-secrets"), owned(box, QStringLiteral("older")));
    network(box + QStringLiteral("-net"), owned(box, QStringLiteral("older")));
    QVERIFY(!container(box, owned(box, QStringLiteral("older")), false).isEmpty());
    const auto r = BoxRecovery::runNow(http::Endpoint{}, options());
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->finished, 1);
    QVERIFY(!exists(QStringLiteral("container"), box));
    QVERIFY(!exists(QStringLiteral("network"), box + QStringLiteral("-net")));
    QVERIFY(!exists(QStringLiteral("volume"), box + QStringLiteral("-secrets")));
    QVERIFY(exists(QStringLiteral("volume"), box + QStringLiteral("-config")));
    QVERIFY(exists(QStringLiteral("volume"), oplabels::keptVolume(box)));
    QVERIFY2(r->kept.join(u'\n').contains(box + QStringLiteral(": kept data ")),
             qPrintable(r->kept.join(u'\n')));
    QVERIFY(r->kept.join(u'\n').contains(QLatin1String("alice@example.com")));
}

void tst_Recovery::keptDataIsNeverTouched()
{
    const QString box = uniqueName(QStringLiteral("brc")).toLower();
    volume(oplabels::keptVolume(box),
           {{oplabels::kept(), QStringLiteral("2026-01-01T00:00:00Z")},
            {oplabels::keptBox(), box},
            {QStringLiteral("box-console.owner"), QStringLiteral("bob@example.com")}});
    volume(box + QStringLiteral("-config"), owned(box, QStringLiteral("older")));
    // A network without its box holds no data: a leftover, removed.
    network(box + QStringLiteral("-net"), owned(box, QStringLiteral("older")));
    auto dry = options();
    dry.dryRun = true;
    const auto listed = BoxRecovery::runNow(http::Endpoint{}, dry);
    QVERIFY(listed.ok());
    QVERIFY2(listed->kept.join(u'\n').contains(box), qPrintable(listed->kept.join(u'\n')));
    QVERIFY(listed->kept.join(u'\n').contains(QLatin1String("bob@example.com")));
    QVERIFY(exists(QStringLiteral("network"), box + QStringLiteral("-net")));
    const auto r = BoxRecovery::runNow(http::Endpoint{}, options());
    QVERIFY(r.ok());
    QVERIFY(exists(QStringLiteral("volume"), box + QStringLiteral("-config")));
    QVERIFY(exists(QStringLiteral("volume"), oplabels::keptVolume(box)));
    QVERIFY(!exists(QStringLiteral("network"), box + QStringLiteral("-net")));
    auto removeKept = options();
    removeKept.removeKept = true;
    QVERIFY(BoxRecovery::runNow(http::Endpoint{}, removeKept).ok());
    QVERIFY(!exists(QStringLiteral("volume"), box + QStringLiteral("-config")));
    QVERIFY(!exists(QStringLiteral("volume"), oplabels::keptVolume(box)));
}

void tst_Recovery::liveOperationIsLeftAlone()
{
    const QString box = uniqueName(QStringLiteral("brc")).toLower();
    const QString op = QStringLiteral("op%1").arg(QDateTime::currentMSecsSinceEpoch());
    auto m = marker(op, QStringLiteral("deploy"), box);
    m.insert(oplabels::opHolder(), opholder::current()); // this very process: alive
    volume(oplabels::markerVolume(op), m);
    volume(box + QStringLiteral("-config"), owned(box, op));
    network(box + QStringLiteral("-net"), owned(box, op));
    const auto r = BoxRecovery::runNow(http::Endpoint{}, options());
    QVERIFY(r.ok());
    QCOMPARE(r->rolledBack, 0);
    QCOMPARE(r->inProgress.size(), 1);
    QVERIFY(exists(QStringLiteral("volume"), box + QStringLiteral("-config")));
    QVERIFY(exists(QStringLiteral("network"), box + QStringLiteral("-net")));
}

void tst_Recovery::twoConcurrentRecoveriesNeverDoubleAct()
{
    const QString op = QStringLiteral("op%1").arg(QDateTime::currentMSecsSinceEpoch());
    int objects = 0;
    QStringList boxes;
    for (int i = 0; i < 4; ++i) {
        const QString box = uniqueName(QStringLiteral("brc")).toLower();
        const QString boxOp = op + QString::number(i);
        boxes << box;
        volume(oplabels::markerVolume(boxOp), marker(boxOp, QStringLiteral("deploy"), box));
        volume(box + QStringLiteral("-config"), owned(box, boxOp));
        volume(box + QStringLiteral("-cache"), owned(box, boxOp));
        network(box + QStringLiteral("-net"), owned(box, boxOp));
        objects += 4;
    }
    auto a = BoxRecovery::run(http::Endpoint{}, options());
    auto b = BoxRecovery::run(http::Endpoint{}, options());
    QVERIFY(waitFor(a, 120000) && waitFor(b, 120000));
    const auto ra = a.result();
    const auto rb = b.result();
    QVERIFY2(ra.ok() && rb.ok(), qPrintable((ra.ok() ? QString() : ra.error().toString()) +
                                            (rb.ok() ? QString() : rb.error().toString())));
    qInfo("recovery A: %s; B: %s", qPrintable(ra->summary()), qPrintable(rb->summary()));
    qInfo("A did: %s\nB did: %s", qPrintable(ra->actions.join(u'\n')),
          qPrintable(rb->actions.join(u'\n')));
    // Exactly one of them did the work; the other found the lease taken or nothing to do.
    QCOMPARE(ra->rolledBack + rb->rolledBack, 4);
    QCOMPARE(ra->removed + rb->removed, objects);
    QVERIFY(ra->leaseBusy || rb->leaseBusy || ra->rolledBack == 0 || rb->rolledBack == 0);
    for (const QString &box : boxes)
        QVERIFY(!exists(QStringLiteral("volume"), box + QStringLiteral("-config")));
    QVERIFY(!exists(QStringLiteral("container"), oplabels::leaseContainer()));
}

QTEST_GUILESS_MAIN(tst_Recovery)
#include "tst_recovery.moc"
