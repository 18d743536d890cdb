#pragma once

#include <QString>

namespace bc::boxes::labels {

// Every object a deploy creates carries these, so that listing, delete and a label-based
// garbage collection find a box's container, volumes and network without any local state.
inline QString box()
{
    return QStringLiteral("box-console.box");
} // box name
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
inline QString deployId()
{
    return QStringLiteral("box-console.deploy");
} // which deploy made it
inline QString role()
{
    return QStringLiteral("box-console.role");
} // container|volume|network
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
// Boxes of the docker-dev backend; the plain docker backend of the same engine skips them.
inline QString dev()
{
    return QStringLiteral("box-console.dev");
}

} // namespace bc::boxes::labels
