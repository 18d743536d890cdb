#include "core/policy/boxpolicy.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::Literals::StringLiterals;
using namespace bc::policy;

class TestBoxPolicy : public QObject
{
    Q_OBJECT

private:
    static QDateTime t(qint64 secs)
    {
        return QDateTime::fromSecsSinceEpoch(1'800'000'000 + secs, Qt::UTC);
    }

private slots:
    void fromLabels()
    {
        const auto p =
            BoxPolicy::fromLabels({{u"box-console.policy.idle-stop"_s, u"1800"_s},
                                   {u"box-console.policy.max-lifetime"_s, u"28800"_s},
                                   {u"box-console.policy.delete-after-stopped"_s, u"604800"_s},
                                   {u"box-console.keep-data"_s, u"true"_s}});
        QCOMPARE(p.idleStopSecs, 1800);
        QCOMPARE(p.maxLifetimeSecs, 28800);
        QCOMPARE(p.deleteAfterStoppedSecs, 604800);
        QVERIFY(p.keepData);
        QVERIFY(!p.isEmpty());
        QVERIFY(BoxPolicy::fromLabels({}).isEmpty());
        QVERIFY(!BoxPolicy::fromLabels({}).keepData);
    }

    void fromLabelsRefusesNonsense_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("negative") << u"-5"_s;
        QTest::newRow("units") << u"30m"_s;
        QTest::newRow("fraction") << u"1.5"_s;
        QTest::newRow("hex") << u"0x10"_s;
        QTest::newRow("overflow") << u"99999999999999999999999"_s;
        QTest::newRow("huge") << u"999999999999"_s;
        QTest::newRow("arabic-indic digits") << u"\u0661\u0662"_s;
        QTest::newRow("empty") << QString();
    }
    void fromLabelsRefusesNonsense()
    {
        QFETCH(QString, value);
        const auto p = BoxPolicy::fromLabels({{u"box-console.policy.idle-stop"_s, value}});
        QCOMPARE(p.idleStopSecs, 0);
    }

    void noPolicyNoAction()
    {
        PolicyClock c{t(0), t(0), t(5), {}, {}, true, t(100)};
        const auto d = computeDeadlines(BoxPolicy{}, c);
        QCOMPARE(d.next, PolicyAction::None);
        QVERIFY(!d.at.isValid());
        QVERIFY(!d.isDue(t(1'000'000)));
        QCOMPARE(describeDeadline(d, t(100)), QString());
    }

    void idleStopFromLastActivity()
    {
        BoxPolicy p;
        p.idleStopSecs = 600;
        PolicyClock c{t(0), t(10), t(300), {}, {}, true, t(400)};
        auto d = computeDeadlines(p, c);
        QCOMPARE(d.next, PolicyAction::IdleStop);
        QCOMPARE(d.at, t(900));
        QVERIFY(!d.isDue(t(899)));
        QVERIFY(d.isDue(t(900)));
        QCOMPARE(describeDeadline(d, t(400)), u"idle stop in 9 min"_s);
        // No activity known: the start counts.
        c.lastActivity = {};
        d = computeDeadlines(p, c);
        QCOMPARE(d.at, t(610));
        // Activity before the last start (a restarted box) does not make it idle at once.
        c.lastActivity = t(1);
        c.started = t(2000);
        QCOMPARE(computeDeadlines(p, c).at, t(2600));
    }

    void keepAliveDefersIdleStopButNotExpiry()
    {
        BoxPolicy p;
        p.idleStopSecs = 60;
        PolicyClock c{t(0), t(0), t(0), t(5000), {}, true, t(100)};
        auto d = computeDeadlines(p, c);
        QCOMPARE(d.next, PolicyAction::IdleStop);
        QCOMPARE(d.at, t(5000));
        p.maxLifetimeSecs = 3600;
        d = computeDeadlines(p, c);
        QCOMPARE(d.next, PolicyAction::Expire);
        QCOMPARE(d.at, t(3600));
        QCOMPARE(d.idleStopAt, t(5000));
        QCOMPARE(describeDeadline(d, t(100)), u"expires in 59 min"_s);
        // A keep-alive in the past changes nothing.
        c.keepAliveUntil = t(10);
        QCOMPARE(computeDeadlines(p, c).at, t(60));
    }

    void expiryWinsATie()
    {
        BoxPolicy p;
        p.idleStopSecs = 100;
        p.maxLifetimeSecs = 100;
        PolicyClock c{t(0), t(0), {}, {}, {}, true, t(0)};
        QCOMPARE(computeDeadlines(p, c).next, PolicyAction::Expire);
    }

    void deleteAfterStopped()
    {
        BoxPolicy p;
        p.idleStopSecs = 60;
        p.maxLifetimeSecs = 60;
        p.deleteAfterStoppedSecs = 7 * 86400;
        PolicyClock c{t(0), t(0), {}, {}, t(100), false, t(200)};
        auto d = computeDeadlines(p, c);
        QCOMPARE(d.next, PolicyAction::Delete);
        QCOMPARE(d.at, t(100 + 7 * 86400));
        QVERIFY(!d.idleStopAt.isValid());
        QVERIFY(!d.expireAt.isValid());
        QCOMPARE(describeDeadline(d, t(100)), u"deleted in 7 d"_s);
        QCOMPARE(describeDeadline(d, t(200 + 7 * 86400)), u"deletion due"_s);
        // Stopped at an unknown time: nothing to count from, nothing happens.
        c.stoppedAt = {};
        QCOMPARE(computeDeadlines(p, c).next, PolicyAction::None);
        // A keep-alive also keeps a stopped box.
        c.stoppedAt = t(100);
        c.keepAliveUntil = t(10 * 86400);
        QCOMPARE(computeDeadlines(p, c).at, t(10 * 86400));
        // A running box is never deleted.
        c.running = true;
        p.idleStopSecs = p.maxLifetimeSecs = 0;
        QCOMPARE(computeDeadlines(p, c).next, PolicyAction::None);
    }

    void remainingText()
    {
        QCOMPARE(formatRemaining(-3), u"0 s"_s);
        QCOMPARE(formatRemaining(45), u"45 s"_s);
        QCOMPARE(formatRemaining(61), u"2 min"_s);
        QCOMPARE(formatRemaining(3 * 3600), u"3 h"_s);
        QCOMPARE(formatRemaining(3 * 86400), u"3 d"_s);
        QCOMPARE(actionName(PolicyAction::IdleStop), u"idle-stop"_s);
    }
};

QTEST_GUILESS_MAIN(TestBoxPolicy)
#include "tst_boxpolicy.moc"
