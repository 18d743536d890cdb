#pragma once

#include "core/error.h"
#include "core/http/endpoint.h"

#include <QByteArray>
#include <QIODevice>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace bc::http {

// One byte stream to an endpoint: QLocalSocket (unix), QTcpSocket/QSslSocket (tcp, TLS
// with CA and client certificate), or an `ssh … docker system dial-stdio` QProcess.
// Hides their different signals behind connected/readyRead/failed/closed.
class Transport : public QObject
{
    Q_OBJECT
public:
    explicit Transport(const Endpoint &endpoint, QObject *parent = nullptr);
    ~Transport() override;

    void open(int connectTimeoutMs);
    bool isOpen() const { return m_open; }
    QIODevice *device() const { return m_device; }
    QByteArray readAll();
    qint64 write(const QByteArray &data);
    qint64 bytesToWrite() const;
    // Ends our sending side (stdin EOF for a hijacked exec); the peer may still send.
    void shutdownWrite();
    // The same for a device taken over after an upgrade; false where the transport cannot
    // half-close (TLS), so the caller must close instead.
    static bool shutdownWrite(QIODevice *device);
    void abort();
    // Gives up ownership of the device (after an upgrade); the transport is inert after.
    QIODevice *release();

signals:
    void connected();
    void readyRead();
    void bytesWritten(qint64 bytes);
    void failed(const bc::Error &error);
    void closed(); // orderly EOF from the peer

private:
    void fail(const Error &error);
    void setupUnix();
    void setupTcp();
    void setupSsh();
    QString describe() const;

    Endpoint m_endpoint;
    QPointer<QIODevice> m_device;
    QTimer m_connectTimer;
    bool m_open = false;
    bool m_done = false;
    QByteArray m_sshStderr;
    QString m_tlsErrors;
};

} // namespace bc::http
