#include "ui/settingsdialog.h"

#include "core/boxes/backendfactory.h"
#include "core/boxes/consolesettings.h"
#include "core/coolify/coolifyclient.h"
#include "core/coolify/coolifyconfig.h"
#include "core/docker/dockerclient.h"
#include "core/docker/endpointresolver.h"
#include "core/infra/egresspolicy.h"
#include "core/util/futureutil.h"
#include "core/util/secretstore.h"
#include "ui/coolifyengineaccesseditor.h"
#include "ui/fleetpolicyeditor.h"
#include "ui/models/endpointmodel.h"
#include "ui/statusicons.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace bc::ui {

struct SettingsDialog::EgressCheck
{
    QString policyError;
    QString socketDirError;
};

namespace {

QLabel *errorLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    QPalette pal = l->palette();
    pal.setColor(QPalette::WindowText, toneColor(Tone::Bad));
    l->setPalette(pal);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->hide();
    return l;
}

QLabel *hintLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setWordWrap(true);
    l->setForegroundRole(QPalette::PlaceholderText);
    return l;
}

// A field with its explanation and its error right under it: separate form rows would
// keep their spacing while the error is hidden.
QVBoxLayout *fieldWithNotes(QLayout *field, std::initializer_list<QLabel *> notes)
{
    auto *box = new QVBoxLayout;
    box->setSpacing(2);
    box->addLayout(field);
    for (QLabel *note : notes)
        box->addWidget(note);
    return box;
}

QString tokenKey()
{
    return QString::fromLatin1(coolify::CoolifyConfig::tokenSecretKey);
}

struct ContextListing
{
    QList<EndpointModel::Item> rows;
    QString error; // the whole store could not be listed
};

// Runs on the thread pool: besides listing, every context is resolved exactly as
// BackendFactory will resolve it (TLS material included), so a row without an error is one
// the console can really connect to.
ContextListing listContexts()
{
    ContextListing out;
    const auto list = docker::EndpointResolver::listContexts(docker::ResolveInputs::fromProcess());
    if (!list) {
        out.error = list.error().message();
        return out;
    }
    for (const docker::ContextInfo &c : list.value()) {
        EndpointModel::Item item;
        item.context = c.name;
        item.url = c.host;
        item.description = c.description;
        item.current = c.current;
        item.enabled = false;
        item.source = SettingsDialog::tr("docker context");
        item.error = c.error;
        if (item.error.isEmpty() && c.host.isEmpty())
            item.error = SettingsDialog::tr("this context has no Docker endpoint");
        if (item.error.isEmpty()) {
            const auto resolved = boxes::BackendFactory::contextEndpoint(c.name);
            if (!resolved)
                item.error = resolved.error().message();
        }
        out.rows << item;
    }
    return out;
}

