#pragma once

#include "core/result.h"
#include "core/security/boxspec.h"

#include <QWidget>

class QLabel;
class QLineEdit;

namespace bc::ui {

// A box's lifecycle policy in a form: idle stop, maximum lifetime and delete-after-stopped
// as durations ("30m", "8h", "7d"; "0" = off; empty = the backend's fleet default), and a
// line saying what will apply, value by value, with where it comes from.
class PolicyFields final : public QWidget
{
    Q_OBJECT
public:
    explicit PolicyFields(QWidget *parent = nullptr);

    // The fleet default of the backend the box goes to (shown as placeholders and in the
    // summary).
    void setFleetDefault(const security::BoxSpec::Policy &policy);
    // Fills the fields from a spec's policy (unset values stay empty).
    void setPolicy(const security::BoxSpec::Policy &policy);
    // A backend that reports no agent activity (Coolify): an idle stop there counts from
    // each start, and the summary says so rather than promise an idle stop.
    void setIdleCountsFromStart(bool fromStart);
    // The box's own values; Invalid naming the field ("policy.idleStop: ...") when one does
    // not parse.
    Result<security::BoxSpec::Policy> policy() const;
    // "idle stop 30m (fleet default) · expires 8h after creation (this box) · ..."
    QString summary() const;

    QLineEdit *idleStopEdit() const { return m_idleStop; }
    QLineEdit *maxLifetimeEdit() const { return m_maxLifetime; }
    QLineEdit *deleteAfterStoppedEdit() const { return m_deleteAfterStopped; }
    QLabel *summaryLabel() const { return m_summary; }

signals:
    void changed();

private:
    void refresh();

    QLineEdit *m_idleStop;
    QLineEdit *m_maxLifetime;
    QLineEdit *m_deleteAfterStopped;
    QLabel *m_summary;
    security::BoxSpec::Policy m_fleet;
    bool m_idleFromStart = false;
};

} // namespace bc::ui
