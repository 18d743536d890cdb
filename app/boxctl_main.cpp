#include "app/boxctl/cli.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("boxctl"));
    QCoreApplication::setOrganizationName(QStringLiteral("box-console"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    return bc::cli::dispatch(app.arguments().mid(1), out, err);
}