// Runs on the thread pool: the policy is loaded with the parser deploys use, so what passes
// here is what a deploy will accept.
SettingsDialog::EgressCheck checkEgress(const QString &policyFile, const QString &socketDir)
{
    SettingsDialog::EgressCheck check;
    if (!policyFile.isEmpty()) {
        if (!QFileInfo(policyFile).isAbsolute()) {
            check.policyError = SettingsDialog::tr(
                "Use an absolute path: deploys may run from another working directory.");
        } else {
            const auto policy = infra::EgressPolicy::fromFile(policyFile);
            if (!policy) {
                // The path is in the field already; the context is that same path.
                check.policyError = SettingsDialog::tr("This policy file cannot be used: %1")
                                        .arg(policy.error().message());
            }
        }
    }
    if (!socketDir.isEmpty()) {
        const QFileInfo dir(socketDir);
        if (!dir.isAbsolute())
            check.socketDirError = SettingsDialog::tr("Use an absolute path.");
        else if (!dir.exists())
            check.socketDirError =
                SettingsDialog::tr("%1 does not exist on this host (start the egress proxy "
                                   "first; Docker would create a root-owned directory instead)")
                    .arg(socketDir);
        else if (!dir.isDir())
            check.socketDirError = SettingsDialog::tr("%1 is not a directory").arg(socketDir);
    }
    return check;
}

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
    m_endpointView->setAccessibleName(dockerBox->title());
    m_endpointView->setModel(m_endpoints);
    m_endpointView->verticalHeader()->hide();
    m_endpointView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_endpointView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_endpointView->setWordWrap(false);
    m_endpointView->setTextElideMode(Qt::ElideMiddle);
    m_endpointView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    m_endpointView->setMinimumHeight(7 * (fontMetrics().height() + 10));
    QHeaderView *header = m_endpointView->horizontalHeader();
    header->setSectionResizeMode(EndpointModel::EnabledColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(EndpointModel::NameColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(EndpointModel::UrlColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(EndpointModel::SourceColumn, QHeaderView::Stretch);
    m_endpointView->setColumnWidth(EndpointModel::UrlColumn, 280);
    m_endpointHint = hintLabel(dockerBox);
    m_newEndpoint = new QLineEdit(dockerBox);
    m_newEndpoint->setPlaceholderText(tr("unix:///path/docker.sock, tcp://host:2376 or "
                                         "ssh://user@host"));
    auto *add = new QPushButton(tr("Add"), dockerBox);
    auto *remove = new QPushButton(tr("Remove"), dockerBox);
    remove->setToolTip(tr("Remove the selected added engine"));
    m_endpointError = errorLabel(dockerBox);
    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_newEndpoint, 1);
    addRow->addWidget(add);
    addRow->addWidget(remove);
    auto *dockerLayout = new QVBoxLayout(dockerBox);
    dockerLayout->addWidget(m_endpointView, 1);
    dockerLayout->addWidget(m_endpointHint);
    dockerLayout->addLayout(addRow);
    dockerLayout->addWidget(m_endpointError);
    connect(add, &QPushButton::clicked, this, [this] {
        if (addEndpoint(m_newEndpoint->text()))
            m_newEndpoint->clear();
    });
    connect(m_newEndpoint, &QLineEdit::returnPressed, add, &QPushButton::click);
    connect(m_newEndpoint, &QLineEdit::textChanged, m_endpointError, &QLabel::hide);
    connect(remove, &QPushButton::clicked, this, [this] {
        const QModelIndex idx = m_endpointView->currentIndex();
        if (idx.isValid())
            removeEndpoint(idx.row());
    });
    connect(m_endpoints, &QAbstractItemModel::dataChanged, this, [this] {
        if (!m_settingUp)
            m_dockerTouched = true;
        updateEndpointHint();
    });

    auto *coolifyBox = new QGroupBox(tr("Coolify"), this);
    m_coolifyUrl = new QLineEdit(coolifyBox);
    m_coolifyUrl->setPlaceholderText(tr("https://coolify.example.com (empty: not used)"));
    m_coolifyError = errorLabel(coolifyBox);
    m_token = new QLineEdit(coolifyBox);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("API token (none stored)"));
    m_token->setToolTip(tr("Stored in the system keychain (or a file only you can read); it is "
                           "never shown again."));
    auto *coolifyForm = new QFormLayout(coolifyBox);
    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_coolifyUrl);
    coolifyForm->addRow(tr("URL:"), fieldWithNotes(urlRow, {m_coolifyError}));
    coolifyForm->addRow(tr("API token:"), m_token);
    buildCoolifyPickers(coolifyBox, coolifyForm);
    connect(m_coolifyUrl, &QLineEdit::textChanged, this, [this](const QString &text) {
        const QString t = text.trimmed();
        const auto r = t.isEmpty() ? Result<QUrl>(QUrl()) : coolify::CoolifyConfig::validateUrl(t);
        m_coolifyError->setVisible(!r);
        if (!r)
            m_coolifyError->setText(r.error().message());
    });

    auto *egressBox = new QGroupBox(tr("Egress"), this);
    m_policyFile = new QLineEdit(egressBox);
    m_policyFile->setToolTip(tr("The policy the host proxy is generated from; a box's egress "
                                "setting picks upstreams of it."));
    auto *browsePolicy = new QPushButton(tr("Browse…"), egressBox);
    m_policySource = hintLabel(egressBox);
    m_policyError = errorLabel(egressBox);
    m_socketDir = new QLineEdit(egressBox);
    m_socketDir->setToolTip(tr("The directory of the proxy's Unix sockets, mounted read-only "
                               "into boxes with egress."));
    auto *browseDir = new QPushButton(tr("Browse…"), egressBox);
    m_socketDirSource = hintLabel(egressBox);
    m_socketDirError = errorLabel(egressBox);
    auto *policyRow = new QHBoxLayout;
    policyRow->addWidget(m_policyFile, 1);
    policyRow->addWidget(browsePolicy);
    auto *dirRow = new QHBoxLayout;
    dirRow->addWidget(m_socketDir, 1);
    dirRow->addWidget(browseDir);
    auto *egressForm = new QFormLayout(egressBox);
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
        connect(edit, &QLineEdit::textChanged, this, &SettingsDialog::updateEgressSources);
    connect(m_policyFile, &QLineEdit::textChanged, m_policyError, &QLabel::hide);
    connect(m_socketDir, &QLineEdit::textChanged, m_socketDirError, &QLabel::hide);

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
    bottom->addWidget(coolifyBox, 3);
    bottom->addWidget(generalBox, 2);
    auto *backendsPage = new QWidget(this);
    auto *pageLayout = new QVBoxLayout(backendsPage);
    pageLayout->addWidget(dockerBox, 1);
    pageLayout->addWidget(egressBox);
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
    m_settingUp = true;
    const QStringList added = m_settings->dockerEndpoints();
    for (const QString &url : added)
        m_endpoints->addEndpoint({url, tr("added"), true, true});
    m_settingUp = false;

    // Contexts arrive from the thread pool: ~/.docker may be a slow network home, and each
    // context's TLS key is read to check it.
    onFinished(QtConcurrent::run(&listContexts), this, [this](const ContextListing &listing) {
        const bool follow = m_settings->followsDockerCli();
        const QStringList chosen = m_settings->dockerContexts();
        QList<EndpointModel::Item> rows = listing.rows;
        QStringList seen;
        for (EndpointModel::Item &row : rows) {
            if (row.current)
                m_currentContext = row.context;
            row.enabled =
                !row.context.isEmpty() && (follow ? row.current : chosen.contains(row.context));
            seen << row.context;
        }
        for (const QString &name : chosen) {
            if (seen.contains(name))
                continue;
            EndpointModel::Item gone;
            gone.context = name;
            gone.source = tr("docker context");
            gone.enabled = true;
            gone.error = listing.error.isEmpty()
                             ? tr("not in the docker CLI's context store any more; untick it "
                                  "to forget it")
                             : tr("cannot read the context store: %1").arg(listing.error);
            rows << gone;
        }
        m_settingUp = true;
        m_endpoints->setContexts(rows);
        m_settingUp = false;
        m_contextsLoaded = true;
        m_endpointView->resizeColumnToContents(EndpointModel::UrlColumn);
        if (m_endpointView->columnWidth(EndpointModel::UrlColumn) > 360)
            m_endpointView->setColumnWidth(EndpointModel::UrlColumn, 360);
        if (!listing.error.isEmpty()) {
            m_endpointError->setText(
                tr("The docker CLI's contexts could not be read: %1").arg(listing.error));
            m_endpointError->show();
        }
        updateEndpointHint();
    });
    updateEndpointHint();

    m_coolifyUrl->setText(m_settings->coolifyUrl());
    loadCoolify();
    m_loadedMode = m_settings->deployMode();
    m_mode->setCurrentIndex(std::max(0, m_mode->findData(m_loadedMode)));
    const QString modeSource = m_settings->deployModeSource();
    if (modeSource == QLatin1String("environment"))
        m_modeSource->setText(tr("from DEPLOY_MODE (environment)"));
    else if (modeSource == QLatin1String("default"))
        m_modeSource->setText(tr("default"));
    m_stats->setValue(m_settings->statsIntervalMs() / 1000);
    m_resync->setValue(m_settings->resyncIntervalMs() / 1000);

    // The fields hold only what is stored here; the environment's fallback is described
    // beside them, so applying never copies an environment value into the settings.
    if (m_settings->egressPolicyFileSource() == QLatin1String("setting"))
        m_policyFile->setText(m_settings->egressPolicyFile());
    if (m_settings->proxySocketDirSource() == QLatin1String("setting"))
        m_socketDir->setText(m_settings->proxySocketDir());
    updateEgressSources();

    // Only whether a token exists is kept; its value is dropped at once.
    onFinished(util::SecretStore::read(tokenKey()), this, [this](const Result<QString> &r) {
        m_tokenStored = r.ok() && !r->isEmpty();
        if (m_tokenStored)
            m_token->setPlaceholderText(tr("a token is stored (type to replace it)"));
    });
}

