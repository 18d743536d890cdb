#pragma once

#include <QDialog>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;

namespace bc::boxes {
class ConsoleSettings;
}

namespace bc::ui {

class EndpointModel;

// Docker endpoints (the docker CLI's own plus added ones), Coolify URL and token, deploy
// mode and refresh rates. The token goes to the keychain (SecretStore) and is never shown
// again: the field only says whether one is stored.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
public:
    // Uses the user's settings unless `settings` is given (tests).
    explicit SettingsDialog(QWidget *parent = nullptr, boxes::ConsoleSettings *settings = nullptr);
    ~SettingsDialog() override;

    EndpointModel *endpoints() const { return m_endpoints; }
    bool addEndpoint(const QString &url, QString *error = nullptr);
    void apply();

public slots:
    void accept() override;

private:
    void load();

    std::unique_ptr<boxes::ConsoleSettings> m_owned;
    boxes::ConsoleSettings *m_settings;
    EndpointModel *m_endpoints;
    QTableView *m_endpointView;
    QLineEdit *m_newEndpoint;
    QLabel *m_endpointError;
    QLineEdit *m_coolifyUrl;
    QLabel *m_coolifyError;
    QLineEdit *m_token;
    QComboBox *m_mode;
    QSpinBox *m_stats;
    QSpinBox *m_resync;
    bool m_tokenStored = false;
};

} // namespace bc::ui
