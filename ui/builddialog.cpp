#include "ui/builddialog.h"
#include "core/util/futureutil.h"

#include "core/boxes/dockerbackend.h"
#include "core/docker/buildjob.h"
#include "core/docker/buildoptions.h"
#include "core/docker/dockerclient.h"
#include "core/infra/skilldockerfilegenerator.h"
#include "core/security/validators.h"
#include "ui/statusicons.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace bc::ui {

namespace {

struct Generated
{
    std::shared_ptr<QTemporaryDir> dir;
    QString summary;
};

// Off the GUI thread: reads the skills, generates the Dockerfile and lays out a context.
Result<Generated> generateContext(const QString &skillsDir)
{
    QStringList dirs;
    const QDir root(skillsDir);
    for (const QString &sub : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (QFile::exists(root.filePath(sub) + QStringLiteral("/SKILL.md")))
            dirs << root.filePath(sub);
    }
    if (QFile::exists(root.filePath(QStringLiteral("SKILL.md"))))
        dirs << skillsDir; // the directory is itself one skill
    if (dirs.isEmpty())
        return Error(
            Error::Kind::Invalid,
            BuildDialog::tr("%1 has no skill (a sub-directory with SKILL.md)").arg(skillsDir));
    const auto out = infra::SkillDockerfileGenerator().generateFromDirectories(dirs);
    if (!out)
        return out.error();
    auto tmp = std::make_shared<QTemporaryDir>();
    if (!tmp->isValid())
        return Error(Error::Kind::Io, tmp->errorString());
    QFile df(tmp->filePath(QStringLiteral("Dockerfile")));
    if (!df.open(QIODevice::WriteOnly) || df.write(out->dockerfile.toUtf8()) < 0)
        return Error(Error::Kind::Io, df.errorString());
    df.close();
    for (const auto &[inside, source] : out->files) {
        const QString target = tmp->filePath(inside);
        QDir().mkpath(QFileInfo(target).absolutePath());
        if (!QFile::copy(source, target))
            return Error(Error::Kind::Io, BuildDialog::tr("cannot copy %1").arg(source));
    }
    return Generated{tmp, BuildDialog::tr("%n skill(s); packages: apt %1, npm %2, pip %3", nullptr,
                                          int(dirs.size()))
                              .arg(out->apt.size())
                              .arg(out->npm.size())
                              .arg(out->pip.size())};
}

} // namespace