void SettingsDialog::updateEndpointHint()
{
    if (!m_contextsLoaded) {
        m_endpointHint->setText(tr("Reading the docker CLI's contexts…"));
        return;
    }
    const QString current = m_currentContext.isEmpty()
                                ? tr("the docker CLI's current engine")
                                : tr("its current context “%1”").arg(m_currentContext);
    const QStringList contexts = m_endpoints->enabledContexts();
    const QStringList added = m_endpoints->addedUrls();
    if (!m_dockerTouched && m_settings->followsDockerCli()) {
        m_endpointHint->setText(tr("Following the docker CLI: %1 is used. Tick contexts or add "
                                   "engines to choose yourself.")
                                    .arg(current));
    } else if (contexts.isEmpty() && added.isEmpty()) {
        m_endpointHint->setText(
            tr("Nothing selected: the console will follow the docker CLI (%1).").arg(current));
    } else {
        const QString first =
            !contexts.isEmpty() ? tr("context “%1”").arg(contexts.first()) : added.first();
        m_endpointHint->setText(
            tr("Boxes of every engine shown are listed; new Docker boxes go to %1 (the first).")
                .arg(first));
    }
}

void SettingsDialog::updateEgressSources()
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

bool SettingsDialog::addEndpoint(const QString &url, QString *error)
{
    const QString u = url.trimmed();
    auto reject = [&](const QString &why) {
        if (error)
            *error = why;
        m_endpointError->setText(why);
        m_endpointError->show();
        return false;
    };
    if (u.isEmpty())
        return reject(tr("Type an engine address first, e.g. tcp://build-1.example.com:2376."));
    static const QRegularExpression scheme(QStringLiteral("^(unix|tcp|ssh)://"));
    if (!scheme.match(u).hasMatch()) {
        return reject(tr("“%1” is not an engine address: use unix:///path/docker.sock, "
                         "tcp://host:2376 or ssh://user@host.")
                          .arg(u));
    }
    // The settings file is plain text: a password in the URL would be stored in clear.
    static const QRegularExpression password(QStringLiteral("^[a-z]+://[^/@]*:[^/@]*@"));
    if (password.match(u).hasMatch()) {
        return reject(tr("Remove the password from the address: box-console stores addresses "
                         "in its settings file. Use an ssh key or agent, or TLS client "
                         "certificates."));
    }
    const auto parsed = boxes::BackendFactory::parseEndpoint(u);
    if (!parsed)
        return reject(parsed.error().message());
    // Duplicates are compared as engines, not as text: tcp://h and tcp://h:2375 are one.
    const QString key = parsed->key();
    for (const EndpointModel::Item &row : m_endpoints->endpoints()) {
        if (row.url.isEmpty())
            continue;
        const auto other = docker::EndpointResolver::parseHost(row.url, {});
        if (row.url != u && (!other || other->key() != key))
            continue;
        if (row.userAdded)
            return reject(tr("%1 is already in the list.").arg(row.url));
        return reject(
            tr("%1 is the docker context “%2”: tick it instead.").arg(row.url, row.context));
    }
    m_endpointError->hide();
    m_endpoints->addEndpoint({u, tr("added, testing…"), true, true});
    m_dockerTouched = true;
    updateEndpointHint();
    testEndpoint(u, parsed.value());
    return true;
}

