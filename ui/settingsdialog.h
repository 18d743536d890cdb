#pragma once

#include <QDialog>

#include <functional>
#include <memory>

class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QFormLayout;
class QPushButton;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTabWidget;
class QTableView;

namespace bc::http {
struct Endpoint;
}
namespace bc::boxes {
class ConsoleSettings;
}
namespace bc::coolify {
class CoolifyClient;
}

namespace bc::ui {

class CoolifyEngineAccessEditor;
class EndpointModel;
class FleetPolicyEditor;

// Docker engines (the docker CLI's contexts plus added URLs), Coolify URL and token,
// egress policy file and proxy socket directory, deploy mode and refresh rates. The token
// goes to the keychain (SecretStore) and is never shown again: the field only says whether
// one is stored; so do the alert webhook URLs (FleetPolicyEditor). Coolify's server, project and
// environment are picked from its API after Test connection, and stored under the keys
// CoolifyConfig::load() reads.
//
// apply() validates everything first (the egress files off the GUI thread) and then stores
// all of it or, on any error, nothing; it reports through applied(). The context store is
// read off the GUI thread too: contextsLoaded() tells when the list is complete.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
public:
    // Uses the user's settings unless `settings` is given (tests).
    explicit SettingsDialog(QWidget *parent = nullptr, boxes::ConsoleSettings *settings = nullptr);
    ~SettingsDialog() override;

    EndpointModel *endpoints() const { return m_endpoints; }
    QTableView *endpointView() const { return m_endpointView; }
    bool contextsLoaded() const { return m_contextsLoaded; }
    bool isApplying() const { return m_applying; }
    // Validates `url` and adds it, or shows why not (and returns the same text in `error`).
    bool addEndpoint(const QString &url, QString *error = nullptr);
    // Removes the added endpoint in `row`, or shows why a context row cannot be removed.
    bool removeEndpoint(int row);

    QLineEdit *newEndpointEdit() const { return m_newEndpoint; }
    QLabel *endpointErrorLabel() const { return m_endpointError; }
    QLineEdit *coolifyUrlEdit() const { return m_coolifyUrl; }
    QLineEdit *tokenEdit() const { return m_token; }
    QLineEdit *policyFileEdit() const { return m_policyFile; }
    QLabel *policyFileErrorLabel() const { return m_policyError; }
    QLabel *policyFileSourceLabel() const { return m_policySource; }
    QLineEdit *socketDirEdit() const { return m_socketDir; }
    QLabel *socketDirErrorLabel() const { return m_socketDirError; }
    QLabel *socketDirSourceLabel() const { return m_socketDirSource; }
    QLabel *applyErrorLabel() const { return m_applyError; }

    // Coolify: Test connection (health, version, token) fills the pickers from the API.
    QPushButton *coolifyTestButton() const { return m_coolifyTest; }
    QLabel *coolifyTestLabel() const { return m_coolifyTestResult; }
    QComboBox *coolifyServerCombo() const { return m_coolifyServer; }
    QComboBox *coolifyProjectCombo() const { return m_coolifyProject; }
    QComboBox *coolifyEnvironmentCombo() const { return m_coolifyEnvironment; }
    QLabel *coolifyPickerErrorLabel() const { return m_coolifyPickError; }
    QLabel *coolifyServerNoteLabel() const { return m_coolifyServerNote; }
    QLineEdit *coolifyEgressRootEdit() const { return m_coolifyEgressRoot; }
    QSpinBox *coolifyEgressGroupSpin() const { return m_coolifyEgressGroup; }
    // Per server: may the console reach its Docker engine over ssh, with which key.
    CoolifyEngineAccessEditor *coolifyEngineEditor() const { return m_coolifyEngines; }
    bool isTestingCoolify() const { return m_coolifyBusy > 0; }
    // The "Policies and quotas" page: fleet default policies, owner quotas, webhooks.
    FleetPolicyEditor *fleetEditor() const { return m_fleet; }
    QTabWidget *tabs() const { return m_tabs; }

    struct EgressCheck; // what the thread pool found wrong with the egress fields

public slots:
    void apply();
    void accept() override;

signals:
    // After apply(): true when everything was stored, false when nothing was.
    void applied(bool ok);
    // An added engine answered (or not); the Source column says which.
    void endpointTested(const QString &url, bool reachable);
    // Test connection finished: true when Coolify answered and took the token.
    void coolifyTested(bool ok);
    // The pickers were (re)filled from the API, or their listing failed.
    void coolifyListed();

private:
    void load();
    void testEndpoint(const QString &url, const http::Endpoint &endpoint);
    void updateEndpointHint();
    void updateEgressSources();
    void finishApply(const EgressCheck &check);
    void store();
    // Writes a typed Coolify token to the secret store, then next(stored or nothing typed).
    void storeToken(const std::function<void(bool)> &next);
    void fail(QLabel *where, const QString &message);
    void buildCoolifyPickers(QGroupBox *box, QFormLayout *form);
    void loadCoolify();
    void storeCoolify();
    void testCoolify();
    void listCoolify();
    void listEnvironments(const QString &projectUuid);
    void coolifyRequestDone();

    std::unique_ptr<boxes::ConsoleSettings> m_owned;
    boxes::ConsoleSettings *m_settings;
    EndpointModel *m_endpoints;
    QTableView *m_endpointView;
    QLabel *m_endpointHint;
    QLineEdit *m_newEndpoint;
    QLabel *m_endpointError;
    QLineEdit *m_coolifyUrl;
    QLabel *m_coolifyError;
    QLineEdit *m_token;
    QPushButton *m_coolifyTest = nullptr;
    QLabel *m_coolifyTestResult = nullptr;
    QComboBox *m_coolifyServer = nullptr;
    QLabel *m_coolifyServerNote = nullptr;
    QComboBox *m_coolifyProject = nullptr;
    QComboBox *m_coolifyEnvironment = nullptr;
    QLabel *m_coolifyPickError = nullptr;
    QLineEdit *m_coolifyEgressRoot = nullptr;
    QSpinBox *m_coolifyEgressGroup = nullptr;
    CoolifyEngineAccessEditor *m_coolifyEngines = nullptr;
    coolify::CoolifyClient *m_coolifyClient = nullptr; // of the last test; lists environments
    int m_coolifyGeneration = 0;                       // answers of an older test are dropped
    int m_coolifyBusy = 0;
    QLineEdit *m_policyFile;
    QLabel *m_policySource;
    QLabel *m_policyError;
    QLineEdit *m_socketDir;
    QLabel *m_socketDirSource;
    QLabel *m_socketDirError;
    QComboBox *m_mode;
    QLabel *m_modeSource;
    QSpinBox *m_stats;
    QSpinBox *m_resync;
    QLabel *m_applyError;
    FleetPolicyEditor *m_fleet = nullptr;
    QTabWidget *m_tabs = nullptr;
    QDialogButtonBox *m_buttons;
    QString m_loadedMode;
    QString m_currentContext;
    bool m_tokenStored = false;
    bool m_contextsLoaded = false;
    bool m_dockerTouched = false;
    bool m_settingUp = false;
    bool m_applying = false;
    bool m_closeAfterApply = false;
};

} // namespace bc::ui
