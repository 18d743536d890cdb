#pragma once

#include "core/boxes/boxinfo.h"

#include <QDateTime>

#include <nlohmann/json.hpp>

#include <cstddef>

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

// A valid `time` as time.toUTC().toString(Qt::ISODate) prints it ("2026-12-06T03:35:25Z",
// milliseconds dropped; nothing outside the years 1 to 9999) into `out`; returns the
// length. Qt's formatting was half the cost of writing a box.
std::size_t isoUtcText(const QDateTime &time, char (&out)[20]);

} // namespace bc::boxes
