#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QProcessEnvironment>
#include <QStringList>

namespace bc::test {

// One finished `boxctl` process: what a user or a script sees.
struct BoxctlRun
{
    int exitCode = -1; // -1: did not start, crashed or timed out
    QByteArray out;
    QByteArray err;
    // stdout parsed as one JSON document; null when it is not exactly that.
    QJsonDocument json() const;
    QString describe() const; // exit code, stdout and stderr, for failure messages
};

// build/bin/boxctl.
QString boxctlPath();

// An environment for boxctl isolated from the user's: HOME and XDG dirs in `home`, no
// DOCKER_*/COOLIFY_* variables, so settings, contexts and tokens come only from the test.
QProcessEnvironment isolatedEnvironment(const QString &home);

// Runs boxctl to its end with the given environment and standard input.
BoxctlRun runBoxctl(const QStringList &args, const QProcessEnvironment &env,
                    const QByteArray &input = {}, int timeoutMs = 120000);

} // namespace bc::test
