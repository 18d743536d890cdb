#include "core/http/transport.h"

#include <QFile>
#include <QLocalSocket>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpSocket>

#include <sys/socket.h>

namespace bc::http {

namespace {

// One word for the remote POSIX shell that sshd hands the command to: as it is when the
// shell would read nothing special in it, otherwise in single quotes (where only ' itself
// needs care: '\'').
QString shellWord(const QString &word)
{
    bool plain = !word.isEmpty();
    for (const QChar c : word) {
        const char16_t u = c.unicode();
        if (!((u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
              QStringView(u"-_./:=,+@%").contains(c))) {
            plain = false;
            break;
        }
    }
    if (plain)
        return word;
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

bool hasControlCharacter(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() < 0xa0))
            return true;
    }
    return false;
}

} // namespace

Transport::Transport(const Endpoint &endpoint, QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
{
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        fail(Error(Error::Kind::Timeout,
                   QStringLiteral("cannot reach %1: connect timed out").arg(describe())));
    });
}

Transport::~Transport()
{
    if (m_device) {
        m_device->disconnect(this);
        if (auto *process = qobject_cast<QProcess *>(m_device.data())) {
            process->kill();
            process->waitForFinished(1000);
        }
        delete m_device;
    }
}

QString Transport::describe() const
{
    return m_endpoint.toUrl();
}

void Transport::open(int connectTimeoutMs)
{
    if (connectTimeoutMs > 0)
        m_connectTimer.start(connectTimeoutMs);
    switch (m_endpoint.transport) {
    case Endpoint::Transport::Unix:
        setupUnix();
        break;
    case Endpoint::Transport::Tcp:
        setupTcp();
        break;
    case Endpoint::Transport::Ssh:
        setupSsh();
        break;
    }
}

void Transport::fail(const Error &error)
{
    if (m_done)
        return;
    m_done = true;
    m_open = false;
    m_connectTimer.stop();
    if (m_device)
        m_device->disconnect(this);
    emit failed(error);
}

void Transport::setupUnix()
{
    auto *socket = new QLocalSocket(this);
    m_device = socket;
    connect(socket, &QLocalSocket::connected, this, [this] {
        m_connectTimer.stop();
        m_open = true;
        emit connected();
    });
    connect(socket, &QLocalSocket::readyRead, this, &Transport::readyRead);
    connect(socket, &QLocalSocket::bytesWritten, this, &Transport::bytesWritten);
    connect(
        socket, &QLocalSocket::errorOccurred, this,
        [this, socket](QLocalSocket::LocalSocketError e) {
            if (m_open && e == QLocalSocket::PeerClosedError)
                return; // Qt reports EOF as an error before disconnected(); EOF is handled there.
            QString reason;
            switch (e) {
            case QLocalSocket::ServerNotFoundError:
                reason = QStringLiteral("no such file; is dockerd running?");
                break;
            case QLocalSocket::ConnectionRefusedError:
                reason = QStringLiteral("connection refused; is dockerd running?");
                break;
            case QLocalSocket::SocketAccessError:
                reason = QStringLiteral("permission denied; is your user in the docker group?");
                break;
            default:
                reason = socket->errorString();
            }
            fail(Error(Error::Kind::Transport,
                       (m_open ? QStringLiteral("connection to %1 lost: %2")
                               : QStringLiteral("cannot reach Docker at %1: %2"))
                           .arg(describe(), reason)));
        });
    connect(socket, &QLocalSocket::disconnected, this, [this] {
        if (!m_done) {
            m_done = true;
            m_open = false;
            emit closed();
        }
    });
    socket->connectToServer(m_endpoint.socketPath);
}

static QSslKey loadKey(const QByteArray &pem)
{
    // QSslKey needs the algorithm up front; docker keys are RSA or EC (PKCS#1/8, SEC1).
    QSslKey key(pem, QSsl::Rsa);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec);
    return key;
}

