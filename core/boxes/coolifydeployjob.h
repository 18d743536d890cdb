#pragma once

#include "core/boxes/boxjob.h"
#include "core/coolify/coolifytypes.h"
#include "core/security/boxspec.h"

#include <QPointer>

namespace bc::boxes {

class CoolifyBackend;

// Deploys one box as a Coolify application: validate, environment (resolve its uuid),
// create (image, limits, health check, domain, tag), env (bulk, secrets from the
// SecretStore), start, then follow the deployment to a terminal state. Any failure or a
// cancel after create deletes the application it created (step "rollback") before
// finished is emitted.
class CoolifyDeployJob : public BoxJob
{
    Q_OBJECT
public:
    CoolifyDeployJob(CoolifyBackend *backend, const security::BoxSpec &spec,
                     QObject *parent = nullptr);
    void cancel() override;

    // The create request for a spec (public for tests).
    static coolify::CoolifyAppCreate createRequest(const security::BoxSpec &spec,
                                                   const CoolifyBackend &backend);

private:
    void begin();
    void resolveEnvironment();
    void create();
    void setEnv();
    void readNextSecret();
    void startDeployment();
    void follow(const QString &deploymentUuid);
    void succeed();
    void fail(const Error &error, const QString &step);
    void rollback(const Error &error);
    bool stopIfCancelled();

    QPointer<CoolifyBackend> m_backend;
    security::BoxSpec m_spec;
    QString m_environmentUuid;
    QString m_appUuid;
    QString m_deploymentUuid;
    QString m_step;
    QList<coolify::CoolifyEnvVar> m_vars;
    QStringList m_pendingSecrets;
    bool m_cancelled = false;
    bool m_rollingBack = false;
};

} // namespace bc::boxes
