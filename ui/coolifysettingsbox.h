#pragma once

#include <QGroupBox>

#include <functional>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace bc::boxes {
class ConsoleSettings;
}
namespace bc::coolify {
class CoolifyClient;
}

namespace bc::ui {

class CoolifyEngineAccessEditor;

// The settings' Coolify URL and token, and where Coolify deploys go. The token goes to the
// keychain (SecretStore) and is never shown again: the field only says whether one is
// stored. Server, project and environment are picked from the API after Test connection
// and stored under the keys CoolifyConfig::load() reads.
class CoolifySettingsBox final : public QGroupBox
{
    Q_OBJECT
public:
    explicit CoolifySettingsBox(QWidget *parent = nullptr);

    // load() and store() as DockerEnginesBox's: `settings` must outlive this box.
    void load(boxes::ConsoleSettings *settings);
    // The checks without I/O; false after showing what is wrong under the field.
    bool validate();
    // Writes a typed token to the secret store, then next(empty, or why it could not be).
    void storeToken(const std::function<void(const QString &error)> &next);
    void store();

    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *tokenEdit() const { return m_token; }
    // Test connection (health, version, token) fills the pickers from the API.
    QPushButton *testButton() const { return m_test; }
    QLabel *testLabel() const { return m_testResult; }
    QComboBox *serverCombo() const { return m_server; }
    QComboBox *projectCombo() const { return m_project; }
    QComboBox *environmentCombo() const { return m_environment; }
    QLabel *pickerErrorLabel() const { return m_pickError; }
    QLabel *serverNoteLabel() const { return m_serverNote; }
    QLineEdit *egressRootEdit() const { return m_egressRoot; }
    QSpinBox *egressGroupSpin() const { return m_egressGroup; }
    // Per server: may the console reach its Docker engine over ssh, with which key.
    CoolifyEngineAccessEditor *engineEditor() const { return m_engines; }
    bool isTesting() const { return m_busy > 0; }

signals:
    // Test connection finished: true when Coolify answered and took the token.
    void tested(bool ok);
    // The pickers were (re)filled from the API, or their listing failed.
    void listed();

private:
    void buildPickers(QFormLayout *form);
    void loadPickers();
    void storePickers();
    void test();
    void list();
    void listEnvironments(const QString &projectUuid);
    void requestDone();

    boxes::ConsoleSettings *m_settings = nullptr;
    QLineEdit *m_url;
    QLabel *m_urlError;
    QLineEdit *m_token;
    QPushButton *m_test = nullptr;
    QLabel *m_testResult = nullptr;
    QComboBox *m_server = nullptr;
    QLabel *m_serverNote = nullptr;
    QComboBox *m_project = nullptr;
    QComboBox *m_environment = nullptr;
    QLabel *m_pickError = nullptr;
    QLineEdit *m_egressRoot = nullptr;
    QSpinBox *m_egressGroup = nullptr;
    CoolifyEngineAccessEditor *m_engines = nullptr;
    coolify::CoolifyClient *m_client = nullptr; // of the last test; lists environments
    int m_generation = 0;                       // answers of an older test are dropped
    int m_busy = 0;
    bool m_tokenStored = false;
};

} // namespace bc::ui
