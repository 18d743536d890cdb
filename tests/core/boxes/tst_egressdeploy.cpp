// ctest: labels=docker;proxy timeout=300
#include "boxtestsupport.h"

#include "core/boxes/dockerbackend.h"
#include "core/infra/egressfixture.h"
#include "core/infra/egressgrants.h"
#include "core/infra/egresslog.h"
#include "core/infra/egresspolicy.h"
#include "core/security/egresslayout.h"
#include "support/paths.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

using namespace bc;
using namespace bc::boxes;
using namespace bc::test;
using namespace bc::test::boxes;
using bc::infra::EgressLog;
using bc::security::EgressLayout;
using json = nlohmann::json;

// Per-box egress end to end: boxes deployed through DockerBackend with spec.egress, their
// in-box loopback forwarders (the forwarder block of the real box entrypoint, with a small
// static socat stand-in), a real HAProxy master (-W) whose config comes from
// `boxctl proxy-config` and is reloaded by the deploy through the configured reload
// command, and a local TLS upstream signed by a test CA.
class tst_EgressDeploy : public QObject
{
    Q_OBJECT

    static constexpr int EgressGid = 4243;
    const QString m_anthropicKey = QStringLiteral("sk-ant-REAL-e2e-4711");
    const QString m_resendKey = QStringLiteral("re_REAL_e2e_0815");

    EngineSuite m_suite;
    std::unique_ptr<EgressFixture> m_fx;
    std::unique_ptr<DockerBackend> m_backend;
    QProcess *m_haproxy = nullptr;
    QString m_image, m_root, m_grants, m_policy, m_config, m_pid, m_log, m_boxctl;
    QString m_boxA, m_boxB;

    QString reloadCommand() const
    {
        return QStringList{m_boxctl,
                           QStringLiteral("proxy-config"),
                           QStringLiteral("--policy"),
                           m_policy,
                           QStringLiteral("--grants"),
                           m_grants,
                           QStringLiteral("--socket-dir"),
                           m_root,
                           QStringLiteral("--ca-file"),
                           m_fx->path(QStringLiteral("ca.crt")),
                           QStringLiteral("--no-resolvers"),
                           QStringLiteral("--gid"),
                           QString::number(EgressGid),
                           QStringLiteral("--output"),
                           m_config,
                           QStringLiteral("--prepare-dirs"),
                           QStringLiteral("--reload-pidfile"),
                           m_pid}
            .join(u' ');
    }

    DeployOptions options() const
    {
        DeployOptions o = testOptions();
        o.proxySocketDir = m_root;
        o.egressPolicyFile = m_policy;
        o.egressGrantsDir = m_grants;
        o.egressReloadCommand = reloadCommand();
        o.egressGroupId = EgressGid;
        o.egressSocketWaitMs = 20000;
        o.redeploy = true; // redeployWithoutEgressDropsTheGrant replaces its box
        return o;
    }

    security::BoxSpec spec(const QString &name, const QString &egress) const
    {
        security::BoxSpec s = agentSpec(name);
        s.image = m_image;
        s.egress = egress;
        return s;
    }

    // The HAProxy master (-W) in the foreground, its output appended to the egress log as
    // the systemd unit's StandardOutput=append: does.
    bool startProxy()
    {
        QFile::remove(m_pid); // written anew once the master runs
        auto *p = new QProcess(this);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TEST_ANTHROPIC_KEY"), m_anthropicKey);
        env.insert(QStringLiteral("TEST_RESEND_KEY"), m_resendKey);
        p->setProcessEnvironment(env);
        p->setProcessChannelMode(QProcess::MergedChannels);
        p->setStandardOutputFile(m_log, QIODevice::Append);
        p->start(EgressFixture::tool(QStringLiteral("haproxy")),
                 {QStringLiteral("-W"), QStringLiteral("-db"), QStringLiteral("-f"), m_config,
                  QStringLiteral("-p"), m_pid});
        if (!p->waitForStarted(5000))
            return false;
        m_haproxy = p;
        QDeadlineTimer deadline(15000);
        const QString health = m_root + QStringLiteral("/.proxy.sock");
        while (!deadline.hasExpired() && p->state() == QProcess::Running) {
            if (QFileInfo::exists(health) && QFileInfo::exists(m_pid))
                return true;
            QThread::msleep(100);
        }
        return false;
    }