void SettingsDialog::testEndpoint(const QString &url, const http::Endpoint &endpoint)
{
    // A typo shows now, not as a red dot in the status bar after OK.
    auto *client = new docker::DockerClient(endpoint, this);
    onFinished(client->version(), this, [this, url, client](const Result<docker::VersionInfo> &r) {
        if (r)
            m_endpoints->setTestResult(url, tr("added, reachable: Docker %1").arg(r->version),
                                       QString());
        else
            m_endpoints->setTestResult(url, tr("added"),
                                       tr("not reachable: %1").arg(r.error().message()));
        emit endpointTested(url, bool(r));
        client->deleteLater();
    });
}

bool SettingsDialog::removeEndpoint(int row)
{
    if (row < 0 || row >= m_endpoints->rowCount())
        return false;
    const EndpointModel::Item item = m_endpoints->endpoints().at(row);
    if (!m_endpoints->removeEndpoint(row)) {
        m_endpointError->setText(
            tr("“%1” is a docker CLI context: untick “Show” to hide it here (`docker context "
               "rm` deletes it for the CLI too).")
                .arg(item.context.isEmpty() ? item.url : item.context));
        m_endpointError->show();
        return false;
    }
    m_endpointError->hide();
    m_dockerTouched = true;
    updateEndpointHint();
    return true;
}

void SettingsDialog::fail(QLabel *where, const QString &message)
{
    where->setText(message);
    where->show();
}

void SettingsDialog::apply()
{
    if (m_applying)
        return;
    m_applyError->hide();
    m_policyError->hide();
    m_socketDirError->hide();
    // Checks without I/O first; the egress files are looked at on the thread pool.
    const QString coolifyUrl = m_coolifyUrl->text().trimmed();
    if (!coolifyUrl.isEmpty()) {
        if (const auto r = coolify::CoolifyConfig::validateUrl(coolifyUrl); !r) {
            fail(m_coolifyError, r.error().message());
            emit applied(false);
            return;
        }
    }
    // A path on the Coolify server: it cannot be looked at from here, only its form checked.
    const QString egressRoot = m_coolifyEgressRoot->text().trimmed();
    if (!egressRoot.isEmpty() && !egressRoot.startsWith(QLatin1Char('/'))) {
        fail(m_coolifyPickError, tr("Egress socket root: use an absolute path on the Coolify "
                                    "server, e.g. /run/box-egress."));
        emit applied(false);
        return;
    }
    // Fleet rules: the same checks as loading the settings file, naming the same fields.
    if (const auto fleet = m_fleet->validate(); !fleet) {
        m_tabs->setCurrentWidget(m_fleet);
        fail(m_applyError, fleet.error().message());
        emit applied(false);
        return;
    }
    m_applying = true;
    m_buttons->setEnabled(false);
    onFinished(QtConcurrent::run(&checkEgress, m_policyFile->text().trimmed(),
                                 m_socketDir->text().trimmed()),
               this, [this](const EgressCheck &check) { finishApply(check); });
}

