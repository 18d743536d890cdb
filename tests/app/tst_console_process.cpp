// ctest: labels=app;docker;gui timeout=300
// box-console as a user starts it: a process on an X server (Xvfb on a display of its
// own) against the real engine. It lists the engine's boxes (a box deployed by boxctl is
// found by typing its name into the filter, Enter to select it and Ctrl+Shift+C, which
// puts its exec command on the X clipboard, read back with xclip), and it ends with
// status 0 and no process left behind both when its window is closed (WM_DELETE_WINDOW,
// as a window manager's close button sends it) and on SIGTERM. A screenshot of the window
// is kept in the build directory (tests/console-process.png).
#include "support/boxctlrunner.h"
#include "support/dockerfixture.h"
#include "support/paths.h"
#include "support/testutil.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

using namespace bc::test;

namespace {

struct Output
{
    int code = -1;
    QByteArray out;
    QByteArray err;
};

Output runTool(const QString &program, const QStringList &args, const QProcessEnvironment &env,
               int timeoutMs = 30000)
{
    Output o;
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        return o;
    }
    o.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    o.out = p.readAllStandardOutput();
    o.err = p.readAllStandardError();
    return o;
}

// The processes whose parent is `pid`.
QList<qint64> childrenOf(qint64 pid)
{
    QList<qint64> out;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &e : entries) {
        bool ok = false;
        const qint64 child = e.toLongLong(&ok);
        if (!ok)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(child));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = stat.readAll();
        // pid (comm) state ppid …: comm may hold spaces, so count from the last ')'.
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields.at(1).toLongLong() == pid)
            out << child;
    }
    return out;
}

bool alive(qint64 pid)
{
    return QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid));
}

} // namespace

class tst_ConsoleProcess : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QProcess m_xvfb;
    QProcessEnvironment m_env;
    QString m_box;

    // Starts box-console and waits for its main window; returns the X window id.
    QString startConsole(QProcess &console)
    {
        console.setProcessEnvironment(m_env);
        console.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        console.start(QDir(binDir()).filePath(QStringLiteral("box-console")), {});
        if (!console.waitForStarted(10000))
            return {};
        const Output search =
            runTool(QStringLiteral("xdotool"),
                    {QStringLiteral("search"), QStringLiteral("--sync"), QStringLiteral("--pid"),
                     QString::number(console.processId()), QStringLiteral("--name"),
                     QStringLiteral("^Box Console$")},
                    m_env, 30000);
        return QString::fromUtf8(search.out.trimmed().split('\n').value(0));
    }

    void xdotool(const QStringList &args)
    {
        const Output o = runTool(QStringLiteral("xdotool"), args, m_env);
        QVERIFY2(o.code == 0, o.err.constData());
    }

    // Ends the console through `end` and checks that it and its children are gone.
    void checkEndsCleanly(QProcess &console, const std::function<void()> &end)
    {
        const QList<qint64> children = childrenOf(console.processId());
        end();
        QVERIFY2(console.waitForFinished(20000), "box-console did not end");
        QCOMPARE(console.exitStatus(), QProcess::NormalExit);
        QCOMPARE(console.exitCode(), 0);
        QTest::qWait(200);
        for (qint64 child : children)
            QVERIFY2(!alive(child),
                     qPrintable(QStringLiteral("child %1 outlived box-console").arg(child)));
    }

