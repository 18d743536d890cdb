#include "ui/fleetpolicyeditor.h"

#include "core/boxes/webhooksecrets.h"
#include "core/util/async.h"
#include "core/util/futureutil.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <utility>

namespace bc::ui {

using boxes::ConsoleSettings;
using boxes::FleetPolicyDefault;
using boxes::OwnerQuota;
using boxes::Webhook;
using boxes::WebhookSecrets;
using Policy = security::BoxSpec::Policy;

namespace {

// A webhook's URL cell remembers what it showed when loaded, so that an untouched (masked)
// cell can be told from a typed URL.
constexpr int SecretKeyRole = Qt::UserRole + 1;
constexpr int MaskRole = Qt::UserRole + 2;
constexpr int ClearUrlRole = Qt::UserRole + 3; // an old settings file's URL, until saved

QString cell(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text().trimmed() : QString();
}

QString duration(const std::optional<qint64> &v)
{
    return v ? Policy::formatDuration(*v) : QString();
}

QString number(double v)
{
    return v > 0 ? QString::number(v) : QString();
}

Error invalid(const QString &field, const QString &message)
{
    return Error(Error::Kind::Invalid, field + QStringLiteral(": ") + message);
}

} // namespace

FleetPolicyEditor::FleetPolicyEditor(QWidget *parent)
    : QWidget(parent)
    , m_policies(
          table({tr("Backend"), tr("Idle stop"), tr("Max lifetime"), tr("Delete after stopped")}))
    , m_quotas(table({tr("Owner"), tr("Max boxes"), tr("Max CPUs"), tr("Max memory")}))
    , m_webhooks(table({tr("URL"), tr("Kind")}))
    , m_error(new QLabel(this))
{
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(section(
        tr("Default policies per backend"),
        tr("Durations like 30m, 8h, 7d or seconds; 0 or empty = off. Backend \"*\" applies to "
           "every backend without its own row. A box's spec overrides each value."),
        m_policies, &m_addPolicy));
    layout->addWidget(section(tr("Quotas per owner"),
                              tr("Checked at every deploy, on every backend. Empty or 0 = no "
                                 "limit; memory like 16g. Owner \"*\" applies to every owner "
                                 "without a row of their own."),
                              m_quotas, &m_addQuota));
    layout->addWidget(section(tr("Alert webhooks"),
                              tr("The policy service posts alerts here. Kind plain (a JSON POST) "
                                 "or slack. https, or plain http to this machine only. URLs are "
                                 "kept in the secret store and shown shortened; type over one "
                                 "to replace it."),
                              m_webhooks, &m_addWebhook));
    layout->addWidget(m_error);
    connect(m_addPolicy, &QPushButton::clicked, this, [this] {
        QString backend = QStringLiteral("*");
        for (const QString &id : std::as_const(m_knownBackends)) {
            bool used = false;
            for (int r = 0; r < m_policies->rowCount() && !used; ++r)
                used = cell(m_policies, r, BackendColumn) == id;
            if (!used) {
                backend = id;
                break;
            }
        }
        addRow(m_policies, {backend, QString(), QString(), QString()});
    });
    connect(m_addQuota, &QPushButton::clicked, this, [this] {
        addRow(m_quotas, {QString(), QString(), QString(), QString()});
    });
    connect(m_addWebhook, &QPushButton::clicked, this, [this] {
        addRow(m_webhooks, {QStringLiteral("https://"), QStringLiteral("plain")});
    });
    const auto touched = [this](bool *writable) {
        return [this, writable] {
            if (!m_loading)
                *writable = true;
            m_error->hide();
        };
    };
    connect(m_policies, &QTableWidget::itemChanged, this, touched(&m_policiesWritable));
    connect(m_quotas, &QTableWidget::itemChanged, this, touched(&m_quotasWritable));
    connect(m_webhooks, &QTableWidget::itemChanged, this, touched(&m_webhooksWritable));
    connect(m_policies->model(), &QAbstractItemModel::rowsRemoved, this,
            touched(&m_policiesWritable));
    connect(m_quotas->model(), &QAbstractItemModel::rowsRemoved, this, touched(&m_quotasWritable));
    connect(m_webhooks->model(), &QAbstractItemModel::rowsRemoved, this,
            touched(&m_webhooksWritable));
}

QTableWidget *FleetPolicyEditor::table(const QStringList &headers)
{
    auto *t = new QTableWidget(0, int(headers.size()), this);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                       QAbstractItemView::AnyKeyPressed);
    t->setMinimumHeight(4 * (fontMetrics().height() + 10));
    return t;
}

