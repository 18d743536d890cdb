// The JSON toolkit: strict readers fail naming the field, lenient ones take Coolify's
// drifting types, and values survive a trip through text and back.
#include "core/util/json.h"
#include "core/util/jsonlenient.h"
#include "core/util/jsonstrict.h"

#include <QTest>

#include <limits>

using namespace bc;
using namespace Qt::Literals::StringLiterals;
using namespace bc::util::json;

class tst_Json final : public QObject
{
    Q_OBJECT

private slots:
    void strictAcceptsItsType();
    void strictErrorsNameThePath_data();
    void strictErrorsNameThePath();
    void strictMembers();
    void onlyKeysNamesTheStranger();
    void lenientIntegers_data();
    void lenientIntegers();
    void lenientBooleans();
    void lenientText();
    void lenientStrings();
    void memberOfNonObject();
    void roundTrip();
    void numbersPrintWhole();
    void parseErrors();
    void dumpReplacesInvalidUtf8();
    void fromQtValues();
};

void tst_Json::strictAcceptsItsType()
{
    QCOMPARE(requireString(Json("x"), u"a"_s).value(), u"x"_s);
    QCOMPARE(requireInteger(Json(-7), u"a"_s).value(), -7);
    QCOMPARE(requireInteger(Json(42u), u"a"_s).value(), 42);
    QCOMPARE(requireBoolean(Json(true), u"a"_s).value(), true);
    QCOMPARE(requireStrings(Json::array({"a", "b"}), u"a"_s).value(),
             (QStringList{u"a"_s, u"b"_s}));
}

void tst_Json::strictErrorsNameThePath_data()
{
    QTest::addColumn<int>("reader"); // 0 string, 1 integer, 2 boolean, 3 strings
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("message");
    QTest::newRow("number for string")
        << 0 << QByteArray("42") << u"policy.name: expected a string, got an integer"_s;
    QTest::newRow("numeric string for integer")
        << 1 << QByteArray(R"("42")") << u"policy.name: expected an integer, got a string"_s;
    QTest::newRow("decimal for integer")
        << 1 << QByteArray("1.5") << u"policy.name: expected an integer, got a decimal number"_s;
    QTest::newRow("too large") << 1 << QByteArray("18446744073709551615")
                               << u"policy.name: is too large"_s;
    QTest::newRow("0 for boolean")
        << 2 << QByteArray("0") << u"policy.name: expected a boolean, got an integer"_s;
    QTest::newRow("null for boolean")
        << 2 << QByteArray("null") << u"policy.name: expected a boolean, got null"_s;
    QTest::newRow("string for array")
        << 3 << QByteArray(R"("a")")
        << u"policy.name: expected an array of strings, got a string"_s;
    QTest::newRow("entry of another type")
        << 3 << QByteArray(R"(["a", {}])") << u"policy.name[1]: expected a string, got an object"_s;
}

void tst_Json::strictErrorsNameThePath()
{
    QFETCH(int, reader);
    QFETCH(QByteArray, value);
    QFETCH(QString, message);
    const Json v = Json::parse(value.toStdString());
    const QString path = u"policy.name"_s;
    Error e;
    switch (reader) {
    case 0:
        e = requireString(v, path).error();
        break;
    case 1:
        e = requireInteger(v, path).error();
        break;
    case 2:
        e = requireBoolean(v, path).error();
        break;
    default:
        e = requireStrings(v, path).error();
    }
    QCOMPARE(e.kind(), Error::Kind::Invalid);
    QCOMPARE(e.message(), message);
}

void tst_Json::strictMembers()
{
    const Json o = {{"name", "web"}, {"port", 8080}, {"tags", {"a"}}};
    QCOMPARE(stringAt(o, "name", u"up.name"_s).value(), u"web"_s);
    QCOMPARE(stringAt(o, "missing", u"up.missing"_s).value(), QString());
    QCOMPARE(stringAt(o, "missing", u"up.missing"_s, Presence::Required).error().message(),
             u"up.missing: is required"_s);
    QCOMPARE(stringAt(o, "port", u"up.port"_s).error().message(),
             u"up.port: expected a string, got an integer"_s);
    QCOMPARE(integerAt(o, "port", u"up.port"_s, 443).value(), 8080);
    QCOMPARE(integerAt(o, "other", u"up.other"_s, 443).value(), 443);
    QCOMPARE(stringsAt(o, "tags", u"up.tags"_s).value(), QStringList{u"a"_s});
    QCOMPARE(stringsAt(o, "none", u"up.none"_s).value(), QStringList());
    QCOMPARE(stringsAt(o, "none", u"up.none"_s, Presence::Required).error().message(),
             u"up.none: is required"_s);
}

