#pragma once

#include <QHash>
#include <QObject>
#include <QSet>

class QLabel;
class QStatusBar;

namespace bc::boxes {
class BoxBackend;
}

namespace bc::ui {

// The backends in the main window's status bar: one indicator per backend (a coloured dot,
// its short name and, while it is unreachable, why), and the report of the clean-up of work
// a killed console or boxctl left half-done on it.
class BackendStatus final : public QObject
{
    Q_OBJECT
public:
    explicit BackendStatus(QStatusBar *bar);

    // Shows the connection of `backendId` (`backend` may be null: one no longer configured).
    // True when the backend had no indicator yet.
    bool update(const QString &backendId, boxes::BoxBackend *backend, bool connected,
                const QString &reason);
    // Drops the indicators of backends not in `ids`.
    void retain(const QSet<QString> &ids);
    // Finishes or rolls back interrupted work on `backend`, once per backend object and off
    // the GUI thread; the status bar says what was cleaned up.
    void recover(boxes::BoxBackend *backend);

    QString text(const QString &backendId) const;
    QString toolTip(const QString &backendId) const;

private:
    QStatusBar *m_bar;
    QHash<QString, QLabel *> m_labels;
};

} // namespace bc::ui
