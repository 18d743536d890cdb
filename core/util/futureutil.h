#pragma once

#include <QEventLoop>
#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <QThread>

namespace bc {

// What onFinished does with a future that has already finished when it is called.
enum class WhenReady {
    // f runs on a later event-loop turn, like every other delivery.
    Queue,
    // f runs before onFinished returns, as QFuture::then(context, …) does on the context's
    // thread: a chain over ready futures (a negotiated API version) costs no loop turns.
    RunNow,
};

// Calls f(result) on guard's thread when the future finishes, unless guard is gone by then.
// Unlike QFuture::then(context, …), whose continuation asserts in Qt 6.4 when the context
// died first (a window closed while an engine call was in flight), the watcher is a child
// of guard and dies with it. f is then destroyed uncalled: an AsyncResult it captured is
// abandoned and so finishes with Cancelled, which is what lets a chain's outer future
// finish when the object driving it is destroyed.
template <typename T, typename F>
void onFinished(const QFuture<T> &future, QObject *guard, F &&f,
                WhenReady whenReady = WhenReady::Queue)
{
    if (whenReady == WhenReady::RunNow && future.isFinished() &&
        guard->thread() == QThread::currentThread()) {
        if (future.resultCount() > 0)
            f(future.result());
        return;
    }
    auto *watcher = new QFutureWatcher<T>(guard);
    QObject::connect(watcher, &QFutureWatcherBase::finished, guard,
                     [watcher, f = std::forward<F>(f)]() mutable {
                         watcher->deleteLater();
                         if (watcher->future().resultCount() > 0)
                             f(watcher->future().result());
                     });
    watcher->setFuture(future);
}

// Waits for the future on a local event loop, so the calling thread's own deliveries keep
// flowing meanwhile. For threads with nothing else to keep responsive: the CLI, and
// workers that own their clients (never the GUI thread).
template <typename T> T waitOnLocalLoop(const QFuture<T> &future)
{
    if (!future.isFinished()) {
        QEventLoop loop;
        QFutureWatcher<T> watcher;
        QObject::connect(&watcher, &QFutureWatcher<T>::finished, &loop, &QEventLoop::quit);
        watcher.setFuture(future);
        if (!future.isFinished())
            loop.exec();
    }
    return future.result();
}

} // namespace bc
