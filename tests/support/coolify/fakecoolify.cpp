#include "support/coolify/fakecoolify.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTimer>
#include <QtTest>

#include <algorithm>

namespace bc::test {

FakeCoolify::~FakeCoolify()
{
    stop();
}

QString FakeCoolify::scriptPath()
{
    // ctest sets BOX_SOURCE_DIR; run by hand, export it too.
    const QString source = qEnvironmentVariable("BOX_SOURCE_DIR", QStringLiteral("."));
    return source + QStringLiteral("/tests/support/coolify/fake_coolify.py");
}

bool FakeCoolify::start(const QString &version)
{
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty() || !QFile::exists(scriptPath())) {
        qWarning("fake Coolify unavailable (python3: '%s', script: %s)", qPrintable(python),
                 qPrintable(scriptPath()));
        return false;
    }
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(python, {scriptPath(), QStringLiteral("--port"), QStringLiteral("0"),
                             QStringLiteral("--version"), version});
    if (!m_process.waitForStarted(5000))
        return false;
    QDeadlineTimer deadline(10000);
    while (!m_process.canReadLine() && !deadline.hasExpired())
        m_process.waitForReadyRead(100);
    bool ok = false;
    m_port = quint16(QString::fromLatin1(m_process.readLine()).trimmed().toUInt(&ok));
    if (!ok || m_port == 0) {
        qWarning("fake Coolify did not report its port: %s",
                 m_process.readAllStandardError().constData());
        stop();
        return false;
    }
    return true;
}

void FakeCoolify::stop()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
    m_port = 0;
}

QUrl FakeCoolify::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

QJsonDocument FakeCoolify::http(const QByteArray &method, const QString &name,
                                const QByteArray &body)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(url().toString() + QStringLiteral("/__control/") + name));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    const QByteArray data = reply->readAll();
    reply->deleteLater();
    return QJsonDocument::fromJson(data);
}

QJsonDocument FakeCoolify::control(const QString &name, const QJsonObject &body)
{
    return http("POST", name, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

QJsonDocument FakeCoolify::inspect(const QString &name)
{
    return http("GET", name, {});
}

coolify::CoolifyConfig FakeCoolify::config(const QString &token) const
{
    coolify::CoolifyConfig c;
    c.baseUrl = url();
    c.token = token;
    c.serverUuid = QStringLiteral("srv-main");
    c.projectUuid = QStringLiteral("proj-boxes");
    c.environmentName = QStringLiteral("production");
    c.environmentUuid = QStringLiteral("env-prod");
    c.domain = QStringLiteral("boxes.test");
    c.timeoutMs = 5000;
    c.pollIntervalMs = 50;
    return c;
}

QJsonObject FakeCoolify::lastRequest(const QString &method, const QString &pathPrefix)
{
    const QJsonArray requests = inspect(QStringLiteral("requests")).array();
    for (auto it = requests.end(); it != requests.begin();) {
        --it;
        const QJsonObject r = it->toObject();
        if (r.value(QStringLiteral("method")).toString() == method &&
            r.value(QStringLiteral("path")).toString().startsWith(pathPrefix))
            return r;
    }
    return {};
}

int FakeCoolify::requestCount(const QString &pathPrefix)
{
    const QJsonArray requests = inspect(QStringLiteral("requests")).array();
    if (pathPrefix.isEmpty())
        return int(requests.size());
    return int(std::count_if(requests.begin(), requests.end(), [&pathPrefix](const QJsonValue &r) {
        return r.toObject().value(QStringLiteral("path")).toString().startsWith(pathPrefix);
    }));
}

int FakeCoolify::appendLog(const QString &appUuid, const QStringList &lines, bool reset)
{
    const QJsonObject answer =
        control(QStringLiteral("log"),
                {{QStringLiteral("uuid"), appUuid},
                 {QStringLiteral("append"), QJsonArray::fromStringList(lines)},
                 {QStringLiteral("reset"), reset}})
            .object();
    return answer.value(QStringLiteral("lines")).toInt(-1);
}

bool FakeCoolify::setStatus(const QString &appUuid, const QString &status)
{
    return control(QStringLiteral("status"),
                   {{QStringLiteral("uuid"), appUuid}, {QStringLiteral("status"), status}})
        .object()
        .value(QStringLiteral("ok"))
        .toBool();
}

} // namespace bc::test
