#include "core/docker/endpointresolver.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcessEnvironment>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace bc::docker {

namespace {

using http::Endpoint;
using nlohmann::json;

const QString DefaultContext = QStringLiteral("default");
const QString DefaultUnixSocket = QStringLiteral("/var/run/docker.sock");

Error invalid(const QString &message)
{
    return Error(Error::Kind::Invalid, message);
}

QString envValue(const QMap<QString, QString> &env, const char *key)
{
    return env.value(QLatin1String(key));
}

QString configDirFrom(const QString &explicitDir, const QMap<QString, QString> &env)
{
    if (!explicitDir.isEmpty())
        return explicitDir;
    const QString fromEnv = envValue(env, "DOCKER_CONFIG");
    if (!fromEnv.isEmpty())
        return fromEnv;
    const QString home = envValue(env, "HOME");
    return (home.isEmpty() ? QDir::homePath() : home) + u"/.docker";
}

// A URL for messages: a password in it never reaches the user's screen or a log.
// Plain string work, no QRegularExpression: compiling one costs every boxctl start 0.3 ms.
QString redact(const QString &url)
{
    const qsizetype scheme = url.indexOf(u"://");
    if (scheme < 0)
        return url;
    const qsizetype start = scheme + 3;
    qsizetype end = start;
    while (end < url.size() && url.at(end) != u'/' && url.at(end) != u'@')
        ++end;
    if (end >= url.size() || url.at(end) != u'@')
        return url;
    const qsizetype colon = url.indexOf(u':', start);
    if (colon < 0 || colon > end)
        return url;
    return url.left(colon + 1) + u"***" + url.mid(end);
}

qsizetype indexOfAny(const QString &text, QStringView chars)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (chars.contains(text.at(i)))
            return i;
    }
    return -1;
}

Result<quint16> parsePort(const QString &text, const QString &url)
{
    bool ok = false;
    const uint port = text.toUInt(&ok);
    if (!ok || port == 0 || port > 65535)
        return invalid(QStringLiteral("invalid port \"%1\" in Docker host %2").arg(text, url));
    return quint16(port);
}

// Splits "host:port" / "[v6]:port" / "host" (Go's net.SplitHostPort plus the CLI's retry
// with the default port).
QString shownChar(QChar c)
{
    const char16_t u = c.unicode();
    return c.isPrint() && u < 0x80 ? QStringLiteral("'%1'").arg(c)
                                   : QStringLiteral("U+%1").arg(int(u), 4, 16, QLatin1Char('0'));
}

bool isAsciiAlnum(char16_t u)
{
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9');
}

// Host names and IP addresses only: what reaches QTcpSocket or ssh's command line must not
// carry brackets, spaces, control characters or other surprises (Go's SplitHostPort refuses
// a stray '[' too). An IPv6 literal (bracketed) may have ':' and a %zone.
Result<void> checkHost(const QString &host, bool bracketed, const QString &url)
{
    for (const QChar c : host) {
        const char16_t u = c.unicode();
        const bool ok = isAsciiAlnum(u) || u == u'.' || u == u'-' || u == u'_' ||
                        (bracketed && (u == u':' || u == u'%'));
        if (!ok) {
            return invalid(QStringLiteral("invalid character %1 in the host name of Docker host %2")
                               .arg(shownChar(c), url));
        }
    }
    return {};
}

// The ssh user goes to ssh's command line (and into %r of the user's ssh_config), the
// socket path into the command the remote login shell runs: `docker --host=unix://PATH
// system dial-stdio`. Plain names and paths only, so that no shell's quoting rules matter
// (the transport quotes them as well).
Result<void> checkSshUser(const QString &user, const QString &url)
{
    for (const QChar c : user) {
        const char16_t u = c.unicode();
        if (!isAsciiAlnum(u) && u != u'.' && u != u'_' && u != u'-' && u != u'@') {
            return invalid(QStringLiteral("invalid character %1 in the user name of Docker host "
                                          "%2: use a-z, A-Z, 0-9, '.', '_', '-', '@'")
                               .arg(shownChar(c), url));
        }
    }
    if (user.startsWith(QLatin1Char('-')))
        return invalid(QStringLiteral("the user name of Docker host %1 starts with '-'").arg(url));
    return {};
}