void Transport::setupTcp()
{
    QAbstractSocket *socket = nullptr;
    if (m_endpoint.tls) {
        auto *ssl = new QSslSocket(this);
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setProtocol(QSsl::TlsV1_2OrLater);
        if (!m_endpoint.caFile.isEmpty()) {
            const auto cas = QSslCertificate::fromPath(m_endpoint.caFile);
            if (cas.isEmpty()) {
                m_device = ssl;
                QTimer::singleShot(0, this, [this] {
                    fail(Error(
                        Error::Kind::Invalid,
                        QStringLiteral("cannot read CA certificate %1").arg(m_endpoint.caFile)));
                });
                return;
            }
            config.setCaCertificates(cas);
        }
        if (!m_endpoint.certFile.isEmpty()) {
            const auto certs = QSslCertificate::fromPath(m_endpoint.certFile);
            QFile keyFile(m_endpoint.keyFile);
            QSslKey key;
            if (keyFile.open(QIODevice::ReadOnly))
                key = loadKey(keyFile.readAll());
            if (certs.isEmpty() || key.isNull()) {
                m_device = ssl;
                QTimer::singleShot(0, this, [this] {
                    fail(Error(Error::Kind::Invalid,
                               QStringLiteral("cannot read client certificate %1 or key %2 "
                                              "(encrypted keys are not supported)")
                                   .arg(m_endpoint.certFile, m_endpoint.keyFile)));
                });
                return;
            }
            config.setLocalCertificate(certs.first());
            config.setPrivateKey(key);
        }
        config.setPeerVerifyMode(m_endpoint.tlsVerify ? QSslSocket::VerifyPeer
                                                      : QSslSocket::VerifyNone);
        ssl->setSslConfiguration(config);
        connect(ssl, &QSslSocket::encrypted, this, [this] {
            m_connectTimer.stop();
            m_open = true;
            emit connected();
        });
        connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            // Never ignored: an unverifiable daemon is an error, with the reason shown.
            QStringList texts;
            for (const QSslError &e : errors)
                texts << e.errorString();
            m_tlsErrors = texts.join(QStringLiteral("; "));
        });
        socket = ssl;
    } else {
        socket = new QTcpSocket(this);
        connect(socket, &QTcpSocket::connected, this, [this] {
            m_connectTimer.stop();
            m_open = true;
            emit connected();
        });
    }
    m_device = socket;
    connect(socket, &QAbstractSocket::readyRead, this, &Transport::readyRead);
    connect(socket, &QAbstractSocket::bytesWritten, this, &Transport::bytesWritten);
    connect(socket, &QAbstractSocket::errorOccurred, this,
            [this, socket](QAbstractSocket::SocketError e) {
                if (m_open && e == QAbstractSocket::RemoteHostClosedError)
                    return;
                QString reason = socket->errorString();
                if (!m_tlsErrors.isEmpty())
                    reason = QStringLiteral("TLS verification failed: ") + m_tlsErrors;
                fail(Error(Error::Kind::Transport,
                           (m_open ? QStringLiteral("connection to %1 lost: %2")
                                   : QStringLiteral("cannot reach Docker at %1: %2"))
                               .arg(describe(), reason)));
            });
    connect(socket, &QAbstractSocket::disconnected, this, [this] {
        if (!m_done) {
            m_done = true;
            m_open = false;
            emit closed();
        }
    });
    socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    if (auto *ssl = qobject_cast<QSslSocket *>(socket))
        ssl->connectToHostEncrypted(m_endpoint.host, m_endpoint.port);
    else
        socket->connectToHost(m_endpoint.host, m_endpoint.port);
}