void SettingsDialog::finishApply(const EgressCheck &check)
{
    const auto done = [this](bool ok) {
        m_applying = false;
        emit applied(ok);
    };
    if (!check.policyError.isEmpty() || !check.socketDirError.isEmpty()) {
        if (!check.policyError.isEmpty())
            fail(m_policyError, check.policyError);
        if (!check.socketDirError.isEmpty())
            fail(m_socketDirError, check.socketDirError);
        done(false);
        return;
    }
    // The secrets first (webhook URLs, then the token): if the store refuses one, nothing
    // else is stored either, and webhook URLs already written are removed again.
    m_fleet->setEnabled(false);
    onFinished(m_fleet->storeWebhookUrls(), this, [this, done](const VoidResult &w) {
        if (!w) {
            m_fleet->setEnabled(true);
            fail(m_applyError, tr("The webhook URLs could not be stored, so nothing was saved: %1")
                                   .arg(w.error().message()));
            done(false);
            return;
        }
        storeToken([this, done](bool ok) {
            if (!ok) {
                m_fleet->setEnabled(true);
                (void)m_fleet->discardWebhookUrls();
                done(false);
                return;
            }
            store();
            // Secrets of removed or replaced webhooks go once the settings no longer name
            // them; a failure leaves an unused secret, not a broken setting.
            onFinished(
                m_fleet->removeStaleWebhookSecrets(), this, [this, done](const VoidResult &r) {
                    m_fleet->setEnabled(true);
                    if (!r)
                        fail(m_applyError, tr("Saved, but secrets of removed webhooks could not be "
                                              "removed from the secret store: %1")
                                               .arg(r.error().message()));
                    done(true);
                });
        });
    });
}

void SettingsDialog::storeToken(const std::function<void(bool)> &next)
{
    const QString token = m_token->text().trimmed();
    if (token.isEmpty()) {
        next(true);
        return;
    }
    m_token->setEnabled(false);
    onFinished(util::SecretStore::write(tokenKey(), token), this,
               [this, next](const VoidResult &r) {
                   m_token->setEnabled(true);
                   if (!r) {
                       fail(m_applyError, tr("The Coolify token could not be stored, so nothing "
                                             "was saved: %1")
                                              .arg(r.error().message()));
                       next(false);
                       return;
                   }
                   m_token->clear();
                   m_tokenStored = true;
                   m_token->setPlaceholderText(tr("a token is stored (type to replace it)"));
                   next(true);
               });
}

void SettingsDialog::store()
{
    if (m_dockerTouched) {
        // Before the listing arrives no context can have been ticked or unticked.
        m_settings->setDockerContexts(m_contextsLoaded ? m_endpoints->enabledContexts()
                                                       : m_settings->dockerContexts());
        m_settings->setDockerEndpoints(m_endpoints->addedUrls());
        m_dockerTouched = false;
    }
    m_settings->setCoolifyUrl(m_coolifyUrl->text().trimmed());
    storeCoolify();
    // An untouched mode that came from DEPLOY_MODE or the default stays unpinned.
    const QString mode = m_mode->currentData().toString();
    if (mode != m_loadedMode || m_settings->deployModeSource() == QLatin1String("setting")) {
        m_settings->setDeployMode(mode);
        m_loadedMode = mode;
        m_modeSource->clear();
    }
    m_settings->setEgressPolicyFile(m_policyFile->text().trimmed());
    m_settings->setProxySocketDir(m_socketDir->text().trimmed());
    m_settings->setStatsIntervalMs(m_stats->value() * 1000);
    m_settings->setResyncIntervalMs(m_resync->value() * 1000);
    m_fleet->store(*m_settings);
    m_settings->sync();
    updateEndpointHint();
    updateEgressSources();
}

void SettingsDialog::accept()
{
    m_closeAfterApply = true;
    apply();
}

// --- Coolify: connection test and pickers ------------------------------------------------

namespace {

// The keys CoolifyConfig::load() reads.
const QString kServerKey = QStringLiteral("coolify/server");
const QString kProjectKey = QStringLiteral("coolify/project");
const QString kEnvironmentKey = QStringLiteral("coolify/environment");
const QString kEnvironmentUuidKey = QStringLiteral("coolify/environment_uuid");
const QString kEgressRootKey = QStringLiteral("coolify/egress_socket_root");
const QString kEgressGroupKey = QStringLiteral("coolify/egress_group_id");
constexpr int EnvironmentNameRole = Qt::UserRole + 1;

void setOrRemove(QSettings &settings, const QString &key, const QString &value)
{
    if (value.isEmpty())
        settings.remove(key);
    else
        settings.setValue(key, value);
}

// Selects the item whose data is `uuid`; one the API did not offer stays selectable, marked,
// so opening and applying never silently changes where boxes go.
void selectOrKeep(QComboBox *combo, const QString &uuid, const QString &missingNote)
{
    if (uuid.isEmpty()) {
        combo->setCurrentIndex(combo->count() > 0 ? 0 : -1);
        return;
    }
    int i = combo->findData(uuid);
    if (i < 0) {
        combo->addItem(
            missingNote.isEmpty() ? uuid : QStringLiteral("%1 (%2)").arg(uuid, missingNote), uuid);
        i = combo->count() - 1;
    }
    combo->setCurrentIndex(i);
}

QString describeError(const Error &e)
{
    if (e.httpStatus() > 0)
        return SettingsDialog::tr("HTTP %1: %2").arg(e.httpStatus()).arg(e.message());
    return e.message();
}

} // namespace