private slots:
    void initTestCase()
    {
        for (const char *tool : {"Xvfb", "xdotool", "xclip", "import"})
            QVERIFY2(!QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty(), tool);
        QVERIFY(dockerAvailable());
        // Xvfb picks a free display itself and prints its number.
        m_xvfb.start(QStringLiteral("Xvfb"),
                     {QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-screen"),
                      QStringLiteral("0"), QStringLiteral("1280x800x24"),
                      QStringLiteral("-nolisten"), QStringLiteral("tcp")});
        QVERIFY(m_xvfb.waitForStarted(10000));
        QDeadlineTimer up(20000);
        while (!m_xvfb.canReadLine() && !up.hasExpired())
            m_xvfb.waitForReadyRead(200);
        const QByteArray display = m_xvfb.readLine().trimmed();
        QVERIFY2(!display.isEmpty(), "Xvfb did not report a display");

        m_env = isolatedEnvironment(m_home.path());
        m_env.insert(QStringLiteral("DISPLAY"), QStringLiteral(":") + QString::fromLatin1(display));
        m_env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        m_env.insert(QStringLiteral("DEPLOY_MODE"), QStringLiteral("docker"));
        m_env.remove(QStringLiteral("WAYLAND_DISPLAY"));

        m_box = uniqueName(QStringLiteral("bcgui")).toLower();
        removeLabelled(QStringLiteral("box-console.box=") + m_box);
        const QString spec = m_home.filePath(QStringLiteral("spec.json"));
        const QByteArray specText =
            QStringLiteral(
                R"({"name":"%1","subdomain":"%1","owner":"gui@example.com",)"
                R"("image":"bctest/box:latest","memory":134217728,"healthcheck":)"
                R"({"test":["CMD-SHELL","printf 'GET /health HTTP/1.0\\r\\n\\r\\n' | nc -w 2 )"
                R"(127.0.0.1 9999 | head -n 1 | grep -q ' 200 '"],"interval":500,)"
                R"("timeout":2000,"retries":3}})")
                .arg(m_box)
                .toUtf8();
        writeFile(spec, specText);
        const BoxctlRun r = runBoxctl({QStringLiteral("--backend"), QStringLiteral("docker"),
                                       QStringLiteral("deploy"), QStringLiteral("--spec"), spec},
                                      m_env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    }

    void cleanupTestCase()
    {
        removeLabelled(QStringLiteral("box-console.box=") + m_box);
        m_xvfb.terminate();
        m_xvfb.waitForFinished(5000);
    }

    void listsTheEnginesBoxesAndClosesOnWindowClose()
    {
        QProcess console;
        const QString window = startConsole(console);
        QVERIFY2(!window.isEmpty(), "no \"Box Console\" window appeared");
        xdotool({QStringLiteral("windowfocus"), QStringLiteral("--sync"), window});
        // Filter by the box's name, Enter selects the first match, copy its exec command.
        QByteArray clip;
        QDeadlineTimer deadline(30000);
        while (!clip.contains(m_box.toUtf8()) && !deadline.hasExpired()) {
            xdotool({QStringLiteral("key"), QStringLiteral("--clearmodifiers"),
                     QStringLiteral("ctrl+f")});
            xdotool({QStringLiteral("key"), QStringLiteral("ctrl+a")});
            xdotool(
                {QStringLiteral("type"), QStringLiteral("--delay"), QStringLiteral("10"), m_box});
            xdotool({QStringLiteral("key"), QStringLiteral("Return")});
            xdotool({QStringLiteral("key"), QStringLiteral("ctrl+shift+c")});
            QTest::qWait(300);
            clip = runTool(QStringLiteral("xclip"),
                           {QStringLiteral("-o"), QStringLiteral("-selection"),
                            QStringLiteral("clipboard")},
                           m_env, 5000)
                       .out;
        }
        QVERIFY2(clip.contains(m_box.toUtf8()), clip.constData());
        QVERIFY2(clip.startsWith("docker"), clip.constData());

        const QString shot =
            QDir(binDir()).filePath(QStringLiteral("../tests/console-process.png"));
        const Output import =
            runTool(QStringLiteral("import"), {QStringLiteral("-window"), window, shot}, m_env);
        QVERIFY2(import.code == 0, import.err.constData());
        QVERIFY(QFileInfo(shot).size() > 10000);

        // WM_DELETE_WINDOW, as a window manager's close button sends it.
        const QString script = QStringLiteral(
            "import sys\nfrom Xlib import display, X, protocol\n"
            "d = display.Display()\nw = d.create_resource_object('window', int(sys.argv[1]))\n"
            "p = d.intern_atom('WM_PROTOCOLS')\ndel_ = d.intern_atom('WM_DELETE_WINDOW')\n"
            "ev = protocol.event.ClientMessage(window=w, client_type=p, "
            "data=(32, [del_, X.CurrentTime, 0, 0, 0]))\n"
            "w.send_event(ev, event_mask=X.NoEventMask)\nd.flush()\n");
        checkEndsCleanly(console, [&] {
            const Output o =
                // Debian's python3 (with python3-xlib), not another one first in PATH.
                runTool(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), script, window},
                        m_env);
            QVERIFY2(o.code == 0, o.err.constData());
        });
    }

    void endsOnSigterm()
    {
        QProcess console;
        const QString window = startConsole(console);
        QVERIFY2(!window.isEmpty(), "no \"Box Console\" window appeared");
        QTest::qWait(1000); // let it list and subscribe to events first
        checkEndsCleanly(console, [&] { ::kill(pid_t(console.processId()), SIGTERM); });
    }
};

QTEST_GUILESS_MAIN(tst_ConsoleProcess)
#include "tst_console_process.moc"
