#include "core/boxes/deployjournal.h"

#include "core/util/jsonlenient.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

namespace bc::boxes {

namespace {

using util::json::array;
using util::json::string;

// The journal's own lists: an entry that is not a name (a hand-edited file) is dropped
// rather than cleaned up as "".
QStringList names(const nlohmann::json &j, const char *key)
{
    QStringList out = util::json::strings(j, key);
    out.removeAll(QString());
    return out;
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
    e.deployId = string(j, "deployId");
    e.endpoint = string(j, "endpoint");
    e.box = string(j, "box");
    e.containers = names(j, "containers");
    e.volumes = names(j, "volumes");
    e.networks = names(j, "networks");
    e.images = names(j, "images");
    if (j.contains("kind"))
        e.kind = string(j, "kind");
    e.marker = string(j, "marker");
    e.previous = string(j, "previous");
    e.previousRunning = util::json::isTrue(j, "previousRunning");
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
    nlohmann::json j = {{"deployId", entry.deployId.toStdString()},
                        {"endpoint", entry.endpoint.toStdString()},
                        {"box", entry.box.toStdString()},
                        {"containers", array(entry.containers)},
                        {"volumes", array(entry.volumes)},
                        {"networks", array(entry.networks)},
                        {"images", array(entry.images)},
                        {"kind", entry.kind.toStdString()},
                        {"marker", entry.marker.toStdString()},
                        {"previous", entry.previous.toStdString()},
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
