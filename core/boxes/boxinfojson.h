#pragma once

#include "core/boxes/boxinfo.h"

#include <nlohmann/json.hpp>

namespace bc::boxes {

// The JSON shape of a box in `boxctl … --json`, the same for every backend. Labels are
// included (they carry no secrets: environment values never reach BoxInfo).
nlohmann::json boxInfoToJson(const BoxInfo &box);

} // namespace bc::boxes
