#pragma once

#include <QDialog>

#include <memory>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableView;

namespace bc::boxes {
class ConsoleSettings;
}

namespace bc::ui {

class CoolifyEngineAccessEditor;
class CoolifySettingsBox;
class DockerEnginesBox;
class EgressSettingsBox;
class EndpointModel;
class FleetPolicyEditor;

// The settings: Docker engines (DockerEnginesBox), Coolify (CoolifySettingsBox), egress
// paths (EgressSettingsBox), deploy mode and refresh rates on the Backends page; fleet
// policies, quotas and alert webhooks (FleetPolicyEditor) on the second. Secrets (the
// Coolify token, webhook URLs) go to the keychain and are never shown again.
//
// apply() validates everything first (the egress files off the GUI thread) and then stores
// all of it or, on any error, nothing; it reports through applied().
class SettingsDialog final : public QDialog
{
    Q_OBJECT
public:
    // Uses the user's settings unless `settings` is given (tests).
    explicit SettingsDialog(QWidget *parent = nullptr, boxes::ConsoleSettings *settings = nullptr);
    ~SettingsDialog() override;

    // The pages' parts, and their widgets for tests.
    DockerEnginesBox *dockerEngines() const { return m_docker; }
    CoolifySettingsBox *coolify() const { return m_coolify; }
    EgressSettingsBox *egress() const { return m_egress; }
    EndpointModel *endpoints() const;
    QTableView *endpointView() const;
    bool contextsLoaded() const;
    bool isApplying() const { return m_applying; }
    // Validates `url` and adds it, or shows why not (and returns the same text in `error`).
    bool addEndpoint(const QString &url, QString *error = nullptr);
    // Removes the added endpoint in `row`, or shows why a context row cannot be removed.
    bool removeEndpoint(int row);

    QLineEdit *newEndpointEdit() const;
    QLabel *endpointErrorLabel() const;
    QLineEdit *coolifyUrlEdit() const;
    QLineEdit *tokenEdit() const;
    QLineEdit *policyFileEdit() const;
    QLabel *policyFileErrorLabel() const;
    QLabel *policyFileSourceLabel() const;
    QLineEdit *socketDirEdit() const;
    QLabel *socketDirErrorLabel() const;
    QLabel *socketDirSourceLabel() const;
    QLabel *applyErrorLabel() const { return m_applyError; }

    QPushButton *coolifyTestButton() const;
    QLabel *coolifyTestLabel() const;
    QComboBox *coolifyServerCombo() const;
    QComboBox *coolifyProjectCombo() const;
    QComboBox *coolifyEnvironmentCombo() const;
    QLabel *coolifyPickerErrorLabel() const;
    QLabel *coolifyServerNoteLabel() const;
    QLineEdit *coolifyEgressRootEdit() const;
    QSpinBox *coolifyEgressGroupSpin() const;
    CoolifyEngineAccessEditor *coolifyEngineEditor() const;
    bool isTestingCoolify() const;
    // The "Policies and quotas" page: fleet default policies, owner quotas, webhooks.
    FleetPolicyEditor *fleetEditor() const { return m_fleet; }
    QTabWidget *tabs() const { return m_tabs; }

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
    void finishApply();
    void store();

    std::unique_ptr<boxes::ConsoleSettings> m_owned;
    boxes::ConsoleSettings *m_settings;
    DockerEnginesBox *m_docker;
    CoolifySettingsBox *m_coolify;
    EgressSettingsBox *m_egress;
    QComboBox *m_mode;
    QLabel *m_modeSource;
    QSpinBox *m_stats;
    QSpinBox *m_resync;
    QLabel *m_applyError;
    FleetPolicyEditor *m_fleet = nullptr;
    QTabWidget *m_tabs = nullptr;
    QDialogButtonBox *m_buttons;
    QString m_loadedMode;
    bool m_applying = false;
    bool m_closeAfterApply = false;
};

} // namespace bc::ui