Result<void> checkSshSocketPath(const QString &path, const QString &url)
{
    for (const QChar c : path) {
        const char16_t u = c.unicode();
        if (!isAsciiAlnum(u) && u != u'.' && u != u'_' && u != u'-' && u != u'/') {
            return invalid(QStringLiteral("invalid character %1 in the socket path of Docker host "
                                          "%2: use an absolute path of a-z, A-Z, 0-9, '.', '_', "
                                          "'-' and '/'")
                               .arg(shownChar(c), url));
        }
    }
    return {};
}

Result<std::pair<QString, QString>> splitHostPort(const QString &authority, const QString &url)
{
    if (authority.startsWith(QLatin1Char('['))) {
        const qsizetype close = authority.indexOf(QLatin1Char(']'));
        if (close < 0)
            return invalid(QStringLiteral("missing ']' in Docker host %1").arg(url));
        const QString host = authority.mid(1, close - 1);
        if (auto ok = checkHost(host, true, url); !ok)
            return ok.error();
        // Brackets are for IPv6 literals only (with an optional %zone).
        const qsizetype percent = host.indexOf(QLatin1Char('%'));
        const QString address = percent < 0 ? host : host.left(percent);
        const QString zone = percent < 0 ? QString() : host.mid(percent + 1);
        if (QHostAddress(address).protocol() != QAbstractSocket::IPv6Protocol ||
            (percent >= 0 && (zone.isEmpty() || zone.contains(QLatin1Char('%')) ||
                              zone.contains(QLatin1Char(':'))))) {
            return invalid(
                QStringLiteral("\"%1\" in Docker host %2 is not an IPv6 address").arg(host, url));
        }
        const QString rest = authority.mid(close + 1);
        if (rest.isEmpty())
            return std::pair{host, QString()};
        if (!rest.startsWith(QLatin1Char(':')))
            return invalid(QStringLiteral("invalid Docker host %1").arg(url));
        return std::pair{host, rest.mid(1)};
    }
    const qsizetype colons = authority.count(QLatin1Char(':'));
    if (colons > 1) {
        return invalid(QStringLiteral("invalid Docker host %1: put IPv6 addresses in brackets, "
                                      "e.g. tcp://[::1]:2375")
                           .arg(url));
    }
    const qsizetype colon = colons == 0 ? authority.size() : authority.indexOf(QLatin1Char(':'));
    const QString host = authority.left(colon);
    if (auto ok = checkHost(host, false, url); !ok)
        return ok.error();
    return std::pair{host, colons == 0 ? QString() : authority.mid(colon + 1)};
}

// A TLS key box-console can hand to QSslKey: unencrypted PEM (PKCS#1 RSA, SEC1 EC or
// PKCS#8). Encrypted keys would need a passphrase prompt the CLI does not offer either.
Result<void> checkKeyFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return invalid(QStringLiteral("cannot read TLS key %1: %2").arg(path, f.errorString()));
    const QByteArray pem = f.read(1 << 20);
    if (pem.contains("ENCRYPTED")) {
        return invalid(QStringLiteral("the TLS key %1 is encrypted; box-console cannot use "
                                      "encrypted keys: decrypt it with "
                                      "`openssl pkey -in key.pem -out key-plain.pem`")
                           .arg(path));
    }
    if (!pem.contains("-----BEGIN") || !pem.contains("PRIVATE KEY-----"))
        return invalid(QStringLiteral("no valid private key found in %1").arg(path));
    return {};
}

struct ConfigFile
{
    QString currentContext;
    QString warning;
};

