#include "ui/coolifysettingsbox.h"

#include "core/boxes/consolesettings.h"
#include "core/coolify/coolifyclient.h"
#include "core/coolify/coolifyconfig.h"
#include "core/util/futureutil.h"
#include "core/util/secretstore.h"
#include "ui/coolifyengineaccesseditor.h"
#include "ui/formnotes.h"
#include "ui/statusicons.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

namespace bc::ui {

namespace {

QString tokenKey()
{
    return QString::fromLatin1(coolify::CoolifyConfig::tokenSecretKey);
}

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
        return CoolifySettingsBox::tr("HTTP %1: %2").arg(e.httpStatus()).arg(e.message());
    return e.message();
}

} // namespace

CoolifySettingsBox::CoolifySettingsBox(QWidget *parent)
    : QGroupBox(tr("Coolify"), parent)
{
    m_url = new QLineEdit(this);
    m_url->setPlaceholderText(tr("https://coolify.example.com (empty: not used)"));
    m_urlError = errorLabel(this);
    m_token = new QLineEdit(this);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("API token (none stored)"));
    m_token->setToolTip(tr("Stored in the system keychain (or a file only you can read); it is "
                           "never shown again."));
    auto *coolifyForm = new QFormLayout(this);
    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url);
    coolifyForm->addRow(tr("URL:"), fieldWithNotes(urlRow, {m_urlError}));
    coolifyForm->addRow(tr("API token:"), m_token);
    buildPickers(coolifyForm);
    connect(m_url, &QLineEdit::textChanged, this, [this](const QString &text) {
        const QString t = text.trimmed();
        const auto r = t.isEmpty() ? Result<QUrl>(QUrl()) : coolify::CoolifyConfig::validateUrl(t);
        m_urlError->setVisible(!r);
        if (!r)
            m_urlError->setText(r.error().message());
    });
}

void CoolifySettingsBox::load(boxes::ConsoleSettings *settings)
{
    m_settings = settings;
    m_url->setText(m_settings->coolifyUrl());
    loadPickers();
    // Only whether a token exists is kept; its value is dropped at once.
    onFinished(util::SecretStore::read(tokenKey()), this, [this](const Result<QString> &r) {
        m_tokenStored = r.ok() && !r->isEmpty();
        if (m_tokenStored)
            m_token->setPlaceholderText(tr("a token is stored (type to replace it)"));
    });
}

bool CoolifySettingsBox::validate()
{
    const QString url = m_url->text().trimmed();
    if (!url.isEmpty()) {
        if (const auto r = coolify::CoolifyConfig::validateUrl(url); !r) {
            showError(m_urlError, r.error().message());
            return false;
        }
    }
    // A path on the Coolify server: it cannot be looked at from here, only its form checked.
    const QString egressRoot = m_egressRoot->text().trimmed();
    if (!egressRoot.isEmpty() && !egressRoot.startsWith(QLatin1Char('/'))) {
        showError(m_pickError, tr("Egress socket root: use an absolute path on the Coolify "
                                  "server, e.g. /run/box-egress."));
        return false;
    }
    return true;
}

void CoolifySettingsBox::storeToken(const std::function<void(const QString &error)> &next)
{
    const QString token = m_token->text().trimmed();
    if (token.isEmpty()) {
        next(QString());
        return;
    }
    m_token->setEnabled(false);
    onFinished(util::SecretStore::write(tokenKey(), token), this,
               [this, next](const VoidResult &r) {
                   m_token->setEnabled(true);
                   if (!r) {
                       next(r.error().message());
                       return;
                   }
                   m_token->clear();
                   m_tokenStored = true;
                   m_token->setPlaceholderText(tr("a token is stored (type to replace it)"));
                   next(QString());
               });
}

void CoolifySettingsBox::store()
{
    m_settings->setCoolifyUrl(m_url->text().trimmed());
    storePickers();
}

