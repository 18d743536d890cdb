// ctest: labels=docker timeout=300
// The TCP+TLS transport against a real engine: a private dockerd on loopback with
// --tlsverify (CA, server and client certificates made here by openssl), reached through
// DOCKER_HOST/DOCKER_TLS_VERIFY/DOCKER_CERT_PATH and through a context made by
// `docker context create` (in a temporary DOCKER_CONFIG): ping, list, inspect, and boxctl as
// a process. A server certificate from another CA, a host name the certificate does not
// name and a missing client certificate are refused with errors that say so.
// The shared engine is only read from (`docker save` of the test image); the daemon this
// test starts and stops is its own.
#include "core/docker/dockerclient.h"
#include "core/docker/endpointresolver.h"
#include "support/boxctlrunner.h"
#include "support/dockerfixture.h"
#include "support/privatedockerd.h"
#include "support/testutil.h"

#include <QDir>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace bc;
using namespace bc::docker;
using namespace bc::test;

namespace {

bool openssl(const QStringList &args, const QString &dir, QString *log)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        *log += QStringLiteral("openssl %1:\n%2\n")
                    .arg(args.join(u' '), QString::fromUtf8(p.readAll()));
        return false;
    }
    return true;
}

// A CA, and a certificate it signs for `subjectAltName` with the given extended key usage.
bool makeCa(const QString &dir, const QString &name, QString *log)
{
    return openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                    QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=") + name,
                    QStringLiteral("-keyout"), name + QStringLiteral("-key.pem"),
                    QStringLiteral("-out"), name + QStringLiteral(".pem")},
                   dir, log);
}

bool makeCert(const QString &dir, const QString &ca, const QString &name, const QString &san,
              const QString &usage, QString *log)
{
    QFile ext(QDir(dir).filePath(name + QStringLiteral(".ext")));
    if (!ext.open(QIODevice::WriteOnly))
        return false;
    QByteArray text = "extendedKeyUsage=" + usage.toUtf8() + "\n";
    if (!san.isEmpty())
        text += "subjectAltName=" + san.toUtf8() + "\n";
    ext.write(text);
    ext.close();
    return openssl({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                    QStringLiteral("-nodes"), QStringLiteral("-subj"),
                    QStringLiteral("/CN=") + name, QStringLiteral("-keyout"),
                    name + QStringLiteral("-key.pem"), QStringLiteral("-out"),
                    name + QStringLiteral(".csr")},
                   dir, log) &&
           openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                    name + QStringLiteral(".csr"), QStringLiteral("-CA"),
                    ca + QStringLiteral(".pem"), QStringLiteral("-CAkey"),
                    ca + QStringLiteral("-key.pem"), QStringLiteral("-CAcreateserial"),
                    QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"),
                    name + QStringLiteral(".ext"), QStringLiteral("-out"),
                    name + QStringLiteral(".pem")},
                   dir, log);
}

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

} // namespace

class tst_TlsEngine : public QObject
{
    Q_OBJECT

    QTemporaryDir m_pki;
    QTemporaryDir m_home;
    std::unique_ptr<PrivateDockerd> m_daemon;
    quint16 m_port = 0;
    QString m_containerId;

    // The DOCKER_CERT_PATH layout: ca.pem, cert.pem, key.pem.
    QString certDir(const QString &ca) const
    {
        const QString dir = m_pki.filePath(QStringLiteral("client-") + ca);
        QDir().mkpath(dir);
        QFile::remove(dir + QStringLiteral("/ca.pem"));
        QFile::copy(m_pki.filePath(ca + QStringLiteral(".pem")), dir + QStringLiteral("/ca.pem"));
        QFile::copy(m_pki.filePath(QStringLiteral("client.pem")),
                    dir + QStringLiteral("/cert.pem"));
        QFile::copy(m_pki.filePath(QStringLiteral("client-key.pem")),
                    dir + QStringLiteral("/key.pem"));
        return dir;
    }

    Result<ResolvedEndpoint> resolve(const QString &host, const QString &ca)
    {
        ResolveInputs in;
        in.env.insert(QStringLiteral("DOCKER_HOST"), host);
        in.env.insert(QStringLiteral("DOCKER_TLS_VERIFY"), QStringLiteral("1"));
        in.env.insert(QStringLiteral("DOCKER_CERT_PATH"), certDir(ca));
        in.dockerConfigDir = m_home.filePath(QStringLiteral("docker-config"));
        return EndpointResolver::resolve(in);
    }

