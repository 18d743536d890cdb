#include "ui/settingsdialog.h"

#include "core/boxes/consolesettings.h"
#include "core/util/futureutil.h"
#include "ui/coolifysettingsbox.h"
#include "ui/dockerenginesbox.h"
#include "ui/egresssettingsbox.h"
#include "ui/fleetpolicyeditor.h"
#include "ui/formnotes.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace bc::ui {

SettingsDialog::SettingsDialog(QWidget *parent, boxes::ConsoleSettings *settings)
    : QDialog(parent)
    , m_owned(settings ? nullptr : std::make_unique<boxes::ConsoleSettings>())
    , m_settings(settings ? settings : m_owned.get())
    , m_docker(new DockerEnginesBox(this))
    , m_coolify(new CoolifySettingsBox(this))
    , m_egress(new EgressSettingsBox(this))
{
    setWindowTitle(tr("Settings"));
    connect(m_docker, &DockerEnginesBox::endpointTested, this, &SettingsDialog::endpointTested);
    connect(m_coolify, &CoolifySettingsBox::tested, this, &SettingsDialog::coolifyTested);
    connect(m_coolify, &CoolifySettingsBox::listed, this, &SettingsDialog::coolifyListed);

    auto *generalBox = new QGroupBox(tr("Deploying and refreshing"), this);
    m_mode = new QComboBox(generalBox);
    for (const QString &mode : boxes::ConsoleSettings::deployModes())
        m_mode->addItem(mode, mode);
    m_modeSource = hintLabel(generalBox);
    auto *modeRow = new QHBoxLayout;
    modeRow->addWidget(m_mode);
    modeRow->addWidget(m_modeSource, 1);
    m_stats = new QSpinBox(generalBox);
    m_stats->setRange(0, 300);
    m_stats->setSuffix(tr(" s"));
    m_stats->setSpecialValueText(tr("off"));
    m_stats->setToolTip(tr("How often CPU and memory of running boxes are sampled (one request "
                           "per box, never a stream per box)."));
    m_resync = new QSpinBox(generalBox);
    m_resync->setRange(5, 3600);
    m_resync->setSuffix(tr(" s"));
    m_resync->setToolTip(tr("Full re-list besides the live event stream, to heal missed events."));
    auto *generalForm = new QFormLayout(generalBox);
    generalForm->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    generalForm->addRow(tr("New boxes go to:"), modeRow);
    generalForm->addRow(tr("Stats every:"), m_stats);
    generalForm->addRow(tr("Full re-list every:"), m_resync);

    m_applyError = errorLabel(this);
    m_buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Apply | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this,
            &SettingsDialog::apply);

    // Egress paths need the full width to stay readable; the two short groups share a row
    // so the dialog still fits a laptop screen.
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_coolify, 3);
    bottom->addWidget(generalBox, 2);
    auto *backendsPage = new QWidget(this);
    auto *pageLayout = new QVBoxLayout(backendsPage);
    pageLayout->addWidget(m_docker, 1);
    pageLayout->addWidget(m_egress);
    pageLayout->addLayout(bottom);
    m_fleet = new FleetPolicyEditor(this);
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(backendsPage, tr("Backends"));
    m_tabs->addTab(m_fleet, tr("Policies and quotas"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_applyError);
    layout->addWidget(m_buttons);
    connect(this, &SettingsDialog::applied, this, [this](bool ok) {
        m_buttons->setEnabled(true);
        const bool close = ok && m_closeAfterApply;
        m_closeAfterApply = false;
        if (close)
            QDialog::accept();
    });
    resize(900, 720);
    load();
}

SettingsDialog::~SettingsDialog() = default;

EndpointModel *SettingsDialog::endpoints() const
{
    return m_docker->endpoints();
}
QTableView *SettingsDialog::endpointView() const
{
    return m_docker->endpointView();
}
bool SettingsDialog::contextsLoaded() const
{
    return m_docker->contextsLoaded();
}
bool SettingsDialog::addEndpoint(const QString &url, QString *error)
{
    return m_docker->addEndpoint(url, error);
}
bool SettingsDialog::removeEndpoint(int row)
{
    return m_docker->removeEndpoint(row);
}
QLineEdit *SettingsDialog::newEndpointEdit() const
{
    return m_docker->newEndpointEdit();
}
QLabel *SettingsDialog::endpointErrorLabel() const
{
    return m_docker->endpointErrorLabel();
}
QLineEdit *SettingsDialog::coolifyUrlEdit() const
{
    return m_coolify->urlEdit();
}
QLineEdit *SettingsDialog::tokenEdit() const
{
    return m_coolify->tokenEdit();
}
QLineEdit *SettingsDialog::policyFileEdit() const
{
    return m_egress->policyFileEdit();
}
QLabel *SettingsDialog::policyFileErrorLabel() const
{
    return m_egress->policyFileErrorLabel();
}
QLabel *SettingsDialog::policyFileSourceLabel() const
{
    return m_egress->policyFileSourceLabel();
}
QLineEdit *SettingsDialog::socketDirEdit() const
{
    return m_egress->socketDirEdit();
}
QLabel *SettingsDialog::socketDirErrorLabel() const
{
    return m_egress->socketDirErrorLabel();
}
QLabel *SettingsDialog::socketDirSourceLabel() const
{
    return m_egress->socketDirSourceLabel();
}
QPushButton *SettingsDialog::coolifyTestButton() const
{
    return m_coolify->testButton();
}
QLabel *SettingsDialog::coolifyTestLabel() const
{
    return m_coolify->testLabel();
}
QComboBox *SettingsDialog::coolifyServerCombo() const
{
    return m_coolify->serverCombo();
}
QComboBox *SettingsDialog::coolifyProjectCombo() const
{
    return m_coolify->projectCombo();
}
QComboBox *SettingsDialog::coolifyEnvironmentCombo() const
{
    return m_coolify->environmentCombo();
}
QLabel *SettingsDialog::coolifyPickerErrorLabel() const
{
    return m_coolify->pickerErrorLabel();
}
QLabel *SettingsDialog::coolifyServerNoteLabel() const
{
    return m_coolify->serverNoteLabel();
}
QLineEdit *SettingsDialog::coolifyEgressRootEdit() const
{
    return m_coolify->egressRootEdit();
}
QSpinBox *SettingsDialog::coolifyEgressGroupSpin() const
{
    return m_coolify->egressGroupSpin();
}
CoolifyEngineAccessEditor *SettingsDialog::coolifyEngineEditor() const
{
    return m_coolify->engineEditor();
}
bool SettingsDialog::isTestingCoolify() const
{
    return m_coolify->isTesting();
}

