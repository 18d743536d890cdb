#pragma once

#include <QString>
#include <QStringList>

// Helpers for integration tests against the real engine. They drive the docker CLI
// synchronously (tests only), so a test can set up and check state independently of the
// client under test.
namespace bc::test {

// The label every Docker object a test creates carries ("box-console.test=1"), and that
// cleanup removes.
QString testLabel();

// True when the docker CLI reaches an engine.
bool dockerAvailable();

// Runs `docker args…` and returns its standard output with the trailing newline removed.
// exitCode is -1 when docker could not be started or did not finish within timeoutMs.
QString runDocker(const QStringList &args, int *exitCode = nullptr, QString *errorOutput = nullptr,
                  int timeoutMs = 120000);

// Removes containers (forced, with their anonymous volumes), networks, volumes and images
// that carry the label ("key=value" or "key").
void removeLabelled(const QString &label = testLabel());

// Removes labelled objects when created and when destroyed, so a test that failed (or a
// run that was killed) does not leave objects behind for the next one.
class LabelledCleanup
{
public:
    explicit LabelledCleanup(QString label = testLabel());
    ~LabelledCleanup();
    LabelledCleanup(const LabelledCleanup &) = delete;
    LabelledCleanup &operator=(const LabelledCleanup &) = delete;

private:
    QString m_label;
};

// bctest/busybox:latest: static busybox on an empty root (scripts/test-images.sh).
QString testImage();

// bctest/box:latest: a box stand-in, user 1000:1000, box-agent on 127.0.0.1:9999 with
// /health, HEALTHCHECK every 5 s, runs read-only and with --network none.
QString boxTestImage();

// A name no other test or earlier run uses: prefix-<pid>-<counter>-<random>.
QString uniqueName(const QString &prefix);

// Open file descriptors of this process, to catch leaked sockets.
int openFdCount();

// Stops dockerd, keeps it down for downtimeMs, starts it again the way
// scripts/docker-up.sh does and waits until /_ping answers. The event loop keeps running
// meanwhile, so clients under test see the outage as it happens. Needs root.
bool restartDockerd(int downtimeMs);

// Spins the event loop for ms milliseconds.
void spinEventLoop(int ms);

} // namespace bc::test
