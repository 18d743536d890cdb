#pragma once

#include <QStringList>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QListView;
class QPushButton;
class QToolButton;

namespace bc::ui {

class LogModel;

// A log viewer that people can read while it runs: follows new lines only while the view
// is at the bottom (scrolling up stops following, "Jump to live" resumes), pause holds
// incoming lines without losing them, search with next/previous, save to a file. Lines
// are appended in batches on a short timer so a chatty box cannot flood the event loop.
// stderr lines are coloured; timestamps, how far back (since / last N lines) and wrapping
// are the reader's choice; an empty log says so instead of staying blank.
class LogView final : public QWidget
{
    Q_OBJECT
public:
    explicit LogView(QWidget *parent = nullptr);

    LogModel *model() const { return m_model; }
    QListView *view() const { return m_view; }

    // Queues raw stream text (split into lines as it completes).
    void appendText(const QString &text, bool stderrStream = false);
    void appendLines(const QStringList &lines, bool stderrStream = false);
    void clear();
    void setStatus(const QString &text); // "following alice", "stream ended: …"

    bool isFollowing() const { return m_following; }
    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);
    // Saves every buffered line (full text, not the shortened display).
    bool saveTo(const QString &path, QString *error = nullptr) const;
    bool findNext(bool backwards = false);

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

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void flushPending();
    void updateFollowState();
    void jumpToLive();
    void updateEmpty();

    LogModel *m_model;
    QListView *m_view;
    QLineEdit *m_search;
    QToolButton *m_pause;
    QPushButton *m_live;
    QLabel *m_status;
    QLabel *m_empty;
    QCheckBox *m_timestamps;
    QCheckBox *m_wrap;
    QSpinBox *m_tail;
    QComboBox *m_since;
    QTimer m_batchTimer;
    struct Pending
    {
        QString text;
        bool stderrStream;
    };
    QList<Pending> m_pending;
    qsizetype m_pendingBytes = 0;
    bool m_following = true;
    bool m_paused = false;
    bool m_adjusting = false;
    QString m_defaultFileName = QStringLiteral("box.log");
};

} // namespace bc::ui
