// ctest: labels=proxy timeout=180
#include "core/infra/egresslog.h"
#include "core/infra/egresspolicy.h"
#include "core/infra/haproxyconfiggenerator.h"
#include "egressfixture.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace bc::infra;
using bc::test::EgressFixture;

// The generated HAProxy config, run for real by Debian's haproxy in front of local TLS
// upstreams signed by a test CA: the policy is what the proxy enforces, not just what the
// config text says.
class tst_HaproxyEgress : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<EgressFixture> m_fx;
    QString m_anthropicSock, m_resendSock, m_rogueSock, m_streamSock;
    QProcess *m_haproxy = nullptr;
    const QString m_anthropicKey = QStringLiteral("sk-ant-REAL-test-key-4711");
    const QString m_resendKey = QStringLiteral("re_REAL_test_key_0815");

    static EgressUpstream upstream(const QString &name, int port, const QString &header,
                                   const QString &prefix, const QString &env,
                                   QList<EgressRoute> routes, int localPort)
    {
        EgressUpstream u;
        u.name = name;
        u.host = QStringLiteral("localhost");
        u.port = port;
        u.routes = std::move(routes);
        u.credential = {header, prefix, env};
        u.localPort = localPort;
        return u;
    }

    QJsonObject echoed(const bc::test::HttpReply &reply)
    {
        return QJsonDocument::fromJson(reply.body).object();
    }

