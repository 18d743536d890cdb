#pragma once

#include "core/boxes/consolesettings.h"
#include "core/result.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace bc::ui {

// The Settings page for fleet rules: per-backend default policies (idle stop, maximum
// lifetime, delete after stopped), per-owner quotas (boxes, CPUs, memory) and the webhooks
// the policy service alerts. Cells are text, checked by the same rules as the settings file
// (ConsoleSettings::validate*), so an error names the same field: "quotas[alice].maxBoxes:
// must not be negative". A section whose stored entries are invalid shows why and is only
// rewritten once edited here.
class FleetPolicyEditor final : public QWidget
{
    Q_OBJECT
public:
    enum PolicyColumn { BackendColumn, IdleStopColumn, MaxLifetimeColumn, DeleteColumn };
    enum QuotaColumn { OwnerColumn, BoxesColumn, CpusColumn, MemoryColumn };
    enum WebhookColumn { UrlColumn, KindColumn };

    explicit FleetPolicyEditor(QWidget *parent = nullptr);

    void load(const boxes::ConsoleSettings &settings);
    // Backend ids offered for a new default (besides "*").
    void setKnownBackends(const QStringList &backendIds);
    // Every row parsed and checked; the first error (also shown on the page).
    VoidResult validate();
    // Writes the sections that loaded cleanly or were edited. Call after validate().
    void store(boxes::ConsoleSettings &settings) const;

    Result<QList<boxes::FleetPolicyDefault>> policyDefaults() const;
    Result<QList<boxes::OwnerQuota>> quotas() const;
    Result<QList<boxes::Webhook>> webhooks() const;

    QTableWidget *policyTable() const { return m_policies; }
    QTableWidget *quotaTable() const { return m_quotas; }
    QTableWidget *webhookTable() const { return m_webhooks; }
    QPushButton *addPolicyButton() const { return m_addPolicy; }
    QPushButton *addQuotaButton() const { return m_addQuota; }
    QPushButton *addWebhookButton() const { return m_addWebhook; }
    QLabel *errorLabel() const { return m_error; }

private:
    QTableWidget *table(const QStringList &headers);
    QWidget *section(const QString &title, const QString &hint, QTableWidget *table,
                     QPushButton **add);
    void addRow(QTableWidget *table, const QStringList &cells);
    void showError(const QString &message);

    QTableWidget *m_policies;
    QTableWidget *m_quotas;
    QTableWidget *m_webhooks;
    QPushButton *m_addPolicy = nullptr;
    QPushButton *m_addQuota = nullptr;
    QPushButton *m_addWebhook = nullptr;
    QLabel *m_error;
    QStringList m_knownBackends;
    // Per table: loaded cleanly, or edited since.
    bool m_policiesWritable = true;
    bool m_quotasWritable = true;
    bool m_webhooksWritable = true;
    bool m_loading = false;
};

} // namespace bc::ui
