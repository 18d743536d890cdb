// ctest: labels=docker;coolify timeout=300
// Live engine truth for Coolify boxes, end to end: a box deployed through CoolifyBackend to
// the fake Coolify, whose container then runs on the real local engine from the compose
// document Coolify deploys (the fake's serviceParser: Coolify's labels) under the project
// name StartService gives it (`docker compose --project-name <service uuid>`). The Coolify
// server's address in GET /servers points at a real sshd on 127.0.0.1, so the engine is
// reached over ssh:// with the admin's key and a strict known_hosts. The box then shows the
// engine's state, health, stats, health log and audit, its log streams and a terminal runs
// in it; Coolify and the engine disagreeing, and a box container Coolify does not know, are
// shown. Bad input: a host key that does not match, an unreachable engine, exec into a
// stopped box, a user that does not exist, a box without a shell; each a clear message and
// no process left in the box.
#include "core/boxes/coolifybackend.h"
#include "core/boxes/coolifyengine.h"
#include "core/docker/dockerclient.h"
#include "core/docker/execsession.h"
#include "core/docker/exectarget.h"
#include "core/docker/logstream.h"
#include "core/security/postureaudit.h"
#include "support/coolify/coolifyenginefixture.h"
#include "support/dockerendpoint.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"

#include <QDir>
#include <QJsonObject>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace bc;
using namespace bc::boxes;
using namespace bc::test;

namespace {

const QString kServer = QLatin1String(CoolifyEngineFixture::Server);

struct ExecRun
{
    std::optional<Result<int>> result;
    QByteArray out;
    QByteArray err;
    QByteArray all() const { return out + err; }
};

} // namespace

class tst_CoolifyEngine : public QObject
{
    Q_OBJECT

    LabelledCleanup m_cleanup;
    CoolifyEngineFixture m_env;
    SshdFixture &m_sshd = m_env.sshd();
    FakeCoolify &m_fake = m_env.fake();
    QTemporaryDir m_dir;
    QString m_uuid;      // the box's Coolify service
    QString m_box;       // its name
    QString m_container; // its container on the engine
    QString m_shellless; // a box whose image has no shell: its name
    QString m_shelllessContainer;

    std::unique_ptr<CoolifyBackend> backend(const QString &knownHosts, bool consent = true)
    {
        auto b = std::make_unique<CoolifyBackend>(m_env.config(knownHosts, consent));
        b->setPollIntervalMs(200);
        b->setStatsInterval(300);
        return b;
    }

    static std::optional<BoxInfo> find(const QList<BoxInfo> &boxes, const QString &id)
    {
        for (const BoxInfo &b : boxes)
            if (b.id == id || b.name == id)
                return b;
        return std::nullopt;
    }

    QStringList boxProcesses(const QString &container)
    {
        QStringList left;
        const QString top = runDocker(
            {QStringLiteral("top"), container, QStringLiteral("-o"), QStringLiteral("pid,args")});
        for (const QString &line : top.split(QLatin1Char('\n')).mid(1))
            if (!line.trimmed().isEmpty())
                left << line.trimmed();
        return left;
    }

    // What the box runs besides any exec: its agent, the log ticker, the health check.
    QStringList strays(const QString &container)
    {
        QStringList out;
        for (const QString &p : boxProcesses(container)) {
            const QString args = p.section(QLatin1Char(' '), 1).trimmed();
            if (!args.contains(QLatin1String("box-agent")) &&
                // The ticker's own "sleep 1" only: a session's "sleep 300" left behind must
                // count.
                !args.contains(QLatin1String("httpd")) && args != QLatin1String("sleep 1") &&
                !args.contains(QLatin1String("tick")) &&
                !args.contains(QLatin1String("box-health")) &&
                !args.startsWith(QLatin1String("nc ")))
                out << p;
        }
        return out;
    }

