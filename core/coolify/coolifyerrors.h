#pragma once

#include "core/coolify/coolifyreply.h"
#include "core/error.h"

namespace bc::coolify {

// The Error for a non-2xx reply: its kind from the HTTP status, Coolify's message, then
// the 422 field errors (string[] or string per field), the conflicts of a 409, the wait of
// a 429, and for 401/403 what to change in Coolify.
Error errorFromReply(const CoolifyReply &reply);

// Worth asking again a few times when polling: the network, a timeout, a rate limit or a
// 5xx say nothing yet about the thing polled.
bool isTransient(const Error &error);

} // namespace bc::coolify
