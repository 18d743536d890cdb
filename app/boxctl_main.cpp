#include "app/boxctl/cli.h"
#include "boxversion.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("boxctl"));
    QCoreApplication::setOrganizationName(QStringLiteral("box-console"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BOX_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);
    return bc::cli::dispatch(app.arguments().mid(1), out, err);
}
