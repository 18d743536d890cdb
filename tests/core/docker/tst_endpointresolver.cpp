#include "core/docker/endpointresolver.h"
#include "core/http/transport.h"

#include "support/testutil.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using bc::Error;
using bc::docker::EndpointResolver;
using bc::docker::ResolveInputs;
using bc::http::Endpoint;
using Env = QMap<QString, QString>;

using bc::test::writeFile;

namespace {

bool openssl(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning() << "openssl" << args << p.readAllStandardError();
        return false;
    }
    return true;
}

// A context as `docker context create` stores it.
void addContext(const QString &configDir, const QString &name, const QString &host,
                const QString &description = {}, std::optional<bool> skipTls = {})
{
    nlohmann::json docker = {{"Host", host.toStdString()}};
    if (skipTls)
        docker["SkipTLSVerify"] = *skipTls;
    const nlohmann::json meta = {{"Name", name.toStdString()},
                                 {"Metadata", {{"Description", description.toStdString()}}},
                                 {"Endpoints", {{"docker", docker}}}};
    writeFile(configDir + u"/contexts/meta/" + EndpointResolver::contextHash(name) + u"/meta.json",
              QByteArray::fromStdString(meta.dump()));
}

QString tlsDir(const QString &configDir, const QString &name)
{
    return configDir + u"/contexts/tls/" + EndpointResolver::contextHash(name) + u"/docker";
}

ResolveInputs inputs(const QString &configDir, const Env &env = {}, const QString &host = {},
                     const QString &context = {})
{
    ResolveInputs in;
    in.dockerConfigDir = configDir;
    in.env = env;
    in.hostFlag = host;
    in.contextFlag = context;
    return in;
}

} // namespace

class tst_EndpointResolver final : public QObject
{
    Q_OBJECT
    QTemporaryDir m_keys;
    QString m_rsaKey, m_ecKey, m_encKey, m_pkcs8Key, m_cert, m_ca;

private slots:
    void initTestCase()
    {
        QVERIFY(m_keys.isValid());
        const QString d = m_keys.path();
        m_rsaKey = d + u"/rsa.pem";
        m_ecKey = d + u"/ec.pem";
        m_encKey = d + u"/enc.pem";
        m_pkcs8Key = d + u"/pkcs8.pem";
        m_cert = d + u"/cert.pem";
        m_ca = d + u"/ca.pem";
        QVERIFY(openssl({u"genrsa"_qs, u"-traditional"_qs, u"-out"_qs, m_rsaKey, u"2048"_qs}));
        QVERIFY(openssl({u"ecparam"_qs, u"-name"_qs, u"prime256v1"_qs, u"-genkey"_qs, u"-noout"_qs,
                         u"-out"_qs, m_ecKey}));
        QVERIFY(openssl({u"pkey"_qs, u"-in"_qs, m_ecKey, u"-out"_qs, m_pkcs8Key}));
        QVERIFY(openssl({u"pkey"_qs, u"-in"_qs, m_rsaKey, u"-aes256"_qs, u"-passout"_qs,
                         u"pass:secret"_qs, u"-out"_qs, m_encKey}));
        QVERIFY(openssl({u"req"_qs, u"-new"_qs, u"-x509"_qs, u"-key"_qs, m_rsaKey, u"-subj"_qs,
                         u"/CN=box-console-test"_qs, u"-days"_qs, u"2"_qs, u"-out"_qs, m_cert}));
        QVERIFY(QFile::copy(m_cert, m_ca));
        QFile ec(m_ecKey);
        QVERIFY(ec.open(QIODevice::ReadOnly));
        QVERIFY(ec.readAll().contains("BEGIN EC PRIVATE KEY"));
    }

