#include "ui/dockerenginesbox.h"

#include "core/boxes/backendfactory.h"
#include "core/boxes/consolesettings.h"
#include "core/docker/dockerclient.h"
#include "core/docker/endpointresolver.h"
#include "core/util/futureutil.h"
#include "ui/formnotes.h"
#include "ui/models/endpointmodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace bc::ui {

namespace {

struct ContextListing
{
    QList<EndpointModel::Item> rows;
    QString error; // the whole store could not be listed
};

// Runs on the thread pool: besides listing, every context is resolved exactly as
// BackendFactory will resolve it (TLS material included), so a row without an error is one
// the console can really connect to.
ContextListing listContexts()
{
    ContextListing out;
    const auto list = docker::EndpointResolver::listContexts(docker::ResolveInputs::fromProcess());
    if (!list) {
        out.error = list.error().message();
        return out;
    }
    for (const docker::ContextInfo &c : list.value()) {
        EndpointModel::Item item;
        item.context = c.name;
        item.url = c.host;
        item.description = c.description;
        item.current = c.current;
        item.enabled = false;
        item.source = DockerEnginesBox::tr("docker context");
        item.error = c.error;
        if (item.error.isEmpty() && c.host.isEmpty())
            item.error = DockerEnginesBox::tr("this context has no Docker endpoint");
        if (item.error.isEmpty()) {
            const auto resolved = boxes::BackendFactory::contextEndpoint(c.name);
            if (!resolved)
                item.error = resolved.error().message();
        }
        out.rows << item;
    }
    return out;
}

} // namespace

