// ctest: labels=http timeout=180
#include "core/http/httpclient.h"
#include "support/fakehttpserver.h"
#include "support/testutil.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QLocalSocket>
#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace bc;
using namespace bc::http;
using bc::test::FakeHttpServer;

static Endpoint unixEndpoint(const QString &path)
{
    Endpoint e;
    e.transport = Endpoint::Transport::Unix;
    e.socketPath = path;
    return e;
}

// Collects a stream's signals until it finishes.
struct StreamLog
{
    QList<QByteArray> chunks;
    int heads = 0;
    int finishes = 0;
    VoidResult result;
    HttpResponse head;
    QByteArray all() const { return chunks.join(); }
    void attach(HttpStream *s)
    {
        QObject::connect(s, &HttpStream::headersReceived, [this](const HttpResponse &h) {
            ++heads;
            head = h;
        });
        QObject::connect(s, &HttpStream::dataReceived,
                         [this](const QByteArray &c) { chunks << c; });
        QObject::connect(s, &HttpStream::finished, [this](const VoidResult &r) {
            ++finishes;
            result = r;
        });
    }
};

class tst_HttpClient final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_certs;
    bool m_haveOpenssl = false;

    bool openssl(const QStringList &args)
    {
        QProcess p;
        p.setWorkingDirectory(m_certs.path());
        p.start(QStringLiteral("openssl"), args);
        return p.waitForFinished(30000) && p.exitCode() == 0;
    }