    void parseHost_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<int>("transport");
        QTest::addColumn<QString>("where"); // socket path, host:port, user@host:port
        QTest::addColumn<QString>("extra"); // basePath or ssh remote socket
        const int unixT = int(Endpoint::Transport::Unix);
        const int tcp = int(Endpoint::Transport::Tcp);
        const int ssh = int(Endpoint::Transport::Ssh);
        QTest::newRow("empty") << QString() << unixT << u"/var/run/docker.sock"_qs << QString();
        QTest::newRow("unix://") << u"unix://"_qs << unixT << u"/var/run/docker.sock"_qs
                                 << QString();
        QTest::newRow("unix path") << u"unix:///run/user/1000/docker.sock"_qs << unixT
                                   << u"/run/user/1000/docker.sock"_qs << QString();
        QTest::newRow("tcp://") << u"tcp://"_qs << tcp << u"localhost:2375"_qs << QString();
        QTest::newRow("tcp port only")
            << u"tcp://:2376"_qs << tcp << u"localhost:2376"_qs << QString();
        QTest::newRow("tcp host") << u"tcp://10.0.0.5"_qs << tcp << u"10.0.0.5:2375"_qs
                                  << QString();
        QTest::newRow("tcp trailing colon") << u"tcp://h:"_qs << tcp << u"h:2375"_qs << QString();
        QTest::newRow("bare host:port")
            << u"docker.lan:1234"_qs << tcp << u"docker.lan:1234"_qs << QString();
        QTest::newRow("spaces") << u"  tcp://h:1  "_qs << tcp << u"h:1"_qs << QString();
        QTest::newRow("base path")
            << u"tcp://h:2376/base/"_qs << tcp << u"h:2376"_qs << u"/base"_qs;
        QTest::newRow("v6") << u"tcp://[::1]:2376"_qs << tcp << u"::1:2376"_qs << QString();
        QTest::newRow("v6 no port")
            << u"tcp://[fe80::1]"_qs << tcp << u"fe80::1:2375"_qs << QString();
        QTest::newRow("ssh full") << u"ssh://me@host.lan:2222/run/docker.sock"_qs << ssh
                                  << u"me@host.lan:2222"_qs << u"/run/docker.sock"_qs;
        QTest::newRow("ssh host") << u"ssh://host.lan"_qs << ssh << u"@host.lan:0"_qs << QString();
        // Only slashes: the remote default socket, as the CLI trims them.
        QTest::newRow("ssh root path")
            << u"ssh://host.lan/"_qs << ssh << u"@host.lan:0"_qs << QString();
        QTest::newRow("ssh podman socket")
            << u"ssh://core@h:22/run/user/1000/podman/podman.sock"_qs << ssh << u"core@h:22"_qs
            << u"/run/user/1000/podman/podman.sock"_qs;
    }
    void parseHost()
    {
        QFETCH(QString, url);
        QFETCH(int, transport);
        QFETCH(QString, where);
        QFETCH(QString, extra);
        auto r = EndpointResolver::parseHost(url, {});
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        const Endpoint &e = r.value();
        QCOMPARE(int(e.transport), transport);
        if (e.transport == Endpoint::Transport::Unix) {
            QCOMPARE(e.socketPath, where);
        } else if (e.transport == Endpoint::Transport::Tcp) {
            QCOMPARE(e.host + u':' + QString::number(e.port), where);
            QCOMPARE(e.basePath, extra);
            QVERIFY(!e.tls);
        } else {
            QCOMPARE(e.sshUser + u'@' + e.sshHost + u':' + QString::number(e.sshPort), where);
            QCOMPARE(e.sshRemoteSocket, extra);
        }
    }

    void toUrlParsesAgain()
    {
        // What the console shows and stores for an engine must resolve to the same engine.
        for (const QString &url :
             {u"unix:///run/d.sock"_qs, u"tcp://[fe80::1]:2376"_qs, u"tcp://h:2376/base"_qs,
              u"ssh://me@[2001:db8::1]:2222"_qs, u"ssh://[::1]"_qs, u"ssh://me@host.lan:22/s"_qs,
              u"tcp://[fe80::1%00]"_qs}) {
            const auto first = EndpointResolver::parseHost(url, {});
            QVERIFY_RESULT(first);
            const auto again = EndpointResolver::parseHost(first->toUrl(), {});
            QVERIFY_RESULT(again);
            QCOMPARE(again->toUrl(), first->toUrl());
            QCOMPARE(again->sshHost, first->sshHost);
            QCOMPARE(again->host, first->host);
        }
    }

    void parseHostErrors_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("ssh password") << u"ssh://me:hunter2@host"_qs << u"password"_qs;
        QTest::newRow("ssh query") << u"ssh://host?x=1"_qs << u"query"_qs;
        QTest::newRow("ssh fragment") << u"ssh://host#frag"_qs << u"fragment"_qs;
        QTest::newRow("ssh no host") << u"ssh://"_qs << u"no host"_qs;
        QTest::newRow("ssh bad port") << u"ssh://h:abc"_qs << u"port"_qs;
        QTest::newRow("fd") << u"fd://"_qs << u"fd://"_qs;
        QTest::newRow("npipe") << u"npipe:////./pipe/docker_engine"_qs << u"Windows"_qs;
        QTest::newRow("http") << u"http://h:2375"_qs << u"tcp://"_qs;
        QTest::newRow("bad port") << u"tcp://h:notaport"_qs << u"port"_qs;
        QTest::newRow("port range") << u"tcp://h:70000"_qs << u"port"_qs;
        QTest::newRow("nested proto") << u"unix://tcp://x"_qs << u"unix"_qs;
        QTest::newRow("v6 without brackets") << u"tcp://fe80::1:2375"_qs << u"brackets"_qs;
        QTest::newRow("tcp password") << u"tcp://u:hunter2@h:bad"_qs << u"port"_qs;
        QTest::newRow("tcp password, path") << u"tcp://u:hunter2@h:bad/p?q#f"_qs << u"port"_qs;
        // Found by fuzz_dockerhost: a stray bracket used to end up in the host name.
        QTest::newRow("stray bracket") << u"[[x]:2"_qs << u"'['"_qs;
        QTest::newRow("space in host") << u"tcp://ho st:2375"_qs << u"' '"_qs;
        QTest::newRow("shell in ssh host") << u"ssh://me@h;id"_qs << u"';'"_qs;
        // The socket path reaches the remote login shell inside ssh's command line.
        QTest::newRow("shell in ssh path")
            << u"ssh://me@h/run/docker.sock;id"_qs << u"';' in the socket path"_qs;
        QTest::newRow("substitution in ssh path")
            << u"ssh://h/run/$(id)/docker.sock"_qs << u"'$' in the socket path"_qs;
        QTest::newRow("backtick in ssh path") << u"ssh://h/run/`id`"_qs << u"'`'"_qs;
        QTest::newRow("space in ssh path") << u"ssh://h/run/my docker.sock"_qs << u"' '"_qs;
        QTest::newRow("quote in ssh path") << u"ssh://h/run/a'b"_qs << u"'''"_qs;
        QTest::newRow("newline in ssh path") << u"ssh://h/run/a\nid"_qs << u"U+000a"_qs;
        QTest::newRow("escaped ssh path") << u"ssh://h/run/d.sock%3Bid"_qs << u"'%'"_qs;
        QTest::newRow("glob in ssh path") << u"ssh://h/run/*"_qs << u"'*'"_qs;
        QTest::newRow("shell in ssh user") << u"ssh://me;id@h"_qs << u"user"_qs;
        QTest::newRow("option as ssh user") << u"ssh://-oProxyCommand=id@h"_qs << u"user"_qs;
        QTest::newRow("control char") << u"tcp://h\u0007x:1"_qs << u"U+0007"_qs;
        QTest::newRow("brackets, not IPv6") << u"tcp://[e79%]:23"_qs << u"IPv6"_qs;
        QTest::newRow("brackets around a name") << u"tcp://[host]:23"_qs << u"IPv6"_qs;
    }
    void parseHostErrors()
    {
        QFETCH(QString, url);
        QFETCH(QString, mentions);
        auto r = EndpointResolver::parseHost(url, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), Error::Kind::Invalid);
        QVERIFY2(r.error().message().contains(mentions), qPrintable(r.error().message()));
        QVERIFY2(!r.error().toString().contains(u"hunter2"), qPrintable(r.error().toString()));
    }

    void sshPathRefusalNamesItsSource()
    {
        // Whichever way the URL arrives, the refusal says where it came from.
        const QString bad = u"ssh://me@build.lan/run/docker.sock;touch /tmp/x"_qs;
        QTemporaryDir cfg;
        addContext(cfg.path(), u"evil"_qs, bad);
        const struct
        {
            ResolveInputs in;
            QString source;
        } cases[] = {
            {inputs(cfg.path(), {{u"DOCKER_HOST"_qs, bad}}), u"DOCKER_HOST"_qs},
            {inputs(cfg.path(), {}, bad), u"--host"_qs},
            {inputs(cfg.path(), {}, {}, u"evil"_qs), u"context \"evil\""_qs},
            {inputs(cfg.path(), {{u"DOCKER_CONTEXT"_qs, u"evil"_qs}}), u"context \"evil\""_qs},
        };
        for (const auto &c : cases) {
            const auto r = EndpointResolver::resolve(c.in);
            QVERIFY2(!r.ok(), qPrintable(c.source));
            QCOMPARE(r.error().kind(), Error::Kind::Invalid);
            const QString text = r.error().toString();
            QVERIFY2(text.contains(c.source), qPrintable(text));
            QVERIFY2(text.contains(u"socket path"_qs), qPrintable(text));
        }
    }

    void sshArgumentsFromAResolvedUrl()
    {
        // What a context's ssh URL becomes on ssh's command line, word for word: options,
        // the host after "--", then the remote command as one word for the remote shell.
        QTemporaryDir dir;
        const QString fakeSsh = dir.filePath(u"ssh"_qs);
        writeFile(fakeSsh, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args\"\n");
        QVERIFY(
            QFile::setPermissions(fakeSsh, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        addContext(dir.path(), u"build"_qs,
                   u"ssh://ci.runner@build-1.lan:2222/run/user/1000/docker.sock"_qs);
        auto r = EndpointResolver::resolve(inputs(dir.path(), {}, {}, u"build"_qs));
        QVERIFY_RESULT(r);
        Endpoint e = r->endpoint;
        e.sshProgram = fakeSsh;
        bc::http::Transport transport(e);
        bool ended = false;
        connect(&transport, &bc::http::Transport::closed, this, [&] { ended = true; });
        connect(&transport, &bc::http::Transport::failed, this, [&] { ended = true; });
        transport.open(10000);
        QTRY_VERIFY_WITH_TIMEOUT(ended, 10000);
        QFile args(dir.filePath(u"args"_qs));
        QVERIFY(args.open(QIODevice::ReadOnly));
        QCOMPARE(
            QString::fromUtf8(args.readAll()).split(u'\n'),
            QStringList({u"-l"_qs, u"ci.runner"_qs, u"-p"_qs, u"2222"_qs, u"-o"_qs,
                         u"ConnectTimeout=30"_qs, u"-T"_qs, u"--"_qs, u"build-1.lan"_qs,
                         u"docker --host=unix:///run/user/1000/docker.sock system dial-stdio"_qs,
                         QString()}));
    }

    void tlsFromEnvironment()
    {
        QTemporaryDir certs;
        // DOCKER_TLS_VERIFY with no host: tcp://localhost:2376, verifying.
        auto r = EndpointResolver::parseHost(
            {}, Env{{u"DOCKER_TLS_VERIFY"_qs, u"1"_qs}, {u"DOCKER_CERT_PATH"_qs, certs.path()}});
        QVERIFY(r.ok());
        QCOMPARE(r->transport, Endpoint::Transport::Tcp);
        QCOMPARE(r->host, QStringLiteral("localhost"));
        QCOMPARE(r->port, quint16(2376));
        QVERIFY(r->tls);
        QVERIFY(r->tlsVerify);
        // No files in the cert dir: all dropped (system CAs, no client certificate).
        QVERIFY(r->caFile.isEmpty());
        QVERIFY(r->certFile.isEmpty());
        QVERIFY(r->keyFile.isEmpty());

        // With files; explicit host keeps the CLI's default port 2375 even with TLS.
        QVERIFY(QFile::copy(m_ca, certs.path() + u"/ca.pem"));
        QVERIFY(QFile::copy(m_cert, certs.path() + u"/cert.pem"));
        QVERIFY(QFile::copy(m_ecKey, certs.path() + u"/key.pem"));
        r = EndpointResolver::parseHost(
            u"tcp://remote"_qs,
            Env{{u"DOCKER_TLS_VERIFY"_qs, u"1"_qs}, {u"DOCKER_CERT_PATH"_qs, certs.path()}});
        QVERIFY(r.ok());
        QCOMPARE(r->port, quint16(2375));
        QCOMPARE(r->caFile, certs.path() + u"/ca.pem");
        QCOMPARE(r->certFile, certs.path() + u"/cert.pem");
        QCOMPARE(r->keyFile, certs.path() + u"/key.pem");

        // DOCKER_TLS alone: TLS without verification.
        r = EndpointResolver::parseHost(
            u"tcp://remote:2376"_qs,
            Env{{u"DOCKER_TLS"_qs, u"1"_qs}, {u"DOCKER_CERT_PATH"_qs, certs.path()}});
        QVERIFY(r.ok());
        QVERIFY(r->tls);
        QVERIFY(!r->tlsVerify);

        // Default cert path is the config dir.
        QTemporaryDir config;
        QVERIFY(QFile::copy(m_ca, config.path() + u"/ca.pem"));
        r = EndpointResolver::parseHost(
            u"tcp://remote:2376"_qs,
            Env{{u"DOCKER_TLS_VERIFY"_qs, u"1"_qs}, {u"DOCKER_CONFIG"_qs, config.path()}});
        QVERIFY(r.ok());
        QCOMPARE(r->caFile, config.path() + u"/ca.pem");

        // Without TLS variables a unix socket ignores certificates altogether.
        r = EndpointResolver::parseHost(u"unix:///x.sock"_qs,
                                        Env{{u"DOCKER_CERT_PATH"_qs, certs.path()}});
        QVERIFY(r.ok());
        QVERIFY(!r->tls);

        // Encrypted key: refused with a way out.
        QFile::remove(certs.path() + u"/key.pem");
        QVERIFY(QFile::copy(m_encKey, certs.path() + u"/key.pem"));
        r = EndpointResolver::parseHost(
            u"tcp://remote:2376"_qs,
            Env{{u"DOCKER_TLS_VERIFY"_qs, u"1"_qs}, {u"DOCKER_CERT_PATH"_qs, certs.path()}});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), Error::Kind::Invalid);
        QVERIFY(r.error().message().contains(u"encrypted"));
    }

    void precedence()
    {
        QTemporaryDir cfg;
        const QString d = cfg.path();
        addContext(d, u"remote"_qs, u"tcp://10.1.1.1:2376"_qs, u"the remote"_qs);
        addContext(d, u"fromconfig"_qs, u"ssh://ops@build.lan"_qs);
        writeFile(d + u"/config.json", "{\"auths\":{},\"currentContext\":\"fromconfig\"}");

        // currentContext from config.json.
        auto r = EndpointResolver::resolve(inputs(d));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->contextName, QStringLiteral("fromconfig"));
        QCOMPARE(r->source, QStringLiteral("context fromconfig"));
        QCOMPARE(r->endpoint.transport, Endpoint::Transport::Ssh);
        QCOMPARE(r->endpoint.sshUser, QStringLiteral("ops"));
        QVERIFY(r->warnings.isEmpty());

        // DOCKER_CONTEXT beats config.json.
        r = EndpointResolver::resolve(inputs(d, {{u"DOCKER_CONTEXT"_qs, u"remote"_qs}}));
        QVERIFY(r.ok());
        QCOMPARE(r->contextName, QStringLiteral("remote"));
        QCOMPARE(r->endpoint.contextName, QStringLiteral("remote")); // for display
        QCOMPARE(r->endpoint.host, QStringLiteral("10.1.1.1"));
        QVERIFY(!r->endpoint.tls); // no TLS material stored for it

        // DOCKER_HOST beats DOCKER_CONTEXT, with the CLI's warning.
        r = EndpointResolver::resolve(inputs(d, {{u"DOCKER_CONTEXT"_qs, u"remote"_qs},
                                                 {u"DOCKER_HOST"_qs, u"unix:///tmp/d.sock"_qs}}));
        QVERIFY(r.ok());
        QCOMPARE(r->contextName, QStringLiteral("default"));
        QVERIFY(r->endpoint.contextName.isEmpty());
        QCOMPARE(r->source, QStringLiteral("DOCKER_HOST"));
        QCOMPARE(r->endpoint.socketPath, QStringLiteral("/tmp/d.sock"));
        QCOMPARE(r->warnings.size(), 1);
        QVERIFY(r->warnings.first().startsWith(
            u"DOCKER_HOST environment variable overrides the active context."));

        // ... and beats currentContext the same way.
        r = EndpointResolver::resolve(inputs(d, {{u"DOCKER_HOST"_qs, u"tcp://h:1"_qs}}));
        QVERIFY(r.ok());
        QCOMPARE(r->source, QStringLiteral("DOCKER_HOST"));
        QCOMPARE(r->warnings.size(), 1);

        // --host beats everything, silently (the user asked for it on this command).
        r = EndpointResolver::resolve(
            inputs(d, {{u"DOCKER_HOST"_qs, u"tcp://h:1"_qs}}, u"unix:///flag.sock"_qs));
        QVERIFY(r.ok());
        QCOMPARE(r->source, QStringLiteral("--host"));
        QCOMPARE(r->endpoint.socketPath, QStringLiteral("/flag.sock"));
        QVERIFY(r->warnings.isEmpty());

        // --context beats DOCKER_HOST.
        r = EndpointResolver::resolve(
            inputs(d, {{u"DOCKER_HOST"_qs, u"tcp://h:1"_qs}}, {}, u"remote"_qs));
        QVERIFY(r.ok());
        QCOMPARE(r->source, QStringLiteral("context remote"));
        QVERIFY(r->warnings.isEmpty());

        // "default" by name.
        r = EndpointResolver::resolve(inputs(d, {}, {}, u"default"_qs));
        QVERIFY(r.ok());
        QCOMPARE(r->source, QStringLiteral("default"));
        QCOMPARE(r->endpoint.socketPath, QStringLiteral("/var/run/docker.sock"));
        // ... which is DOCKER_HOST's engine when that is set, as for the CLI.
        r = EndpointResolver::resolve(
            inputs(d, {{u"DOCKER_HOST"_qs, u"tcp://h:1"_qs}}, {}, u"default"_qs));
        QVERIFY(r.ok());
        QCOMPARE(r->source, QStringLiteral("DOCKER_HOST"));
        QCOMPARE(r->endpoint.host, QStringLiteral("h"));
        QCOMPARE(r->endpoint.port, 1);

        // Both flags: refused like the CLI.
        r = EndpointResolver::resolve(inputs(d, {}, u"tcp://h"_qs, u"remote"_qs));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), Error::Kind::Invalid);
        QVERIFY(r.error().message().contains(u"conflicting options"));
    }

    void defaultWithoutConfig()
    {
        QTemporaryDir cfg;
        auto r = EndpointResolver::resolve(inputs(cfg.path() + u"/does-not-exist"_qs));
        QVERIFY(r.ok());
        QCOMPARE(r->contextName, QStringLiteral("default"));
        QCOMPARE(r->source, QStringLiteral("default"));
        QCOMPARE(r->endpoint.transport, Endpoint::Transport::Unix);
        QCOMPARE(r->endpoint.socketPath, QStringLiteral("/var/run/docker.sock"));

        // DOCKER_CONFIG from the environment and HOME/.docker are the fallbacks.
        ResolveInputs in;
        in.env = {{u"HOME"_qs, u"/home/someone"_qs}};
        QCOMPARE(EndpointResolver::configDir(in), QStringLiteral("/home/someone/.docker"));
        in.env.insert(u"DOCKER_CONFIG"_qs, u"/etc/dc"_qs);
        QCOMPARE(EndpointResolver::configDir(in), QStringLiteral("/etc/dc"));
        in.dockerConfigDir = u"/explicit"_qs;
        QCOMPARE(EndpointResolver::configDir(in), QStringLiteral("/explicit"));

        // DOCKER_TLS without verification is said out loud.
        r = EndpointResolver::resolve(inputs(cfg.path(), {{u"DOCKER_TLS"_qs, u"1"_qs}}));
        QVERIFY(r.ok());
        QCOMPARE(r->endpoint.port, quint16(2376));
        QVERIFY(!r->endpoint.tlsVerify);
        QCOMPARE(r->warnings.size(), 1);
        QVERIFY(r->warnings.first().contains(u"verification is off"));
    }

    void unknownContext()
    {
        QTemporaryDir cfg;
        auto r = EndpointResolver::resolve(inputs(cfg.path(), {}, {}, u"nope"_qs));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), Error::Kind::Invalid);
        QVERIFY(r.error().message().contains(u"\"nope\""));
        QVERIFY(r.error().message().contains(u"docker context ls"));

        r = EndpointResolver::resolve(inputs(cfg.path(), {{u"DOCKER_CONTEXT"_qs, u"gone"_qs}}));
        QVERIFY(!r.ok());
        QVERIFY(r.error().message().contains(u"DOCKER_CONTEXT"));

        writeFile(cfg.path() + u"/config.json", "{\"currentContext\":\"stale\"}");
        r = EndpointResolver::resolve(inputs(cfg.path()));
        QVERIFY(!r.ok());
        QVERIFY(r.error().message().contains(u"config.json"));

        // Broken config.json: a warning, then the default, as the CLI does.
        writeFile(cfg.path() + u"/config.json", "{not json");
        r = EndpointResolver::resolve(inputs(cfg.path()));
        QVERIFY(r.ok());
        QCOMPARE(r->source, QStringLiteral("default"));
        QCOMPARE(r->warnings.size(), 1);
        QVERIFY(r->warnings.first().contains(u"Error loading config file"));

        // A context without a docker endpoint.
        writeFile(cfg.path() + u"/contexts/meta/" + EndpointResolver::contextHash(u"k8s"_qs) +
                      u"/meta.json",
                  "{\"Name\":\"k8s\",\"Endpoints\":{\"kubernetes\":{}}}");
        r = EndpointResolver::resolve(inputs(cfg.path(), {}, {}, u"k8s"_qs));
        QVERIFY(!r.ok());
        QVERIFY(r.error().message().contains(u"no Docker endpoint"));
    }

    void contextTls_data()
    {
        QTest::addColumn<QString>("keyKind");
        QTest::newRow("rsa") << u"rsa"_qs;
        QTest::newRow("ec") << u"ec"_qs;
        QTest::newRow("pkcs8") << u"pkcs8"_qs;
    }
    void contextTls()
    {
        QFETCH(QString, keyKind);
        const QString key = keyKind == u"rsa" ? m_rsaKey : keyKind == u"ec" ? m_ecKey : m_pkcs8Key;
        QTemporaryDir cfg;
        const QString d = cfg.path();
        addContext(d, u"secure"_qs, u"tcp://docker.example:2376"_qs);
        const QString t = tlsDir(d, u"secure"_qs);
        QDir().mkpath(t);
        QVERIFY(QFile::copy(m_ca, t + u"/ca.pem"));
        QVERIFY(QFile::copy(m_cert, t + u"/cert.pem"));
        QVERIFY(QFile::copy(key, t + u"/key.pem"));
        // The DOCKER_TLS* variables do not apply to a named context.
        auto r = EndpointResolver::resolve(
            inputs(d, {{u"DOCKER_TLS"_qs, u"1"_qs}, {u"DOCKER_CONTEXT"_qs, u"secure"_qs}}));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        const Endpoint &e = r->endpoint;
        QCOMPARE(e.transport, Endpoint::Transport::Tcp);
        QCOMPARE(e.host, QStringLiteral("docker.example"));
        QCOMPARE(e.port, quint16(2376));
        QVERIFY(e.tls);
        QVERIFY(e.tlsVerify);
        QCOMPARE(e.caFile, t + u"/ca.pem");
        QCOMPARE(e.certFile, t + u"/cert.pem");
        QCOMPARE(e.keyFile, t + u"/key.pem");
        QVERIFY(r->warnings.isEmpty());
    }

    void contextTlsEdgeCases()
    {
        QTemporaryDir cfg;
        const QString d = cfg.path();
        // SkipTLSVerify alone turns TLS on without verification, and says so.
        addContext(d, u"skip"_qs, u"tcp://h:2376"_qs, {}, true);
        auto r = EndpointResolver::resolve(inputs(d, {}, {}, u"skip"_qs));
        QVERIFY(r.ok());
        QVERIFY(r->endpoint.tls);
        QVERIFY(!r->endpoint.tlsVerify);
        QCOMPARE(r->warnings.size(), 1);

        // CA only: server verified, no client certificate.
        addContext(d, u"caonly"_qs, u"tcp://h:2376"_qs);
        QDir().mkpath(tlsDir(d, u"caonly"_qs));
        QVERIFY(QFile::copy(m_ca, tlsDir(d, u"caonly"_qs) + u"/ca.pem"));
        r = EndpointResolver::resolve(inputs(d, {}, {}, u"caonly"_qs));
        QVERIFY(r.ok());
        QVERIFY(r->endpoint.tls && r->endpoint.tlsVerify);
        QVERIFY(r->endpoint.keyFile.isEmpty());

        // Encrypted key: refused, naming the context and the problem.
        addContext(d, u"enc"_qs, u"tcp://h:2376"_qs);
        const QString t = tlsDir(d, u"enc"_qs);
        QDir().mkpath(t);
        QVERIFY(QFile::copy(m_cert, t + u"/cert.pem"));
        QVERIFY(QFile::copy(m_encKey, t + u"/key.pem"));
        r = EndpointResolver::resolve(inputs(d, {}, {}, u"enc"_qs));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), Error::Kind::Invalid);
        QVERIFY(r.error().toString().contains(u"encrypted"));
        QVERIFY(r.error().toString().contains(u"enc"));

        // Not a key at all.
        addContext(d, u"junk"_qs, u"tcp://h:2376"_qs);
        writeFile(tlsDir(d, u"junk"_qs) + u"/cert.pem", "cert");
        writeFile(tlsDir(d, u"junk"_qs) + u"/key.pem", "not a key");
        r = EndpointResolver::resolve(inputs(d, {}, {}, u"junk"_qs));
        QVERIFY(!r.ok());
        QVERIFY(r.error().message().contains(u"no valid private key"));

        // TLS material is ignored for unix and ssh contexts.
        addContext(d, u"sock"_qs, u"unix:///run/docker.sock"_qs);
        writeFile(tlsDir(d, u"sock"_qs) + u"/ca.pem", "x");
        r = EndpointResolver::resolve(inputs(d, {}, {}, u"sock"_qs));
        QVERIFY(r.ok());
        QCOMPARE(r->endpoint.socketPath, QStringLiteral("/run/docker.sock"));
    }

    void listContexts()
    {
        QTemporaryDir cfg;
        const QString d = cfg.path();
        addContext(d, u"zeta"_qs, u"ssh://z"_qs, u"last"_qs);
        addContext(d, u"alpha"_qs, u"tcp://a:2376"_qs, u"first"_qs);
        writeFile(d + u"/config.json", "{\"currentContext\":\"zeta\"}");
        auto r = EndpointResolver::listContexts(inputs(d));
        QVERIFY(r.ok());
        QCOMPARE(r->size(), 3);
        QCOMPARE(r->at(0).name, QStringLiteral("alpha"));
        QCOMPARE(r->at(0).description, QStringLiteral("first"));
        QCOMPARE(r->at(0).host, QStringLiteral("tcp://a:2376"));
        QCOMPARE(r->at(1).name, QStringLiteral("default"));
        QCOMPARE(r->at(1).host, QStringLiteral("unix:///var/run/docker.sock"));
        QCOMPARE(r->at(2).name, QStringLiteral("zeta"));
        QVERIFY(r->at(2).current);
        QVERIFY(!r->at(0).current && !r->at(1).current);

        // DOCKER_HOST makes "default" current and shows its host.
        r = EndpointResolver::listContexts(inputs(d, {{u"DOCKER_HOST"_qs, u"tcp://x:1"_qs}}));
        QVERIFY(r.ok());
        QVERIFY(r->at(1).current);
        QCOMPARE(r->at(1).host, QStringLiteral("tcp://x:1"));
        QVERIFY(!r->at(2).current);

        QTemporaryDir empty;
        r = EndpointResolver::listContexts(inputs(empty.path()));
        QVERIFY(r.ok());
        QCOMPARE(r->size(), 1);
        QVERIFY(r->first().current);
    }

    void contextHashIsSha256OfName()
    {
        // echo -n default | sha256sum
        QCOMPARE(
            EndpointResolver::contextHash(u"default"_qs),
            QStringLiteral("37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f"));
    }

    void fromProcessReadsEnvironment()
    {
        qputenv("BOX_TEST_MARKER", "1");
        const ResolveInputs in = ResolveInputs::fromProcess(u"tcp://h"_qs, {});
        QCOMPARE(in.hostFlag, QStringLiteral("tcp://h"));
        QCOMPARE(in.env.value(u"BOX_TEST_MARKER"_qs), QStringLiteral("1"));
        QVERIFY(in.dockerConfigDir.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_EndpointResolver)
#include "tst_endpointresolver.moc"
