#include "core/security/egresslayout.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::Literals::StringLiterals;

namespace bc::security {

QString EgressLayout::boxSocketDir(const QString &root, const QString &box)
{
    QString base = root;
    while (base.size() > 1 && base.endsWith(u'/'))
        base.chop(1);
    return base + u'/' + box;
}

QString EgressLayout::boxSocketPath(const QString &root, const QString &box,
                                    const QString &upstream)
{
    return boxSocketDir(root, box) + u'/' + upstream + u".sock"_s;
}

EgressLayout::RootProblem EgressLayout::checkRoot(const QString &root)
{
    if (!QDir::isAbsolutePath(root))
        return RootProblem::NotAbsolute;
    const QFileInfo dir(root);
    if (!dir.exists())
        return RootProblem::Missing;
    if (!dir.isDir())
        return RootProblem::NotDirectory;
    return RootProblem::None;
}

} // namespace bc::security
