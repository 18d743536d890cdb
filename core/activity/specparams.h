#pragma once

#include "core/util/json.h"

namespace bc::security {
struct BoxSpec;
}

namespace bc::activity {

// What a deploy records about its spec: the settings that say what was deployed, the
// secret NAMES and the env KEYS. Never a secret value, and no env value either: an env
// value is the one place a user might paste a credential despite the validation.
util::json::Json specParams(const security::BoxSpec &spec);

} // namespace bc::activity
