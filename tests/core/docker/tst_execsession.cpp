// ctest: labels=docker timeout=300
// ExecSession against the real engine: streams kept apart without a TTY, one raw stream
// with one, stdin and its end, resize seen by `stty size` in the box, exit codes (the
// command's, 126, 127), a stopped container, and that ending a session leaves no process
// of it running in the box (checked with `docker top`).

#include "core/docker/dockerclient.h"
#include "core/docker/execsession.h"
#include "core/docker/exectarget.h"
#include "support/dockerendpoint.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"

#include <QDeadlineTimer>
#include <QScopeGuard>
#include <QTest>

#include <functional>
#include <optional>

using namespace bc;
using namespace bc::docker;
using bc::test::await;

#define CHECK_CODE(r, expected)                                                                    \
    do {                                                                                           \
        QVERIFY2((r).result->ok(), qPrintable(describe(*(r).result)));                             \
        QCOMPARE((r).result->value(), expected);                                                   \
    } while (false)

using bc::test::defaultEndpoint;
using bc::test::waitUntil;

namespace {

QString describe(const bc::Result<int> &r)
{
    return r.ok() ? QString::number(r.value()) : r.error().toString();
}

struct Run
{
    std::optional<Result<int>> result;
    QByteArray out;
    QByteArray err;
};

} // namespace