DockerEnginesBox::DockerEnginesBox(QWidget *parent)
    : QGroupBox(tr("Docker engines"), parent)
    , m_endpoints(new EndpointModel(this))
{

    m_endpointView = new QTableView(this);
    m_endpointView->setAccessibleName(title());
    m_endpointView->setModel(m_endpoints);
    m_endpointView->verticalHeader()->hide();
    m_endpointView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_endpointView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_endpointView->setWordWrap(false);
    m_endpointView->setTextElideMode(Qt::ElideMiddle);
    m_endpointView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    m_endpointView->setMinimumHeight(7 * (fontMetrics().height() + 10));
    QHeaderView *header = m_endpointView->horizontalHeader();
    header->setSectionResizeMode(EndpointModel::EnabledColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(EndpointModel::NameColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(EndpointModel::UrlColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(EndpointModel::SourceColumn, QHeaderView::Stretch);
    m_endpointView->setColumnWidth(EndpointModel::UrlColumn, 280);
    m_endpointHint = hintLabel(this);
    m_newEndpoint = new QLineEdit(this);
    m_newEndpoint->setPlaceholderText(tr("unix:///path/docker.sock, tcp://host:2376 or "
                                         "ssh://user@host"));
    auto *add = new QPushButton(tr("Add"), this);
    auto *remove = new QPushButton(tr("Remove"), this);
    remove->setToolTip(tr("Remove the selected added engine"));
    m_endpointError = errorLabel(this);
    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_newEndpoint, 1);
    addRow->addWidget(add);
    addRow->addWidget(remove);
    auto *dockerLayout = new QVBoxLayout(this);
    dockerLayout->addWidget(m_endpointView, 1);
    dockerLayout->addWidget(m_endpointHint);
    dockerLayout->addLayout(addRow);
    dockerLayout->addWidget(m_endpointError);
    connect(add, &QPushButton::clicked, this, [this] {
        if (addEndpoint(m_newEndpoint->text()))
            m_newEndpoint->clear();
    });
    connect(m_newEndpoint, &QLineEdit::returnPressed, add, &QPushButton::click);
    connect(m_newEndpoint, &QLineEdit::textChanged, m_endpointError, &QLabel::hide);
    connect(remove, &QPushButton::clicked, this, [this] {
        const QModelIndex idx = m_endpointView->currentIndex();
        if (idx.isValid())
            removeEndpoint(idx.row());
    });
    connect(m_endpoints, &QAbstractItemModel::dataChanged, this, [this] {
        if (!m_settingUp)
            m_touched = true;
        updateHint();
    });
}

void DockerEnginesBox::load(boxes::ConsoleSettings *settings)
{
    m_settings = settings;
    m_settingUp = true;
    const QStringList added = m_settings->dockerEndpoints();
    for (const QString &url : added)
        m_endpoints->addEndpoint({url, tr("added"), true, true});
    m_settingUp = false;

    // Contexts arrive from the thread pool: ~/.docker may be a slow network home, and each
    // context's TLS key is read to check it.
    onFinished(QtConcurrent::run(&listContexts), this, [this](const ContextListing &listing) {
        const bool follow = m_settings->followsDockerCli();
        const QStringList chosen = m_settings->dockerContexts();
        QList<EndpointModel::Item> rows = listing.rows;
        QStringList seen;
        for (EndpointModel::Item &row : rows) {
            if (row.current)
                m_currentContext = row.context;
            row.enabled =
                !row.context.isEmpty() && (follow ? row.current : chosen.contains(row.context));
            seen << row.context;
        }
        for (const QString &name : chosen) {
            if (seen.contains(name))
                continue;
            EndpointModel::Item gone;
            gone.context = name;
            gone.source = tr("docker context");
            gone.enabled = true;
            gone.error = listing.error.isEmpty()
                             ? tr("not in the docker CLI's context store any more; untick it "
                                  "to forget it")
                             : tr("cannot read the context store: %1").arg(listing.error);
            rows << gone;
        }
        m_settingUp = true;
        m_endpoints->setContexts(rows);
        m_settingUp = false;
        m_contextsLoaded = true;
        m_endpointView->resizeColumnToContents(EndpointModel::UrlColumn);
        if (m_endpointView->columnWidth(EndpointModel::UrlColumn) > 360)
            m_endpointView->setColumnWidth(EndpointModel::UrlColumn, 360);
        if (!listing.error.isEmpty())
            showError(m_endpointError,
                      tr("The docker CLI's contexts could not be read: %1").arg(listing.error));
        updateHint();
    });
    updateHint();
}

void DockerEnginesBox::store()
{
    if (m_touched) {
        // Before the listing arrives no context can have been ticked or unticked.
        m_settings->setDockerContexts(m_contextsLoaded ? m_endpoints->enabledContexts()
                                                       : m_settings->dockerContexts());
        m_settings->setDockerEndpoints(m_endpoints->addedUrls());
        m_touched = false;
    }
    updateHint();
}

void DockerEnginesBox::updateHint()
{
    if (!m_contextsLoaded) {
        m_endpointHint->setText(tr("Reading the docker CLI's contexts…"));
        return;
    }
    const QString current = m_currentContext.isEmpty()
                                ? tr("the docker CLI's current engine")
                                : tr("its current context “%1”").arg(m_currentContext);
    const QStringList contexts = m_endpoints->enabledContexts();
    const QStringList added = m_endpoints->addedUrls();
    if (!m_touched && m_settings->followsDockerCli()) {
        m_endpointHint->setText(tr("Following the docker CLI: %1 is used. Tick contexts or add "
                                   "engines to choose yourself.")
                                    .arg(current));
    } else if (contexts.isEmpty() && added.isEmpty()) {
        m_endpointHint->setText(
            tr("Nothing selected: the console will follow the docker CLI (%1).").arg(current));
    } else {
        const QString first =
            !contexts.isEmpty() ? tr("context “%1”").arg(contexts.first()) : added.first();
        m_endpointHint->setText(
            tr("Boxes of every engine shown are listed; new Docker boxes go to %1 (the first).")
                .arg(first));
    }
}

bool DockerEnginesBox::addEndpoint(const QString &url, QString *error)
{
    const QString u = url.trimmed();
    auto reject = [&](const QString &why) {
        if (error)
            *error = why;
        showError(m_endpointError, why);
        return false;
    };
    if (u.isEmpty())
        return reject(tr("Type an engine address first, e.g. tcp://build-1.example.com:2376."));
    // Stored addresses name their transport: host:port (tcp to the CLI) reads like a typo
    // here, and fd:// or npipe:// cannot be reached from this console at all.
    static const QStringList stored{QStringLiteral("unix"), QStringLiteral("tcp"),
                                    QStringLiteral("ssh")};
    if (!stored.contains(docker::EndpointResolver::scheme(u))) {
        return reject(tr("“%1” is not an engine address: use unix:///path/docker.sock, "
                         "tcp://host:2376 or ssh://user@host.")
                          .arg(u));
    }
    // The settings file is plain text: a password in the URL would be stored in clear.
    if (docker::EndpointResolver::hasPassword(u)) {
        return reject(tr("Remove the password from the address: box-console stores addresses "
                         "in its settings file. Use an ssh key or agent, or TLS client "
                         "certificates."));
    }
    const auto parsed = boxes::BackendFactory::parseEndpoint(u);
    if (!parsed)
        return reject(parsed.error().message());
    // Duplicates are compared as engines, not as text: tcp://h and tcp://h:2375 are one.
    const QString key = parsed->key();
    for (const EndpointModel::Item &row : m_endpoints->endpoints()) {
        if (row.url.isEmpty())
            continue;
        const auto other = docker::EndpointResolver::parseHost(row.url, {});
        if (row.url != u && (!other || other->key() != key))
            continue;
        if (row.userAdded)
            return reject(tr("%1 is already in the list.").arg(row.url));
        return reject(
            tr("%1 is the docker context “%2”: tick it instead.").arg(row.url, row.context));
    }
    m_endpointError->hide();
    m_endpoints->addEndpoint({u, tr("added, testing…"), true, true});
    m_touched = true;
    updateHint();
    testEndpoint(u, parsed.value());
    return true;
}

void DockerEnginesBox::testEndpoint(const QString &url, const http::Endpoint &endpoint)
{
    // A typo shows now, not as a red dot in the status bar after OK.
    auto *client = new docker::DockerClient(endpoint, this);
    onFinished(client->version(), this, [this, url, client](const Result<docker::VersionInfo> &r) {
        if (r)
            m_endpoints->setTestResult(url, tr("added, reachable: Docker %1").arg(r->version),
                                       QString());
        else
            m_endpoints->setTestResult(url, tr("added"),
                                       tr("not reachable: %1").arg(r.error().message()));
        emit endpointTested(url, bool(r));
        client->deleteLater();
    });
}

bool DockerEnginesBox::removeEndpoint(int row)
{
    if (row < 0 || row >= m_endpoints->rowCount())
        return false;
    const EndpointModel::Item item = m_endpoints->endpoints().at(row);
    if (!m_endpoints->removeEndpoint(row)) {
        showError(m_endpointError,
                  tr("“%1” is a docker CLI context: untick “Show” to hide it here (`docker "
                     "context rm` deletes it for the CLI too).")
                      .arg(item.context.isEmpty() ? item.url : item.context));
        return false;
    }
    m_endpointError->hide();
    m_touched = true;
    updateHint();
    return true;
}

} // namespace bc::ui
