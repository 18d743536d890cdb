#pragma once

#include <QList>
#include <QObject>

class QAction;
class QModelIndex;
class QSettings;
class QSplitter;

namespace bc::ui {

class BoxDetailPane;
class BoxTableView;

// The detail pane under the box list: it shows the selected box, opens on a row's Enter or
// double-click, collapses (list only) and comes back at the size the user gave it, and its
// tabs have keys. The split is saved as the user changes it.
class DetailController final : public QObject
{
    Q_OBJECT
public:
    // `splitter` holds the list first and `detail` second.
    DetailController(BoxTableView *table, BoxDetailPane *detail, QSplitter *splitter,
                     QObject *parent);

    // Show the selected box's overview (Enter).
    QAction *overviewAction() const { return m_overview; }
    // Details pane on or off (Ctrl+Shift+I), checked while it is shown.
    QAction *detailsAction() const { return m_details; }
    QAction *nextTabAction() const { return m_nextTab; }
    QAction *previousTabAction() const { return m_previousTab; }
    // One per tab, Alt+1 to Alt+9.
    QList<QAction *> tabActions() const { return m_tabActions; }

    // The pane shows the selected box (the current row if selected, else the first).
    void showSelected();
    void openRow(const QModelIndex &index);
    bool collapsed() const;
    void setCollapsed(bool collapse);

    // The split and the tab, in `settings`' current group.
    void restoreLayout(const QSettings &settings);
    void saveLayout(QSettings &settings) const;
    // Call from the window's showEvent: without a saved split, the first one is made when
    // the splitter's height is known.
    void windowShown();

private:
    void saveSplit() const;

    BoxTableView *m_table;
    BoxDetailPane *m_detail;
    QSplitter *m_splitter;
    QAction *m_overview;
    QAction *m_details;
    QAction *m_nextTab;
    QAction *m_previousTab;
    QList<QAction *> m_tabActions;
    QList<int> m_detailSizes;
    bool m_defaultSplit = false;
};

} // namespace bc::ui
