#pragma once

#include "core/result.h"

#include <QFuture>
#include <QString>

#include <functional>
#include <optional>

namespace bc::test {

// One future of any result type, seen through what a lifetime test asks of it: did it
// finish, and with which error (nullopt: with a value).
struct TrackedFuture
{
    QString what;
    std::function<bool()> isFinished;
    std::function<std::optional<Error>()> error;
};

template <typename T> TrackedFuture track(const QString &what, const QFuture<Result<T>> &future)
{
    return {what, [future] { return future.isFinished(); },
            [future]() -> std::optional<Error> {
                const Result<T> r = future.result();
                if (r)
                    return std::nullopt;
                return r.error();
            }};
}

} // namespace bc::test
