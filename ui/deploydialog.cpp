#include "ui/deploydialog.h"

#include "ui/formnotes.h"

#include "core/activity/activitylog.h"
#include "core/activity/specparams.h"
#include "core/boxes/boxbackend.h"
#include "core/boxes/boxjob.h"
#include "core/boxes/coolifybackend.h"
#include "core/boxes/dockerbackend.h"
#include "core/security/validators.h"
#include "ui/policyfields.h"
#include "ui/statusicons.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTimer>
#include <QVBoxLayout>

namespace bc::ui {

using security::BoxSpec;
using security::Validators;

namespace {

QString rollbackName()
{
    return boxes::jobStepName(boxes::JobStep::Rollback);
}

// A row whose widgets are hidden takes no space; the label goes with its field.
void showRow(QFormLayout *form, QWidget *field, bool visible)
{
    field->setVisible(visible);
    if (QWidget *label = form->labelForField(field))
        label->setVisible(visible);
}

} // namespace

DeployDialog::DeployDialog(const QList<boxes::BoxBackend *> &backends,
                           const QString &preferredBackendId, const QSet<QString> &takenSubdomains,
                           QWidget *parent)
    : QDialog(parent)
    , m_taken(takenSubdomains)
    , m_pages(new QStackedWidget(this))
{
    setWindowTitle(tr("Deploy a box"));
    for (boxes::BoxBackend *b : backends)
        m_backends.append(b);
    m_pages->addWidget(buildForm());
    m_pages->addWidget(buildProgress());
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);

    for (int i = 0; i < m_backends.size(); ++i) {
        if (m_backends.at(i) && m_backends.at(i)->id() == preferredBackendId)
            m_target->setCurrentIndex(i);
    }
    validate();
    resize(560, sizeHint().height());
}

DeployDialog::~DeployDialog() = default;

void DeployDialog::setExistingBoxes(const QHash<QString, QString> &subdomainByName)
{
    m_existing = subdomainByName;
    validate();
}

