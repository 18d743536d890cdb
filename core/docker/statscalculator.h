#pragma once

#include "core/docker/dockertypes.h"

#include <nlohmann/json.hpp>

namespace bc::docker {

// Derives what `docker stats` shows from one stats document, with the docker CLI's
// formulas (cli/command/container/stats_helpers.go), so figures match the CLI's exactly.
class StatsCalculator
{
public:
    // CPU % is computed against the document's precpu_stats, or, when `previous` is given
    // (two one-shot samples, whose precpu_stats is empty), against previous->cpuTotal and
    // previous->systemCpu. Missing fields count as zero (a stopped container's document
    // holds little more than id and name).
    static StatsSample fromJson(const nlohmann::json &doc, const StatsSample *previous = nullptr);

    static double cpuPercent(quint64 previousCpu, quint64 previousSystem, quint64 cpuTotal,
                             quint64 systemCpu, quint32 onlineCpus);
    // Usage without the page cache the kernel may drop (cgroup v1 and v2).
    static quint64 memoryUsageNoCache(const nlohmann::json &memoryStats);
};

} // namespace bc::docker