    ExecRun runExec(docker::DockerClient *client, const QString &container, docker::ExecOptions o,
                    const QByteArray &input = {})
    {
        ExecRun run;
        docker::ExecSession session(client, container, o);
        connect(&session, &docker::ExecSession::stdoutReceived, this,
                [&run](const QByteArray &d) { run.out += d; });
        connect(&session, &docker::ExecSession::stderrReceived, this,
                [&run](const QByteArray &d) { run.err += d; });
        connect(&session, &docker::ExecSession::finished, this,
                [&run](const Result<int> &r) { run.result = r; });
        session.start();
        if (!input.isEmpty()) {
            session.write(input);
            if (!o.tty)
                session.closeStdin();
        }
        waitUntil([&run] { return run.result.has_value(); }, 30000);
        return run;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dockerAvailable());
        QString error;
        QVERIFY2(m_env.start(&error), qPrintable(error));
        QVERIFY(m_dir.isValid());

        security::BoxSpec spec = CoolifyEngineFixture::boxSpec(QStringLiteral("cfe"));
        m_box = spec.name;
        // A log line a second beside the agent, for the log stream.
        spec.command = CoolifyEngineFixture::tickingAgent();
        const auto uuid = m_env.deploy(spec);
        QVERIFY_RESULT(uuid);
        m_uuid = uuid.value();
        const auto container = m_env.runDeployed(m_uuid, m_box, boxTestImage(), spec.command);
        QVERIFY_RESULT(container);
        m_container = container.value();