QWidget *FleetPolicyEditor::section(const QString &title, const QString &hint, QTableWidget *table,
                                    QPushButton **add)
{
    auto *box = new QGroupBox(title, this);
    table->setAccessibleName(title);
    auto *note = new QLabel(hint, box);
    note->setWordWrap(true);
    *add = new QPushButton(tr("Add"), box);
    auto *remove = new QPushButton(tr("Remove"), box);
    remove->setToolTip(tr("Remove the selected row"));
    connect(remove, &QPushButton::clicked, this, [table] {
        const int row = table->currentRow();
        if (row >= 0)
            table->removeRow(row);
    });
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(*add);
    buttons->addWidget(remove);
    table->setParent(box);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(note);
    layout->addWidget(table, 1);
    layout->addLayout(buttons);
    return box;
}

void FleetPolicyEditor::addRow(QTableWidget *table, const QStringList &cells)
{
    const int row = table->rowCount();
    table->insertRow(row);
    for (int c = 0; c < cells.size(); ++c)
        table->setItem(row, c, new QTableWidgetItem(cells.at(c)));
    table->setCurrentCell(row, 0);
    if (!m_loading) {
        if (table == m_policies)
            m_policiesWritable = true;
        else if (table == m_quotas)
            m_quotasWritable = true;
        else
            m_webhooksWritable = true;
    }
}

void FleetPolicyEditor::setKnownBackends(const QStringList &backendIds)
{
    m_knownBackends = backendIds;
    m_policies->setToolTip(
        tr("Backends: %1")
            .arg((QStringList{QStringLiteral("*")} + backendIds).join(QStringLiteral(", "))));
}

void FleetPolicyEditor::load(const ConsoleSettings &settings)
{
    m_loading = true;
    for (QTableWidget *t : {m_policies, m_quotas, m_webhooks})
        t->setRowCount(0);
    QStringList problems;
    if (auto d = settings.fleetPolicyDefaults()) {
        for (const FleetPolicyDefault &e : d.value())
            addRow(m_policies,
                   {e.backend, duration(e.policy.idleStopSecs), duration(e.policy.maxLifetimeSecs),
                    duration(e.policy.deleteAfterStoppedSecs)});
        m_policiesWritable = true;
    } else {
        problems << d.error().message();
        m_policiesWritable = false;
    }
    if (auto q = settings.quotas()) {
        for (const OwnerQuota &e : q.value())
            addRow(m_quotas,
                   {e.owner, e.maxBoxes > 0 ? QString::number(e.maxBoxes) : QString(),
                    number(e.maxCpus),
                    e.maxMemoryBytes > 0 ? ConsoleSettings::formatQuotaMemory(e.maxMemoryBytes)
                                         : QString()});
        m_quotasWritable = true;
    } else {
        problems << q.error().message();
        m_quotasWritable = false;
    }
    m_preparedWebhooks.reset();
    if (auto w = settings.webhooks()) {
        showWebhooks(w.value());
        m_webhooksWritable = true;
    } else {
        problems << w.error().message();
        m_webhooksWritable = false;
    }
    m_loading = false;
    if (!problems.isEmpty())
        showError(tr("The stored settings are invalid and are kept until you edit them here: %1")
                      .arg(problems.join(QStringLiteral("; "))));
    else
        m_error->hide();
}

