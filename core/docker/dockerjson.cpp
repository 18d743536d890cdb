#include "core/docker/dockerjson.h"

#include <limits>
#include <string>
#include <vector>

namespace bc::docker::json {

namespace {

const nlohmann::json *field(const nlohmann::json &j, const char *key)
{
    if (!j.is_object())
        return nullptr;
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return nullptr;
    return &*it;
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QDateTime dateTime(const nlohmann::json &j, const char *key)
{
    const QString text = str(j, key);
    if (text.isEmpty() || text.startsWith(QLatin1String("0001-01-01")))
        return {};
    return QDateTime::fromString(text, Qt::ISODateWithMs);
}

QStringList stringOrList(const nlohmann::json &j, const char *key)
{
    const nlohmann::json *f = field(j, key);
    if (!f)
        return {};
    if (f->is_string())
        return {qs(f->get<std::string>())};
    return strings(j, key);
}

} // namespace

QString str(const nlohmann::json &j, const char *key)
{
    const nlohmann::json *f = field(j, key);
    return f && f->is_string() ? qs(f->get<std::string>()) : QString();
}

qint64 integer(const nlohmann::json &j, const char *key)
{
    const nlohmann::json *f = field(j, key);
    if (!f)
        return 0;
    if (f->is_number_unsigned()) {
        const auto v = f->get<quint64>();
        return v > quint64(std::numeric_limits<qint64>::max()) ? std::numeric_limits<qint64>::max()
                                                               : qint64(v);
    }
    if (f->is_number_integer())
        return f->get<qint64>();
    if (f->is_number_float())
        return qint64(f->get<double>());
    return 0;
}

bool boolean(const nlohmann::json &j, const char *key)
{
    const nlohmann::json *f = field(j, key);
    return f && f->is_boolean() && f->get<bool>();
}

QStringList strings(const nlohmann::json &j, const char *key)
{
    QStringList out;
    const nlohmann::json *f = field(j, key);
    if (!f || !f->is_array())
        return out;
    for (const auto &v : *f)
        if (v.is_string())
            out << qs(v.get<std::string>());
    return out;
}

QMap<QString, QString> stringMap(const nlohmann::json &j, const char *key)
{
    QMap<QString, QString> out;
    const nlohmann::json *f = field(j, key);
    if (!f || !f->is_object())
        return out;
    for (auto it = f->begin(); it != f->end(); ++it)
        out.insert(qs(it.key()), it->is_string() ? qs(it->get<std::string>()) : qs(it->dump()));
    return out;
}

nlohmann::json toJson(const QMap<QString, QString> &map)
{
    nlohmann::json j = nlohmann::json::object();
    for (auto it = map.begin(); it != map.end(); ++it)
        j[it.key().toStdString()] = it.value().toStdString();
    return j;
}

ContainerSummary containerSummary(const nlohmann::json &j)
{
    ContainerSummary c;
    c.id = str(j, "Id");
    for (QString n : strings(j, "Names")) {
        if (n.startsWith(QLatin1Char('/')))
            n.remove(0, 1);
        c.names << n;
    }
    c.image = str(j, "Image");
    c.imageId = str(j, "ImageID");
    c.command = str(j, "Command");
    c.created = integer(j, "Created");
    c.state = str(j, "State");
    c.status = str(j, "Status");
    c.labels = stringMap(j, "Labels");
    if (const nlohmann::json *ports = field(j, "Ports"); ports && ports->is_array()) {
        for (const auto &p : *ports) {
            PortBinding b;
            b.ip = str(p, "IP");
            b.privatePort = int(integer(p, "PrivatePort"));
            b.publicPort = int(integer(p, "PublicPort"));
            b.type = str(p, "Type");
            c.ports << b;
        }
    }
    if (const nlohmann::json *ns = field(j, "NetworkSettings")) {
        if (const nlohmann::json *nets = field(*ns, "Networks"); nets && nets->is_object())
            for (auto it = nets->begin(); it != nets->end(); ++it)
                c.networks << qs(it.key());
    }
    return c;
}

namespace {

// SAX handler for the container list. Each open object or array pushes what it is; values
// inside anything not read (HostConfig, Mounts, a network's settings) fall into Skip.
class ContainerListSax
{
public:
    using json = nlohmann::json;
    enum class At { Skip, Root, Container, Names, Labels, Ports, Port, NetSettings, Networks };

