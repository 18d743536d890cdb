// JsonWriter prints what nlohmann::json::dump prints for the same values, compact and
// indented, so output moved off the document tree reads the same.
#include "core/util/jsonwriter.h"

#include <QTest>

#include <nlohmann/json.hpp>

using bc::JsonWriter;
using nlohmann::json;

namespace {

// Writes a document through the writer (objects in their sorted key order).
void write(JsonWriter &w, const json &j)
{
    switch (j.type()) {
    case json::value_t::object:
        w.beginObject();
        for (auto it = j.begin(); it != j.end(); ++it) {
            w.key(it.key());
            write(w, it.value());
        }
        w.endObject();
        break;
    case json::value_t::array:
        w.beginArray();
        for (const json &e : j)
            write(w, e);
        w.endArray();
        break;
    case json::value_t::string:
        w.value(std::string_view(j.get_ref<const std::string &>()));
        break;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        w.value(j.get<std::int64_t>());
        break;
    case json::value_t::number_float:
        w.value(j.get<double>());
        break;
    case json::value_t::boolean:
        w.value(j.get<bool>());
        break;
    default:
        w.null();
    }
}

} // namespace

class TestJsonWriter : public QObject
{
    Q_OBJECT
private slots:
    void matchesDump_data()
    {
        QTest::addColumn<int>("indent");
        QTest::newRow("compact") << -1;
        QTest::newRow("indent 2") << 2;
        QTest::newRow("indent 4") << 4;
    }
    void matchesDump()
    {
        QFETCH(int, indent);
        const json doc = {
            {"boxes",
             json::array({{{"name", "a\"b\\c\n\t\x01\x1f é ✓"},
                           {"cpu", 12.5},
                           {"cpuTiny", 0.1},
                           {"mem", -1},
                           {"pids", nullptr},
                           {"ok", true},
                           {"labels", json::object()},
                           {"list", json::array()},
                           {"nested", {{"x", json::array({1, json::array(), json::object()})}}}},
                          json::object(),
                          json::array()})},
            {"errors", json::array()},
            {"big", std::int64_t(9007199254740993)}};
        JsonWriter w(indent);
        write(w, doc);
        QCOMPARE(QByteArray::fromStdString(w.text()), QByteArray::fromStdString(doc.dump(indent)));
    }

    void qstringValues()
    {
        JsonWriter w;
        w.beginArray();
        w.value(QStringLiteral("ü\"x"));
        w.value(QString());
        w.endArray();
        QCOMPARE(QByteArray::fromStdString(w.take()),
                 QByteArray::fromStdString(json::array({"ü\"x", ""}).dump()));
    }

    // The writer scans 8 bytes (UTF-16: 8 units) at a time: every special character at
    // every position of strings longer than one block, as text, as QString and as key.
    void specialAtEveryPosition()
    {
        const QStringList specials{
            QStringLiteral("\""),   QStringLiteral("\\"),    QStringLiteral("\n"),
            QStringLiteral("\x01"), QStringLiteral("\x7f"),  QStringLiteral("é"),
            QStringLiteral("✓"),    QString::fromUcs4(U"😀"), QStringLiteral(" ")};
        for (const QString &special : specials) {
            for (int length = 0; length < 40; ++length) {
                for (int at = 0; at <= length; ++at) {
                    QString text(length, QLatin1Char('a'));
                    text.insert(at, special);
                    const std::string utf8 = text.toStdString();
                    JsonWriter w;
                    w.beginObject();
                    w.key(text);
                    w.value(text);
                    w.key(std::string_view(utf8));
                    w.beginArray();
                    w.value(std::string_view(utf8));
                    w.endArray();
                    w.endObject();
                    json expected = json::object();
                    expected[utf8] = json::array({utf8});
                    const json first = {{utf8, utf8}};
                    // Two members under one key: the writer prints both, as text.
                    const std::string dumped = "{" +
                                               first.dump().substr(1, first.dump().size() - 2) +
                                               "," + expected.dump().substr(1);
                    QCOMPARE(QByteArray::fromStdString(w.text()),
                             QByteArray::fromStdString(dumped));
                }
            }
        }
    }

    void literalKeysAndNumbers()
    {
        JsonWriter w(2);
        w.beginObject();
        w.key("Created");
        w.value(std::int64_t(-9223372036854775807LL - 1));
        w.key("PublicPort");
        w.value(0);
        w.key("Size");
        w.value(std::int64_t(9223372036854775807LL));
        w.endObject();
        const json doc = {{"Created", std::int64_t(-9223372036854775807LL - 1)},
                          {"PublicPort", 0},
                          {"Size", std::int64_t(9223372036854775807LL)}};
        QCOMPARE(QByteArray::fromStdString(w.text()), QByteArray::fromStdString(doc.dump(2)));
    }
};

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "tst_jsonwriter.moc"