QWidget *DeployDialog::buildForm()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    const auto addField = [&](const QString &field, const QString &label, QWidget *editor,
                              const QString &help = {}) {
        auto *column = new QVBoxLayout;
        column->setSpacing(2);
        column->addWidget(editor);
        QLabel *error = errorLabel(page);
        column->addWidget(error);
        if (!help.isEmpty())
            editor->setToolTip(help);
        // A row's field is a layout here, so Qt cannot take the name from the row's label
        // (no buddy): a screen reader gets it from this.
        if (editor->accessibleName().isEmpty())
            editor->setAccessibleName(QString(label).remove(QLatin1Char(':')).trimmed());
        m_errorLabels.insert(field, error);
        form->addRow(label, column);
    };

    m_target = new QComboBox(page);
    for (const auto &b : std::as_const(m_backends))
        m_target->addItem(QStringLiteral("%1 @ %2").arg(b->kind(), b->displayHost()), b->id());
    addField(QStringLiteral("target"), tr("Deploy to:"), m_target);

    m_name = new QLineEdit(page);
    m_name->setPlaceholderText(tr("e.g. alice-dev"));
    addField(QStringLiteral("name"), tr("Name:"), m_name,
             tr("Letters, digits, '_', '.', '-'; starts with a letter or digit; at most 63."));
    m_existsNote = new QLabel(page);
    m_existsNote->setWordWrap(true);
    m_existsNote->hide();
    form->addRow(QString(), m_existsNote);
    m_subdomain = new QLineEdit(page);
    m_subdomain->setPlaceholderText(tr("one lower-case DNS label, e.g. alice"));
    addField(QStringLiteral("subdomain"), tr("Subdomain:"), m_subdomain);
    m_owner = new QLineEdit(page);
    m_owner->setPlaceholderText(tr("e-mail or user name (optional)"));
    addField(QStringLiteral("owner"), tr("Owner:"), m_owner);
    m_image = new QLineEdit(page);
    m_image->setPlaceholderText(tr("image reference, e.g. box-base:latest"));
    addField(QStringLiteral("image"), tr("Image:"), m_image);

    auto *limits = new QWidget(page);
    auto *limitsLayout = new QHBoxLayout(limits);
    limitsLayout->setContentsMargins(0, 0, 0, 0);
    m_cpus = new QDoubleSpinBox(limits);
    m_cpus->setRange(0.1, 64);
    m_cpus->setSingleStep(0.5);
    m_cpus->setDecimals(1);
    m_cpus->setValue(1.5);
    m_cpus->setSuffix(tr(" CPUs"));
    m_memory = new QSpinBox(limits);
    m_memory->setRange(64, 256 * 1024);
    m_memory->setSingleStep(256);
    m_memory->setValue(2048);
    m_memory->setSuffix(tr(" MiB"));
    m_pids = new QSpinBox(limits);
    m_pids->setRange(10, 100000);
    m_pids->setValue(100);
    m_pids->setSuffix(tr(" processes"));
    m_cpus->setAccessibleName(tr("CPU limit"));
    m_memory->setAccessibleName(tr("Memory limit"));
    m_pids->setAccessibleName(tr("Process limit"));
    limitsLayout->addWidget(m_cpus);
    limitsLayout->addWidget(m_memory);
    limitsLayout->addWidget(m_pids);
    addField(QStringLiteral("limits"), tr("Limits:"), limits);

    m_isolation = new QComboBox(page);
    m_isolation->addItem(tr("Isolated (no network; reach it with docker exec)"),
                         int(BoxSpec::Isolation::Isolated));
    m_isolation->addItem(tr("Routed (own internal network, reachable through Traefik)"),
                         int(BoxSpec::Isolation::Routed));
    addField(QStringLiteral("isolation"), tr("Network:"), m_isolation);
    buildTargetRows(form, page);

    m_env = new QPlainTextEdit(page);
    m_env->setPlaceholderText(tr("KEY=value, one per line (no provider keys: the egress proxy "
                                 "injects them)"));
    m_env->setTabChangesFocus(true);
    m_env->setFixedHeight(m_env->fontMetrics().height() * 4 + 12);
    addField(QStringLiteral("env"), tr("Environment:"), m_env);

    m_keepData = new QCheckBox(tr("Keep the box's data volumes when it is deleted"), page);
    form->addRow(QString(), m_keepData);
    m_policy = new PolicyFields(page);
    addField(QStringLiteral("policy"), tr("Policy:"), m_policy);
    connect(m_policy, &PolicyFields::changed, this, &DeployDialog::validate);
    m_health = new QLineEdit(page);
    m_health->setPlaceholderText(tr("shell command; empty = the image's own HEALTHCHECK"));
    m_health->setAccessibleName(tr("Health check"));
    form->addRow(tr("Health check:"), m_health);
    m_health->setToolTip(tr("Run inside the box; exit 0 means healthy. Empty: the image's own "
                            "HEALTHCHECK, else a probe of the box-agent on port 9999."));
    m_keepFailed = new QCheckBox(tr("Keep the failed box for inspection"), page);
    m_keepFailed->setToolTip(tr("A box that fails its start is kept, stopped, as "
                                "<name>.failed-<id> instead of being removed"));
    form->addRow(QString(), m_keepFailed);

    m_specFile = new QLabel(page);
    m_specFile->setWordWrap(true);
    m_specFile->hide();
    m_errorLabels.insert(QStringLiteral("spec"), errorLabel(page));

    m_formButtons = new QDialogButtonBox(page);
    m_openSpec = m_formButtons->addButton(tr("Open spec file…"), QDialogButtonBox::ActionRole);
    m_deploy = m_formButtons->addButton(tr("Deploy"), QDialogButtonBox::AcceptRole);
    m_deploy->setDefault(true);
    m_formButtons->addButton(QDialogButtonBox::Cancel);
    connect(m_formButtons, &QDialogButtonBox::rejected, this, &DeployDialog::reject);
    connect(m_deploy, &QPushButton::clicked, this, &DeployDialog::submit);
    connect(m_openSpec, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open box spec"), QString(),
                                                          tr("Box specs (*.json)"));
        if (!path.isEmpty())
            loadSpecFile(path);
    });

    for (QLineEdit *e : {m_name, m_subdomain, m_owner, m_image})
        connect(e, &QLineEdit::textChanged, this, &DeployDialog::validate);
    connect(m_env, &QPlainTextEdit::textChanged, this, &DeployDialog::validate);
    connect(m_target, &QComboBox::currentIndexChanged, this, &DeployDialog::validate);
    // A subdomain follows the name until the user edits it.
    connect(m_name, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (!m_subdomain->isModified())
            m_subdomain->setText(text.toLower());
    });

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_specFile);
    layout->addWidget(m_errorLabels.value(QStringLiteral("spec")));
    layout->addStretch();
    layout->addWidget(m_formButtons);
    return page;
}