Result<QList<FleetPolicyDefault>> FleetPolicyEditor::policyDefaults() const
{
    QList<FleetPolicyDefault> out;
    for (int r = 0; r < m_policies->rowCount(); ++r) {
        FleetPolicyDefault e;
        e.backend = cell(m_policies, r, BackendColumn);
        const QString field = e.backend.isEmpty()
                                  ? QStringLiteral("policy.defaults[%1]").arg(r)
                                  : QStringLiteral("policy.defaults[%1]").arg(e.backend);
        const struct
        {
            int column;
            const char *key;
            std::optional<qint64> Policy::*member;
        } columns[] = {{IdleStopColumn, "idleStop", &Policy::idleStopSecs},
                       {MaxLifetimeColumn, "maxLifetime", &Policy::maxLifetimeSecs},
                       {DeleteColumn, "deleteAfterStopped", &Policy::deleteAfterStoppedSecs}};
        for (const auto &c : columns) {
            const QString text = cell(m_policies, r, c.column);
            if (text.isEmpty())
                continue;
            auto secs = Policy::parseDuration(text, field + u'.' + QLatin1String(c.key));
            if (!secs)
                return secs.error();
            e.policy.*(c.member) = *secs;
        }
        if (auto ok = ConsoleSettings::validateFleetPolicyDefault(e, field); !ok)
            return ok.error();
        for (const auto &seen : std::as_const(out))
            if (seen.backend == e.backend)
                return invalid(field, tr("a second row for the same backend"));
        out << e;
    }
    return out;
}

Result<QList<OwnerQuota>> FleetPolicyEditor::quotas() const
{
    QList<OwnerQuota> out;
    for (int r = 0; r < m_quotas->rowCount(); ++r) {
        OwnerQuota q;
        q.owner = cell(m_quotas, r, OwnerColumn);
        const QString field = q.owner.isEmpty() ? QStringLiteral("quotas[%1]").arg(r)
                                                : QStringLiteral("quotas[%1]").arg(q.owner);
        if (const QString boxes = cell(m_quotas, r, BoxesColumn); !boxes.isEmpty()) {
            bool ok = false;
            const qint64 v = boxes.toLongLong(&ok);
            if (!ok)
                return invalid(field + QStringLiteral(".maxBoxes"),
                               tr("expected a whole number, got %1").arg(boxes));
            q.maxBoxes = int(qBound(qint64(-1), v, qint64(1000000)));
        }
        if (const QString cpus = cell(m_quotas, r, CpusColumn); !cpus.isEmpty()) {
            bool ok = false;
            q.maxCpus = cpus.toDouble(&ok);
            if (!ok)
                return invalid(field + QStringLiteral(".maxCpus"),
                               tr("expected a number, got %1").arg(cpus));
        }
        if (const QString memory = cell(m_quotas, r, MemoryColumn); !memory.isEmpty()) {
            auto bytes =
                ConsoleSettings::parseQuotaMemory(memory, field + QStringLiteral(".maxMemory"));
            if (!bytes)
                return bytes.error();
            q.maxMemoryBytes = *bytes;
        }
        if (auto ok = ConsoleSettings::validateQuota(q, field); !ok)
            return ok.error();
        for (const auto &seen : std::as_const(out))
            if (seen.owner == q.owner)
                return invalid(field, tr("a second row for the same owner"));
        out << q;
    }
    return out;
}

void FleetPolicyEditor::showWebhooks(const QList<Webhook> &webhooks)
{
    const bool wasLoading = m_loading;
    m_loading = true;
    m_webhooks->setRowCount(0);
    for (const Webhook &e : webhooks) {
        addRow(m_webhooks, {e.display, e.kind});
        QTableWidgetItem *item = m_webhooks->item(m_webhooks->rowCount() - 1, UrlColumn);
        item->setData(MaskRole, e.display);
        if (!e.secretKey.isEmpty()) {
            item->setData(SecretKeyRole, e.secretKey);
            item->setToolTip(tr("Kept in the secret store; only its start and end are shown. "
                                "Type a new URL here to replace it."));
        } else {
            item->setData(ClearUrlRole, e.url);
            item->setToolTip(tr("Still in clear in the settings file: Apply moves it to the "
                                "secret store."));
        }
    }
    m_loading = wasLoading;
}