void tst_Json::onlyKeysNamesTheStranger()
{
    const Json o = {{"name", "web"}, {"colour", "red"}};
    QVERIFY(onlyKeys(o, {"name", "colour"}, u"up"_s));
    QCOMPARE(onlyKeys(o, {"name"}, u"upstreams[0]"_s).error().message(),
             u"upstreams[0].colour: unknown key"_s);
    QCOMPARE(onlyKeys(o, {"name"}, QString()).error().message(), u"colour: unknown key"_s);
}

void tst_Json::lenientIntegers_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("integer") << QByteArray(R"({"n": 22})") << qint64(22);
    QTest::newRow("negative") << QByteArray(R"({"n": -3})") << qint64(-3);
    QTest::newRow("string, as Coolify sends it") << QByteArray(R"({"n": "22"})") << qint64(22);
    QTest::newRow("string with spaces") << QByteArray(R"({"n": " 8 "})") << qint64(8);
    QTest::newRow("decimal, truncated") << QByteArray(R"({"n": 2.9})") << qint64(2);
    QTest::newRow("beyond qint64")
        << QByteArray(R"({"n": 18446744073709551615})") << std::numeric_limits<qint64>::max();
    QTest::newRow("huge decimal") << QByteArray(R"({"n": 1e300})")
                                  << std::numeric_limits<qint64>::max();
    QTest::newRow("not a number") << QByteArray(R"({"n": "twenty"})") << qint64(-1);
    QTest::newRow("boolean") << QByteArray(R"({"n": true})") << qint64(-1);
    QTest::newRow("null") << QByteArray(R"({"n": null})") << qint64(-1);
    QTest::newRow("missing") << QByteArray(R"({})") << qint64(-1);
    QTest::newRow("not an object") << QByteArray(R"([1])") << qint64(-1);
}

void tst_Json::lenientIntegers()
{
    QFETCH(QByteArray, document);
    QFETCH(qint64, expected);
    QCOMPARE(integer(Json::parse(document.toStdString()), "n", -1), expected);
}

void tst_Json::lenientBooleans()
{
    const Json o = Json::parse(
        R"({"t": true, "one": 1, "zero": 0, "s1": "1", "strue": "true", "s0": "0", "other": "yes",
            "null": null, "list": []})");
    QVERIFY(boolean(o, "t"));
    QVERIFY(boolean(o, "one"));
    QVERIFY(!boolean(o, "zero", true));
    QVERIFY(boolean(o, "s1"));
    QVERIFY(boolean(o, "strue"));
    QVERIFY(!boolean(o, "s0", true));
    QVERIFY(!boolean(o, "other", true));
    QVERIFY(boolean(o, "null", true));
    QVERIFY(boolean(o, "list", true));
    QVERIFY(boolean(o, "missing", true));
    // isTrue takes the literal only: a 1 where a boolean belongs is not "set".
    QVERIFY(isTrue(o, "t"));
    QVERIFY(!isTrue(o, "one"));
    QVERIFY(!isTrue(o, "strue"));
}

void tst_Json::lenientText()
{
    const Json o = Json::parse(
        R"({"s": "abc", "i": 12, "d": 1.5, "b": false, "n": null, "o": {}, "u": "Grüße"})");
    QCOMPARE(text(o, "s"), u"abc"_s);
    QCOMPARE(text(o, "i"), u"12"_s);
    QCOMPARE(text(o, "d"), u"1.5"_s);
    QCOMPARE(text(o, "b"), u"false"_s);
    QCOMPARE(text(o, "n"), QString());
    QCOMPARE(text(o, "o"), QString());
    QCOMPARE(text(o, "u"), QString::fromUtf8("Grüße"));
    // string() is for fields that are strings or nothing.
    QCOMPARE(string(o, "s"), u"abc"_s);
    QCOMPARE(string(o, "i"), QString());
}

