#pragma once

#include "core/http/endpoint.h"
#include "core/result.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace bc::docker {

// Everything endpoint resolution reads, so tests (and callers with their own notion of
// the environment) need not touch the process environment or ~/.docker.
struct ResolveInputs
{
    QString hostFlag;    // --host / -H
    QString contextFlag; // --context
    QMap<QString, QString> env;
    QString dockerConfigDir; // empty = $DOCKER_CONFIG or ~/.docker

    static ResolveInputs fromProcess(const QString &hostFlag = {}, const QString &contextFlag = {});
};

struct ResolvedEndpoint
{
    http::Endpoint endpoint;
    QString contextName;  // "default" unless a named context was used
    QString source;       // "--host", "DOCKER_HOST", "context foo", "default"
    QStringList warnings; // for stderr / the status bar, as the CLI prints them
};

struct ContextInfo
{
    QString name;
    QString description;
    QString host;
    bool current = false;
    // Set when the context's meta.json cannot be read or parsed; name is then empty when
    // the file gives none. One broken context must not hide the others.
    QString error;
};

// Picks the Docker endpoint exactly as the docker CLI does (cli/command/cli.go, opts/hosts.go,
// context/docker/load.go): --context, then --host / DOCKER_HOST (which select the "default"
// context and so beat DOCKER_CONTEXT), then DOCKER_CONTEXT, then currentContext in
// config.json; TLS from DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH for the default
// context and from the context's TLS store otherwise. Reads a few small files: call it off
// the GUI thread or at start-up.
class EndpointResolver
{
public:
    static Result<ResolvedEndpoint> resolve(const ResolveInputs &in);

    // One host URL (DOCKER_HOST syntax) to an endpoint; env supplies the TLS variables
    // (DOCKER_TLS_VERIFY, DOCKER_TLS, DOCKER_CERT_PATH, DOCKER_CONFIG, HOME).
    static Result<http::Endpoint> parseHost(const QString &hostUrl,
                                            const QMap<QString, QString> &env = {});
    // The scheme of a host URL ("unix", "tcp", "ssh", ...); empty for host:port, which
    // parseHost() takes as tcp.
    static QString scheme(const QString &hostUrl);
    // A password in the URL's authority (scheme://user:password@host): parseHost() drops it
    // for tcp, but whoever stores the URL would keep it in clear.
    static bool hasPassword(const QString &hostUrl);

    // The "default" context plus every context in the store, sorted by name; contexts whose
    // metadata is broken follow, with ContextInfo::error set.
    static Result<QList<ContextInfo>> listContexts(const ResolveInputs &in);

    static QString configDir(const ResolveInputs &in);
    // contexts/meta/<sha256hex(name)>: where the CLI keeps a context.
    static QString contextHash(const QString &name);
};

} // namespace bc::docker
