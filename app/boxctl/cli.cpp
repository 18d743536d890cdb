#include "app/boxctl/cli.h"

namespace bc::cli {

QList<Command> &commands()
{
    static QList<Command> list;
    return list;
}

int fail(Context &ctx, const Error &error)
{
    ctx.err << "boxctl: " << error.toString() << Qt::endl;
    return error.kind() == Error::Kind::Invalid ? 2 : 1;
}

int usageError(Context &ctx, const QString &message)
{
    ctx.err << "boxctl: " << message << Qt::endl;
    return 2;
}

} // namespace bc::cli