Result<QList<Webhook>> FleetPolicyEditor::webhooks() const
{
    QList<Webhook> out;
    for (int r = 0; r < m_webhooks->rowCount(); ++r) {
        Webhook w;
        w.kind = cell(m_webhooks, r, KindColumn);
        if (w.kind.isEmpty())
            w.kind = QStringLiteral("plain");
        const QTableWidgetItem *item = m_webhooks->item(r, UrlColumn);
        const QString text = cell(m_webhooks, r, UrlColumn);
        if (item && item->data(MaskRole).isValid() &&
            text == item->data(MaskRole).toString().trimmed()) {
            // Untouched: the stored secret (or an old file's URL) stays.
            w.secretKey = item->data(SecretKeyRole).toString();
            w.url = item->data(ClearUrlRole).toString();
            w.display = text;
        } else {
            w.url = text;
            w.display = ConsoleSettings::maskWebhookUrl(text);
        }
        if (auto ok = ConsoleSettings::validateWebhook(w, QStringLiteral("webhooks[%1]").arg(r));
            !ok)
            return ok.error();
        out << w;
    }
    return out;
}

VoidResult FleetPolicyEditor::validate()
{
    VoidResult result;
    if (auto d = policyDefaults(); !d)
        result = d.error();
    else if (auto q = quotas(); !q)
        result = q.error();
    else if (auto w = webhooks(); !w)
        result = w.error();
    if (result)
        m_error->hide();
    else
        showError(result.error().message());
    return result;
}

QFuture<VoidResult> FleetPolicyEditor::storeWebhookUrls()
{
    m_preparedWebhooks.reset();
    if (!m_webhooksWritable)
        return readyFuture<void>(VoidResult{});
    const auto rows = webhooks();
    if (!rows)
        return readyFuture<void>(rows.error());
    AsyncResult<void> async;
    onFinished(WebhookSecrets::storeUrls(rows.value()), this,
               [this, async, from = rows.value()](const Result<QList<Webhook>> &stored) {
                   if (!stored) {
                       async.finish(stored.error());
                       return;
                   }
                   m_preparedWebhooks = stored.value();
                   m_preparedFrom = from;
                   async.finish(VoidResult{});
               });
    return async.future();
}

QFuture<VoidResult> FleetPolicyEditor::discardWebhookUrls()
{
    if (!m_preparedWebhooks)
        return readyFuture<void>(VoidResult{});
    // The keys storeWebhookUrls() wrote: those no row named before.
    const QStringList fresh = WebhookSecrets::staleKeys(
        [this] {
            QStringList keys;
            for (const Webhook &w : std::as_const(*m_preparedWebhooks))
                keys << w.secretKey;
            return keys;
        }(),
        m_preparedFrom);
    m_preparedWebhooks.reset();
    return WebhookSecrets::removeKeys(fresh);
}

void FleetPolicyEditor::store(ConsoleSettings &settings)
{
    if (auto d = policyDefaults(); d && m_policiesWritable)
        settings.setFleetPolicyDefaults(d.value());
    if (auto q = quotas(); q && m_quotasWritable)
        settings.setQuotas(q.value());
    if (m_preparedWebhooks) {
        const QStringList before = settings.webhookSecretKeys();
        settings.setWebhooks(*m_preparedWebhooks);
        m_staleWebhookKeys += WebhookSecrets::staleKeys(before, *m_preparedWebhooks);
        // From now on the table shows what is stored: new URLs masked like the others.
        showWebhooks(*m_preparedWebhooks);
        m_preparedWebhooks.reset();
    }
}

QFuture<VoidResult> FleetPolicyEditor::removeStaleWebhookSecrets()
{
    return WebhookSecrets::removeKeys(std::exchange(m_staleWebhookKeys, {}));
}

QStringList FleetPolicyEditor::webhookSecretKeys() const
{
    QStringList keys;
    for (int r = 0; r < m_webhooks->rowCount(); ++r)
        if (const QTableWidgetItem *item = m_webhooks->item(r, UrlColumn))
            if (const QString key = item->data(SecretKeyRole).toString(); !key.isEmpty())
                keys << key;
    return keys;
}

void FleetPolicyEditor::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

} // namespace bc::ui
