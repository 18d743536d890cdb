#pragma once

#include "core/boxes/boxegress.h"
#include "core/boxes/boxjob.h"
#include "core/boxes/deployjournal.h"
#include "core/boxes/deployoptions.h"
#include "core/docker/dockertypes.h"
#include "core/security/boxspec.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <optional>

namespace bc::docker {
class DockerClient;
class EventStream;
class BuildJob;
} // namespace bc::docker

namespace bc::boxes {

// How a DeployJob step reads its call's error (see DeployJob::proceed()). At namespace
// scope: clang rejects a nested class's member initializers in a default argument of the
// enclosing class.
struct DeployStepErrors
{
    // Answers the step handles itself, passed on to next (an inspect's NotFound).
    std::function<bool(const Error &)> expected = {};
    // Rewords an error before the step fails with it.
    std::function<Error(const Error &)> rephrase = {};
};

// validate -> marker -> (build) -> volumes -> network -> create (with the secrets volume) ->
// start -> health -> commit -> running, on one
// Docker engine. Every object it creates is labelled (box, deploy id) and recorded in the
// DeployJournal before the next step starts; on failure or cancel the rollback removes
// exactly those objects (never volumes that existed before: a re-deploy keeps its data),
// waiting for the engine to come back if it went away, and only then finishes.
// An existing box is replaced only with DeployOptions::redeploy: its container is stopped
// and renamed aside (never removed) until the new one is healthy, and restored on any
// failure or cancel. An operation marker on the engine (oplabels.h) lets BoxRecovery roll
// back a deploy whose process died, even without the journal.
// The steps are spread over deployjob.cpp (build, create, commit), deployjobvalidate.cpp
// (the checks before anything exists), deployjobhealth.cpp (the wait until healthy) and
// deployjobrollback.cpp (failure, rollback, a previous deploy's leftovers), all through the
// pipeline of deployjobpipeline.h.
class DeployJob : public BoxJob
{
    Q_OBJECT
public:
    DeployJob(docker::DockerClient *client, security::BoxSpec spec, DeployOptions options,
              const BoxInfo &base, QObject *parent = nullptr);
    ~DeployJob() override;

    void cancel() override;
    QString deployId() const { return m_deployId; }
    QString currentStep() const { return jobStepName(m_step); }
    // What this deploy created and has not removed (yet).
    DeployJournal::Entry created() const { return m_created; }

private:
    void begin();
    void enter(JobStep step, const QString &text);
    bool cancelled();
    void fail(const Error &error);

    void checkQuota();
    void readSecrets(int index);
    void resolveEgress();
    void cleanupLeftovers();
    void checkNames();
    void createMarker();
    void checkImage();
    void build();
    void runBuild();
    void volumes(int index);
    void network();
    void connectTraefik();
    void devNetwork();
    void create();
    void secrets();
    void createSecretsVolume();
    void createSecretsWriter(const QString &volume);
    void writeSecrets(const QString &writerId);
    void createNow();
    void startContainer();
    void waitHealthy();
    void onHealthEvent(const docker::Event &event);
    void checkHealthNow(bool fromSubscribe);
    void healthDone(const Result<docker::ContainerInspect> &result);
    void succeed(const docker::ContainerInspect &inspect);

    void rollback();
    void rollbackNext();
    void rollbackRemove(QFuture<VoidResult> removal, QStringList DeployJournal::Entry::*list,
                        const QString &name);
    void verifyRollback();
    void noteExternalStop(int exitCode);
    void rollbackWaitForEngine(const Error &why);
    // Redeploy: renames the previous container back and starts it if it was running.
    void restorePrevious();
    // Failure after the container exists: its last log lines into the error, then (with
    // keepFailed) the container stopped and renamed aside instead of removed.
    void captureFailedLogs();
    void keepFailedContainer();
    // Success: the marker goes first (the commit point), then the previous container.
    void commit(const docker::ContainerInspect &inspect);
    // Pings the engine (negotiating anew); next() once it answers, else waits for it.
    void whenEngineAnswers(const std::function<void()> &next);
    void finishFailure();

    void record();
    QMap<QString, QString> objectLabels(const QString &role) const;

    using StepErrors = DeployStepErrors;

    // Calls handler(result) when the future finishes, unless this job is gone by then;
    // counts the call as pending meanwhile (cancel() waits for pending calls).
    template <typename T, typename F> void then(QFuture<T> future, F &&handler);
    // The shape of every pipeline step: when the call's result arrives, stop if the deploy
    // was cancelled or failed meanwhile, fail the current step on an unexpected error,
    // else go on with next(result).
    template <typename T, typename Next>
    void proceed(QFuture<Result<T>> future, Next &&next, StepErrors errors = {});
    // As proceed(), for a call that creates something: created(value) journals it first,
    // even when the deploy was cancelled meanwhile, so that the rollback removes it.
    template <typename T, typename Created, typename Next>
    void proceedCreating(QFuture<Result<T>> future, Created &&created, Next &&next,
                         StepErrors errors = {});

    QPointer<docker::DockerClient> m_client;
    security::BoxSpec m_spec;
    DeployOptions m_options;
    BoxInfo m_base;
    DeployJournal m_journal;
    QString m_endpoint;
    QString m_deployId;
    JobStep m_step = JobStep::Validate;
    DeployJournal::Entry m_created;

    QString m_replaceId; // existing container of this box (re-deploy)
    bool m_previousRunning = false;
    bool m_previousRestored = false;
    QString m_marker; // engine-side operation marker (oplabels.h), until commit or rollback
    // The image's own HEALTHCHECK, used when the spec has none.
    std::optional<security::BoxSpec::Healthcheck> m_imageHealth;
    QString m_failedLogs;
    bool m_logsCaptured = false;
    bool m_failedKept = false;
    QString m_image;       // image to run (spec.image or the built one)
    QString m_networkName; // network the container is created on (empty = none)
    int m_devPortOffset = 0;
    QString m_containerId;
    QString m_buildDir;
    // Secret values and egress base URLs for the container's Env: kept out of m_spec so
    // they can never reach the spec hash, labels or a journal.
    QMap<QString, QString> m_extraEnv;
    // spec.secrets' values between the secret store and the in-memory tar that writes
    // them into the box's secrets volume; cleared as soon as the tar is made.
    QMap<QString, QString> m_secretValues;
    QString m_egressSocketDir; // host directory mounted when spec.egress is set
    // This deploy's egress grant until it succeeds; a failure reverts it.
    std::optional<BoxEgress::GrantChange> m_egressGrant;

    QPointer<docker::EventStream> m_events;
    QPointer<docker::BuildJob> m_build;
    QTimer m_healthTimer;
    bool m_healthChecking = false;
    bool m_healthSettled = false;
    QString m_lastHealthOutput;

    bool m_cancelRequested = false;
    bool m_failed = false;
    Error m_failure;
    JobStep m_failedStep = JobStep::Validate;
    int m_pending = 0; // async calls in flight (cancel waits for them)
    QElapsedTimer m_engineWait;
    QTimer m_retryTimer;
    QStringList m_rollbackErrors;
    DeployJournal::Entry m_removed; // removed by the rollback, to be verified
    bool m_verifyPending = false;
    bool m_engineMayRestart = false; // the box was SIGTERMed/SIGKILLed from outside
};

} // namespace bc::boxes
