#pragma once

#include <QStringList>
#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QToolButton;

namespace bc::ui {

class LogModel;

// A log viewer that people can read while it runs: follows new lines only while the view
// is at the bottom (scrolling up stops following, "Jump to live" resumes), pause holds
// incoming lines without losing them, search with next/previous, save to a file. Lines
// are appended in batches on a short timer so a chatty box cannot flood the event loop.
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

private:
    void flushPending();
    void updateFollowState();
    void jumpToLive();

    LogModel *m_model;
    QListView *m_view;
    QLineEdit *m_search;
    QToolButton *m_pause;
    QPushButton *m_live;
    QLabel *m_status;
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