    QList<ContainerSummary> out;
    bool rootNotArray = false;
    bool sawArray = false;

    // A label that is not a string (never from an engine) keeps its JSON text, as
    // stringMap does.
    bool null() { return element() && label("null"); }
    bool boolean(bool v) { return element() && label(v ? "true" : "false"); }
    bool number_integer(json::number_integer_t v) { return label(std::to_string(v)) && number(v); }
    bool number_unsigned(json::number_unsigned_t v)
    {
        return label(std::to_string(v)) && number(v > quint64(std::numeric_limits<qint64>::max())
                                                      ? std::numeric_limits<qint64>::max()
                                                      : qint64(v));
    }
    bool number_float(json::number_float_t v, const json::string_t &)
    {
        return label(json(v).dump()) && number(qint64(v));
    }
    bool binary(json::binary_t &) { return element(); }

    bool string(json::string_t &v)
    {
        if (m_stack.empty())
            return true;
        switch (m_stack.back()) {
        case At::Root:
        case At::Ports:
            element();
            break;
        case At::Container: {
            ContainerSummary &c = out.last();
            if (m_key == "Id")
                c.id = QString::fromStdString(v);
            else if (m_key == "Image")
                c.image = QString::fromStdString(v);
            else if (m_key == "ImageID")
                c.imageId = QString::fromStdString(v);
            else if (m_key == "Command")
                c.command = QString::fromStdString(v);
            else if (m_key == "State")
                c.state = QString::fromStdString(v);
            else if (m_key == "Status")
                c.status = QString::fromStdString(v);
            break;
        }
        case At::Names: {
            QString n = QString::fromStdString(v);
            if (n.startsWith(QLatin1Char('/')))
                n.remove(0, 1);
            out.last().names << n;
            break;
        }
        case At::Labels: {
            // The engine writes a Go map: keys arrive sorted, so each goes in at the end.
            QMap<QString, QString> &l = out.last().labels;
            l.insert(l.cend(), QString::fromStdString(m_key), QString::fromStdString(v));
            break;
        }
        case At::Port:
            if (m_key == "IP")
                out.last().ports.last().ip = QString::fromStdString(v);
            else if (m_key == "Type")
                out.last().ports.last().type = QString::fromStdString(v);
            break;
        default:
            break;
        }
        return true;
    }

    bool key(json::string_t &k)
    {
        if (!m_stack.empty() && m_stack.back() == At::Networks)
            out.last().networks << QString::fromStdString(k);
        m_key.swap(k);
        return true;
    }

    bool start_object(std::size_t)
    {
        At next = At::Skip;
        if (m_stack.empty()) {
            rootNotArray = true;
            return false;
        }
        switch (m_stack.back()) {
        case At::Root:
            out.append(ContainerSummary());
            next = At::Container;
            break;
        case At::Container:
            if (m_key == "Labels")
                next = At::Labels;
            else if (m_key == "NetworkSettings")
                next = At::NetSettings;
            break;
        case At::Ports:
            out.last().ports.append(PortBinding());
            next = At::Port;
            break;
        case At::NetSettings:
            if (m_key == "Networks")
                next = At::Networks;
            break;
        default:
            break;
        }
        m_stack.push_back(next);
        return true;
    }

    bool start_array(std::size_t)
    {
        At next = At::Skip;
        if (m_stack.empty()) {
            next = At::Root;
            sawArray = true;
        } else if (m_stack.back() == At::Root || m_stack.back() == At::Ports) {
            element();
        } else if (m_stack.back() == At::Container && m_key == "Names")
            next = At::Names;
        else if (m_stack.back() == At::Container && m_key == "Ports")
            next = At::Ports;
        m_stack.push_back(next);
        return true;
    }