void CoolifySettingsBox::buildPickers(QFormLayout *form)
{
    m_test = new QPushButton(tr("Test connection"), this);
    m_test->setToolTip(tr("Checks that Coolify answers, which version it runs and that "
                          "it accepts the token; then lists servers and projects."));
    m_testResult = new QLabel(this);
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_testResult->setAccessibleName(tr("Coolify connection result"));
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_testResult, 1);
    form->addRow(QString(), testRow);

    m_server = new QComboBox(this);
    m_server->setAccessibleName(tr("Coolify server"));
    m_server->setToolTip(tr("Where boxes run: usable, reachable servers that are not "
                            "build servers."));
    m_serverNote = hintLabel(this);
    m_serverNote->hide();
    m_project = new QComboBox(this);
    m_project->setAccessibleName(tr("Coolify project"));
    m_environment = new QComboBox(this);
    m_environment->setAccessibleName(tr("Coolify environment"));
    m_pickError = errorLabel(this);
    auto *serverRow = new QHBoxLayout;
    serverRow->addWidget(m_server, 1);
    form->addRow(tr("Server:"), fieldWithNotes(serverRow, {m_serverNote}));
    auto *projectRow = new QHBoxLayout;
    projectRow->addWidget(m_project, 1);
    projectRow->addWidget(new QLabel(tr("Environment:"), this));
    projectRow->addWidget(m_environment, 1);
    form->addRow(tr("Project:"), fieldWithNotes(projectRow, {m_pickError}));

    m_egressRoot = new QLineEdit(this);
    m_egressRoot->setPlaceholderText(tr("e.g. /run/box-egress; empty: no egress"));
    m_egressRoot->setToolTip(
        tr("On the Coolify server: the egress proxy's socket root; a box with egress gets "
           "<root>/<box> mounted read-only."));
    m_egressRoot->setAccessibleName(tr("Coolify egress socket root"));
    m_egressGroup = new QSpinBox(this);
    m_egressGroup->setRange(0, 65535);
    m_egressGroup->setSpecialValueText(tr("none"));
    m_egressGroup->setToolTip(tr("Group id of the proxy's sockets on the Coolify server; "
                                 "the box user joins it. None: the sockets are open to "
                                 "all."));
    m_egressGroup->setAccessibleName(tr("Coolify egress group id"));
    auto *egressRow = new QHBoxLayout;
    egressRow->addWidget(m_egressRoot, 1);
    egressRow->addWidget(new QLabel(tr("Group id:"), this));
    egressRow->addWidget(m_egressGroup);
    form->addRow(tr("Egress sockets:"), egressRow);
    m_engines = new CoolifyEngineAccessEditor(this);
    form->addRow(tr("Engine over ssh:"), m_engines);

    connect(m_test, &QPushButton::clicked, this, &CoolifySettingsBox::test);
    connect(m_project, &QComboBox::activated, this, [this] {
        m_environment->clear();
        listEnvironments(m_project->currentData().toString());
    });
    for (QComboBox *combo : {m_server, m_project, m_environment})
        connect(combo, &QComboBox::activated, m_pickError, &QLabel::hide);
    connect(m_egressRoot, &QLineEdit::textChanged, m_pickError, &QLabel::hide);
}

void CoolifySettingsBox::loadPickers()
{
    // Until a test lists them, the pickers hold what is stored.
    QSettings &raw = m_settings->raw();
    const QString server = raw.value(kServerKey).toString().trimmed();
    const QString project = raw.value(kProjectKey).toString().trimmed();
    const QString envName = raw.value(kEnvironmentKey).toString().trimmed();
    const QString envUuid = raw.value(kEnvironmentUuidKey).toString().trimmed();
    const QString stored = tr("stored; Test connection to check");
    m_server->clear();
    m_project->clear();
    m_environment->clear();
    if (!server.isEmpty())
        m_server->addItem(QStringLiteral("%1 (%2)").arg(server, stored), server);
    if (!project.isEmpty())
        m_project->addItem(QStringLiteral("%1 (%2)").arg(project, stored), project);
    if (!envName.isEmpty() || !envUuid.isEmpty()) {
        m_environment->addItem(envName.isEmpty() ? envUuid : envName, envUuid);
        m_environment->setItemData(0, envName, EnvironmentNameRole);
    }
    m_egressRoot->setText(raw.value(kEgressRootKey).toString().trimmed());
    bool ok = false;
    const int group = raw.value(kEgressGroupKey).toString().toInt(&ok);
    m_egressGroup->setValue(ok && group > 0 ? group : 0);
    m_engines->load(raw);
    if (m_testResult->text().isEmpty())
        m_testResult->setText(server.isEmpty() || project.isEmpty()
                                  ? tr("Server and project are not set: Coolify deploys need both.")
                                  : QString());
}

