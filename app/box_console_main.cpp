// box-console: the desktop console. Thin: settings -> backends -> monitor -> window.
#include "boxversion.h"

#include "core/boxes/backendfactory.h"
#include "core/boxes/boxmonitor.h"
#include "core/boxes/consolesettings.h"
#include "ui/languages.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QIcon>
#include <QLocale>
#include <QSet>
#include <QSocketNotifier>
#include <QStatusBar>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <memory>

#include <sys/socket.h>
#include <unistd.h>

namespace {

int g_signalPipe[2] = {-1, -1};

// A signal handler may only write to a pipe; the event loop reads it and closes the window
// the way the user does, so the layout is saved and the program ends with status 0.
extern "C" void onTerminate(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &byte, 1);
}

void closeOnTerminate(QWidget *window)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, window);
    QObject::connect(notifier, &QSocketNotifier::activated, window, [window, notifier] {
        char byte;
        [[maybe_unused]] const ssize_t n = ::read(g_signalPipe[0], &byte, 1);
        notifier->setEnabled(false);
        window->close();
        QCoreApplication::quit();
    });
    struct sigaction action = {};
    action.sa_handler = onTerminate;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGHUP, &action, nullptr);
}

void createBackends(bc::boxes::BoxMonitor &monitor,
                    const bc::boxes::BackendFactory::Overrides &overrides, QStringList *warnings)
{
    bc::boxes::ConsoleSettings settings;
    bc::boxes::BackendFactory factory(settings, overrides);
    for (bc::boxes::BoxBackend *old : monitor.backends()) {
        monitor.removeBackend(old);
        old->deleteLater();
    }
    for (bc::boxes::BoxBackend *backend : factory.createAll(&monitor, warnings))
        monitor.addBackend(backend);
    monitor.setStatsInterval(settings.statsIntervalMs());
    monitor.setResyncInterval(settings.resyncIntervalMs());
}

// BOX_CONSOLE_EXIT_AFTER_LIST=<ms> (a measured headless start, e.g. under
// QT_QPA_PLATFORM=offscreen): once every backend's first list has answered or failed,
// prints "listed N boxes from K backends in T ms (F failed)", then after <ms> more prints
// "rss R KiB" and quits.
void exitAfterFirstList(bc::boxes::BoxMonitor &monitor, const QElapsedTimer &sinceStart)
{
    bool ok = false;
    const int lingerMs = qEnvironmentVariableIntValue("BOX_CONSOLE_EXIT_AFTER_LIST", &ok);
    if (!ok)
        return;
    auto pending = std::make_shared<QSet<QString>>();
    for (bc::boxes::BoxBackend *b : monitor.backends())
        pending->insert(b->id());
    auto failed = std::make_shared<QStringList>();
    auto report = [&monitor, &sinceStart, pending, failed, lingerMs] {
        std::printf("listed %d boxes from %d backends in %lld ms (%d failed%s%s)\n",
                    int(monitor.boxes().size()), int(monitor.backends().size()),
                    sinceStart.elapsed(), int(failed->size()), failed->isEmpty() ? "" : ": ",
                    qPrintable(failed->join(QStringLiteral("; "))));
        std::fflush(stdout);
        QTimer::singleShot(lingerMs, qApp, [] {
            QFile status(QStringLiteral("/proc/self/status"));
            if (status.open(QIODevice::ReadOnly))
                for (const QByteArray &line : status.readAll().split('\n'))
                    if (line.startsWith("VmRSS:"))
                        std::printf("rss %lld KiB\n",
                                    line.mid(6).trimmed().split(' ').first().toLongLong());
            std::fflush(stdout);
            QCoreApplication::quit();
        });
    };
    if (pending->isEmpty()) {
        QTimer::singleShot(0, qApp, report);
        return;
    }
    QObject::connect(&monitor, &bc::boxes::BoxMonitor::backendListed, qApp,
                     [pending, failed, report](const QString &id, int, const QString &error) {
                         if (!pending->remove(id))
                             return;
                         if (!error.isEmpty())
                             failed->append(id + QStringLiteral(": ") + error);
                         if (pending->isEmpty())
                             report();
                     });
}

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("box-console"));
    QApplication::setOrganizationName(QStringLiteral("box-console"));
    QApplication::setApplicationVersion(QStringLiteral(BOX_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.boxconsole.BoxConsole"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/box-console.png")));

    // English unless the user's languages (LANGUAGE, LC_MESSAGES, LANG) name one the console
    // has a catalogue for; before the parser, so --help is translated too.
    bc::ui::Languages::install(QLocale::system());

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Desktop console for agent boxes on Docker engines and Coolify."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption backend(
        {QStringLiteral("b"), QStringLiteral("backend")},
        QCoreApplication::translate("main", "Where new boxes go: coolify, docker, docker-dev."),
        QCoreApplication::translate("main", "mode"));
    const QCommandLineOption host(
        {QStringLiteral("H"), QStringLiteral("host")},
        QCoreApplication::translate("main", "Docker engine URL (unix://, tcp://, ssh://)."),
        QCoreApplication::translate("main", "url"));
    const QCommandLineOption context(
        QStringLiteral("context"),
        QCoreApplication::translate("main", "Docker CLI context to use."),
        QCoreApplication::translate("main", "name"));
    const QCommandLineOption coolifyUrl(QStringLiteral("coolify-url"),
                                        QCoreApplication::translate("main", "Coolify base URL."),
                                        QCoreApplication::translate("main", "url"));
    parser.addOptions({backend, host, context, coolifyUrl});
    parser.process(app);

    bc::boxes::BackendFactory::Overrides overrides;
    overrides.backend = parser.value(backend);
    overrides.host = parser.value(host);
    overrides.context = parser.value(context);
    overrides.coolifyUrl = parser.value(coolifyUrl);

    bc::boxes::BoxMonitor monitor;
    QStringList warnings;
    createBackends(monitor, overrides, &warnings);
    exitAfterFirstList(monitor, sinceStart);
    monitor.start();

    bc::ui::MainWindow window(&monitor);
    QObject::connect(&window, &bc::ui::MainWindow::settingsChanged, &window,
                     [&monitor, &window, overrides] {
                         QStringList w;
                         createBackends(monitor, overrides, &w);
                         window.backendsChanged();
                         monitor.resyncNow();
                         if (!w.isEmpty())
                             window.statusBar()->showMessage(w.join(QStringLiteral("; ")), 10000);
                     });
    closeOnTerminate(&window);
    window.show();
    if (!warnings.isEmpty())
        window.statusBar()->showMessage(warnings.join(QStringLiteral("; ")), 10000);
    return app.exec();
}
