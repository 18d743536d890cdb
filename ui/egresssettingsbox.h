#pragma once

#include <QGroupBox>

class QLabel;
class QLineEdit;

namespace bc::boxes {
class ConsoleSettings;
}

namespace bc::ui {

// The settings' egress policy file and proxy socket directory. The fields hold only what
// the settings store; where the environment fills in, the note under a field says so.
class EgressSettingsBox final : public QGroupBox
{
    Q_OBJECT
public:
    explicit EgressSettingsBox(QWidget *parent = nullptr);

    // load() and store() as DockerEnginesBox's: `settings` must outlive this box.
    void load(boxes::ConsoleSettings *settings);
    void store();

    // What is wrong with the typed paths; empty strings when nothing is.
    struct Check
    {
        QString policyError;
        QString socketDirError;
        bool ok() const { return policyError.isEmpty() && socketDirError.isEmpty(); }
    };
    // Reads the files: run it on the thread pool.
    static Check check(const QString &policyFile, const QString &socketDir);
    QString policyFile() const;
    QString socketDir() const;
    // Shows the errors of `check` under their fields; hideErrors() takes them away.
    void showCheck(const Check &check);
    void hideErrors();

    QLineEdit *policyFileEdit() const { return m_policyFile; }
    QLabel *policyFileErrorLabel() const { return m_policyError; }
    QLabel *policyFileSourceLabel() const { return m_policySource; }
    QLineEdit *socketDirEdit() const { return m_socketDir; }
    QLabel *socketDirErrorLabel() const { return m_socketDirError; }
    QLabel *socketDirSourceLabel() const { return m_socketDirSource; }

private:
    void updateSources();

    boxes::ConsoleSettings *m_settings = nullptr;
    QLineEdit *m_policyFile;
    QLabel *m_policySource;
    QLabel *m_policyError;
    QLineEdit *m_socketDir;
    QLabel *m_socketDirSource;
    QLabel *m_socketDirError;
};

} // namespace bc::ui
