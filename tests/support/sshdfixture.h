#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace bc::test {

// A real sshd on 127.0.0.1 at a free port for one test program: its own host key and
// sshd_config, root login with a generated client key only, `docker` on the far side's
// PATH. knownHosts() vouches for its host key, wrongKnownHosts() names another key for the
// same address (a host key that does not match). Needs root and openssh-server.
class SshdFixture
{
public:
    SshdFixture() = default;
    ~SshdFixture();
    SshdFixture(const SshdFixture &) = delete;
    SshdFixture &operator=(const SshdFixture &) = delete;

    // Generates the keys, writes the files, starts sshd and waits until it listens. On
    // failure returns false with the reason in `error`.
    bool start(QString *error);
    void stop();

    quint16 port() const { return m_port; }
    QString clientKey() const { return path(QStringLiteral("client_key")); }
    QString knownHosts() const { return path(QStringLiteral("known_hosts")); }
    QString wrongKnownHosts() const { return path(QStringLiteral("wrong_known_hosts")); }
    QString path(const QString &name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
    QProcess m_sshd;
    quint16 m_port = 0;
};

} // namespace bc::test