class tst_ExecSession : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::LabelledCleanup> m_cleanup;
    std::unique_ptr<DockerClient> m_client;
    QString m_box;
    QString m_stopped;

    Run run(ExecOptions o, const QByteArray &input = {}, bool closeInput = true,
            const QString &container = {})
    {
        Run r;
        ExecSession s(m_client.get(), container.isEmpty() ? m_box : container, o);
        connect(&s, &ExecSession::stdoutReceived, this, [&](const QByteArray &d) { r.out += d; });
        connect(&s, &ExecSession::stderrReceived, this, [&](const QByteArray &d) { r.err += d; });
        connect(&s, &ExecSession::finished, this, [&](const Result<int> &x) { r.result = x; });
        s.start();
        if (!input.isEmpty())
            s.write(input);
        if (closeInput && o.attachStdin)
            s.closeStdin();
        waitUntil([&] { return r.result.has_value(); }, 30000);
        if (!r.result)
            r.result = Error(Error::Kind::Timeout, QStringLiteral("no result"));
        return r;
    }

    // Processes in the box other than its own (box-agent, httpd): what an exec left behind.
    QStringList strayProcesses()
    {
        const QString top = test::runDocker(
            {QStringLiteral("top"), m_box, QStringLiteral("-o"), QStringLiteral("pid,args")});
        QStringList stray;
        for (const QString &line : top.split(QLatin1Char('\n')).mid(1)) {
            if (line.contains(QLatin1String("box-agent")) || line.contains(QLatin1String("httpd")))
                continue;
            if (!line.trimmed().isEmpty())
                stray << line.trimmed();
        }
        return stray;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(test::dockerAvailable());
        m_cleanup = std::make_unique<test::LabelledCleanup>();
        m_box = test::uniqueName(QStringLiteral("exec"));
        int code = -1;
        QString err;
        test::runDocker({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"),
                         m_box, QStringLiteral("--label"), test::testLabel(),
                         QStringLiteral("--label"), QStringLiteral("box-console.box=") + m_box,
                         QStringLiteral("--read-only"), QStringLiteral("--network"),
                         // The image's health check runs processes of its own every few
                         // seconds; they would count as strays left by an exec.
                         QStringLiteral("none"), QStringLiteral("--no-healthcheck"),
                         test::boxTestImage()},
                        &code, &err);
        QVERIFY2(code == 0, qPrintable(err));
        m_stopped = test::uniqueName(QStringLiteral("exec-stopped"));
        test::runDocker({QStringLiteral("create"), QStringLiteral("--name"), m_stopped,
                         QStringLiteral("--label"), test::testLabel(), test::testImage(),
                         QStringLiteral("sh")},
                        &code, &err);
        QVERIFY2(code == 0, qPrintable(err));
        m_client = std::make_unique<DockerClient>(defaultEndpoint());
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_cleanup.reset();
    }

    void separatesStdoutAndStderr()
    {
        ExecOptions o;
        o.cmd = {QStringLiteral("sh"), QStringLiteral("-c"),
                 QStringLiteral("echo to-out; echo to-err >&2; exit 3")};
        const Run r = run(o);
        CHECK_CODE(r, 3);
        QCOMPARE(r.out, QByteArray("to-out\n"));
        QCOMPARE(r.err, QByteArray("to-err\n"));
    }

    void runsAsTheBoxUserByDefault()
    {
        const auto target = await(resolveExecTarget(m_client.get(), m_box));
        QVERIFY(target.ok());
        QCOMPARE(target->boxUser, QStringLiteral("1000:1000"));
        QVERIFY(!target->rootAllowed);
        const auto user = execpolicy::chooseUser(*target, {});
        QCOMPARE(user.value(), QStringLiteral("1000:1000"));
        const auto root = execpolicy::chooseUser(*target, QStringLiteral("0:0"));
        QVERIFY(!root.ok());
        QCOMPARE(root.error().kind(), Error::Kind::Unauthorized);
        ExecOptions o;
        o.cmd = {QStringLiteral("id"), QStringLiteral("-u")};
        o.user = user.value();
        const Run r = run(o);
        QCOMPARE(r.out, QByteArray("1000\n"));
    }

    void stdinAndItsEnd()
    {
        ExecOptions o;
        o.cmd = {QStringLiteral("cat")};
        o.attachStdin = true;
        const Run r = run(o, QByteArray("line one\nline two\n"));
        CHECK_CODE(r, 0);
        QCOMPARE(r.out, QByteArray("line one\nline two\n"));
    }

    void exitCodes()
    {
        ExecOptions o;
        o.cmd = {QStringLiteral("no-such-command")};
        Run r = run(o);
        CHECK_CODE(r, 127);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains("not found"), r.err.constData());
        o.cmd = {QStringLiteral("/etc")};
        r = run(o);
        CHECK_CODE(r, 126);
        o.cmd = {QStringLiteral("true")};
        o.user = QStringLiteral("no-such-user");
        r = run(o);
        CHECK_CODE(r, 126);
        QVERIFY2(r.err.contains("no-such-user"), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    void withoutShellTheCommandRunsAsIs()
    {
        ExecOptions o;
        o.cmd = {QStringLiteral("echo"), QStringLiteral("plain")};
        o.endOnClose = false;
        const Run r = run(o);
        CHECK_CODE(r, 0);
        QCOMPARE(r.out, QByteArray("plain\n"));
    }

    void stoppedContainerIsAnError()
    {
        ExecOptions o;
        o.cmd = {QStringLiteral("true")};
        const Run r = run(o, {}, true, m_stopped);
        QVERIFY(r.result && !r.result->ok());
        QCOMPARE(r.result->error().kind(), Error::Kind::Conflict);
        QVERIFY(r.result->error().message().contains(QLatin1String("not running")));
    }

    void ttyResizeAndHangUp()
    {
        ExecOptions o;
        o.cmd = {QStringLiteral("sh")};
        o.tty = true;
        o.attachStdin = true;
        o.cols = 91;
        o.rows = 27;
        QByteArray out;
        std::optional<Result<int>> result;
        auto *s = new ExecSession(m_client.get(), m_box, o, this);
        connect(s, &ExecSession::stdoutReceived, this, [&](const QByteArray &d) { out += d; });
        connect(s, &ExecSession::finished, this, [&](const Result<int> &x) { result = x; });
        auto guard = qScopeGuard([s] { s->terminate(); });
        s->start();
        // Typed at once, before the shell runs: the session holds it until the terminal has
        // its size (Docker 20.10 ignores ConsoleSize; once, under load, `stty size` here ran
        // before the resize and failed).
        s->write("stty size\n");
        QVERIFY2(waitUntil([&] { return out.contains("27 91"); }), out.constData());
        QVERIFY(!out.contains("\x1b]7770;")); // the pid marker never reaches the terminal
        QVERIFY(s->boxPid() > 1);
        s->resize(120, 40);
        QTest::qWait(300);
        s->write("stty size\n");
        QVERIFY2(waitUntil([&] { return out.contains("40 120"); }), out.constData());
        s->write("sleep 100\n");
        QVERIFY(waitUntil([&] {
            return strayProcesses().join(QLatin1Char(' ')).contains(QLatin1String("sleep 100"));
        }));
        auto ended = s->terminate();
        QVERIFY(result && !result->ok());
        QCOMPARE(result->error().kind(), Error::Kind::Cancelled);
        QVERIFY(await(ended).ok());
        QVERIFY2(waitUntil([&] { return strayProcesses().isEmpty(); }, 15000),
                 qPrintable(strayProcesses().join(QLatin1Char('\n'))));
        guard.dismiss();
        delete s;
    }

    void closingWithoutTtyEndsTheProcess()
    {
        ExecOptions o;
        o.cmd = {QStringLiteral("sleep"), QStringLiteral("100")};
        std::optional<Result<int>> result;
        auto *s = new ExecSession(m_client.get(), m_box, o, this);
        connect(s, &ExecSession::finished, this, [&](const Result<int> &x) { result = x; });
        auto guard = qScopeGuard([s] { s->terminate(); });
        s->start();
        QVERIFY(waitUntil([&] { return s->boxPid() > 1; }));
        QVERIFY(waitUntil([&] { return !strayProcesses().isEmpty(); }));
        QVERIFY(await(s->terminate()).ok());
        guard.dismiss();
        delete s; // destroying after terminate is fine
        QVERIFY2(waitUntil([&] { return strayProcesses().isEmpty(); }, 15000),
                 qPrintable(strayProcesses().join(QLatin1Char('\n'))));
    }

    void ttyExitCode()
    {
        ExecOptions o;
        o.cmd = {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("printf hi; exit 7")};
        o.tty = true;
        const Run r = run(o);
        CHECK_CODE(r, 7);
        QCOMPARE(r.out, QByteArray("hi"));
    }
};

QTEST_GUILESS_MAIN(tst_ExecSession)
#include "tst_execsession.moc"
