#pragma once

#include "app/boxctl/cli.h"
#include "core/boxes/backendfactory.h"

namespace bc::cli {

// The backends a command works on, as the global options chose them (--backend, --host,
// --context, --coolify-url); what they leave open comes from the console's settings.
inline boxes::BackendFactory::Overrides backendOverrides(const Context &ctx)
{
    boxes::BackendFactory::Overrides o;
    o.backend = ctx.global.backend;
    o.host = ctx.global.host;
    o.context = ctx.global.context;
    o.coolifyUrl = ctx.global.coolifyUrl;
    return o;
}

} // namespace bc::cli
