#pragma once

#include <QAbstractTableModel>
#include <QList>

namespace bc::ui {

// Docker endpoints in the settings dialog: the docker CLI's contexts (always first, as
// discovered in its context store) and the host URLs the user added. Contexts are shown or
// hidden with their check box and cannot be removed (they belong to the CLI); added ones
// are always in use and can be removed.
class EndpointModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointModel)
public:
    struct Item
    {
        QString url;    // unix:///var/run/docker.sock, tcp://h:2376, ssh://u@h
        QString source; // what the Source column says when there is no error
        bool enabled = true;
        bool userAdded = false;
        // Default-initialised explicitly so the four-field initialisers stay warning-free.
        QString context = {};     // docker CLI context name; empty for added URLs
        QString description = {}; // the context's description
        QString error = {};       // broken metadata, context gone from the store, no endpoint
        bool current = false;     // the context the docker CLI uses now
    };
    enum Column { EnabledColumn, NameColumn, UrlColumn, SourceColumn, ColumnCount };
    enum Role { ErrorRole = Qt::UserRole, ContextRole, CurrentRole, UserAddedRole };

    explicit EndpointModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Adds or, for a known URL, merges (a discovered engine the user also enabled).
    void addEndpoint(const Item &item);
    // Replaces every row that is not user-added by `contexts`, placed first.
    void setContexts(const QList<Item> &contexts);
    bool removeEndpoint(int row); // false for rows the user did not add
    const QList<Item> &endpoints() const { return m_items; }
    QStringList enabledUrls() const;
    QStringList enabledContexts() const; // names, in row order
    QStringList addedUrls() const;
    int rowOf(const QString &url) const;
    int rowOfContext(const QString &name) const;
    // The result of testing an engine: Source text, or the error (shown in red).
    void setTestResult(const QString &url, const QString &source, const QString &error);

private:
    bool isCheckable(const Item &item) const;

    QList<Item> m_items;
};

} // namespace bc::ui