ConfigFile readConfig(const QString &dir)
{
    ConfigFile c;
    QFile f(dir + u"/config.json");
    if (!f.exists())
        return c;
    if (!f.open(QIODevice::ReadOnly)) {
        c.warning = QStringLiteral("WARNING: Error loading config file: %1: %2")
                        .arg(f.fileName(), f.errorString());
        return c;
    }
    const json doc = json::parse(f.readAll().toStdString(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        c.warning = QStringLiteral("WARNING: Error loading config file: %1: invalid JSON")
                        .arg(f.fileName());
        return c;
    }
    const auto it = doc.find("currentContext");
    if (it != doc.end() && it->is_string())
        c.currentContext = QString::fromStdString(it->get<std::string>());
    return c;
}

struct ContextMeta
{
    QString name;
    QString description;
    QString host;
    bool skipTlsVerify = false;
    bool hasDockerEndpoint = false;
};

Result<ContextMeta> readMeta(const QString &metaFile)
{
    QFile f(metaFile);
    if (!f.open(QIODevice::ReadOnly))
        return invalid(QStringLiteral("cannot read %1: %2").arg(metaFile, f.errorString()));
    const json doc = json::parse(f.readAll().toStdString(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return invalid(QStringLiteral("%1 is not valid JSON").arg(metaFile));
    ContextMeta m;
    auto str = [](const json &o, const char *key) {
        if (!o.is_object())
            return QString();
        const auto it = o.find(key);
        return it != o.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                                : QString();
    };
    m.name = str(doc, "Name");
    const auto meta = doc.find("Metadata");
    if (meta != doc.end())
        m.description = str(*meta, "Description");
    const auto endpoints = doc.find("Endpoints");
    if (endpoints != doc.end() && endpoints->is_object()) {
        const auto docker = endpoints->find("docker");
        if (docker != endpoints->end() && docker->is_object()) {
            m.hasDockerEndpoint = true;
            m.host = str(*docker, "Host");
            const auto skip = docker->find("SkipTLSVerify");
            m.skipTlsVerify = skip != docker->end() && skip->is_boolean() && skip->get<bool>();
        }
    }
    return m;
}

// Which context the CLI would use, and why.
struct ContextChoice
{
    QString name;
    QString origin; // "--context", "--host", "DOCKER_HOST", "DOCKER_CONTEXT", "config", ""
};

ContextChoice chooseContext(const ResolveInputs &in, const ConfigFile &config)
{
    if (!in.contextFlag.isEmpty())
        return {in.contextFlag, QStringLiteral("--context")};
    if (!in.hostFlag.isEmpty())
        return {DefaultContext, QStringLiteral("--host")};
    if (!envValue(in.env, "DOCKER_HOST").isEmpty())
        return {DefaultContext, QStringLiteral("DOCKER_HOST")};
    const QString fromEnv = envValue(in.env, "DOCKER_CONTEXT");
    if (!fromEnv.isEmpty())
        return {fromEnv, QStringLiteral("DOCKER_CONTEXT")};
    if (!config.currentContext.isEmpty())
        return {config.currentContext, QStringLiteral("config")};
    return {DefaultContext, QString()};
}

} // namespace

ResolveInputs ResolveInputs::fromProcess(const QString &hostFlag, const QString &contextFlag)
{
    ResolveInputs in;
    in.hostFlag = hostFlag;
    in.contextFlag = contextFlag;
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QStringList keys = env.keys();
    for (const QString &k : keys)
        in.env.insert(k, env.value(k));
    return in;
}

QString EndpointResolver::configDir(const ResolveInputs &in)
{
    return configDirFrom(in.dockerConfigDir, in.env);
}

QString EndpointResolver::contextHash(const QString &name)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256).toHex());
}

