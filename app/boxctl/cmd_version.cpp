// `version`: the engine's and boxctl's versions, as `docker version` shows them.

#include "app/boxctl/enginecli.h"

using namespace bc;
using namespace bc::docker;
using namespace bc::cli::engine;
using bc::cli::Context;

namespace {

QString clientVersion()
{
    const QString v = QCoreApplication::applicationVersion();
    return v.isEmpty() ? QStringLiteral("dev") : v;
}

int cmdVersion(Context &ctx)
{
    Error error;
    auto client = connectEngine(ctx, &error);
    if (!client)
        return cli::fail(ctx, error);
    const Result<VersionInfo> v = cli::await(client->version());
    if (!v)
        return cli::fail(ctx, v.error());
    if (ctx.global.json) {
        writeJson(ctx.out, {{"Client",
                             {{"Version", toStd(clientVersion())},
                              {"MaxApiVersion", DockerClient::MaxApiVersion},
                              {"ApiVersion", toStd(v->negotiatedApiVersion)},
                              {"Endpoint", toStd(client->endpoint().toUrl())}}},
                            {"Server",
                             {{"Version", toStd(v->version)},
                              {"ApiVersion", toStd(v->apiVersion)},
                              {"MinAPIVersion", toStd(v->minApiVersion)},
                              {"Os", toStd(v->os)},
                              {"Arch", toStd(v->arch)},
                              {"KernelVersion", toStd(v->kernelVersion)}}}});
        return 0;
    }
    ctx.out << "Client:\n"
            << " Version:           " << clientVersion() << " (boxctl)\n"
            << " API version:       " << v->negotiatedApiVersion << " (max "
            << DockerClient::MaxApiVersion << ")\n"
            << " Endpoint:          " << client->endpoint().toUrl() << "\n\n"
            << "Server:\n"
            << " Engine version:    " << v->version << '\n'
            << " API version:       " << v->apiVersion << " (minimum version " << v->minApiVersion
            << ")\n"
            << " OS/Arch:           " << v->os << '/' << v->arch << '\n'
            << " Kernel version:    " << v->kernelVersion << '\n';
    ctx.out.flush();
    return 0;
}

const cli::Registrar regVersion({QStringLiteral("version"), QStringLiteral("version"),
                                 QStringLiteral("Show the Docker engine's and boxctl's versions"),
                                 cmdVersion});

} // namespace
