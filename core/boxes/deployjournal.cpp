#include "core/boxes/deployjournal.h"

#include "core/docker/dockerjson.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

namespace bc::boxes {

namespace {

using docker::json::str;
using docker::json::strings;

nlohmann::json toJson(const QStringList &list)
{
    auto a = nlohmann::json::array();
    for (const QString &s : list)
        a.push_back(s.toStdString());
    return a;
}

DeployJournal::Entry parseFile(const QString &path)
{
    DeployJournal::Entry e;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return e;
    const auto j = nlohmann::json::parse(f.readAll().toStdString(), nullptr, false);
    if (!j.is_object())
        return e;
    e.deployId = str(j, "deployId");
    e.endpoint = str(j, "endpoint");
    e.box = str(j, "box");
    e.containers = strings(j, "containers");
    e.volumes = strings(j, "volumes");
    e.networks = strings(j, "networks");
    e.images = strings(j, "images");
    if (j.contains("kind"))
        e.kind = str(j, "kind");
    e.marker = str(j, "marker");
    e.previous = str(j, "previous");
    e.previousRunning = j.value("previousRunning", false);
    return e;
}
} // namespace

QString DeployJournal::defaultDirectory()
{
    const QString env = qEnvironmentVariable("BOX_CONSOLE_STATE_DIR");
    if (!env.isEmpty())
        return env + QStringLiteral("/deploy-journal");
    QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return base + QStringLiteral("/box-console/deploy-journal");
}

DeployJournal::DeployJournal(QString directory)
    : m_dir(directory.isEmpty() ? defaultDirectory() : std::move(directory))
{}

QString DeployJournal::fileFor(const QString &endpoint, const QString &box) const
{
    // Hashed: box names are safe file names, endpoints are not.
    const QByteArray key = QCryptographicHash::hash((endpoint + QLatin1Char('\n') + box).toUtf8(),
                                                    QCryptographicHash::Sha256)
                               .toHex()
                               .left(32);
    return m_dir + QLatin1Char('/') + QString::fromLatin1(key) + QStringLiteral(".json");
}

bool DeployJournal::write(const Entry &entry) const
{
    if (entry.isEmpty()) {
        remove(entry.endpoint, entry.box);
        return true;
    }
    if (!QDir().mkpath(m_dir))
        return false;
    nlohmann::json j = {
        {"deployId", entry.deployId.toStdString()}, {"endpoint", entry.endpoint.toStdString()},
        {"box", entry.box.toStdString()},           {"containers", toJson(entry.containers)},
        {"volumes", toJson(entry.volumes)},         {"networks", toJson(entry.networks)},
        {"images", toJson(entry.images)},           {"kind", entry.kind.toStdString()},
        {"marker", entry.marker.toStdString()},     {"previous", entry.previous.toStdString()},
        {"previousRunning", entry.previousRunning}};
    QSaveFile f(fileFor(entry.endpoint, entry.box));
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(QByteArray::fromStdString(j.dump(2)));
    return f.commit();
}

DeployJournal::Entry DeployJournal::read(const QString &endpoint, const QString &box) const
{
    Entry e = parseFile(fileFor(endpoint, box));
    if (e.endpoint != endpoint || e.box != box)
        return Entry{};
    return e;
}

void DeployJournal::remove(const QString &endpoint, const QString &box) const
{
    QFile::remove(fileFor(endpoint, box));
}

QList<DeployJournal::Entry> DeployJournal::all() const
{
    QList<Entry> out;
    const QDir dir(m_dir);
    for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files)) {
        Entry e = parseFile(dir.filePath(name));
        if (!e.box.isEmpty())
            out << e;
    }
    return out;
}

} // namespace bc::boxes
