#include "core/boxes/backendfactory.h"

#include "core/boxes/coolifybackend.h"
#include "core/boxes/dockerbackend.h"
#include "core/boxes/dockerdevbackend.h"
#include "core/coolify/coolifyconfig.h"
#include "core/docker/endpointresolver.h"

namespace bc::boxes {

using Kind = Error::Kind;

BackendFactory::BackendFactory(ConsoleSettings &settings, Overrides overrides)
    : m_settings(settings)
    , m_overrides(std::move(overrides))
{}

QString BackendFactory::deployMode() const
{
    const QString o = m_overrides.backend.trimmed().toLower();
    if (ConsoleSettings::isValidDeployMode(o))
        return o;
    return m_settings.deployMode();
}

DeployOptions BackendFactory::deployOptions() const
{
    DeployOptions o;
    o.traefikContainer = m_settings.traefikContainer();
    o.traefikDomain = m_settings.traefikDomain();
    o.healthTimeoutMs = m_settings.healthTimeoutMs();
    o.proxySocketDir = m_settings.proxySocketDir();
    o.egressPolicyFile = m_settings.egressPolicyFile();
    o.egressGrantsDir = m_settings.egressGrantsDir();
    o.egressReloadCommand = m_settings.egressReloadCommand();
    o.egressGroupId = m_settings.egressGroupId();
    o.egressRemoteEngine = m_settings.egressRemoteEngine();
    return o;
}

DeployOptions BackendFactory::deployOptionsFor(const QString &backendId) const
{
    DeployOptions o = deployOptions();
    o.fleet = m_settings.fleetRulesFor(backendId);
    return o;
}

Result<http::Endpoint> BackendFactory::parseEndpoint(const QString &url)
{
    return docker::EndpointResolver::parseHost(url.trimmed(),
                                               docker::ResolveInputs::fromProcess().env);
}

Result<http::Endpoint> BackendFactory::cliEndpoint() const
{
    auto r = docker::EndpointResolver::resolve(
        docker::ResolveInputs::fromProcess(m_overrides.host, m_overrides.context));
    if (!r)
        return r.error();
    return r->endpoint;
}

Result<http::Endpoint> BackendFactory::contextEndpoint(const QString &name)
{
    auto r = docker::EndpointResolver::resolve(docker::ResolveInputs::fromProcess({}, name));
    if (!r)
        return r.error();
    return r->endpoint;
}

Result<QList<http::Endpoint>> BackendFactory::dockerEndpoints(QStringList *warnings) const
{
    if (!m_overrides.host.isEmpty() || !m_overrides.context.isEmpty() ||
        m_settings.followsDockerCli()) {
        auto e = cliEndpoint();
        if (!e)
            return e.error();
        return QList<http::Endpoint>{e.value()};
    }
    QList<http::Endpoint> out;
    QStringList keys;
    const auto take = [&](const Result<http::Endpoint> &e) -> VoidResult {
        if (!e) {
            if (!warnings)
                return e.error();
            *warnings << e.error().toString();
            return {};
        }
        if (!keys.contains(e->key())) {
            keys << e->key();
            out << e.value();
        }
        return {};
    };
    for (const QString &name : m_settings.dockerContexts()) {
        if (auto r = take(contextEndpoint(name)); !r)
            return r.error();
    }
    for (const QString &url : m_settings.dockerEndpoints()) {
        if (auto r = take(parseEndpoint(url)); !r)
            return r.error();
    }
    if (out.isEmpty())
        return Error(Kind::Invalid, QStringLiteral("none of the configured Docker engines can be "
                                                   "used (see the warnings)"));
    return out;
}

Result<http::Endpoint> BackendFactory::localEndpoint() const
{
    auto e = cliEndpoint();
    if (!e)
        return e.error();
    return e;
}

Result<BoxBackend *> BackendFactory::createCoolify(QObject *parent) const
{
    // --coolify-url, then COOLIFY_URL (load() reads it), then our settings (which may be a
    // file other than the user's, e.g. in tests).
    const QString url = !m_overrides.coolifyUrl.isEmpty()          ? m_overrides.coolifyUrl
                        : qEnvironmentVariableIsSet("COOLIFY_URL") ? QString()
                                                                   : m_settings.coolifyUrl();
    auto config = coolify::CoolifyConfig::load(url);
    if (!config)
        return config.error().withContext(QStringLiteral("Coolify"));
    auto *backend = new CoolifyBackend(config.value(), parent);
    backend->setFleetRules(m_settings.fleetRulesFor(backend->id()));
    return static_cast<BoxBackend *>(backend);
}

Result<BoxBackend *> BackendFactory::createForMode(const QString &mode, QObject *parent) const
{
    if (mode == QLatin1String("coolify"))
        return createCoolify(parent);
    if (mode == QLatin1String("docker")) {
        auto endpoints = dockerEndpoints();
        if (!endpoints)
            return endpoints.error();
        // New boxes go to the first configured engine.
        const http::Endpoint &e = endpoints->first();
        return static_cast<BoxBackend *>(
            new DockerBackend(e, deployOptionsFor(QStringLiteral("docker:") + e.toUrl()), parent));
    }
    if (mode == QLatin1String("docker-dev")) {
        auto local = localEndpoint();
        if (!local)
            return local.error();
        return static_cast<BoxBackend *>(new DockerDevBackend(
            local.value(), deployOptionsFor(QStringLiteral("docker-dev:") + local->toUrl()),
            parent));
    }
    return Error(
        Kind::Invalid,
        QStringLiteral("backend: expected coolify, docker or docker-dev, got %1").arg(mode));
}

QList<BoxBackend *> BackendFactory::createAll(QObject *parent, QStringList *warnings) const
{
    QList<BoxBackend *> out;
    auto warn = [warnings](const QString &w) {
        if (warnings)
            *warnings << w;
    };
    // An explicit --backend narrows the view to that backend.
    if (ConsoleSettings::isValidDeployMode(m_overrides.backend.trimmed().toLower())) {
        auto one = createForMode(m_overrides.backend.trimmed().toLower(), parent);
        if (one)
            out << one.value();
        else
            warn(one.error().toString());
        return out;
    }
    auto endpoints = dockerEndpoints(warnings);
    if (!endpoints) {
        warn(endpoints.error().toString());
    } else {
        for (const auto &e : endpoints.value())
            out << new DockerBackend(e, deployOptionsFor(QStringLiteral("docker:") + e.toUrl()),
                                     parent);
    }
    // Dev boxes live on the local engine only.
    auto local = localEndpoint();
    if (local && local->transport == http::Endpoint::Transport::Unix)
        out << new DockerDevBackend(
            local.value(), deployOptionsFor(QStringLiteral("docker-dev:") + local->toUrl()),
            parent);
    // Coolify is the default deploy target only by default: on a machine that never set it
    // up, listing it would turn every `ls` into an error for a backend nobody asked for.
    const bool coolifyConfigured =
        !m_overrides.coolifyUrl.isEmpty() || !m_settings.coolifyUrl().isEmpty() ||
        qEnvironmentVariableIsSet("COOLIFY_URL") ||
        (deployMode() == QLatin1String("coolify") &&
         m_settings.deployModeSource() != QLatin1String("default"));
    if (coolifyConfigured) {
        auto c = createCoolify(parent);
        if (c)
            out << c.value();
        else
            warn(c.error().toString());
    }
    return out;
}

} // namespace bc::boxes
