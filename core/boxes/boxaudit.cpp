#include "core/boxes/boxaudit.h"

#include "core/boxes/boxsecrets.h"
#include "core/boxes/dockerbackend.h"
#include "core/docker/dockerclient.h"
#include "core/util/async.h"
#include "core/util/futureutil.h"

namespace bc::boxes {

QFuture<Result<security::AuditOptions>> BoxAudit::options(DockerBackend *backend)
{
    AsyncResult<security::AuditOptions> async;
    security::AuditOptions options;
    if (!backend || !backend->client()) {
        async.finish(options);
        return async.future();
    }
    options.proxySocketDir = backend->deployOptions().proxySocketDir;
    onFinished(
        backend->client()->info(), backend,
        [async, options, backend](const Result<docker::SystemInfo> &info) mutable {
            // Without AppArmor on the host every container lacks a profile: not a drift.
            if (info)
                options.appArmorAvailable =
                    security::AuditOptions::appArmorIn(info->securityOptions);
            onFinished(
                BoxSecrets::list(), backend,
                [async, options](const Result<QStringList> &names) mutable {
                    if (names)
                        options.knownSecretNames = names.value();
                    async.finish(options);
                },
                WhenReady::RunNow);
        },
        WhenReady::RunNow);
    return async.future();
}

} // namespace bc::boxes
