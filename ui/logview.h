#pragma once

#include "ui/loglinemodel.h" // model() callers use it whole
#include "ui/logstore.h"

#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QListView;
class QPushButton;
class QToolButton;

namespace bc::ui {

// A log viewer that people can read while it runs: follows new lines only while the view
// is at the bottom (scrolling up stops following, "Jump to live" resumes), pause holds
// incoming lines without losing them, search with next/previous, save to a file. Lines
// go into a compact LogStore as they arrive and reach the view in batches on a short
// timer, so a chatty box cannot flood the event loop; the store's cap (LogStore's
// defaults: 2,000,000 lines or 192 MiB of text) drops the oldest lines behind a marker
// row. Search (plain or regular expression) and saving run on a snapshot off the GUI
// thread. stderr lines are coloured; timestamps, how far back (since / last N lines) and
// wrapping are the reader's choice; an empty log says so instead of staying blank.
class LogView final : public QWidget
{
    Q_OBJECT
public:
    explicit LogView(QWidget *parent = nullptr);

    LogLineModel *model() const { return m_model; }
    QListView *view() const { return m_view; }
    LogStore *store() { return &m_store; }

    // Queues raw stream text (split into lines as it completes).
    void appendText(const QString &text, bool stderrStream = false);
    void appendBytes(QByteArrayView utf8, bool stderrStream = false);
    void appendLines(const QStringList &lines, bool stderrStream = false);
    void clear();
    void setStatus(const QString &text); // "following alice", "stream ended: …"

    bool isFollowing() const { return m_following; }
    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);
    // Saves every kept line (full text, not the shortened display), streamed from the
    // store; saveInBackground() does it on a worker thread and reports in the status line.
    bool saveTo(const QString &path, QString *error = nullptr) const;
    void saveInBackground(const QString &path);
    // Moves to the next (previous) line matching the search field. The first call for a
    // pattern, and the first after new lines arrived, searches every kept line on a worker
    // thread; searchFinished() reports it. False when the field is empty.
    bool findNext(bool backwards = false);
    void setSearchText(const QString &text, bool regex = false);
    int matchCount() const { return int(m_hits.size()); }
    QCheckBox *regexBox() const { return m_regex; }

    void setDefaultFileName(const QString &name) { m_defaultFileName = name; }

    // What to ask the engine for; a change emits optionsChanged() (the pane re-reads).
    bool timestamps() const;
    int tail() const;            // lines; -1 = all
    qint64 sinceSeconds() const; // how far back; 0 = from the start
    bool wrap() const;
    void setWrap(bool on);
    // Shown over the empty list: "no output yet", "the log is empty".
    void setEmptyText(const QString &text);
    QString emptyText() const;
    bool emptyTextVisible() const;
    QCheckBox *timestampsBox() const { return m_timestamps; }
    QCheckBox *wrapBox() const { return m_wrap; }
    QSpinBox *tailBox() const { return m_tail; }
    QComboBox *sinceBox() const { return m_since; }

signals:
    void optionsChanged();
    void searchFinished(int matches, const QString &error);
    void saved(bool ok, const QString &error);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void flushPending();
    void updateFollowState();
    void jumpToLive();
    void updateEmpty();
    void startSearch(bool backwards);
    void showHit(bool backwards);

    mutable LogStore m_store; // snapshot() seals the chunk being filled
    LogLineModel *m_model;
    QListView *m_view;
    QLineEdit *m_search;
    QToolButton *m_pause;
    QPushButton *m_live;
    QLabel *m_status;
    QLabel *m_empty;
    QCheckBox *m_timestamps;
    QCheckBox *m_regex;
    QCheckBox *m_wrap;
    QSpinBox *m_tail;
    QComboBox *m_since;
    QTimer m_batchTimer;
    std::vector<qint64> m_hits; // sequence numbers matching m_hitsPattern
    QString m_hitsPattern;
    bool m_hitsRegex = false;
    qint64 m_hitsEnd = -1; // the store's end when m_hits was computed
    quint64 m_searchGeneration = 0;
    bool m_searching = false;
    bool m_navigateBackwards = false;
    bool m_following = true;
    bool m_paused = false;
    bool m_adjusting = false;
    QString m_defaultFileName = QStringLiteral("box.log");
};

} // namespace bc::ui
