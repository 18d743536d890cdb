#pragma once

// Shared by the box pipeline tests (header only: each tst_*.cpp is its own executable).

#include "core/boxes/boxjob.h"
#include "core/boxes/deployoptions.h"
#include "core/security/boxspec.h"
#include "core/security/hardeningprofile.h"
#include "support/dockerfixture.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

namespace bc::test::boxes {

// A box-like image: static busybox on an empty root, a box-agent stand-in (httpd on
// 127.0.0.1:9999 serving /www/health), user 1000:1000; it writes nothing, so it runs with
// a read-only root. Built offline with the classic builder; rebuilt only when missing.
inline QString agentImage()
{
    return QStringLiteral("bctest/boxes-agent:latest");
}

// `docker build` of a prepared context with the classic builder (no registry, no BuildKit
// cache), the image labelled `label`; the builder's stderr goes to error.
inline bool buildTestImage(const QString &contextDir, const QString &tag, const QString &label,
                           QString *error)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DOCKER_BUILDKIT"), QStringLiteral("0"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("docker"),
            {QStringLiteral("build"), QStringLiteral("-q"), QStringLiteral("--label"), label,
             QStringLiteral("-t"), tag, contextDir});
    if (!p.waitForFinished(180000) || p.exitCode() != 0) {
        *error = QString::fromLocal8Bit(p.readAllStandardError());
        return false;
    }
    return true;
}

inline bool buildAgentImage(QString *error)
{
    int code = 0;
    runDocker({QStringLiteral("image"), QStringLiteral("inspect"), agentImage()}, &code);
    if (code == 0)
        return true;
    QTemporaryDir dir;
    if (!dir.isValid() ||
        !QFile::copy(QStringLiteral("/bin/busybox"), dir.filePath(QStringLiteral("busybox")))) {
        *error = QStringLiteral("cannot prepare the build context (is busybox-static installed?)");
        return false;
    }
    QDir(dir.path()).mkpath(QStringLiteral("www"));
    QFile health(dir.filePath(QStringLiteral("www/health")));
    health.open(QIODevice::WriteOnly);
    health.write("ok\n");
    health.close();
    QFile df(dir.filePath(QStringLiteral("Dockerfile")));
    df.open(QIODevice::WriteOnly);
    df.write("FROM scratch\n"
             "COPY busybox /bin/busybox\n"
             "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n"
             "COPY www /www\n"
             "USER 1000:1000\n"
             "CMD [\"httpd\", \"-f\", \"-p\", \"127.0.0.1:9999\", \"-h\", \"/www\"]\n");
    df.close();
    return buildTestImage(dir.path(), agentImage(), QStringLiteral("box-console.test-image=1"),
                          error);
}

// What every engine suite of this folder holds from initTestCase to the end: a cleanup
// guard for its labelled objects, a private state dir (deploy journal) and the agent image.
// Returns an error text, empty on success; QSKIP stays with the caller (it must return).
struct EngineSuite
{
    std::unique_ptr<LabelledCleanup> guard;
    std::unique_ptr<QTemporaryDir> state;

    QString setUp()
    {
        guard = std::make_unique<LabelledCleanup>();
        state = std::make_unique<QTemporaryDir>();
        qputenv("BOX_CONSOLE_STATE_DIR", state->path().toUtf8());
        QString error;
        return buildAgentImage(&error) ? QString() : error;
    }
};

inline security::BoxSpec agentSpec(const QString &name)
{
    security::BoxSpec spec;
    spec.name = name;
    spec.subdomain = name.toLower();
    spec.owner = QStringLiteral("tester@example.com");
    spec.image = agentImage();
    spec.memoryBytes = 128LL * 1024 * 1024;
    spec.cpus = 0.5;
    security::BoxSpec::Healthcheck hc;
    hc.test = security::HardeningProfile::busyboxHealthTest();
    hc.intervalMs = 500;
    hc.timeoutMs = 2000;
    hc.retries = 3;
    hc.startPeriodMs = 0;
    spec.healthcheck = hc;
    return spec;
}

inline ::bc::boxes::DeployOptions testOptions()
{
    ::bc::boxes::DeployOptions o;
    o.extraLabels.insert(QStringLiteral("box-console.test"), QStringLiteral("1"));
    o.healthTimeoutMs = 60000;
    o.stopTimeoutSec = 2;
    o.engineWaitMs = 90000;
    return o;
}

// Waits for the job's finished signal (tests only). The result is taken from the signal:
// a finished job deletes itself (util::OnceJob) at the next event processing.
inline Result<::bc::boxes::BoxInfo> runJob(::bc::boxes::BoxJob *job, int timeoutMs = 120000)
{
    if (job->isFinished())
        return job->result();
    std::optional<Result<::bc::boxes::BoxInfo>> result;
    QObject receiver;
    QObject::connect(job, &::bc::boxes::BoxJob::finished, &receiver,
                     [&result](const Result<::bc::boxes::BoxInfo> &r) { result = r; });
    QDeadlineTimer deadline(timeoutMs);
    while (!result && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 20);
    if (!result)
        return Error(Error::Kind::Timeout, QStringLiteral("job did not finish"));
    return *result;
}

inline QStringList lines(const QString &text)
{
    return text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

// Every container, volume and network labelled as this box (or named like its objects).
inline QStringList objectsOf(const QString &box)
{
    const QString label = QStringLiteral("label=box-console.box=") + box;
    QStringList out;
    for (const QString &c : lines(runDocker(
             {QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--filter"), label})))
        out << QStringLiteral("container ") + c;
    for (const QString &v :
         lines(runDocker({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q"),
                          QStringLiteral("--filter"), label})))
        out << QStringLiteral("volume ") + v;
    for (const QString &n :
         lines(runDocker({QStringLiteral("network"), QStringLiteral("ls"), QStringLiteral("-q"),
                          QStringLiteral("--filter"), label})))
        out << QStringLiteral("network ") + n;
    for (const QString &suffix :
         {QStringLiteral("-config"), QStringLiteral("-cache"), QStringLiteral("-inbox")}) {
        int code = 0;
        runDocker({QStringLiteral("volume"), QStringLiteral("inspect"), box + suffix}, &code);
        if (code == 0 && !out.contains(QStringLiteral("volume ") + box + suffix))
            out << QStringLiteral("volume ") + box + suffix;
    }
    int code = 0;
    runDocker({QStringLiteral("network"), QStringLiteral("inspect"), box + QStringLiteral("-net")},
              &code);
    if (code == 0)
        out << QStringLiteral("network ") + box + QStringLiteral("-net");
    runDocker({QStringLiteral("container"), QStringLiteral("inspect"), box}, &code);
    if (code == 0)
        out << QStringLiteral("container named ") + box;
    return out;
}

} // namespace bc::test::boxes
