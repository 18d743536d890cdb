#include "core/boxes/boxcreatebody.h"

#include "core/infra/traefiklabels.h"
#include "core/security/hardeningprofile.h"

namespace bc::boxes {

using nlohmann::json;

namespace {
std::string s(const QString &v)
{
    return v.toStdString();
}

} // namespace

QList<DevPort> devPorts()
{
    using Profile = security::HardeningProfile;
    return {{Profile::SshPort, 2222}, {Profile::CodeServerPort, 8080}, {Profile::AgentPort, 9999}};
}

QList<int> devContainerPorts()
{
    QList<int> out;
    for (const DevPort &p : devPorts())
        out << p.container;
    return out;
}

int devCodeServerHostPort(int offset)
{
    for (const DevPort &p : devPorts())
        if (p.container == security::HardeningProfile::CodeServerPort)
            return p.hostBase + offset;
    return -1;
}

Result<nlohmann::json> boxCreateBody(const security::BoxSpec &spec, const DeployOptions &options,
                                     const CreateInputs &inputs)
{
    security::CreateContext ctx;
    ctx.image = inputs.image;
    ctx.proxySocketDir = inputs.proxySocketDir;
    if (!inputs.proxySocketDir.isEmpty())
        ctx.egressGroupId = options.egressGroupId;
    ctx.extraEnv = inputs.env;
    const bool routed = spec.isolation == security::BoxSpec::Isolation::Routed;
    if (routed && !options.dev)
        ctx.networkName = inputs.networkName;
    ctx.extraLabels = inputs.labels;
    const auto policy = spec.policyLabels(options.fleet.policyDefault);
    for (auto it = policy.cbegin(); it != policy.cend(); ++it)
        ctx.extraLabels.insert(it.key(), it.value());
    if (routed && !options.dev && !options.traefikDomain.isEmpty() &&
        !inputs.networkName.isEmpty()) {
        infra::TraefikRoute route;
        route.boxId = spec.name;
        route.subdomain = spec.subdomain;
        route.domain = options.traefikDomain;
        route.network = inputs.networkName;
        const auto traefik = infra::TraefikLabels::generate(route);
        if (!traefik)
            return traefik.error().withContext(QStringLiteral("Traefik labels"));
        for (auto it = traefik->cbegin(); it != traefik->cend(); ++it)
            ctx.extraLabels.insert(it.key(), it.value());
    }
    if (options.dev && inputs.devPortOffset >= 0) {
        for (const DevPort &p : devPorts())
            ctx.loopbackPorts.append({p.container, p.hostBase + inputs.devPortOffset});
    }

    json body = security::HardeningProfile().createBody(spec, ctx);
    // The profile's labels win for box-console.* keys it sets; ours add deploy id, role, …
    for (auto it = inputs.labels.cbegin(); it != inputs.labels.cend(); ++it)
        if (!body["Labels"].contains(s(it.key())))
            body["Labels"][s(it.key())] = s(it.value());
    if (options.dev && !inputs.networkName.isEmpty())
        body["HostConfig"]["NetworkMode"] = s(inputs.networkName);

    // The last check before anything reaches the engine.
    const auto valid = security::HardeningProfile::validateCreateBody(body);
    if (!valid)
        return valid.error().withContext(QStringLiteral("create body"));
    return body;
}

} // namespace bc::boxes