QWidget *DeployDialog::buildProgress()
{
    auto *page = new QWidget(this);
    m_progressTitle = new QLabel(page);
    QFont f = m_progressTitle->font();
    f.setBold(true);
    m_progressTitle->setFont(f);
    m_steps = new QListWidget(page);
    m_steps->setSelectionMode(QAbstractItemView::NoSelection);
    m_steps->setMaximumHeight(m_steps->fontMetrics().height() * 10);
    m_progressLog = new QPlainTextEdit(page);
    m_progressLog->setReadOnly(true);
    m_progressLog->setMaximumBlockCount(5000);
    m_progressLog->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_outcome = new QLabel(page);
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *buttons = new QDialogButtonBox(page);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_close->hide();
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_job && !m_finished) {
            m_cancel->setEnabled(false);
            m_outcome->setText(tr("Cancelling: removing what was created so far…"));
            m_job->cancel();
        }
    });
    connect(m_close, &QPushButton::clicked, this, [this] {
        if (succeeded())
            accept();
        else
            QDialog::reject();
    });
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_progressTitle);
    layout->addWidget(m_steps);
    layout->addWidget(m_progressLog, 1);
    layout->addWidget(m_outcome);
    layout->addWidget(buttons);
    return page;
}

void DeployDialog::setError(const QString &field, const VoidResult &result)
{
    QLabel *label = m_errorLabels.value(field);
    if (result) {
        m_errors.remove(field);
        if (label)
            label->hide();
        return;
    }
    m_errors.insert(field, result.error().message());
    if (label) {
        label->setText(result.error().message());
        label->show();
    }
}

void DeployDialog::validate()
{
    updateForTarget();
    // Empty required fields block submit but show no message until typed into, so a fresh
    // form is not a wall of red.
    const auto required = [this](const QString &field, QLineEdit *edit,
                                 const std::function<VoidResult(const QString &)> &check) {
        if (edit->text().isEmpty()) {
            setError(field, VoidResult());
            m_errors.insert(field, tr("required"));
            return;
        }
        setError(field, check(edit->text()));
    };
    required(QStringLiteral("name"), m_name, &Validators::validateBoxName);
    required(QStringLiteral("subdomain"), m_subdomain, [this](const QString &s) {
        QSet<QString> taken = m_taken;
        if (const auto it = m_existing.constFind(m_name->text());
            it != m_existing.cend() && s == *it)
            taken.remove(*it); // its own, kept by a redeploy
        return Validators::validateSubdomain(s, taken);
    });
    const bool exists = m_existing.contains(m_name->text());
    m_existsNote->setText(exists ? tr("A box named %1 exists: Deploy asks before it "
                                      "redeploys it (the running box is kept until the new "
                                      "one is healthy).")
                                       .arg(m_name->text())
                                 : QString());
    m_existsNote->setVisible(exists && !m_redeploy); // a Redeploy says so itself
    if (m_owner->text().isEmpty())
        setError(QStringLiteral("owner"), VoidResult());
    else
        setError(QStringLiteral("owner"), Validators::validateOwner(m_owner->text()));
    if (m_policy) {
        const auto policy = m_policy->policy();
        setError(QStringLiteral("policy"), policy ? VoidResult() : VoidResult(policy.error()));
    }
    const bool hasSkills = m_loaded && !m_loaded->skills.isEmpty();
    if (m_image->text().isEmpty() && hasSkills)
        setError(QStringLiteral("image"), VoidResult());
    else
        required(QStringLiteral("image"), m_image, &Validators::validateImageReference);

    VoidResult env;
    const QStringList lines = m_env->toPlainText().split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size() && env; ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            env = Error(Error::Kind::Invalid, tr("line %1: expected KEY=value").arg(i + 1));
            break;
        }
        const QString key = line.left(eq);
        // The spec's own rule (provider credentials, reserved BOX_* and image variables).
        if (VoidResult k = Validators::validateSpecEnvKey(key); !k) {
            // A malformed name is quoted by the message itself; a valid one is named here.
            const QString what =
                Validators::validateEnvKey(key) ? key + QStringLiteral(": ") : QString();
            env = Error(Error::Kind::Invalid,
                        tr("line %1: %2%3").arg(i + 1).arg(what, k.error().message()));
        } else if (VoidResult v = Validators::validateEnvValue(line.mid(eq + 1)); !v) {
            env =
                Error(Error::Kind::Invalid, tr("line %1: %2").arg(i + 1).arg(v.error().message()));
        }
    }
    setError(QStringLiteral("env"), env);
    if (!selectedBackend())
        m_errors.insert(QStringLiteral("target"), tr("no backend configured"));
    else
        m_errors.remove(QStringLiteral("target"));
    m_deploy->setEnabled(m_errors.isEmpty());
}

