#pragma once

#include "core/coolify/coolifyengineaccess.h"
#include "core/coolify/coolifytypes.h"

#include <QHash>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSettings;

namespace bc::ui {

// The admin's consent, per Coolify server, to reach that server's Docker engine over ssh
// (address, user and port from Coolify's GET /servers; the admin's key and known_hosts):
// a server picker, the consent, and optionally which key and known_hosts file ssh uses.
// Host keys are always checked strictly; nothing here can turn that off.
class CoolifyEngineAccessEditor final : public QWidget
{
    Q_OBJECT
public:
    explicit CoolifyEngineAccessEditor(QWidget *parent = nullptr);

    void load(QSettings &settings);
    void store(QSettings &settings);
    // The servers Coolify listed (the picker keeps servers with stored consent it lacks).
    void setServers(const QList<coolify::CoolifyServer> &servers);

    QComboBox *serverCombo() const { return m_server; }
    QCheckBox *consentBox() const { return m_consent; }
    QLineEdit *identityEdit() const { return m_identity; }
    QLineEdit *knownHostsEdit() const { return m_knownHosts; }
    QList<coolify::CoolifyEngineAccess> accesses();

private:
    void keepCurrent();
    void showCurrent();

    QComboBox *m_server;
    QCheckBox *m_consent;
    QLineEdit *m_identity;
    QLineEdit *m_knownHosts;
    QHash<QString, coolify::CoolifyEngineAccess> m_access; // by server uuid
    QString m_shown;                                       // uuid the fields show
};

} // namespace bc::ui
