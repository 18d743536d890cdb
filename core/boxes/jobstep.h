#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace bc::boxes {

// The steps a box job (deploy or delete, Docker or Coolify) reports and fails in. The wire
// names are stable: boxctl's `--json` step events, error contexts and the deploy dialog's
// list key on them (docs/boxctl-json.md).
enum class JobStep {
    Settings,    // Coolify: the instance's settings are usable
    Validate,    // the spec (and for a delete: the box) is checked
    Quota,       // the owner's quota
    Environment, // Coolify: the project environment's uuid
    Build,       // the image from skills
    Volumes,
    Network,
    Create, // container or Coolify service
    Env,    // Coolify: the box's secrets as service variables
    Start,
    Health,       // waiting until healthy
    Commit,       // the deploy is made final (previous box replaced, marks cleared)
    Status,       // Coolify: the deployed box's status is read back
    Running,      // deployed and healthy
    Rollback,     // removing what a failed or cancelled deploy created
    Stop,         // delete: stopping the box
    Remove,       // delete: removing its objects
    RevokeEgress, // delete: its egress grant
};

// Every step, in pipeline order (for tests and for tables keyed by step).
QList<JobStep> allJobSteps();

// The stable machine name ("validate", "env", …).
QString jobStepName(JobStep step);
std::optional<JobStep> jobStepFromName(const QString &name);

} // namespace bc::boxes
