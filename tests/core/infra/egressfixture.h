#pragma once

// Real processes for the egress tests: a test CA made with openssl, TLS upstreams
// (data/tls_upstream.py) and HAProxy, all on loopback or Unix sockets in a temp dir.
// Header-only because tests/core/infra links only core_infra and testsupport.

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>
#include <vector>

namespace bc::test {

struct HttpReply
{
    int status = 0;
    QByteArray body;
    QByteArray error;
};

class EgressFixture
{
public:
    EgressFixture() { m_dir.setAutoRemove(true); }
    ~EgressFixture() { stopAll(); }

    static QString missingTool(const QStringList &tools)
    {
        for (const QString &tool : tools) {
            if (QStandardPaths::findExecutable(tool).isEmpty() &&
                QStandardPaths::findExecutable(
                    tool, {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")})
                    .isEmpty())
                return tool;
        }
        return {};
    }
    static QString tool(const QString &name)
    {
        QString path = QStandardPaths::findExecutable(name);
        if (path.isEmpty())
            path = QStandardPaths::findExecutable(
                name, {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
        return path;
    }

    QString path(const QString &name) const { return m_dir.filePath(name); }
    bool isValid() const { return m_dir.isValid(); }

    // Runs a short command to completion; returns its exit code (-1 when it did not run).
    int run(const QString &program, const QStringList &args, QByteArray *output = nullptr,
            int timeoutMs = 30000, const QProcessEnvironment &env = {})
    {
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        if (!env.isEmpty())
            p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(program, args);
        if (!p.waitForStarted(5000))
            return -1;
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished(2000);
            return -1;
        }
        if (output)
            *output = p.readAll();
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

    // A CA, a server certificate for "localhost" signed by it, and a self-signed
    // "localhost" certificate that the CA does not vouch for.
    bool makeCertificates()
    {
        const QString openssl = tool(QStringLiteral("openssl"));
        QFile ext(path(QStringLiteral("san.cnf")));
        if (!ext.open(QIODevice::WriteOnly))
            return false;
        ext.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        ext.close();
        const QStringList ec{
            QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
        QByteArray out;
        auto ok = [&](const QStringList &args) {
            const int rc = run(openssl, args, &out);
            if (rc != 0)
                qWarning("openssl %s failed: %s", qPrintable(args.join(u' ')), out.constData());
            return rc == 0;
        };
        return ok(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ec +
                  QStringList{QStringLiteral("-keyout"), QStringLiteral("ca.key"),
                              QStringLiteral("-out"), QStringLiteral("ca.crt"),
                              QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                              QStringLiteral("/CN=box-console test CA")}) &&
               ok(QStringList{QStringLiteral("req")} + ec +
                  QStringList{QStringLiteral("-keyout"), QStringLiteral("server.key"),
                              QStringLiteral("-out"), QStringLiteral("server.csr"),
                              QStringLiteral("-subj"), QStringLiteral("/CN=localhost")}) &&
               ok({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                   QStringLiteral("server.csr"), QStringLiteral("-CA"), QStringLiteral("ca.crt"),
                   QStringLiteral("-CAkey"), QStringLiteral("ca.key"),
                   QStringLiteral("-CAcreateserial"), QStringLiteral("-out"),
                   QStringLiteral("server.crt"), QStringLiteral("-days"), QStringLiteral("2"),
                   QStringLiteral("-extfile"), QStringLiteral("san.cnf")}) &&
               ok(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ec +
                  QStringList{QStringLiteral("-keyout"), QStringLiteral("rogue.key"),
                              QStringLiteral("-out"), QStringLiteral("rogue.crt"),
                              QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                              QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                              QStringLiteral("subjectAltName=DNS:localhost")});
    }

    // Starts data/tls_upstream.py with the given certificate; returns its port (0 on failure).
    int startUpstream(const QString &certBase)
    {
        const QString script = QString::fromLocal8Bit(qgetenv("BOX_SOURCE_DIR")) +
                               QStringLiteral("/tests/core/infra/data/tls_upstream.py");
        auto p = std::make_unique<QProcess>();
        p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p->start(tool(QStringLiteral("python3")),
                 {script, QStringLiteral("--cert"), path(certBase + QStringLiteral(".crt")),
                  QStringLiteral("--key"), path(certBase + QStringLiteral(".key"))});
        if (!p->waitForStarted(5000))
            return 0;
        QDeadlineTimer deadline(15000);
        QByteArray line;
        while (!p->canReadLine() && !deadline.hasExpired())
            p->waitForReadyRead(200);
        line = p->readLine().trimmed();
        m_processes.push_back(std::move(p));
        if (!line.startsWith("PORT "))
            return 0;
        return line.mid(5).toInt();
    }

    // Starts "haproxy -f cfg -db" with extra environment; waits for the sockets to appear.
    QProcess *startHaproxy(const QString &configText, const QProcessEnvironment &extraEnv,
                           const QStringList &sockets)
    {
        QFile cfg(path(QStringLiteral("haproxy.cfg")));
        if (!cfg.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return nullptr;
        cfg.write(configText.toUtf8());
        cfg.close();
        for (const QString &s : sockets)
            QFile::remove(s);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(extraEnv);
        auto p = std::make_unique<QProcess>();
        p->setProcessEnvironment(env);
        p->setProcessChannelMode(QProcess::MergedChannels);
        p->start(tool(QStringLiteral("haproxy")),
                 {QStringLiteral("-f"), cfg.fileName(), QStringLiteral("-db")});
        if (!p->waitForStarted(5000))
            return nullptr;
        QProcess *raw = p.get();
        m_processes.push_back(std::move(p));
        QDeadlineTimer deadline(10000);
        auto allThere = [&] {
            for (const QString &s : sockets) {
                if (!QFileInfo::exists(s))
                    return false;
            }
            return true;
        };
        while (!allThere() && !deadline.hasExpired() && raw->state() == QProcess::Running)
            raw->waitForFinished(100);
        if (!allThere()) {
            qWarning("haproxy did not start: %s", raw->readAll().constData());
            return nullptr;
        }
        return raw;
    }

    // One HTTP request through a Unix socket with curl.
    HttpReply request(const QString &socket, const QString &method, const QString &urlPath,
                      const QStringList &headers = {}, const QByteArray &body = {})
    {
        QStringList args{QStringLiteral("-sS"),
                         QStringLiteral("--path-as-is"),
                         QStringLiteral("--max-time"),
                         QStringLiteral("30"),
                         QStringLiteral("--unix-socket"),
                         socket,
                         QStringLiteral("-X"),
                         method,
                         QStringLiteral("-w"),
                         QStringLiteral("\n%{http_code}")};
        for (const QString &h : headers)
            args << QStringLiteral("-H") << h;
        if (!body.isEmpty())
            args << QStringLiteral("--data-binary") << QString::fromUtf8(body);
        args << QStringLiteral("http://box") + urlPath;
        QProcess p;
        p.start(tool(QStringLiteral("curl")), args);
        HttpReply reply;
        if (!p.waitForFinished(40000)) {
            p.kill();
            p.waitForFinished(2000);
            reply.error = "curl timed out";
            return reply;
        }
        QByteArray out = p.readAllStandardOutput();
        reply.error = p.readAllStandardError();
        const int nl = out.lastIndexOf('\n');
        reply.status = out.mid(nl + 1).trimmed().toInt();
        reply.body = out.left(qMax(0, nl));
        return reply;
    }

    void stopProcess(QProcess *process)
    {
        if (!process || process->state() == QProcess::NotRunning)
            return;
        process->terminate();
        if (!process->waitForFinished(3000)) {
            process->kill();
            process->waitForFinished(3000);
        }
    }

    void stopAll()
    {
        for (auto &p : m_processes)
            stopProcess(p.get());
        m_processes.clear();
    }

private:
    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<QProcess>> m_processes;
};

} // namespace bc::test