void SettingsDialog::load()
{
    m_fleet->load(*m_settings);
    // Backend ids a new default row can name, as BackendFactory builds them.
    QStringList known;
    for (const QString &url : m_settings->dockerEndpoints())
        known << QStringLiteral("docker:") + url;
    if (!m_settings->coolifyUrl().isEmpty())
        known << QStringLiteral("coolify:") + m_settings->coolifyUrl();
    m_fleet->setKnownBackends(known);
    m_docker->load(m_settings);
    m_coolify->load(m_settings);
    m_loadedMode = m_settings->deployMode();
    m_mode->setCurrentIndex(std::max(0, m_mode->findData(m_loadedMode)));
    const QString modeSource = m_settings->deployModeSource();
    if (modeSource == QLatin1String("environment"))
        m_modeSource->setText(tr("from DEPLOY_MODE (environment)"));
    else if (modeSource == QLatin1String("default"))
        m_modeSource->setText(tr("default"));
    m_stats->setValue(m_settings->statsIntervalMs() / 1000);
    m_resync->setValue(m_settings->resyncIntervalMs() / 1000);
    m_egress->load(m_settings);
}

void SettingsDialog::apply()
{
    if (m_applying)
        return;
    m_applyError->hide();
    m_egress->hideErrors();
    // Checks without I/O first; the egress files are looked at on the thread pool.
    if (!m_coolify->validate()) {
        emit applied(false);
        return;
    }
    // Fleet rules: the same checks as loading the settings file, naming the same fields.
    if (const auto fleet = m_fleet->validate(); !fleet) {
        m_tabs->setCurrentWidget(m_fleet);
        showError(m_applyError, fleet.error().message());
        emit applied(false);
        return;
    }
    m_applying = true;
    m_buttons->setEnabled(false);
    onFinished(
        QtConcurrent::run(&EgressSettingsBox::check, m_egress->policyFile(), m_egress->socketDir()),
        this, [this](const EgressSettingsBox::Check &check) {
            if (check.ok()) {
                finishApply();
                return;
            }
            m_egress->showCheck(check);
            m_applying = false;
            emit applied(false);
        });
}

void SettingsDialog::finishApply()
{
    const auto done = [this](bool ok) {
        m_applying = false;
        emit applied(ok);
    };
    // The secrets first (webhook URLs, then the token): if the store refuses one, nothing
    // else is stored either, and webhook URLs already written are removed again.
    m_fleet->setEnabled(false);
    onFinished(m_fleet->storeWebhookUrls(), this, [this, done](const VoidResult &w) {
        if (!w) {
            m_fleet->setEnabled(true);
            showError(m_applyError,
                      tr("The webhook URLs could not be stored, so nothing was saved: %1")
                          .arg(w.error().message()));
            done(false);
            return;
        }
        m_coolify->storeToken([this, done](const QString &error) {
            if (!error.isEmpty()) {
                showError(m_applyError, tr("The Coolify token could not be stored, so nothing "
                                           "was saved: %1")
                                            .arg(error));
                m_fleet->setEnabled(true);
                (void)m_fleet->discardWebhookUrls();
                done(false);
                return;
            }
            store();
            // Secrets of removed or replaced webhooks go once the settings no longer name
            // them; a failure leaves an unused secret, not a broken setting.
            onFinished(m_fleet->removeStaleWebhookSecrets(), this,
                       [this, done](const VoidResult &r) {
                           m_fleet->setEnabled(true);
                           if (!r)
                               showError(m_applyError,
                                         tr("Saved, but secrets of removed webhooks could not be "
                                            "removed from the secret store: %1")
                                             .arg(r.error().message()));
                           done(true);
                       });
        });
    });
}

void SettingsDialog::store()
{
    m_docker->store();
    m_coolify->store();
    // An untouched mode that came from DEPLOY_MODE or the default stays unpinned.
    const QString mode = m_mode->currentData().toString();
    if (mode != m_loadedMode || m_settings->deployModeSource() == QLatin1String("setting")) {
        m_settings->setDeployMode(mode);
        m_loadedMode = mode;
        m_modeSource->clear();
    }
    m_egress->store();
    m_settings->setStatsIntervalMs(m_stats->value() * 1000);
    m_settings->setResyncIntervalMs(m_resync->value() * 1000);
    m_fleet->store(*m_settings);
    m_settings->sync();
}

void SettingsDialog::accept()
{
    m_closeAfterApply = true;
    apply();
}

} // namespace bc::ui