boxes::BoxBackend *DeployDialog::selectedBackend() const
{
    const int i = m_target->currentIndex();
    return i >= 0 && i < m_backends.size() ? m_backends.at(i).data() : nullptr;
}

bool DeployDialog::loadSpecFile(const QString &path)
{
    QFile file(path);
    QLabel *error = m_errorLabels.value(QStringLiteral("spec"));
    if (!file.open(QIODevice::ReadOnly)) {
        error->setText(tr("Cannot read %1: %2").arg(path, file.errorString()));
        error->show();
        return false;
    }
    const Result<BoxSpec> parsed = BoxSpec::fromJsonText(file.read(1024 * 1024));
    if (!parsed) {
        error->setText(tr("%1 is not a valid box spec: %2")
                           .arg(QFileInfo(path).fileName(), parsed.error().message()));
        error->show();
        return false;
    }
    error->hide();
    fill(*parsed, QFileInfo(path).fileName());
    return true;
}

void DeployDialog::startRedeploy(const BoxSpec &spec, const QString &backendId)
{
    const int target = m_target->findData(backendId);
    if (target >= 0)
        m_target->setCurrentIndex(target);
    m_target->setEnabled(false);
    fill(spec, tr("the running box"));
    // Its name is what is replaced: another name would be a new box, not a redeploy.
    m_name->setReadOnly(true);
    m_subdomain->setReadOnly(true);
    m_redeploy = true; // asked for by name: no second question
    setWindowTitle(tr("Redeploy %1").arg(spec.name));
    m_deploy->setText(tr("&Redeploy"));
    m_specFile->setText(
        tr("Redeploys %1 from the spec it runs with. The running box keeps running, set aside, "
           "until the new one is healthy; if the new one fails, it is started again. Its data "
           "volumes are kept.")
            .arg(spec.name));
    validate();
}

void DeployDialog::fill(const BoxSpec &s, const QString &source)
{
    m_loaded = s;
    m_name->setText(s.name);
    m_subdomain->setText(s.subdomain);
    m_subdomain->setModified(true);
    m_owner->setText(s.owner);
    m_image->setText(s.image);
    m_cpus->setValue(s.cpus);
    m_memory->setValue(int(s.memoryBytes / (1024 * 1024)));
    m_pids->setValue(int(s.pids));
    m_isolation->setCurrentIndex(s.isolation == BoxSpec::Isolation::Routed ? 1 : 0);
    m_egress->setText(s.egress);
    QStringList env;
    for (auto it = s.env.cbegin(); it != s.env.cend(); ++it)
        env << it.key() + QLatin1Char('=') + it.value();
    m_env->setPlainText(env.join(QLatin1Char('\n')));
    m_keepData->setChecked(s.keepDataOnDelete);
    m_policy->setPolicy(s.policy);
    QStringList extras;
    if (!s.skills.isEmpty())
        extras << tr("skills: %1").arg(s.skills.join(QStringLiteral(", ")));
    if (!s.command.isEmpty())
        extras << tr("command: %1").arg(s.command.join(QLatin1Char(' ')));
    if (s.healthcheck && s.healthcheck->test.size() == 2 &&
        s.healthcheck->test.first() == QLatin1String("CMD-SHELL"))
        m_health->setText(s.healthcheck->test.at(1));
    else if (s.healthcheck)
        extras << tr("custom health check");
    if (!s.secrets.isEmpty())
        extras << tr("secrets: %1").arg(s.secrets.join(QStringLiteral(", ")));
    m_specFile->setText(tr("From %1%2")
                            .arg(source, extras.isEmpty() ? QString()
                                                          : QStringLiteral(" (") +
                                                                extras.join(QStringLiteral("; ")) +
                                                                QLatin1Char(')')));
    m_specFile->show();
    validate();
}

