#pragma once

#include "core/boxes/boxinfo.h"
#include "core/docker/dockertypes.h"

namespace bc::boxes::dockerinfo {

// Docker's words -> the backend-neutral BoxInfo. Pure functions, unit-tested.
BoxInfo::State parseState(const QString &state);
// From a container list's Status text: "Up 3 minutes (healthy)", "(health: starting)".
BoxInfo::Health healthFromStatus(const QString &status);
BoxInfo::Health parseHealth(const QString &health); // State.Health.Status

// `base` carries backendId/backendKind/host.
BoxInfo fromSummary(const docker::ContainerSummary &summary, const BoxInfo &base);
BoxInfo fromInspect(const docker::ContainerInspect &inspect, const BoxInfo &base);
// A stats sample onto a box's figures. A sample with no CPU delta (the first one-shot)
// leaves cpuPercent -1: unknown until the second; without a limit the engine reports the
// host's RAM, which is not the box's and is not taken.
void applySample(BoxResources &resources, const docker::StatsSample &sample, bool memoryUnlimited);

} // namespace bc::boxes::dockerinfo