    void stopProxy()
    {
        if (!m_haproxy)
            return;
        m_fx->stopProcess(m_haproxy);
        delete m_haproxy;
        m_haproxy = nullptr;
    }

    QString inBox(const QString &box, const QString &script, int *rc = nullptr)
    {
        int code = 0;
        const QString out = runDocker(
            {QStringLiteral("exec"), box, QStringLiteral("sh"), QStringLiteral("-c"), script},
            &code, nullptr, 30000);
        if (rc)
            *rc = code;
        return out;
    }

    // A raw HTTP/1.0 request from inside the box to its loopback forwarder on `port`.
    QString boxRequest(const QString &box, int port, const QString &path,
                       const QString &extraHeaders = {})
    {
        const QString script =
            QStringLiteral("printf 'POST %1 HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n%2"
                           "Content-Length: 2\\r\\n\\r\\n{}' | nc -w 10 127.0.0.1 %3 2>&1")
                .arg(path, extraHeaders)
                .arg(port);
        return inBox(box, script);
    }

    static int statusOf(const QString &response)
    {
        const QStringList words = response.section(u'\n', 0, 0).split(u' ');
        return words.size() > 1 ? words.at(1).toInt() : 0;
    }

    static QJsonObject echoedHeaders(const QString &response)
    {
        const qsizetype body = response.indexOf(QStringLiteral("\r\n\r\n"));
        const QJsonObject seen = QJsonDocument::fromJson(response.mid(body + 4).toUtf8()).object();
        return seen.value(QLatin1String("headers")).toObject();
    }

    // The forwarders start in the background just before the agent: allow them a moment.
    QString boxRequestWhenUp(const QString &box, int port, const QString &path,
                             const QString &extraHeaders = {})
    {
        QString r;
        QDeadlineTimer deadline(15000);
        do {
            r = boxRequest(box, port, path, extraHeaders);
            if (statusOf(r) != 0)
                return r;
            QThread::msleep(300);
        } while (!deadline.hasExpired());
        return r;
    }

    bool buildImage(QString *error)
    {
        // busybox has neither socat nor a Unix-socket client: the static stand-in used by
        // the isolation test plays socat; the forwarder block is the box entrypoint's own.
        const QString ctxDir = m_fx->path(QStringLiteral("image"));
        QDir().mkpath(ctxDir + QStringLiteral("/www"));
        QByteArray out;
        if (m_fx->run(EgressFixture::tool(QStringLiteral("cc")),
                      {QStringLiteral("-static"), QStringLiteral("-O2"), QStringLiteral("-o"),
                       ctxDir + QStringLiteral("/socat"),
                       sourceDir() + QStringLiteral("/tests/core/infra/data/mini_socat.c")},
                      &out, 120000) != 0) {
            *error = QString::fromLocal8Bit(out);
            return false;
        }
        QFile entry(sourceDir() + QStringLiteral("/infrastructure/box-base/entrypoint.sh"));
        if (!entry.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read entrypoint.sh");
            return false;
        }
        const QString text = QString::fromUtf8(entry.readAll());
        const qsizetype from = text.indexOf(QStringLiteral("EGRESS_DIR="));
        const qsizetype to = text.indexOf(QStringLiteral("\nfi\n"), from);
        if (from < 0 || to < 0) {
            *error = QStringLiteral("no forwarder block in entrypoint.sh");
            return false;
        }
        QFile script(ctxDir + QStringLiteral("/entry.sh"));
        script.open(QIODevice::WriteOnly);
        script.write("#!/bin/sh\nset -eu\n" + text.mid(from, to + 4 - from).toUtf8() +
                     "exec httpd -f -p 127.0.0.1:9999 -h /www\n");
        script.close();
        QFile health(ctxDir + QStringLiteral("/www/health"));
        health.open(QIODevice::WriteOnly);
        health.write("ok\n");
        health.close();
        if (!QFile::copy(QStringLiteral("/bin/busybox"), ctxDir + QStringLiteral("/busybox"))) {
            *error = QStringLiteral("cannot copy /bin/busybox (busybox-static)");
            return false;
        }
        QFile df(ctxDir + QStringLiteral("/Dockerfile"));
        df.open(QIODevice::WriteOnly);
        df.write("FROM scratch\n"
                 "COPY busybox /bin/busybox\n"
                 "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n"
                 "COPY socat /bin/socat\n"
                 "COPY entry.sh /bin/entry.sh\n"
                 "COPY www /www\n"
                 "USER 1000:1000\n"
                 "CMD [\"/bin/sh\", \"/bin/entry.sh\"]\n");
        df.close();
        return buildTestImage(ctxDir, m_image, QStringLiteral("box-console.test=1"), error);
    }

