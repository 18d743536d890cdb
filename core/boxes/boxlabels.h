#pragma once

#include "core/security/boxlabels.h"

namespace bc::boxes {
// One set of label keys for the profile and the backends (core/security/boxlabels.h).
namespace labels = ::bc::security::labels;
} // namespace bc::boxes
