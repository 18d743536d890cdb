// The streaming container-list parser against the document one (dj::containerSummary):
// the same records from a real engine answer and from awkward ones, and errors, not
// garbage, from malformed bodies.
#include "core/docker/dockerjson.h"

#include <QFile>
#include <QTest>

using namespace bc;
using namespace bc::docker;
using Json = nlohmann::json;
namespace dj = bc::docker::json;

namespace {

QByteArray load(const char *name)
{
    QFile f(QString::fromUtf8(qgetenv("BOX_SOURCE_DIR")) + u"/tests/core/docker/data/" +
            QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open test data %s (BOX_SOURCE_DIR set?)", name);
    return f.readAll();
}

void compareRecords(const ContainerSummary &a, const ContainerSummary &b)
{
    QCOMPARE(a.id, b.id);
    QCOMPARE(a.names, b.names);
    QCOMPARE(a.image, b.image);
    QCOMPARE(a.imageId, b.imageId);
    QCOMPARE(a.command, b.command);
    QCOMPARE(a.created, b.created);
    QCOMPARE(a.state, b.state);
    QCOMPARE(a.status, b.status);
    QCOMPARE(a.labels, b.labels);
    QCOMPARE(a.networks, b.networks);
    QCOMPARE(a.ports.size(), b.ports.size());
    for (qsizetype i = 0; i < a.ports.size(); ++i) {
        QCOMPARE(a.ports[i].ip, b.ports[i].ip);
        QCOMPARE(a.ports[i].privatePort, b.ports[i].privatePort);
        QCOMPARE(a.ports[i].publicPort, b.ports[i].publicPort);
        QCOMPARE(a.ports[i].type, b.ports[i].type);
    }
}

void compareWithDocument(const QByteArray &body)
{
    const Result<QList<ContainerSummary>> streamed = dj::containerList(body);
    QVERIFY2(streamed, qPrintable(streamed ? QString() : streamed.error().toString()));
    const Json doc = dj::parse(body).value();
    QCOMPARE(streamed->size(), qsizetype(doc.size()));
    for (qsizetype i = 0; i < streamed->size(); ++i) {
        compareRecords(streamed->at(i), dj::containerSummary(doc[std::size_t(i)]));
        if (QTest::currentTestFailed())
            return;
    }
}

} // namespace

class TestContainerList : public QObject
{
    Q_OBJECT
private slots:
    void realEngineAnswer()
    {
        const QByteArray body = load("containers-list.json");
        compareWithDocument(body);
        const auto list = dj::containerList(body);
        QCOMPARE(list->size(), 3);
        QVERIFY(!list->first().labels.isEmpty());
        QVERIFY(!list->first().networks.isEmpty());
        QVERIFY(!list->first().names.first().startsWith(QLatin1Char('/')));
    }

    void awkwardFields()
    {
        // Names/keys that look like the fields read, inside subtrees that are skipped;
        // nulls, wrong types, unsorted labels, huge and float numbers, escapes.
        const Json body = Json::array(
            {{{"Id", "abc"},
              {"Names", {"/one", "two"}},
              {"Image", "img"},
              {"Command", "sh -c \"echo \\u00e9\"\n"},
              {"Created", 1700000000.7},
              {"State", "running"},
              {"Status", "Up 1 second (healthy)"},
              {"HostConfig", {{"Id", "not-me"}, {"Labels", {{"x", "y"}}}}},
              {"Mounts", Json::array({{{"Names", {"/nope"}}, {"Ports", Json::array()}}})},
              {"Labels", {{"z", "last"}, {"a", "first"}, {"box-console.box", "ü-box"}}},
              {"Ports",
               Json::array(
                   {{{"IP", "0.0.0.0"}, {"PrivatePort", 80}, {"PublicPort", 8080}, {"Type", "tcp"}},
                    {{"PrivatePort", 53}, {"Type", "udp"}}})},
              {"NetworkSettings",
               {{"Networks",
                 {{"bridge", {{"IPAddress", "10.0.0.2"}, {"Aliases", {"a", "b"}}}},
                  {"internal", Json::object()}}}}}},
             {{"Id", "def"},
              {"Names", nullptr},
              {"Labels", nullptr},
              {"Ports", nullptr},
              {"Created", 18446744073709551615ULL},
              {"NetworkSettings", nullptr},
              {"State", 7}},
             Json::object()});
        compareWithDocument(QByteArray::fromStdString(body.dump()));
        const auto list = dj::containerList(QByteArray::fromStdString(body.dump()));
        QCOMPARE(list->at(0).labels.value(QStringLiteral("box-console.box")),
                 QStringLiteral("ü-box"));
        QCOMPARE(list->at(0).networks,
                 (QStringList{QStringLiteral("bridge"), QStringLiteral("internal")}));
        QCOMPARE(list->at(0).ports.size(), 2);
        QCOMPARE(list->at(1).created, std::numeric_limits<qint64>::max());
        QVERIFY(list->at(2).id.isEmpty());
    }

    void emptyList()
    {
        const auto list = dj::containerList("[]");
        QVERIFY(list);
        QVERIFY(list->isEmpty());
    }

    void malformedBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("truncated") << load("containers-list.json").chopped(40);
        QTest::newRow("object") << QByteArray(R"({"message":"page not found"})");
        QTest::newRow("string") << QByteArray(R"("hello")");
        QTest::newRow("number") << QByteArray("42");
        QTest::newRow("trailing garbage") << QByteArray("[] x");
        QTest::newRow("bad escape") << QByteArray(R"([{"Id":"\q"}])");
    }
    void malformedBodies()
    {
        QFETCH(QByteArray, body);
        const auto list = dj::containerList(body);
        QVERIFY(!list);
        QCOMPARE(list.error().kind(), Error::Kind::Protocol);
    }
};

QTEST_GUILESS_MAIN(TestContainerList)
#include "tst_containerlist.moc"