void SettingsDialog::buildCoolifyPickers(QGroupBox *box, QFormLayout *form)
{
    m_coolifyTest = new QPushButton(tr("Test connection"), box);
    m_coolifyTest->setToolTip(tr("Checks that Coolify answers, which version it runs and that "
                                 "it accepts the token; then lists servers and projects."));
    m_coolifyTestResult = new QLabel(box);
    m_coolifyTestResult->setWordWrap(true);
    m_coolifyTestResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_coolifyTestResult->setAccessibleName(tr("Coolify connection result"));
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_coolifyTest);
    testRow->addWidget(m_coolifyTestResult, 1);
    form->addRow(QString(), testRow);

    m_coolifyServer = new QComboBox(box);
    m_coolifyServer->setAccessibleName(tr("Coolify server"));
    m_coolifyServer->setToolTip(tr("Where boxes run: usable, reachable servers that are not "
                                   "build servers."));
    m_coolifyServerNote = hintLabel(box);
    m_coolifyServerNote->hide();
    m_coolifyProject = new QComboBox(box);
    m_coolifyProject->setAccessibleName(tr("Coolify project"));
    m_coolifyEnvironment = new QComboBox(box);
    m_coolifyEnvironment->setAccessibleName(tr("Coolify environment"));
    m_coolifyPickError = errorLabel(box);
    auto *serverRow = new QHBoxLayout;
    serverRow->addWidget(m_coolifyServer, 1);
    form->addRow(tr("Server:"), fieldWithNotes(serverRow, {m_coolifyServerNote}));
    auto *projectRow = new QHBoxLayout;
    projectRow->addWidget(m_coolifyProject, 1);
    projectRow->addWidget(new QLabel(tr("Environment:"), box));
    projectRow->addWidget(m_coolifyEnvironment, 1);
    form->addRow(tr("Project:"), fieldWithNotes(projectRow, {m_coolifyPickError}));

    m_coolifyEgressRoot = new QLineEdit(box);
    m_coolifyEgressRoot->setPlaceholderText(tr("e.g. /run/box-egress; empty: no egress"));
    m_coolifyEgressRoot->setToolTip(
        tr("On the Coolify server: the egress proxy's socket root; a box with egress gets "
           "<root>/<box> mounted read-only."));
    m_coolifyEgressRoot->setAccessibleName(tr("Coolify egress socket root"));
    m_coolifyEgressGroup = new QSpinBox(box);
    m_coolifyEgressGroup->setRange(0, 65535);
    m_coolifyEgressGroup->setSpecialValueText(tr("none"));
    m_coolifyEgressGroup->setToolTip(tr("Group id of the proxy's sockets on the Coolify server; "
                                        "the box user joins it. None: the sockets are open to "
                                        "all."));
    m_coolifyEgressGroup->setAccessibleName(tr("Coolify egress group id"));
    auto *egressRow = new QHBoxLayout;
    egressRow->addWidget(m_coolifyEgressRoot, 1);
    egressRow->addWidget(new QLabel(tr("Group id:"), box));
    egressRow->addWidget(m_coolifyEgressGroup);
    form->addRow(tr("Egress sockets:"), egressRow);
    m_coolifyEngines = new CoolifyEngineAccessEditor(box);
    form->addRow(tr("Engine over ssh:"), m_coolifyEngines);

    connect(m_coolifyTest, &QPushButton::clicked, this, &SettingsDialog::testCoolify);
    connect(m_coolifyProject, &QComboBox::activated, this, [this] {
        m_coolifyEnvironment->clear();
        listEnvironments(m_coolifyProject->currentData().toString());
    });
    for (QComboBox *combo : {m_coolifyServer, m_coolifyProject, m_coolifyEnvironment})
        connect(combo, &QComboBox::activated, m_coolifyPickError, &QLabel::hide);
    connect(m_coolifyEgressRoot, &QLineEdit::textChanged, m_coolifyPickError, &QLabel::hide);
}

