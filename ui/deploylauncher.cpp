#include "ui/deploylauncher.h"

#include "core/boxes/boxlabels.h"
#include "ui/builddialog.h"
#include "ui/deploydialog.h"
#include "ui/models/boxlistmodel.h"

#include <QMainWindow>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace bc::ui {

using boxes::BoxInfo;

DeployLauncher::DeployLauncher(QMainWindow *window, const BoxListModel *model)
    : QObject(window)
    , m_window(window)
    , m_model(model)
{}

DeployDialog *DeployLauncher::openDeploy(const QList<boxes::BoxBackend *> &backends)
{
    QSet<QString> taken;
    QHash<QString, QString> existing;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        if (!m_model->boxAt(r).subdomain.isEmpty())
            taken.insert(m_model->boxAt(r).subdomain);
        existing.insert(m_model->boxAt(r).name, m_model->boxAt(r).subdomain);
    }
    const QString preferred = QSettings().value(QStringLiteral("ui/lastDeployBackend")).toString();
    auto *dialog = new DeployDialog(backends, preferred, taken, m_window);
    dialog->setExistingBoxes(existing);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &DeployDialog::settingsRequested, this, &DeployLauncher::settingsRequested);
    connect(dialog, &DeployDialog::deployed, this, [this](const BoxInfo &box) {
        QSettings().setValue(QStringLiteral("ui/lastDeployBackend"), box.backendId);
        emit deployed(box);
        m_window->statusBar()->showMessage(tr("Deployed %1").arg(box.name), 5000);
    });
    dialog->show();
    return dialog;
}

DeployDialog *DeployLauncher::openRedeploy(const BoxInfo &box,
                                           const QList<boxes::BoxBackend *> &backends)
{
    const Result<security::BoxSpec> spec =
        security::BoxSpec::fromJsonText(box.labels.value(boxes::labels::spec()).toUtf8());
    if (!spec) {
        QMessageBox::warning(m_window, tr("Redeploy %1").arg(box.name),
                             tr("The spec recorded on %1 cannot be read (%2). Redeploy it from "
                                "its spec file: boxctl deploy --spec FILE --redeploy")
                                 .arg(box.name, spec.error().message()));
        return nullptr;
    }
    DeployDialog *dialog = openDeploy(backends);
    dialog->startRedeploy(spec.value(), box.backendId);
    return dialog;
}

void DeployLauncher::openBuild(const QList<boxes::DockerBackend *> &engines)
{
    auto *dialog = new BuildDialog(engines, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

} // namespace bc::ui