Result<BoxSpec> DeployDialog::spec() const
{
    if (!m_errors.isEmpty()) {
        const auto it = m_errors.cbegin();
        return Error(Error::Kind::Invalid, it.key() + QStringLiteral(": ") + it.value());
    }
    BoxSpec s = m_loaded.value_or(BoxSpec());
    s.name = m_name->text();
    s.subdomain = m_subdomain->text();
    s.owner = m_owner->text();
    s.image = m_image->text();
    s.cpus = m_cpus->value();
    s.memoryBytes = qint64(m_memory->value()) * 1024 * 1024;
    s.pids = m_pids->value();
    s.isolation = BoxSpec::Isolation(m_isolation->currentData().toInt());
    s.env.clear();
    for (const QString &line : m_env->toPlainText().split(QLatin1Char('\n'))) {
        const QString t = line.trimmed();
        if (t.isEmpty() || t.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype eq = t.indexOf(QLatin1Char('='));
        s.env.insert(t.left(eq), t.mid(eq + 1));
    }
    s.keepDataOnDelete = m_keepData->isChecked();
    if (const auto policy = m_policy->policy())
        s.policy = *policy;
    s.egress = m_egress->text().trimmed();
    if (!m_health->text().trimmed().isEmpty()) {
        BoxSpec::Healthcheck hc = s.healthcheck.value_or(BoxSpec::Healthcheck{});
        hc.test = {QStringLiteral("CMD-SHELL"), m_health->text().trimmed()};
        s.healthcheck = hc;
    }
    // The same parser as boxctl and spec files checks the whole, so the form cannot
    // produce a spec the CLI would refuse.
    return BoxSpec::fromJson(s.toJson());
}

void DeployDialog::submit()
{
    validate();
    if (!isValid() || isRunning())
        return;
    const Result<BoxSpec> s = spec();
    if (!s) {
        QLabel *error = m_errorLabels.value(QStringLiteral("spec"));
        error->setText(s.error().message());
        error->show();
        return;
    }
    boxes::BoxBackend *backend = selectedBackend();
    if (!backend)
        return;
    m_pages->setCurrentIndex(1);
    m_progressTitle->setText(tr("Deploying %1 to %2").arg(s->name, backend->displayHost()));
    m_coolifyJob = qobject_cast<boxes::CoolifyBackend *>(backend) != nullptr;
    auto *docker = qobject_cast<boxes::DockerBackend *>(backend);
    if (docker) { // the job copies the options: set for this deploy only
        const boxes::DeployOptions saved = docker->deployOptions();
        boxes::DeployOptions o = saved;
        o.redeploy = m_redeploy;
        o.keepFailed = m_keepFailed->isChecked();
        docker->setDeployOptions(o);
        m_job = backend->deploy(*s);
        docker->setDeployOptions(saved);
    } else {
        m_job = backend->deploy(*s);
    }
    m_finished = false;
    connect(m_job, &boxes::BoxJob::stepStarted, this, &DeployDialog::onStep);
    connect(m_job, &boxes::BoxJob::progress, this,
            [this](const QString &text) { m_progressLog->appendPlainText(text); });
    connect(m_job, &boxes::BoxJob::finished, this, &DeployDialog::onFinished);
    if (m_job->isFinished()) // refused synchronously (e.g. validation)
        onFinished(m_job->result());
}

QListWidgetItem *DeployDialog::stepItem(const QString &step)
{
    for (int i = 0; i < m_steps->count(); ++i) {
        if (m_steps->item(i)->data(Qt::UserRole).toString() == step)
            return m_steps->item(i);
    }
    auto *item = new QListWidgetItem(title(step), m_steps);
    item->setData(Qt::UserRole, step);
    return item;
}

void DeployDialog::onStep(const QString &step, const QString &text)
{
    if (!m_currentStep.isEmpty() && m_currentStep != step) {
        QListWidgetItem *prev = stepItem(m_currentStep);
        if (step == rollbackName()) {
            m_failedStep = m_currentStep;
            prev->setIcon(toneIcon(Tone::Bad));
            prev->setText(title(m_currentStep) + tr(" — failed"));
        } else {
            prev->setIcon(toneIcon(Tone::Good));
        }
    }
    if (step == rollbackName())
        m_sawRollback = true;
    m_currentStep = step;
    QListWidgetItem *item = stepItem(step);
    item->setIcon(toneIcon(Tone::Busy));
    m_steps->scrollToItem(item);
    if (!text.isEmpty())
        m_progressLog->appendPlainText(text);
}

void DeployDialog::onFinished(const Result<boxes::BoxInfo> &result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_result = result;
    if (const Result<BoxSpec> s = spec(); s && selectedBackend())
        (void)activity::ActivityLog::instance().record(
            activity::ActivityRecord::make(
                m_redeploy ? activity::actions::redeploy() : activity::actions::deploy(),
                selectedBackend()->id(), s->name, activity::specParams(*s))
                .withOutcome(result ? nullptr : &result.error()));
    m_cancel->hide();
    m_close->show();
    m_close->setDefault(true);
    if (result) {
        if (!m_currentStep.isEmpty())
            stepItem(m_currentStep)->setIcon(toneIcon(Tone::Good));
        m_outcome->setText(tr("%1 is deployed and %2.")
                               .arg(result->name, result->health == boxes::BoxInfo::Health::Healthy
                                                      ? tr("healthy")
                                                      : tr("running")));
        emit deployed(*result);
        return;
    }
    const Error &e = result.error();
    if (e.kind() == Error::Kind::Conflict && !m_redeploy &&
        e.message().contains(QLatin1String("exists; use redeploy"))) {
        const QString name = m_name->text();
        const auto answer = QMessageBox::question(
            this, tr("Redeploy %1?").arg(name),
            tr("A box named %1 already exists.\n\nRedeploy replaces it: the running box is "
               "stopped and kept aside until the new one is healthy; if the new one fails, the "
               "old one is started again. Its data volumes are kept.")
                .arg(name),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer == QMessageBox::Yes) {
            m_redeploy = true;
            m_steps->clear();
            m_currentStep.clear();
            m_failedStep.clear();
            m_sawRollback = false;
            m_result.reset();
            m_close->hide();
            m_cancel->show();
            submit();
            return;
        }
    }
    if (m_failedStep.isEmpty())
        m_failedStep = m_currentStep == rollbackName() ? QString() : m_currentStep;
    if (!m_currentStep.isEmpty()) {
        QListWidgetItem *item = stepItem(m_currentStep);
        if (m_currentStep == rollbackName()) {
            item->setIcon(toneIcon(Tone::Good));
            item->setText(title(rollbackName()) + tr(" — done"));
        } else {
            item->setIcon(toneIcon(Tone::Bad));
            item->setText(title(m_currentStep) + tr(" — failed"));
        }
    }
    const QString stepText = m_failedStep.isEmpty() ? e.context() : title(m_failedStep);
    // "Rolled back" only when the job really removed something it had created.
    const QString cleanup =
        m_sawRollback ? tr("What this deploy had created was removed again (rolled back).")
        : (!m_coolifyJob && m_keepFailed->isChecked()) ? QString()
                                                       : tr("Nothing was created.");
    if (e.kind() == Error::Kind::Cancelled)
        m_outcome->setText(
            tr("Cancelled%1. %2")
                .arg(stepText.isEmpty() ? QString() : tr(" during “%1”").arg(stepText), cleanup));
    else
        m_outcome->setText(tr("<b>Deploy failed at “%1”</b>: %2<br>%3")
                               .arg(stepText.toHtmlEscaped(), e.message().toHtmlEscaped(),
                                    cleanup.toHtmlEscaped()));
    m_progressLog->appendPlainText(e.toString());
}

QString DeployDialog::outcomeText() const
{
    return m_outcome->text();
}

void DeployDialog::reject()
{
    if (isRunning()) {
        if (QMessageBox::question(
                this, tr("Cancel deploy?"),
                tr("Cancel the deploy? What it has created so far is removed.")) ==
            QMessageBox::Yes)
            m_cancel->click();
        return;
    }
    QDialog::reject();
}

// --- What the selected target can do ------------------------------------------------------

QString DeployDialog::stepTitle(boxes::JobStep step, bool coolify)
{
    using boxes::JobStep;
    // The Coolify job creates a service, not containers; the shared names would mislead.
    // A switch without default: a new step does not compile until it has a title.
    switch (step) {
    case JobStep::Settings:
        return tr("Coolify settings");
    case JobStep::Validate:
        return tr("Check the spec");
    case JobStep::Quota:
        return tr("Check the owner's quota");
    case JobStep::Environment:
        return tr("Find the Coolify environment");
    case JobStep::Build:
        return tr("Build the image");
    case JobStep::Volumes:
        return tr("Create the volumes");
    case JobStep::Network:
        return tr("Create the network");
    case JobStep::Create:
        return coolify ? tr("Create the Coolify service") : tr("Create the container");
    case JobStep::Env:
        return tr("Set the secrets");
    case JobStep::Start:
        return coolify ? tr("Start the service") : tr("Start the box");
    case JobStep::Health:
        return tr("Wait until healthy");
    case JobStep::Commit:
        return tr("Commit (replace the previous box)");
    case JobStep::Status:
        return tr("Read the box's status");
    case JobStep::Running:
        return tr("Running");
    case JobStep::Rollback:
        return coolify ? tr("Roll back (delete the service)") : tr("Roll back");
    case JobStep::Stop:
        return tr("Stop the box");
    case JobStep::Remove:
        return tr("Remove the box");
    case JobStep::RevokeEgress:
        return tr("Revoke the egress grant");
    }
    return {};
}

QString DeployDialog::title(const QString &step) const
{
    const std::optional<boxes::JobStep> known = boxes::jobStepFromName(step);
    return known ? stepTitle(*known, m_coolifyJob) : step;
}

void DeployDialog::buildTargetRows(QFormLayout *form, QWidget *page)
{
    m_form = form;
    m_isolationNote = new QLabel(page);
    m_isolationNote->setTextFormat(Qt::PlainText);
    // Not word-wrapped: a wrapped label in this form (height for width) left the Network
    // row with no height in Qt 6.4; the texts carry their own line breaks.
    m_isolationNote->setForegroundRole(QPalette::PlaceholderText);
    m_isolationNote->hide();
    form->addRow(QString(), m_isolationNote);

    m_egress = new QLineEdit(page);
    m_egress->setPlaceholderText(tr("policy upstream name or \"all\"; empty: no egress"));
    m_egress->setAccessibleName(tr("Egress"));
    m_egress->setToolTip(tr("Which upstreams of the egress policy the box may reach through "
                            "the egress proxy."));
    connect(m_egress, &QLineEdit::textChanged, this, &DeployDialog::validate);
    // In a widget of its own so the whole row can be hidden by it.
    auto *egressBox = new QWidget(page);
    auto *egressColumn = new QVBoxLayout(egressBox);
    egressColumn->setContentsMargins(0, 0, 0, 0);
    egressColumn->setSpacing(2);
    m_egress->setParent(egressBox);
    egressColumn->addWidget(m_egress);
    QLabel *egressError = errorLabel(page);
    egressColumn->addWidget(egressError);
    m_errorLabels.insert(QStringLiteral("egress"), egressError);
    form->addRow(tr("Egress:"), egressBox);
    m_egressNote = new QLabel(page);
    m_egressNote->setTextFormat(Qt::PlainText);
    m_egressNote->setForegroundRole(QPalette::PlaceholderText);
    m_egressNote->hide();
    form->addRow(tr("Egress:"), m_egressNote);

    // Right under "Deploy to": where a Coolify box will land.
    m_coolifyWhere = new QLabel(page);
    m_coolifyWhere->setTextFormat(Qt::RichText);
    m_coolifyWhere->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_coolifyWhere->setAccessibleName(tr("Coolify placement"));
    connect(m_coolifyWhere, &QLabel::linkActivated, this, [this] { emit settingsRequested(); });
    form->insertRow(1, tr("Coolify:"), m_coolifyWhere);
    showRow(form, m_coolifyWhere, false);
    showRow(form, m_egressNote, false);

    connect(m_isolation, &QComboBox::currentIndexChanged, this, &DeployDialog::validate);
}

void DeployDialog::updateForTarget()
{
    if (!m_form)
        return;
    auto *coolify = qobject_cast<boxes::CoolifyBackend *>(selectedBackend());
    const bool onCoolify = coolify != nullptr;
    // The fleet default of the chosen backend, under the box's own values.
    if (m_policy) {
        m_policy->setIdleCountsFromStart(onCoolify);
        if (coolify)
            m_policy->setFleetDefault(coolify->fleetRules().policyDefault);
        else if (auto *docker = qobject_cast<boxes::DockerBackend *>(selectedBackend()))
            m_policy->setFleetDefault(docker->deployOptions().fleet.policyDefault);
        else
            m_policy->setFleetDefault({});
    }

    // Routed: not selectable on Coolify, and the reason stays in view.
    auto *items = qobject_cast<QStandardItemModel *>(m_isolation->model());
    const int routed = m_isolation->findData(int(BoxSpec::Isolation::Routed));
    if (items && routed >= 0)
        items->item(routed)->setEnabled(!onCoolify);
    if (onCoolify) {
        m_isolationNote->setText(
            tr("Routed boxes are refused on Coolify: a service's network there also joins\n"
               "coolify-proxy, so the box could reach the internet past its egress policy.\n"
               "Deploy routed boxes on Docker."));
    }
    m_isolationNote->setVisible(onCoolify);
    showRow(m_form, m_isolationNote, onCoolify);
    if (onCoolify && m_isolation->currentData().toInt() == int(BoxSpec::Isolation::Routed))
        setError(QStringLiteral("isolation"),
                 Error(Error::Kind::Invalid,
                       tr("routed is refused on Coolify: choose Isolated, or deploy to Docker")));
    else
        setError(QStringLiteral("isolation"), VoidResult());

    // Keeping a failed container is a Docker engine option.
    showRow(m_form, m_keepFailed, !onCoolify);

    // Egress on Coolify needs the proxy's socket root on the Coolify server.
    const bool egressOffered = !onCoolify || !coolify->config().egressSocketRoot.isEmpty();
    showRow(m_form, m_egress->parentWidget(), egressOffered);
    showRow(m_form, m_egressNote, !egressOffered);
    m_egressNote->setVisible(!egressOffered);
    if (!egressOffered)
        m_egressNote->setText(
            tr("Not offered: egress on Coolify needs the egress socket root in Settings."));
    if (!egressOffered && !m_egress->text().trimmed().isEmpty())
        setError(QStringLiteral("egress"),
                 Error(Error::Kind::Invalid,
                       tr("this box asks for egress, but no Coolify egress socket root is set")));
    else
        setError(QStringLiteral("egress"), VoidResult());
    if (!egressOffered) // the error must stay visible even with the field hidden
        m_egressNote->setText(
            m_egressNote->text() +
            (m_errors.contains(QStringLiteral("egress"))
                 ? tr("\nThis box asks for egress “%1”.").arg(m_egress->text().trimmed())
                 : QString()));

    showRow(m_form, m_coolifyWhere, onCoolify);
    // Rows come and go with the target: the dialog keeps its width and grows to fit.
    QTimer::singleShot(0, this, [this] {
        QWidget *page = m_pages->widget(0);
        if (m_pages->currentIndex() != 0 || !page->layout())
            return;
        int pageNeeds = std::max(page->sizeHint().height(), page->minimumSizeHint().height());
        if (page->layout()->hasHeightForWidth())
            pageNeeds = std::max(pageNeeds, page->layout()->heightForWidth(page->width()));
        const int needed = height() - page->height() + pageNeeds;
        if (needed > height())
            resize(width(), needed);
    });
    if (!onCoolify)
        return;
    const coolify::CoolifyConfig &c = coolify->config();
    const QString environment =
        c.environmentUuid.isEmpty()
            ? c.environmentName
            : QStringLiteral("%1 (%2)").arg(c.environmentName, c.environmentUuid);
    QStringList missing;
    if (c.serverUuid.isEmpty())
        missing << tr("server");
    if (c.projectUuid.isEmpty())
        missing << tr("project");
    const QString settingsLink = QStringLiteral("<a href=\"settings\">%1</a>").arg(tr("Settings…"));
    if (missing.isEmpty()) {
        m_coolifyWhere->setText(
            tr("server <b>%1</b> · project <b>%2</b><br>environment <b>%3</b> · %4")
                .arg(c.serverUuid.toHtmlEscaped(), c.projectUuid.toHtmlEscaped(),
                     c.environmentName.toHtmlEscaped(), settingsLink));
        m_coolifyWhere->setToolTip(tr("Server %1, project %2, environment %3")
                                       .arg(c.serverUuid, c.projectUuid, environment));
    } else {
        m_coolifyWhere->setText(
            tr("<b>Not set: %1.</b> Coolify deploys need a server and a project:<br>choose "
               "them in %2 (Coolify), then open Deploy again.")
                .arg(missing.join(tr(" and ")).toHtmlEscaped(), settingsLink));
    }
}

} // namespace bc::ui