BuildDialog::BuildDialog(const QList<boxes::DockerBackend *> &backends, QWidget *parent)
    : QDialog(parent)
    , m_target(new QComboBox(this))
    , m_contextMode(new QRadioButton(tr("Context directory (contains a Dockerfile)"), this))
    , m_skillsMode(new QRadioButton(tr("Skills directory (Dockerfile generated from SKILL.md "
                                       "and skill.json)"),
                                    this))
    , m_dir(new QLineEdit(this))
    , m_tag(new QLineEdit(this))
    , m_error(new QLabel(this))
    , m_log(new QPlainTextEdit(this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Build a box image"));
    for (boxes::DockerBackend *b : backends) {
        m_backends.append(b);
        m_target->addItem(QStringLiteral("%1 @ %2").arg(b->kind(), b->displayHost()));
    }
    m_contextMode->setChecked(true);
    auto *group = new QButtonGroup(this);
    group->addButton(m_contextMode);
    group->addButton(m_skillsMode);
    auto *browse = new QToolButton(this);
    browse->setText(tr("Browse…"));
    auto *dirRow = new QHBoxLayout;
    dirRow->addWidget(m_dir, 1);
    dirRow->addWidget(browse);
    m_dir->setPlaceholderText(tr("directory on this machine"));
    // In a row with its Browse button: no buddy label to be named by.
    m_dir->setAccessibleName(QString(tr("Directory:")).remove(QLatin1Char(':')));
    m_tag->setPlaceholderText(tr("e.g. box-console/box:alice-1"));
    QPalette pal = m_error->palette();
    pal.setColor(QPalette::WindowText, toneColor(Tone::Bad));
    m_error->setPalette(pal);
    m_error->setWordWrap(true);
    m_error->hide();

    m_log->setReadOnly(true);
    m_log->setAccessibleName(tr("Build log"));
    m_log->setMaximumBlockCount(20000);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setPlaceholderText(tr("The build log appears here as the engine sends it."));
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_progress->setRange(0, 0);
    m_progress->hide();
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    form->addRow(tr("Engine:"), m_target);
    form->addRow(tr("Source:"), m_contextMode);
    form->addRow(QString(), m_skillsMode);
    form->addRow(tr("Directory:"), dirRow);
    form->addRow(tr("Tag:"), m_tag);
    form->addRow(QString(), m_error);

    auto *buttons = new QDialogButtonBox(this);
    m_build = buttons->addButton(tr("Build"), QDialogButtonBox::AcceptRole);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_cancel->setEnabled(false);
    m_build->setDefault(true);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_log, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(760, 560);

    connect(browse, &QToolButton::clicked, this, [this] {
        const QString d =
            QFileDialog::getExistingDirectory(this, tr("Choose a directory"), m_dir->text());
        if (!d.isEmpty())
            m_dir->setText(d);
    });
    connect(m_dir, &QLineEdit::textChanged, this, &BuildDialog::validate);
    connect(m_tag, &QLineEdit::textChanged, this, &BuildDialog::validate);
    connect(m_contextMode, &QRadioButton::toggled, this, &BuildDialog::validate);
    connect(m_build, &QPushButton::clicked, this, &BuildDialog::start);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_cancelled = true;
        m_cancel->setEnabled(false);
        m_status->setText(tr("Cancelling…"));
        if (m_job)
            m_job->cancel();
    });
    connect(m_close, &QPushButton::clicked, this, &BuildDialog::reject);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        m_status->setText(tr("%1 — %2 s").arg(m_step).arg(m_elapsed.elapsed() / 1000));
    });
    validate();
}

BuildDialog::~BuildDialog()
{
    if (m_job)
        m_job->cancel();
}

void BuildDialog::setSource(Source source, const QString &directory)
{
    (source == Source::ContextDir ? m_contextMode : m_skillsMode)->setChecked(true);
    m_dir->setText(directory);
}

void BuildDialog::setTag(const QString &tag)
{
    m_tag->setText(tag);
}

void BuildDialog::validate()
{
    QString error;
    const QString dir = m_dir->text();
    if (m_backends.isEmpty())
        error = tr("No Docker engine is configured.");
    else if (!dir.isEmpty() && !QFileInfo(dir).isDir())
        error = tr("%1 is not a directory").arg(dir);
    else if (!dir.isEmpty() && m_contextMode->isChecked() &&
             !QFile::exists(QDir(dir).filePath(QStringLiteral("Dockerfile"))))
        error = tr("%1 has no Dockerfile; choose the skills mode to generate one").arg(dir);
    else if (!m_tag->text().isEmpty()) {
        if (VoidResult r = security::Validators::validateImageReference(m_tag->text()); !r)
            error = tr("Tag: %1").arg(r.error().message());
    }
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    m_build->setEnabled(!m_running && error.isEmpty() && !dir.isEmpty() &&
                        !m_tag->text().isEmpty());
}

