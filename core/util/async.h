#pragma once

#include "core/result.h"

#include <QFuture>
#include <QPromise>

#include <memory>

namespace bc {

// A copyable handle to a QPromise<Result<T>> that settles at most once. Callbacks on the
// event loop (socket signals, timers) capture it by value; the first finish() wins and
// later ones (a timeout racing a reply, a cancel racing an error) are ignored.
template <typename T>
class AsyncResult
{
public:
    AsyncResult() : m_state(std::make_shared<State>()) { m_state->promise.start(); }

    QFuture<Result<T>> future() const { return m_state->promise.future(); }

    bool isFinished() const { return m_state->finished; }

    // Returns false when the result had already been set.
    bool finish(Result<T> result) const
    {
        if (m_state->finished)
            return false;
        m_state->finished = true;
        m_state->promise.addResult(std::move(result));
        m_state->promise.finish();
        return true;
    }

private:
    struct State
    {
        QPromise<Result<T>> promise;
        bool finished = false;
        ~State()
        {
            if (!finished) {
                // Abandoned without an answer: report it rather than leave waiters hanging.
                promise.addResult(Result<T>(Error(Error::Kind::Cancelled,
                                                  QStringLiteral("operation abandoned"))));
                promise.finish();
            }
        }
    };
    std::shared_ptr<State> m_state;
};

template <typename T>
QFuture<Result<T>> readyFuture(Result<T> result)
{
    AsyncResult<T> async;
    async.finish(std::move(result));
    return async.future();
}

} // namespace bc
