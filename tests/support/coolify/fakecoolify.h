#pragma once

#include "core/coolify/coolifyconfig.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace bc::test {

// Runs tests/support/coolify/fake_coolify.py on a free loopback port for one test
// case and steers its quirks through /__control/*. Tests only: the control calls wait.
class FakeCoolify
{
public:
    FakeCoolify() = default;
    ~FakeCoolify();
    FakeCoolify(const FakeCoolify &) = delete;
    FakeCoolify &operator=(const FakeCoolify &) = delete;

    // Starts the server; false (with a QWARN) when python3 or the script is missing.
    bool start(const QString &version = QStringLiteral("4.3.11"));
    void stop();
    quint16 port() const { return m_port; }
    QUrl url() const; // http://127.0.0.1:<port>, the Coolify instance URL

    // POST /__control/<name> with a JSON body; returns the JSON answer.
    QJsonDocument control(const QString &name, const QJsonObject &body = {});
    // GET /__control/<name> ("state", "requests").
    QJsonDocument inspect(const QString &name);

    // The newest recorded request with this method whose path starts with pathPrefix.
    QJsonObject lastRequest(const QString &method, const QString &pathPrefix);
    // How many API requests were recorded so far (all, or those whose path starts with
    // pathPrefix): a test compares counts to prove that polling stopped.
    int requestCount(const QString &pathPrefix = {});

    // Grows the application's container log (what GET …/logs?lines=N tails); reset first
    // empties it, as a replaced container would. Returns the log's new length, -1 on error.
    int appendLog(const QString &appUuid, const QStringList &lines, bool reset = false);
    // Sets the application's raw status ("running:healthy", "exited:unhealthy", …).
    bool setStatus(const QString &appUuid, const QString &status);

    // A client configuration for the fake's seeded server, project and environment.
    coolify::CoolifyConfig config(const QString &token) const;

    static QString scriptPath();

private:
    QJsonDocument http(const QByteArray &method, const QString &name, const QByteArray &body);
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace bc::test
