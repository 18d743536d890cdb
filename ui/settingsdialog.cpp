#include "ui/settingsdialog.h"
#include "core/util/futureutil.h"

#include "core/boxes/backendfactory.h"
#include "core/boxes/consolesettings.h"
#include "core/coolify/coolifyconfig.h"
#include "core/util/secretstore.h"
#include "ui/models/endpointmodel.h"
#include "ui/statusicons.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace bc::ui {

namespace {

QLabel *errorLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    QPalette pal = l->palette();
    pal.setColor(QPalette::WindowText, toneColor(Tone::Bad));
    l->setPalette(pal);
    l->setWordWrap(true);
    l->hide();
    return l;
}

const QString defaultSocket = QStringLiteral("unix:///var/run/docker.sock");

} // namespace

SettingsDialog::SettingsDialog(QWidget *parent, boxes::ConsoleSettings *settings)
    : QDialog(parent)
    , m_owned(settings ? nullptr : std::make_unique<boxes::ConsoleSettings>())
    , m_settings(settings ? settings : m_owned.get())
    , m_endpoints(new EndpointModel(this))
{
    setWindowTitle(tr("Settings"));

    auto *dockerBox = new QGroupBox(tr("Docker engines"), this);
    m_endpointView = new QTableView(dockerBox);
    m_endpointView->setModel(m_endpoints);
    m_endpointView->verticalHeader()->hide();
    m_endpointView->horizontalHeader()->setStretchLastSection(true);
    m_endpointView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_endpointView->setColumnWidth(EndpointModel::EnabledColumn, 50);
    m_endpointView->setColumnWidth(EndpointModel::UrlColumn, 300);
    m_newEndpoint = new QLineEdit(dockerBox);
    m_newEndpoint->setPlaceholderText(tr("unix:///path, tcp://host:2376 or ssh://user@host"));
    auto *add = new QPushButton(tr("Add"), dockerBox);
    auto *remove = new QPushButton(tr("Remove"), dockerBox);
    m_endpointError = errorLabel(dockerBox);
    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_newEndpoint, 1);
    addRow->addWidget(add);
    addRow->addWidget(remove);
    auto *dockerLayout = new QVBoxLayout(dockerBox);
    dockerLayout->addWidget(m_endpointView);
    dockerLayout->addLayout(addRow);
    dockerLayout->addWidget(m_endpointError);
    connect(add, &QPushButton::clicked, this, [this] {
        QString error;
        if (addEndpoint(m_newEndpoint->text(), &error)) {
            m_newEndpoint->clear();
            m_endpointError->hide();
        } else {
            m_endpointError->setText(error);
            m_endpointError->show();
        }
    });
    connect(m_newEndpoint, &QLineEdit::returnPressed, add, &QPushButton::click);
    connect(remove, &QPushButton::clicked, this, [this] {
        const QModelIndex idx = m_endpointView->currentIndex();
        if (idx.isValid() && !m_endpoints->removeEndpoint(idx.row())) {
            m_endpointError->setText(
                tr("Discovered engines cannot be removed; untick them instead."));
            m_endpointError->show();
        }
    });

    auto *coolifyBox = new QGroupBox(tr("Coolify"), this);
    m_coolifyUrl = new QLineEdit(coolifyBox);
    m_coolifyUrl->setPlaceholderText(tr("https://coolify.example.com (empty: not used)"));
    m_coolifyError = errorLabel(coolifyBox);
    m_token = new QLineEdit(coolifyBox);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("API token"));
    m_token->setToolTip(tr("Stored in the system keychain (or a file only you can read); it is "
                           "never shown again."));
    auto *coolifyForm = new QFormLayout(coolifyBox);
    coolifyForm->addRow(tr("URL:"), m_coolifyUrl);
    coolifyForm->addRow(QString(), m_coolifyError);
    coolifyForm->addRow(tr("Token:"), m_token);
    connect(m_coolifyUrl, &QLineEdit::textChanged, this, [this](const QString &text) {
        const auto r =
            text.isEmpty() ? Result<QUrl>(QUrl()) : coolify::CoolifyConfig::validateUrl(text);
        m_coolifyError->setVisible(!r);
        if (!r)
            m_coolifyError->setText(r.error().message());
    });

    auto *generalBox = new QGroupBox(tr("Deploying and refreshing"), this);
    m_mode = new QComboBox(generalBox);
    for (const QString &mode : boxes::ConsoleSettings::deployModes())
        m_mode->addItem(mode, mode);
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
    generalForm->addRow(tr("New boxes go to:"), m_mode);
    generalForm->addRow(tr("Stats every:"), m_stats);
    generalForm->addRow(tr("Full re-list every:"), m_resync);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(dockerBox, 1);
    layout->addWidget(coolifyBox);
    layout->addWidget(generalBox);
    layout->addWidget(buttons);
    resize(640, 560);
    load();
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::load()
{
    // What the docker CLI would use, then what the user configured.
    const QString dockerHost = qEnvironmentVariable("DOCKER_HOST");
    if (!dockerHost.isEmpty())
        m_endpoints->addEndpoint({dockerHost, tr("DOCKER_HOST"), false, false});
    m_endpoints->addEndpoint(
        {defaultSocket, tr("local engine (docker CLI default)"), false, false});
    const QStringList configured = m_settings->dockerEndpoints();
    for (const QString &url : configured) {
        const bool discovered = m_endpoints->rowOf(url) >= 0;
        m_endpoints->addEndpoint({url, discovered ? QString() : tr("added"), true, !discovered});
    }
    if (configured.isEmpty()) {
        // Nothing stored means "the CLI's engine": show that as the ticked one.
        const QString cli = dockerHost.isEmpty() ? defaultSocket : dockerHost;
        m_endpoints->setData(
            m_endpoints->index(m_endpoints->rowOf(cli), EndpointModel::EnabledColumn), Qt::Checked,
            Qt::CheckStateRole);
    }
    m_coolifyUrl->setText(m_settings->coolifyUrl());
    m_mode->setCurrentIndex(std::max(0, m_mode->findData(m_settings->deployMode())));
    m_stats->setValue(m_settings->statsIntervalMs() / 1000);
    m_resync->setValue(m_settings->resyncIntervalMs() / 1000);

    // Only whether a token exists is shown; its value is dropped at once.
    onFinished(util::SecretStore::read(QString::fromLatin1(coolify::CoolifyConfig::tokenSecretKey)),
               this, [this](const Result<QString> &r) {
                   m_tokenStored = r.ok() && !r->isEmpty();
                   if (m_tokenStored)
                       m_token->setPlaceholderText(tr("a token is stored — type to replace it"));
               });
}

