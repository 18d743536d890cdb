#include "ui/egresssettingsbox.h"

#include "core/boxes/consolesettings.h"
#include "core/infra/egresspolicy.h"
#include "core/security/egresslayout.h"
#include "ui/formnotes.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace bc::ui {

EgressSettingsBox::EgressSettingsBox(QWidget *parent)
    : QGroupBox(tr("Egress"), parent)
{
    m_policyFile = new QLineEdit(this);
    m_policyFile->setToolTip(tr("The policy the host proxy is generated from; a box's egress "
                                "setting picks upstreams of it."));
    auto *browsePolicy = new QPushButton(tr("Browse…"), this);
    m_policySource = hintLabel(this);
    m_policyError = errorLabel(this);
    m_socketDir = new QLineEdit(this);
    m_socketDir->setToolTip(tr("The directory of the proxy's Unix sockets, mounted read-only "
                               "into boxes with egress."));
    auto *browseDir = new QPushButton(tr("Browse…"), this);
    m_socketDirSource = hintLabel(this);
    m_socketDirError = errorLabel(this);
    auto *policyRow = new QHBoxLayout;
    policyRow->addWidget(m_policyFile, 1);
    policyRow->addWidget(browsePolicy);
    auto *dirRow = new QHBoxLayout;
    dirRow->addWidget(m_socketDir, 1);
    dirRow->addWidget(browseDir);
    auto *egressForm = new QFormLayout(this);
    egressForm->addRow(tr("Policy file:"),
                       fieldWithNotes(policyRow, {m_policySource, m_policyError}));
    egressForm->addRow(tr("Proxy sockets:"),
                       fieldWithNotes(dirRow, {m_socketDirSource, m_socketDirError}));
    connect(browsePolicy, &QPushButton::clicked, this, [this] {
        const QString start = QFileInfo(m_settings->egressPolicyFile()).absolutePath();
        const QString file = QFileDialog::getOpenFileName(this, tr("Egress policy file"), start,
                                                          tr("JSON files (*.json);;All files (*)"));
        if (!file.isEmpty())
            m_policyFile->setText(file);
    });
    connect(browseDir, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Proxy socket directory"),
                                                              m_settings->proxySocketDir());
        if (!dir.isEmpty())
            m_socketDir->setText(dir);
    });
    for (QLineEdit *edit : {m_policyFile, m_socketDir})
        connect(edit, &QLineEdit::textChanged, this, &EgressSettingsBox::updateSources);
    connect(m_policyFile, &QLineEdit::textChanged, m_policyError, &QLabel::hide);
    connect(m_socketDir, &QLineEdit::textChanged, m_socketDirError, &QLabel::hide);
}

void EgressSettingsBox::load(boxes::ConsoleSettings *settings)
{
    m_settings = settings;
    // The fields hold only what is stored here; the environment's fallback is described
    // beside them, so applying never copies an environment value into the settings.
    if (m_settings->egressPolicyFileSource() == QLatin1String("setting"))
        m_policyFile->setText(m_settings->egressPolicyFile());
    if (m_settings->proxySocketDirSource() == QLatin1String("setting"))
        m_socketDir->setText(m_settings->proxySocketDir());
    updateSources();
}

void EgressSettingsBox::store()
{
    m_settings->setEgressPolicyFile(policyFile());
    m_settings->setProxySocketDir(socketDir());
    updateSources();
}

QString EgressSettingsBox::policyFile() const
{
    return m_policyFile->text().trimmed();
}

QString EgressSettingsBox::socketDir() const
{
    return m_socketDir->text().trimmed();
}

// The policy is loaded with the parser deploys use and the socket root checked as deploys
// check it, so what passes here is what a deploy will accept.
EgressSettingsBox::Check EgressSettingsBox::check(const QString &policyFile,
                                                  const QString &socketDir)
{
    Check check;
    if (!policyFile.isEmpty()) {
        if (!QFileInfo(policyFile).isAbsolute()) {
            check.policyError =
                tr("Use an absolute path: deploys may run from another working directory.");
        } else {
            const auto policy = infra::EgressPolicy::fromFile(policyFile);
            if (!policy) {
                // The path is in the field already; the context is that same path.
                check.policyError =
                    tr("This policy file cannot be used: %1").arg(policy.error().message());
            }
        }
    }
    if (!socketDir.isEmpty()) {
        using Problem = security::EgressLayout::RootProblem;
        switch (security::EgressLayout::checkRoot(socketDir)) {
        case Problem::None:
            break;
        case Problem::NotAbsolute:
            check.socketDirError = tr("Use an absolute path.");
            break;
        case Problem::Missing:
            check.socketDirError = tr("%1 does not exist on this host (start the egress proxy "
                                      "first; Docker would create a root-owned directory instead)")
                                       .arg(socketDir);
            break;
        case Problem::NotDirectory:
            check.socketDirError = tr("%1 is not a directory").arg(socketDir);
            break;
        }
    }
    return check;
}

void EgressSettingsBox::showCheck(const Check &check)
{
    if (!check.policyError.isEmpty())
        showError(m_policyError, check.policyError);
    if (!check.socketDirError.isEmpty())
        showError(m_socketDirError, check.socketDirError);
}

void EgressSettingsBox::hideErrors()
{
    m_policyError->hide();
    m_socketDirError->hide();
}

void EgressSettingsBox::updateSources()
{
    const auto describe = [this](QLineEdit *edit, QLabel *label, const QString &env,
                                 const QString &example, const QString &none) {
        const QString typed = edit->text();
        const QString envValue = qEnvironmentVariable(env.toLatin1().constData()).trimmed();
        // An example path as placeholder would read like the value the environment gives.
        edit->setPlaceholderText(envValue.isEmpty() ? tr("e.g. %1").arg(example)
                                                    : tr("empty: the environment's value applies"));
        if (!typed.trimmed().isEmpty()) {
            label->setText(
                envValue.isEmpty()
                    ? tr("Source: this setting.")
                    : tr("Source: this setting (overrides %1 from the environment).").arg(env));
        } else if (!envValue.isEmpty()) {
            label->setText(tr("Source: environment, %1=%2").arg(env, envValue));
        } else {
            label->setText(tr("Not set here nor in %1: %2").arg(env, none));
        }
    };
    describe(m_policyFile, m_policySource, boxes::ConsoleSettings::egressPolicyFileEnv(),
             QStringLiteral("/etc/box-console/egress-policy.json"), tr("boxes cannot get egress."));
    describe(m_socketDir, m_socketDirSource, boxes::ConsoleSettings::proxySocketDirEnv(),
             QStringLiteral("/run/box-egress"), tr("boxes with egress cannot be deployed."));
}

} // namespace bc::ui
