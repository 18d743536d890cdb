#pragma once

#include "app/boxctl/cli.h"
#include "core/activity/activitylog.h"
#include "core/boxes/boxjob.h"

namespace bc::cli {

// Appends one record to the activity log before the command returns (boxctl exits right
// after). A log that cannot be written is a warning on stderr, never a failed command: the
// action itself has happened.
void recordActivity(Context &ctx, activity::ActivityRecord record);

// The same, with the result taken from the outcome (null: ok).
void recordActivity(Context &ctx, activity::ActivityRecord record, const Error *error);

// Records a deploy or delete job's result (a job that never finished counts as failed).
void recordJob(Context &ctx, const boxes::BoxJob *job, activity::ActivityRecord record);

} // namespace bc::cli
