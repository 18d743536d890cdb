#pragma once

#include "core/boxes/boxbackend.h"
#include "core/boxes/boxinfo.h"
#include "core/boxes/boxjob.h"
#include "core/result.h"
#include "core/security/boxspec.h"

#include <QDialog>
#include <QHash>
#include <QPointer>
#include <QSet>

#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace bc::boxes {
class BoxBackend;
class BoxJob;
} // namespace bc::boxes

namespace bc::ui {

// Deploys one box: a form validated field by field as the user types (the message sits
// under the field, and Deploy stays disabled while anything is invalid), or a spec file;
// then per-step progress with cancel. A failed deploy says which step failed and whether
// anything it had created was removed again ("nothing was created" when nothing was). For a
// Coolify target the form offers only what Coolify can do and says where the box goes.
class PolicyFields;

class DeployDialog final : public QDialog
{
    Q_OBJECT
public:
    DeployDialog(const QList<boxes::BoxBackend *> &backends, const QString &preferredBackendId,
                 const QSet<QString> &takenSubdomains, QWidget *parent = nullptr);
    ~DeployDialog() override;

    // For tests and --spec: fills the form from a spec file; false (with the message shown)
    // when the file is unreadable or invalid.
    bool loadSpecFile(const QString &path);
    // The Redeploy action: the form filled from the spec the box runs with, its name and
    // target fixed, and Deploy replacing it (keeping the old box until the new one is
    // healthy) without asking again.
    void startRedeploy(const security::BoxSpec &spec, const QString &backendId);
    // Current form contents as a spec, or the first validation error.
    Result<security::BoxSpec> spec() const;
    bool isValid() const { return m_errors.isEmpty(); }
    QString fieldError(const QString &field) const { return m_errors.value(field); }
    QPushButton *deployButton() const { return m_deploy; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *subdomainEdit() const { return m_subdomain; }
    QLineEdit *imageEdit() const { return m_image; }
    QComboBox *targetCombo() const { return m_target; }
    QComboBox *isolationCombo() const { return m_isolation; }
    QLineEdit *egressEdit() const { return m_egress; }
    // The lifecycle policy: the box's own values over the chosen backend's fleet default.
    PolicyFields *policyFields() const { return m_policy; }
    QCheckBox *keepFailedCheck() const { return m_keepFailed; }
    // For a Coolify target: where the box goes and why some choices are not offered.
    QLabel *coolifyPlacementLabel() const { return m_coolifyWhere; }
    QLabel *isolationNoteLabel() const { return m_isolationNote; }
    QLabel *egressNoteLabel() const { return m_egressNote; }
    // Boxes that exist (name -> subdomain): a name among them is a redeploy, which keeps
    // its own subdomain and is asked about before anything is touched.
    void setExistingBoxes(const QHash<QString, QString> &subdomainByName);
    QLabel *existsNoteLabel() const { return m_existsNote; }
    QListWidget *stepList() const { return m_steps; }

    bool isRunning() const { return m_job && !m_finished; }
    bool succeeded() const { return m_result && m_result->ok(); }
    std::optional<Result<boxes::BoxInfo>> result() const { return m_result; }
    QString failedStep() const { return m_failedStep; }
    QString outcomeText() const;
    // What a person reads for a step in the list and the outcome (coolify: the service
    // words for create, start and rollback).
    static QString stepTitle(boxes::JobStep step, bool coolify = false);

signals:
    void deployed(const bc::boxes::BoxInfo &box);
    // The Coolify placement link: the window opens its Settings.
    void settingsRequested();

public slots:
    void submit();
    void reject() override;

private:
    QWidget *buildForm();
    QWidget *buildProgress();
    void validate();
    void fill(const security::BoxSpec &spec, const QString &source);
    void setError(const QString &field, const VoidResult &result);
    void onStep(const QString &step, const QString &text);
    void onFinished(const Result<boxes::BoxInfo> &result);
    QListWidgetItem *stepItem(const QString &step);
    boxes::BoxBackend *selectedBackend() const;
    void buildTargetRows(QFormLayout *form, QWidget *page);
    // Shows only what the selected backend can do; called by validate().
    void updateForTarget();
    // A known step by its title, else the wire name as it came.
    QString title(const QString &step) const;

    QList<QPointer<boxes::BoxBackend>> m_backends;
    QSet<QString> m_taken;
    QHash<QString, QString> m_existing; // name -> subdomain
    QLabel *m_existsNote = nullptr;
    std::optional<security::BoxSpec> m_loaded; // fields the form has no widget for

    QStackedWidget *m_pages;
    QComboBox *m_target;
    QLineEdit *m_name;
    QLineEdit *m_subdomain;
    QLineEdit *m_owner;
    QLineEdit *m_image;
    QDoubleSpinBox *m_cpus;
    QSpinBox *m_memory;
    QSpinBox *m_pids;
    QComboBox *m_isolation;
    QPlainTextEdit *m_env;
    QCheckBox *m_keepData;
    QLineEdit *m_health;               // CMD-SHELL probe; empty = the image's own, else the default
    QCheckBox *m_keepFailed;           // a failed container is kept stopped for inspection
    QLineEdit *m_egress = nullptr;     // egress policy upstream, "all", or empty
    PolicyFields *m_policy = nullptr;  // idle stop, lifetime, delete after stopped
    QLabel *m_egressNote = nullptr;    // why egress is not offered on this Coolify
    QLabel *m_isolationNote = nullptr; // why routed is not offered
    QLabel *m_coolifyWhere = nullptr;  // server, project and environment of a Coolify target
    QFormLayout *m_form = nullptr;
    bool m_coolifyJob = false; // the running job deploys to Coolify
    bool m_redeploy = false;   // confirmed: replace the existing box of that name
    QLabel *m_specFile;
    QHash<QString, QLabel *> m_errorLabels;
    QHash<QString, QString> m_errors;
    QPushButton *m_deploy;
    QPushButton *m_openSpec;
    QDialogButtonBox *m_formButtons;

    QLabel *m_progressTitle;
    QListWidget *m_steps;
    QPlainTextEdit *m_progressLog;
    QLabel *m_outcome;
    QPushButton *m_cancel;
    QPushButton *m_close;

    QPointer<boxes::BoxJob> m_job;
    bool m_finished = false;
    QString m_currentStep;
    QString m_failedStep;
    bool m_sawRollback = false;
    std::optional<Result<boxes::BoxInfo>> m_result;
};

} // namespace bc::ui