    bool end_object()
    {
        m_stack.pop_back();
        return true;
    }
    bool end_array()
    {
        m_stack.pop_back();
        return true;
    }

    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &)
    {
        return false;
    }

private:
    bool label(const std::string &text)
    {
        if (!m_stack.empty() && m_stack.back() == At::Labels) {
            QMap<QString, QString> &l = out.last().labels;
            l.insert(l.cend(), QString::fromStdString(m_key), QString::fromStdString(text));
        }
        return true;
    }

    // A value that is not an object where records are listed (containers, ports) still
    // counts as one, with nothing known.
    bool element()
    {
        if (!m_stack.empty() && m_stack.back() == At::Root)
            out.append(ContainerSummary());
        else if (!m_stack.empty() && m_stack.back() == At::Ports)
            out.last().ports.append(PortBinding());
        return true;
    }

    bool number(qint64 v)
    {
        if (m_stack.empty())
            return true;
        if (m_stack.back() == At::Root || m_stack.back() == At::Ports)
            return element();
        if (m_stack.back() == At::Container && m_key == "Created")
            out.last().created = v;
        else if (m_stack.back() == At::Port && m_key == "PrivatePort")
            out.last().ports.last().privatePort = int(v);
        else if (m_stack.back() == At::Port && m_key == "PublicPort")
            out.last().ports.last().publicPort = int(v);
        return true;
    }

