#pragma once

#include <QAbstractTableModel>
#include <QList>

namespace bc::ui {

// Docker endpoints in the settings dialog: contexts discovered like the docker CLI does,
// plus endpoints the user added. Only added ones can be removed; any can be enabled.
class EndpointModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointModel)
public:
    struct Item
    {
        QString url;    // unix:///var/run/docker.sock, tcp://h:2376, ssh://u@h
        QString source; // "context default", "DOCKER_HOST", "added"
        bool enabled = true;
        bool userAdded = false;
    };
    enum Column { EnabledColumn, UrlColumn, SourceColumn, ColumnCount };

    explicit EndpointModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Adds or, for a known URL, merges (a discovered context the user also enabled).
    void addEndpoint(const Item &item);
    bool removeEndpoint(int row); // false for discovered ones
    const QList<Item> &endpoints() const { return m_items; }
    QStringList enabledUrls() const;
    int rowOf(const QString &url) const;

private:
    QList<Item> m_items;
};

} // namespace bc::ui
