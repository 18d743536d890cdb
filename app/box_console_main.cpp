#include "ui/mainwindow.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("box-console"));
    QApplication::setOrganizationName(QStringLiteral("box-console"));
    bc::ui::MainWindow window;
    window.show();
    return app.exec();
}