void SettingsDialog::loadCoolify()
{
    // Until a test lists them, the pickers hold what is stored.
    QSettings &raw = m_settings->raw();
    const QString server = raw.value(kServerKey).toString().trimmed();
    const QString project = raw.value(kProjectKey).toString().trimmed();
    const QString envName = raw.value(kEnvironmentKey).toString().trimmed();
    const QString envUuid = raw.value(kEnvironmentUuidKey).toString().trimmed();
    const QString stored = tr("stored; Test connection to check");
    m_coolifyServer->clear();
    m_coolifyProject->clear();
    m_coolifyEnvironment->clear();
    if (!server.isEmpty())
        m_coolifyServer->addItem(QStringLiteral("%1 (%2)").arg(server, stored), server);
    if (!project.isEmpty())
        m_coolifyProject->addItem(QStringLiteral("%1 (%2)").arg(project, stored), project);
    if (!envName.isEmpty() || !envUuid.isEmpty()) {
        m_coolifyEnvironment->addItem(envName.isEmpty() ? envUuid : envName, envUuid);
        m_coolifyEnvironment->setItemData(0, envName, EnvironmentNameRole);
    }
    m_coolifyEgressRoot->setText(raw.value(kEgressRootKey).toString().trimmed());
    bool ok = false;
    const int group = raw.value(kEgressGroupKey).toString().toInt(&ok);
    m_coolifyEgressGroup->setValue(ok && group > 0 ? group : 0);
    m_coolifyEngines->load(raw);
    if (m_coolifyTestResult->text().isEmpty())
        m_coolifyTestResult->setText(
            server.isEmpty() || project.isEmpty()
                ? tr("Server and project are not set: Coolify deploys need both.")
                : QString());
}

void SettingsDialog::storeCoolify()
{
    QSettings &raw = m_settings->raw();
    setOrRemove(raw, kServerKey, m_coolifyServer->currentData().toString());
    setOrRemove(raw, kProjectKey, m_coolifyProject->currentData().toString());
    const int env = m_coolifyEnvironment->currentIndex();
    setOrRemove(raw, kEnvironmentKey,
                env < 0 ? QString()
                        : m_coolifyEnvironment->itemData(env, EnvironmentNameRole).toString());
    setOrRemove(raw, kEnvironmentUuidKey,
                env < 0 ? QString() : m_coolifyEnvironment->itemData(env).toString());
    setOrRemove(raw, kEgressRootKey, m_coolifyEgressRoot->text().trimmed());
    const int group = m_coolifyEgressGroup->value();
    setOrRemove(raw, kEgressGroupKey, group > 0 ? QString::number(group) : QString());
    m_coolifyEngines->store(raw);
}

void SettingsDialog::coolifyRequestDone()
{
    if (--m_coolifyBusy == 0) {
        m_coolifyTest->setEnabled(true);
        emit coolifyListed();
    }
}

void SettingsDialog::testCoolify()
{
    const QString url = m_coolifyUrl->text().trimmed();
    const auto report = [this](bool ok, const QString &text) {
        QPalette pal = m_coolifyTestResult->palette();
        pal.setColor(QPalette::WindowText, toneColor(ok ? Tone::Good : Tone::Bad));
        m_coolifyTestResult->setPalette(pal);
        m_coolifyTestResult->setText(text);
    };
    if (url.isEmpty()) {
        report(false, tr("Type the Coolify URL first."));
        emit coolifyTested(false);
        return;
    }
    // The same loading as a deploy (URL normalised, API path), with the typed token if any;
    // without one the client reads the stored token itself.
    auto loaded = coolify::CoolifyConfig::load(url);
    if (!loaded) {
        report(false, loaded.error().message());
        emit coolifyTested(false);
        return;
    }
    coolify::CoolifyConfig config = loaded.value();
    const QString typed = m_token->text().trimmed();
    if (!typed.isEmpty())
        config.token = typed;
    config.timeoutMs = std::min(config.timeoutMs, 15000);
    if (m_coolifyClient)
        m_coolifyClient->deleteLater();
    m_coolifyClient = new coolify::CoolifyClient(config, this);
    m_coolifyClient->setRetryPolicy(0, 0);
    const int generation = ++m_coolifyGeneration;
    coolify::CoolifyClient *client = m_coolifyClient;
    m_coolifyTest->setEnabled(false);
    report(true, tr("Connecting to %1…").arg(config.baseUrl.toDisplayString()));
    const auto failed = [this, generation, report](const QString &text) {
        if (generation != m_coolifyGeneration)
            return;
        report(false, text);
        m_coolifyTest->setEnabled(true);
        emit coolifyTested(false);
    };
    onFinished(client->health(), this, [=, this](const VoidResult &health) {
        if (generation != m_coolifyGeneration)
            return;
        if (!health) {
            failed(tr("Coolify does not answer at %1: %2")
                       .arg(config.baseUrl.toDisplayString(), describeError(health.error())));
            return;
        }
        // /version needs a token with read access: it is the token check too.
        onFinished(
            client->version(), this, [=, this](const Result<coolify::CoolifyVersion> &version) {
                if (generation != m_coolifyGeneration)
                    return;
                if (!version) {
                    failed(tr("Coolify answers, but: %1").arg(describeError(version.error())));
                    return;
                }
                report(true, tr("Connected: Coolify %1, token accepted.").arg(version->raw));
                m_coolifyTest->setEnabled(true);
                emit coolifyTested(true);
                listCoolify();
            });
    });
}