    static int modeOf(const QString &path, int *gid = nullptr)
    {
        struct stat st
        {
        };
        if (::stat(QFile::encodeName(path).constData(), &st) != 0)
            return -1;
        if (gid)
            *gid = int(st.st_gid);
        return int(st.st_mode & 07777);
    }

private slots:
    void initTestCase()
    {
        const QString missing =
            EgressFixture::missingTool({QStringLiteral("haproxy"), QStringLiteral("openssl"),
                                        QStringLiteral("python3"), QStringLiteral("cc")});
        QVERIFY2(missing.isEmpty(), qPrintable(missing + QStringLiteral(" is not installed")));
        QVERIFY2(dockerAvailable(), "no Docker engine");
        const QString error = m_suite.setUp();
        QVERIFY2(error.isEmpty(), qPrintable(error));

        m_fx = std::make_unique<EgressFixture>();
        QVERIFY(m_fx->makeCertificates());
        const int port = m_fx->startUpstream(QStringLiteral("server"));
        QVERIFY(port > 0);
        m_boxctl = binDir() + QStringLiteral("/boxctl");
        QVERIFY2(QFileInfo(m_boxctl).isExecutable(), qPrintable(m_boxctl));
        m_image = QStringLiteral("bctest/egress-box:%1").arg(QCoreApplication::applicationPid());
        QString buildError;
        QVERIFY2(buildImage(&buildError), qPrintable(buildError));

        // Two upstreams on the same local TLS server: which one a request went to shows in
        // the credential the upstream received.
        const json policy = {
            {"upstreams",
             json::array(
                 {{{"name", "anthropic"},
                   {"host", "localhost"},
                   {"port", port},
                   {"routes", json::array({{{"methods", {"POST"}}, {"paths", {"/v1/messages"}}}})},
                   {"credential", {{"header", "x-api-key"}, {"env", "TEST_ANTHROPIC_KEY"}}},
                   {"localPort", 8081},
                   {"baseUrlEnv", "ANTHROPIC_BASE_URL"}},
                  {{"name", "resend"},
                   {"host", "localhost"},
                   {"port", port},
                   {"routes", json::array({{{"methods", {"POST"}}, {"paths", {"/emails"}}}})},
                   {"credential",
                    {{"header", "Authorization"},
                     {"prefix", "Bearer "},
                     {"env", "TEST_RESEND_KEY"}}},
                   {"localPort", 8082},
                   {"baseUrlEnv", "RESEND_BASE_URL"}}})}};
        m_policy = m_fx->path(QStringLiteral("policy.json"));
        QFile pf(m_policy);
        QVERIFY(pf.open(QIODevice::WriteOnly));
        pf.write(QByteArray::fromStdString(policy.dump()));
        pf.close();

        m_root = m_fx->path(QStringLiteral("egress"));
        m_grants = m_fx->path(QStringLiteral("grants"));
        m_config = m_fx->path(QStringLiteral("haproxy.cfg"));
        m_pid = m_fx->path(QStringLiteral("haproxy.pid"));
        m_log = m_fx->path(QStringLiteral("egress.log"));
        QVERIFY(QDir().mkpath(m_grants));

        // The proxy's start hook: config for the (empty) grants, directories prepared.
        QStringList argv = QProcess::splitCommand(reloadCommand());
        const int at = int(argv.indexOf(QStringLiteral("--reload-pidfile")));
        argv.remove(at, 2);
        QByteArray out;
        QCOMPARE(m_fx->run(argv.takeFirst(), argv, &out), 0);
        QCOMPARE(modeOf(m_root), 0750);
        QVERIFY2(startProxy(), "haproxy did not start from boxctl proxy-config output");

        m_backend = std::make_unique<DockerBackend>(http::Endpoint{}, options());
        m_boxA = uniqueName(QStringLiteral("ega"));
        m_boxB = uniqueName(QStringLiteral("egb"));
    }