private slots:
    void initTestCase()
    {
        const QString missing =
            EgressFixture::missingTool({QStringLiteral("haproxy"), QStringLiteral("openssl"),
                                        QStringLiteral("python3"), QStringLiteral("curl")});
        if (!missing.isEmpty())
            QSKIP(qPrintable(QStringLiteral("%1 is not installed (the test script installs "
                                            "haproxy, openssl, python3, curl)")
                                 .arg(missing)));
        m_fx = std::make_unique<EgressFixture>();
        QVERIFY(m_fx->isValid());
        QVERIFY(m_fx->makeCertificates());
        const int goodPort = m_fx->startUpstream(QStringLiteral("server"));
        QVERIFY2(goodPort > 0, "trusted TLS upstream did not start");
        const int roguePort = m_fx->startUpstream(QStringLiteral("rogue"));
        QVERIFY2(roguePort > 0, "untrusted TLS upstream did not start");

        const QList<EgressRoute> anthropicRoutes{
            {{QStringLiteral("POST")},
             {QStringLiteral("/v1/messages"), QStringLiteral("/v1/messages/count_tokens")},
             {}}};
        QJsonObject dummy;
        QList<EgressUpstream> ups{
            upstream(QStringLiteral("anthropic"), goodPort, QStringLiteral("x-api-key"), {},
                     QStringLiteral("TEST_ANTHROPIC_KEY"), anthropicRoutes, 8081),
            upstream(QStringLiteral("resend"), goodPort, QStringLiteral("Authorization"),
                     QStringLiteral("Bearer "), QStringLiteral("TEST_RESEND_KEY"),
                     {{{QStringLiteral("POST")}, {QStringLiteral("/emails")}, {}}}, 8082),
            upstream(QStringLiteral("rogue"), roguePort, QStringLiteral("x-api-key"), {},
                     QStringLiteral("TEST_ANTHROPIC_KEY"), anthropicRoutes, 8083),
            upstream(QStringLiteral("stream"), goodPort, QStringLiteral("x-api-key"), {},
                     QStringLiteral("TEST_ANTHROPIC_KEY"),
                     {{{QStringLiteral("POST")}, {}, {QStringLiteral("/stream")}}}, 8084)};
        // Round-trip through JSON so the test also covers the parser.
        EgressPolicy built;
        {
            nlohmann::json j{{"upstreams", nlohmann::json::array()}};
            for (const EgressUpstream &u : ups) {
                auto routes = nlohmann::json::array();
                for (const EgressRoute &r : u.routes) {
                    nlohmann::json rj{{"methods", nlohmann::json::array()}};
                    for (const QString &m : r.methods)
                        rj["methods"].push_back(m.toStdString());
                    for (const QString &p : r.paths)
                        rj["paths"].push_back(p.toStdString());
                    for (const QString &p : r.pathPrefixes)
                        rj["pathPrefixes"].push_back(p.toStdString());
                    routes.push_back(rj);
                }
                j["upstreams"].push_back({{"name", u.name.toStdString()},
                                          {"host", u.host.toStdString()},
                                          {"port", u.port},
                                          {"localPort", u.localPort},
                                          {"routes", routes},
                                          {"credential",
                                           {{"header", u.credential.header.toStdString()},
                                            {"prefix", u.credential.prefix.toStdString()},
                                            {"env", u.credential.env.toStdString()}}}});
            }
            auto parsed = EgressPolicy::fromJson(j);
            QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().toString()));
            built = parsed.value();
        }

        HaproxyConfigGenerator::Options options;
        options.socketDir = m_fx->path(QStringLiteral("egress"));
        options.caFile = m_fx->path(QStringLiteral("ca.crt"));
        options.dnsResolvers = false;
        QVERIFY(QDir().mkpath(options.socketDir));
        // Each box directory exists before HAProxy binds (the reload hook's job in
        // production).
        QVERIFY(QDir().mkpath(options.socketDir + QStringLiteral("/box-a")));
        QVERIFY(QDir().mkpath(options.socketDir + QStringLiteral("/box-b")));
        HaproxyConfigGenerator generator(options);
        const QList<EgressGrant> grants{
            {QStringLiteral("box-a"),
             {QStringLiteral("anthropic"), QStringLiteral("rogue"), QStringLiteral("stream")}},
            {QStringLiteral("box-b"), {QStringLiteral("resend")}}};
        auto cfg = generator.generate(built, grants);
        QVERIFY2(cfg.ok(), qPrintable(cfg.ok() ? QString() : cfg.error().toString()));
        QVERIFY(!cfg.value().contains(m_anthropicKey));
        m_anthropicSock = generator.socketPath(QStringLiteral("box-a"), built.upstreams()[0]);
        m_resendSock = generator.socketPath(QStringLiteral("box-b"), built.upstreams()[1]);
        m_rogueSock = generator.socketPath(QStringLiteral("box-a"), built.upstreams()[2]);
        m_streamSock = generator.socketPath(QStringLiteral("box-a"), built.upstreams()[3]);
        // box-b was not granted anthropic: no socket for it.
        QVERIFY(!cfg.value().contains(QStringLiteral("box-b/anthropic.sock")));

        QProcessEnvironment env;
        env.insert(QStringLiteral("TEST_ANTHROPIC_KEY"), m_anthropicKey);
        env.insert(QStringLiteral("TEST_RESEND_KEY"), m_resendKey);
        m_haproxy = m_fx->startHaproxy(cfg.value(), env,
                                       {m_anthropicSock, m_resendSock, m_rogueSock, m_streamSock});
        QVERIFY2(m_haproxy, "haproxy did not start with the generated config");
    }

    void cleanupTestCase()
    {
        if (!m_fx)
            return;
        // The log must show requests but never a key, injected or sent by the box.
        m_fx->stopProcess(m_haproxy);
        if (m_haproxy) {
            const QByteArray log = m_haproxy->readAll();
            // Every request is in the egress log under the box whose socket it used.
            int allowed = 0, denied = 0;
            for (const QByteArray &line : log.split('\n')) {
                const auto e = EgressLog::parseLine(line);
                if (!e)
                    continue;
                if (e->upstream == QLatin1String("resend"))
                    QCOMPARE(e->box, QStringLiteral("box-b"));
                else
                    QCOMPARE(e->box, QStringLiteral("box-a"));
                if (e->allowed && e->upstream == QLatin1String("anthropic") &&
                    e->path == QLatin1String("/v1/messages")) {
                    QCOMPARE(e->method, QStringLiteral("POST"));
                    QCOMPARE(e->status, 200);
                    ++allowed;
                }
                if (!e->allowed && e->status == 403)
                    ++denied;
            }
            QVERIFY2(allowed >= 1, log.constData());
            QVERIFY2(denied >= 9, log.constData());
            QVERIFY(!log.contains(m_anthropicKey.toUtf8()));
            QVERIFY(!log.contains(m_resendKey.toUtf8()));
            QVERIFY(!log.contains("sk-ant-BOX-PLACEHOLDER"));
        }
        m_fx.reset(); // kills the upstreams, removes the temp dir
    }

    void defaultPolicyPassesHaproxyCheck()
    {
        HaproxyConfigGenerator::Options options;
        options.socketDir = m_fx->path(QStringLiteral("check"));
        auto cfg = HaproxyConfigGenerator(options).generate(
            EgressPolicy::defaultPolicy(),
            {{QStringLiteral("box-a"), {QStringLiteral("anthropic"), QStringLiteral("resend")}}});
        QVERIFY(cfg.ok());
        QFile f(m_fx->path(QStringLiteral("default.cfg")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(cfg.value().toUtf8());
        f.close();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ANTHROPIC_API_KEY"), QStringLiteral("x"));
        env.insert(QStringLiteral("RESEND_API_KEY"), QStringLiteral("y"));
        QByteArray out;
        QCOMPARE(m_fx->run(EgressFixture::tool(QStringLiteral("haproxy")),
                           {QStringLiteral("-c"), QStringLiteral("-f"), f.fileName()}, &out, 30000,
                           env),
                 0);
        // Without the secret in its environment haproxy refuses to start.
        env.remove(QStringLiteral("RESEND_API_KEY"));
        QVERIFY(m_fx->run(EgressFixture::tool(QStringLiteral("haproxy")),
                          {QStringLiteral("-c"), QStringLiteral("-f"), f.fileName()}, &out, 30000,
                          env) != 0);
        QVERIFY2(out.contains("RESEND_API_KEY is not set"), out.constData());
    }

    void allowedRequestGetsRealKeyAndLosesBoxKey()
    {
        const auto reply =
            m_fx->request(m_anthropicSock, QStringLiteral("POST"), QStringLiteral("/v1/messages"),
                          {QStringLiteral("x-api-key: sk-ant-BOX-PLACEHOLDER"),
                           QStringLiteral("Authorization: Bearer attacker-key"),
                           QStringLiteral("Proxy-Authorization: Basic Zm9vOmJhcg=="),
                           QStringLiteral("Content-Type: application/json")},
                          QByteArrayLiteral("{\"model\":\"claude\"}"));
        QCOMPARE(reply.status, 200);
        const QJsonObject seen = echoed(reply);
        QCOMPARE(seen.value(QLatin1String("method")).toString(), QStringLiteral("POST"));
        QCOMPARE(seen.value(QLatin1String("path")).toString(), QStringLiteral("/v1/messages"));
        const QJsonObject headers = seen.value(QLatin1String("headers")).toObject();
        QCOMPARE(headers.value(QLatin1String("x-api-key")).toString(), m_anthropicKey);
        QVERIFY(!headers.contains(QLatin1String("authorization")));
        QVERIFY(!headers.contains(QLatin1String("proxy-authorization")));
        QCOMPARE(headers.value(QLatin1String("host")).toString(), QStringLiteral("localhost"));
        QCOMPARE(seen.value(QLatin1String("bodyLength")).toInt(), 18);

        const auto count = m_fx->request(m_anthropicSock, QStringLiteral("POST"),
                                         QStringLiteral("/v1/messages/count_tokens"));
        QCOMPARE(count.status, 200);
    }

    void bearerCredentialReplacesBoxAuthorization()
    {
        const auto reply =
            m_fx->request(m_resendSock, QStringLiteral("POST"), QStringLiteral("/emails"),
                          {QStringLiteral("Authorization: Bearer re_attacker")});
        QCOMPARE(reply.status, 200);
        const QJsonObject headers = echoed(reply).value(QLatin1String("headers")).toObject();
        QCOMPARE(headers.value(QLatin1String("authorization")).toString(),
                 QStringLiteral("Bearer ") + m_resendKey);
        QVERIFY(!headers.contains(QLatin1String("x-api-key")));
    }

    void disallowedRequestsGet403_data()
    {
        QTest::addColumn<QString>("socket");
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("path");
        QTest::newRow("wrong method")
            << QStringLiteral("a") << QStringLiteral("GET") << QStringLiteral("/v1/messages");
        QTest::newRow("files api")
            << QStringLiteral("a") << QStringLiteral("POST") << QStringLiteral("/v1/files");
        QTest::newRow("batches") << QStringLiteral("a") << QStringLiteral("POST")
                                 << QStringLiteral("/v1/messages/batches");
        QTest::newRow("dot segments") << QStringLiteral("a") << QStringLiteral("POST")
                                      << QStringLiteral("/v1/messages/../files");
        QTest::newRow("encoded slash") << QStringLiteral("a") << QStringLiteral("POST")
                                       << QStringLiteral("/v1/messages%2f..%2ffiles");
        QTest::newRow("double slash")
            << QStringLiteral("a") << QStringLiteral("POST") << QStringLiteral("//v1/messages");
        QTest::newRow("resend get")
            << QStringLiteral("r") << QStringLiteral("GET") << QStringLiteral("/emails");
        QTest::newRow("resend domains")
            << QStringLiteral("r") << QStringLiteral("POST") << QStringLiteral("/domains");
        QTest::newRow("stream prefix dot") << QStringLiteral("s") << QStringLiteral("POST")
                                           << QStringLiteral("/stream/../v1/files");
        // A prefix route must not be left through a path parameter or a backslash, which
        // some upstreams (Tomcat, IIS, some frameworks) normalise into a dot segment or '/'.
        QTest::newRow("stream prefix dot semicolon")
            << QStringLiteral("s") << QStringLiteral("POST")
            << QStringLiteral("/stream/..;/v1/files");
        QTest::newRow("stream prefix semicolon")
            << QStringLiteral("s") << QStringLiteral("POST") << QStringLiteral("/stream;x=1/../v1");
        QTest::newRow("stream prefix backslash") << QStringLiteral("s") << QStringLiteral("POST")
                                                 << QStringLiteral("/stream\\..\\v1\\files");
    }

    void disallowedRequestsGet403()
    {
        QFETCH(QString, socket);
        QFETCH(QString, method);
        QFETCH(QString, path);
        const QString sock = socket == QLatin1String("a")   ? m_anthropicSock
                             : socket == QLatin1String("r") ? m_resendSock
                                                            : m_streamSock;
        const auto reply = m_fx->request(sock, method, path);
        QCOMPARE(reply.status, 403);
        QVERIFY(!reply.body.contains("headers")); // the upstream never answered
    }

    void untrustedUpstreamIsRefused()
    {
        const auto reply =
            m_fx->request(m_rogueSock, QStringLiteral("POST"), QStringLiteral("/v1/messages"));
        QVERIFY2(reply.status == 503 || reply.status == 502,
                 qPrintable(QString::number(reply.status)));
        QVERIFY(!reply.body.contains(m_anthropicKey.toUtf8()));
    }

    void streamingResponseIsNotCut()
    {
        QProcess curl;
        curl.start(EgressFixture::tool(QStringLiteral("curl")),
                   {QStringLiteral("-sS"), QStringLiteral("-N"), QStringLiteral("--unix-socket"),
                    m_streamSock, QStringLiteral("-X"), QStringLiteral("POST"),
                    QStringLiteral("http://box/stream?chunks=6&delay=1")});
        QVERIFY(curl.waitForStarted(5000));
        QElapsedTimer timer;
        timer.start();
        qint64 firstChunkMs = -1;
        QByteArray body;
        while (curl.state() != QProcess::NotRunning && timer.elapsed() < 30000) {
            curl.waitForReadyRead(100);
            const QByteArray data = curl.readAllStandardOutput();
            if (!data.isEmpty() && firstChunkMs < 0)
                firstChunkMs = timer.elapsed();
            body += data;
        }
        curl.waitForFinished(1000);
        body += curl.readAllStandardOutput();
        const qint64 totalMs = timer.elapsed();
        qInfo("stream: first chunk after %lld ms, all 6 chunks after %lld ms", firstChunkMs,
              totalMs);
        QCOMPARE(curl.exitCode(), 0);
        QCOMPARE(body.count("data: chunk"), 6);
        QVERIFY(body.contains("data: chunk 5"));
        QVERIFY(totalMs >= 4500);
        // Chunks pass through as they come, not buffered until the end.
        QVERIFY2(firstChunkMs >= 0 && firstChunkMs < 2500,
                 qPrintable(QString::number(firstChunkMs)));
    }
};

QTEST_GUILESS_MAIN(tst_HaproxyEgress)
#include "tst_haproxyegress.moc"
