#include "core/boxes/jobstep.h"

namespace bc::boxes {

QList<JobStep> allJobSteps()
{
    return {JobStep::Settings, JobStep::Validate,    JobStep::Quota,    JobStep::Environment,
            JobStep::Build,    JobStep::Volumes,     JobStep::Network,  JobStep::Create,
            JobStep::Env,      JobStep::Start,       JobStep::Health,   JobStep::Commit,
            JobStep::Status,   JobStep::Running,     JobStep::Rollback, JobStep::Stop,
            JobStep::Remove,   JobStep::RevokeEgress};
}

QString jobStepName(JobStep step)
{
    // A switch without default: a new step does not compile until it has a name.
    switch (step) {
    case JobStep::Settings:
        return QStringLiteral("settings");
    case JobStep::Validate:
        return QStringLiteral("validate");
    case JobStep::Quota:
        return QStringLiteral("quota");
    case JobStep::Environment:
        return QStringLiteral("environment");
    case JobStep::Build:
        return QStringLiteral("build");
    case JobStep::Volumes:
        return QStringLiteral("volumes");
    case JobStep::Network:
        return QStringLiteral("network");
    case JobStep::Create:
        return QStringLiteral("create");
    case JobStep::Env:
        return QStringLiteral("env");
    case JobStep::Start:
        return QStringLiteral("start");
    case JobStep::Health:
        return QStringLiteral("health");
    case JobStep::Commit:
        return QStringLiteral("commit");
    case JobStep::Status:
        return QStringLiteral("status");
    case JobStep::Running:
        return QStringLiteral("running");
    case JobStep::Rollback:
        return QStringLiteral("rollback");
    case JobStep::Stop:
        return QStringLiteral("stop");
    case JobStep::Remove:
        return QStringLiteral("remove");
    case JobStep::RevokeEgress:
        return QStringLiteral("revoke egress grant");
    }
    return {};
}

std::optional<JobStep> jobStepFromName(const QString &name)
{
    for (const JobStep step : allJobSteps()) {
        if (jobStepName(step) == name)
            return step;
    }
    return std::nullopt;
}

} // namespace bc::boxes
