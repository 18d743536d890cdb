#pragma once

#include "core/boxes/boxbackend.h"
#include "core/boxes/consolesettings.h"
#include "core/boxes/deployoptions.h"
#include "core/http/endpoint.h"
#include "core/result.h"

#include <QList>
#include <QStringList>

namespace bc::boxes {

// Builds the backends from the settings: one Docker backend per configured engine (or the
// engine the docker CLI would use), the docker-dev backend on the local engine, Coolify
// when it is configured; and the one backend new boxes go to (the deploy mode).
class BackendFactory
{
public:
    // Command-line choices; empty = not given.
    struct Overrides
    {
        QString backend;    // coolify | docker | docker-dev
        QString host;       // -H / --host: the Docker engine
        QString context;    // --context
        QString coolifyUrl; // --coolify-url
    };

    explicit BackendFactory(ConsoleSettings &settings, Overrides overrides = {});

    // --backend > setting > DEPLOY_MODE > "coolify".
    QString deployMode() const;
    DeployOptions deployOptions() const;
    // deployOptions() with the fleet rules (default policy, quotas) of the backend `id`.
    DeployOptions deployOptionsFor(const QString &backendId) const;

    // Every configured backend, owned by `parent`. Backends that cannot be configured
    // (Coolify without URL) are skipped with a line in `warnings`.
    QList<BoxBackend *> createAll(QObject *parent, QStringList *warnings = nullptr) const;
    // The backend new boxes go to.
    Result<BoxBackend *> createTarget(QObject *parent) const
    {
        return createForMode(deployMode(), parent);
    }
    Result<BoxBackend *> createForMode(const QString &mode, QObject *parent) const;

    // The Docker engines to use: --host / --context, else the settings' contexts (in their
    // stored order) then added URLs, else the docker CLI's; an engine reached by two entries
    // is listed once. With `warnings`, an entry that cannot be resolved (a context removed
    // from the store, a broken URL) is skipped with a line there; without, it fails all.
    Result<QList<http::Endpoint>> dockerEndpoints(QStringList *warnings = nullptr) const;
    // A docker CLI context by name, with the TLS material of its store; "default" is
    // DOCKER_HOST (with the DOCKER_TLS* variables) or the local socket, as for the CLI.
    static Result<http::Endpoint> contextEndpoint(const QString &name);
    // The local engine for docker-dev: --host when it is a unix socket, else the CLI's.
    Result<http::Endpoint> localEndpoint() const;
    // One host URL (DOCKER_HOST syntax) from the settings' list.
    static Result<http::Endpoint> parseEndpoint(const QString &url);

private:
    Result<http::Endpoint> cliEndpoint() const;
    Result<BoxBackend *> createCoolify(QObject *parent) const;

    ConsoleSettings &m_settings;
    Overrides m_overrides;
};

} // namespace bc::boxes
