#pragma once

#include "core/docker/execsession.h"
#include "core/result.h"
#include "ui/terminal/terminalemulator.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLineEdit;
class QScrollBar;

namespace bc::ui {

// A terminal on an exec session with a TTY: libvterm's screen painted in a monospace
// grid, scrollback (Shift+PageUp/PageDown, wheel) with search (Ctrl+Shift+F), copy
// (Ctrl+Shift+C, selection by mouse) and paste (Ctrl+Shift+V, bracketed when the program
// enabled it). Every other key, Ctrl+C included, goes to the box. The widget's size is
// the terminal's: a resize is sent to the exec. Output is parsed in time-boxed slices and
// painted at most ~60 times a second, and the session is paused while a backlog is parsed,
// so a flood of output never freezes the window.
class TerminalWidget : public QWidget
{
    Q_OBJECT
public:
    explicit TerminalWidget(QWidget *parent = nullptr);
    ~TerminalWidget() override;

    // Takes the session over (reparents it); starts it if it has not started.
    void attach(docker::ExecSession *session);
    docker::ExecSession *session() const { return m_session; }
    // Ends the exec (its process and session in the box).
    void terminate();

    TerminalEmulator *emulator() { return &m_emulator; }
    int scrollOffset() const { return m_scrollOffset; } // lines scrolled back
    void scrollBy(int lines);
    QString selectedText() const;
    void selectAll();
    void copy();
    void paste();
    // Finds text in scrollback and screen, searching backwards from the last hit; scrolls
    // to it and highlights it. False when absent.
    bool find(const QString &text);
    QSize cellSize() const { return m_cell; }
    bool hasExited() const { return m_exited; }

signals:
    void exited(const bc::Result<int> &result);
    void titleChanged(const QString &title);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    bool focusNextPrevChild(bool next) override;

private:
    void tick();
    void repaintDamage();
    void updateGeometryFromSize();
    void syncScrollBar();
    int totalLines() const;
    TerminalCell cellAt(int line, int col) const; // line: 0 = oldest scrollback line
    QString lineString(int line) const;
    QPoint cellFromPos(const QPoint &pos) const; // (col, absolute line)

    TerminalEmulator m_emulator;
    QPointer<docker::ExecSession> m_session;
    QTimer m_tick;
    QScrollBar *m_scrollBar;
    QLineEdit *m_findBar;
    QFont m_font;
    QFont m_boldFont;
    QSize m_cell;
    int m_ascent = 0;
    bool m_repaintAll = false; // the view moved (scrollback, scroll offset): no row-wise update
    std::vector<TerminalCell> m_rowCells; // reused by every paint
    int m_scrollOffset = 0;
    QPoint m_selStart{-1, -1}; // (col, absolute line)
    QPoint m_selEnd{-1, -1};
    int m_hitLine = -1;
    int m_hitCol = -1;
    int m_hitLen = 0;
    bool m_exited = false;
};

} // namespace bc::ui
