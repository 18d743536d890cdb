#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

namespace bc {

// Calls f(result) on guard's thread when the future finishes, unless guard is gone by then.
// Unlike QFuture::then(context, …), whose continuation asserts in Qt 6.4 when the context
// died first (a window closed while an engine call was in flight), the watcher is a child
// of guard and dies with it.
template <typename T, typename F> void onFinished(const QFuture<T> &future, QObject *guard, F &&f)
{
    auto *watcher = new QFutureWatcher<T>(guard);
    QObject::connect(watcher, &QFutureWatcherBase::finished, guard,
                     [watcher, f = std::forward<F>(f)]() mutable {
                         watcher->deleteLater();
                         if (watcher->future().resultCount() > 0)
                             f(watcher->future().result());
                     });
    watcher->setFuture(future);
}

} // namespace bc
