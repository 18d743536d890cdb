#include "core/security/boxlabels.h"
#include "core/security/boxspec.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using bc::Error;
using bc::security::BoxSpec;
using nlohmann::json;
namespace labels = bc::security::labels;

namespace {

json withPolicy(const json &policy)
{
    return {{"name", "box-alice"}, {"image", "bctest/busybox:latest"}, {"policy", policy}};
}

} // namespace

// The spec's "policy" object: durations, the refusals that name the field, the JSON round
// trip, and the labels a deploy writes from it over a fleet default.
class tst_BoxPolicySpec : public QObject
{
    Q_OBJECT

private slots:
    void durations_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("secs");
        QTest::newRow("seconds") << u"45s"_s << qint64(45);
        QTest::newRow("minutes") << u"30m"_s << qint64(1800);
        QTest::newRow("hours") << u"8h"_s << qint64(8 * 3600);
        QTest::newRow("days") << u"7d"_s << qint64(7 * 86400);
        QTest::newRow("plain seconds") << u"90"_s << qint64(90);
        QTest::newRow("zero is off") << u"0"_s << qint64(0);
        QTest::newRow("zero with a unit") << u"0m"_s << qint64(0);
        QTest::newRow("the maximum") << u"3650d"_s << qint64(3650LL * 86400);
    }
    void durations()
    {
        QFETCH(QString, text);
        QFETCH(qint64, secs);
        auto spec = BoxSpec::fromJson(withPolicy({{"idleStop", text.toStdString()}}));
        QVERIFY2(spec, qPrintable(spec ? QString() : spec.error().message()));
        QCOMPARE(spec->policy.idleStopSecs, std::optional<qint64>(secs));
        QVERIFY(!spec->policy.maxLifetimeSecs);
        QVERIFY(!spec->policy.deleteAfterStoppedSecs);
    }

    void integerSeconds()
    {
        auto spec = BoxSpec::fromJson(
            withPolicy({{"idleStop", 600}, {"maxLifetime", 0}, {"deleteAfterStopped", "2d"}}));
        QVERIFY(spec);
        QCOMPARE(spec->policy.idleStopSecs, std::optional<qint64>(600));
        QCOMPARE(spec->policy.maxLifetimeSecs, std::optional<qint64>(0));
        QCOMPARE(spec->policy.deleteAfterStoppedSecs, std::optional<qint64>(2 * 86400));
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("policy");
        QTest::addColumn<QString>("message");
        const auto row = [](const char *name, const json &policy, const QString &message) {
            QTest::newRow(name) << QByteArray::fromStdString(policy.dump()) << message;
        };
        row("negative text", {{"idleStop", "-5m"}}, u"policy.idleStop: must not be negative"_s);
        row("negative integer", {{"maxLifetime", -5}},
            u"policy.maxLifetime: must not be negative"_s);
        row("unknown unit", {{"idleStop", "5x"}}, u"policy.idleStop: invalid duration"_s);
        row("zero with unit garbage", {{"idleStop", "0x"}}, u"policy.idleStop: invalid duration"_s);
        row("zero with two units", {{"idleStop", "0mm"}}, u"policy.idleStop: invalid duration"_s);
        row("space", {{"deleteAfterStopped", "5 m"}},
            u"policy.deleteAfterStopped: invalid duration"_s);
        row("leading space", {{"idleStop", " 5m"}}, u"policy.idleStop: invalid duration"_s);
        row("fraction", {{"idleStop", "1.5h"}}, u"policy.idleStop: invalid duration"_s);
        row("upper-case unit", {{"idleStop", "5M"}}, u"policy.idleStop: invalid duration"_s);
        row("combined units", {{"idleStop", "1h30m"}}, u"policy.idleStop: invalid duration"_s);
        row("empty", {{"idleStop", ""}}, u"policy.idleStop: invalid duration"_s);
        row("too long", {{"maxLifetime", "3651d"}}, u"policy.maxLifetime: at most 3650d"_s);
        row("overflowing digits", {{"maxLifetime", "99999999999999999999d"}},
            u"policy.maxLifetime: invalid duration"_s);
        row("overflowing twelve digits", {{"maxLifetime", "999999999999d"}},
            u"policy.maxLifetime: at most 3650d"_s);
        row("overflowing integer", {{"maxLifetime", 18446744073709551615ULL}},
            u"policy.maxLifetime: at most 3650d"_s);
        row("a decimal number", {{"idleStop", 1.5}}, u"policy.idleStop: expected a duration"_s);
        row("a boolean", {{"idleStop", true}}, u"policy.idleStop: expected a duration"_s);
        row("unknown key", {{"idle", "5m"}}, u"policy.idle: unknown key"_s);
        row("not an object", json::array({"5m"}), u"policy: expected an object"_s);
    }
    void refused()
    {
        QFETCH(QByteArray, policy);
        QFETCH(QString, message);
        auto spec = BoxSpec::fromJson(withPolicy(json::parse(policy.toStdString())));
        QVERIFY(!spec);
        QCOMPARE(spec.error().kind(), Error::Kind::Invalid);
        QVERIFY2(spec.error().message().startsWith(message), qPrintable(spec.error().message()));
    }

    void validateRefusesWhatCodeBuilt()
    {
        BoxSpec spec;
        spec.name = u"box-alice"_s;
        spec.image = u"bctest/busybox:latest"_s;
        QVERIFY(spec.validate());
        spec.policy.maxLifetimeSecs = -1;
        auto r = spec.validate();
        QVERIFY(!r);
        QCOMPARE(r.error().message(), u"policy.maxLifetime: must not be negative"_s);
        spec.policy.maxLifetimeSecs = BoxSpec::Policy::MaxSecs + 1;
        r = spec.validate();
        QVERIFY(!r);
        QCOMPARE(r.error().message(), u"policy.maxLifetime: at most 3650d"_s);
    }

    void roundTrip()
    {
        auto spec = BoxSpec::fromJson(
            withPolicy({{"idleStop", "90"}, {"maxLifetime", "8h"}, {"deleteAfterStopped", 0}}));
        QVERIFY(spec);
        const json j = spec->toJson();
        QCOMPARE(QString::fromStdString(j["policy"].dump()),
                 uR"({"deleteAfterStopped":"0","idleStop":"90s","maxLifetime":"8h"})"_s);
        auto again = BoxSpec::fromJson(j);
        QVERIFY(again);
        QVERIFY(again->policy == spec->policy);
        QCOMPARE(again->hash(), spec->hash());
        // The text form round-trips too (boxctl reads files).
        auto text = BoxSpec::fromJsonText(QByteArray::fromStdString(j.dump()));
        QVERIFY(text);
        QVERIFY(text->policy == spec->policy);
    }

    void noPolicyLeavesTheJsonAndHashAlone()
    {
        auto plain = BoxSpec::fromJson({{"name", "box-alice"}, {"image", "bctest/busybox:latest"}});
        QVERIFY(plain);
        QVERIFY(plain->policy.isEmpty());
        QVERIFY(!plain->toJson().contains("policy"));
        auto empty = BoxSpec::fromJson(withPolicy(json::object()));
        QVERIFY(empty);
        QCOMPARE(empty->hash(), plain->hash());
        // A policy is part of what was deployed: it changes the hash.
        auto with = BoxSpec::fromJson(withPolicy({{"idleStop", "30m"}}));
        QVERIFY(with);
        QVERIFY(with->hash() != plain->hash());
    }

    void formatDuration()
    {
        QCOMPARE(BoxSpec::Policy::formatDuration(0), u"0"_s);
        QCOMPARE(BoxSpec::Policy::formatDuration(45), u"45s"_s);
        QCOMPARE(BoxSpec::Policy::formatDuration(1800), u"30m"_s);
        QCOMPARE(BoxSpec::Policy::formatDuration(3600 * 30), u"30h"_s);
        QCOMPARE(BoxSpec::Policy::formatDuration(86400 * 7), u"7d"_s);
        QCOMPARE(BoxSpec::Policy::formatDuration(3661), u"3661s"_s);
        for (qint64 secs : {qint64(1), qint64(59), qint64(61), qint64(7200), qint64(90061)})
            QCOMPARE(BoxSpec::Policy::parseDuration(BoxSpec::Policy::formatDuration(secs), u"f"_s)
                         .value(),
                     secs);
    }

    void labelsOverTheFleetDefault()
    {
        BoxSpec spec;
        spec.name = u"box-alice"_s;
        BoxSpec::Policy fleet;
        // Neither: no labels at all (the box predates policies, or nobody set one).
        QVERIFY(spec.policyLabels(fleet).isEmpty());

        fleet.idleStopSecs = 900;
        fleet.maxLifetimeSecs = 8 * 3600;
        auto l = spec.policyLabels(fleet);
        QCOMPARE(l.value(labels::policyIdleStop()), u"900"_s);
        QCOMPARE(l.value(labels::policyMaxLifetime()), u"28800"_s);
        QCOMPARE(l.value(labels::policyDeleteAfterStopped()), u"0"_s);
        QCOMPARE(l.value(labels::policySource()), u"fleet-default"_s);

        // The box's own values win field by field; 0 turns a fleet default off.
        spec.policy.idleStopSecs = 0;
        spec.policy.deleteAfterStoppedSecs = 7 * 86400;
        l = spec.policyLabels(fleet);
        QCOMPARE(l.value(labels::policyIdleStop()), u"0"_s);
        QCOMPARE(l.value(labels::policyMaxLifetime()), u"28800"_s);
        QCOMPARE(l.value(labels::policyDeleteAfterStopped()), u"604800"_s);
        QCOMPARE(l.value(labels::policySource()), u"box"_s);

        // The box alone.
        l = spec.policyLabels({});
        QCOMPARE(l.value(labels::policyMaxLifetime()), u"0"_s);
        QCOMPARE(l.value(labels::policySource()), u"box"_s);
    }
};

QTEST_APPLESS_MAIN(tst_BoxPolicySpec)
#include "tst_boxpolicyspec.moc"
