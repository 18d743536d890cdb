#pragma once

// DeployJob's pipeline, shared by the files it is split into (deployjob.cpp and
// deployjob<part>.cpp): the error helpers and the templates every step goes through.

#include "core/boxes/deployjob.h"
#include "core/docker/dockerclient.h"
#include "core/util/futureutil.h"

#include <type_traits>

namespace bc::boxes {

namespace deploy {
inline bool isTransport(const Error &e)
{
    return e.kind() == Error::Kind::Transport || e.kind() == Error::Kind::Timeout;
}

inline QString flatten(const Error &e)
{
    return e.context().isEmpty() ? e.message() : e.context() + QStringLiteral(": ") + e.message();
}

inline QString cap(QString text, int n = 300)
{
    text = text.trimmed();
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text.size() > n ? text.left(n) + QStringLiteral("…") : text;
}

inline bool isNotFound(const Error &e)
{
    return e.kind() == Error::Kind::NotFound;
}

// For the steps that name what they were doing when it failed.
inline std::function<Error(const Error &)> inContext(const QString &context)
{
    return [context](const Error &e) { return e.withContext(context); };
}
} // namespace deploy

template <typename T, typename F> void DeployJob::then(QFuture<T> future, F &&handler)
{
    ++m_pending;
    onFinished(
        future, this,
        [this, handler = std::forward<F>(handler)](const T &result) mutable {
            --m_pending;
            handler(result);
        },
        WhenReady::RunNow);
}

template <typename T, typename Next>
void DeployJob::proceed(QFuture<Result<T>> future, Next &&next, StepErrors errors)
{
    proceedCreating(std::move(future), nullptr, std::forward<Next>(next), std::move(errors));
}

template <typename T, typename Created, typename Next>
void DeployJob::proceedCreating(QFuture<Result<T>> future, Created &&created, Next &&next,
                                StepErrors errors)
{
    then(std::move(future),
         [this, created = std::forward<Created>(created), next = std::forward<Next>(next),
          errors = std::move(errors)](const Result<T> &r) mutable {
             if constexpr (!std::is_null_pointer_v<std::decay_t<Created>>) {
                 if (r)
                     created(r.value());
             }
             if (cancelled())
                 return;
             if (!r && !(errors.expected && errors.expected(r.error()))) {
                 fail(errors.rephrase ? errors.rephrase(r.error()) : r.error());
                 return;
             }
             // A call that does not go to the engine (secret store, disk) may outlive the client.
             if (!m_client) {
                 fail(Error(Error::Kind::Cancelled, QStringLiteral("Docker client closed")));
                 return;
             }
             next(r);
         });
}

} // namespace bc::boxes
