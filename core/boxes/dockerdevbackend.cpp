#include "core/boxes/dockerdevbackend.h"

#include "core/boxes/boxlabels.h"

namespace bc::boxes {

DockerDevBackend::DockerDevBackend(const http::Endpoint &endpoint, DeployOptions options,
                                   QObject *parent)
    : DockerBackend(endpoint, devOptions(std::move(options)), parent)
{}

DockerDevBackend::DockerDevBackend(docker::DockerClient *client, DeployOptions options,
                                   QObject *parent)
    : DockerBackend(client, devOptions(std::move(options)), parent)
{}

DeployOptions DockerDevBackend::devOptions(DeployOptions options)
{
    options.dev = true;
    // Traefik routing is a production concern; dev boxes are reached on loopback ports.
    options.traefikContainer.clear();
    options.traefikDomain.clear();
    const auto env = devEnvironment();
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        if (!options.devEnv.contains(it.key()))
            options.devEnv.insert(it.key(), it.value());
    return options;
}

QMap<QString, QString> DockerDevBackend::devEnvironment()
{
    // Fixed, obviously fake values: a dev box must work offline without the keychain,
    // and nothing here may ever be mistaken for a real credential.
    return {{QStringLiteral("BOX_DEV_MODE"), QStringLiteral("1")},
            {QStringLiteral("PASSWORD"), QStringLiteral("dev-password")},
            {QStringLiteral("BOX_AGENT_SECRET"), QStringLiteral("dev-agent-secret")},
            {QStringLiteral("BOX_API_TOKEN"), QStringLiteral("dev-api-token")},
            {QStringLiteral("BOX_API_URL"), QStringLiteral("http://127.0.0.1:3000/box")}};
}

bool DockerDevBackend::accepts(const QMap<QString, QString> &l) const
{
    return l.contains(labels::box()) && l.value(labels::dev()) == QLatin1String("1");
}

docker::Filters DockerDevBackend::listFilters() const
{
    // Label filters AND: only dev boxes cross the wire, not every box of the engine.
    docker::Filters filters;
    filters.insert(QStringLiteral("label"), {labels::box(), labels::dev() + QStringLiteral("=1")});
    return filters;
}

} // namespace bc::boxes
