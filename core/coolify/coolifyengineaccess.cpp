#include "core/coolify/coolifyengineaccess.h"

#include <QSettings>

namespace bc::coolify {

namespace {
const QString kGroup = QStringLiteral("coolify/engines");
} // namespace

QList<CoolifyEngineAccess> CoolifyEngineAccess::load(QSettings &settings)
{
    QList<CoolifyEngineAccess> out;
    settings.beginGroup(kGroup);
    for (const QString &uuid : settings.childGroups()) {
        settings.beginGroup(uuid);
        CoolifyEngineAccess a;
        a.serverUuid = uuid;
        a.enabled = settings.value(QStringLiteral("enabled"), false).toBool();
        a.identityFile = settings.value(QStringLiteral("identityFile")).toString().trimmed();
        a.knownHostsFile = settings.value(QStringLiteral("knownHostsFile")).toString().trimmed();
        a.remoteSocket = settings.value(QStringLiteral("remoteSocket")).toString().trimmed();
        settings.endGroup();
        out << a;
    }
    settings.endGroup();
    return out;
}

void CoolifyEngineAccess::save(QSettings &settings, const QList<CoolifyEngineAccess> &engines)
{
    settings.remove(kGroup);
    settings.beginGroup(kGroup);
    for (const CoolifyEngineAccess &a : engines) {
        if (a.serverUuid.trimmed().isEmpty())
            continue;
        settings.beginGroup(a.serverUuid.trimmed());
        settings.setValue(QStringLiteral("enabled"), a.enabled);
        const auto keep = [&settings](const QString &key, const QString &value) {
            if (!value.trimmed().isEmpty())
                settings.setValue(key, value.trimmed());
        };
        keep(QStringLiteral("identityFile"), a.identityFile);
        keep(QStringLiteral("knownHostsFile"), a.knownHostsFile);
        keep(QStringLiteral("remoteSocket"), a.remoteSocket);
        settings.endGroup();
    }
    settings.endGroup();
}

} // namespace bc::coolify