Result<Endpoint> EndpointResolver::parseHost(const QString &hostUrl,
                                             const QMap<QString, QString> &env)
{
    const bool tlsVerify = !envValue(env, "DOCKER_TLS_VERIFY").isEmpty();
    const bool tls = tlsVerify || !envValue(env, "DOCKER_TLS").isEmpty();

    QString raw = hostUrl.trimmed();
    if (raw.isEmpty())
        raw = tls ? QStringLiteral("tcp://localhost:2376") : u"unix://" + DefaultUnixSocket;
    const QString url = redact(raw);

    const qsizetype sep = raw.indexOf(u"://");
    const QString scheme = sep < 0 ? QStringLiteral("tcp") : raw.left(sep);
    const QString rest = sep < 0 ? raw : raw.mid(sep + 3);

    Endpoint ep;
    if (scheme == u"unix") {
        if (rest.contains(u"://"))
            return invalid(QStringLiteral("invalid proto, expected unix: %1").arg(url));
        ep.transport = Endpoint::Transport::Unix;
        ep.socketPath = rest.isEmpty() ? DefaultUnixSocket : rest;
        return ep;
    }
    if (scheme == u"tcp") {
        if (rest.contains(u"://"))
            return invalid(QStringLiteral("invalid proto, expected tcp: %1").arg(url));
        QString authority = rest;
        QString path;
        // url.Parse: the authority ends at '/', '?' or '#'; query and fragment are dropped.
        const qsizetype end = indexOfAny(authority, u"/?#");
        if (end >= 0) {
            QString tail = authority.mid(end);
            authority.truncate(end);
            const qsizetype qf = indexOfAny(tail, u"?#");
            path = qf >= 0 ? tail.left(qf) : tail;
        }
        const qsizetype at = authority.lastIndexOf(QLatin1Char('@'));
        if (at >= 0)
            authority = authority.mid(at + 1);
        auto hp = splitHostPort(authority, url);
        if (!hp)
            return hp.error();
        ep.transport = Endpoint::Transport::Tcp;
        // Default port 2375 even with TLS: that is what the CLI does for an explicit host.
        ep.host = hp->first.isEmpty() ? QStringLiteral("localhost") : hp->first;
        auto port = parsePort(hp->second.isEmpty() ? QStringLiteral("2375") : hp->second, url);
        if (!port)
            return port.error();
        ep.port = *port;
        while (path.endsWith(QLatin1Char('/')))
            path.chop(1);
        ep.basePath = path;
        if (tls) {
            ep.tls = true;
            ep.tlsVerify = tlsVerify;
            QString certDir = envValue(env, "DOCKER_CERT_PATH");
            if (certDir.isEmpty())
                certDir = configDirFrom({}, env);
            // Missing default files are dropped silently, as the CLI does.
            auto pick = [&](const char *file) {
                const QString p = certDir + u'/' + QLatin1String(file);
                return QFileInfo::exists(p) ? p : QString();
            };
            ep.caFile = pick("ca.pem");
            ep.certFile = pick("cert.pem");
            ep.keyFile = pick("key.pem");
            if (ep.certFile.isEmpty() || ep.keyFile.isEmpty()) {
                ep.certFile.clear();
                ep.keyFile.clear();
            }
            if (!ep.keyFile.isEmpty()) {
                if (auto r = checkKeyFile(ep.keyFile); !r)
                    return r.error();
            }
        }
        return ep;
    }
    if (scheme == u"ssh") {
        // ssh://[user@]host[:port][/socket-path], as connhelper/ssh.ParseURL accepts it.
        QString authority = rest;
        QString path;
        const qsizetype fragment = authority.indexOf(QLatin1Char('#'));
        if (fragment >= 0) {
            return invalid(QStringLiteral("extra fragment after the host in %1").arg(url));
        }
        const qsizetype query = authority.indexOf(QLatin1Char('?'));
        if (query >= 0) {
            return invalid(QStringLiteral("extra query after the host in %1").arg(url));
        }
        const qsizetype slash = authority.indexOf(QLatin1Char('/'));
        if (slash >= 0) {
            path = authority.mid(slash);
            authority.truncate(slash);
        }
        ep.transport = Endpoint::Transport::Ssh;
        const qsizetype at = authority.lastIndexOf(QLatin1Char('@'));
        if (at >= 0) {
            const QString user = authority.left(at);
            if (user.contains(QLatin1Char(':')))
                return invalid(QStringLiteral("plain-text password is not supported in %1; "
                                              "use an ssh key or agent")
                                   .arg(url));
            if (auto ok = checkSshUser(user, url); !ok)
                return ok.error();
            ep.sshUser = user;
            authority = authority.mid(at + 1);
        }
        auto hp = splitHostPort(authority, url);
        if (!hp)
            return hp.error();
        if (hp->first.isEmpty())
            return invalid(QStringLiteral("no host specified in %1").arg(url));
        ep.sshHost = hp->first;
        if (!hp->second.isEmpty()) {
            auto port = parsePort(hp->second, url);
            if (!port)
                return port.error();
            ep.sshPort = *port;
        }
        if (auto ok = checkSshSocketPath(path, url); !ok)
            return ok.error();
        // Only slashes: the remote docker's default socket, as the CLI reads it.
        if (path.count(QLatin1Char('/')) == path.size())
            path.clear();
        ep.sshRemoteSocket = path;
        return ep;
    }
    if (scheme == u"fd") {
        return invalid(QStringLiteral("%1: fd:// is the daemon's socket activation, not an "
                                      "address a client can connect to; use unix:// or tcp://")
                           .arg(url));
    }
    if (scheme == u"npipe") {
        return invalid(QStringLiteral("%1: named pipes exist only on Windows; use unix:// "
                                      "or tcp://")
                           .arg(url));
    }
    return invalid(QStringLiteral("invalid Docker host %1: use unix://, tcp://, ssh:// or "
                                  "host:port")
                       .arg(url));
}

