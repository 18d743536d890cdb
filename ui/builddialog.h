#pragma once

#include "core/boxes/dockerbackend.h"
#include "core/docker/buildjob.h"
#include "core/result.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QTemporaryDir;

namespace bc::boxes {
class DockerBackend;
}
namespace bc::docker {
class BuildJob;
}

namespace bc::ui {

// Builds a box image on a Docker engine from a context directory (with a Dockerfile) or
// from a skills directory (one sub-directory per skill; the Dockerfile is generated). The
// build log streams live as the daemon sends it (no "no build output available" until the
// end) and the build can be cancelled.
class BuildDialog final : public QDialog
{
    Q_OBJECT
public:
    enum class Source { ContextDir, SkillsDir };

    BuildDialog(const QList<boxes::DockerBackend *> &backends, QWidget *parent = nullptr);
    ~BuildDialog() override;

    void setSource(Source source, const QString &directory);
    void setTag(const QString &tag);
    void start();
    bool isRunning() const { return m_running; }
    QString log() const;
    QString outcome() const;
    std::optional<Result<QString>> result() const { return m_result; }

signals:
    void built(const QString &imageId, const QString &tag);
    void finished();

public slots:
    void reject() override;

private:
    void startBuild(const QString &contextDir, const QString &dockerfile);
    void finish(const Result<QString> &result);
    void appendLog(const QString &text);
    void validate();

    QList<QPointer<boxes::DockerBackend>> m_backends;
    QComboBox *m_target;
    QRadioButton *m_contextMode;
    QRadioButton *m_skillsMode;
    QLineEdit *m_dir;
    QLineEdit *m_tag;
    QLabel *m_error;
    QPlainTextEdit *m_log;
    QProgressBar *m_progress;
    QLabel *m_status;
    QPushButton *m_build;
    QPushButton *m_cancel;
    QPushButton *m_close;
    QPointer<docker::BuildJob> m_job;
    std::unique_ptr<QTemporaryDir> m_generated;
    QElapsedTimer m_elapsed;
    QTimer m_tick;
    QString m_step;
    bool m_running = false;
    bool m_cancelled = false;
    std::optional<Result<QString>> m_result;
};

} // namespace bc::ui
