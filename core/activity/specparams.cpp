#include "core/activity/specparams.h"

#include "core/security/boxspec.h"

#include <QJsonArray>

namespace bc::activity {

QJsonObject specParams(const security::BoxSpec &spec)
{
    QJsonObject p;
    p.insert(QStringLiteral("specHash"), spec.hash());
    if (!spec.image.isEmpty())
        p.insert(QStringLiteral("image"), spec.image);
    if (!spec.skills.isEmpty())
        p.insert(QStringLiteral("skills"), QJsonArray::fromStringList(spec.skills));
    if (!spec.owner.isEmpty())
        p.insert(QStringLiteral("owner"), spec.owner);
    if (!spec.subdomain.isEmpty())
        p.insert(QStringLiteral("subdomain"), spec.subdomain);
    p.insert(QStringLiteral("cpus"), spec.cpus);
    p.insert(QStringLiteral("memoryBytes"), QJsonValue(spec.memoryBytes));
    p.insert(QStringLiteral("pids"), QJsonValue(spec.pids));
    p.insert(QStringLiteral("isolation"), spec.isolation == security::BoxSpec::Isolation::Routed
                                              ? QStringLiteral("routed")
                                              : QStringLiteral("isolated"));
    if (!spec.egress.isEmpty())
        p.insert(QStringLiteral("egress"), spec.egress);
    if (spec.keepDataOnDelete)
        p.insert(QStringLiteral("keepDataOnDelete"), true);
    if (!spec.env.isEmpty())
        p.insert(QStringLiteral("envKeys"), QJsonArray::fromStringList(spec.env.keys()));
    if (!spec.secrets.isEmpty()) {
        QStringList names = spec.secrets;
        names.sort();
        p.insert(QStringLiteral("secrets"), QJsonArray::fromStringList(names));
    }
    return p;
}

} // namespace bc::activity