void tst_Json::lenientStrings()
{
    const Json o = Json::parse(R"({"a": ["x", 1, null, "y"], "s": "x"})");
    // Entries of another type stay as empty ones, so that "is anything there" still sees them.
    QCOMPARE(strings(o, "a"), (QStringList{u"x"_s, QString(), QString(), u"y"_s}));
    QCOMPARE(strings(o, "s"), QStringList());
    QCOMPARE(strings(o, "missing"), QStringList());
}

void tst_Json::memberOfNonObject()
{
    QVERIFY(member(Json::array({1}), "a").is_null());
    QVERIFY(member(Json("text"), "a").is_null());
    QVERIFY(member(Json::object(), "a").is_null());
    QCOMPARE(member(Json{{"a", 1}}, "a").get<int>(), 1);
}

void tst_Json::roundTrip()
{
    const QStringList list{u"a"_s, QString::fromUtf8("ü \xf0\x9f\x93\xa6"), u"\"q\"\n"_s};
    const QMap<QString, QString> map{{u"k"_s, u"v"_s}, {u"x y"_s, QString()}};
    const Json doc{{"list", array(list)}, {"map", object(map)}, {"n", 5}};
    const QByteArray text = dump(doc);
    const auto back = parse(text, u"the document"_s);
    QVERIFY(back);
    QVERIFY(back.value() == doc);
    QCOMPARE(strings(back.value(), "list"), list);
    QCOMPARE(string(member(back.value(), "map"), "x y"), QString());
    QCOMPARE(string(member(back.value(), "map"), "k"), u"v"_s);
    QCOMPARE(qstring(Json(utf8(list.at(1)))), list.at(1));
    QCOMPARE(dump(Json{{"b", 1}, {"a", {1, 2}}}, 4),
             QByteArray("{\n    \"a\": [\n        1,\n        2\n    ],\n    \"b\": 1\n}"));
}

void tst_Json::numbersPrintWhole()
{
    QCOMPARE(dump(number(2.0)), QByteArray("2"));
    QCOMPARE(dump(number(-16.0)), QByteArray("-16"));
    QCOMPARE(dump(number(1.5)), QByteArray("1.5"));
    QCOMPARE(dump(number(0.25)), QByteArray("0.25"));
    QVERIFY(number(2.0).is_number_integer());
    QVERIFY(number(1e300).is_number_float());
    QCOMPARE(dump(number(std::numeric_limits<double>::quiet_NaN())), QByteArray("null"));
}

void tst_Json::parseErrors()
{
    const auto bad = parse("{\"a\": ", u"the secrets file"_s, Error::Kind::Io);
    QVERIFY(!bad);
    QCOMPARE(bad.error().kind(), Error::Kind::Io);
    QCOMPARE(bad.error().message(), u"the secrets file is not valid JSON"_s);
    QCOMPARE(parse("", u"x"_s).error().kind(), Error::Kind::Protocol);
    QVERIFY(parse("[]", u"x"_s).value().is_array());
}

void tst_Json::dumpReplacesInvalidUtf8()
{
    const Json bad = std::string("a\xff"
                                 "b");
    QCOMPARE(dump(bad), QByteArray("\"a\xef\xbf\xbd"
                                   "b\""));
}

void tst_Json::fromQtValues()
{
    const QVariantMap map{{u"keep"_s, true},
                          {u"n"_s, 7},
                          {u"big"_s, qint64(1) << 40},
                          {u"cpus"_s, 2.0},
                          {u"half"_s, 0.5},
                          {u"name"_s, u"box"_s},
                          {u"keys"_s, QStringList{u"A"_s, u"B"_s}},
                          {u"list"_s, QVariantList{1, u"x"_s}},
                          {u"none"_s, QVariant()}};
    QCOMPARE(dump(fromVariant(map)),
             QByteArray(R"({"big":1099511627776,"cpus":2,"half":0.5,"keep":true,"keys":["A","B"],)"
                        R"("list":[1,"x"],"n":7,"name":"box","none":null})"));
}

QTEST_GUILESS_MAIN(tst_Json)
#include "tst_json.moc"