void CoolifySettingsBox::storePickers()
{
    QSettings &raw = m_settings->raw();
    setOrRemove(raw, kServerKey, m_server->currentData().toString());
    setOrRemove(raw, kProjectKey, m_project->currentData().toString());
    const int env = m_environment->currentIndex();
    setOrRemove(raw, kEnvironmentKey,
                env < 0 ? QString() : m_environment->itemData(env, EnvironmentNameRole).toString());
    setOrRemove(raw, kEnvironmentUuidKey,
                env < 0 ? QString() : m_environment->itemData(env).toString());
    setOrRemove(raw, kEgressRootKey, m_egressRoot->text().trimmed());
    const int group = m_egressGroup->value();
    setOrRemove(raw, kEgressGroupKey, group > 0 ? QString::number(group) : QString());
    m_engines->store(raw);
}

void CoolifySettingsBox::requestDone()
{
    if (--m_busy == 0) {
        m_test->setEnabled(true);
        emit listed();
    }
}

void CoolifySettingsBox::test()
{
    const QString url = m_url->text().trimmed();
    const auto report = [this](bool ok, const QString &text) {
        QPalette pal = m_testResult->palette();
        pal.setColor(QPalette::WindowText, toneColor(ok ? Tone::Good : Tone::Bad));
        m_testResult->setPalette(pal);
        m_testResult->setText(text);
    };
    if (url.isEmpty()) {
        report(false, tr("Type the Coolify URL first."));
        emit tested(false);
        return;
    }
    // The same loading as a deploy (URL normalised, API path), with the typed token if any;
    // without one the client reads the stored token itself.
    auto loaded = coolify::CoolifyConfig::load(url);
    if (!loaded) {
        report(false, loaded.error().message());
        emit tested(false);
        return;
    }
    coolify::CoolifyConfig config = loaded.value();
    const QString typed = m_token->text().trimmed();
    if (!typed.isEmpty())
        config.token = typed;
    config.timeoutMs = std::min(config.timeoutMs, 15000);
    if (m_client)
        m_client->deleteLater();
    m_client = new coolify::CoolifyClient(config, this);
    m_client->setRetryPolicy(0, 0);
    const int generation = ++m_generation;
    coolify::CoolifyClient *client = m_client;
    m_test->setEnabled(false);
    report(true, tr("Connecting to %1…").arg(config.baseUrl.toDisplayString()));
    const auto failed = [this, generation, report](const QString &text) {
        if (generation != m_generation)
            return;
        report(false, text);
        m_test->setEnabled(true);
        emit tested(false);
    };
    onFinished(client->health(), this, [=, this](const VoidResult &health) {
        if (generation != m_generation)
            return;
        if (!health) {
            failed(tr("Coolify does not answer at %1: %2")
                       .arg(config.baseUrl.toDisplayString(), describeError(health.error())));
            return;
        }
        // /version needs a token with read access: it is the token check too.
        onFinished(
            client->version(), this, [=, this](const Result<coolify::CoolifyVersion> &version) {
                if (generation != m_generation)
                    return;
                if (!version) {
                    failed(tr("Coolify answers, but: %1").arg(describeError(version.error())));
                    return;
                }
                report(true, tr("Connected: Coolify %1, token accepted.").arg(version->raw));
                m_test->setEnabled(true);
                emit tested(true);
                list();
            });
    });
}