void BuildDialog::start()
{
    validate();
    if (!m_build->isEnabled())
        return;
    m_running = true;
    m_cancelled = false;
    m_result.reset();
    m_log->clear();
    m_build->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->show();
    m_elapsed.start();
    m_tick.start();
    const QString dir = m_dir->text();
    if (m_contextMode->isChecked()) {
        m_step = tr("Sending the context");
        startBuild(dir, {});
        return;
    }
    m_step = tr("Generating the Dockerfile from skills");
    m_status->setText(m_step);
    onFinished(QtConcurrent::run(&generateContext, dir), this,
               [this](const Result<Generated> &generated) {
                   if (m_cancelled) {
                       finish(Error(Error::Kind::Cancelled, tr("cancelled")));
                       return;
                   }
                   if (!generated) {
                       finish(generated.error());
                       return;
                   }
                   m_generated.reset();
                   appendLog(tr("Generated Dockerfile: %1\n").arg(generated->summary));
                   // Keep the temporary context alive until the build is done.
                   auto keep = generated->dir;
                   m_step = tr("Sending the context");
                   startBuild(keep->path(), {});
                   if (m_job)
                       connect(m_job, &QObject::destroyed, this, [keep] {});
               });
}

void BuildDialog::startBuild(const QString &contextDir, const QString &dockerfile)
{
    const int i = m_target->currentIndex();
    boxes::DockerBackend *backend =
        i >= 0 && i < m_backends.size() ? m_backends.at(i).data() : nullptr;
    if (!backend || !backend->client()) {
        finish(Error(Error::Kind::Transport, tr("the engine is no longer configured")));
        return;
    }
    docker::BuildOptions options;
    options.contextDir = contextDir;
    options.dockerfile = dockerfile;
    options.tags = {m_tag->text()};
    options.labels.insert(QStringLiteral("box-console.built-by"), QStringLiteral("box-console"));
    m_job = backend->client()->build(options);
    connect(m_job, &docker::BuildJob::output, this, [this](const QString &text) {
        appendLog(text);
        static const QRegularExpression stepRe(QStringLiteral("^Step (\\d+)/(\\d+)"));
        const auto m = stepRe.match(text);
        if (m.hasMatch()) {
            m_progress->setRange(0, m.captured(2).toInt());
            m_progress->setValue(m.captured(1).toInt() - 1);
            m_step = text.trimmed();
        }
    });
    connect(m_job, &docker::BuildJob::finished, this, &BuildDialog::finish);
}

void BuildDialog::appendLog(const QString &text)
{
    // Keep the reader's place when scrolled up; follow otherwise.
    QScrollBar *sb = m_log->verticalScrollBar();
    const bool atBottom = sb->value() >= sb->maximum() - 2;
    const int keep = sb->value();
    m_log->moveCursor(QTextCursor::End);
    m_log->insertPlainText(text);
    if (atBottom)
        sb->setValue(sb->maximum());
    else
        sb->setValue(keep);
}

void BuildDialog::finish(const Result<QString> &result)
{
    if (!m_running)
        return;
    m_running = false;
    m_result = result;
    m_tick.stop();
    m_cancel->setEnabled(false);
    m_progress->hide();
    const QString took = tr("%1 s").arg(m_elapsed.elapsed() / 1000);
    if (result) {
        m_status->setText(tr("<span style=\"color:%1\">●</span> Built %2 (%3) in %4")
                              .arg(toneColor(Tone::Good).name(), m_tag->text().toHtmlEscaped(),
                                   result->left(19).toHtmlEscaped(), took));
        emit built(*result, m_tag->text());
    } else if (result.error().kind() == Error::Kind::Cancelled || m_cancelled) {
        m_status->setText(tr("Build cancelled after %1.").arg(took));
    } else {
        m_status->setText(
            tr("<span style=\"color:%1\">●</span> <b>Build failed</b>: %2")
                .arg(toneColor(Tone::Bad).name(), result.error().toString().toHtmlEscaped()));
        appendLog(QStringLiteral("\n") + result.error().toString() + QLatin1Char('\n'));
    }
    validate();
    emit finished();
}

QString BuildDialog::log() const
{
    return m_log->toPlainText();
}

QString BuildDialog::outcome() const
{
    return m_status->text();
}

void BuildDialog::reject()
{
    if (m_running && m_job)
        m_job->cancel();
    QDialog::reject();
}

} // namespace bc::ui
