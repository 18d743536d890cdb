// Keystroke-to-echo latency through the console's terminal (TerminalWidget on an
// ExecSession with a TTY, keys sent as QTest key events) against `docker exec -it` driven
// through a pty by python3's pty module, side by side on one box stand-in. Both sides wait
// blocked for the echo (no busy polling that would take a core from the engine). Ours is
// stamped twice: when the echo is parsed into libvterm's screen and when the widget has
// painted it; the pty side stops when the echo's bytes are read, before any terminal
// would parse or paint them, so the painted ratio is the stricter one. Prints median and
// p95 of each and the ratios.
//
// bench_exec [N]   N keystrokes each (default 300)

#include "core/docker/dockerclient.h"
#include "core/docker/execsession.h"
#include "support/dockerfixture.h"
#include "ui/terminal/terminalwidget.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QPaintEvent>
#include <QProcess>
#include <QTemporaryFile>
#include <QTest>

#include <algorithm>
#include <cstdio>

using namespace bc;

namespace {

bool waitUntil(const std::function<bool()> &done, int timeoutMs = 20000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 1);
    return done();
}

// The terminal as the bench sees it: stamps the end of each paint, when the echo is on the
// widget's backing store.
class StampedTerminal : public ui::TerminalWidget
{
public:
    std::function<void(const QRect &)> painted;

protected:
    void paintEvent(QPaintEvent *e) override
    {
        ui::TerminalWidget::paintEvent(e);
        if (painted)
            painted(e->rect());
    }
};

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

