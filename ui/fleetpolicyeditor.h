#pragma once

#include "core/boxes/consolesettings.h"
#include "core/result.h"

#include <QFuture>
#include <QWidget>

#include <optional>

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
//
// Webhook URLs are credentials: the URL column shows the masked form the settings keep
// (https://hooks.slack.com/…XXXX), never a stored URL. Typing over it replaces the URL; an
// untouched cell keeps the stored secret. Saving takes three steps, each asynchronous where
// it touches the secret store: storeWebhookUrls() (before anything else is written),
// store() (the settings, and the table then shows the new URLs masked too), and
// removeStaleWebhookSecrets() (after the settings are synced).
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
    // Writes the URLs of new and replaced webhooks (and those an old settings file held in
    // clear) to the secret store, for store() to refer to. Call after validate(); finishes
    // at once when the webhook section is not to be written.
    QFuture<VoidResult> storeWebhookUrls();
    // Removes the secrets storeWebhookUrls() wrote, when the rest of the apply failed.
    QFuture<VoidResult> discardWebhookUrls();
    // Writes the sections that loaded cleanly or were edited; webhooks only as prepared by
    // storeWebhookUrls(). Call after validate().
    void store(boxes::ConsoleSettings &settings);
    // Removes from the store the secrets of webhooks store() dropped or replaced. Call after
    // the settings were synced, so that they never name a removed secret.
    QFuture<VoidResult> removeStaleWebhookSecrets();
    // The secret store keys of the webhook rows, and the keys store() left for removal.
    QStringList webhookSecretKeys() const;
    QStringList staleWebhookSecretKeys() const { return m_staleWebhookKeys; }

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
    void showWebhooks(const QList<boxes::Webhook> &webhooks);
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
    // Set by storeWebhookUrls(): the rows as references, for store() to write.
    std::optional<QList<boxes::Webhook>> m_preparedWebhooks;
    QList<boxes::Webhook> m_preparedFrom; // the rows they were prepared from
    QStringList m_staleWebhookKeys;
};

} // namespace bc::ui