void Transport::setupSsh()
{
    // A new line ends the remote command in any shell, and a login shell that is not
    // POSIX (csh, fish) may read more into quotes: such a path is refused, not quoted.
    if (hasControlCharacter(m_endpoint.sshRemoteSocket)) {
        QTimer::singleShot(0, this, [this] {
            fail(Error(Error::Kind::Invalid,
                       QStringLiteral("the Docker socket path for ssh host %1 contains a control "
                                      "character")
                           .arg(m_endpoint.sshHost)));
        });
        return;
    }
    auto *process = new QProcess(this);
    m_device = process;
    QStringList args;
    if (!m_endpoint.sshUser.isEmpty())
        args << QStringLiteral("-l") << m_endpoint.sshUser;
    if (m_endpoint.sshPort != 0)
        args << QStringLiteral("-p") << QString::number(m_endpoint.sshPort);
    args << m_endpoint.sshExtraArgs;
    args << QStringLiteral("-o") << QStringLiteral("ConnectTimeout=30") << QStringLiteral("-T")
         << QStringLiteral("--") << m_endpoint.sshHost;
    // sshd joins the words after the host with spaces and runs them with the user's shell:
    // the remote command is built here as one word list, each quoted for that shell.
    QStringList remote{QStringLiteral("docker")};
    if (!m_endpoint.sshRemoteSocket.isEmpty())
        remote << QStringLiteral("--host=unix://") + m_endpoint.sshRemoteSocket;
    remote << QStringLiteral("system") << QStringLiteral("dial-stdio");
    for (QString &word : remote)
        word = shellWord(word);
    args << remote.join(QLatin1Char(' '));
    process->setReadChannel(QProcess::StandardOutput);
    connect(process, &QProcess::started, this, [this] {
        m_connectTimer.stop();
        m_open = true;
        emit connected();
    });
    connect(process, &QProcess::readyReadStandardOutput, this, &Transport::readyRead);
    connect(process, &QProcess::readyReadStandardError, this, [this, process] {
        m_sshStderr += process->readAllStandardError();
        if (m_sshStderr.size() > 8192)
            m_sshStderr = m_sshStderr.right(8192);
    });
    connect(process, &QProcess::bytesWritten, this, &Transport::bytesWritten);
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            fail(Error(Error::Kind::Transport,
                       QStringLiteral("cannot start %1: %2")
                           .arg(m_endpoint.sshProgram, process->errorString())));
    });
    connect(process, &QProcess::finished, this, [this, process](int code, QProcess::ExitStatus) {
        if (m_done)
            return;
        m_sshStderr += process->readAllStandardError();
        if (code != 0) {
            // ssh's own words (host key, auth, "docker: command not found") are the useful part.
            fail(Error(Error::Kind::Transport, QStringLiteral("ssh to %1 failed (exit %2): %3")
                                                   .arg(describe())
                                                   .arg(code)
                                                   .arg(QString::fromUtf8(m_sshStderr).trimmed())));
            return;
        }
        m_done = true;
        m_open = false;
        emit closed();
    });
    process->start(m_endpoint.sshProgram, args);
}

QByteArray Transport::readAll()
{
    return m_device ? m_device->readAll() : QByteArray();
}

qint64 Transport::write(const QByteArray &data)
{
    return m_device ? m_device->write(data) : -1;
}

qint64 Transport::bytesToWrite() const
{
    return m_device ? m_device->bytesToWrite() : 0;
}

void Transport::shutdownWrite()
{
    shutdownWrite(m_device);
}

bool Transport::shutdownWrite(QIODevice *device)
{
    if (!device)
        return true;
    if (auto *process = qobject_cast<QProcess *>(device)) {
        process->closeWriteChannel();
        return true;
    }
    qintptr fd = -1;
    if (auto *local = qobject_cast<QLocalSocket *>(device)) {
        local->flush();
        fd = local->socketDescriptor();
    } else if (auto *tcp = qobject_cast<QTcpSocket *>(device)) {
        if (qobject_cast<QSslSocket *>(tcp))
            return false; // no TLS half-close in Qt: the caller must close instead
        tcp->flush();
        fd = tcp->socketDescriptor();
    }
    // Qt has no shutdown(): use the fd so the daemon sees stdin EOF (moby/moby#36516).
    if (fd >= 0)
        ::shutdown(int(fd), SHUT_WR);
    return true;
}

QIODevice *Transport::release()
{
    QIODevice *device = m_device;
    if (device) {
        device->disconnect(this);
        device->setParent(nullptr);
    }
    m_device.clear();
    m_connectTimer.stop();
    m_open = false;
    m_done = true;
    return device;
}

void Transport::abort()
{
    if (!m_device)
        return;
    m_device->disconnect(this);
    if (auto *local = qobject_cast<QLocalSocket *>(m_device.data()))
        local->abort();
    else if (auto *socket = qobject_cast<QAbstractSocket *>(m_device.data()))
        socket->abort();
    else if (auto *process = qobject_cast<QProcess *>(m_device.data()))
        process->kill();
    m_open = false;
    m_done = true;
}

} // namespace bc::http