    std::vector<At> m_stack;
    std::string m_key;
};

} // namespace

Result<QList<ContainerSummary>> containerList(const QByteArray &body)
{
    ContainerListSax sax;
    // A container is about 1 KB of JSON: reserving avoids regrowing the list of records.
    sax.out.reserve(body.size() / 1024 + 1);
    const bool ok = nlohmann::json::sax_parse(body.constBegin(), body.constEnd(), &sax);
    if (sax.rootNotArray || (ok && !sax.sawArray))
        return Error(Error::Kind::Protocol, QStringLiteral("expected a JSON array"));
    if (!ok)
        return Error(Error::Kind::Protocol,
                     QStringLiteral("malformed JSON from the daemon (%1 bytes)").arg(body.size()));
    return std::move(sax.out);
}

ContainerInspect containerInspect(const nlohmann::json &j)
{
    ContainerInspect c;
    c.id = str(j, "Id");
    c.name = str(j, "Name");
    if (c.name.startsWith(QLatin1Char('/')))
        c.name.remove(0, 1);
    c.image = str(j, "Image");
    c.restartCount = int(integer(j, "RestartCount"));
    static const nlohmann::json empty = nlohmann::json::object();
    const nlohmann::json *state = field(j, "State");
    const nlohmann::json &s = state ? *state : empty;
    c.state = str(s, "Status");
    c.running = boolean(s, "Running");
    c.oomKilled = boolean(s, "OOMKilled");
    c.exitCode = int(integer(s, "ExitCode"));
    c.error = str(s, "Error");
    c.startedAt = dateTime(s, "StartedAt");
    c.finishedAt = dateTime(s, "FinishedAt");
    if (const nlohmann::json *health = field(s, "Health")) {
        c.health = str(*health, "Status");
        c.failingStreak = int(integer(*health, "FailingStreak"));
        if (const nlohmann::json *log = field(*health, "Log"); log && log->is_array()) {
            for (const auto &e : *log) {
                HealthLogEntry entry;
                entry.start = dateTime(e, "Start");
                entry.end = dateTime(e, "End");
                entry.exitCode = int(integer(e, "ExitCode"));
                entry.output = str(e, "Output");
                c.healthLog << entry;
            }
        }
    }
    if (const nlohmann::json *config = field(j, "Config")) {
        c.configImage = str(*config, "Image");
        c.tty = boolean(*config, "Tty");
        c.labels = stringMap(*config, "Labels");
    }
    if (const nlohmann::json *host = field(j, "HostConfig")) {
        c.memoryLimit = integer(*host, "Memory");
        c.nanoCpus = integer(*host, "NanoCpus");
        c.pidsLimit = integer(*host, "PidsLimit");
    }
    c.raw = j;
    return c;
}

ImageSummary imageSummary(const nlohmann::json &j)
{
    ImageSummary i;
    i.id = str(j, "Id");
    i.repoTags = strings(j, "RepoTags");
    i.created = integer(j, "Created");
    i.size = integer(j, "Size");
    i.labels = stringMap(j, "Labels");
    return i;
}

ImageInspect imageInspect(const nlohmann::json &j)
{
    ImageInspect i;
    i.id = str(j, "Id");
    i.repoTags = strings(j, "RepoTags");
    i.created = str(j, "Created");
    i.size = integer(j, "Size");
    if (const nlohmann::json *config = field(j, "Config")) {
        i.user = str(*config, "User");
        i.entrypoint = stringOrList(*config, "Entrypoint");
        i.cmd = stringOrList(*config, "Cmd");
        i.labels = stringMap(*config, "Labels");
        if (const nlohmann::json *hc = field(*config, "Healthcheck"))
            i.healthcheck = *hc;
    }
    i.raw = j;
    return i;
}

VolumeInfo volume(const nlohmann::json &j)
{
    VolumeInfo v;
    v.name = str(j, "Name");
    v.driver = str(j, "Driver");
    v.mountpoint = str(j, "Mountpoint");
    v.labels = stringMap(j, "Labels");
    v.createdAt = str(j, "CreatedAt");
    return v;
}

NetworkInfo network(const nlohmann::json &j)
{
    NetworkInfo n;
    n.id = str(j, "Id");
    n.name = str(j, "Name");
    n.driver = str(j, "Driver");
    n.internal = boolean(j, "Internal");
    n.attachable = boolean(j, "Attachable");
    n.labels = stringMap(j, "Labels");
    if (const nlohmann::json *cs = field(j, "Containers"); cs && cs->is_object())
        for (auto it = cs->begin(); it != cs->end(); ++it)
            n.containerIds << qs(it.key());
    n.raw = j;
    return n;
}

Event event(const nlohmann::json &j)
{
    Event e;
    e.type = str(j, "Type");
    e.action = str(j, "Action");
    if (e.action.isEmpty())
        e.action = str(j, "status"); // before API 1.22
    if (const nlohmann::json *actor = field(j, "Actor")) {
        e.actorId = str(*actor, "ID");
        e.attributes = stringMap(*actor, "Attributes");
    }
    if (e.actorId.isEmpty())
        e.actorId = str(j, "id");
    e.timeNano = integer(j, "timeNano");
    if (e.timeNano == 0)
        e.timeNano = integer(j, "time") * 1000000000LL;
    e.scope = str(j, "scope");
    return e;
}

VersionInfo version(const nlohmann::json &j)
{
    VersionInfo v;
    v.version = str(j, "Version");
    v.apiVersion = str(j, "ApiVersion");
    v.minApiVersion = str(j, "MinAPIVersion");
    v.os = str(j, "Os");
    v.arch = str(j, "Arch");
    v.kernelVersion = str(j, "KernelVersion");
    return v;
}

SystemInfo systemInfo(const nlohmann::json &j)
{
    SystemInfo s;
    s.name = str(j, "Name");
    s.serverVersion = str(j, "ServerVersion");
    s.containers = int(integer(j, "Containers"));
    s.containersRunning = int(integer(j, "ContainersRunning"));
    s.images = int(integer(j, "Images"));
    s.ncpu = int(integer(j, "NCPU"));
    s.memTotal = integer(j, "MemTotal");
    s.cgroupVersion = str(j, "CgroupVersion");
    s.operatingSystem = str(j, "OperatingSystem");
    s.securityOptions = strings(j, "SecurityOptions");
    return s;
}

BuildProgress buildProgress(const nlohmann::json &j)
{
    BuildProgress p;
    p.stream = str(j, "stream");
    p.status = str(j, "status");
    p.id = str(j, "id");
    if (const nlohmann::json *d = field(j, "progressDetail")) {
        p.current = integer(*d, "current");
        p.total = integer(*d, "total");
    }
    return p;
}

Result<nlohmann::json> parse(const QByteArray &body)
{
    nlohmann::json j = nlohmann::json::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (j.is_discarded())
        return Error(Error::Kind::Protocol,
                     QStringLiteral("malformed JSON from the daemon (%1 bytes)").arg(body.size()));
    return j;
}

} // namespace bc::docker::json