void CoolifySettingsBox::list()
{
    if (!m_client)
        return;
    const int generation = m_generation;
    const QString server = m_server->currentData().toString();
    const QString project = m_project->currentData().toString();
    m_pickError->hide();
    m_busy += 2;
    m_test->setEnabled(false);
    onFinished(
        m_client->servers(), this,
        [this, generation, server](const Result<QList<coolify::CoolifyServer>> &r) {
            if (generation != m_generation)
                return;
            if (!r) {
                showError(m_pickError,
                          tr("Servers could not be listed: %1").arg(describeError(r.error())));
            } else {
                m_engines->setServers(r.value());
                m_server->clear();
                QStringList skipped;
                for (const coolify::CoolifyServer &s : r.value()) {
                    if (s.canHost()) {
                        m_server->addItem(QStringLiteral("%1 (%2)").arg(s.name, s.ip), s.uuid);
                        continue;
                    }
                    const QString why = s.isBuildServer  ? tr("build server")
                                        : !s.isReachable ? tr("not reachable")
                                                         : tr("not usable");
                    skipped << QStringLiteral("%1 (%2)").arg(s.name, why);
                }
                selectOrKeep(m_server, server, tr("not offered by Coolify"));
                m_serverNote->setVisible(!skipped.isEmpty());
                m_serverNote->setText(
                    tr("Not offered: %1.").arg(skipped.join(QStringLiteral(", "))));
                if (m_server->count() == 0)
                    showError(m_pickError, tr("Coolify has no server that can host boxes (usable, "
                                              "reachable, not a build server)."));
            }
            requestDone();
        });
    onFinished(m_client->projects(), this,
               [this, generation, project](const Result<QList<coolify::CoolifyProject>> &r) {
                   if (generation != m_generation)
                       return;
                   if (!r) {
                       showError(
                           m_pickError,
                           tr("Projects could not be listed: %1").arg(describeError(r.error())));
                   } else {
                       m_project->clear();
                       for (const coolify::CoolifyProject &p : r.value())
                           m_project->addItem(p.name, p.uuid);
                       selectOrKeep(m_project, project, tr("not offered by Coolify"));
                       listEnvironments(m_project->currentData().toString());
                   }
                   requestDone();
               });
}

void CoolifySettingsBox::listEnvironments(const QString &projectUuid)
{
    if (!m_client || projectUuid.isEmpty())
        return;
    const int generation = m_generation;
    const int current = m_environment->currentIndex();
    const QString envUuid = current < 0 ? QString() : m_environment->currentData().toString();
    const QString envName =
        current < 0 ? QString() : m_environment->itemData(current, EnvironmentNameRole).toString();
    ++m_busy;
    m_test->setEnabled(false);
    onFinished(
        m_client->environments(projectUuid), this,
        [this, generation, projectUuid, envUuid,
         envName](const Result<QList<coolify::CoolifyEnvironment>> &r) {
            if (generation != m_generation || m_project->currentData().toString() != projectUuid) {
                requestDone();
                return;
            }
            if (!r) {
                showError(m_pickError,
                          tr("Environments could not be listed: %1").arg(describeError(r.error())));
            } else {
                m_environment->clear();
                int pick = -1;
                for (const coolify::CoolifyEnvironment &e : r.value()) {
                    m_environment->addItem(e.name, e.uuid);
                    m_environment->setItemData(m_environment->count() - 1, e.name,
                                               EnvironmentNameRole);
                    // The stored one, else Coolify's default environment name.
                    if ((!envUuid.isEmpty() && e.uuid == envUuid) ||
                        (envUuid.isEmpty() && !envName.isEmpty() && e.name == envName))
                        pick = m_environment->count() - 1;
                    else if (pick < 0 && envUuid.isEmpty() && envName.isEmpty() &&
                             e.name == QLatin1String("production"))
                        pick = m_environment->count() - 1;
                }
                m_environment->setCurrentIndex(pick >= 0 ? pick
                                                         : (m_environment->count() > 0 ? 0 : -1));
                if (m_environment->count() == 0)
                    showError(m_pickError, tr("This project has no environment."));
            }
            requestDone();
        });
}

} // namespace bc::ui
