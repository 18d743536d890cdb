// box-console: the desktop console. Thin: settings -> backends -> monitor -> window.
#include "boxversion.h"

#include "core/boxes/backendfactory.h"
#include "core/boxes/boxmonitor.h"
#include "core/boxes/consolesettings.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QSocketNotifier>
#include <QStatusBar>
#include <QTimer>

#include <csignal>

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

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("box-console"));
    QApplication::setOrganizationName(QStringLiteral("box-console"));
    QApplication::setApplicationVersion(QStringLiteral(BOX_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.boxconsole.BoxConsole"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/box-console.png")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Desktop console for agent boxes on Docker "
                                                    "engines and Coolify."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption backend(
        {QStringLiteral("b"), QStringLiteral("backend")},
        QStringLiteral("Where new boxes go: coolify, docker, docker-dev."), QStringLiteral("mode"));
    const QCommandLineOption host({QStringLiteral("H"), QStringLiteral("host")},
                                  QStringLiteral("Docker engine URL (unix://, tcp://, ssh://)."),
                                  QStringLiteral("url"));
    const QCommandLineOption context(QStringLiteral("context"),
                                     QStringLiteral("Docker CLI context to use."),
                                     QStringLiteral("name"));
    const QCommandLineOption coolifyUrl(QStringLiteral("coolify-url"),
                                        QStringLiteral("Coolify base URL."), QStringLiteral("url"));
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