// The pty side: `docker exec -it BOX sh`, one byte written per keystroke, timed until the
// echo is read back from the pty master. Prints one latency (ms) per line.
const char *PtyDriver = R"PY(
import os, pty, select, sys, time
box, n = sys.argv[1], int(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp('docker', ['docker', 'exec', '-it', '-u', '1000:1000', '-e', 'PS1=$ ', box, 'sh'])
def drain(timeout):
    end = time.monotonic() + timeout
    while True:
        r, _, _ = select.select([fd], [], [], max(0, end - time.monotonic()))
        if not r: return
        os.read(fd, 65536)
drain(1.5)
out = []
for i in range(n):
    if i and i % 50 == 0:
        os.write(fd, b'\x15'); drain(0.05)
    t0 = time.monotonic()
    os.write(fd, b'a')
    got = b''
    while b'a' not in got:
        select.select([fd], [], [], 5)
        got += os.read(fd, 4096)
    out.append((time.monotonic() - t0) * 1000)
    time.sleep(0.005)
os.write(fd, b'\x15exit\r')
try:
    os.waitpid(pid, 0)
except Exception:
    pass
print('\n'.join('%.4f' % x for x in out))
)PY";

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int n = argc > 1 ? std::max(10, atoi(argv[1])) : 300;
    if (!test::dockerAvailable()) {
        std::fprintf(stderr, "bench_exec: no Docker engine\n");
        return 1;
    }
    test::LabelledCleanup cleanup(QStringLiteral("box-console.bench=exec"));
    const QString box = test::uniqueName(QStringLiteral("bench-exec"));
    int code = -1;
    QString err;
    test::runDocker({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), box,
                     QStringLiteral("--label"), test::testLabel(), QStringLiteral("--label"),
                     QStringLiteral("box-console.bench=exec"), QStringLiteral("--read-only"),
                     QStringLiteral("--network"), QStringLiteral("none"), test::boxTestImage()},
                    &code, &err);
    if (code != 0) {
        std::fprintf(stderr, "bench_exec: %s\n", qPrintable(err));
        return 1;
    }

    // Ours.
    docker::DockerClient client{http::Endpoint{}};
    StampedTerminal terminal;
    terminal.resize(800, 480);
    terminal.show();
    docker::ExecOptions o;
    o.cmd = {QStringLiteral("sh")};
    o.user = QStringLiteral("1000:1000");
    o.tty = true;
    o.attachStdin = true;
    o.env = {QStringLiteral("PS1=$ ")};
    auto *session = new docker::ExecSession(&client, box, o);
    // When the echo's bytes arrive, before the terminal parses and paints them.
    qint64 arrivedNs = -1;
    QElapsedTimer clock;
    QObject::connect(session, &docker::ExecSession::stdoutReceived, &app, [&] {
        if (arrivedNs < 0 && clock.isValid())
            arrivedNs = clock.nsecsElapsed();
    });
    terminal.attach(session);
    auto *emu = terminal.emulator();
    // After the terminal's own handler: the echo is parsed into the screen by now.
    int before = 0;
    qint64 parsedNs = -1;
    qint64 writtenNs = -1;
    QObject::connect(session, &docker::ExecSession::stdoutReceived, &app, [&] {
        if (parsedNs < 0 && clock.isValid() && emu->lineText(emu->cursorRow()).size() > before)
            parsedNs = clock.nsecsElapsed();
    });
    QObject::connect(emu, &ui::TerminalEmulator::sendData, &app, [&] {
        if (writtenNs < 0 && clock.isValid())
            writtenNs = clock.nsecsElapsed();
    });
    waitUntil([&] { return emu->lineText(emu->cursorRow()).startsWith(QLatin1Char('$')); });
    test::spinEventLoop(500);
    std::vector<double> ours, arrival, written, paint, painted;
    qint64 paintedNs = -1;
    terminal.painted = [&](const QRect &r) {
        if (paintedNs < 0 && parsedNs >= 0)
            paintedNs = clock.nsecsElapsed();
        (void)r;
    };
    for (int i = 0; i < n; ++i) {
        if (i && i % 50 == 0) {
            QTest::keyClick(&terminal, Qt::Key_U, Qt::ControlModifier);
            waitUntil([&] { return emu->lineText(emu->cursorRow()) == QLatin1String("$"); });
        }
        before = int(emu->lineText(emu->cursorRow()).size());
        arrivedNs = parsedNs = writtenNs = paintedNs = -1;
        clock.start();
        QTest::keyClick(&terminal, Qt::Key_A, Qt::NoModifier);
        QDeadlineTimer deadline(5000);
        while (paintedNs < 0 && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
        if (parsedNs < 0) {
            std::fprintf(stderr, "bench_exec: no echo from the terminal\n");
            return 1;
        }
        ours.push_back(double(parsedNs) / 1e6);
        painted.push_back(double(paintedNs) / 1e6);
        arrival.push_back(double(arrivedNs) / 1e6);
        written.push_back(double(writtenNs) / 1e6);
        QElapsedTimer p;
        p.start();
        terminal.repaint();
        paint.push_back(double(p.nsecsElapsed()) / 1e6);
        QTest::qWait(5);
    }
    terminal.terminate();

    // docker exec -it through a pty.
    QTemporaryFile script;
    script.open();
    script.write(PtyDriver);
    script.flush();
    QProcess py;
    py.start(QStringLiteral("python3"), {script.fileName(), box, QString::number(n)});
    py.waitForFinished(600000);
    std::vector<double> theirs;
    for (const QByteArray &line : py.readAllStandardOutput().split('\n'))
        if (!line.trimmed().isEmpty())
            theirs.push_back(line.toDouble());
    if (int(theirs.size()) != n) {
        std::fprintf(stderr, "bench_exec: pty driver failed: %s\n",
                     py.readAllStandardError().constData());
        return 1;
    }
    auto ms = [](const std::vector<double> &v) {
        return QStringLiteral("median %1 ms, p95 %2 ms")
            .arg(percentile(v, 0.5), 0, 'f', 2)
            .arg(percentile(v, 0.95), 0, 'f', 2)
            .toStdString();
    };
    const double tm = percentile(theirs, 0.5), t95 = percentile(theirs, 0.95);
    std::printf("keystroke-to-echo latency, %d keystrokes each, measured side by side\n", n);
    std::printf("  box-console terminal, key event -> echo painted:       %s\n",
                ms(painted).c_str());
    std::printf("    key event -> echo parsed into libvterm's screen:     %s\n", ms(ours).c_str());
    std::printf("    key event -> keystroke written to the exec socket:   %s\n",
                ms(written).c_str());
    std::printf("    key event -> echo bytes read from the exec socket:   %s\n",
                ms(arrival).c_str());
    std::printf("    one full-widget repaint (%dx%d cells), for scale:     %s\n",
                terminal.emulator()->cols(), terminal.emulator()->rows(), ms(paint).c_str());
    std::printf("  docker exec -it via pty, write -> echo bytes read:     %s\n",
                ms(theirs).c_str());
    std::printf("  ratio painted/pty:  median %.2fx, p95 %.2fx   (target <= 1.2x)\n",
                percentile(painted, 0.5) / tm, percentile(painted, 0.95) / t95);
    std::printf("  ratio parsed/pty:   median %.2fx, p95 %.2fx\n", percentile(ours, 0.5) / tm,
                percentile(ours, 0.95) / t95);
    return 0;
}
