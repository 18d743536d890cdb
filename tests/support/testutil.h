#pragma once

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFuture>
#include <QStringList>
#include <QTest>

#include <functional>

// Fails the test with the error's text when a Result (or VoidResult) holds an error.
// (QVERIFY2 evaluates its message even on success, so it cannot call error() safely.)
#define QVERIFY_RESULT(result)                                                                     \
    do {                                                                                           \
        const auto &result_ = (result);                                                            \
        if (!result_.ok())                                                                         \
            QFAIL(qPrintable(QStringLiteral(#result ": ") + result_.error().toString()));          \
    } while (false)

namespace bc::test {

// Spins the event loop until the future is ready (tests only: never on the GUI thread of
// the application). Fails the test and returns false on timeout.
template <typename T> bool waitFor(const QFuture<T> &future, int timeoutMs = 30000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!future.isFinished() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 20);
    return future.isFinished();
}

// Spins the event loop until done() holds; false on timeout.
inline bool waitUntil(const std::function<bool()> &done, int timeoutMs = 20000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 20);
    return done();
}

// Returns the future's only result after waiting for it.
template <typename T> T await(const QFuture<T> &future, int timeoutMs = 30000)
{
    if (!waitFor(future, timeoutMs))
        qFatal("future did not finish within %d ms", timeoutMs);
    return future.result();
}

// Writes a file, creating its directory; a failure ends the test program.
void writeFile(const QString &path, const QByteArray &data);

// prefix+from, …, prefix+to: lines of a log, names of many objects.
QStringList numbered(const QString &prefix, int from, int to);

// One frame of Docker's multiplexed stream: stream type (1 stdout, 2 stderr), three zero
// bytes, the payload's size big-endian, the payload.
QByteArray stdcopyFrame(int stream, const QByteArray &payload);

} // namespace bc::test