QString EndpointResolver::scheme(const QString &hostUrl)
{
    const QString raw = hostUrl.trimmed();
    const qsizetype sep = raw.indexOf(u"://");
    return sep < 0 ? QString() : raw.left(sep);
}

bool EndpointResolver::hasPassword(const QString &hostUrl)
{
    return redact(hostUrl.trimmed()) != hostUrl.trimmed();
}

Result<ResolvedEndpoint> EndpointResolver::resolve(const ResolveInputs &in)
{
    if (!in.contextFlag.isEmpty() && !in.hostFlag.isEmpty()) {
        return invalid(
            QStringLiteral("conflicting options: either specify --host or --context, not both"));
    }
    const QString dir = configDir(in);
    const ConfigFile config = readConfig(dir);
    const ContextChoice choice = chooseContext(in, config);

    ResolvedEndpoint out;
    if (!config.warning.isEmpty())
        out.warnings.append(config.warning);
    out.contextName = choice.name;

    if (choice.name == DefaultContext) {
        QString host;
        if (choice.origin == u"--host") {
            host = in.hostFlag;
            out.source = QStringLiteral("--host");
        } else if (choice.origin == u"DOCKER_HOST") {
            host = envValue(in.env, "DOCKER_HOST");
            out.source = QStringLiteral("DOCKER_HOST");
            const QString active = !envValue(in.env, "DOCKER_CONTEXT").isEmpty()
                                       ? envValue(in.env, "DOCKER_CONTEXT")
                                       : config.currentContext;
            if (!active.isEmpty() && active != DefaultContext) {
                out.warnings.append(QStringLiteral(
                    "DOCKER_HOST environment variable overrides the active context. To use a "
                    "context, either set the global --context flag, or unset DOCKER_HOST "
                    "environment variable."));
            }
        } else {
            // The default context *is* "whatever DOCKER_HOST says" for the CLI, also when it
            // is picked by name (--context default, DOCKER_CONTEXT=default).
            host = envValue(in.env, "DOCKER_HOST");
            out.source = host.isEmpty() ? QStringLiteral("default") : QStringLiteral("DOCKER_HOST");
        }
        QMap<QString, QString> env = in.env;
        if (!in.dockerConfigDir.isEmpty())
            env.insert(QStringLiteral("DOCKER_CONFIG"), in.dockerConfigDir);
        auto ep = parseHost(host, env);
        if (!ep)
            return ep.error().withContext(QStringLiteral("Docker host from %1").arg(out.source));
        out.endpoint = ep.value();
        if (out.endpoint.transport == Endpoint::Transport::Tcp && out.endpoint.tls &&
            !out.endpoint.tlsVerify) {
            out.warnings.append(QStringLiteral("TLS certificate verification is off for %1 "
                                               "(DOCKER_TLS set without DOCKER_TLS_VERIFY)")
                                    .arg(out.endpoint.host));
        }
        return out;
    }

    const QString hash = contextHash(choice.name);
    const QString metaFile = dir + u"/contexts/meta/" + hash + u"/meta.json";
    if (!QFileInfo::exists(metaFile)) {
        QString why;
        if (choice.origin == u"DOCKER_CONTEXT")
            why = QStringLiteral(" (from the DOCKER_CONTEXT environment variable)");
        else if (choice.origin == u"config")
            why = QStringLiteral(" (currentContext in %1/config.json)").arg(dir);
        return invalid(QStringLiteral("context \"%1\"%2 does not exist in %3/contexts; run "
                                      "`docker context ls` to see the contexts")
                           .arg(choice.name, why, dir));
    }
    auto meta = readMeta(metaFile);
    if (!meta)
        return meta.error().withContext(QStringLiteral("context \"%1\"").arg(choice.name));
    if (!meta->hasDockerEndpoint || meta->host.isEmpty()) {
        return invalid(QStringLiteral("context \"%1\" has no Docker endpoint").arg(choice.name));
    }
    // The context's own TLS settings apply, not the DOCKER_TLS* variables.
    auto ep = parseHost(meta->host, {});
    if (!ep)
        return ep.error().withContext(QStringLiteral("context \"%1\"").arg(choice.name));
    out.endpoint = ep.value();
    out.endpoint.contextName = choice.name;
    out.source = u"context " + choice.name;
    if (out.endpoint.transport == Endpoint::Transport::Tcp) {
        const QString tlsDir = dir + u"/contexts/tls/" + hash + u"/docker/";
        auto pick = [&](const char *file) {
            const QString p = tlsDir + QLatin1String(file);
            return QFileInfo::exists(p) ? p : QString();
        };
        const QString ca = pick("ca.pem");
        const QString cert = pick("cert.pem");
        const QString key = pick("key.pem");
        if (!ca.isEmpty() || !cert.isEmpty() || !key.isEmpty() || meta->skipTlsVerify) {
            out.endpoint.tls = true;
            out.endpoint.tlsVerify = !meta->skipTlsVerify;
            out.endpoint.caFile = ca;
            if (!cert.isEmpty() && !key.isEmpty()) {
                if (auto r = checkKeyFile(key); !r)
                    return r.error().withContext(QStringLiteral("context \"%1\"").arg(choice.name));
                out.endpoint.certFile = cert;
                out.endpoint.keyFile = key;
            } else if (!cert.isEmpty() || !key.isEmpty()) {
                out.warnings.append(QStringLiteral("context \"%1\" has only one of cert.pem "
                                                   "and key.pem; no client certificate is used")
                                        .arg(choice.name));
            }
            if (meta->skipTlsVerify) {
                out.warnings.append(
                    QStringLiteral("context \"%1\" skips TLS certificate verification")
                        .arg(choice.name));
            }
        }
    }
    return out;
}