    QString tcpHost(const QString &name) const
    {
        return QStringLiteral("tcp://%1:%2").arg(name).arg(m_port);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(geteuid() == 0, "a private dockerd needs root");
        QVERIFY(!QStandardPaths::findExecutable(QStringLiteral("dockerd")).isEmpty());
        QVERIFY(!QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty());
        QVERIFY(dockerAvailable());
        QString log;
        const QString dir = m_pki.path();
        // The server certificate names 127.0.0.1 only, so "localhost" is a wrong host name.
        QVERIFY2(makeCa(dir, QStringLiteral("ca"), &log) &&
                     makeCa(dir, QStringLiteral("otherca"), &log) &&
                     makeCert(dir, QStringLiteral("ca"), QStringLiteral("server"),
                              QStringLiteral("IP:127.0.0.1"), QStringLiteral("serverAuth"), &log) &&
                     makeCert(dir, QStringLiteral("ca"), QStringLiteral("client"), {},
                              QStringLiteral("clientAuth"), &log),
                 qPrintable(log));
        m_port = freePort();
        QVERIFY(m_port != 0);
        m_daemon = std::make_unique<PrivateDockerd>(QStringLiteral("tls"),
                                                    QStringLiteral("10.213.216.1/24"));
        m_daemon->setExtraArgs(
            {QStringLiteral("-H"), tcpHost(QStringLiteral("127.0.0.1")),
             QStringLiteral("--tlsverify"), QStringLiteral("--tlscacert"),
             m_pki.filePath(QStringLiteral("ca.pem")), QStringLiteral("--tlscert"),
             m_pki.filePath(QStringLiteral("server.pem")), QStringLiteral("--tlskey"),
             m_pki.filePath(QStringLiteral("server-key.pem"))});
        QVERIFY2(m_daemon->start(), qPrintable(m_daemon->log()));

        // A container to list and inspect, from the test image (saved, never pulled).
        const QString tar = m_home.filePath(QStringLiteral("busybox.tar"));
        int code = -1;
        QString err;
        runDocker({QStringLiteral("save"), QStringLiteral("-o"), tar, testImage()}, &code, &err);
        QVERIFY2(code == 0, qPrintable(err));
        m_daemon->docker({QStringLiteral("load"), QStringLiteral("-i"), tar}, &code, &err);
        QVERIFY2(code == 0, qPrintable(err));
        m_containerId = m_daemon->docker(
            {QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("bc-tls-one"),
             QStringLiteral("--label"), testLabel(), QStringLiteral("--network"),
             QStringLiteral("none"), testImage(), QStringLiteral("true")},
            &code, &err);
        QVERIFY2(code == 0, qPrintable(err));
    }

    void cleanupTestCase() { m_daemon.reset(); }

    void pingListInspect()
    {
        const auto resolved = resolve(tcpHost(QStringLiteral("127.0.0.1")), QStringLiteral("ca"));
        QVERIFY_RESULT(resolved);
        QVERIFY(resolved->endpoint.tls);
        QVERIFY(resolved->endpoint.tlsVerify);
        DockerClient client(resolved->endpoint);
        QVERIFY_RESULT(await(client.ping()));
        const auto list = await(client.listContainers(true));
        QVERIFY_RESULT(list);
        QCOMPARE(list->size(), 1);
        QCOMPARE(list->first().id, m_containerId);
        const auto inspect = await(client.inspectContainer(QStringLiteral("bc-tls-one")));
        QVERIFY_RESULT(inspect);
        QCOMPARE(inspect->id, m_containerId);
        QCOMPARE(inspect->configImage, testImage());
    }

    void wrongCaIsRefused()
    {
        const auto resolved =
            resolve(tcpHost(QStringLiteral("127.0.0.1")), QStringLiteral("otherca"));
        QVERIFY_RESULT(resolved);
        DockerClient client(resolved->endpoint);
        const auto r = await(client.ping());
        QVERIFY(!r);
        const QString message = r.error().toString();
        qInfo("refused: %s", qPrintable(message));
        QVERIFY2(message.contains(u"TLS", Qt::CaseInsensitive) &&
                     message.contains(u"certificate", Qt::CaseInsensitive),
                 qPrintable(message));
    }

    void wrongHostNameIsRefused()
    {
        const auto resolved = resolve(tcpHost(QStringLiteral("localhost")), QStringLiteral("ca"));
        QVERIFY_RESULT(resolved);
        DockerClient client(resolved->endpoint);
        const auto r = await(client.ping());
        QVERIFY(!r);
        const QString message = r.error().toString();
        qInfo("refused: %s", qPrintable(message));
        QVERIFY2(message.contains(u"host name", Qt::CaseInsensitive) ||
                     message.contains(u"hostname", Qt::CaseInsensitive),
                 qPrintable(message));
    }

    void missingClientCertificateIsRefused()
    {
        auto resolved = resolve(tcpHost(QStringLiteral("127.0.0.1")), QStringLiteral("ca"));
        QVERIFY_RESULT(resolved);
        http::Endpoint e = resolved->endpoint;
        e.certFile.clear();
        e.keyFile.clear();
        DockerClient client(e);
        const auto r = await(client.ping());
        QVERIFY2(!r, "the daemon answered a client without a certificate");
    }