        // A box whose image has no shell at all: busybox on its own, not installed.
        const QString context = m_dir.filePath(QStringLiteral("noshell"));
        QString busybox = QStringLiteral("/bin/busybox");
        QVERIFY2(QFile::exists(busybox), "static busybox is missing");
        QDir().mkpath(context);
        QVERIFY(QFile::copy(busybox, context + QStringLiteral("/busybox")));
        writeFile(context + QStringLiteral("/Dockerfile"),
                  "FROM scratch\nCOPY busybox /busybox\nUSER 1000:1000\n");
        int code = -1;
        QString err;
        const QString image = QStringLiteral("bctest/noshell:") + m_box;
        runDocker({QStringLiteral("build"), QStringLiteral("-q"), QStringLiteral("--label"),
                   testLabel(), QStringLiteral("-t"), image, context},
                  &code, &err);
        QVERIFY2(code == 0, qPrintable(err));
        security::BoxSpec bare = spec;
        m_shellless = m_box + QStringLiteral("-bare");
        bare.name = m_shellless;
        bare.subdomain = m_shellless;
        bare.image = image;
        bare.command = {QStringLiteral("/busybox"), QStringLiteral("sleep"),
                        QStringLiteral("3600")};
        const auto bareUuid = m_env.deploy(bare);
        QVERIFY_RESULT(bareUuid);
        const auto bareContainer =
            m_env.runDeployed(bareUuid.value(), m_shellless, image, bare.command);
        QVERIFY_RESULT(bareContainer);
        m_shelllessContainer = bareContainer.value();
        // The health check has run at least once (interval 1 s).
        QVERIFY(waitUntil(
            [this] {
                return runDocker({QStringLiteral("inspect"), QStringLiteral("-f"),
                                  QStringLiteral("{{.State.Health.Status}}"), m_container}) ==
                       QLatin1String("healthy");
            },
            60000));
    }

    void cleanupTestCase() { m_env.stop(); }

    // The container is found by Coolify's labels over ssh, and the row shows the engine's
    // state and health, limits and the engine it runs on.
    void listShowsTheEngineTruth()
    {
        auto b = backend(m_sshd.knownHosts());
        QVERIFY_RESULT(await(b->refreshEngines(), 60000));
        const auto list = await(b->list(), 60000);
        QVERIFY_RESULT(list);
        const auto box = find(list.value(), m_uuid);
        QVERIFY(box);
        QCOMPARE(box->state, BoxInfo::State::Running);
        QCOMPARE(box->health, BoxInfo::Health::Healthy);
        QVERIFY(box->detailed);
        QVERIFY(box->hasHealthCheck);
        QVERIFY(box->startedAt.isValid());
        QVERIFY2(box->labels.value(CoolifyBackend::engineLabel())
                     .contains(QStringLiteral("ssh://root@127.0.0.1:%1").arg(m_sshd.port())),
                 qPrintable(box->labels.value(CoolifyBackend::engineLabel())));
        QVERIFY(!box->labels.contains(CoolifyBackend::engineDisagreementLabel()));
        const auto target = b->engineTarget(m_uuid);
        QVERIFY(target);
        QCOMPARE(target->containerId, m_container);
        QCOMPARE(target->engine->client()->endpoint().transport, http::Endpoint::Transport::Ssh);
    }

    // Watching: CPU, memory and processes from the engine's stats arrive as changes.
    void statsArriveWhileWatching()
    {
        auto b = backend(m_sshd.knownHosts());
        std::optional<BoxInfo> last;
        connect(b.get(), &BoxBackend::boxChanged, this, [&](const BoxInfo &box) {
            if (box.id == m_uuid)
                last = box;
        });
        QVERIFY(waitUntil(
            [&] {
                return last && last->resources.cpuPercent >= 0 && last->resources.memoryUsage > 0 &&
                       last->resources.pids > 0;
            },
            60000));
        QCOMPARE(last->state, BoxInfo::State::Running);
        QVERIFY(last->resources.memoryLimit > 0); // the compose's mem_limit
        QVERIFY(last->resources.pids >= 3);       // agent, ticker, sleep
    }

    // The health log and the posture audit come from the container's inspect over ssh, and
    // the audit finds what the same audit of the same container over the local socket does.
    void healthLogAndAudit()
    {
        auto b = backend(m_sshd.knownHosts());
        QVERIFY_RESULT(await(b->refreshEngines(), 60000));
        const auto target = b->engineTarget(m_uuid);
        QVERIFY(target);
        const auto inspect =
            await(target->engine->client()->inspectContainer(target->containerId), 30000);
        QVERIFY_RESULT(inspect);
        QVERIFY(!inspect->healthLog.isEmpty());
        QVERIFY2(inspect->healthLog.last().output.contains(QLatin1String("\"status\":\"ok\"")),
                 qPrintable(inspect->healthLog.last().output));
        const auto options = await(target->engine->auditOptions({}), 30000);
        QVERIFY_RESULT(options);
        const auto remote = security::PostureAudit::audit(inspect->raw, options.value());
        docker::DockerClient local(defaultEndpoint());
        const auto direct = await(local.inspectContainer(m_container), 30000);
        QVERIFY_RESULT(direct);
        const auto expected = security::PostureAudit::audit(direct->raw, options.value());
        QStringList remoteIds;
        QStringList expectedIds;
        for (const auto &f : remote)
            remoteIds << f.id;
        for (const auto &f : expected)
            expectedIds << f.id;
        QCOMPARE(remoteIds, expectedIds);
        // The compose keeps the profile's hardening: no privileged or root finding.
        for (const auto &f : remote)
            QVERIFY2(f.severity != security::Finding::Severity::Critical,
                     qPrintable(f.id + u' ' + f.title));
    }

    // The log follows the container over ssh: new lines arrive as the box writes them.
    void logsStream()
    {
        auto b = backend(m_sshd.knownHosts());
        QVERIFY_RESULT(await(b->refreshEngines(), 60000));
        const auto target = b->engineTarget(m_uuid);
        QVERIFY(target);
        docker::LogOptions o;
        o.follow = true;
        o.tail = 1;
        docker::LogStream *stream = target->engine->client()->logs(target->containerId, o);
        QStringList lines;
        connect(stream, &docker::LogStream::linesReceived, this,
                [&lines](const QList<docker::LogLine> &got) {
                    for (const auto &l : got)
                        lines << QString::fromUtf8(l.text).trimmed();
                });
        QVERIFY2(waitUntil([&] { return lines.size() >= 3; }, 20000), qPrintable(lines.join(u',')));
        // Followed, not re-read: each tick once, in order.
        for (int i = 1; i < lines.size(); ++i)
            QCOMPARE(lines[i].mid(5).toInt(), lines[i - 1].mid(5).toInt() + 1);
        stream->cancel();
    }

    // A terminal (a TTY exec through the engine over ssh) runs a command as the box's user;
    // ending it leaves nothing in the box.
    void terminal()
    {
        auto b = backend(m_sshd.knownHosts());
        QVERIFY_RESULT(await(b->refreshEngines(), 60000));
        const auto target = b->engineTarget(m_uuid);
        QVERIFY(target);
        docker::DockerClient *client = target->engine->client();
        const auto exec = await(docker::resolveExecTarget(client, target->containerId), 30000);
        QVERIFY_RESULT(exec);
        QVERIFY_RESULT(docker::checkRunning(exec.value()));
        QCOMPARE(exec->box, m_box);
        const auto user = docker::execpolicy::chooseUser(exec.value(), {});
        QVERIFY_RESULT(user);
        const auto shell =
            await(docker::probeShell(client, exec->containerId, user.value()), 30000);
        QVERIFY_RESULT(shell);
        QCOMPARE(shell.value(), QStringLiteral("/bin/sh"));
        docker::ExecOptions o;
        o.cmd = {shell.value()};
        o.user = user.value();
        o.tty = true;
        o.attachStdin = true;
        o.cols = 100;
        o.rows = 30;
        o.env = {QStringLiteral("PS1=$ ")};
        auto *session = new docker::ExecSession(client, exec->containerId, o, this);
        QByteArray screen;
        connect(session, &docker::ExecSession::stdoutReceived, this,
                [&screen](const QByteArray &d) { screen += d; });
        session->start();
        session->write("echo product=$((6*7)) user=$(id -u)\n");
        QVERIFY2(waitUntil([&] { return screen.contains("product=42 user=1000"); }, 20000),
                 screen.constData());
        // The resize is coalesced and travels over ssh: ask until the box sees it.
        session->resize(120, 40);
        bool resized = false;
        for (int i = 0; i < 20 && !resized; ++i) {
            session->write("stty size\n");
            resized = waitUntil([&] { return screen.contains("40 120"); }, 1000);
        }
        QVERIFY2(resized, screen.constData());
        session->write("sleep 300\n");
        QVERIFY(waitUntil(
            [&] { return boxProcesses(m_container).join(u'\n').contains(u"sleep 300"); }, 20000));
        QVERIFY_RESULT(await(session->terminate(), 30000));
        QVERIFY2(waitUntil([&] { return strays(m_container).isEmpty(); }, 20000),
                 qPrintable(strays(m_container).join(u'\n')));
        delete session;
    }

    // Coolify still says running:healthy; the engine says exited: the row says so. Exec into
    // the stopped box is refused with a clear message and runs nothing.
    void disagreementAndExecIntoStoppedBox()
    {
        auto b = backend(m_sshd.knownHosts());
        std::optional<BoxInfo> last;
        connect(b.get(), &BoxBackend::boxChanged, this, [&](const BoxInfo &box) {
            if (box.id == m_uuid)
                last = box;
        });
        QVERIFY(waitUntil([&] { return last && last->state == BoxInfo::State::Running; }, 60000));
        int code = -1;
        runDocker({QStringLiteral("stop"), QStringLiteral("-t"), QStringLiteral("1"), m_container},
                  &code);
        QCOMPARE(code, 0);
        QVERIFY(waitUntil([&] { return last->state == BoxInfo::State::Exited; }, 30000));
        const QString differ = last->labels.value(CoolifyBackend::engineDisagreementLabel());
        QVERIFY2(differ.contains(QLatin1String("Coolify says running:healthy")) &&
                     differ.contains(QLatin1String("the engine says exited")),
                 qPrintable(differ));
        QCOMPARE(last->statusText, differ);

        const auto target = b->engineTarget(m_uuid);
        QVERIFY(target);
        const auto exec =
            await(docker::resolveExecTarget(target->engine->client(), target->containerId), 30000);
        QVERIFY_RESULT(exec);
        const auto running = docker::checkRunning(exec.value());
        QVERIFY(!running);
        QCOMPARE(running.error().message(), QStringLiteral("box %1 is not running").arg(m_box));
        // The engine refuses an exec as well (a session started anyway).
        docker::ExecOptions o;
        o.cmd = {QStringLiteral("true")};
        const ExecRun r = runExec(target->engine->client(), target->containerId, o);
        QVERIFY(r.result && !r.result->ok());
        QCOMPARE(r.result->error().kind(), Error::Kind::Conflict);

        runDocker({QStringLiteral("start"), m_container}, &code);
        QCOMPARE(code, 0);
        QVERIFY(waitUntil([&] { return last->state == BoxInfo::State::Running; }, 30000));
        QVERIFY(!last->labels.contains(CoolifyBackend::engineDisagreementLabel()));
        QVERIFY(waitUntil(
            [this] {
                return runDocker({QStringLiteral("inspect"), QStringLiteral("-f"),
                                  QStringLiteral("{{.State.Health.Status}}"), m_container}) ==
                       QLatin1String("healthy");
            },
            60000));
    }

    // A box container on the engine under Coolify's labels that Coolify does not list.
    void containerCoolifyDoesNotKnow()
    {
        const QString ghost = QStringLiteral("ghost") + m_uuid.left(8);
        int code = -1;
        const QString id = runDocker(
            {QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--label"), testLabel(),
             QStringLiteral("--label"), QStringLiteral("coolify.managed=true"),
             QStringLiteral("--label"), QStringLiteral("coolify.type=service"),
             QStringLiteral("--label"), QStringLiteral("com.docker.compose.project=") + ghost,
             QStringLiteral("--label"), QStringLiteral("com.docker.compose.service=leftover"),
             QStringLiteral("--label"), QStringLiteral("box-console.box=leftover"),
             QStringLiteral("--network"), QStringLiteral("none"), testImage(),
             QStringLiteral("sleep"), QStringLiteral("300")},
            &code);
        QCOMPARE(code, 0);
        auto b = backend(m_sshd.knownHosts());
        QVERIFY_RESULT(await(b->refreshEngines(), 60000));
        const auto list = await(b->list(), 60000);
        QVERIFY_RESULT(list);
        const auto row = find(list.value(), id);
        QVERIFY(row);
        QCOMPARE(row->name, QStringLiteral("leftover"));
        QCOMPARE(row->state, BoxInfo::State::Running);
        QCOMPARE(row->backendKind, QStringLiteral("coolify"));
        QVERIFY2(row->labels.value(CoolifyBackend::engineDisagreementLabel())
                     .contains(QLatin1String("a container Coolify does not know")),
                 qPrintable(row->statusText));
        QVERIFY(find(list.value(), m_uuid)); // the known box is still there
        runDocker({QStringLiteral("rm"), QStringLiteral("-f"), id});
    }

    // A user the box does not have, and a box without a shell: the engine's own words, a
    // non-zero status, and no process left behind.
    void badUserAndNoShell()
    {
        auto b = backend(m_sshd.knownHosts());
        QVERIFY_RESULT(await(b->refreshEngines(), 60000));
        const auto target = b->engineTarget(m_uuid);
        QVERIFY(target);
        docker::ExecOptions o;
        o.cmd = {QStringLiteral("/bin/sh")};
        o.user = QStringLiteral("no-such-user");
        o.tty = true;
        o.attachStdin = true;
        ExecRun r = runExec(target->engine->client(), target->containerId, o);
        QVERIFY(r.result && r.result->ok());
        QCOMPARE(r.result->value(), 126);
        QVERIFY2(r.all().contains("unable to find user no-such-user"), r.all().constData());
        QVERIFY2(strays(m_container).isEmpty(), qPrintable(strays(m_container).join(u'\n')));

        const auto bare = b->engineTarget(m_shellless);
        QVERIFY(bare);
        QCOMPARE(bare->containerId, m_shelllessContainer);
        const auto probe =
            await(docker::probeShell(target->engine->client(), bare->containerId, {}), 30000);
        QVERIFY_RESULT(probe);
        o.user.clear();
        o.cmd = {probe.value()};
        r = runExec(bare->engine->client(), bare->containerId, o);
        QVERIFY(r.result && r.result->ok());
        QCOMPARE(r.result->value(), 127);
        QVERIFY2(r.all().contains("/bin/sh") && r.all().contains("no such file or directory"),
                 r.all().constData());
        // busybox sleep under the compose's init, nothing else.
        QStringList left = boxProcesses(m_shelllessContainer);
        left.removeIf([](const QString &p) { return p.contains(QLatin1String("docker-init")); });
        QCOMPARE(left.size(), 1);
        QVERIFY2(left.first().contains(QLatin1String("sleep 3600")), qPrintable(left.first()));
    }

    // A host key that does not match known_hosts: the engine is refused with a message that
    // says so, and the boxes still come from Coolify's API.
    void hostKeyMismatchIsRefused()
    {
        auto b = backend(m_sshd.wrongKnownHosts());
        const auto refreshed = await(b->refreshEngines(), 60000);
        QVERIFY(!refreshed);
        QVERIFY2(refreshed.error().message().contains(QLatin1String("ssh host key")) &&
                     refreshed.error().message().contains(m_sshd.wrongKnownHosts()) &&
                     refreshed.error().message().contains(QLatin1String("Host key verification")),
                 qPrintable(refreshed.error().message()));
        QCOMPARE(refreshed.error().kind(), Error::Kind::Unauthorized);
        const auto list = await(b->list(), 60000);
        QVERIFY_RESULT(list);
        const auto box = find(list.value(), m_uuid);
        QVERIFY(box);
        QCOMPARE(box->statusText, QStringLiteral("running:healthy"));
        QVERIFY(!box->labels.contains(CoolifyBackend::engineLabel()));
        QVERIFY(!b->engineTarget(m_uuid));
    }

    // Nothing answers on the server's ssh port: a clear error, Coolify's view stays.
    void unreachableEngine()
    {
        quint16 closed = 0;
        {
            QTcpServer s;
            QVERIFY(s.listen(QHostAddress::LocalHost, 0));
            closed = s.serverPort();
        }
        m_fake.control(QStringLiteral("server"),
                       {{QStringLiteral("uuid"), kServer}, {QStringLiteral("port"), int(closed)}});
        auto b = backend(m_sshd.knownHosts());
        const auto refreshed = await(b->refreshEngines(), 60000);
        m_fake.control(QStringLiteral("server"), {{QStringLiteral("uuid"), kServer},
                                                  {QStringLiteral("port"), int(m_sshd.port())}});
        QVERIFY(!refreshed);
        QVERIFY2(refreshed.error().message().contains(QLatin1String("unreachable over ssh")) &&
                     refreshed.error().message().contains(QLatin1String("Connection refused")),
                 qPrintable(refreshed.error().message()));
        const auto list = await(b->list(), 60000);
        QVERIFY_RESULT(list);
        QVERIFY(find(list.value(), m_uuid));
        QVERIFY(!b->engineTarget(m_uuid));
    }

    // Without the admin's consent the engine is never contacted.
    void withoutConsentApiOnly()
    {
        auto b = backend(m_sshd.knownHosts(), false);
        QVERIFY_RESULT(await(b->refreshEngines(), 30000));
        QVERIFY(b->engines().isEmpty());
        const auto list = await(b->list(), 30000);
        QVERIFY_RESULT(list);
        const auto box = find(list.value(), m_uuid);
        QVERIFY(box);
        QVERIFY(!box->detailed);
        QVERIFY(!box->labels.contains(CoolifyBackend::engineLabel()));
    }
};

QTEST_GUILESS_MAIN(tst_CoolifyEngine)
#include "tst_coolifyengine.moc"