private slots:
    void initTestCase()
    {
        // A test CA, a server certificate for localhost, and an EC client certificate.
        m_haveOpenssl = !QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty();
        if (!m_haveOpenssl)
            return;
        QFile ext(m_certs.filePath(QStringLiteral("san.ext")));
        QVERIFY(ext.open(QIODevice::WriteOnly));
        ext.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        ext.close();
        const auto s = [](const char *t) { return QString::fromLatin1(t); };
        QVERIFY(openssl({s("req"), s("-x509"), s("-newkey"), s("rsa:2048"), s("-nodes"), s("-days"),
                         s("2"), s("-subj"), s("/CN=box-console test CA"), s("-keyout"),
                         s("ca.key"), s("-out"), s("ca.pem")}));
        QVERIFY(openssl({s("req"), s("-newkey"), s("rsa:2048"), s("-nodes"), s("-subj"),
                         s("/CN=localhost"), s("-keyout"), s("server.key"), s("-out"),
                         s("server.csr")}));
        QVERIFY(openssl({s("x509"), s("-req"), s("-in"), s("server.csr"), s("-CA"), s("ca.pem"),
                         s("-CAkey"), s("ca.key"), s("-CAcreateserial"), s("-days"), s("2"),
                         s("-extfile"), s("san.ext"), s("-out"), s("server.pem")}));
        QVERIFY(openssl({s("ecparam"), s("-name"), s("prime256v1"), s("-genkey"), s("-noout"),
                         s("-out"), s("client.key")}));
        QVERIFY(openssl({s("req"), s("-new"), s("-key"), s("client.key"), s("-subj"),
                         s("/CN=client"), s("-out"), s("client.csr")}));
        QVERIFY(openssl({s("x509"), s("-req"), s("-in"), s("client.csr"), s("-CA"), s("ca.pem"),
                         s("-CAkey"), s("ca.key"), s("-CAcreateserial"), s("-days"), s("2"),
                         s("-out"), s("client.pem")}));
        QVERIFY(openssl({s("req"), s("-x509"), s("-newkey"), s("rsa:2048"), s("-nodes"), s("-days"),
                         s("2"), s("-subj"), s("/CN=localhost"), s("-keyout"), s("rogue.key"),
                         s("-out"), s("rogue.pem")}));
    }

    void keepAliveReusesOneConnection()
    {
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        HttpClient client(unixEndpoint(server.socketPath()));
        for (int i = 0; i < 5; ++i) {
            auto r = test::await(client.send(HttpRequest::get("/v1.41/_ping")));
            QVERIFY_RESULT(r);
            QCOMPARE(r->status, 200);
        }
        QCOMPARE(server.connectionCount(), 1);
        QCOMPARE(client.idleConnectionCount(), 1);
        // dockerd rejects a socket path as Host; the client must send a hostname.
        QCOMPARE(server.requests.first().header("Host"), QByteArray("api.moby.localhost"));
    }

    void followUpFromContinuationReusesConnection()
    {
        // Version negotiation does exactly this: ping, then the real call from the ping's
        // continuation. The socket must be back in the pool by then.
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        HttpClient client(unixEndpoint(server.socketPath()));
        QFuture<Result<HttpResponse>> second;
        auto first =
            client.send(HttpRequest::head("/_ping")).then([&](const Result<HttpResponse> &r) {
                second = client.send(HttpRequest::get("/v1.41/containers/json"));
                return r.ok();
            });
        QVERIFY(test::await(first));
        QVERIFY_RESULT(test::await(second));
        QCOMPARE(server.connectionCount(), 1);
    }

    void concurrentRequestsUseSeveralConnectionsAndIdleIsCapped()
    {
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        server.handler = [](QIODevice *s, const FakeHttpServer::Request &r) {
            QTimer::singleShot(50, s,
                               [s, r] { s->write(FakeHttpServer::response(200, r.target)); });
        };
        HttpClient client(unixEndpoint(server.socketPath()));
        client.setMaxIdleConnections(3);
        QList<QFuture<Result<HttpResponse>>> futures;
        for (int i = 0; i < 10; ++i)
            futures << client.send(HttpRequest::get("/n/" + QByteArray::number(i)));
        for (int i = 0; i < 10; ++i) {
            auto r = test::await(futures[i]);
            QVERIFY(r.ok());
            QCOMPARE(r->body, "/n/" + QByteArray::number(i));
        }
        QCOMPARE(server.connectionCount(), 10);
        QTRY_COMPARE(client.idleConnectionCount(), 3);
        QCOMPARE(client.openConnectionCount(), 3);
    }

    void idleConnectionsAreEvicted()
    {
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        HttpClient client(unixEndpoint(server.socketPath()));
        client.setIdleTimeout(100);
        QVERIFY(test::await(client.send(HttpRequest::get("/a"))).ok());
        QCOMPARE(client.openConnectionCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(client.openConnectionCount(), 0, 8000);
    }

    void peerClosingIdleConnectionIsNoticed()
    {
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        HttpClient client(unixEndpoint(server.socketPath()));
        QVERIFY(test::await(client.send(HttpRequest::get("/a"))).ok());
        server.dropAll();
        QTRY_COMPARE(client.openConnectionCount(), 0);
        QVERIFY(test::await(client.send(HttpRequest::get("/b"))).ok());
    }

    void staleConnectionIsRetriedForIdempotentRequests()
    {
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        int seen = 0;
        server.handler = [&](QIODevice *s, const FakeHttpServer::Request &) {
            // The second request on the first connection finds it closed (daemon restart).
            if (++seen == 2) {
                s->close();
                return;
            }
            s->write(FakeHttpServer::response(200, "ok"));
        };
        HttpClient client(unixEndpoint(server.socketPath()));
        QVERIFY(test::await(client.send(HttpRequest::get("/a"))).ok());
        auto r = test::await(client.send(HttpRequest::get("/b")));
        QVERIFY_RESULT(r);
        QCOMPARE(server.connectionCount(), 2);
        // A POST is not replayed: the daemon may have acted on it.
        seen = 1;
        auto p = test::await(client.send(HttpRequest::post("/c", "{}")));
        QVERIFY(!p.ok());
    }

    void chunkedStreamDeliversAsItArrives()
    {
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        server.handler = [](QIODevice *s, const FakeHttpServer::Request &) {
            s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: "
                     "chunked\r\n\r\n");
            s->write("e\r\n{\"n\":1}\r\n{\"n\":\r\n");
            QTimer::singleShot(100, s, [s] { s->write("6\r\n2}\r\n\r\n\r\n"); });
            QTimer::singleShot(200, s, [s] { s->write("0\r\n\r\n"); });
        };
        HttpClient client(unixEndpoint(server.socketPath()));
        StreamLog log;
        log.attach(client.stream(HttpRequest::get("/events")));
        QTRY_COMPARE(log.finishes, 1);
        QVERIFY_RESULT(log.result);
        QCOMPARE(log.heads, 1);
        QVERIFY(log.chunks.size() >= 2);
        QCOMPARE(log.all(), QByteArray("{\"n\":1}\r\n{\"n\":2}\r\n\r\n"));
    }

    void closeDelimitedStream()
    {
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        server.handler = [](QIODevice *s, const FakeHttpServer::Request &) {
            s->write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabc");
            QTimer::singleShot(50, s, [s] {
                s->write("def");
                QTimer::singleShot(50, s, [s] { s->close(); });
            });
        };
        HttpClient client(unixEndpoint(server.socketPath()));
        StreamLog log;
        log.attach(client.stream(HttpRequest::get("/logs")));
        QTRY_COMPARE(log.finishes, 1);
        QVERIFY_RESULT(log.result);
        QCOMPARE(log.all(), QByteArray("abcdef"));
    }

    void streamErrorStatusCarriesServerMessage()
    {
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        server.handler = [](QIODevice *s, const FakeHttpServer::Request &) {
            s->write(FakeHttpServer::response(404, "{\"message\":\"No such container: x\"}"));
        };
        HttpClient client(unixEndpoint(server.socketPath()));
        StreamLog log;
        log.attach(client.stream(HttpRequest::get("/containers/x/logs")));
        QTRY_COMPARE(log.finishes, 1);
        QVERIFY(!log.result.ok());
        QCOMPARE(log.result.error().kind(), Error::Kind::NotFound);
        QCOMPARE(log.result.error().message(), QStringLiteral("No such container: x"));
        QVERIFY(log.chunks.isEmpty());
    }

    void cancelClosesTheStream()
    {
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        server.handler = [](QIODevice *s, const FakeHttpServer::Request &) {
            s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n");
        };
        HttpClient client(unixEndpoint(server.socketPath()));
        StreamLog log;
        HttpStream *stream = client.stream(HttpRequest::get("/events"));
        log.attach(stream);
        QTRY_COMPARE(log.chunks.size(), 1);
        stream->cancel();
        QCOMPARE(log.finishes, 1);
        QCOMPARE(log.result.error().kind(), Error::Kind::Cancelled);
        QTRY_COMPARE(server.openConnections(), 0);
        QTRY_COMPARE(client.openConnectionCount(), 0);
    }

    void cancelFromInsideDataSignal()
    {
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        server.handler = [](QIODevice *s, const FakeHttpServer::Request &) {
            s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n2\r\nho\r\n");
        };
        HttpClient client(unixEndpoint(server.socketPath()));
        HttpStream *stream = client.stream(HttpRequest::get("/events"));
        int finishes = 0;
        connect(stream, &HttpStream::dataReceived, stream, [stream] { stream->cancel(); });
        connect(stream, &HttpStream::finished, this, [&] { ++finishes; });
        QTRY_COMPARE(finishes, 1);
        QTest::qWait(50);
        QCOMPARE(finishes, 1);
    }

    void headerTimeout()
    {
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        server.handler = [](QIODevice *, const FakeHttpServer::Request &) {};
        HttpClient client(unixEndpoint(server.socketPath()));
        HttpRequest req = HttpRequest::get("/slow");
        req.headerTimeoutMs = 200;
        auto r = test::await(client.send(req));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), Error::Kind::Timeout);
        QCOMPARE(client.openConnectionCount(), 0);
    }

    void bodyCap()
    {
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        server.handler = [](QIODevice *s, const FakeHttpServer::Request &) {
            s->write(FakeHttpServer::response(200, QByteArray(5000, 'x')));
        };
        HttpClient client(unixEndpoint(server.socketPath()));
        HttpRequest req = HttpRequest::get("/big");
        req.maxBodyBytes = 1000;
        auto r = test::await(client.send(req));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), Error::Kind::Protocol);
    }

    void chunkedUploadFromDevice()
    {
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        HttpClient client(unixEndpoint(server.socketPath()));
        QByteArray payload;
        for (int i = 0; i < 300000; ++i)
            payload += char('a' + i % 26);
        auto buffer = std::make_shared<QBuffer>();
        buffer->setData(payload);
        buffer->open(QIODevice::ReadOnly);
        HttpRequest req = HttpRequest::post("/build");
        req.bodyDevice = buffer;
        req.headers.set("Content-Type", "application/x-tar");
        auto r = test::await(client.send(req));
        QVERIFY(r.ok());
        QCOMPARE(server.requests.size(), 1);
        QCOMPARE(server.requests.first().header("Transfer-Encoding"), QByteArray("chunked"));
        QCOMPARE(server.requests.first().body.size(), payload.size());
        QCOMPARE(server.requests.first().body, payload);
    }

    void upgradeHandsOverDeviceAndLeftover()
    {
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        server.handler = [](QIODevice *s, const FakeHttpServer::Request &r) {
            QCOMPARE(r.header("Upgrade"), QByteArray("tcp"));
            s->write("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                     "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\nearly");
            // From now on echo whatever arrives, as an attached shell would.
            QObject::disconnect(s, &QIODevice::readyRead, nullptr, nullptr);
            QObject::connect(s, &QIODevice::readyRead, s, [s] { s->write(s->readAll()); });
        };
        HttpClient client(unixEndpoint(server.socketPath()));
        HttpRequest req = HttpRequest::post("/containers/x/attach?stream=1&stdin=1&stdout=1");
        req.upgrade = true;
        HttpStream *stream = client.stream(req);
        QIODevice *device = nullptr;
        QByteArray leftover;
        connect(stream, &HttpStream::headersReceived, this, [&](const HttpResponse &head) {
            QCOMPARE(head.status, 101);
            device = stream->takeDevice(&leftover);
        });
        QTRY_VERIFY(device != nullptr);
        QTRY_COMPARE(leftover + device->readAll(), QByteArray("early"));
        device->write("ping");
        QByteArray echoed;
        QTRY_VERIFY((echoed += device->readAll()) == "ping");
        delete device;
    }

    void missingSocketGivesActionableMessage()
    {
        HttpClient client(unixEndpoint(QStringLiteral("/nonexistent/docker.sock")));
        auto r = test::await(client.send(HttpRequest::get("/_ping")));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), Error::Kind::Transport);
        QVERIFY2(r.error().message().contains(
                     QStringLiteral("cannot reach Docker at unix:///nonexistent/docker.sock")),
                 qPrintable(r.error().message()));
        QVERIFY(r.error().message().contains(QStringLiteral("is dockerd running?")));
    }

    void sshDialStdio()
    {
        // A stand-in for ssh that ignores its arguments and bridges stdio to the fake
        // daemon, as `ssh host docker system dial-stdio` bridges to the remote socket.
        if (QStandardPaths::findExecutable(QStringLiteral("socat")).isEmpty())
            QSKIP("socat not installed");
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        QTemporaryDir dir;
        const QString fakeSsh = dir.filePath(QStringLiteral("ssh"));
        QFile f(fakeSsh);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            "#!/bin/sh\necho \"$@\" > \"$(dirname \"$0\")/args\"\nexec socat STDIO UNIX-CONNECT:" +
            server.socketPath().toUtf8() + "\n");
        f.close();
        f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        Endpoint e;
        e.transport = Endpoint::Transport::Ssh;
        e.sshHost = QStringLiteral("box-host");
        e.sshUser = QStringLiteral("admin");
        e.sshPort = 2222;
        e.sshProgram = fakeSsh;
        HttpClient client(e);
        for (int i = 0; i < 3; ++i) {
            auto r = test::await(client.send(HttpRequest::get("/_ping")));
            QVERIFY_RESULT(r);
        }
        QCOMPARE(server.connectionCount(), 1);
        QFile args(dir.filePath(QStringLiteral("args")));
        QVERIFY(args.open(QIODevice::ReadOnly));
        QCOMPARE(
            args.readAll().trimmed(),
            QByteArray(
                "-l admin -p 2222 -o ConnectTimeout=30 -T -- box-host docker system dial-stdio"));
        QCOMPARE(server.requests.first().header("Host"), QByteArray("docker.example.com"));
    }

    void sshRemoteCommandIsQuotedForTheRemoteShell()
    {
        // sshd joins the words after the host with spaces and hands them to the user's
        // shell. The stand-in does the same with sh, so a socket path that carries shell
        // syntax shows whether it stayed one literal argument of the remote docker.
        FakeHttpServer server;
        QVERIFY(server.listenUnix());
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("remote")));
        const auto script = [](const QString &path, const QByteArray &text) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
            f.close();
            f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        };
        script(dir.filePath(QStringLiteral("ssh")), "#!/bin/sh\n"
                                                    "d=$(dirname \"$0\")\n"
                                                    "printf '%s\\n' \"$@\" > \"$d/ssh-args\"\n"
                                                    "while [ \"$1\" != -- ]; do shift; done\n"
                                                    "shift 2\n"
                                                    "PATH=\"$d/remote:$PATH\" exec sh -c \"$*\"\n");
        script(dir.filePath(QStringLiteral("remote/docker")),
               "#!/bin/sh\n"
               "printf '%s\\n' \"$@\" > \"$(dirname \"$0\")/../docker-args\"\n"
               "exec socat STDIO UNIX-CONNECT:" +
                   server.socketPath().toUtf8() + "\n");
        const QString marker = dir.filePath(QStringLiteral("pwned"));
        const QString socket =
            QStringLiteral("/run/docker.sock$(touch %1)'; touch %1; '").arg(marker);
        Endpoint e;
        e.transport = Endpoint::Transport::Ssh;
        e.sshHost = QStringLiteral("box-host");
        e.sshRemoteSocket = socket;
        e.sshProgram = dir.filePath(QStringLiteral("ssh"));
        HttpClient client(e);
        auto r = test::await(client.send(HttpRequest::get("/_ping")));
        QVERIFY_RESULT(r);
        const auto lines = [&](const QString &name) {
            QFile f(dir.filePath(name));
            return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).split(u'\n')
                                               : QStringList();
        };
        QCOMPARE(lines(QStringLiteral("docker-args")),
                 QStringList(
                     {u"--host=unix://"_qs + socket, u"system"_qs, u"dial-stdio"_qs, QString()}));
        QVERIFY2(!QFile::exists(marker), "the socket path ran as a shell command");
        // The exact words ssh gets: the remote command is one argument, the path in it
        // single-quoted with each ' written as '\''.
        QString quoted = u"--host=unix://"_qs + socket;
        quoted.replace(u'\'', u"'\\''"_qs);
        QCOMPARE(lines(QStringLiteral("ssh-args")),
                 QStringList({u"-o"_qs, u"ConnectTimeout=30"_qs, u"-T"_qs, u"--"_qs, u"box-host"_qs,
                              u"docker '"_qs + quoted + u"' system dial-stdio"_qs, QString()}));
    }

    void sshRemoteCommandRefusesControlCharacters()
    {
        // A new line or NUL cannot be trusted to survive a login shell that is not POSIX.
        for (const QString &socket :
             {u"/run/docker.sock\nid"_qs, u"/run/d\u0000.sock"_qs, u"/run/d\u007f"_qs}) {
            Endpoint e;
            e.transport = Endpoint::Transport::Ssh;
            e.sshHost = QStringLiteral("box-host");
            e.sshRemoteSocket = socket;
            e.sshProgram = QStringLiteral("/bin/false");
            HttpClient client(e);
            auto r = test::await(client.send(HttpRequest::get("/_ping")));
            QVERIFY(!r.ok());
            QCOMPARE(r.error().kind(), Error::Kind::Invalid);
            QVERIFY2(r.error().message().contains(u"socket path"_qs),
                     qPrintable(r.error().message()));
        }
    }

    void sshFailureReportsStderr()
    {
        Endpoint e;
        e.transport = Endpoint::Transport::Ssh;
        e.sshHost = QStringLiteral("nowhere");
        e.sshProgram = QStringLiteral("/bin/sh");
        e.sshExtraArgs = {QStringLiteral("-c"),
                          QStringLiteral("echo 'Permission denied (publickey).' >&2; exit 255"),
                          QStringLiteral("x")};
        HttpClient client(e);
        auto r = test::await(client.send(HttpRequest::get("/_ping")));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message().contains(QStringLiteral("Permission denied (publickey).")),
                 qPrintable(r.error().message()));
    }

    void tlsWithCaAndClientCertificate()
    {
        if (!m_haveOpenssl)
            QSKIP("openssl not installed");
        FakeHttpServer server;
        QVERIFY(server.listenTcp());
        const QString dir = m_certs.path() + QLatin1Char('/');
        QString peerName;
        server.wrapTcp = [&](qintptr fd) -> QIODevice * {
            auto *s = new QSslSocket(&server);
            s->setSocketDescriptor(fd);
            s->setLocalCertificate(dir + QStringLiteral("server.pem"));
            s->setPrivateKey(dir + QStringLiteral("server.key"));
            auto config = s->sslConfiguration();
            config.setCaCertificates(QSslCertificate::fromPath(dir + QStringLiteral("ca.pem")));
            config.setPeerVerifyMode(QSslSocket::VerifyPeer);
            s->setSslConfiguration(config);
            connect(s, &QSslSocket::encrypted, s, [s, &peerName] {
                peerName = s->peerCertificate().subjectInfo(QSslCertificate::CommonName).value(0);
            });
            s->startServerEncryption();
            return s;
        };
        Endpoint e;
        e.transport = Endpoint::Transport::Tcp;
        e.host = QStringLiteral("localhost");
        e.port = server.port();
        e.tls = true;
        e.caFile = dir + QStringLiteral("ca.pem");
        e.certFile = dir + QStringLiteral("client.pem");
        e.keyFile = dir + QStringLiteral("client.key"); // EC key: loaded after RSA fails
        HttpClient client(e);
        auto r = test::await(client.send(HttpRequest::get("/_ping")));
        QVERIFY_RESULT(r);
        QCOMPARE(peerName, QStringLiteral("client"));
        QCOMPARE(server.requests.first().header("Host"),
                 "localhost:" + QByteArray::number(server.port()));
    }

    void tlsRejectsUntrustedServer()
    {
        if (!m_haveOpenssl)
            QSKIP("openssl not installed");
        FakeHttpServer server;
        QVERIFY(server.listenTcp());
        const QString dir = m_certs.path() + QLatin1Char('/');
        server.wrapTcp = [&](qintptr fd) -> QIODevice * {
            auto *s = new QSslSocket(&server);
            s->setSocketDescriptor(fd);
            s->setLocalCertificate(dir + QStringLiteral("rogue.pem"));
            s->setPrivateKey(dir + QStringLiteral("rogue.key"));
            s->startServerEncryption();
            return s;
        };
        Endpoint e;
        e.transport = Endpoint::Transport::Tcp;
        e.host = QStringLiteral("localhost");
        e.port = server.port();
        e.tls = true;
        e.caFile = dir + QStringLiteral("ca.pem");
        HttpClient client(e);
        auto r = test::await(client.send(HttpRequest::get("/_ping")));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), Error::Kind::Transport);
        QVERIFY2(r.error().message().contains(QStringLiteral("TLS verification failed")),
                 qPrintable(r.error().message()));
        QCOMPARE(server.requests.size(), 0);
    }

    void realDaemonPing()
    {
        if (!QFile::exists(QStringLiteral("/var/run/docker.sock")))
            QSKIP("no Docker engine on this machine");
        HttpClient client(unixEndpoint(QStringLiteral("/var/run/docker.sock")));
        auto r = test::await(client.send(HttpRequest::head("/_ping")));
        QVERIFY_RESULT(r);
        QCOMPARE(r->status, 200);
        QVERIFY(!r->headers.value("Api-Version").isEmpty());
        auto v = test::await(client.send(HttpRequest::get("/v1.41/version")));
        QVERIFY(v.ok());
        QVERIFY(v->body.contains("ApiVersion"));
        auto missing = test::await(
            client.send(HttpRequest::get("/v1.41/containers/box-console-no-such/json")));
        QVERIFY(missing.ok());
        QCOMPARE(missing->status, 404);
        QVERIFY(missing->serverMessage().startsWith(QStringLiteral("No such container")));
    }
};

QTEST_GUILESS_MAIN(tst_HttpClient)
#include "tst_httpclient.moc"
