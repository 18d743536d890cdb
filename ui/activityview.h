#pragma once

#include "core/activity/activitylog.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace bc::ui {

class ActivityModel;

// The activity log: who deployed, deleted, started, stopped, restarted or exec'd into
// which box, with what result, newest first. Filters by box, actor, action and time range
// (box and actor match exactly, as `boxctl activity` does). Reads run off the GUI thread
// and new records appear while it is shown. In the detail pane (OneBox) it shows the
// selected box's own history and hides the box field.
class ActivityView final : public QWidget
{
    Q_OBJECT
public:
    enum class Mode { AllBoxes, OneBox };
    enum Range { AnyTime, LastHour, LastDay, LastWeek, LastMonth };
    static constexpr int RefreshMs = 2000;

    // A null log means ActivityLog::instance().
    explicit ActivityView(Mode mode = Mode::AllBoxes, activity::ActivityLog *log = nullptr,
                          QWidget *parent = nullptr);

    // OneBox: the box whose history is shown (empty: none). AllBoxes: fills the box field.
    void setBox(const QString &box, const QString &backend = {});
    // Reads the filter fields now instead of after the typing pause.
    void applyFilters();
    activity::ActivityFilter currentFilter() const;

    // The Activity window of the main window: one per parent, raised when open already.
    static ActivityView *openDialog(QWidget *parent);

    QLineEdit *boxFilter() const { return m_box; }
    QLineEdit *actorFilter() const { return m_actor; }
    QComboBox *actionFilter() const { return m_action; }
    QComboBox *rangeFilter() const { return m_range; }
    QTableView *table() const { return m_table; }
    ActivityModel *model() const { return m_model; }
    QLabel *status() const { return m_status; }

signals:
    void loaded();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void updateStatus();

    Mode m_mode;
    QString m_fixedBox;
    QString m_fixedBackend;
    bool m_dirty = true; // the filter changed while hidden: read when shown
    ActivityModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_box;
    QLineEdit *m_actor;
    QComboBox *m_action;
    QComboBox *m_range;
    QTableView *m_table;
    QLabel *m_status;
    QTimer m_typing;
};

} // namespace bc::ui
