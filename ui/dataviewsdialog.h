#pragma once

#include <QDialog>
#include <QHash>
#include <QPointer>
#include <QSet>

class QLabel;
class QPushButton;
class QTabWidget;
class QTreeWidget;

namespace bc::boxes {
class DockerBackend;
}

namespace bc::ui {

// What boxes leave on their engines besides containers: volumes (owner box, size from
// /system/df, orphaned when no container of that box exists), images (size, used by how
// many boxes) and box networks. Orphaned volumes and networks can be removed from here,
// after a confirmation that lists each one. Lists update in place on refresh.
class DataViewsDialog final : public QDialog
{
    Q_OBJECT
public:
    enum VolumeColumn { VolName, VolBox, VolSize, VolStatus, VolEngine };
    enum ImageColumn { ImgTag, ImgSize, ImgUsedBy, ImgCreated, ImgEngine };
    enum NetworkColumn { NetName, NetBox, NetDriver, NetStatus, NetEngine };

    DataViewsDialog(const QList<boxes::DockerBackend *> &engines, QWidget *parent = nullptr);

    QTabWidget *tabs() const { return m_tabs; }
    QTreeWidget *volumes() const { return m_volumes; }
    QTreeWidget *images() const { return m_images; }
    QTreeWidget *networks() const { return m_networks; }
    QPushButton *refreshButton() const { return m_refresh; }
    QPushButton *cleanupButton() const { return m_cleanup; }
    bool isLoading() const { return m_pending > 0; }
    // Lists (and so cleans up) only objects that also carry this label ("key=value").
    void setLabelFilter(const QString &label) { m_labelFilter = label; }
    // "volume NAME (box B, 1.2 MiB) on ENGINE" for every orphaned item, as confirmed.
    QStringList orphanDescriptions() const;

public slots:
    void refresh();
    // Asks (listing every item), then removes the orphaned volumes and networks.
    void cleanUpOrphans();

signals:
    void loaded();
    void cleanedUp(int removed, int failed);

private:
    struct Orphan
    {
        QPointer<boxes::DockerBackend> engine;
        bool volume = true;
        QString name; // volume name or network id
        QString description;
    };
    void loadEngine(boxes::DockerBackend *engine);
    void finishOne();

    QList<QPointer<boxes::DockerBackend>> m_engines;
    QTabWidget *m_tabs;
    QTreeWidget *m_volumes;
    QTreeWidget *m_images;
    QTreeWidget *m_networks;
    QLabel *m_status;
    QPushButton *m_refresh;
    QPushButton *m_cleanup;
    QString m_labelFilter;
    int m_pending = 0;
    quint64 m_generation = 0;
    QHash<QString, QList<QStringList>> m_rows[3]; // per tree: engine -> rows (key first)
    QSet<QString> m_flagged;
    QList<Orphan> m_orphans;
    QList<Orphan> m_loadingOrphans;
};

} // namespace bc::ui
