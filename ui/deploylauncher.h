#pragma once

#include "core/boxes/boxinfo.h"

#include <QList>
#include <QObject>

class QMainWindow;

namespace bc::boxes {
class BoxBackend;
class DockerBackend;
} // namespace bc::boxes

namespace bc::ui {

class BoxListModel;
class DeployDialog;

// Opens the dialogs that make something new on the backends: deploy (offering the backend
// deployed to last, and told which names and subdomains are taken), redeploy of a box from
// the spec recorded on it, and the image build. The dialogs are non-modal and delete
// themselves on close.
class DeployLauncher final : public QObject
{
    Q_OBJECT
public:
    // `model` holds the boxes shown, whose names and subdomains a new box must not reuse.
    DeployLauncher(QMainWindow *window, const BoxListModel *model);

    DeployDialog *openDeploy(const QList<boxes::BoxBackend *> &backends);
    // The deploy form filled from `box`'s recorded spec; null (after saying why) when that
    // spec cannot be read.
    DeployDialog *openRedeploy(const boxes::BoxInfo &box,
                               const QList<boxes::BoxBackend *> &backends);
    void openBuild(const QList<boxes::DockerBackend *> &engines);

signals:
    // A deploy dialog's box is up (the status bar has said so).
    void deployed(const boxes::BoxInfo &box);
    void settingsRequested();

private:
    QMainWindow *m_window;
    const BoxListModel *m_model;
};

} // namespace bc::ui
