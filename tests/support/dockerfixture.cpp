#include "support/dockerfixture.h"

#include "support/paths.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QThread>

#include <atomic>
#include <dirent.h>
#include <functional>
#include <signal.h>
#include <unistd.h>

namespace bc::test {

QString testLabel()
{
    return QStringLiteral("box-console.test=1");
}

QString testImage()
{
    return QStringLiteral("bctest/busybox:latest");
}

QString boxTestImage()
{
    return QStringLiteral("bctest/box:latest");
}

void spinEventLoop(int ms)
{
    QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        // processEvents returns at once when nothing is pending: do not burn a core.
        QThread::msleep(5);
    }
}

static bool spinUntil(const std::function<bool()> &done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

QString runDocker(const QStringList &args, int *exitCode, QString *errorOutput, int timeoutMs)
{
    QProcess p;
    p.setProgram(QStringLiteral("docker"));
    p.setArguments(args);
    p.setStandardInputFile(QProcess::nullDevice());
    p.start();
    int code = -1;
    if (p.waitForStarted(10000)) {
        if (p.waitForFinished(timeoutMs) && p.exitStatus() == QProcess::NormalExit) {
            code = p.exitCode();
        } else {
            p.kill();
            p.waitForFinished(5000);
        }
    }
    if (exitCode)
        *exitCode = code;
    if (errorOutput)
        *errorOutput = QString::fromUtf8(p.readAllStandardError()).trimmed();
    QString out = QString::fromUtf8(p.readAllStandardOutput());
    while (out.endsWith(QLatin1Char('\n')))
        out.chop(1);
    return out;
}

bool dockerAvailable()
{
    int code = -1;
    runDocker({QStringLiteral("version"), QStringLiteral("--format"),
               QStringLiteral("{{.Server.APIVersion}}")},
              &code, nullptr, 15000);
    return code == 0;
}

static QStringList idsOf(const QStringList &listArgs)
{
    int code = -1;
    const QString out = runDocker(listArgs, &code);
    if (code != 0)
        return {};
    QStringList ids = out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    ids.removeDuplicates();
    return ids;
}

void removeLabelled(const QString &label)
{
    const QString filter = QStringLiteral("label=") + label;
    const QString f = QStringLiteral("--filter");
    // Containers first: they hold the networks, volumes and images.
    if (const QStringList ids = idsOf({QStringLiteral("ps"), QStringLiteral("-aq"), f, filter});
        !ids.isEmpty())
        runDocker(QStringList{QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("-v")} +
                  ids);
    if (const QStringList ids = idsOf(
            {QStringLiteral("network"), QStringLiteral("ls"), QStringLiteral("-q"), f, filter});
        !ids.isEmpty())
        runDocker(QStringList{QStringLiteral("network"), QStringLiteral("rm")} + ids);
    if (const QStringList ids = idsOf(
            {QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q"), f, filter});
        !ids.isEmpty())
        runDocker(
            QStringList{QStringLiteral("volume"), QStringLiteral("rm"), QStringLiteral("-f")} +
            ids);
    if (const QStringList ids = idsOf({QStringLiteral("images"), QStringLiteral("-aq"), f, filter});
        !ids.isEmpty())
        runDocker(QStringList{QStringLiteral("rmi"), QStringLiteral("-f")} + ids);
}

LabelledCleanup::LabelledCleanup(QString label)
    : m_label(std::move(label))
{
    removeLabelled(m_label);
}

LabelledCleanup::~LabelledCleanup()
{
    removeLabelled(m_label);
}

QString uniqueName(const QString &prefix)
{
    static std::atomic<int> counter{0};
    return QStringLiteral("%1-%2-%3-%4")
        .arg(prefix)
        .arg(QCoreApplication::applicationPid())
        .arg(++counter)
        .arg(QRandomGenerator::global()->generate() & 0xffff, 4, 16, QLatin1Char('0'));
}

int openFdCount()
{
    DIR *dir = opendir("/proc/self/fd");
    if (!dir)
        return -1;
    int count = 0;
    while (const dirent *entry = readdir(dir)) {
        if (entry->d_name[0] != '.')
            ++count;
    }
    closedir(dir);
    return count - 1; // the directory's own descriptor
}

// A zombie still has a /proc entry, but it is gone as far as the engine is concerned.
static bool processAlive(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close < 0 || line.mid(close + 2, 1) != "Z";
}

static qint64 dockerdPid()
{
    QFile pidFile(QStringLiteral("/var/run/docker.pid"));
    if (pidFile.open(QIODevice::ReadOnly)) {
        const qint64 pid = pidFile.readAll().trimmed().toLongLong();
        QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
        if (pid > 0 && comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == "dockerd")
            return pid;
    }
    return 0;
}

static bool dockerUp()
{
    const QString script = sourceDir() + QStringLiteral("/scripts/docker-up.sh");
    QProcess p;
    p.setStandardInputFile(QProcess::nullDevice());
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    p.start(QStringLiteral("bash"), {script});
    if (!p.waitForStarted(10000))
        return false;
    if (!spinUntil([&p] { return p.state() == QProcess::NotRunning; }, 90000)) {
        p.kill();
        p.waitForFinished(5000);
        return false;
    }
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

bool restartDockerd(int downtimeMs)
{
    if (geteuid() != 0) {
        qWarning("restartDockerd: needs root");
        return false;
    }
    const qint64 pid = dockerdPid();
    if (pid > 0) {
        ::kill(static_cast<pid_t>(pid), SIGTERM);
        // dockerd stops its containers before it exits (up to their stop timeout).
        if (!spinUntil([pid] { return !processAlive(pid); }, 45000)) {
            ::kill(static_cast<pid_t>(pid), SIGKILL);
            spinUntil([pid] { return !processAlive(pid); }, 5000);
        }
    } else {
        qWarning("restartDockerd: no dockerd found through /var/run/docker.pid");
    }
    spinEventLoop(downtimeMs);
    return dockerUp();
}

} // namespace bc::test
