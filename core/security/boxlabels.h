#pragma once

#include <QString>

// The labels every object a deploy creates carries, so that listing, delete and a
// label-based garbage collection find a box's container, volumes and network without any
// local state. Defined here, below the backends, because the hardening profile writes the
// identity labels itself; core/boxes/boxlabels.h makes them bc::boxes::labels.
namespace bc::security::labels {

inline QString box() // box name
{
    return QStringLiteral("box-console.box");
}
inline QString owner()
{
    return QStringLiteral("box-console.owner");
}
inline QString subdomain()
{
    return QStringLiteral("box-console.subdomain");
}
inline QString specHash()
{
    return QStringLiteral("box-console.spec-hash");
}
// The spec a Docker box was deployed from, as JSON (secret names only, never values; its
// env is in the container's own Config.Env anyway): what the console's Redeploy starts from.
inline QString spec()
{
    return QStringLiteral("box-console.spec");
}
inline QString deployId() // which deploy made it
{
    return QStringLiteral("box-console.deploy");
}
inline QString role() // container|volume|network|image|secrets|secrets-writer
{
    return QStringLiteral("box-console.role");
}
inline QString url()
{
    return QStringLiteral("box-console.url");
}
inline QString keepData()
{
    return QStringLiteral("box-console.keep-data");
}
inline QString isolation()
{
    return QStringLiteral("box-console.isolation");
}
inline QString egress()
{
    return QStringLiteral("box-console.egress");
}
// Boxes of the docker-dev backend; the plain docker backend of the same engine skips them.
inline QString dev()
{
    return QStringLiteral("box-console.dev");
}
// docker-dev: which offset the box's published loopback ports use.
inline QString devPortOffset()
{
    return QStringLiteral("box-console.dev-port-offset");
}
// The role of a box's secrets volume: replaced on every deploy and removed on every
// delete, even with keep-data; never user data.
inline QString secretsRole()
{
    return QStringLiteral("secrets");
}

// Lifecycle policy, written at deploy and read by the policy service and the console:
// whole seconds as decimal text, no unit; 0 or absent means the rule is off.
inline QString policyIdleStop() // stop after this long without agent activity
{
    return QStringLiteral("box-console.policy.idle-stop");
}
inline QString policyMaxLifetime() // stop this long after the box was created
{
    return QStringLiteral("box-console.policy.max-lifetime");
}
inline QString policyDeleteAfterStopped() // delete this long after the box stopped
{
    return QStringLiteral("box-console.policy.delete-after-stopped");
}
inline QString policySource() // "box" | "fleet-default": where the values came from
{
    return QStringLiteral("box-console.policy.source");
}

} // namespace bc::security::labels
