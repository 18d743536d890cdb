// box-console: the desktop console. Thin: settings -> backends -> monitor -> window.
#include "core/boxes/backendfactory.h"
#include "core/boxes/boxmonitor.h"
#include "core/boxes/consolesettings.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QStatusBar>
#include <QTimer>

namespace {

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
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QApplication::setDesktopFileName(QStringLiteral("box-console"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/box-console.png")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Desktop console for agent boxes on Docker "
                                                    "engines and Coolify."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption backend({QStringLiteral("b"), QStringLiteral("backend")},
                                     QStringLiteral("Where new boxes go: coolify, docker, docker-dev."),
                                     QStringLiteral("mode"));
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
    window.show();
    if (!warnings.isEmpty())
        window.statusBar()->showMessage(warnings.join(QStringLiteral("; ")), 10000);
    return app.exec();
}
