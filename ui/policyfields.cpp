#include "ui/policyfields.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace bc::ui {

using Policy = security::BoxSpec::Policy;

namespace {

struct Field
{
    const char *name;
    std::optional<qint64> Policy::*member;
};
const Field kFields[] = {{"idleStop", &Policy::idleStopSecs},
                         {"maxLifetime", &Policy::maxLifetimeSecs},
                         {"deleteAfterStopped", &Policy::deleteAfterStoppedSecs}};

QString shown(const std::optional<qint64> &v)
{
    return v && *v > 0 ? Policy::formatDuration(*v) : QString();
}

} // namespace

PolicyFields::PolicyFields(QWidget *parent)
    : QWidget(parent)
    , m_idleStop(new QLineEdit(this))
    , m_maxLifetime(new QLineEdit(this))
    , m_deleteAfterStopped(new QLineEdit(this))
    , m_summary(new QLabel(this))
{
    m_idleStop->setAccessibleName(tr("Idle stop after"));
    m_idleStop->setToolTip(tr("Stop the box after this long without agent activity (an open "
                              "terminal or log follow counts). 30m, 8h, 7d or seconds; 0 = "
                              "never; empty = the backend's fleet default."));
    m_maxLifetime->setAccessibleName(tr("Maximum lifetime"));
    m_maxLifetime->setToolTip(tr("Stop the box this long after it was created, whatever its "
                                 "activity. 0 = never; empty = the fleet default."));
    m_deleteAfterStopped->setAccessibleName(tr("Delete after stopped"));
    m_deleteAfterStopped->setToolTip(tr("Delete the box this long after it stopped (its data "
                                        "volumes stay when it keeps its data). 0 = never; empty "
                                        "= the fleet default."));
    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    const auto labelled = [&](const QString &text, QLineEdit *edit) {
        auto *label = new QLabel(text, this);
        label->setBuddy(edit);
        row->addWidget(label);
        row->addWidget(edit, 1);
        connect(edit, &QLineEdit::textChanged, this, [this] {
            refresh();
            emit changed();
        });
    };
    labelled(tr("Idle stop:"), m_idleStop);
    labelled(tr("Lifetime:"), m_maxLifetime);
    labelled(tr("Delete stopped:"), m_deleteAfterStopped);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    column->addLayout(row);
    column->addWidget(m_summary);
    refresh();
}

void PolicyFields::setFleetDefault(const Policy &policy)
{
    m_fleet = policy;
    refresh();
}

void PolicyFields::setIdleCountsFromStart(bool fromStart)
{
    m_idleFromStart = fromStart;
    refresh();
}

void PolicyFields::setPolicy(const Policy &policy)
{
    const QList<QLineEdit *> edits{m_idleStop, m_maxLifetime, m_deleteAfterStopped};
    for (int i = 0; i < edits.size(); ++i) {
        const auto &v = policy.*(kFields[i].member);
        edits[i]->setText(v ? Policy::formatDuration(*v) : QString());
    }
    refresh();
}

Result<Policy> PolicyFields::policy() const
{
    Policy out;
    const QList<QLineEdit *> edits{m_idleStop, m_maxLifetime, m_deleteAfterStopped};
    for (int i = 0; i < edits.size(); ++i) {
        const QString text = edits[i]->text().trimmed();
        if (text.isEmpty())
            continue;
        auto secs =
            Policy::parseDuration(text, QStringLiteral("policy.") + QLatin1String(kFields[i].name));
        if (!secs)
            return secs.error();
        out.*(kFields[i].member) = *secs;
    }
    return out;
}

QString PolicyFields::summary() const
{
    const auto own = policy();
    if (!own)
        return {};
    const Policy eff = Policy::effective(*own, m_fleet);
    const auto source = [&](const Field &f) {
        return ((*own).*(f.member)) ? tr("this box") : tr("fleet default");
    };
    const QStringList what{
        m_idleFromStart
            ? tr("stops %1 after each start (this backend reports no agent activity, so idle "
                 "counts from the start)")
            : tr("idle stop after %1"),
        tr("stops %1 after creation"), tr("deleted %1 after it stopped")};
    QStringList parts;
    for (int i = 0; i < 3; ++i) {
        const QString value = shown(eff.*(kFields[i].member));
        if (!value.isEmpty())
            parts << what.at(i).arg(value) + QStringLiteral(" (") + source(kFields[i]) +
                         QLatin1Char(')');
    }
    return parts.isEmpty() ? tr("Applies: no idle stop, no expiry, no automatic delete.")
                           : tr("Applies: %1.").arg(parts.join(QStringLiteral("; ")));
}

void PolicyFields::refresh()
{
    const QList<QLineEdit *> edits{m_idleStop, m_maxLifetime, m_deleteAfterStopped};
    for (int i = 0; i < edits.size(); ++i) {
        const QString fleet = shown(m_fleet.*(kFields[i].member));
        edits[i]->setPlaceholderText(fleet.isEmpty() ? tr("off") : tr("default %1").arg(fleet));
    }
    m_summary->setText(summary());
}

} // namespace bc::ui