bool SettingsDialog::addEndpoint(const QString &url, QString *error)
{
    const QString u = url.trimmed();
    const auto parsed = boxes::BackendFactory::parseEndpoint(u);
    if (!parsed) {
        if (error)
            *error = parsed.error().message();
        return false;
    }
    m_endpoints->addEndpoint({u, tr("added"), true, true});
    return true;
}

void SettingsDialog::apply()
{
    QStringList urls = m_endpoints->enabledUrls();
    // Only the CLI default ticked = store nothing, so the CLI's choice keeps applying.
    const QString dockerHost = qEnvironmentVariable("DOCKER_HOST");
    const QString cli = dockerHost.isEmpty() ? defaultSocket : dockerHost;
    if (urls == QStringList{cli})
        urls.clear();
    m_settings->setDockerEndpoints(urls);
    m_settings->setCoolifyUrl(m_coolifyUrl->text().trimmed());
    m_settings->setDeployMode(m_mode->currentData().toString());
    m_settings->setStatsIntervalMs(m_stats->value() * 1000);
    m_settings->setResyncIntervalMs(m_resync->value() * 1000);
    m_settings->sync();
    if (!m_token->text().isEmpty()) {
        util::SecretStore::write(QString::fromLatin1(coolify::CoolifyConfig::tokenSecretKey),
                                 m_token->text());
        m_token->clear();
        m_tokenStored = true;
    }
}

void SettingsDialog::accept()
{
    if (m_coolifyError->isVisible())
        return;
    apply();
    QDialog::accept();
}

} // namespace bc::ui
