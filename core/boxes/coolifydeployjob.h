#pragma once

#include "core/boxes/boxjob.h"
#include "core/coolify/coolifytypes.h"
#include "core/result.h"
#include "core/security/boxspec.h"

#include <QPointer>

namespace bc::boxes {

class CoolifyBackend;

// Deploys one box as a Coolify service rendered from the hardening profile
// (CoolifyComposeRenderer): validate (spec, settings, the compose, secret names and values:
// everything Coolify cannot enforce is refused here, before anything exists), environment
// (resolve its uuid), create (POST /services, not started), env (the box's secrets as
// is_shown_once service variables), start, follow the service to healthy, then commit
// (clear the in-flight mark it was created with: CoolifyRecovery). Any failure or a cancel
// after create deletes the service it created (step "rollback") before finished is
// emitted; the service of a killed process is deleted by the next recovery.
class CoolifyDeployJob : public BoxJob
{
    Q_OBJECT
public:
    CoolifyDeployJob(CoolifyBackend *backend, const security::BoxSpec &spec,
                     QObject *parent = nullptr);
    void cancel() override;

    // The compose document for a spec, as deploy sends it (public for tests and for a
    // dry run). Errors are Invalid and name what Coolify cannot enforce.
    static Result<QByteArray> composeFor(const security::BoxSpec &spec,
                                         const CoolifyBackend &backend);

private:
    void begin();
    void checkQuota();
    void readNextSecret();
    void resolveEnvironment();
    void create();
    void setEnv();
    void startService();
    void follow();
    void succeed();
    void report();
    void fail(const Error &error, JobStep step);
    void rollback(const Error &error);
    bool stopIfCancelled();

    QPointer<CoolifyBackend> m_backend;
    security::BoxSpec m_spec;
    QByteArray m_compose;
    QString m_environmentUuid;
    QString m_serviceUuid;
    QString m_description; // without the in-flight mark (CoolifyRecovery)
    QString m_opId;
    JobStep m_step = JobStep::Settings;
    QList<coolify::CoolifyEnvVar> m_vars;
    QStringList m_pendingSecrets;
    bool m_cancelled = false;
    bool m_rollingBack = false;
};

} // namespace bc::boxes