Result<QList<ContextInfo>> EndpointResolver::listContexts(const ResolveInputs &in)
{
    const QString dir = configDir(in);
    const ConfigFile config = readConfig(dir);
    const ContextChoice choice = chooseContext(in, config);

    QList<ContextInfo> list;
    ContextInfo def;
    def.name = DefaultContext;
    def.description = QStringLiteral("Current DOCKER_HOST based configuration");
    def.host = !in.hostFlag.isEmpty() ? in.hostFlag : envValue(in.env, "DOCKER_HOST");
    if (def.host.isEmpty()) {
        QMap<QString, QString> env = in.env;
        if (!in.dockerConfigDir.isEmpty())
            env.insert(QStringLiteral("DOCKER_CONFIG"), in.dockerConfigDir);
        auto ep = parseHost({}, env);
        def.host = ep && ep->transport == http::Endpoint::Transport::Tcp
                       ? QStringLiteral("tcp://localhost:2376")
                       : u"unix://" + DefaultUnixSocket;
    }
    def.current = choice.name == DefaultContext;
    list.append(def);

    QList<ContextInfo> broken;
    const QDir metaRoot(dir + u"/contexts/meta");
    const QStringList hashes = metaRoot.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &h : hashes) {
        const QString file = metaRoot.filePath(h + u"/meta.json");
        if (!QFileInfo::exists(file))
            continue;
        auto meta = readMeta(file);
        if (!meta) {
            ContextInfo c;
            c.error = meta.error().message();
            broken.append(c);
            continue;
        }
        if (meta->name.isEmpty() || meta->name == DefaultContext)
            continue;
        ContextInfo c;
        c.name = meta->name;
        c.description = meta->description;
        c.host = meta->host;
        c.current = choice.name == c.name;
        list.append(c);
    }
    std::sort(list.begin(), list.end(),
              [](const ContextInfo &a, const ContextInfo &b) { return a.name < b.name; });
    list.append(broken);
    return list;
}

} // namespace bc::docker
