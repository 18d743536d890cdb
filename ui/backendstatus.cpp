#include "ui/backendstatus.h"

#include "core/boxes/boxrecovery.h"
#include "core/boxes/coolifybackend.h"
#include "core/boxes/coolifyrecovery.h"
#include "core/boxes/dockerbackend.h"
#include "core/docker/dockerclient.h"
#include "core/util/futureutil.h"
#include "ui/models/boxlistmodel.h"
#include "ui/statusicons.h"

#include <QLabel>
#include <QStatusBar>

namespace bc::ui {

BackendStatus::BackendStatus(QStatusBar *bar)
    : QObject(bar)
    , m_bar(bar)
{}

bool BackendStatus::update(const QString &backendId, boxes::BoxBackend *b, bool connected,
                           const QString &reason)
{
    QLabel *label = m_labels.value(backendId);
    const bool added = !label;
    if (added) {
        label = new QLabel(m_bar);
        label->setTextFormat(Qt::RichText);
        m_bar->addWidget(label);
        m_labels.insert(backendId, label);
    }
    boxes::BoxInfo probe;
    probe.backendKind = b ? b->kind() : QString();
    probe.host = b ? b->displayHost() : QString();
    const QString name = b ? BoxListModel::shortBackend(probe) : backendId;
    const QString full = b ? QStringLiteral("%1 @ %2").arg(b->kind(), b->displayHost()) : backendId;
    const Tone tone = connected ? Tone::Good : Tone::Bad;
    label->setText(
        QStringLiteral("<span style=\"color:%1\">●</span> %2%3")
            .arg(toneColor(tone).name(), name.toHtmlEscaped(),
                 connected ? QString()
                           : QStringLiteral(" — ") + tr("disconnected, retrying").toHtmlEscaped()));
    label->setToolTip(connected ? tr("%1: connected").arg(full)
                                : tr("%1: %2\nThe console retries on its own; the other "
                                     "backends keep working.")
                                      .arg(full, reason.isEmpty() ? tr("unreachable") : reason));
    label->setProperty("connected", connected);
    label->setProperty("reason", reason);
    // The engine and its error in words, not only in the tooltip (a timeout names its wait).
    if (!connected && !reason.isEmpty())
        m_bar->showMessage(tr("%1: %2").arg(full, reason), 15000);
    return added;
}

void BackendStatus::retain(const QSet<QString> &ids)
{
    for (auto it = m_labels.begin(); it != m_labels.end();) {
        if (!ids.contains(it.key())) {
            it.value()->deleteLater();
            it = m_labels.erase(it);
        } else {
            ++it;
        }
    }
}

void BackendStatus::recover(boxes::BoxBackend *backend)
{
    if (backend->property("bcRecoveryStarted").toBool() ||
        qEnvironmentVariableIntValue("BOX_CONSOLE_NO_RECOVERY"))
        return;
    const auto report = [this](const QString &failed) {
        return [this, failed](const Result<boxes::RecoveryReport> &r) {
            if (!r)
                m_bar->showMessage(failed.arg(r.error().message()), 15000);
            else if (!r->isEmpty())
                m_bar->showMessage(tr("Cleaned up interrupted work: %1").arg(r->summary()), 30000);
        };
    };
    if (auto *d = qobject_cast<boxes::DockerBackend *>(backend); d && d->client()) {
        d->setProperty("bcRecoveryStarted", true);
        boxes::BoxRecovery::Options o;
        o.journalDir = d->deployOptions().journalDir;
        o.extraLabels = d->deployOptions().extraLabels;
        onFinished(boxes::BoxRecovery::run(d->client()->endpoint(), o), this,
                   report(tr("Recovery of interrupted work failed: %1")));
    }
    // Coolify's: deploys and deletes cut off between two Coolify calls.
    if (auto *cb = qobject_cast<boxes::CoolifyBackend *>(backend); cb && cb->client()) {
        cb->setProperty("bcRecoveryStarted", true);
        onFinished(boxes::CoolifyRecovery::run(cb->config(), {}), this,
                   report(tr("Recovery of interrupted Coolify work failed: %1")));
    }
}

QString BackendStatus::text(const QString &backendId) const
{
    QLabel *l = m_labels.value(backendId);
    return l ? l->text() + QLatin1Char('\n') + l->toolTip() : QString();
}

QString BackendStatus::toolTip(const QString &backendId) const
{
    QLabel *l = m_labels.value(backendId);
    return l ? l->toolTip() : QString();
}

} // namespace bc::ui
