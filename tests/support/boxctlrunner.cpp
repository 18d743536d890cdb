#include "support/boxctlrunner.h"

#include "support/paths.h"

#include <QDir>
#include <QFile>
#include <QProcess>

namespace bc::test {

QJsonDocument BoxctlRun::json() const
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(out, &error);
    return error.error == QJsonParseError::NoError ? doc : QJsonDocument();
}

QString BoxctlRun::describe() const
{
    return QStringLiteral("exit %1\n--- stdout:\n%2\n--- stderr:\n%3")
        .arg(exitCode)
        .arg(QString::fromUtf8(out.left(4000)), QString::fromUtf8(err.left(4000)));
}

QString boxctlPath()
{
    return QDir(binDir()).filePath(QStringLiteral("boxctl"));
}

QProcessEnvironment isolatedEnvironment(const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys())
        if (key.startsWith(QLatin1String("DOCKER_")) || key.startsWith(QLatin1String("COOLIFY_")) ||
            key == QLatin1String("DEPLOY_MODE") || key.startsWith(QLatin1String("XDG_")))
            env.remove(key);
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
    env.insert(QStringLiteral("XDG_STATE_HOME"), home + QStringLiteral("/.local/state"));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home + QStringLiteral("/run"));
    QDir().mkpath(home + QStringLiteral("/run"));
    QFile::setPermissions(home + QStringLiteral("/run"),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    // No session bus: the keychain falls back to its file store under HOME.
    env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    return env;
}

BoxctlRun runBoxctl(const QStringList &args, const QProcessEnvironment &env,
                    const QByteArray &input, int timeoutMs)
{
    BoxctlRun run;
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(boxctlPath(), args);
    if (!p.waitForStarted(10000))
        return run;
    p.write(input);
    p.closeWriteChannel();
    const bool done = p.waitForFinished(timeoutMs);
    if (!done) {
        p.kill();
        p.waitForFinished(5000);
    }
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    run.exitCode = done && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return run;
}

} // namespace bc::test