void SettingsDialog::listCoolify()
{
    if (!m_coolifyClient)
        return;
    const int generation = m_coolifyGeneration;
    const QString server = m_coolifyServer->currentData().toString();
    const QString project = m_coolifyProject->currentData().toString();
    m_coolifyPickError->hide();
    m_coolifyBusy += 2;
    m_coolifyTest->setEnabled(false);
    onFinished(m_coolifyClient->servers(), this,
               [this, generation, server](const Result<QList<coolify::CoolifyServer>> &r) {
                   if (generation != m_coolifyGeneration)
                       return;
                   if (!r) {
                       fail(m_coolifyPickError,
                            tr("Servers could not be listed: %1").arg(describeError(r.error())));
                   } else {
                       m_coolifyEngines->setServers(r.value());
                       m_coolifyServer->clear();
                       QStringList skipped;
                       for (const coolify::CoolifyServer &s : r.value()) {
                           if (s.canHost()) {
                               m_coolifyServer->addItem(QStringLiteral("%1 (%2)").arg(s.name, s.ip),
                                                        s.uuid);
                               continue;
                           }
                           const QString why = s.isBuildServer  ? tr("build server")
                                               : !s.isReachable ? tr("not reachable")
                                                                : tr("not usable");
                           skipped << QStringLiteral("%1 (%2)").arg(s.name, why);
                       }
                       selectOrKeep(m_coolifyServer, server, tr("not offered by Coolify"));
                       m_coolifyServerNote->setVisible(!skipped.isEmpty());
                       m_coolifyServerNote->setText(
                           tr("Not offered: %1.").arg(skipped.join(QStringLiteral(", "))));
                       if (m_coolifyServer->count() == 0)
                           fail(m_coolifyPickError,
                                tr("Coolify has no server that can host boxes (usable, "
                                   "reachable, not a build server)."));
                   }
                   coolifyRequestDone();
               });
    onFinished(m_coolifyClient->projects(), this,
               [this, generation, project](const Result<QList<coolify::CoolifyProject>> &r) {
                   if (generation != m_coolifyGeneration)
                       return;
                   if (!r) {
                       fail(m_coolifyPickError,
                            tr("Projects could not be listed: %1").arg(describeError(r.error())));
                   } else {
                       m_coolifyProject->clear();
                       for (const coolify::CoolifyProject &p : r.value())
                           m_coolifyProject->addItem(p.name, p.uuid);
                       selectOrKeep(m_coolifyProject, project, tr("not offered by Coolify"));
                       listEnvironments(m_coolifyProject->currentData().toString());
                   }
                   coolifyRequestDone();
               });
}

void SettingsDialog::listEnvironments(const QString &projectUuid)
{
    if (!m_coolifyClient || projectUuid.isEmpty())
        return;
    const int generation = m_coolifyGeneration;
    const int current = m_coolifyEnvironment->currentIndex();
    const QString envUuid =
        current < 0 ? QString() : m_coolifyEnvironment->currentData().toString();
    const QString envName =
        current < 0 ? QString()
                    : m_coolifyEnvironment->itemData(current, EnvironmentNameRole).toString();
    ++m_coolifyBusy;
    m_coolifyTest->setEnabled(false);
    onFinished(
        m_coolifyClient->environments(projectUuid), this,
        [this, generation, projectUuid, envUuid,
         envName](const Result<QList<coolify::CoolifyEnvironment>> &r) {
            if (generation != m_coolifyGeneration ||
                m_coolifyProject->currentData().toString() != projectUuid) {
                coolifyRequestDone();
                return;
            }
            if (!r) {
                fail(m_coolifyPickError,
                     tr("Environments could not be listed: %1").arg(describeError(r.error())));
            } else {
                m_coolifyEnvironment->clear();
                int pick = -1;
                for (const coolify::CoolifyEnvironment &e : r.value()) {
                    m_coolifyEnvironment->addItem(e.name, e.uuid);
                    m_coolifyEnvironment->setItemData(m_coolifyEnvironment->count() - 1, e.name,
                                                      EnvironmentNameRole);
                    // The stored one, else Coolify's default environment name.
                    if ((!envUuid.isEmpty() && e.uuid == envUuid) ||
                        (envUuid.isEmpty() && !envName.isEmpty() && e.name == envName))
                        pick = m_coolifyEnvironment->count() - 1;
                    else if (pick < 0 && envUuid.isEmpty() && envName.isEmpty() &&
                             e.name == QLatin1String("production"))
                        pick = m_coolifyEnvironment->count() - 1;
                }
                m_coolifyEnvironment->setCurrentIndex(
                    pick >= 0 ? pick : (m_coolifyEnvironment->count() > 0 ? 0 : -1));
                if (m_coolifyEnvironment->count() == 0)
                    fail(m_coolifyPickError, tr("This project has no environment."));
            }
            coolifyRequestDone();
        });
}

} // namespace bc::ui
