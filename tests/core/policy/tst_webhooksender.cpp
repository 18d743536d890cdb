// Webhook delivery against receivers on loopback: the two payload shapes, one delivery per
// alert id, retries with backoff after failures, a down or silent endpoint that neither
// blocks send() nor grows the queue without bound, and URLs refused naming the field.
#include "core/policy/webhooksender.h"
#include "support/webhookreceiver.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace bc::policy;
using bc::test::WebhookReceiver;
using namespace Qt::Literals::StringLiterals;

namespace {

Alert alert(const QString &id)
{
    Alert a;
    a.id = id;
    a.kind = u"died"_s;
    a.backend = u"docker:unix:///var/run/docker.sock"_s;
    a.box = u"box-a"_s;
    a.message = u"box-a exited with code 3"_s;
    a.time = QDateTime::currentDateTimeUtc();
    return a;
}

Webhook hook(const QString &text)
{
    auto w = Webhook::parse(text, u"webhooks[0]"_s);
    return w ? *w : Webhook{};
}

} // namespace

class tst_WebhookSender : public QObject
{
    Q_OBJECT

private slots:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::newRow("https") << u"https://hooks.example.org/x"_s << true;
        QTest::newRow("slack") << u"slack:https://hooks.slack.com/services/T/B/C"_s << true;
        QTest::newRow("http loopback") << u"http://127.0.0.1:8080/hook"_s << true;
        QTest::newRow("http localhost") << u"http://localhost/hook"_s << true;
        QTest::newRow("http ipv6 loopback") << u"http://[::1]:9/hook"_s << true;
        QTest::newRow("http remote") << u"http://hooks.example.org/x"_s << false;
        QTest::newRow("http private address") << u"http://10.0.0.5/x"_s << false;
        QTest::newRow("ftp") << u"ftp://example.org/x"_s << false;
        QTest::newRow("credentials") << u"https://user:pw@example.org/x"_s << false;
        QTest::newRow("not a url") << u"hooks"_s << false;
        QTest::newRow("empty") << QString() << false;
    }
    void parse()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        const auto w = Webhook::parse(text, u"webhooks[2]"_s);
        QCOMPARE(bool(w), ok);
        if (!ok) {
            QVERIFY2(w.error().message().startsWith(u"webhooks[2]: "_s),
                     qPrintable(w.error().message()));
            QVERIFY(!w.error().message().contains(u"pw"_s));
        }
    }

    void payloadShapes()
    {
        const Alert a = alert(u"id-1"_s);
        const auto json =
            QJsonDocument::fromJson(WebhookSender::payload(a, Webhook::Format::Json)).object();
        QCOMPARE(json.value(u"id").toString(), u"id-1"_s);
        QCOMPARE(json.value(u"kind").toString(), u"died"_s);
        QCOMPARE(json.value(u"box").toString(), u"box-a"_s);
        const auto slack =
            QJsonDocument::fromJson(WebhookSender::payload(a, Webhook::Format::Slack)).object();
        QCOMPARE(slack.keys(), QStringList{u"text"_s});
        QVERIFY(slack.value(u"text").toString().contains(u"box-a exited with code 3"_s));
    }

    void eachAlertOnceToEachHook()
    {
        WebhookReceiver json, slack;
        WebhookSender sender;
        sender.setWebhooks({hook(json.url()), hook(u"slack:"_s + slack.url())});
        QSignalSpy delivered(&sender, &WebhookSender::delivered);
        QVERIFY(sender.send(alert(u"a1"_s)));
        QVERIFY(!sender.send(alert(u"a1"_s)));
        QVERIFY(sender.send(alert(u"a2"_s)));
        QTRY_COMPARE(delivered.size(), 4);
        QTest::qWait(300);
        QCOMPARE(json.bodies.size(), 2);
        QCOMPARE(slack.bodies.size(), 2);
        QCOMPARE(json.bodies.at(0).value(u"id").toString() +
                     json.bodies.at(1).value(u"id").toString(),
                 u"a1a2"_s);
        QVERIFY(slack.bodies.at(0).contains(u"text"));
    }

    void retriesWithBackoff()
    {
        WebhookReceiver flaky({503, 500, 200});
        WebhookSender sender;
        sender.setRetry(200, 5);
        sender.setWebhooks({hook(flaky.url())});
        QSignalSpy delivered(&sender, &WebhookSender::delivered);
        QElapsedTimer t;
        t.start();
        sender.send(alert(u"r1"_s));
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 5000);
        // 200 ms then 400 ms between the attempts.
        QVERIFY2(t.elapsed() >= 550, qPrintable(QString::number(t.elapsed())));
        QCOMPARE(flaky.bodies.size(), 3);
        QTest::qWait(500);
        QCOMPARE(flaky.bodies.size(), 3);
    }

    void downEndpointNeverBlocks()
    {
        QTcpServer closed;
        closed.listen(QHostAddress::LocalHost, 0);
        const quint16 port = closed.serverPort();
        closed.close(); // nothing listens there now
        WebhookReceiver silent({0});
        WebhookSender sender;
        sender.setRetry(50, 3);
        sender.setWebhooks({hook(u"http://127.0.0.1:%1/x"_s.arg(port)), hook(silent.url())});
        QSignalSpy dropped(&sender, &WebhookSender::dropped);
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < 20; ++i)
            sender.send(alert(u"d%1"_s.arg(i)));
        QVERIFY2(t.elapsed() < 50, qPrintable(QString::number(t.elapsed())));
        // The refused endpoint gives up after its attempts.
        QTRY_VERIFY_WITH_TIMEOUT(dropped.size() >= 20, 10000);
    }

    void boundedQueue()
    {
        WebhookReceiver silent({0});
        WebhookSender sender;
        sender.setQueueLimit(3);
        sender.setWebhooks({hook(silent.url())});
        QSignalSpy dropped(&sender, &WebhookSender::dropped);
        for (int i = 0; i < 20; ++i)
            sender.send(alert(u"q%1"_s.arg(i)));
        QVERIFY(sender.pending() <= 3 + 2); // queued + in flight
        QVERIFY(dropped.size() >= 13);
        QCOMPARE(dropped.first().at(2).toString(), u"queue full"_s);
    }
};

QTEST_GUILESS_MAIN(tst_WebhookSender)
#include "tst_webhooksender.moc"