    void cleanupTestCase()
    {
        m_backend.reset();
        stopProxy();
        removeLabelled();
        if (!m_image.isEmpty())
            runDocker({QStringLiteral("rmi"), QStringLiteral("-f"), m_image});
        m_fx.reset();
    }

    void deployGrantsOnlyTheBoxsUpstreams()
    {
        const auto r = runJob(m_backend->deploy(spec(m_boxA, QStringLiteral("anthropic"))));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));

        // The grant the proxy config came from, the box's own directory and socket.
        auto grant = bc::infra::EgressGrants(m_grants).read(m_boxA);
        QVERIFY(grant.ok() && grant->has_value());
        QCOMPARE((*grant)->upstreams, QStringList{QStringLiteral("anthropic")});
        const QString dir = bc::security::EgressLayout::boxSocketDir(m_root, m_boxA);
        const QString sock =
            bc::security::EgressLayout::boxSocketPath(m_root, m_boxA, QStringLiteral("anthropic"));
        int gid = -1;
        QCOMPARE(modeOf(dir, &gid), 0750);
        QCOMPARE(gid, EgressGid);
        QCOMPARE(modeOf(sock, &gid), 0660); // not usable by other local users
        QCOMPARE(gid, EgressGid);
        QVERIFY(!QFileInfo::exists(
            bc::security::EgressLayout::boxSocketPath(m_root, m_boxA, QStringLiteral("resend"))));

        // Only that directory is mounted, read-only; the box user gets the group.
        const json c = json::parse(runDocker({QStringLiteral("inspect"), m_boxA}).toStdString(),
                                   nullptr, false)[0];
        const json &mounts = c["HostConfig"]["Mounts"];
        int binds = 0;
        for (const json &m : mounts) {
            if (m["Type"] != "bind")
                continue;
            ++binds;
            QCOMPARE(QString::fromStdString(m["Source"]), dir);
            QVERIFY(m["Target"] == "/run/egress");
            QVERIFY(m["ReadOnly"] == true);
        }
        QCOMPARE(binds, 1);
        QVERIFY(c["HostConfig"]["GroupAdd"] == json::array({std::to_string(EgressGid)}));
        QCOMPARE(inBox(m_boxA, QStringLiteral("ls /run/egress")), QStringLiteral("anthropic.sock"));
    }

    void allowedRouteInjectsTheKey()
    {
        const QString reply = boxRequestWhenUp(
            m_boxA, 8081, QStringLiteral("/v1/messages"),
            QStringLiteral("x-api-key: sk-ant-BOX-OWN\\r\\nAuthorization: Bearer box-own\\r\\n"));
        QCOMPARE(statusOf(reply), 200);
        const QJsonObject headers = echoedHeaders(reply);
        QCOMPARE(headers.value(QLatin1String("x-api-key")).toString(), m_anthropicKey);
        QVERIFY(!headers.contains(QLatin1String("authorization")));
        // The box's environment points its client at the forwarder, and holds no key.
        const QString env = inBox(m_boxA, QStringLiteral("env"));
        QVERIFY(env.contains(QLatin1String("ANTHROPIC_BASE_URL=http://127.0.0.1:8081")));
        QVERIFY(!env.contains(m_anthropicKey));
        QVERIFY(!env.contains(QLatin1String("RESEND_BASE_URL")));
        // Outside the policy: 403 from the proxy.
        QCOMPARE(statusOf(boxRequest(m_boxA, 8081, QStringLiteral("/v1/files"))), 403);
    }

    void otherUpstreamIsUnreachable()
    {
        int rc = 0;
        inBox(m_boxA, QStringLiteral("test -e /run/egress/resend.sock"), &rc);
        QVERIFY(rc != 0);
        // No forwarder for it, and nothing else listens.
        const QString reply = boxRequest(m_boxA, 8082, QStringLiteral("/emails"));
        QCOMPARE(statusOf(reply), 0);
        // The proxy's other sockets are not in the box's file system at all.
        inBox(m_boxA, QStringLiteral("test -e %1").arg(m_root), &rc);
        QVERIFY(rc != 0);
    }

    void secondBoxCannotUseTheFirstsSockets()
    {
        const auto r = runJob(m_backend->deploy(spec(m_boxB, QStringLiteral("resend"))));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(inBox(m_boxB, QStringLiteral("ls /run/egress")), QStringLiteral("resend.sock"));
        const QString reply =
            boxRequestWhenUp(m_boxB, 8082, QStringLiteral("/emails"),
                             QStringLiteral("Authorization: Bearer re_box\\r\\n"));
        QCOMPARE(statusOf(reply), 200);
        QCOMPARE(echoedHeaders(reply).value(QLatin1String("authorization")).toString(),
                 QStringLiteral("Bearer ") + m_resendKey);
        // Box A's upstream: no socket, no forwarder, no host path.
        int rc = 0;
        inBox(m_boxB, QStringLiteral("test -e /run/egress/anthropic.sock"), &rc);
        QVERIFY(rc != 0);
        inBox(m_boxB,
              QStringLiteral("test -e %1")
                  .arg(bc::security::EgressLayout::boxSocketPath(m_root, m_boxA,
                                                                 QStringLiteral("anthropic"))),
              &rc);
        QVERIFY(rc != 0);
        QCOMPARE(statusOf(boxRequest(m_boxB, 8081, QStringLiteral("/v1/messages"))), 0);
        // Box A still works after the reload that added box B.
        QCOMPARE(statusOf(boxRequest(m_boxA, 8081, QStringLiteral("/v1/messages"))), 200);
    }

    void egressLogNamesTheBox()
    {
        auto a = EgressLog::readRecent(m_log, m_boxA, 100);
        QVERIFY2(a.ok(), qPrintable(a.ok() ? QString() : a.error().toString()));
        bool allowed = false, denied = false;
        for (const auto &e : a.value()) {
            QCOMPARE(e.box, m_boxA);
            QCOMPARE(e.upstream, QStringLiteral("anthropic"));
            allowed = allowed || (e.allowed && e.path == QLatin1String("/v1/messages") &&
                                  e.status == 200 && e.method == QLatin1String("POST"));
            denied =
                denied || (!e.allowed && e.path == QLatin1String("/v1/files") && e.status == 403);
        }
        QVERIFY(allowed && denied);
        auto b = EgressLog::readRecent(m_log, m_boxB, 100);
        QVERIFY(b.ok() && !b->isEmpty());
        for (const auto &e : b.value())
            QCOMPARE(e.upstream, QStringLiteral("resend"));

        // boxctl egress-log shows the same.
        QByteArray out;
        QCOMPARE(
            m_fx->run(m_boxctl,
                      {QStringLiteral("egress-log"), m_boxA, QStringLiteral("--log"), m_log,
                       QStringLiteral("--json"), QStringLiteral("--limit"), QStringLiteral("10")},
                      &out),
            0);
        const QJsonArray rows = QJsonDocument::fromJson(out).array();
        QVERIFY2(!rows.isEmpty(), out.constData());
        for (const auto &row : rows)
            QCOMPARE(row.toObject().value(QLatin1String("box")).toString(), m_boxA);
        // The log holds no key.
        QFile log(m_log);
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray all = log.readAll();
        QVERIFY(!all.contains(m_anthropicKey.toUtf8()));
        QVERIFY(!all.contains(m_resendKey.toUtf8()));
    }

    void proxyRestartKeepsTheBoxConnected()
    {
        stopProxy();
        QVERIFY(statusOf(boxRequest(m_boxA, 8081, QStringLiteral("/v1/messages"))) != 200);
        QVERIFY(startProxy());
        const QString reply = boxRequestWhenUp(m_boxA, 8081, QStringLiteral("/v1/messages"));
        QCOMPARE(statusOf(reply), 200);
        QCOMPARE(echoedHeaders(reply).value(QLatin1String("x-api-key")).toString(), m_anthropicKey);
    }

    void deleteRevokesTheGrant()
    {
        const auto r = runJob(m_backend->remove(m_boxB, false));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QVERIFY(!QFileInfo::exists(m_grants + u'/' + m_boxB));
        QVERIFY(!QFileInfo::exists(bc::security::EgressLayout::boxSocketDir(m_root, m_boxB)));
        QFile cfg(m_config);
        QVERIFY(cfg.open(QIODevice::ReadOnly));
        QVERIFY(!cfg.readAll().contains(m_boxB.toUtf8()));
        // Box A is unaffected.
        QCOMPARE(statusOf(boxRequest(m_boxA, 8081, QStringLiteral("/v1/messages"))), 200);
    }

    void redeployWithoutEgressDropsTheGrant()
    {
        const auto r = runJob(m_backend->deploy(spec(m_boxA, QString())));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        // Revoked after the deploy finished, in the background.
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(m_grants + u'/' + m_boxA), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            !QFileInfo::exists(bc::security::EgressLayout::boxSocketDir(m_root, m_boxA)), 20000);
        const json c = json::parse(runDocker({QStringLiteral("inspect"), m_boxA}).toStdString(),
                                   nullptr, false)[0];
        for (const json &m : c["HostConfig"]["Mounts"])
            QVERIFY(m["Type"] != "bind");
        QVERIFY(c["HostConfig"]["GroupAdd"].is_null() || c["HostConfig"]["GroupAdd"].empty());
    }

    void deployFailsCleanlyWhenTheProxyDoesNotServeTheBox()
    {
        const QString name = uniqueName(QStringLiteral("egc"));
        DeployOptions o = options();
        o.egressReloadCommand = QStringLiteral("/bin/false");
        o.egressSocketWaitMs = 1500;
        DockerBackend backend(http::Endpoint{}, o);
        const auto r = runJob(backend.deploy(spec(name, QStringLiteral("anthropic"))));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().toString().contains(QLatin1String("reload command")),
                 qPrintable(r.error().toString()));
        QVERIFY(!QFileInfo::exists(m_grants + u'/' + name)); // grant removed again
        QVERIFY2(objectsOf(name).isEmpty(), qPrintable(objectsOf(name).join(u", ")));

        // A reload that succeeds but a proxy that never binds the socket: same outcome.
        o.egressReloadCommand = QStringLiteral("/bin/true");
        DockerBackend quiet(http::Endpoint{}, o);
        const auto r2 = runJob(quiet.deploy(spec(name, QStringLiteral("anthropic"))));
        QVERIFY(!r2.ok());
        QVERIFY2(r2.error().toString().contains(QLatin1String("does not serve")),
                 qPrintable(r2.error().toString()));
        QVERIFY(!QFileInfo::exists(m_grants + u'/' + name));
        QVERIFY(objectsOf(name).isEmpty());
    }

    void laterFailureRevokesTheGrant()
    {
        // The grant is written and served, then the deploy fails (no such image): the
        // rollback takes the grant back and the proxy drops the box's sockets.
        const QString name = uniqueName(QStringLiteral("ege"));
        security::BoxSpec s = spec(name, QStringLiteral("anthropic"));
        s.image = QStringLiteral("bctest/no-such-image:never");
        QStringList progress;
        BoxJob *job = m_backend->deploy(s);
        connect(job, &BoxJob::progress, this, [&](const QString &p) { progress << p; });
        const auto r = runJob(job);
        QVERIFY(!r.ok());
        QVERIFY2(progress.join(u'\n').contains(QLatin1String("Granting")),
                 qPrintable(progress.join(u'\n')));
        QVERIFY(!QFileInfo::exists(m_grants + u'/' + name));
        QVERIFY(!QFileInfo::exists(bc::security::EgressLayout::boxSocketDir(m_root, name)));
        QVERIFY(objectsOf(name).isEmpty());
    }

    void remoteEngineIsRefused()
    {
        http::Endpoint remote;
        remote.transport = http::Endpoint::Transport::Tcp;
        remote.host = QStringLiteral("127.0.0.1");
        remote.port = 9; // nothing is sent: the refusal comes first
        DockerBackend backend(remote, options());
        const QString name = uniqueName(QStringLiteral("egd"));
        const auto r = runJob(backend.deploy(spec(name, QStringLiteral("anthropic"))));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), Error::Kind::Invalid);
        QVERIFY2(r.error().toString().contains(QLatin1String("not on this host")),
                 qPrintable(r.error().toString()));
        QVERIFY(!QFileInfo::exists(m_grants + u'/' + name));
    }
};

QTEST_GUILESS_MAIN(tst_EgressDeploy)
#include "tst_egressdeploy.moc"
