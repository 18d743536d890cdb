#include "ui/coolifyengineaccesseditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSettings>

namespace bc::ui {

CoolifyEngineAccessEditor::CoolifyEngineAccessEditor(QWidget *parent)
    : QWidget(parent)
    , m_server(new QComboBox(this))
    , m_consent(new QCheckBox(tr("Reach this server's Docker engine over ssh"), this))
    , m_identity(new QLineEdit(this))
    , m_knownHosts(new QLineEdit(this))
{
    m_server->setAccessibleName(tr("Coolify server for engine access"));
    m_consent->setToolTip(
        tr("Live state and health from the engine's events, CPU, memory and processes, the "
           "health log, the posture audit, streamed logs and a terminal for boxes on this "
           "server. Uses ssh with your keys as the user Coolify uses; the host key must "
           "already be in known_hosts."));
    m_identity->setPlaceholderText(tr("ssh key file; empty: your ssh defaults"));
    m_knownHosts->setPlaceholderText(tr("known_hosts file; empty: ~/.ssh/known_hosts"));
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Server:"), m_server);
    form->addRow(QString(), m_consent);
    form->addRow(tr("Key:"), m_identity);
    form->addRow(tr("Known hosts:"), m_knownHosts);
    connect(m_server, &QComboBox::currentIndexChanged, this, [this] {
        keepCurrent();
        showCurrent();
    });
    connect(m_consent, &QCheckBox::toggled, this, [this](bool on) {
        m_identity->setEnabled(on);
        m_knownHosts->setEnabled(on);
    });
    showCurrent();
}

void CoolifyEngineAccessEditor::keepCurrent()
{
    if (m_shown.isEmpty())
        return;
    coolify::CoolifyEngineAccess &a = m_access[m_shown];
    a.serverUuid = m_shown;
    a.enabled = m_consent->isChecked();
    a.identityFile = m_identity->text().trimmed();
    a.knownHostsFile = m_knownHosts->text().trimmed();
}

void CoolifyEngineAccessEditor::showCurrent()
{
    m_shown = m_server->currentData().toString();
    const coolify::CoolifyEngineAccess a = m_access.value(m_shown);
    const QSignalBlocker block(m_consent);
    m_consent->setEnabled(!m_shown.isEmpty());
    m_consent->setChecked(a.enabled);
    m_identity->setText(a.identityFile);
    m_knownHosts->setText(a.knownHostsFile);
    m_identity->setEnabled(a.enabled);
    m_knownHosts->setEnabled(a.enabled);
}

void CoolifyEngineAccessEditor::load(QSettings &settings)
{
    m_access.clear();
    const QSignalBlocker block(m_server);
    m_server->clear();
    for (const coolify::CoolifyEngineAccess &a : coolify::CoolifyEngineAccess::load(settings)) {
        m_access.insert(a.serverUuid, a);
        m_server->addItem(tr("%1 (stored; Test connection to list servers)").arg(a.serverUuid),
                          a.serverUuid);
    }
    showCurrent();
}

void CoolifyEngineAccessEditor::setServers(const QList<coolify::CoolifyServer> &servers)
{
    keepCurrent();
    const QString current = m_shown;
    const QSignalBlocker block(m_server);
    m_server->clear();
    for (const coolify::CoolifyServer &s : servers)
        m_server->addItem(QStringLiteral("%1 (%2@%3:%4)")
                              .arg(s.name, s.user.isEmpty() ? QStringLiteral("root") : s.user, s.ip)
                              .arg(s.port),
                          s.uuid);
    for (auto it = m_access.cbegin(); it != m_access.cend(); ++it)
        if (m_server->findData(it.key()) < 0)
            m_server->addItem(tr("%1 (not listed by Coolify)").arg(it.key()), it.key());
    const int i = m_server->findData(current);
    m_server->setCurrentIndex(i >= 0 ? i : (m_server->count() > 0 ? 0 : -1));
    showCurrent();
}

QList<coolify::CoolifyEngineAccess> CoolifyEngineAccessEditor::accesses()
{
    keepCurrent();
    QList<coolify::CoolifyEngineAccess> out;
    for (const coolify::CoolifyEngineAccess &a : std::as_const(m_access))
        if (a.enabled || !a.identityFile.isEmpty() || !a.knownHostsFile.isEmpty())
            out << a;
    return out;
}

void CoolifyEngineAccessEditor::store(QSettings &settings)
{
    coolify::CoolifyEngineAccess::save(settings, accesses());
}

} // namespace bc::ui
