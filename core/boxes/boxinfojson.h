#pragma once

#include "core/boxes/boxinfo.h"

#include <nlohmann/json.hpp>

namespace bc {
class JsonWriter;
}

namespace bc::boxes {

// The JSON shape of a box in `boxctl … --json`, the same for every backend. Labels are
// included (they carry no secrets: environment values never reach BoxInfo).
nlohmann::json boxInfoToJson(const BoxInfo &box);
// The same object written straight into `out` (keys in the order dump() prints them), for
// lists of many boxes: no document per box.
void writeBoxInfoJson(JsonWriter &out, const BoxInfo &box);

} // namespace bc::boxes