    // A context made by the docker CLI itself, read by EndpointResolver and used by boxctl.
    void dockerContextCreate()
    {
        const QString config = m_home.filePath(QStringLiteral("docker-config"));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DOCKER_CONFIG"), config);
        env.remove(QStringLiteral("DOCKER_HOST"));
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral("docker"),
                {QStringLiteral("context"), QStringLiteral("create"), QStringLiteral("bc-tls"),
                 QStringLiteral("--description"), QStringLiteral("private TLS engine"),
                 QStringLiteral("--docker"),
                 QStringLiteral("host=%1,ca=%2,cert=%3,key=%4")
                     .arg(tcpHost(QStringLiteral("127.0.0.1")),
                          m_pki.filePath(QStringLiteral("ca.pem")),
                          m_pki.filePath(QStringLiteral("client.pem")),
                          m_pki.filePath(QStringLiteral("client-key.pem")))});
        QVERIFY(p.waitForFinished(30000));
        QVERIFY2(p.exitCode() == 0, p.readAll().constData());

        ResolveInputs listIn;
        listIn.dockerConfigDir = config;
        const auto contexts = EndpointResolver::listContexts(listIn);
        QVERIFY_RESULT(contexts);
        bool listed = false;
        for (const ContextInfo &c : contexts.value())
            listed = listed || (c.name == u"bc-tls" && c.description == u"private TLS engine" &&
                                c.host == tcpHost(QStringLiteral("127.0.0.1")));
        QVERIFY(listed);

        ResolveInputs in;
        in.contextFlag = QStringLiteral("bc-tls");
        in.dockerConfigDir = config;
        const auto resolved = EndpointResolver::resolve(in);
        QVERIFY_RESULT(resolved);
        QCOMPARE(resolved->contextName, QStringLiteral("bc-tls"));
        QVERIFY(resolved->endpoint.tls);
        DockerClient client(resolved->endpoint);
        const auto list = await(client.listContainers(true));
        QVERIFY_RESULT(list);
        QCOMPARE(list->size(), 1);

        // boxctl with --context, and with the context made current by `docker context use`.
        QProcessEnvironment benv = isolatedEnvironment(m_home.filePath(QStringLiteral("h")));
        benv.insert(QStringLiteral("DOCKER_CONFIG"), config);
        BoxctlRun r =
            runBoxctl({QStringLiteral("--context"), QStringLiteral("bc-tls"), QStringLiteral("ps"),
                       QStringLiteral("-a"), QStringLiteral("--json")},
                      benv);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.json().array().size(), 1);
        QCOMPARE(r.json().array().at(0)[u"Id"].toString(), m_containerId);
        p.start(QStringLiteral("docker"),
                {QStringLiteral("context"), QStringLiteral("use"), QStringLiteral("bc-tls")});
        QVERIFY(p.waitForFinished(30000));
        QVERIFY2(p.exitCode() == 0, p.readAll().constData());
        r = runBoxctl({QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--no-trunc")},
                      benv);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(QString::fromUtf8(r.out.trimmed()), m_containerId);
        r = runBoxctl({QStringLiteral("version"), QStringLiteral("--json")}, benv);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.json()[u"Client"][u"Endpoint"].toString(), tcpHost(QStringLiteral("127.0.0.1")));
    }

    // boxctl through DOCKER_HOST + DOCKER_TLS_VERIFY + DOCKER_CERT_PATH, and a refused CA as
    // a runtime failure (exit 1) with the reason on stderr.
    void boxctlOverTls()
    {
        QProcessEnvironment env = isolatedEnvironment(m_home.filePath(QStringLiteral("h2")));
        env.insert(QStringLiteral("DOCKER_HOST"), tcpHost(QStringLiteral("127.0.0.1")));
        env.insert(QStringLiteral("DOCKER_TLS_VERIFY"), QStringLiteral("1"));
        env.insert(QStringLiteral("DOCKER_CERT_PATH"), certDir(QStringLiteral("ca")));
        BoxctlRun r = runBoxctl(
            {QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--no-trunc")}, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(QString::fromUtf8(r.out.trimmed()), m_containerId);
        env.insert(QStringLiteral("DOCKER_CERT_PATH"), certDir(QStringLiteral("otherca")));
        r = runBoxctl({QStringLiteral("ps")}, env);
        QVERIFY2(r.exitCode == 1 && r.out.isEmpty(), qPrintable(r.describe()));
        QVERIFY2(r.err.contains("certificate"), qPrintable(r.describe()));
    }
};

QTEST_GUILESS_MAIN(tst_TlsEngine)
#include "tst_tlsengine.moc"
